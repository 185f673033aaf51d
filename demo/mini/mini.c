/*
 * mini - the smallest kernel that runs a Linux program on the Trellis frame,
 * the C counterpart of the seeds' "100-line kernel".  Written only against
 * the frame's public headers and libs/, it shows what a kernel on the frame
 * must bring:
 *
 *  - policies: the frame has the mechanisms for pages, heap and tasks but no
 *    policy; mini injects three deliberately tiny ones, and the frame
 *    re-checks whatever they answer: a first-fit list of free page blocks
 *    (split but never merged, so it fragments under churn: enough for one
 *    program), a list of slabs per size class, a FIFO run queue;
 *  - a loader: /init (or init=PATH) is read from the initramfs, its PT_LOAD
 *    segments are copied into zeroed pages of a new address space with the
 *    ELF's protections, and a small stack gets argc, argv[0], an empty
 *    environment and auxv.  Only plain static executables (ET_EXEC): no
 *    load bias (so no static-PIE) and no PT_INTERP;
 *  - system calls: a task runs the program with fr_user_mode_execute() in a
 *    loop and serves write(2) to fds 1 and 2, exit(2), exit_group(2) and
 *    arch_prctl(ARCH_SET_FS), which musl's start-up needs for its thread
 *    pointer; others fail with -ENOSYS.  User memory is only read through
 *    the frame's fault-tolerant copy: a bad pointer gives -EFAULT.  A fault
 *    in user mode ends the program as its signal would (status 128 + sig).
 *
 * When the program ends, the machine powers off with its status.
 */
#include <frame/boot.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/power.h>
#include <frame/sync.h>
#include <frame/task.h>
#include <frame/user.h>
#include <frame/vm.h>
#include <libs/cpio.h>
#include <libs/elf.h>
#include <libs/string.h>
#include <asm/prctl.h>
#include <asm/unistd.h>
#include <linux/auxvec.h>

/* ---- page policy: one list of free blocks, split but never merged ---- */

/* A free block's policy word: order << 56 | the next block's pfn + 1. */
#define ORDER(w) ((w) >> 56)
#define NEXT(w) ((w) & ((1UL << 56) - 1))
static uint64_t free_blocks; /* the first block's pfn + 1; 0: none */

static void page_add_free(fr_pfn_t pfn, unsigned order)
{
	fr_page_policy_word_set(pfn, (uint64_t)order << 56 | free_blocks);
	free_blocks = pfn + 1;
}

static int64_t page_alloc(unsigned order)
{
	uint64_t prev = 0, pw = 0, cur = free_blocks, w = 0;

	while (cur && ORDER(w = fr_page_policy_word_get(cur - 1)) < order) {
		prev = cur;
		pw = w;
		cur = NEXT(w);
	}
	if (!cur)
		return -ENOMEM;
	if (prev) /* unlink: prev keeps its order and takes cur's next */
		fr_page_policy_word_set(prev - 1, ORDER(pw) << 56 | NEXT(w));
	else
		free_blocks = NEXT(w);
	for (unsigned o = order; o < ORDER(w); o++) /* give back the rest */
		page_add_free(cur - 1 + (1UL << o), o);
	return (int64_t)(cur - 1);
}

/* ---- slab policy: per size class, a list of slabs with a free slot ---- */

static struct fr_slab *partial[7]; /* 32, 64, ... 2048-byte slots */

static unsigned size_class(size_t size)
{
	unsigned c = 0;

	while ((size_t)FR_SLAB_MIN_SLOT << c < size)
		c++;
	return c;
}

static struct fr_slab *slab_pick(size_t size, size_t align)
{
	unsigned c = size_class(FR_MAX(size, align));

	if (c < FR_ARRAY_SIZE(partial) && !partial[c]) {
		partial[c] = fr_slab_create((size_t)FR_SLAB_MIN_SLOT << c);
		if (partial[c])
			fr_slab_set_link(partial[c], NULL);
	}
	return c < FR_ARRAY_SIZE(partial) ? partial[c] : NULL;
}

static void slab_taken(struct fr_slab *slab, bool now_full)
{
	if (now_full) /* pick gave out the head of the list */
		partial[size_class(fr_slab_slot_size(slab))] =
			fr_slab_link(slab);
}

static void slab_freed(struct fr_slab *slab, bool was_full)
{
	unsigned c = size_class(fr_slab_slot_size(slab));

	if (was_full) { /* empty slabs are simply kept */
		fr_slab_set_link(slab, partial[c]);
		partial[c] = slab;
	}
}

/* ---- scheduler: one FIFO run queue ---- */

static struct fr_sched_entity *rq_head, *rq_tail;

/* Queue @task; any CPU takes it, so the queuing one is as good as any. */
static unsigned rq_enqueue(struct fr_task *task, unsigned cpu)
{
	struct fr_sched_entity *se = fr_task_sched_entity(task);

	se->next = NULL;
	if (rq_tail)
		rq_tail->next = se;
	else
		rq_head = se;
	rq_tail = se;
	return cpu;
}

static struct fr_task *rq_pick_next(unsigned cpu)
{
	struct fr_sched_entity *se = rq_head;

	if (!se)
		return NULL;
	rq_head = se->next;
	if (!rq_head)
		rq_tail = NULL;
	return fr_task_of_entity(se);
}

static bool rq_tick(struct fr_task *cur, unsigned cpu)
{
	return rq_head != NULL; /* preempt when another task waits */
}

/* ---- loading the program ---- */

#define STACK_PAGES 4

static struct fr_vm_space *init_vs;
static struct fr_user_context *init_ctx;
static int exit_code = -1; /* the power-off code once init has ended */
static struct fr_waitqueue init_ended;

/* Map fresh zeroed pages over [start, end) of init_vs. */
static int map_zeroed(uint64_t start, uint64_t end, unsigned prot)
{
	for (uint64_t va = start; va < end; va += FR_PAGE_SIZE) {
		struct fr_page *page = fr_page_alloc(FR_PAGE_ZERO);
		int err = -ENOMEM;

		if (page) {
			err = fr_vm_space_map(init_vs, fr_uaddr(va), page,
					      prot);
			fr_page_put(page); /* the mapping holds its own */
		}
		if (err)
			return err;
	}
	return 0;
}

static int load_init(const char *path)
{
	struct fr_bytes initrd = fr_boot_initrd();
	uint64_t str = FR_USER_END - FR_ALIGN_UP(strlen(path) + 1, 16);
	/* argc, argv[0], NULL, an empty environment, auxv */
	uint64_t sp[] = { 1, str, 0, 0, AT_PAGESZ, FR_PAGE_SIZE, AT_NULL, 0 };
	struct cpio_entry file;
	struct elf_image img;
	Elf64_Phdr ph;
	uint64_t end;
	unsigned prot;
	int err = cpio_find(initrd.data, initrd.len, path, &file);

	if (!err)
		err = elf_parse(file.data, file.size, &img);
	if (!err && img.ehdr.e_type != ET_EXEC)
		err = -ENOEXEC;
	for (unsigned i = 0; !err && i < img.ehdr.e_phnum; i++) {
		err = elf_phdr(&img, i, &ph);
		if (!err && ph.p_type == PT_INTERP)
			err = -ENOEXEC;
		if (err || ph.p_type != PT_LOAD)
			continue;
		prot = (ph.p_flags & PF_R ? FR_PROT_READ : 0) |
		       (ph.p_flags & PF_W ? FR_PROT_WRITE : 0) |
		       (ph.p_flags & PF_X ? FR_PROT_EXEC : 0);
		end = FR_ALIGN_UP(ph.p_vaddr + ph.p_memsz, FR_PAGE_SIZE);
		err = map_zeroed(FR_ALIGN_DOWN(ph.p_vaddr, FR_PAGE_SIZE), end,
				 prot);
		if (!err)
			err = fr_vm_space_write(init_vs, fr_uaddr(ph.p_vaddr),
						img.buf + ph.p_offset,
						ph.p_filesz);
	}
	if (!err)
		err = map_zeroed(FR_USER_END - STACK_PAGES * FR_PAGE_SIZE,
				 FR_USER_END, FR_PROT_READ | FR_PROT_WRITE);
	if (!err)
		err = fr_vm_space_write(init_vs, fr_uaddr(str), path,
					strlen(path) + 1);
	if (!err)
		err = fr_vm_space_write(init_vs, fr_uaddr(str - sizeof(sp)), sp,
					sizeof(sp));
	if (err)
		return err;
	fr_user_context_regs(init_ctx)->rip = img.ehdr.e_entry;
	fr_user_context_regs(init_ctx)->rsp = str - sizeof(sp);
	return 0;
}

/* ---- running it ---- */

static int64_t sys_write(unsigned fd, fr_uaddr_t buf, size_t len)
{
	char chunk[256];
	size_t done = 0;

	if (fd != 1 && fd != 2)
		return -EBADF;
	while (done < len) {
		size_t n = FR_MIN(len - done, sizeof(chunk));

		if (fr_copy_from_user(chunk, fr_uaddr_add(buf, done), n))
			return done ? (int64_t)done : -EFAULT;
		fr_console_write(chunk, n);
		done += n;
	}
	return (int64_t)done;
}

static void serve_syscall(struct fr_user_regs *r)
{
	switch (r->rax) {
	case __NR_write:
		r->rax = sys_write(r->rdi, fr_uaddr(r->rsi), r->rdx);
		break;
	case __NR_exit:
	case __NR_exit_group:
		exit_code = r->rdi & 0xff;
		fr_printk("mini: init exited with status %d\n", exit_code);
		break;
	case __NR_arch_prctl:
		if (r->rdi == ARCH_SET_FS)
			r->fs_base = r->rsi;
		r->rax = r->rdi == ARCH_SET_FS ? 0 : -EINVAL;
		break;
	default:
		r->rax = -ENOSYS;
	}
}

static void run_init(void *unused)
{
	struct fr_user_regs *regs = fr_user_context_regs(init_ctx);
	struct fr_user_exception e;
	int sig;

	fr_vm_space_activate(init_vs);
	while (exit_code < 0) {
		switch (fr_user_mode_execute(init_ctx, &e)) {
		case FR_USER_SYSCALL:
			serve_syscall(regs);
			break;
		case FR_USER_EXCEPTION:
			sig = 11; /* SIGSEGV, SIGFPE or SIGILL */
			if (e.vector == FR_EXC_DIVIDE)
				sig = 8;
			if (e.vector == FR_EXC_INVALID_OPCODE)
				sig = 4;
			fr_printk("mini: init killed by signal %d (exception "
				  "%u at ip %lx, address %lx)\n",
				  sig, e.vector, regs->rip, e.fault_addr);
			exit_code = 128 + sig;
			break;
		case FR_USER_EVENT: /* nobody posts any here */
			fr_task_clear_event();
			break;
		}
	}
	fr_vm_space_activate(NULL);
	fr_vm_space_destroy(init_vs);
	fr_user_context_destroy(init_ctx);
	fr_wake_all(&init_ended);
}

static const struct fr_page_policy page_policy = {
	.add_free = page_add_free,
	.alloc = page_alloc,
};
static const struct fr_heap_policy slab_policy = {
	.pick = slab_pick,
	.freed = slab_freed,
	.taken = slab_taken,
};
static const struct fr_sched_policy fifo_policy = {
	.enqueue = rq_enqueue,
	.pick_next = rq_pick_next,
	.tick = rq_tick,
};

void trellis_main(void)
{
	const char *cmdline = fr_boot_cmdline();
	char path[64] = "/init";
	struct fr_task *task = NULL;
	int err = -ENOMEM;

	if (fr_inject_page_policy(&page_policy) ||
	    fr_inject_heap_policy(&slab_policy) ||
	    fr_inject_scheduler(&fifo_policy))
		fr_panic("mini: cannot inject the policies");
	fr_printk("mini: a minimal kernel on the Trellis frame\n");

	for (const char *c = cmdline; *c; c++) /* the last init=PATH wins */
		if ((c == cmdline || c[-1] == ' ') &&
		    str_starts_with(c, "init="))
			str_copy(path, c + 5, sizeof(path));
	if (strchr(path, ' '))
		*strchr(path, ' ') = '\0';

	init_vs = fr_vm_space_create();
	init_ctx = fr_user_context_create();
	if (init_vs && init_ctx)
		err = load_init(path);
	if (!err)
		task = fr_task_create("init", run_init, NULL);
	if (!task) {
		fr_printk("mini: cannot run %s: error %d\n", path,
			  err ? -err : ENOMEM);
		fr_poweroff(127);
	}
	fr_printk("mini: running %s\n", path);
	fr_waitqueue_init(&init_ended);
	fr_task_start(task);
	FR_WAIT_EVENT(&init_ended, exit_code >= 0);
	fr_poweroff(exit_code);
}
