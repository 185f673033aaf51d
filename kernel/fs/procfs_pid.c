/*
 * The contents of /proc/PID (and of /proc/PID/task/TID): stat, status,
 * statm, cmdline, environ, comm, maps, the fd/ links and the exe, cwd
 * and root links, in the formats of Linux 6.1's fs/proc/array.c,
 * base.c and task_mmu.c.
 *
 * A number names a process by its pid or by the tid of one of its
 * threads.  The files are the process's, but for what Linux keeps per
 * thread: in task/TID, stat and status show that thread's processor time,
 * state and scheduling (policy, priorities, CPU, allowed CPUs); in PID,
 * the main thread's scheduling and state and the whole process's time.
 * What is read under process_tree_lock is copied out (a snapshot); the
 * address space is kept alive with a reference while its areas and
 * memory are read.
 */
#include <frame/cpu.h>
#include <frame/heap.h>
#include <libs/fmt.h>
#include <libs/string.h>
#include <linux/resource.h>
#include "fs/file.h"
#include "fs/procfs.h"
#include "process/process.h"
#include "sched/sched.h"

#define NSEC_PER_TICK 10000000ULL /* Linux's USER_HZ is 100 */
#define KB(pages) ((pages) * (FR_PAGE_SIZE / 1024))
#define PAGES(bytes) ((bytes) / FR_PAGE_SIZE)
/* Linux 6.1's capability set (CAP_LAST_CAP 40) */
#define CAP_FULL_SET 0x000001ffffffffffULL
/* PF_* flags /proc/PID/stat shows */
#define PF_EXITING 0x00000004
#define PF_FORKNOEXEC 0x00000040
#define PF_RANDOMIZE 0x00400000
#define SIG_IGN_HANDLER 1

/* The process @num names (a pid, or a tid of one of its threads), or
 * NULL.  Context: process_tree_lock held. */
static struct process *find_locked(int num)
{
	struct process *p = process_find(num);
	struct thread *t;

	if (p)
		return p;
	t = thread_find(num);
	return t ? t->proc : NULL;
}

bool proc_pid_alive(int pid, uint32_t *uid, uint32_t *gid)
{
	struct process *p;
	cred_r c;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	if (p && uid) {
		c = process_attrs_cred_lock(&p->attrs);
		*uid = cred_euid(c);
		*gid = cred_egid(c);
		/* a process that may not be dumped is root's (task_dump_owner) */
		if (p->attrs.dumpable != ATTRS_DUMP_USER)
			*uid = *gid = 0;
		process_attrs_cred_unlock(&p->attrs);
	}
	fr_mutex_unlock(&process_tree_lock);
	return p != NULL;
}

bool proc_task_of(int pid, int tid)
{
	struct thread *t;
	bool yes;

	fr_mutex_lock(&process_tree_lock);
	t = thread_find(tid);
	yes = t && t->proc == find_locked(pid);
	fr_mutex_unlock(&process_tree_lock);
	return yes;
}

/* Insert @v into the sorted @out (@n used, room for @max): the @max
 * smallest values are kept. */
static size_t keep_smallest(int *out, size_t n, size_t max, int v)
{
	size_t i;

	if (n == max && v >= out[n - 1])
		return n;
	if (n < max)
		n++;
	for (i = n - 1; i > 0 && out[i - 1] > v; i--)
		out[i] = out[i - 1];
	out[i] = v;
	return n;
}

size_t proc_pid_list(int from, int *out, size_t max)
{
	size_t n = 0;

	fr_mutex_lock(&process_tree_lock);
	for (struct process *p = process_first(); p; p = p->next_all)
		if (p->pid >= from)
			n = keep_smallest(out, n, max, p->pid);
	fr_mutex_unlock(&process_tree_lock);
	return n;
}

size_t proc_task_list(int pid, int from, int *out, size_t max)
{
	struct process *p;
	size_t n = 0;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	for (struct thread *t = p ? p->threads : NULL; t;
	     t = t->next_in_process)
		if (t->tid >= from)
			n = keep_smallest(out, n, max, t->tid);
	fr_mutex_unlock(&process_tree_lock);
	return n;
}

/* ---- open files ---- */

/* @pid's fd table, referenced, or NULL. */
static struct fd_table *files_of(int pid)
{
	struct fd_table *files = NULL;
	struct process *p;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	if (p && p->files) {
		files = p->files;
		fd_table_get(files);
	}
	fr_mutex_unlock(&process_tree_lock);
	return files;
}

/*
 * The file at @fd of @pid, referenced, or NULL; whether the fd has
 * FD_CLOEXEC in *@cloexec (if not NULL).
 */
static struct file *file_of_cloexec(int pid, int fd, bool *cloexec)
{
	struct fd_table *files = files_of(pid);
	struct file *f = NULL;

	if (!files)
		return NULL;
	fr_mutex_lock(&files->lock);
	if (fd >= 0 && fd < files->size && files->files[fd]) {
		f = files->files[fd];
		file_get(f);
		if (cloexec)
			*cloexec = (files->cloexec[fd / 64] >> (fd % 64)) & 1;
	}
	fr_mutex_unlock(&files->lock);
	fd_table_put(files);
	return f;
}

/* The file at @fd of @pid, referenced, or NULL. */
static struct file *file_of(int pid, int fd)
{
	return file_of_cloexec(pid, fd, NULL);
}

size_t proc_fd_list(int pid, int from, int *out, size_t max)
{
	struct fd_table *files = files_of(pid);
	size_t n = 0;

	if (!files)
		return 0;
	fr_mutex_lock(&files->lock);
	for (int fd = from < 0 ? 0 : from; fd < files->size && n < max; fd++)
		if (files->files[fd])
			out[n++] = fd;
	fr_mutex_unlock(&files->lock);
	fd_table_put(files);
	return n;
}

uint32_t proc_fd_mode(int pid, int fd)
{
	struct file *f = file_of(pid, fd);
	uint32_t mode = S_IFLNK;

	if (!f)
		return 0;
	if (f->mode & FMODE_READ)
		mode |= S_IRUSR | S_IXUSR;
	if (f->mode & FMODE_WRITE)
		mode |= S_IWUSR | S_IXUSR;
	file_put(f);
	return mode;
}

/* The name of @p (referenced by the caller) as a link's text. */
static int path_text(const struct path *p, char *buf, size_t size)
{
	char *name = FR_NEW_ARRAY(char, VFS_PATH_MAX);
	int n;

	if (!name)
		return -ENOMEM;
	n = vfs_path_name(p, name, VFS_PATH_MAX);
	if (n >= 0)
		n = proc_link_text(name, buf, size);
	fr_kfree(name);
	return n;
}

int proc_fd_readlink(int pid, int fd, char *buf, size_t size)
{
	struct file *f = file_of(pid, fd);
	char name[48];
	int n;

	if (!f)
		return -ENOENT;
	if (f->path.dentry) {
		n = path_text(&f->path, buf, size);
	} else {
		uint32_t type = f->inode ? f->inode->mode & S_IFMT : 0;
		uint64_t ino = f->inode ? f->inode->ino : 0;

		if (f->anon_name)
			str_format(name, sizeof(name), "anon_inode:%s",
				   f->anon_name);
		else if (type == S_IFIFO)
			str_format(name, sizeof(name), "pipe:[%llu]",
				   (unsigned long long)ino);
		else if (type == S_IFSOCK)
			str_format(name, sizeof(name), "socket:[%llu]",
				   (unsigned long long)ino);
		else
			str_format(name, sizeof(name), "anon_inode:[%llu]",
				   (unsigned long long)ino);
		n = proc_link_text(name, buf, size);
	}
	file_put(f);
	return n;
}

int proc_fd_show_info(struct proc_text *t, int pid, int fd)
{
	bool cloexec = false;
	struct file *f = file_of_cloexec(pid, fd, &cloexec);
	unsigned flags;

	if (!f)
		return -ENOENT;
	flags = file_status_flags(f) | (cloexec ? O_CLOEXEC : 0);
	proc_printf(t, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n",
		    (long long)__atomic_load_n(&f->pos, __ATOMIC_RELAXED),
		    flags, f->path.mnt ? f->path.mnt->id : 0,
		    (unsigned long long)(f->inode ? f->inode->ino : 0));
	if (f->fop && f->fop->show_fdinfo)
		f->fop->show_fdinfo(f, t);
	file_put(f);
	return 0;
}

static int fd_path(int pid, int fd, struct path *out)
{
	struct file *f = file_of(pid, fd);
	int err = -ENOENT;

	if (!f)
		return -ENOENT;
	if (f->path.dentry) {
		*out = f->path;
		path_get(out);
		err = 0;
	}
	file_put(f);
	return err;
}

/* ---- exe, cwd, root ---- */

enum which_path { PATH_CWD, PATH_ROOT, PATH_EXE };

static int process_path(int pid, enum which_path which, struct path *out)
{
	struct fs_context *fs = NULL;
	struct process *p;
	int err = -ENOENT;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	if (p && which == PATH_EXE && p->mm && p->mm->exe.dentry) {
		*out = p->mm->exe;
		path_get(out);
		err = 0;
	} else if (p && which != PATH_EXE && p->fs) {
		fs = p->fs;
		fs_context_get(fs);
	}
	fr_mutex_unlock(&process_tree_lock);
	if (!fs)
		return err;
	fr_mutex_lock(&fs->lock);
	*out = which == PATH_CWD ? fs->cwd : fs->root;
	path_get(out);
	fr_mutex_unlock(&fs->lock);
	fs_context_put(fs);
	return 0;
}

static int path_readlink(int pid, enum which_path which, char *buf,
			 size_t size)
{
	struct path p;
	int err = process_path(pid, which, &p);

	if (err)
		return err;
	err = path_text(&p, buf, size);
	path_put(&p);
	return err;
}

static int cwd_readlink(int pid, int num, char *buf, size_t size)
{
	return path_readlink(pid, PATH_CWD, buf, size);
}

static int root_readlink(int pid, int num, char *buf, size_t size)
{
	return path_readlink(pid, PATH_ROOT, buf, size);
}

int proc_magic_path(enum proc_magic m, int pid, int num, struct path *out)
{
	switch (m) {
	case PROC_MAGIC_CWD:
		return process_path(pid, PATH_CWD, out);
	case PROC_MAGIC_ROOT:
		return process_path(pid, PATH_ROOT, out);
	case PROC_MAGIC_EXE:
		return process_path(pid, PATH_EXE, out);
	case PROC_MAGIC_FD:
		return fd_path(pid, num, out);
	default:
		return -ENOENT;
	}
}

static int exe_readlink(int pid, int num, char *buf, size_t size)
{
	return path_readlink(pid, PATH_EXE, buf, size);
}

/* ---- a snapshot of a process ---- */

struct pid_snap {
	int pid, ppid, pgid, sid, threads, exit_signal, exit_code, fd_slots;
	char state;
	bool zombie, did_exec, privileged, no_new_privs;
	char comm[16];
	unsigned umask;
	uint64_t start_ns;
	uint64_t utime, stime, cutime, cstime; /* ns */
	uint64_t sig_pending, sig_shared, sig_blocked, sig_ignored, sig_caught;
	uint32_t uid[4], gid[4]; /* real, effective, saved, fs */
	kgid_t *groups;
	int ngroups;
	struct rlimit64 rss, sigpending;
	struct mm *mm; /* referenced, or NULL */
	/* of the thread shown (the main one for the process) */
	struct sched_params sched;
	unsigned cpu;
	uint64_t cpus_allowed;
};

static void snap_signals(struct process *p, struct pid_snap *s)
{
	unsigned long irq = fr_spin_lock_irqsave(&p->siglock);
	struct thread *main = p->threads;

	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (t->tid == p->pid)
			main = t;
	s->sig_shared = p->sig.shared.set;
	if (main) {
		s->sig_pending = main->sig.pending.set;
		s->sig_blocked = main->sig.blocked;
	}
	for (int i = 0; i < SIGNAL_COUNT; i++) {
		uint64_t h = p->sig.action[i].handler;

		if (h == SIG_IGN_HANDLER)
			s->sig_ignored |= 1ULL << i;
		else if (h > SIG_IGN_HANDLER)
			s->sig_caught |= 1ULL << i;
	}
	fr_spin_unlock_irqrestore(&p->siglock, irq);
}

static void snap_cred(struct process *p, struct pid_snap *s)
{
	cred_r c = process_attrs_cred_lock(&p->attrs);
	int n;

	s->uid[0] = cred_uid(c);
	s->uid[1] = cred_euid(c);
	s->uid[2] = cred_suid(c);
	s->uid[3] = cred_fsuid(c);
	s->gid[0] = cred_gid(c);
	s->gid[1] = cred_egid(c);
	s->gid[2] = cred_sgid(c);
	s->gid[3] = cred_fsgid(c);
	s->privileged = cred_privileged(c);
	n = cred_groups(c, NULL, 0);
	if (n > 0) {
		s->groups = FR_NEW_ARRAY(kgid_t, (size_t)n);
		if (s->groups && cred_groups(c, s->groups, (size_t)n) == n)
			s->ngroups = n;
	}
	process_attrs_cred_unlock(&p->attrs);
}

/*
 * The thread whose state and scheduling the files show: thread @num in
 * a thread's directory, else the main thread (the first one left when it
 * has ended), or NULL for a zombie.  process_tree_lock held.
 */
static struct thread *shown_thread(struct process *p, int num, bool thread)
{
	struct thread *t = thread ? thread_find(num) : NULL;

	if (t && t->proc == p)
		return t;
	for (t = p->threads; t; t = t->next_in_process)
		if (t->tid == p->pid)
			return t;
	return p->threads;
}

/*
 * Take what the files show of process @pid (of its thread @pid with
 * @thread); -ESRCH when it is gone.
 */
static int snap_take_of(int pid, bool thread, struct pid_snap *s)
{
	struct process *p;
	struct thread *shown;
	struct cputime c;

	memset(s, 0, sizeof(*s));
	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	if (!p) {
		fr_mutex_unlock(&process_tree_lock);
		return -ESRCH;
	}
	s->pid = p->pid;
	s->ppid = p->parent ? p->parent->pid : 0;
	s->pgid = p->pgid;
	s->sid = p->sid;
	s->threads = p->thread_count;
	s->exit_signal = p->exit_signal;
	s->zombie = p->state == PROCESS_ZOMBIE;
	s->did_exec = p->did_exec;
	s->exit_code = s->zombie ? p->exit_status : 0;
	shown = shown_thread(p, pid, thread);
	if (s->zombie)
		s->state = 'Z';
	else if (p->stopped)
		s->state = 'T';
	else if (shown && sched_task_runnable(shown->task))
		s->state = 'R';
	else
		s->state = 'S';
	if (shown) {
		sched_get_params(shown->task, &s->sched);
		s->cpu = sched_task_cpu(shown->task);
		s->cpus_allowed = sched_get_affinity(shown->task);
	} else {
		s->cpus_allowed = sched_online_cpus();
	}
	memcpy(s->comm, p->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
	s->start_ns = p->start_ns;
	s->mm = process_mm_get(p);
	s->fd_slots = p->files ? p->files->size : 0;
	s->umask = process_attrs_umask(&p->attrs);
	s->no_new_privs = process_attrs_get(&p->attrs, PROCESS_NO_NEW_PRIVS);
	if (thread && shown)
		thread_cputime(shown, &c);
	else
		process_cputime(p, &c);
	s->utime = c.user_ns;
	s->stime = c.sys_ns;
	process_attrs_children_time(&p->attrs, &s->cutime, &s->cstime);
	if (process_attrs_rlimit(&p->attrs, RLIMIT_RSS, &s->rss))
		s->rss.rlim_cur = RLIM64_INFINITY;
	if (process_attrs_rlimit(&p->attrs, RLIMIT_SIGPENDING, &s->sigpending))
		s->sigpending.rlim_cur = 0;
	snap_signals(p, s);
	snap_cred(p, s);
	fr_mutex_unlock(&process_tree_lock);
	return 0;
}

static int snap_take(int pid, struct pid_snap *s)
{
	return snap_take_of(pid, false, s);
}

static void snap_release(struct pid_snap *s)
{
	if (s->mm)
		process_mm_put(s->mm);
	fr_kfree(s->groups);
}

/* Sizes of the areas, in pages. */
struct vm_sizes {
	uint64_t total, data, stack, exec, text;
};

static void vm_sizes(const struct vm_map *map, struct vm_sizes *z)
{
	const struct vm_layout *l = &map->layout;

	memset(z, 0, sizeof(*z));
	for (const struct vma *v = map->areas; v; v = v->next) {
		uint64_t n = PAGES(v->end - v->start);

		z->total += n;
		if (v->flags & VMA_GROWSDOWN)
			z->stack += n;
		else if ((v->prot & FR_PROT_WRITE) && !(v->flags & VMA_SHARED))
			z->data += n;
		if ((v->prot & FR_PROT_EXEC) && !(v->prot & FR_PROT_WRITE) &&
		    !(v->flags & VMA_GROWSDOWN))
			z->exec += n;
	}
	if (l->end_code > l->start_code)
		z->text = PAGES(FR_ALIGN_UP(l->end_code, FR_PAGE_SIZE) -
				FR_ALIGN_DOWN(l->start_code, FR_PAGE_SIZE));
}

/* ---- stat, statm, status ---- */

static uint64_t ticks(uint64_t ns)
{
	return ns / NSEC_PER_TICK;
}

/*
 * Linux's "priority" of a task (prio - MAX_RT_PRIO): 20 + nice for the
 * other classes, -1 - priority for real time.
 */
static int stat_priority(const struct sched_params *p)
{
	if (p->policy == SCHED_FIFO || p->policy == SCHED_RR)
		return -1 - (int)p->rt_priority;
	return 20 + p->nice;
}

static int show_stat_of(struct proc_text *t, int pid, bool thread)
{
	struct pid_snap s;
	struct vm_sizes z = { 0 };
	const struct vm_layout *l = NULL;
	uint64_t rss = 0;
	unsigned flags = PF_RANDOMIZE;
	int err = snap_take_of(pid, thread, &s);

	if (err)
		return err;
	if (s.mm) {
		vm_sizes(&s.mm->map, &z);
		l = &s.mm->map.layout;
		rss = s.mm->map.resident;
	}
	if (s.zombie)
		flags |= PF_EXITING;
	if (!s.did_exec && s.ppid)
		flags |= PF_FORKNOEXEC;
	proc_printf(t, "%d (%s) %c %d %d %d 0 -1 %u 0 0 0 0 ", pid, s.comm,
		    s.state, s.ppid, s.pgid, s.sid, flags);
	proc_printf(t, "%llu %llu %llu %llu %d %d %d 0 %llu ",
		    (unsigned long long)ticks(s.utime),
		    (unsigned long long)ticks(s.stime),
		    (unsigned long long)ticks(s.cutime),
		    (unsigned long long)ticks(s.cstime),
		    stat_priority(&s.sched), s.sched.nice, s.threads,
		    (unsigned long long)ticks(s.start_ns));
	proc_printf(t, "%llu %llu %llu ",
		    (unsigned long long)(z.total * FR_PAGE_SIZE),
		    (unsigned long long)rss,
		    (unsigned long long)s.rss.rlim_cur);
	proc_printf(t, "%llu %llu %llu 0 0 ",
		    (unsigned long long)(l ? l->start_code : 0),
		    (unsigned long long)(l ? l->end_code : 0),
		    (unsigned long long)(l ? l->start_stack : 0));
	/* the obsolete signal fields: decimal, the first 31 signals */
	proc_printf(t, "%llu %llu %llu %llu %d 0 0 %d %u %u %u 0 0 0",
		    (unsigned long long)((s.sig_pending | s.sig_shared) &
					 0x7fffffffULL),
		    (unsigned long long)(s.sig_blocked & 0x7fffffffULL),
		    (unsigned long long)(s.sig_ignored & 0x7fffffffULL),
		    (unsigned long long)(s.sig_caught & 0x7fffffffULL),
		    s.state == 'R' || s.state == 'Z' ? 0 : 1, s.exit_signal,
		    s.cpu, s.sched.rt_priority, s.sched.policy);
	if (l)
		proc_printf(t, " %llu %llu %llu %llu %llu %llu %llu",
			    (unsigned long long)l->start_data,
			    (unsigned long long)l->end_data,
			    (unsigned long long)s.mm->map.brk_start,
			    (unsigned long long)l->arg_start,
			    (unsigned long long)l->arg_end,
			    (unsigned long long)l->env_start,
			    (unsigned long long)l->env_end);
	else
		proc_puts(t, " 0 0 0 0 0 0 0");
	proc_printf(t, " %d\n", s.exit_code);
	snap_release(&s);
	return 0;
}

static int show_stat(struct proc_text *t, int pid)
{
	return show_stat_of(t, pid, false);
}

static int show_task_stat(struct proc_text *t, int tid)
{
	return show_stat_of(t, tid, true);
}

static int show_statm(struct proc_text *t, int pid)
{
	struct pid_snap s;
	struct vm_sizes z = { 0 };
	uint64_t rss = 0, shared = 0;
	int err = snap_take(pid, &s);

	if (err)
		return err;
	if (s.mm) {
		vm_sizes(&s.mm->map, &z);
		rss = s.mm->map.resident;
		shared = s.mm->map.resident_shared;
	}
	proc_printf(t, "%llu %llu %llu %llu 0 %llu 0\n",
		    (unsigned long long)z.total, (unsigned long long)rss,
		    (unsigned long long)shared, (unsigned long long)z.text,
		    (unsigned long long)(z.data + z.stack));
	snap_release(&s);
	return 0;
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R':
		return "R (running)";
	case 'T':
		return "T (stopped)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "S (sleeping)";
	}
}

/* The name, with "\n" and "\\" escaped as Linux's status does. */
static void put_escaped(struct proc_text *t, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			proc_puts(t, "\\n");
		else if (*s == '\\')
			proc_puts(t, "\\\\");
		else
			proc_write(t, s, 1);
	}
}

static void put_kb(struct proc_text *t, const char *name, uint64_t pages)
{
	proc_printf(t, "%s:\t%8llu kB\n", name,
		    (unsigned long long)KB(pages));
}

/*
 * A CPU mask as Linux's "%*pb" prints it for @nbits CPUs: hexadecimal in
 * groups of 32 bits separated by commas, the first one only as wide as
 * its bits need.
 */
static void put_cpu_mask(struct proc_text *t, uint64_t mask, unsigned nbits)
{
	unsigned chunk = nbits % 32 ? nbits % 32 : 32;

	for (int at = (int)FR_ALIGN_UP(nbits, 32) - 32; at >= 0; at -= 32) {
		uint64_t bits = (mask >> at) & ((1ULL << chunk) - 1);

		proc_printf(t, "%s%0*llx", at + 32 < (int)nbits ? "," : "",
			    (int)(chunk + 3) / 4, (unsigned long long)bits);
		chunk = 32;
	}
}

/* A CPU mask as Linux's "%*pbl": ranges such as 0-2,5. */
static void put_cpu_list(struct proc_text *t, uint64_t mask, unsigned nbits)
{
	bool first = true;

	for (unsigned c = 0; c < nbits; c++) {
		unsigned end = c;

		if (!((mask >> c) & 1))
			continue;
		while (end + 1 < nbits && ((mask >> (end + 1)) & 1))
			end++;
		if (end > c)
			proc_printf(t, "%s%u-%u", first ? "" : ",", c, end);
		else
			proc_printf(t, "%s%u", first ? "" : ",", c);
		first = false;
		c = end;
	}
}

static int show_status_of(struct proc_text *t, int pid, bool thread)
{
	struct pid_snap s;
	unsigned cpus = fr_cpu_count();
	int err = snap_take_of(pid, thread, &s);

	if (err)
		return err;
	proc_puts(t, "Name:\t");
	put_escaped(t, s.comm);
	proc_printf(t, "\nUmask:\t0%03o\n", s.umask & 0777);
	proc_printf(t, "State:\t%s\n", state_name(s.state));
	proc_printf(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", s.pid,
		    pid, s.ppid);
	proc_puts(t, "TracerPid:\t0\n");
	proc_printf(t, "Uid:\t%u\t%u\t%u\t%u\n", s.uid[0], s.uid[1], s.uid[2],
		    s.uid[3]);
	proc_printf(t, "Gid:\t%u\t%u\t%u\t%u\n", s.gid[0], s.gid[1], s.gid[2],
		    s.gid[3]);
	proc_printf(t, "FDSize:\t%d\nGroups:\t", s.fd_slots);
	for (int i = 0; i < s.ngroups; i++)
		proc_printf(t, i ? " %u" : "%u", s.groups[i]);
	/* Linux ends the list with a space, even an empty one */
	proc_printf(t, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		    s.pid, pid, s.pgid, s.sid);
	if (s.mm) {
		const struct vm_map *map = &s.mm->map;
		struct vm_sizes z;

		vm_sizes(map, &z);
		put_kb(t, "VmPeak", z.total);
		put_kb(t, "VmSize", z.total);
		put_kb(t, "VmLck", 0);
		put_kb(t, "VmPin", 0);
		put_kb(t, "VmHWM", map->resident);
		put_kb(t, "VmRSS", map->resident);
		put_kb(t, "RssAnon", map->resident - map->resident_shared);
		put_kb(t, "RssFile", 0);
		put_kb(t, "RssShmem", map->resident_shared);
		put_kb(t, "VmData", z.data);
		put_kb(t, "VmStk", z.stack);
		put_kb(t, "VmExe", z.text);
		put_kb(t, "VmLib", z.exec > z.text ? z.exec - z.text : 0);
		put_kb(t, "VmPTE", 0);
		put_kb(t, "VmSwap", 0);
		put_kb(t, "HugetlbPages", 0);
	}
	proc_printf(t, "CoreDumping:\t0\nTHP_enabled:\t1\nThreads:\t%d\n",
		    s.threads);
	proc_printf(t, "SigQ:\t0/%llu\n",
		    (unsigned long long)s.sigpending.rlim_cur);
	proc_printf(t, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n",
		    (unsigned long long)s.sig_pending,
		    (unsigned long long)s.sig_shared);
	proc_printf(t, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		    (unsigned long long)s.sig_blocked,
		    (unsigned long long)s.sig_ignored,
		    (unsigned long long)s.sig_caught);
	proc_printf(t, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n",
		    0ULL, s.privileged ? CAP_FULL_SET : 0,
		    s.privileged ? CAP_FULL_SET : 0);
	proc_printf(t, "CapBnd:\t%016llx\nCapAmb:\t%016llx\n", CAP_FULL_SET,
		    0ULL);
	proc_printf(t, "NoNewPrivs:\t%d\nSeccomp:\t0\nSeccomp_filters:\t0\n",
		    s.no_new_privs ? 1 : 0);
	proc_puts(t, "Speculation_Store_Bypass:\tthread vulnerable\n"
		     "SpeculationIndirectBranch:\tconditional enabled\n");
	if (cpus > 64)
		cpus = 64;
	proc_puts(t, "Cpus_allowed:\t");
	put_cpu_mask(t, s.cpus_allowed, cpus);
	proc_puts(t, "\nCpus_allowed_list:\t");
	put_cpu_list(t, s.cpus_allowed, cpus);
	proc_puts(t, "\n");
	proc_puts(t, "Mems_allowed:\t");
	for (int i = 0; i < 31; i++)
		proc_puts(t, "00000000,");
	proc_puts(t, "00000001\nMems_allowed_list:\t0\n"
		     "voluntary_ctxt_switches:\t0\n"
		     "nonvoluntary_ctxt_switches:\t0\n");
	snap_release(&s);
	return 0;
}

static int show_status(struct proc_text *t, int pid)
{
	return show_status_of(t, pid, false);
}

static int show_task_status(struct proc_text *t, int tid)
{
	return show_status_of(t, tid, true);
}

static int show_comm(struct proc_text *t, int pid)
{
	struct pid_snap s;
	int err = snap_take(pid, &s);

	if (err)
		return err;
	proc_printf(t, "%s\n", s.comm);
	snap_release(&s);
	return 0;
}

/*
 * A write to comm: its first 15 bytes (a newline too) name the process,
 * which must be the writer's own (-EINVAL otherwise, as Linux).
 */
static int store_comm(int pid, const char *buf, size_t len)
{
	struct process *self = current_process(), *p;
	char name[sizeof(self->comm)];

	memset(name, 0, sizeof(name));
	memcpy(name, buf, FR_MIN(len, sizeof(name) - 1));
	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	fr_mutex_unlock(&process_tree_lock);
	if (!p)
		return -ESRCH;
	if (p != self)
		return -EINVAL;
	memcpy(self->comm, name, sizeof(self->comm));
	return 0;
}

/* ---- limits, OOM adjustment, control group ---- */

/* Linux's names and units of the resource limits, in RLIMIT_* order. */
static const struct {
	const char *name, *unit;
} limit_names[RLIM_NLIMITS] = {
	{ "Max cpu time", "seconds" },	  { "Max file size", "bytes" },
	{ "Max data size", "bytes" },	  { "Max stack size", "bytes" },
	{ "Max core file size", "bytes" }, { "Max resident set", "bytes" },
	{ "Max processes", "processes" }, { "Max open files", "files" },
	{ "Max locked memory", "bytes" }, { "Max address space", "bytes" },
	{ "Max file locks", "locks" },	  { "Max pending signals", "signals" },
	{ "Max msgqueue size", "bytes" }, { "Max nice priority", NULL },
	{ "Max realtime priority", NULL }, { "Max realtime timeout", "us" },
};

/* A limit's column: "unlimited" or the number, left-aligned in 20. */
static void put_limit(struct proc_text *t, uint64_t v)
{
	if (v == RLIM64_INFINITY)
		proc_printf(t, "%-20s ", "unlimited");
	else
		proc_printf(t, "%-20llu ", (unsigned long long)v);
}

static int show_limits(struct proc_text *t, int pid)
{
	struct rlimit64 lim[RLIM_NLIMITS];
	struct process *p;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	for (unsigned i = 0; p && i < RLIM_NLIMITS; i++)
		if (process_attrs_rlimit(&p->attrs, i, &lim[i]))
			lim[i].rlim_cur = lim[i].rlim_max = RLIM64_INFINITY;
	fr_mutex_unlock(&process_tree_lock);
	if (!p)
		return -ESRCH;
	proc_printf(t, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
		    "Hard Limit", "Units");
	for (unsigned i = 0; i < RLIM_NLIMITS; i++) {
		proc_printf(t, "%-25s ", limit_names[i].name);
		put_limit(t, lim[i].rlim_cur);
		put_limit(t, lim[i].rlim_max);
		if (limit_names[i].unit)
			proc_printf(t, "%-10s", limit_names[i].unit);
		proc_puts(t, "\n");
	}
	return 0;
}

static int show_oom_score_adj(struct proc_text *t, int pid)
{
	struct process *p;
	int adj = 0;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	if (p)
		adj = process_attrs_oom_score_adj(&p->attrs);
	fr_mutex_unlock(&process_tree_lock);
	if (!p)
		return -ESRCH;
	proc_printf(t, "%d\n", adj);
	return 0;
}

/*
 * A write to oom_score_adj: a number in [-1000, 1000] (-EINVAL), below
 * the least set with privilege only with privilege (-EACCES).
 */
static int store_oom_score_adj(int pid, const char *buf, size_t len)
{
	bool privileged = process_attrs_privileged(&current_process()->attrs);
	struct process *p;
	int adj, err;

	/* Linux reads at most 12 bytes of it */
	err = proc_parse_int(buf, FR_MIN(len, (size_t)12), &adj);
	if (err)
		return err;
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	err = p ? process_attrs_set_oom_score_adj(&p->attrs, adj, privileged) :
		  -ESRCH;
	fr_mutex_unlock(&process_tree_lock);
	return err;
}

/*
 * The control groups: none, as Linux lists them when no cgroup file
 * system is mounted (there is none yet): the file is empty.
 */
static int show_cgroup(struct proc_text *t, int pid)
{
	return proc_pid_alive(pid, NULL, NULL) ? 0 : -ESRCH;
}

/* ---- personality, namespaces, audit ---- */

static int show_personality(struct proc_text *t, int pid)
{
	struct process *p;
	unsigned v = 0;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	if (p)
		v = (unsigned)process_attrs_get(&p->attrs, PROCESS_PERSONALITY);
	fr_mutex_unlock(&process_tree_lock);
	if (!p)
		return -ESRCH;
	proc_printf(t, "%08x\n", v);
	return 0;
}

/* The id maps of the one user namespace: every id to itself. */
static int show_id_map(struct proc_text *t, int pid)
{
	if (!proc_pid_alive(pid, NULL, NULL))
		return -ESRCH;
	proc_printf(t, "%10u %10u %10u\n", 0u, 0u, 4294967295u);
	return 0;
}

static int show_setgroups(struct proc_text *t, int pid)
{
	if (!proc_pid_alive(pid, NULL, NULL))
		return -ESRCH;
	proc_puts(t, "allow\n");
	return 0;
}

/* The audit login uid and session: unset (nobody has logged in through
 * an audited login), shown as Linux shows them, without a newline. */
static int show_audit_unset(struct proc_text *t, int pid)
{
	if (!proc_pid_alive(pid, NULL, NULL))
		return -ESRCH;
	proc_puts(t, "4294967295");
	return 0;
}

/* ---- I/O ---- */

/* The I/O of process @pid, or of its thread @pid with @thread. */
static int show_io_of(struct proc_text *t, int pid, bool thread)
{
	struct io_counts io = { 0 };
	struct process *p;
	struct thread *th;

	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	th = p && thread ? thread_find(pid) : NULL;
	if (th && th->proc == p)
		thread_io(th, &io);
	else if (p)
		process_io(p, &io);
	fr_mutex_unlock(&process_tree_lock);
	if (!p)
		return -ESRCH;
	/* tmpfs and the devices do no block I/O: the last three are 0 */
	proc_printf(t,
		    "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\n"
		    "read_bytes: 0\nwrite_bytes: 0\n"
		    "cancelled_write_bytes: 0\n",
		    (unsigned long long)io.rchar, (unsigned long long)io.wchar,
		    (unsigned long long)io.syscr, (unsigned long long)io.syscw);
	return 0;
}

static int show_io(struct proc_text *t, int pid)
{
	return show_io_of(t, pid, false);
}

static int show_task_io(struct proc_text *t, int tid)
{
	return show_io_of(t, tid, true);
}

/* ---- another process's memory ---- */

/*
 * Append the bytes of [addr, end) of @mm to @t, stopping at the first page
 * that is not mapped, or after the first NUL when @to_nul.
 */
static void copy_remote(struct proc_text *t, struct mm *mm, uint64_t addr,
			uint64_t end, bool to_nul)
{
	char chunk[256];

	while (addr < end && !t->error) {
		size_t n = FR_MIN(sizeof(chunk), end - addr);
		size_t in_page = FR_PAGE_SIZE - (addr & (FR_PAGE_SIZE - 1));
		char *nul;

		n = FR_MIN(n, in_page);
		if (fr_vm_space_read(mm->map.space, fr_uaddr(addr), chunk, n))
			return;
		nul = to_nul ? memchr(chunk, 0, n) : NULL;
		if (nul) {
			proc_write(t, chunk, (size_t)(nul - chunk));
			return;
		}
		proc_write(t, chunk, n);
		addr += n;
	}
}

/* @pid's address space, referenced: NULL (and 0) for a process without
 * one, -ESRCH when there is no such process. */
static int mm_of(int pid, struct mm **out)
{
	struct process *p;

	*out = NULL;
	fr_mutex_lock(&process_tree_lock);
	p = find_locked(pid);
	if (p)
		*out = process_mm_get(p);
	fr_mutex_unlock(&process_tree_lock);
	return p ? 0 : -ESRCH;
}

/*
 * cmdline as Linux's get_mm_cmdline: the argument strings, or, when the
 * program overwrote the NUL at their end (setproctitle), the one string
 * from their start, which may run on into the environment.
 */
static int show_cmdline(struct proc_text *t, int pid)
{
	struct mm *mm;
	const struct vm_layout *l;
	char last = 0;
	int err = mm_of(pid, &mm);

	if (err || !mm)
		return err;
	l = &mm->map.layout;
	if (l->arg_end > l->arg_start &&
	    !fr_vm_space_read(mm->map.space, fr_uaddr(l->arg_end - 1), &last,
			      1)) {
		if (!last) {
			copy_remote(t, mm, l->arg_start, l->arg_end, false);
		} else {
			uint64_t end = l->env_start == l->arg_end &&
						       l->env_end >= l->env_start ?
					       l->env_end :
					       l->arg_end;

			end = FR_MIN(end, l->arg_start + FR_PAGE_SIZE);
			copy_remote(t, mm, l->arg_start, end, true);
		}
	}
	process_mm_put(mm);
	return 0;
}

static int show_environ(struct proc_text *t, int pid)
{
	struct mm *mm;
	int err = mm_of(pid, &mm);

	if (err || !mm)
		return err;
	copy_remote(t, mm, mm->map.layout.env_start, mm->map.layout.env_end,
		    false);
	process_mm_put(mm);
	return 0;
}

/* The auxiliary vector exec gave, as the binary pairs of the stack. */
static int show_auxv(struct proc_text *t, int pid)
{
	struct mm *mm;
	int err = mm_of(pid, &mm);

	if (err || !mm)
		return err;
	proc_write(t, (const char *)mm->map.layout.auxv,
		   mm->map.layout.nauxv * sizeof(mm->map.layout.auxv[0]));
	process_mm_put(mm);
	return 0;
}

/* ---- maps ---- */

/* What names the program file's lines. */
struct exe_name {
	char *path; /* NULL: not known */
	uint64_t dev, ino;
};

/* One line of maps, as Linux's show_map_vma prints it. */
static void map_line(struct proc_text *t, uint64_t start, uint64_t end,
		     unsigned prot, bool shared, uint64_t off, uint64_t dev,
		     uint64_t ino, const char *name)
{
	size_t line = t->len;

	proc_printf(t, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
		    (unsigned long long)start, (unsigned long long)end,
		    prot & FR_PROT_READ ? 'r' : '-',
		    prot & FR_PROT_WRITE ? 'w' : '-',
		    prot & FR_PROT_EXEC ? 'x' : '-', shared ? 's' : 'p',
		    (unsigned long long)off, VFS_MAJOR(dev), VFS_MINOR(dev),
		    (unsigned long long)ino);
	if (name) {
		proc_pad(t, line, 72);
		proc_puts(t, " ");
		proc_puts(t, name);
	}
	proc_puts(t, "\n");
}

/* The line of an area mapping a file: its offset, device, inode, path. */
static void map_file_area(struct proc_text *t, const struct vma *v)
{
	struct inode *inode = v->file->inode;
	char *name = FR_NEW_ARRAY(char, VFS_PATH_MAX);

	if (name && vfs_path_name(&v->file->path, name, VFS_PATH_MAX) < 0) {
		fr_kfree(name);
		name = NULL;
	}
	map_line(t, v->start, v->end, v->prot, v->flags & VMA_SHARED,
		 v->pgoff * FR_PAGE_SIZE, inode->sb ? inode->sb->dev : 0,
		 inode->ino, name);
	fr_kfree(name);
}

/* The lines of area @v: the parts exec mapped from the program file are
 * named after it, the rest is anonymous memory. */
static void map_area(struct proc_text *t, const struct vm_map *map,
		     const struct vma *v, const struct exe_name *exe)
{
	const struct vm_layout *l = &map->layout;
	const char *anon = NULL;
	bool shared = v->flags & VMA_SHARED;

	if (v->file) {
		map_file_area(t, v);
		return;
	}
	if (v->flags & VMA_VVAR)
		anon = "[vvar]";
	else if (v->flags & VMA_VDSO)
		anon = "[vdso]";
	else if (shared)
		anon = "/dev/zero (deleted)";
	else if (v->start <= map->brk && v->end >= map->brk_start)
		anon = "[heap]";
	else if (v->start <= l->start_stack && v->end >= l->start_stack)
		anon = "[stack]";
	for (uint64_t at = v->start, end; at < v->end; at = end) {
		const struct vm_file_range *r = NULL;

		end = v->end;
		for (unsigned i = 0; i < l->nfile && !shared; i++) {
			const struct vm_file_range *f = &l->file[i];

			if (f->start <= at && at < f->end) {
				r = f;
				break;
			}
			if (f->start > at && f->start < end)
				end = f->start;
		}
		if (r && exe->path) {
			end = FR_MIN(v->end, r->end);
			map_line(t, at, end, v->prot, false,
				 r->off + (at - r->start), exe->dev, exe->ino,
				 exe->path);
		} else {
			if (r)
				end = FR_MIN(v->end, r->end);
			map_line(t, at, end, v->prot, shared, 0, 0, 0, anon);
		}
	}
}

static int show_maps(struct proc_text *t, int pid)
{
	struct exe_name exe = { NULL, 0, 0 };
	struct path p;
	struct mm *mm;
	int err = mm_of(pid, &mm);

	if (err || !mm)
		return err;
	if (!process_path(pid, PATH_EXE, &p)) {
		exe.path = FR_NEW_ARRAY(char, VFS_PATH_MAX);
		if (exe.path && vfs_path_name(&p, exe.path, VFS_PATH_MAX) < 0) {
			fr_kfree(exe.path);
			exe.path = NULL;
		}
		if (p.dentry->inode) {
			exe.ino = p.dentry->inode->ino;
			exe.dev = p.dentry->inode->sb ?
					  p.dentry->inode->sb->dev :
					  0;
		}
		path_put(&p);
	}
	for (const struct vma *v = mm->map.areas; v; v = v->next)
		map_area(t, &mm->map, v, &exe);
	fr_kfree(exe.path);
	process_mm_put(mm);
	return 0;
}

/* ---- the table ---- */

const struct proc_entry proc_pid_entries[] = {
	{ .name = "auxv", .mode = S_IFREG | 0400, .show = show_auxv },
	{ .name = "cgroup", .mode = S_IFREG | 0444, .show = show_cgroup },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = show_cmdline },
	{ .name = "comm",
	  .mode = S_IFREG | 0644,
	  .show = show_comm,
	  .store = store_comm },
	{ .name = "cwd",
	  .mode = S_IFLNK | 0777,
	  .readlink = cwd_readlink,
	  .magic = PROC_MAGIC_CWD },
	{ .name = "environ", .mode = S_IFREG | 0400, .show = show_environ },
	{ .name = "exe",
	  .mode = S_IFLNK | 0777,
	  .readlink = exe_readlink,
	  .magic = PROC_MAGIC_EXE },
	{ .name = "fd", .mode = S_IFDIR | 0500, .numbered = PROC_NUM_FDS },
	{ .name = "fdinfo",
	  .mode = S_IFDIR | 0555,
	  .numbered = PROC_NUM_FDINFO },
	{ .name = "gid_map", .mode = S_IFREG | 0644, .show = show_id_map },
	{ .name = "io",
	  .mode = S_IFREG | 0400,
	  .show = show_io,
	  .show_thread = show_task_io },
	{ .name = "limits", .mode = S_IFREG | 0444, .show = show_limits },
	{ .name = "loginuid", .mode = S_IFREG | 0644, .show = show_audit_unset },
	{ .name = "maps", .mode = S_IFREG | 0444, .show = show_maps },
	{ .name = "mountinfo",
	  .mode = S_IFREG | 0444,
	  .show = proc_show_mountinfo },
	{ .name = "mounts", .mode = S_IFREG | 0444, .show = proc_show_mounts },
	{ .name = "personality",
	  .mode = S_IFREG | 0400,
	  .show = show_personality },
	{ .name = "oom_score_adj",
	  .mode = S_IFREG | 0644,
	  .show = show_oom_score_adj,
	  .store = store_oom_score_adj },
	{ .name = "root",
	  .mode = S_IFLNK | 0777,
	  .readlink = root_readlink,
	  .magic = PROC_MAGIC_ROOT },
	{ .name = "sessionid",
	  .mode = S_IFREG | 0444,
	  .show = show_audit_unset },
	{ .name = "setgroups", .mode = S_IFREG | 0644, .show = show_setgroups },
	{ .name = "stat",
	  .mode = S_IFREG | 0444,
	  .show = show_stat,
	  .show_thread = show_task_stat },
	{ .name = "statm", .mode = S_IFREG | 0444, .show = show_statm },
	{ .name = "status",
	  .mode = S_IFREG | 0444,
	  .show = show_status,
	  .show_thread = show_task_status },
	{ .name = "uid_map", .mode = S_IFREG | 0644, .show = show_id_map },
	/* last: the threads' directories (task/TID) have the others */
	{ .name = "task", .mode = S_IFDIR | 0555, .numbered = PROC_NUM_TASKS },
};

const size_t proc_pid_nentries = FR_ARRAY_SIZE(proc_pid_entries);
