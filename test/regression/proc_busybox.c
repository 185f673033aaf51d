/* Debian's busybox reading /proc: ps, top, free, mount, df, uptime,
 * cat /proc/meminfo and ls -l /proc, with their output in a file
 * checked for what each must show. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define OUT "/tmp/proc_busybox.out"

static char out[65536];

/* busybox @argv with its output in out; returns the wait status. */
static int run(char *const argv[])
{
    char *const envp[] = { "PATH=/bin", "COLUMNS=200", NULL };
    int status = -1, fd;
    long n = 0, r;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        fd = open(OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
        execve("/bin/busybox", argv, envp);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    out[0] = '\0';
    fd = open(OUT, O_RDONLY);
    while (fd >= 0 && (r = read(fd, out + n, sizeof(out) - 1 - n)) > 0)
        n += r;
    if (fd >= 0)
        close(fd);
    out[n] = '\0';
    return status;
}

/* Run @argv; it must exit 0 and print each of the NULL-ended @want. */
static void expect(const char *what, char *const argv[],
                   const char *const want[])
{
    int status = run(argv);
    int bad = 0;

    CHECK(status == 0, "%s: wait status %#x", what, status);
    for (int i = 0; want[i]; i++)
        if (!strstr(out, want[i])) {
            CHECK(0, "%s: no '%s' in its output", what, want[i]);
            bad++;
        }
    if (status || bad)
        printf("--- output of %s:\n%s---\n", what, out);
    else
        printf("%s: ok\n", what);
}

#define ARGS(...) ((char *const[]){ __VA_ARGS__, NULL })
#define WANT(...) ((const char *const[]){ __VA_ARGS__, NULL })

int main(void)
{
    mkdir("/proc", 0555);
    if (access("/proc/self/stat", R_OK) != 0 &&
        mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
    mkdir("/tmp", 0777);
    if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL) != 0)
        printf("mount tmpfs: %s\n", strerror(errno));

    expect("ps", ARGS("ps"), WANT("PID", "/test/proc_busybox", "ps"));
    expect("ps -o pid,ppid,stat,comm", ARGS("ps", "-o", "pid,ppid,stat,comm"),
           WANT("PID", "PPID", "proc_busybox", " R "));
    expect("top -n1 -b", ARGS("top", "-n1", "-b"),
           WANT("Mem:", "CPU:", "Load average:", "PID", "proc_busybox"));
    expect("free", ARGS("free"), WANT("total", "Mem:", "Swap:"));
    expect("mount", ARGS("mount"),
           WANT("proc on /proc type proc (rw", "tmpfs on /tmp type tmpfs"));
    expect("df", ARGS("df"), WANT("Filesystem", "/tmp"));
    expect("uptime", ARGS("uptime"), WANT("up ", "load average: "));
    expect("cat /proc/meminfo", ARGS("cat", "/proc/meminfo"),
           WANT("MemTotal:", "MemFree:", "SwapTotal:"));
    expect("ls -l /proc", ARGS("ls", "-l", "/proc"),
           WANT("self -> ", "meminfo", "dr-xr-xr-x"));
    expect("ls -l /proc/self/", ARGS("ls", "-l", "/proc/self/"),
           WANT("exe -> /bin/busybox", "cwd -> /", "status", "fd"));
    umount("/tmp");
    return check_result("proc_busybox");
}
