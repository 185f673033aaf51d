/*
 * System-wide calls: uname and reboot.
 */
#include <frame/power.h>
#include <libs/string.h>
#include <linux/reboot.h>
#include <linux/utsname.h>
#include "syscall/syscall.h"

long sys_uname(const struct syscall_args *a)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	str_copy(u.sysname, "Linux", sizeof(u.sysname));
	str_copy(u.nodename, "trellis", sizeof(u.nodename));
	str_copy(u.release, "6.1.0-trellis", sizeof(u.release));
	str_copy(u.version, "#1 SMP Trellis", sizeof(u.version));
	str_copy(u.machine, "x86_64", sizeof(u.machine));
	str_copy(u.domainname, "(none)", sizeof(u.domainname));
	return FR_PUT_USER(u, fr_uaddr(a->arg[0])) ? -EFAULT : 0;
}

long sys_reboot(const struct syscall_args *a)
{
	if ((uint32_t)a->arg[0] != LINUX_REBOOT_MAGIC1 ||
	    ((uint32_t)a->arg[1] != LINUX_REBOOT_MAGIC2 &&
	     (uint32_t)a->arg[1] != LINUX_REBOOT_MAGIC2A &&
	     (uint32_t)a->arg[1] != LINUX_REBOOT_MAGIC2B &&
	     (uint32_t)a->arg[1] != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch ((uint32_t)a->arg[2]) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:
		fr_poweroff(0);
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}
