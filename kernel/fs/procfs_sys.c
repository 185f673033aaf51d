/*
 * The system-wide files of /proc, in the formats of Linux 6.1: meminfo,
 * cpuinfo, stat, uptime, loadavg, version, cmdline, filesystems, the
 * mounts (also /proc/PID/mounts and mountinfo), the self and
 * thread-self links, and the sysctls under sys/: kernel/{ostype,
 * osrelease,version,hostname,domainname,pid_max,ngroups_max,random} and
 * fs/{epoll/max_user_watches,nr_open,pipe-max-size}.
 *
 * The figures Trellis does not keep are 0 (context switches,
 * interrupts, the page cache, which it does not have: tmpfs pages are
 * shown as Shmem and Cached as in Linux).  The load averages and the
 * runnable tasks come from the scheduling policy (sched/sched.h).
 */
#include <frame/boot.h>
#include <frame/cpu.h>
#include <frame/heap.h>
#include <frame/mm.h>
#include <frame/timer.h>
#include <libs/fmt.h>
#include <libs/string.h>
#include <linux/mount.h>
#include <linux/time.h>
#include "fs/eventpoll.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "fs/internal.h"
#include "fs/procfs.h"
#include "process/process.h"
#include "process/uts.h"
#include "random/random.h"
#include "sched/sched.h"
#include "time/clock.h"

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_TICK 10000000ULL /* USER_HZ 100 */
#define KB(pages) ((unsigned long long)(pages) * (FR_PAGE_SIZE / 1024))
/* Linux x86-64's vmalloc area, in kB */
#define VMALLOC_TOTAL_KB 34359738367ULL

/* Linux's fixed point of the load averages, and the half hundredth
 * added before they are printed. */
#define LOADAVG_SHIFT 11
#define LOADAVG_ONE (1ULL << LOADAVG_SHIFT)
#define LOADAVG_ROUND (LOADAVG_ONE / 200)

/* ---- shared figures ---- */

/* The processor time used by every process so far, in ns. */
static void cpu_busy(uint64_t *user, uint64_t *sys)
{
	uint64_t u, s;

	*user = *sys = 0;
	fr_mutex_lock(&process_tree_lock);
	for (struct process *p = process_first(); p; p = p->next_all) {
		struct cputime c;

		process_cputime(p, &c);
		*user += c.user_ns;
		*sys += c.sys_ns;
		process_attrs_children_time(&p->attrs, &u, &s);
		*user += u;
		*sys += s;
	}
	fr_mutex_unlock(&process_tree_lock);
}

/* The threads, and the resident private pages of the processes. */
static void process_totals(unsigned *threads, uint64_t *anon)
{
	*threads = 0;
	*anon = 0;
	fr_mutex_lock(&process_tree_lock);
	for (struct process *p = process_first(); p; p = p->next_all) {
		*threads += (unsigned)p->thread_count;
		if (p->mm)
			*anon += p->mm->map.resident -
				 p->mm->map.resident_shared;
	}
	fr_mutex_unlock(&process_tree_lock);
}

/* The pages tmpfs file systems hold. */
static uint64_t shmem_pages(void)
{
	uint64_t pages = 0;

	fr_mutex_lock(&vfs_ns_lock);
	for (struct mount *m = vfs_mounts(); m; m = m->next) {
		bool seen = false;

		if (m->sb->type != &tmpfs_type)
			continue;
		for (struct mount *o = vfs_mounts(); o != m; o = o->next)
			seen |= o->sb == m->sb;
		if (!seen)
			pages += m->sb->blocks_used;
	}
	fr_mutex_unlock(&vfs_ns_lock);
	return pages;
}

/* ---- meminfo ---- */

static void kb_line(struct proc_text *t, const char *name,
		    unsigned long long kb)
{
	proc_printf(t, "%-16s%8llu kB\n", name, kb);
}

static int show_meminfo(struct proc_text *t, int pid)
{
	struct fr_mem_stats mem;
	uint64_t anon, shmem = shmem_pages(), used, kernel;
	unsigned threads;

	fr_mem_stats(&mem);
	process_totals(&threads, &anon);
	used = mem.total - FR_MIN(mem.free, mem.total);
	anon = FR_MIN(anon, used);
	shmem = FR_MIN(shmem, used - anon);
	kernel = used - anon - shmem;
	kb_line(t, "MemTotal:", KB(mem.total));
	kb_line(t, "MemFree:", KB(mem.free));
	kb_line(t, "MemAvailable:", KB(mem.free));
	kb_line(t, "Buffers:", 0);
	kb_line(t, "Cached:", KB(shmem));
	kb_line(t, "SwapCached:", 0);
	kb_line(t, "Active:", KB(anon + shmem));
	kb_line(t, "Inactive:", 0);
	kb_line(t, "Active(anon):", KB(anon + shmem));
	kb_line(t, "Inactive(anon):", 0);
	kb_line(t, "Active(file):", 0);
	kb_line(t, "Inactive(file):", 0);
	kb_line(t, "Unevictable:", 0);
	kb_line(t, "Mlocked:", 0);
	kb_line(t, "SwapTotal:", 0);
	kb_line(t, "SwapFree:", 0);
	kb_line(t, "Zswap:", 0);
	kb_line(t, "Zswapped:", 0);
	kb_line(t, "Dirty:", 0);
	kb_line(t, "Writeback:", 0);
	kb_line(t, "AnonPages:", KB(anon));
	kb_line(t, "Mapped:", 0);
	kb_line(t, "Shmem:", KB(shmem));
	kb_line(t, "KReclaimable:", 0);
	kb_line(t, "Slab:", KB(kernel));
	kb_line(t, "SReclaimable:", 0);
	kb_line(t, "SUnreclaim:", KB(kernel));
	kb_line(t, "KernelStack:", 0);
	kb_line(t, "PageTables:", 0);
	kb_line(t, "NFS_Unstable:", 0);
	kb_line(t, "Bounce:", 0);
	kb_line(t, "WritebackTmp:", 0);
	kb_line(t, "CommitLimit:", KB(mem.total / 2));
	kb_line(t, "Committed_AS:", KB(anon + shmem));
	kb_line(t, "VmallocTotal:", VMALLOC_TOTAL_KB);
	kb_line(t, "VmallocUsed:", 0);
	kb_line(t, "VmallocChunk:", 0);
	kb_line(t, "Percpu:", 0);
	proc_puts(t, "HardwareCorrupted:     0 kB\n");
	kb_line(t, "AnonHugePages:", 0);
	kb_line(t, "ShmemHugePages:", 0);
	kb_line(t, "ShmemPmdMapped:", 0);
	kb_line(t, "FileHugePages:", 0);
	kb_line(t, "FilePmdMapped:", 0);
	proc_puts(t, "HugePages_Total:       0\n"
		     "HugePages_Free:        0\n"
		     "HugePages_Rsvd:        0\n"
		     "HugePages_Surp:        0\n");
	kb_line(t, "Hugepagesize:", 2048);
	kb_line(t, "Hugetlb:", 0);
	kb_line(t, "DirectMap4k:", KB(mem.total + mem.reserved));
	kb_line(t, "DirectMap2M:", 0);
	kb_line(t, "DirectMap1G:", 0);
	return 0;
}

/* ---- cpuinfo ---- */

/* The names Linux gives the bits of CPUID leaf 1's EDX. */
static const char *const edx_flags[32] = {
	"fpu",	 "vme",	 "de",	   "pse",  "tsc",  "msr",   "pae",  "mce",
	"cx8",	 "apic", NULL,	   "sep",  "mtrr", "pge",   "mca",  "cmov",
	"pat",	 "pse36", "pn",	   "clflush", NULL, "dts",  "acpi", "mmx",
	"fxsr", "sse",	 "sse2",   "ss",   "ht",   "tm",    "ia64", "pbe",
};

static int show_cpuinfo(struct proc_text *t, int pid)
{
	uint64_t edx = fr_cpu_hwcap();
	unsigned n = fr_cpu_count();

	for (unsigned cpu = 0; cpu < n; cpu++) {
		proc_printf(t, "processor\t: %u\n", cpu);
		proc_printf(t, "physical id\t: 0\nsiblings\t: %u\n", n);
		proc_printf(t, "core id\t\t: %u\ncpu cores\t: %u\n", cpu, n);
		proc_printf(t, "apicid\t\t: %u\ninitial apicid\t: %u\n", cpu,
			    cpu);
		proc_printf(t, "fpu\t\t: %s\nfpu_exception\t: %s\n",
			    edx & 1 ? "yes" : "no", edx & 1 ? "yes" : "no");
		proc_puts(t, "wp\t\t: yes\nflags\t\t:");
		for (unsigned i = 0; i < 32; i++)
			if ((edx >> i) & 1 && edx_flags[i])
				proc_printf(t, " %s", edx_flags[i]);
		proc_puts(t, " lm\nclflush size\t: 64\n"
			     "cache_alignment\t: 64\n"
			     "address sizes\t: 48 bits virtual\n"
			     "power management:\n\n");
	}
	return 0;
}

/* ---- stat, uptime, loadavg ---- */

static int show_stat(struct proc_text *t, int pid)
{
	uint64_t user, sys, now = fr_monotonic_ns(), real = 0, busy = 0;
	uint64_t avg[3];
	unsigned n = fr_cpu_count(), threads, running;
	uint64_t total_idle, anon;

	cpu_busy(&user, &sys);
	process_totals(&threads, &anon);
	sched_loadavg(avg, &running);
	total_idle = now * n > user + sys ? now * n - user - sys : 0;
	proc_printf(t, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n",
		    (unsigned long long)(user / NSEC_PER_TICK),
		    (unsigned long long)(sys / NSEC_PER_TICK),
		    (unsigned long long)(total_idle / NSEC_PER_TICK));
	for (unsigned cpu = 0; cpu < n; cpu++)
		busy += sched_cpu_busy_ns(cpu) / NSEC_PER_TICK;
	for (unsigned cpu = 0; cpu < n; cpu++) {
		/*
		 * Each processor's share of the time tasks ran, split between
		 * user and system time as the whole is (which is all that is
		 * kept), the rest idle; in ticks.
		 */
		uint64_t mine = sched_cpu_busy_ns(cpu) / NSEC_PER_TICK;
		uint64_t u = busy ? user / NSEC_PER_TICK * mine / busy : 0;
		uint64_t sy = busy ? sys / NSEC_PER_TICK * mine / busy : 0;
		uint64_t up = now / NSEC_PER_TICK;
		uint64_t idle = up > u + sy ? up - u - sy : 0;

		proc_printf(t, "cpu%u %llu 0 %llu %llu 0 0 0 0 0 0\n", cpu,
			    (unsigned long long)u, (unsigned long long)sy,
			    (unsigned long long)idle);
	}
	if (clock_read(CLOCK_REALTIME, &real))
		real = now;
	proc_printf(t, "intr 0\nctxt 0\nbtime %llu\nprocesses %d\n",
		    (unsigned long long)((real - now) / NSEC_PER_SEC),
		    process_last_pid());
	proc_printf(t, "procs_running %u\nprocs_blocked 0\n"
		       "softirq 0 0 0 0 0 0 0 0 0 0 0\n",
		    running ? running : 1);
	return 0;
}

static int show_uptime(struct proc_text *t, int pid)
{
	uint64_t now = fr_monotonic_ns(), user, sys, idle;

	cpu_busy(&user, &sys);
	idle = now * fr_cpu_count();
	idle = idle > user + sys ? idle - user - sys : 0;
	proc_printf(t, "%llu.%02llu %llu.%02llu\n",
		    (unsigned long long)(now / NSEC_PER_SEC),
		    (unsigned long long)(now % NSEC_PER_SEC / NSEC_PER_TICK),
		    (unsigned long long)(idle / NSEC_PER_SEC),
		    (unsigned long long)(idle % NSEC_PER_SEC / NSEC_PER_TICK));
	return 0;
}

/*
 * As Linux's loadavg_proc_show(): the averages rounded to hundredths, the
 * tasks runnable now over all threads, the last pid given.
 */
static int show_loadavg(struct proc_text *t, int pid)
{
	uint64_t avg[3], anon;
	unsigned threads, running;

	process_totals(&threads, &anon);
	sched_loadavg(avg, &running);
	for (int i = 0; i < 3; i++) {
		uint64_t a = avg[i] + LOADAVG_ROUND;

		proc_printf(t, "%llu.%02llu ",
			    (unsigned long long)(a >> LOADAVG_SHIFT),
			    (unsigned long long)(((a & (LOADAVG_ONE - 1)) *
						  100) >> LOADAVG_SHIFT));
	}
	/* the reader itself runs */
	proc_printf(t, "%u/%u %d\n", running ? running : 1, threads,
		    process_last_pid());
	return 0;
}

/* ---- version, cmdline, filesystems ---- */

static int show_version(struct proc_text *t, int pid)
{
	proc_puts(t, UTS_SYSNAME " version " UTS_RELEASE " (trellis@trellis"
			     ") (gcc) " UTS_VERSION "\n");
	return 0;
}

static int show_cmdline(struct proc_text *t, int pid)
{
	proc_printf(t, "%s\n", fr_boot_cmdline());
	return 0;
}

static int show_filesystems(struct proc_text *t, int pid)
{
	const struct fs_type *type;

	for (size_t i = 0; (type = vfs_fs_type_at(i)); i++)
		proc_printf(t, "%s\t%s\n", type->nodev ? "nodev" : "",
			    type->name);
	return 0;
}

/* ---- mounts ---- */

/* @s with space, tab, newline and backslash as octal escapes (mangle). */
static void put_mangled(struct proc_text *t, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			proc_printf(t, "\\%03o", (unsigned)(unsigned char)*s);
		else
			proc_write(t, s, 1);
	}
}

/* The options of MS_* flags @f: "rw" or "ro", then the others. */
static void put_mount_flags(struct proc_text *t, unsigned long f)
{
	proc_puts(t, f & MS_RDONLY ? "ro" : "rw");
	if (f & MS_NOSUID)
		proc_puts(t, ",nosuid");
	if (f & MS_NODEV)
		proc_puts(t, ",nodev");
	if (f & MS_NOEXEC)
		proc_puts(t, ",noexec");
	proc_puts(t, f & MS_NOATIME ? ",noatime" : ",relatime");
}

/* A line of /proc/mounts: source, place, type, options of both levels. */
static void put_mount(struct proc_text *t, const struct mount *m,
		      const char *where)
{
	put_mangled(t, m->source);
	proc_puts(t, " ");
	put_mangled(t, where);
	proc_printf(t, " %s ", m->sb->type->name);
	put_mount_flags(t, m->flags | m->sb->flags);
	proc_puts(t, " 0 0\n");
}

/*
 * A line of /proc/PID/mountinfo, as Linux's: ids of the mount and its
 * parent (itself for the root), the file system's device, the root of
 * the mount in it ("/": there are no bind mounts), the place, the
 * mount's options, no optional fields, then the type, the source and
 * the file system's options.
 */
static void put_mountinfo(struct proc_text *t, const struct mount *m,
			  const char *where)
{
	proc_printf(t, "%d %d %u:%u / ", m->id, m->parent->id,
		    VFS_MAJOR(m->sb->dev), VFS_MINOR(m->sb->dev));
	put_mangled(t, where);
	proc_puts(t, " ");
	put_mount_flags(t, m->flags);
	proc_printf(t, " - %s ", m->sb->type->name);
	put_mangled(t, m->source);
	proc_puts(t, m->sb->flags & MS_RDONLY ? " ro\n" : " rw\n");
}

/* Every mount, in mount order, as @put writes it. */
static int show_each_mount(struct proc_text *t,
			   void (*put)(struct proc_text *t,
				       const struct mount *m,
				       const char *where))
{
	struct path *roots;
	char *where;
	size_t n = 0, i = 0;

	fr_mutex_lock(&vfs_ns_lock);
	for (struct mount *m = vfs_mounts(); m; m = m->next)
		n++;
	roots = FR_NEW_ARRAY(struct path, n ? n : 1);
	for (struct mount *m = vfs_mounts(); roots && m; m = m->next) {
		roots[i] = (struct path){ m, m->root };
		path_get(&roots[i++]);
	}
	fr_mutex_unlock(&vfs_ns_lock);
	where = FR_NEW_ARRAY(char, VFS_PATH_MAX);
	for (size_t k = 0; k < i; k++) {
		/* a mount's root names its mount point */
		if (where && vfs_path_name(&roots[k], where, VFS_PATH_MAX) >= 0)
			put(t, roots[k].mnt, where);
		path_put(&roots[k]);
	}
	fr_kfree(where);
	fr_kfree(roots);
	return roots && where ? 0 : -ENOMEM;
}

int proc_show_mounts(struct proc_text *t, int pid)
{
	return show_each_mount(t, put_mount);
}

int proc_show_mountinfo(struct proc_text *t, int pid)
{
	return show_each_mount(t, put_mountinfo);
}

/* ---- links ---- */

static int self_readlink(int pid, int num, char *buf, size_t size)
{
	struct process *p = current_process();
	char name[16];

	if (!p)
		return -ENOENT;
	str_format(name, sizeof(name), "%d", p->pid);
	return proc_link_text(name, buf, size);
}

static int thread_self_readlink(int pid, int num, char *buf, size_t size)
{
	struct thread *th = current_thread();
	char name[32];

	if (!th)
		return -ENOENT;
	str_format(name, sizeof(name), "%d/task/%d", th->proc->pid, th->tid);
	return proc_link_text(name, buf, size);
}

static int mounts_readlink(int pid, int num, char *buf, size_t size)
{
	return proc_link_text("self/mounts", buf, size);
}

/* ---- sys/kernel ---- */

static int show_ostype(struct proc_text *t, int pid)
{
	proc_puts(t, UTS_SYSNAME "\n");
	return 0;
}

static int show_osrelease(struct proc_text *t, int pid)
{
	proc_puts(t, UTS_RELEASE "\n");
	return 0;
}

static int show_kernel_version(struct proc_text *t, int pid)
{
	proc_puts(t, UTS_VERSION "\n");
	return 0;
}

static int show_hostname(struct proc_text *t, int pid)
{
	struct new_utsname u;

	uts_read(&u);
	proc_printf(t, "%s\n", u.nodename);
	return 0;
}

static int show_domainname(struct proc_text *t, int pid)
{
	struct new_utsname u;

	uts_read(&u);
	proc_printf(t, "%s\n", u.domainname);
	return 0;
}

/*
 * A string written to a sysctl: up to its first newline, and no more
 * than __NEW_UTS_LEN bytes (Linux's proc_dostring truncates).
 */
static size_t sysctl_string_len(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	if (nl)
		len = (size_t)(nl - buf);
	return len > __NEW_UTS_LEN ? __NEW_UTS_LEN : len;
}

static int store_hostname(int pid, const char *buf, size_t len)
{
	return uts_set_hostname(buf, sysctl_string_len(buf, len));
}

static int store_domainname(int pid, const char *buf, size_t len)
{
	return uts_set_domainname(buf, sysctl_string_len(buf, len));
}

/* The number sysctls: their values through the services that keep them
 * (each setter checks its range: -EINVAL). */
static int64_t get_pid_max(void)
{
	return process_pid_max();
}

static int set_pid_max(int64_t v)
{
	return v > INT32_MAX ? -EINVAL : process_set_pid_max((int)v);
}

static int64_t get_ngroups_max(void)
{
	return CRED_NGROUPS_MAX;
}

static int64_t get_max_user_watches(void)
{
	return eventpoll_max_user_watches();
}

static int set_max_user_watches(int64_t v)
{
	return eventpoll_set_max_user_watches(v);
}

static int64_t get_pipe_max_size(void)
{
	return pipe_max_size();
}

static int set_pipe_max_size(int64_t v)
{
	return v < 0 ? -EINVAL : pipe_set_max_size((uint64_t)v);
}

static int64_t get_nr_open(void)
{
	return process_nr_open();
}

static int set_nr_open(int64_t v)
{
	return v < 0 ? -EINVAL : process_set_nr_open((uint64_t)v);
}

/* ---- sys/kernel/random ---- */

/* A random (version 4) UUID, as Linux's generate_random_uuid(). */
static void put_uuid(struct proc_text *t, const uint8_t u[16])
{
	for (int i = 0; i < 16; i++)
		proc_printf(t, "%s%02x",
			    i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
			    u[i]);
	proc_puts(t, "\n");
}

static void random_uuid(uint8_t u[16])
{
	random_get_bytes(u, 16);
	u[6] = (u[6] & 0x0f) | 0x40; /* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80; /* RFC 4122 variant */
}

static int show_uuid(struct proc_text *t, int pid)
{
	uint8_t u[16];

	random_uuid(u);
	put_uuid(t, u);
	return 0;
}

/* The same UUID for the whole boot, made at its first read. */
static int show_boot_id(struct proc_text *t, int pid)
{
	static uint8_t boot_id[16];
	static bool made; /* [boot_id_lock] */
	static struct fr_spinlock boot_id_lock = FR_SPINLOCK_INIT;
	uint8_t fresh[16], u[16];
	unsigned long irq;

	random_uuid(fresh);
	irq = fr_spin_lock_irqsave(&boot_id_lock);
	if (!made)
		memcpy(boot_id, fresh, sizeof(boot_id));
	made = true;
	memcpy(u, boot_id, sizeof(u));
	fr_spin_unlock_irqrestore(&boot_id_lock, irq);
	put_uuid(t, u);
	return 0;
}

/* The pool is ready from its first use (random/random.h): Linux 6.1's
 * 256 bits, all of them credited. */
static int64_t get_pool_bits(void)
{
	return 256;
}

static const struct proc_entry sys_kernel_random_entries[] = {
	{ .name = "boot_id", .mode = S_IFREG | 0444, .show = show_boot_id },
	{ .name = "entropy_avail",
	  .mode = S_IFREG | 0444,
	  .num_get = get_pool_bits },
	{ .name = "poolsize", .mode = S_IFREG | 0444, .num_get = get_pool_bits },
	{ .name = "uuid", .mode = S_IFREG | 0444, .show = show_uuid },
};

static const struct proc_entry sys_kernel_entries[] = {
	{ .name = "domainname",
	  .mode = S_IFREG | 0644,
	  .show = show_domainname,
	  .store = store_domainname },
	{ .name = "hostname",
	  .mode = S_IFREG | 0644,
	  .show = show_hostname,
	  .store = store_hostname },
	{ .name = "ngroups_max",
	  .mode = S_IFREG | 0444,
	  .num_get = get_ngroups_max },
	{ .name = "osrelease", .mode = S_IFREG | 0444, .show = show_osrelease },
	{ .name = "ostype", .mode = S_IFREG | 0444, .show = show_ostype },
	{ .name = "pid_max",
	  .mode = S_IFREG | 0644,
	  .num_get = get_pid_max,
	  .num_set = set_pid_max },
	{ .name = "random",
	  .mode = S_IFDIR | 0555,
	  .children = sys_kernel_random_entries,
	  .nchildren = FR_ARRAY_SIZE(sys_kernel_random_entries) },
	{ .name = "version",
	  .mode = S_IFREG | 0444,
	  .show = show_kernel_version },
};

/* ---- sys/fs ---- */

static const struct proc_entry sys_fs_epoll_entries[] = {
	{ .name = "max_user_watches",
	  .mode = S_IFREG | 0644,
	  .num_get = get_max_user_watches,
	  .num_set = set_max_user_watches },
};

static const struct proc_entry sys_fs_entries[] = {
	{ .name = "epoll",
	  .mode = S_IFDIR | 0555,
	  .children = sys_fs_epoll_entries,
	  .nchildren = FR_ARRAY_SIZE(sys_fs_epoll_entries) },
	{ .name = "nr_open",
	  .mode = S_IFREG | 0644,
	  .num_get = get_nr_open,
	  .num_set = set_nr_open },
	{ .name = "pipe-max-size",
	  .mode = S_IFREG | 0644,
	  .num_get = get_pipe_max_size,
	  .num_set = set_pipe_max_size },
};

static const struct proc_entry sys_entries[] = {
	{ .name = "fs",
	  .mode = S_IFDIR | 0555,
	  .children = sys_fs_entries,
	  .nchildren = FR_ARRAY_SIZE(sys_fs_entries) },
	{ .name = "kernel",
	  .mode = S_IFDIR | 0555,
	  .children = sys_kernel_entries,
	  .nchildren = FR_ARRAY_SIZE(sys_kernel_entries) },
};

const struct proc_entry proc_root_entries[] = {
	{ .name = "self", .mode = S_IFLNK | 0777, .readlink = self_readlink },
	{ .name = "thread-self",
	  .mode = S_IFLNK | 0777,
	  .readlink = thread_self_readlink },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = show_cmdline },
	{ .name = "cpuinfo", .mode = S_IFREG | 0444, .show = show_cpuinfo },
	{ .name = "filesystems",
	  .mode = S_IFREG | 0444,
	  .show = show_filesystems },
	{ .name = "loadavg", .mode = S_IFREG | 0444, .show = show_loadavg },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = show_meminfo },
	{ .name = "mounts", .mode = S_IFLNK | 0777, .readlink = mounts_readlink },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = show_stat },
	{ .name = "sys",
	  .mode = S_IFDIR | 0555,
	  .children = sys_entries,
	  .nchildren = FR_ARRAY_SIZE(sys_entries) },
	{ .name = "uptime", .mode = S_IFREG | 0444, .show = show_uptime },
	{ .name = "version", .mode = S_IFREG | 0444, .show = show_version },
};

const size_t proc_root_nentries = FR_ARRAY_SIZE(proc_root_entries);
