/* Sysctls under /proc/sys: fs/pipe-max-size (1 MiB; a write is rounded
 * as F_SETPIPE_SZ rounds, -1 and above 2 GiB are EINVAL; above it an
 * unprivileged F_SETPIPE_SZ is EPERM), fs/nr_open (1048576; [64, ...]:
 * EINVAL below; an open-files hard limit above it is EPERM),
 * kernel/ngroups_max (65536), kernel/random: boot_id (one UUID for the
 * boot), uuid (a new version-4 UUID at each read), poolsize (256) and
 * entropy_avail (at most the pool).  Values are put back at the end. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "check.h"
#include "proc_util.h"

/* Whether @s is a UUID with a newline: 8-4-4-4-12 lowercase hex. */
static int is_uuid(const char *s)
{
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) {
            return 0;
        }
    }
    return s[36] == '\n' && s[37] == '\0';
}

static void test_pipe_max_size(void)
{
    const char *f = "/proc/sys/fs/pipe-max-size";
    int status, p[2];
    pid_t pid;

    CHECK(!strcmp(read_text(f), "1048576\n"), "pipe-max-size %s", text);
    CHECK(write_text(f, "5000") == 0 && !strcmp(read_text(f), "8192\n"), "5000 -> %s", text);
    CHECK(write_text(f, "-1") == EINVAL, "-1");
    CHECK(write_text(f, "3000000000") == EINVAL, "3000000000");
    CHECK(!strcmp(read_text(f), "8192\n"), "still %s", text);
    pid = fork();
    if (pid == 0) {
        int bad = 0;

        if (setuid(65534) != 0 || pipe(p) != 0)
            _exit(64);
        if (fcntl(p[0], F_SETPIPE_SZ, 16384) != -1 || errno != EPERM)
            bad |= 1;
        if (fcntl(p[0], F_SETPIPE_SZ, 8192) != 8192)
            bad |= 2;
        _exit(bad);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "unprivileged F_SETPIPE_SZ: %#x", WEXITSTATUS(status));
    CHECK(write_text(f, "1048576") == 0, "put back");
}

static void test_nr_open(void)
{
    const char *f = "/proc/sys/fs/nr_open";
    struct rlimit saved, r;

    getrlimit(RLIMIT_NOFILE, &saved);
    CHECK(!strcmp(read_text(f), "1048576\n"), "nr_open %s", text);
    CHECK(write_text(f, "63") == EINVAL, "63");
    CHECK(write_text(f, "2048") == 0 && !strcmp(read_text(f), "2048\n"), "2048: %s", text);
    r.rlim_cur = 1024;
    r.rlim_max = 4096;
    errno = 0;
    CHECK(setrlimit(RLIMIT_NOFILE, &r) == -1 && errno == EPERM, "hard limit above nr_open: %d",
          errno);
    r.rlim_max = 2048;
    CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0, "hard limit at nr_open: %d", errno);
    CHECK(write_text(f, "1048576") == 0, "put back");
    CHECK(setrlimit(RLIMIT_NOFILE, &saved) == 0, "limit back");
}

static void test_random(void)
{
    char boot[64], uuid[64];

    snprintf(boot, sizeof(boot), "%s", read_text("/proc/sys/kernel/random/boot_id"));
    CHECK(is_uuid(boot), "boot_id %s", boot);
    CHECK(!strcmp(read_text("/proc/sys/kernel/random/boot_id"), boot), "boot_id changed: %s",
          text);
    snprintf(uuid, sizeof(uuid), "%s", read_text("/proc/sys/kernel/random/uuid"));
    CHECK(is_uuid(uuid), "uuid %s", uuid);
    CHECK(uuid[14] == '4' && strchr("89ab", uuid[19]), "not version 4: %s", uuid);
    CHECK(strcmp(read_text("/proc/sys/kernel/random/uuid"), uuid), "uuid twice: %s", uuid);
    CHECK(!strcmp(read_text("/proc/sys/kernel/random/poolsize"), "256\n"), "poolsize %s", text);
    read_text("/proc/sys/kernel/random/entropy_avail");
    CHECK(isdigit((unsigned char)text[0]) && atoi(text) >= 0 && atoi(text) <= 256,
          "entropy_avail %s", text);
}

int main(void)
{
    mount_proc();
    test_pipe_max_size();
    test_nr_open();
    test_random();
    CHECK(!strcmp(read_text("/proc/sys/kernel/ngroups_max"), "65536\n"), "ngroups_max %s",
          text);
    return check_result("proc_sysctl");
}
