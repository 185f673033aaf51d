/* sethostname, setdomainname and /proc/sys/kernel: the names uname
 * gives follow both the calls and writes to /proc/sys/kernel/{hostname,
 * domainname} (a write takes the text up to its newline); the checks
 * in Linux's order (EPERM without privilege, EINVAL for a length above
 * 64 or below 0, EFAULT); ostype, osrelease and version agree with
 * uname.  /proc/PID/comm: a write of the process's own names it (15
 * bytes at most), another process's is EINVAL.  The names are put back
 * at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "check.h"
#include "proc_util.h"


static long set_host(const void *name, long len)
{
    long r = syscall(SYS_sethostname, name, len);

    return r == -1 ? -errno : r;
}

static long set_domain(const void *name, long len)
{
    long r = syscall(SYS_setdomainname, name, len);

    return r == -1 ? -errno : r;
}

static void test_names(void)
{
    char long_name[80], want[128];
    struct utsname u;

    CHECK(set_host("test-host", 9) == 0, "sethostname");
    uname(&u);
    CHECK(!strcmp(u.nodename, "test-host"), "nodename %s", u.nodename);
    CHECK(!strcmp(read_text("/proc/sys/kernel/hostname"), "test-host\n"), "hostname file %s",
          text);

    memset(long_name, 'a', sizeof(long_name));
    CHECK(set_host(long_name, 65) == -EINVAL, "65 bytes");
    CHECK(set_host(long_name, -1) == -EINVAL, "length -1");
    CHECK(set_host((void *)8, 5) == -EFAULT, "bad pointer");
    CHECK(set_host(long_name, 64) == 0, "64 bytes");
    uname(&u);
    CHECK(strlen(u.nodename) == 64 && !strncmp(u.nodename, long_name, 64), "64-byte nodename");
    CHECK(set_host("", 0) == 0, "empty name");
    uname(&u);
    CHECK(u.nodename[0] == '\0', "empty nodename: %s", u.nodename);

    CHECK(write_text("/proc/sys/kernel/hostname", "proc-host\n") == 0,
          "write hostname file: errno %d", errno);
    uname(&u);
    CHECK(!strcmp(u.nodename, "proc-host"), "nodename after the write: %s", u.nodename);

    CHECK(set_domain("example.org", 11) == 0, "setdomainname");
    uname(&u);
    CHECK(!strcmp(u.domainname, "example.org"), "domainname %s", u.domainname);
    CHECK(!strcmp(read_text("/proc/sys/kernel/domainname"), "example.org\n"),
          "domainname file %s", text);
    CHECK(write_text("/proc/sys/kernel/domainname", "proc.example") == 0,
          "write domainname file");
    uname(&u);
    CHECK(!strcmp(u.domainname, "proc.example"), "domainname after the write: %s", u.domainname);
    CHECK(set_domain(long_name, 65) == -EINVAL, "domain 65 bytes");

    snprintf(want, sizeof(want), "%s\n", u.sysname);
    CHECK(!strcmp(read_text("/proc/sys/kernel/ostype"), want), "ostype %s", text);
    snprintf(want, sizeof(want), "%s\n", u.release);
    CHECK(!strcmp(read_text("/proc/sys/kernel/osrelease"), want), "osrelease %s", text);
    snprintf(want, sizeof(want), "%s\n", u.version);
    CHECK(!strcmp(read_text("/proc/sys/kernel/version"), want), "version %s", text);
}

static void test_unprivileged(void)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        int bad = 0;

        if (setuid(65534) != 0)
            _exit(10);
        if (set_host("x", 1) != -EPERM)
            bad |= 1;
        if (set_domain("x", 1) != -EPERM)
            bad |= 2;
        if (write_text("/proc/sys/kernel/hostname", "x") != EACCES)
            bad |= 4;
        _exit(bad);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "child");
    CHECK(WEXITSTATUS(status) == 0, "unprivileged: failures %#x", WEXITSTATUS(status));
}

static void test_comm(void)
{
    char name[17] = { 0 };
    pid_t child;
    char path[64];
    int status;

    CHECK(write_text("/proc/self/comm", "renamed") == 0, "write comm");
    prctl(PR_GET_NAME, name);
    CHECK(!strcmp(name, "renamed"), "comm %s", name);
    CHECK(!strcmp(read_text("/proc/self/comm"), "renamed\n"), "comm file %s", text);
    CHECK(write_text("/proc/self/comm", "a-very-long-process-name") == 0, "write long comm");
    prctl(PR_GET_NAME, name);
    CHECK(!strcmp(name, "a-very-long-pro"), "long comm %s", name);
    /* the newline is part of the name */
    CHECK(write_text("/proc/self/comm", "nl\n") == 0, "write comm with a newline");
    prctl(PR_GET_NAME, name);
    CHECK(!strcmp(name, "nl\n"), "comm with newline: \"%s\"", name);

    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    snprintf(path, sizeof(path), "/proc/%d/comm", (int)child);
    CHECK(write_text(path, "other") == EINVAL, "another process's comm: errno %d",
          write_text(path, "other"));
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
}

int main(void)
{
    struct utsname saved;

    mount_proc();
    uname(&saved);
    test_names();
    test_unprivileged();
    test_comm();
    set_host(saved.nodename, (long)strlen(saved.nodename));
    set_domain(saved.domainname, (long)strlen(saved.domainname));
    return check_result("uts_names");
}
