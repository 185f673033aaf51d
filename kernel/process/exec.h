/*
 * Program loading (exec.c): what execve(2)/execveat(2) and the KTESTs use
 * besides exec_load() (declared in process.h, for process.c).
 */
#ifndef KERNEL_PROCESS_EXEC_H
#define KERNEL_PROCESS_EXEC_H

#include <frame/types.h>
#include <libs/cpio.h>
#include <linux/binfmts.h>
#include "vm/vm_map.h"

/*
 * Linux's limits on what execve copies: the argument and environment
 * strings and their pointers take at most a quarter of the stack limit
 * (8 MiB, the default RLIMIT_STACK: no setrlimit yet), one string at most
 * MAX_ARG_STRLEN bytes with its NUL (the UAPI spells it with PAGE_SIZE),
 * and at most MAX_ARG_STRINGS strings of each kind.
 */
#define EXEC_ARG_LIMIT (8UL * 1024 * 1024 / 4)
#define EXEC_MAX_ARG_STRLEN (32 * FR_PAGE_SIZE)

/*
 * exec_open - find the program @path in the file tree as execve opens it:
 * the path walk (following a symbolic link in the last component only
 * when @follow), then a regular file with an execute bit (root may run
 * any file with one).  An empty @path is the working directory, the root
 * (only a "#!" line gives one).  Returns 0 with @file, -ENOENT, -ENOTDIR, -ELOOP,
 * -ENAMETOOLONG, -EACCES (not a regular file, no execute bit, a noexec
 * mount) or -ENOMEM.  @file->data points at the bytes: the file's own
 * block, or *@owned, a copy the caller frees.
 */
int exec_open(const char *path, bool follow, struct cpio_entry *file,
	      uint8_t **owned);

/*
 * exec_script_line - parse the "#!" line in @buf (the file's first
 * BINPRM_BUF_SIZE bytes, zero padded; modified) as Linux's binfmt_script:
 * the interpreter's name and one optional argument, the rest of the line
 * (which ends at a newline, or at the buffer's end; spaces and tabs around
 * them are dropped).  Returns 0 with @name and @arg (NULL when none)
 * pointing into @buf, or -ENOEXEC (not "#!", no name, or a name that may
 * have been cut by the buffer's end).  The name is empty when a NUL
 * follows "#!" (and spaces).
 */
int exec_script_line(char *buf, const char **name, const char **arg);

/*
 * exec_load_file - exec_load() for a program already found (@file; @path
 * is the name it was executed by, for AT_EXECFN and scripts).
 */
int exec_load_file(struct vm_map *vm, const struct cpio_entry *file,
		   const char *path, const char *const *argv,
		   const char *const *envp, uint64_t *entry, uint64_t *sp);

#endif
