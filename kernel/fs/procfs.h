/*
 * procfs, the "proc" file system: the kernel's view of processes and of
 * the system as Linux's /proc shows them, in Linux's formats.  Nothing is
 * stored: directories are listed and looked up from the process list and
 * fixed tables of entries, and a file's text is generated when it is
 * opened (into the open file) and read from there.
 *
 * procfs.c is the file system (inodes, lookups, listings, the generated
 * files' operations); procfs_pid.c the contents of /proc/PID; procfs_sys.c
 * the contents of the system-wide files.
 */
#ifndef KERNEL_FS_PROCFS_H
#define KERNEL_FS_PROCFS_H

#include <frame/types.h>
#include "fs/vfs.h"

/* procfs_init - register the "proc" file system type.  Returns 0. */
int procfs_init(void);

/* ---- inside procfs ---- */

/* The text of a generated file, growing as it is written. */
struct proc_text {
	char *buf;
	size_t len, cap;
	int error; /* -ENOMEM once an append failed */
};

/* The most of one write that a writable file takes (Linux's sysctl
 * strings and comm take less; the rest is accepted and ignored). */
#define PROC_STORE_MAX 256

/* The largest text a file may generate. */
#define PROC_TEXT_MAX (4UL * 1024 * 1024)

void proc_text_init(struct proc_text *t);
void proc_text_free(struct proc_text *t);
/* Append; a failure sets t->error and later appends do nothing. */
void proc_write(struct proc_text *t, const char *s, size_t n);
void proc_puts(struct proc_text *t, const char *s);
void proc_printf(struct proc_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Copy the string @s into @buf of @size as readlink does: no NUL,
 * truncated.  Returns the bytes copied. */
int proc_link_text(const char *s, char *buf, size_t size);
/*
 * An int as Linux's kstrtoint(strstrip(s), 0) and the sysctl integers
 * take it from the @len bytes at @s: blanks around it, a sign, then
 * decimal, 0x hexadecimal or 0 octal digits.  Returns 0, -EINVAL (not a
 * number) or -ERANGE.
 */
int proc_parse_int(const char *s, size_t len, int *out);
/* The same for a 64-bit number. */
int proc_parse_long(const char *s, size_t len, int64_t *out);
/* Spaces up to column @col of the current line (seq_pad). */
void proc_pad(struct proc_text *t, size_t line_start, size_t col);

/* What a directory's numbered entries are. */
enum proc_numbered {
	PROC_NUM_NONE,
	PROC_NUM_PIDS,	/* the root: one directory per process */
	PROC_NUM_TASKS, /* PID/task: one directory per thread */
	PROC_NUM_FDS,	/* PID/fd: one link per open file */
	PROC_NUM_FDINFO, /* PID/fdinfo: one file per open file */
};

/* What a "magic" link leads to: an object, not its name's walk. */
enum proc_magic {
	PROC_MAGIC_NONE,
	PROC_MAGIC_CWD,
	PROC_MAGIC_ROOT,
	PROC_MAGIC_EXE,
	PROC_MAGIC_FD,
};

/*
 * An entry of a procfs directory.  (It names no VFS type: inodes point
 * at it from a union, which may not hold what leads to a capability.)  The inode made for it records the
 * entry, the process it is about (priv_pid: a pid or tid, 0 for the
 * system-wide ones) and, for fd links, the fd (priv_num).
 */
struct proc_entry {
	const char *name;
	uint32_t mode; /* S_IF* and permission bits */
	/* regular files: generate the text of process @pid (0: none) */
	int (*show)(struct proc_text *t, int pid);
	/* in a thread's directory (task/TID), the text of thread @tid when
	 * it has its own (NULL: show's, of its process) */
	int (*show_thread)(struct proc_text *t, int tid);
	/* writable files: take the @len bytes (at most PROC_STORE_MAX) a
	 * write at offset 0 gives, for process @pid; 0 or an error */
	int (*store)(int pid, const char *buf, size_t len);
	/* number files (sysctls): the value, shown as "%lld\n", and a
	 * setter for what a write parses (-EINVAL on bad text); NULL: read
	 * only */
	int64_t (*num_get)(void);
	int (*num_set)(int64_t v);
	/* numbered files: generate the text about @num of process @pid */
	int (*show_num)(struct proc_text *t, int pid, int num);
	/* links: the target as text */
	int (*readlink)(int pid, int num, char *buf, size_t size);
	/* magic links: what they lead to (proc_magic_path) */
	enum proc_magic magic;
	/* directories: fixed entries, then numbered ones */
	const struct proc_entry *children;
	size_t nchildren;
	enum proc_numbered numbered;
};

/* The entries of /proc/PID; PID/task/TID has all but "task", the last,
 * with their show_thread texts. */
extern const struct proc_entry proc_pid_entries[];
extern const size_t proc_pid_nentries;
/* The system-wide entries at the root of /proc. */
extern const struct proc_entry proc_root_entries[];
extern const size_t proc_root_nentries;

/*
 * The numbered entries of a directory of process @pid, in ascending
 * order from @from: fills @out with up to @n numbers and returns how many
 * (pids at the root, tids in task/, fds in fd/).
 */
size_t proc_pid_list(int from, int *out, size_t n);
size_t proc_task_list(int pid, int from, int *out, size_t n);
size_t proc_fd_list(int pid, int from, int *out, size_t n);

/* Whether process @pid (a pid or tid) exists; its owner in @uid/@gid. */
bool proc_pid_alive(int pid, uint32_t *uid, uint32_t *gid);
/* Whether thread @tid belongs to process @pid. */
bool proc_task_of(int pid, int tid);
/* The mode of fd link @fd of process @pid (S_IFLNK and the rights), or
 * 0 when it is not open. */
uint32_t proc_fd_mode(int pid, int fd);
/* The text of fdinfo file @fd of process @pid, as Linux's: position,
 * flags, mount id, inode number, then the lines of the file's kind. */
int proc_fd_show_info(struct proc_text *t, int pid, int fd);
/* The fd links' text. */
int proc_fd_readlink(int pid, int fd, char *buf, size_t size);
/* What magic link @m of process @pid (fd @num) leads to, referenced. */
int proc_magic_path(enum proc_magic m, int pid, int num, struct path *out);

/* The mounts as /proc/PID/mounts lists them, and as mountinfo does. */
int proc_show_mounts(struct proc_text *t, int pid);
int proc_show_mountinfo(struct proc_text *t, int pid);

#endif
