/*
 * System and per-process information and controls: uname, sethostname,
 * setdomainname, personality, reboot, sysinfo, getcpu, getrandom, prctl, the resource
 * limits (getrlimit, setrlimit, prlimit64), and the processor times:
 * getrusage and times.
 */
#include <frame/cpu.h>
#include <frame/mm.h>
#include <frame/power.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <frame/vm.h>
#include <libs/string.h>
#include <linux/capability.h>
#include <linux/prctl.h>
#include <linux/random.h>
#include <linux/reboot.h>
#include <linux/sysinfo.h>
#include <linux/times.h>
#include <linux/utsname.h>
#include "syscall/syscall.h"
#include "process/process.h"
#include "process/uts.h"
#include "random/random.h"

#define NSEC_PER_SEC 1000000000ULL
/* The most one read or write moves (Linux's MAX_RW_COUNT). */
#define MAX_RW_COUNT (0x7fffffffUL & ~(FR_PAGE_SIZE - 1))

long sys_uname(const struct syscall_args *a)
{
	struct new_utsname u;

	uts_read(&u);
	return FR_PUT_USER(u, fr_uaddr(a->arg[0])) ? -EFAULT : 0;
}

/*
 * personality(2): 0xffffffff only asks; any other value is taken as is,
 * as Linux does.  Returns the one before.
 */
long sys_personality(const struct syscall_args *a)
{
	struct process_attrs *pa = &current_process()->attrs;
	unsigned want = (unsigned)a->arg[0];
	unsigned old = (unsigned)process_attrs_get(pa, PROCESS_PERSONALITY);

	if (want != 0xffffffffu)
		process_attrs_set(pa, PROCESS_PERSONALITY, (int)want);
	return old;
}

/*
 * sethostname and setdomainname: CAP_SYS_ADMIN (-EPERM), then the length
 * (-EINVAL above __NEW_UTS_LEN), then the name (-EFAULT), as Linux.
 */
static long set_uts_name(const struct syscall_args *a,
			 int (*set)(const char *name, size_t len))
{
	char name[__NEW_UTS_LEN];
	int64_t len = (int)a->arg[1];

	if (!process_attrs_privileged(&current_process()->attrs))
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (fr_copy_from_user(name, fr_uaddr(a->arg[0]), (size_t)len))
		return -EFAULT;
	return set(name, (size_t)len);
}

long sys_sethostname(const struct syscall_args *a)
{
	return set_uts_name(a, uts_set_hostname);
}

long sys_setdomainname(const struct syscall_args *a)
{
	return set_uts_name(a, uts_set_domainname);
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

long sys_sysinfo(const struct syscall_args *a)
{
	struct fr_mem_stats mem;
	struct sysinfo si;
	uint64_t now = fr_monotonic_ns();

	fr_mem_stats(&mem);
	memset(&si, 0, sizeof(si));
	/*
	 * Whole seconds, rounded up as Linux does.  The clock counts ticks:
	 * the time since boot is a little more than it says, so one more
	 * second is always the rounded-up value (even before the first tick).
	 */
	si.uptime = (long)(now / NSEC_PER_SEC + 1);
	si.totalram = mem.total * FR_PAGE_SIZE;
	si.freeram = mem.free * FR_PAGE_SIZE;
	si.procs = (uint16_t)FR_MIN(process_count(), 0xffffu);
	si.mem_unit = 1;
	return FR_PUT_USER(si, fr_uaddr(a->arg[0])) ? -EFAULT : 0;
}

long sys_getcpu(const struct syscall_args *a)
{
	unsigned cpu = fr_cpu_id(), node = 0;

	/* the third argument (a cache) has been unused since Linux 2.6.24 */
	if (a->arg[0] && FR_PUT_USER(cpu, fr_uaddr(a->arg[0])))
		return -EFAULT;
	if (a->arg[1] && FR_PUT_USER(node, fr_uaddr(a->arg[1])))
		return -EFAULT;
	return 0;
}

/*
 * Copy @len (<= a block) random bytes to user @dst in pieces that do not
 * cross a page, so that the count stops exactly where memory does.
 * Returns the bytes copied.
 */
static size_t copy_random(uint64_t dst, const uint8_t *src, size_t len)
{
	size_t done = 0;

	while (done < len) {
		uint64_t at = dst + done;
		size_t n = FR_MIN(len - done,
				  FR_PAGE_SIZE - (at & (FR_PAGE_SIZE - 1)));

		if (fr_copy_to_user(fr_uaddr(at), src + done, n))
			break;
		done += n;
	}
	return done;
}

/*
 * getrandom(2): the generator is seeded at its first use and never
 * blocks, so GRND_NONBLOCK and GRND_RANDOM change nothing and
 * GRND_INSECURE gives the same bytes.  As Linux: at most MAX_RW_COUNT
 * bytes, a partial count when memory or a signal stops the copy.
 */
long sys_getrandom(const struct syscall_args *a)
{
	uint64_t buf = a->arg[0];
	size_t len = a->arg[1], done = 0;
	unsigned flags = (unsigned)a->arg[2];
	uint8_t block[CHACHA20_BLOCK_SIZE];
	struct random_stream s;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_RANDOM | GRND_INSECURE)) ==
	    (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	len = FR_MIN(len, MAX_RW_COUNT);
	if (!len)
		return 0;
	if (buf >= FR_USER_END || len > FR_USER_END - buf)
		return -EFAULT;
	random_stream_open(&s);
	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(block)), copied;

		random_stream_next(&s, block);
		copied = copy_random(buf + done, block, n);
		done += copied;
		if (copied < n)
			break;
		if (done % FR_PAGE_SIZE == 0) {
			if (thread_interrupted())
				break;
			if (fr_task_need_resched())
				fr_task_yield();
		}
	}
	random_stream_close(&s);
	memset(block, 0, sizeof(block));
	return done ? (long)done : -EFAULT;
}

/* PR_SET_NAME: at most 15 bytes of the string, read one at a time. */
static long set_name(struct process *p, uint64_t src)
{
	char name[sizeof(p->comm)];

	memset(name, 0, sizeof(name));
	for (size_t i = 0; i < sizeof(name) - 1; i++) {
		if (FR_GET_USER(name[i], fr_uaddr(src + i)))
			return -EFAULT;
		if (!name[i])
			break;
	}
	memcpy(p->comm, name, sizeof(p->comm));
	return 0;
}

/*
 * prctl(2), the options about the process itself.  The parent-death
 * signal and the subreaper flag are stored here; the signal and process
 * code acts on them.
 */
long sys_prctl(const struct syscall_args *a)
{
	struct process *p = current_process();
	struct process_attrs *pa = &p->attrs;
	uint64_t arg2 = a->arg[1];
	int v;

	switch ((int)a->arg[0]) {
	case PR_SET_NAME:
		return set_name(p, arg2);
	case PR_GET_NAME:
		return fr_copy_to_user(fr_uaddr(arg2), p->comm,
				       sizeof(p->comm)) ? -EFAULT : 0;
	case PR_SET_PDEATHSIG:
		if (arg2 > 64) /* _NSIG */
			return -EINVAL;
		process_attrs_set(pa, PROCESS_PDEATHSIG, (int)arg2);
		return 0;
	case PR_GET_PDEATHSIG:
		v = process_attrs_get(pa, PROCESS_PDEATHSIG);
		return FR_PUT_USER(v, fr_uaddr(arg2)) ? -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return process_attrs_get(pa, PROCESS_DUMPABLE);
	case PR_SET_DUMPABLE:
		if (arg2 != ATTRS_DUMP_DISABLE && arg2 != ATTRS_DUMP_USER)
			return -EINVAL;
		process_attrs_set(pa, PROCESS_DUMPABLE, (int)arg2);
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || a->arg[2] || a->arg[3] || a->arg[4])
			return -EINVAL;
		process_attrs_set(pa, PROCESS_NO_NEW_PRIVS, 1);
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || a->arg[2] || a->arg[3] || a->arg[4])
			return -EINVAL;
		return process_attrs_get(pa, PROCESS_NO_NEW_PRIVS);
	case PR_SET_CHILD_SUBREAPER:
		process_attrs_set(pa, PROCESS_CHILD_SUBREAPER, arg2 != 0);
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		v = process_attrs_get(pa, PROCESS_CHILD_SUBREAPER);
		return FR_PUT_USER(v, fr_uaddr(arg2)) ? -EFAULT : 0;
	case PR_GET_KEEPCAPS:
		return process_attrs_get(pa, PROCESS_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		if (arg2 > 1)
			return -EINVAL;
		process_attrs_set(pa, PROCESS_KEEP_CAPS, (int)arg2);
		return 0;
	case PR_CAPBSET_READ:
		/* no capability is ever dropped from the bounding set yet */
		return arg2 <= CAP_LAST_CAP ? 1 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* Whether the calling process may raise hard limits (CAP_SYS_RESOURCE). */
static bool may_raise_limits(struct process_attrs *pa)
{
	return process_attrs_privileged(pa);
}

long sys_getrlimit(const struct syscall_args *a)
{
	struct rlimit64 r;
	struct rlimit out;
	int err = process_attrs_rlimit(&current_process()->attrs,
				       (unsigned)a->arg[0], &r);

	if (err)
		return err;
	out.rlim_cur = r.rlim_cur;
	out.rlim_max = r.rlim_max;
	return FR_PUT_USER(out, fr_uaddr(a->arg[1])) ? -EFAULT : 0;
}

long sys_setrlimit(const struct syscall_args *a)
{
	struct process_attrs *pa = &current_process()->attrs;
	struct rlimit in;
	struct rlimit64 r;

	if (FR_GET_USER(in, fr_uaddr(a->arg[1])))
		return -EFAULT;
	r.rlim_cur = in.rlim_cur;
	r.rlim_max = in.rlim_max;
	return process_attrs_prlimit(pa, (unsigned)a->arg[0], &r, NULL,
				     may_raise_limits(pa));
}

long sys_prlimit64(const struct syscall_args *a)
{
	struct process *self = current_process();
	int pid = (int)a->arg[0];
	unsigned resource = (unsigned)a->arg[1];
	struct rlimit64 new, old;
	bool set = a->arg[2] != 0, get = a->arg[3] != 0;
	int err;

	if (set && FR_GET_USER(new, fr_uaddr(a->arg[2])))
		return -EFAULT;
	if (!pid || pid == self->pid)
		err = process_attrs_prlimit_of(&self->attrs, &self->attrs,
					       resource, set ? &new : NULL,
					       get ? &old : NULL);
	else
		err = process_prlimit(pid, resource, set ? &new : NULL,
				      get ? &old : NULL);
	if (err)
		return err;
	/* as Linux: a new limit stays set even if the old cannot be given */
	return get && FR_PUT_USER(old, fr_uaddr(a->arg[3])) ? -EFAULT : 0;
}

static struct __kernel_old_timeval to_timeval(uint64_t ns)
{
	return (struct __kernel_old_timeval){
		.tv_sec = (long)(ns / NSEC_PER_SEC),
		.tv_usec = (long)(ns % NSEC_PER_SEC / 1000),
	};
}

/*
 * getrusage(2): the processor times (sampled at the timer tick) of the
 * process (every thread it has had), of the calling thread, or of the
 * children it waited for; the other counters are not kept yet and read 0.
 */
long sys_getrusage(const struct syscall_args *a)
{
	struct process *p = current_process();
	struct cputime c;
	struct rusage ru;

	switch ((int)a->arg[0]) {
	case RUSAGE_SELF:
		process_cputime(p, &c);
		break;
	case RUSAGE_THREAD:
		thread_cputime(current_thread(), &c);
		break;
	case RUSAGE_CHILDREN:
		process_attrs_children_time(&p->attrs, &c.user_ns, &c.sys_ns);
		break;
	default:
		return -EINVAL;
	}
	memset(&ru, 0, sizeof(ru));
	ru.ru_utime = to_timeval(c.user_ns);
	ru.ru_stime = to_timeval(c.sys_ns);
	return FR_PUT_USER(ru, fr_uaddr(a->arg[1])) ? -EFAULT : 0;
}

/* Linux's clock_t counts USER_HZ ticks a second, whatever its own HZ. */
#define USER_HZ 100

static __kernel_clock_t to_clock_t(uint64_t ns)
{
	return (__kernel_clock_t)(ns / (NSEC_PER_SEC / USER_HZ));
}

/*
 * times(2): the processor times of the process and of the children it
 * waited for, in clock_t; returns the clock_t ticks since boot (Linux's
 * count starts elsewhere: only differences mean something).
 */
long sys_times(const struct syscall_args *a)
{
	struct process *p = current_process();
	uint64_t child_user, child_sys;
	struct cputime c;
	struct tms t;

	if (a->arg[0]) {
		process_cputime(p, &c);
		process_attrs_children_time(&p->attrs, &child_user,
					    &child_sys);
		t.tms_utime = to_clock_t(c.user_ns);
		t.tms_stime = to_clock_t(c.sys_ns);
		t.tms_cutime = to_clock_t(child_user);
		t.tms_cstime = to_clock_t(child_sys);
		if (FR_PUT_USER(t, fr_uaddr(a->arg[0])))
			return -EFAULT;
	}
	return (long)to_clock_t(fr_monotonic_ns());
}
