/*
 * The vDSO: user-mode code that the frame maps into every process (see
 * <frame/vdso.h>), built as a shared object of its own (vdso.lds) and
 * embedded in the kernel image.  It exports Linux's x86-64 vDSO symbols
 * with version LINUX_2.6, which the C libraries look up:
 *
 *   __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time: the clocks
 *     from the TSC and the data page the frame keeps ([vvar], just below
 *     the code, vdso_data.h), read under its sequence count;
 *   __vdso_clock_getres: the resolutions the data page gives;
 *   __vdso_getcpu: the CPU's number, the limit of the SEL_CPUNODE segment
 *     (LSL, as Linux does), node 0.
 *
 * A clock it does not compute (the CPU-time clocks, the alarm clocks,
 * bad ids), a time zone to return, or a data page that says the TSC is
 * not the clock, go to the real system call.  It computes exactly what
 * the kernel's clock_gettime does, with the same arithmetic (time_math.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd_64.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include "arch.h"
#include "time_math.h"
#include "vdso_data.h"

/* The exported functions; everything else is hidden (-fvisibility). */
#define VDSO_EXPORT __attribute__((visibility("default")))

/* The data page, placed by vdso.lds right below the first code page. */
extern const struct vdso_data vvar __attribute__((visibility("hidden")));

static long sys2(long nr, long a, long b)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b)
			 : "rcx", "r11", "memory");
	return ret;
}

static uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Which clocks are computed here, and how. */
enum kind { KIND_NONE, KIND_MONO, KIND_REAL, KIND_MONO_COARSE,
	    KIND_REAL_COARSE };

static enum kind kind_of(long clock)
{
	switch (clock) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME: /* the machine never suspends */
		return KIND_MONO;
	case CLOCK_REALTIME:
	case CLOCK_TAI: /* no leap-second offset */
		return KIND_REAL;
	case CLOCK_MONOTONIC_COARSE:
		return KIND_MONO_COARSE;
	case CLOCK_REALTIME_COARSE:
		return KIND_REAL_COARSE;
	default:
		return KIND_NONE;
	}
}

/* The time of a clock of @kind in ns; false to make the system call. */
static bool read_clock(enum kind kind, uint64_t *out)
{
	for (;;) {
		uint32_t seq = __atomic_load_n(&vvar.seq, __ATOMIC_ACQUIRE);
		uint64_t base, mult, tick, t, ns;
		int64_t off;

		if (seq & 1) {
			cpu_relax();
			continue;
		}
		if (__atomic_load_n(&vvar.clock_mode, __ATOMIC_RELAXED) !=
		    VDSO_CLOCK_TSC)
			return false;
		base = __atomic_load_n(&vvar.tsc_base, __ATOMIC_RELAXED);
		mult = __atomic_load_n(&vvar.mult, __ATOMIC_RELAXED);
		tick = __atomic_load_n(&vvar.tick_ns, __ATOMIC_RELAXED);
		off = __atomic_load_n(&vvar.realtime_offset, __ATOMIC_RELAXED);
		t = rdtsc_ordered();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&vvar.seq, __ATOMIC_RELAXED) != seq)
			continue;
		ns = time_scale(t > base ? t - base : 0, mult);
		if (kind == KIND_MONO_COARSE || kind == KIND_REAL_COARSE)
			ns -= ns % tick;
		if (kind == KIND_REAL || kind == KIND_REAL_COARSE)
			ns += (uint64_t)off;
		*out = ns;
		return true;
	}
}

VDSO_EXPORT int __vdso_clock_gettime(long clock, struct __kernel_timespec *ts);
int __vdso_clock_gettime(long clock, struct __kernel_timespec *ts)
{
	enum kind kind = kind_of(clock);
	uint64_t ns;

	if (kind == KIND_NONE || !read_clock(kind, &ns))
		return (int)sys2(__NR_clock_gettime, clock, (long)ts);
	ts->tv_sec = (long long)(ns / TIME_NS_PER_SEC);
	ts->tv_nsec = (long long)(ns % TIME_NS_PER_SEC);
	return 0;
}

VDSO_EXPORT int __vdso_gettimeofday(struct __kernel_old_timeval *tv,
				    struct timezone *tz);
int __vdso_gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz)
{
	uint64_t ns;

	/* the time zone is the kernel's: ask it */
	if (tz || !read_clock(KIND_REAL, &ns))
		return (int)sys2(__NR_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		tv->tv_sec = (long)(ns / TIME_NS_PER_SEC);
		tv->tv_usec = (long)(ns % TIME_NS_PER_SEC / 1000);
	}
	return 0;
}

VDSO_EXPORT long __vdso_time(long *t);
long __vdso_time(long *t)
{
	uint64_t ns;
	long sec;

	if (!read_clock(KIND_REAL, &ns))
		return sys2(__NR_time, (long)t, 0);
	sec = (long)(ns / TIME_NS_PER_SEC);
	if (t)
		*t = sec;
	return sec;
}

VDSO_EXPORT int __vdso_clock_getres(long clock, struct __kernel_timespec *res);
int __vdso_clock_getres(long clock, struct __kernel_timespec *res)
{
	enum kind kind = kind_of(clock);
	uint64_t ns;

	if (kind == KIND_NONE)
		return (int)sys2(__NR_clock_getres, clock, (long)res);
	for (;;) {
		uint32_t seq = __atomic_load_n(&vvar.seq, __ATOMIC_ACQUIRE);

		if (seq & 1) {
			cpu_relax();
			continue;
		}
		ns = kind == KIND_MONO || kind == KIND_REAL ?
			     __atomic_load_n(&vvar.hres_ns, __ATOMIC_RELAXED) :
			     __atomic_load_n(&vvar.tick_ns, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&vvar.seq, __ATOMIC_RELAXED) == seq)
			break;
	}
	if (res) {
		res->tv_sec = (long long)(ns / TIME_NS_PER_SEC);
		res->tv_nsec = (long long)(ns % TIME_NS_PER_SEC);
	}
	return 0;
}

VDSO_EXPORT long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused);
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	unsigned p;

	(void)unused;
	__asm__ volatile("lsl %1, %0" : "=r"(p) : "r"((unsigned)SEL_CPUNODE));
	if (cpu)
		*cpu = p & 0xfff;
	if (node)
		*node = p >> 12;
	return 0;
}

/* The names without the prefix, as Linux's vDSO has them too. */
VDSO_EXPORT int clock_gettime(long clock, struct __kernel_timespec *ts)
	__attribute__((weak, alias("__vdso_clock_gettime")));
VDSO_EXPORT int gettimeofday(struct __kernel_old_timeval *tv,
			     struct timezone *tz)
	__attribute__((weak, alias("__vdso_gettimeofday")));
VDSO_EXPORT long time(long *t) __attribute__((weak, alias("__vdso_time")));
VDSO_EXPORT int clock_getres(long clock, struct __kernel_timespec *res)
	__attribute__((weak, alias("__vdso_clock_getres")));
VDSO_EXPORT long getcpu(unsigned *cpu, unsigned *node, void *unused)
	__attribute__((weak, alias("__vdso_getcpu")));

/* The note the C libraries read the kernel's version from (6.1.0). */
static const struct {
	uint32_t namesz, descsz, type;
	char name[8];
	uint32_t version;
} linux_note __attribute__((section(".note.Linux"), aligned(4), used)) = {
	6, 4, 0, "Linux", 0x060100,
};

