/* execve(2) of corrupt ELF files (tools/mkbadelf.py made /test/bad/NAME
 * from /test/exec_target): each must give what Linux gives.  Linux checks
 * the ELF header, the program header table and PT_INTERP before the point
 * of no return and fails execve with an errno; what goes wrong later
 * (mapping the segments, their sizes, the entry point) kills the new
 * program with SIGSEGV instead, and a segment past the end of the file
 * ends in SIGBUS when it is touched.  Never a kernel panic. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "exec_outcome.h"

/* exec_target's status for argv "x from-exec" and EXEC_MARK=yes */
#define RUNS EXIT(21)

static const struct {
    const char *name;
    int want;
} cases[] = {
    { "ok", RUNS },
    /* truncated: Linux reads 256 bytes (zero padded), then the phdrs */
    { "empty", ERR(ENOEXEC) },
    { "trunc_magic", ERR(ENOEXEC) },
    { "trunc_ehdr", ERR(ENOEXEC) },
    { "trunc_phdrs", ERR(ENOEXEC) },
    /* the ELF header: the magic, type and machine are checked; the
     * class, data encoding and versions are not */
    { "bad_magic", ERR(ENOEXEC) },
    { "class32", RUNS },
    { "class_none", RUNS },
    { "data_msb", RUNS },
    { "version0", RUNS },
    { "type_rel", ERR(ENOEXEC) },
    { "type_core", ERR(ENOEXEC) },
    { "machine_arm64", ERR(ENOEXEC) },
    { "machine_none", ERR(ENOEXEC) },
    /* the program header table: entry size, 1..4096 bytes, in the file */
    { "phentsize_32", ERR(ENOEXEC) },
    { "phentsize_64", ERR(ENOEXEC) },
    { "phnum_0", ERR(ENOEXEC) },
    { "phnum_74", ERR(ENOEXEC) },
    { "phnum_max", ERR(ENOEXEC) },
    { "phoff_eof", ERR(ENOEXEC) },
    { "phoff_straddle", ERR(ENOEXEC) },
    { "phoff_huge", ERR(ENOEXEC) },
    { "phoff_wrap", ERR(ENOEXEC) },
    /* PT_INTERP is read and its interpreter opened before the point of
     * no return: the name, the file, its ELF header (ELIBBAD) */
    { "interp_missing", ERR(ENOENT) },
    { "interp_short", ERR(ENOEXEC) },
    { "interp_huge", ERR(ENOEXEC) },
    { "interp_nonul", ERR(ENOEXEC) },
    { "interp_eof", ERR(EIO) },
    { "interp_tiny", ERR(EIO) },
    { "interp_notelf", ERR(ELIBBAD) },
    { "interp_nonexec", ERR(EACCES) },
    { "interp_dir", ERR(EACCES) },
    /* segments: mapped past the point of no return, where a failure
     * kills the new program with SIGSEGV */
    { "memsz_huge", SIG(SIGSEGV) },
    { "memsz_wrap", SIG(SIGSEGV) },
    { "filesz_gt_memsz", SIG(SIGSEGV) },
    { "filesz_huge", SIG(SIGSEGV) },
    { "misaligned", SIG(SIGSEGV) },
    { "vaddr_kernel", SIG(SIGSEGV) },
    { "vaddr_wrap", SIG(SIGSEGV) },
    { "vaddr_top", SIG(SIGSEGV) },
    /* ... or they are mapped, and the program faults */
    { "overlap", SIG(SIGSEGV) },
    { "text_noexec", SIG(SIGSEGV) },
    { "bss_readonly", SIG(SIGSEGV) },
    { "no_load", SIG(SIGSEGV) },
    { "entry_unmapped", SIG(SIGSEGV) },
    { "entry_kernel", SIG(SIGSEGV) },
    { "entry_zero", SIG(SIGSEGV) },
    /* what Linux does not look at */
    { "align_zero", RUNS },
    { "stack_exec", RUNS },
    { "unknown_type", RUNS },
    /* the rest of the page holding the end of .data cannot be zeroed
     * (past the end of the file, or read-only): Linux goes on */
    { "tiny_ok", EXIT(42) },
    { "tiny_trunc", EXIT(42) },
    { "tiny_bss_ro", EXIT(42) },
    /* pages of a segment past the end of its file: they are mapped, and
     * the program gets SIGBUS where it touches them */
    { "trunc_text", SIG(SIGBUS) },
    { "trunc_data", SIG(SIGBUS) },
    { "offset_huge", SIG(SIGBUS) },
};

/* Run a corrupt program as exec_target would be run. */
static int run_bad(const char *path)
{
    char *argv[] = { "x", "from-exec", NULL };
    char *envp[] = { "EXEC_MARK=yes", NULL };

    return run(path, argv, envp);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[64];

        snprintf(path, sizeof(path), "/test/bad/%s", cases[i].name);
        check(cases[i].name, run_bad(path), cases[i].want);
    }
    if (failures)
        return 1;
    printf("exec_corrupt ok\n");
    return 0;
}
