/* execve(2) of "#!" scripts (tools/mkexec-files.sh made them under
 * /test/exec): the interpreter line parsed as Linux parses it (a name, one
 * optional argument that is the rest of the line, spaces and tabs trimmed,
 * a 256-byte buffer), argv built as Linux builds it (interpreter, argument,
 * the script's name in place of argv[0], the other arguments), up to five
 * nested interpreters (ELOOP beyond), and the errors: ENOEXEC for what is
 * not a program, ENOENT and EACCES for interpreters that are missing or
 * cannot run.  /test/exec_argv, the interpreter, checks its argv and
 * AT_EXECFN against what the environment says. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "exec_outcome.h"

/* exec_argv found what it expected */
#define MATCH EXIT(0)

#define MAX_WORDS 16

/*
 * Run @path with argv { "X", "u1" } (or @argv if not NULL) and check that
 * the interpreter exec_argv gets @expect (NULL-terminated) as its argv,
 * and @path as AT_EXECFN.
 */
static void expect_argv(const char *path, char *const *argv,
                        const char *const *expect)
{
    static char vars[MAX_WORDS + 2][1024];
    char *envp[MAX_WORDS + 3];
    char *const dflt[] = { "X", "u1", NULL };
    int n = 0;

    while (expect[n])
        n++;
    snprintf(vars[0], sizeof(vars[0]), "ARGC=%d", n);
    snprintf(vars[1], sizeof(vars[1]), "EXECFN=%s", path);
    envp[0] = vars[0];
    envp[1] = vars[1];
    for (int i = 0; i < n; i++) {
        snprintf(vars[i + 2], sizeof(vars[i + 2]), "ARG%d=%s", i, expect[i]);
        envp[i + 2] = vars[i + 2];
    }
    envp[n + 2] = NULL;
    check(path, run(path, argv ? argv : dflt, envp), MATCH);
}

static void expect_outcome(const char *path, int want)
{
    char *const argv[] = { "X", "u1", NULL };
    char *const envp[] = { NULL };

    check(path, run(path, argv, envp), want);
}

int main(void)
{
    char a237[238], b237[238];
    char *const no_args[] = { NULL };

    memset(a237, 'a', 237);
    a237[237] = '\0';
    memset(b237, 'b', 237);
    b237[237] = '\0';

    /* the interpreter line */
    expect_argv("/test/exec/s_plain", NULL, (const char *[]){
        "/test/exec_argv", "/test/exec/s_plain", "u1", NULL });
    expect_argv("/test/exec/s_arg", NULL, (const char *[]){
        "/test/exec_argv", "one", "/test/exec/s_arg", "u1", NULL });
    expect_argv("/test/exec/s_spaces", NULL, (const char *[]){
        "/test/exec_argv", "one two \t three", "/test/exec/s_spaces", "u1",
        NULL });
    expect_argv("/test/exec/s_tabs", NULL, (const char *[]){
        "/test/exec_argv", "arg", "/test/exec/s_tabs", "u1", NULL });
    expect_argv("/test/exec/s_noeol", NULL, (const char *[]){
        "/test/exec_argv", "x", "/test/exec/s_noeol", "u1", NULL });
    expect_argv("/test/exec/s_relative", NULL, (const char *[]){
        "test/exec_argv", "/test/exec/s_relative", "u1", NULL });
    expect_argv("/test/exec/s_via_link", NULL, (const char *[]){
        "/test/exec/link_argv", "/test/exec/s_via_link", "u1", NULL });
    /* a line longer than the buffer: the argument is cut at 255 bytes */
    expect_argv("/test/exec/s_long_arg", NULL, (const char *[]){
        "/test/exec_argv", a237, "/test/exec/s_long_arg", "u1", NULL });
    expect_argv("/test/exec/s_exact", NULL, (const char *[]){
        "/test/exec_argv", b237, "/test/exec/s_exact", "u1", NULL });
    /* the script as it was named, relative or not */
    expect_argv("test/exec/s_plain", NULL, (const char *[]){
        "/test/exec_argv", "test/exec/s_plain", "u1", NULL });
    expect_argv("/test//exec/./s_plain", NULL, (const char *[]){
        "/test/exec_argv", "/test//exec/./s_plain", "u1", NULL });
    /* an empty argv: Linux makes it { "" }, which the script's name
     * replaces */
    expect_argv("/test/exec/s_arg", no_args, (const char *[]){
        "/test/exec_argv", "one", "/test/exec/s_arg", NULL });
    /* five nested interpreters, each one's line adding its words */
    expect_argv("/test/exec/n1", NULL, (const char *[]){
        "/test/exec_argv", "a5", "/test/exec/n5", "a4", "/test/exec/n4",
        "a3", "/test/exec/n3", "a2", "/test/exec/n2", "a1", "/test/exec/n1",
        "u1", NULL });

    /* errors */
    expect_outcome("/test/exec/n0", ERR(ELOOP));
    expect_outcome("/test/exec/s_empty", ERR(ENOEXEC));
    expect_outcome("/test/exec/s_blank", ERR(ENOEXEC));
    /* "#!" then NUL padding: an empty name, which Linux looks up as the
     * working directory */
    expect_outcome("/test/exec/s_bare", ERR(EACCES));
    expect_outcome("/test/exec/s_long_name", ERR(ENOEXEC));
    expect_outcome("/test/exec/s_crlf", ERR(ENOENT));
    expect_outcome("/test/exec/s_missing", ERR(ENOENT));
    expect_outcome("/test/exec/s_interp_nonexec", ERR(EACCES));
    expect_outcome("/test/exec/s_interp_dir", ERR(EACCES));
    expect_outcome("/test/exec/s_interp_garbage", ERR(ENOEXEC));
    expect_outcome("/test/exec/s_nonexec", ERR(EACCES));
    expect_outcome("/test/exec/garbage", ERR(ENOEXEC));
    expect_outcome("/test/exec/hash_only", ERR(ENOEXEC));

    if (failures)
        return 1;
    printf("exec_script ok\n");
    return 0;
}
