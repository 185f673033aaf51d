/* reboot(2): a bad magic gives EINVAL; with the argument "poweroff",
 * LINUX_REBOOT_CMD_POWER_OFF powers the machine off and does not return. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/reboot.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
    long r;

    errno = 0;
    r = syscall(SYS_reboot, 0x12345678, LINUX_REBOOT_MAGIC2,
                LINUX_REBOOT_CMD_POWER_OFF, 0);
    if (r != -1 || errno != EINVAL) {
        printf("FAIL: reboot with a bad magic -> %ld errno %d\n", r, errno);
        return 1;
    }
    errno = 0;
    r = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                0x7777, 0);
    if (r != -1 || errno != EINVAL) {
        printf("FAIL: reboot with a bad command -> %ld errno %d\n", r, errno);
        return 1;
    }
    if (argc > 1 && !strcmp(argv[1], "poweroff")) {
        printf("powering off\n");
        fflush(stdout);
        syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                LINUX_REBOOT_CMD_POWER_OFF, 0);
        printf("FAIL: reboot(POWER_OFF) returned, errno %d\n", errno);
        return 1;
    }
    printf("reboot ok\n");
    return 0;
}
