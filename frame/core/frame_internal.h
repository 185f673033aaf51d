/*
 * Frame-private declarations shared by the frame's core and its targets
 * (frame/arch/x86_64 for the kernel, frame/hosted for Linux user space):
 * page metadata, tasks, per-CPU state and the hooks between them.  Each
 * target provides "arch_frame.h" (its task context and stack size) and
 * implements the functions marked "target" below.  Services cannot include
 * this header.
 */
#ifndef FRAME_CORE_FRAME_INTERNAL_H
#define FRAME_CORE_FRAME_INTERNAL_H

#include <frame/types.h>
#include <frame/log.h>
#include <frame/mm.h>
#include <frame/heap.h>
#include <frame/task.h>
#include <frame/sync.h>
#include <frame/user.h>
#include <frame/vm.h>
#include <frame/cpu.h>
#include "arch_frame.h"

/* ---- physical memory ---- */

enum page_type {
	PAGE_ABSENT = 0, /* not RAM, or a hole */
	PAGE_RESERVED,	 /* kernel image, boot data, metadata */
	PAGE_FREE,	 /* owned by the policy */
	PAGE_USED,	 /* handed out, refcounted */
	PAGE_TABLE,	 /* a page-table page */
	PAGE_SLAB,	 /* a heap slab */
	PAGE_HEAP_LARGE, /* first page of a large heap block */
	PAGE_HEAP_TAIL,	 /* following pages of a large heap block */
};

#define SLAB_MAX_SLOTS (4096 / FR_SLAB_MIN_SLOT)

/* Metadata of one physical page; struct fr_page is this. */
struct fr_page {
	uint32_t refcount;
	uint8_t type;
	uint8_t order;	    /* large heap block order */
	uint16_t slot_size; /* slab slot size */
	uint64_t word;	    /* policy word (free) or slab link */
	uint64_t slab_used[SLAB_MAX_SLOTS / 64];
};

extern struct fr_page *page_meta;
extern fr_pfn_t page_max_pfn;

static inline uint64_t pfn_to_pa(fr_pfn_t pfn)
{
	return pfn << FR_PAGE_SHIFT;
}

/* The kernel-virtual address of a physical address, in the direct map. */
void *phys_to_virt(uint64_t pa);
/* The physical address of a direct-map or kernel-image address. */
uint64_t virt_to_phys(const void *va);

static inline void *page_address(const struct fr_page *page)
{
	return phys_to_virt(pfn_to_pa((fr_pfn_t)(page - page_meta)));
}

struct fr_page *pfn_to_page(fr_pfn_t pfn);
/* The page of a direct-map address, or NULL. */
struct fr_page *virt_to_page(const void *va);

/* target: the physical range of the kernel image (empty when hosted). */
void arch_kernel_phys_range(uint64_t *start, uint64_t *end);
/* target: the page policy now owns the free pages (page tables may use it). */
void paging_policy_ready(void);

/*
 * target: tell a memory checker that [addr, addr + len) of kernel memory
 * must not be touched (freed heap slots, free pages) or may be again.
 * Hosted under ASan this poisons the range; the kernel has no checker yet.
 */
void arch_mem_poison(const void *addr, size_t len);
void arch_mem_unpoison(const void *addr, size_t len);

/* Boot-time page allocator, before the policy is injected. */
uint64_t boot_alloc_pages(size_t n);

/* Allocate 2^order pages, typed; NULL when none. */
struct fr_page *pages_alloc(unsigned order, enum page_type type);
/* Free 2^order pages allocated by pages_alloc. */
void pages_free(struct fr_page *page, unsigned order);

/*
 * A run of physically contiguous pages, each with its own reference (the
 * pages behind segments and DMA buffers).  contig_alloc returns a run with
 * first == NULL when @npages is 0, too large, or memory is exhausted.
 */
struct page_run {
	struct fr_page *first;
	size_t npages;
};
#define CONTIG_MAX_PAGES 1024UL /* the largest block of the page policy */
struct page_run contig_alloc(size_t npages, bool zero);
void contig_free(struct page_run run);
/* Whether [off, off + len) lies inside the run's bytes. */
bool contig_span_ok(struct page_run run, size_t off, size_t len);

void mm_init(void);
void heap_init(void);

/* ---- boot information ---- */

#define MAX_MEM_REGIONS 64
struct mem_region {
	uint64_t base, len;
	uint32_t type; /* 1 = usable RAM */
};

struct boot_info {
	char cmdline[1024];
	uint64_t initrd_pa, initrd_len;
	struct mem_region regions[MAX_MEM_REGIONS];
	unsigned nregions;
	const char *protocol;
};
extern struct boot_info boot_info;

/* ---- address spaces and kernel stacks (target) ---- */

/* Load @vs (NULL: kernel only) on this CPU.  Interrupts off. */
void vm_space_switch_to_task(struct fr_vm_space *vs);
/* A TASK_STACK_SIZE kernel stack with a guard page below; 0 or -ENOMEM. */
int kstack_alloc(uint64_t *bottom, unsigned *slot);
void kstack_free(unsigned slot);

/* ---- device memory (target) ---- */

/*
 * target: map @npages pages of device memory at the page-aligned physical
 * address @pa, uncached and writable, in kernel space as MMIO window
 * @slot (< FR_MMIO_MAX_WINDOWS); its kernel address goes in @va.  The
 * core has checked that the range is not memory.  Returns 0, -EINVAL
 * (beyond the physical addresses), -EACCES (a device of the frame),
 * -ENOMEM, or -ENODEV (no devices: the hosted target, with a log line).
 */
int arch_mmio_map(unsigned slot, uint64_t pa, size_t npages, uint64_t *va);
/* target: remove the mapping arch_mmio_map made for window @slot. */
void arch_mmio_unmap(unsigned slot, uint64_t va, size_t npages);

/* ---- tasks and CPUs ---- */

enum task_state {
	TASK_NEW,
	TASK_RUNNABLE,
	TASK_RUNNING,
	TASK_SLEEPING,
	TASK_DEAD,
};

struct fr_task {
	struct arch_task arch; /* saved CPU context; the target's */
	uint64_t stack_bottom; /* lowest address of its TASK_STACK_SIZE stack */
	unsigned stack_slot;
	enum task_state state; /* guarded by sched_lock */
	bool on_rq;	       /* queued in the policy; sched_lock */
	int on_cpu;	       /* CPU running it, or -1; sched_lock */
	bool event_pending;
	bool is_idle;
	bool in_services; /* runs service code: holds the service lock */
	struct fr_sched_entity se;
	fr_task_fn fn;
	void *arg;
	void *data;
	struct fr_vm_space *vs; /* address space to activate */
	uint64_t user_ns;	/* time run in user mode; atomic */
	uint64_t sys_ns;	/* time run in the kernel; atomic */
	char name[16];
};

struct percpu {
	struct percpu *self; /* PCPU_SELF */
	uint64_t kernel_rsp; /* PCPU_KERNEL_RSP: to return from user mode */
	uint64_t user_rsp;   /* PCPU_USER_RSP: scratch at syscall entry */
	uint64_t *tss_rsp0;  /* PCPU_TSS_RSP0 */
	/* PCPU_USER_REGS_TOP: the end of the trapframe part of the user
	 * context in user mode, where the SYSCALL entry saves its registers */
	uint64_t user_regs_top;
	unsigned id;
	struct fr_task *current;
	struct fr_task *idle;
	struct fr_user_context *user_ctx;
	bool need_resched;
	bool in_user_fixup;
	uint64_t fs_base_loaded; /* the user FS base this CPU has loaded */
	uint64_t gs_base_loaded; /* and the user GS base (x86-64) */
	struct fr_vm_space *active_vs;
	struct fr_task *prev_dead; /* to reap after a switch */
	bool in_cpu_call;	   /* running a cross-CPU call's function */
	bool give_services; /* release the service lock after the switch */
	uint64_t acct_since; /* monotonic ns up to which current is charged */
};

/*
 * target: this CPU's block, and CPU @id's (below fr_cpu_count()).  A
 * target may define this_cpu() inline in its arch_frame.h instead (and
 * ARCH_INLINE_THIS_CPU): the core calls it on every lock and switch.
 */
#ifndef ARCH_INLINE_THIS_CPU
struct percpu *this_cpu(void);
#endif
struct percpu *percpu_of(unsigned id);
void percpu_init_boot(void);
void task_init_boot(void);
/* A secondary CPU's first context becomes its idle task and idles. */
FR_NORETURN void task_run_secondary_cpu(void);
/* First code of every task, on its own stack (called by the target). */
FR_NORETURN void task_entry(struct fr_task *task);
void sched_tick(void);
void schedule(void);
/*
 * The current task leaves service code for user mode (interrupts off,
 * right before it enters it) / comes back to service code (interrupts
 * on): give up / wait for and take the service lock.
 */
void task_leave_services(void);
void task_enter_services(void);
/*
 * Charge the current task for its time since the last charge: as user
 * time (@user) or kernel time.  Interrupts off.
 */
void task_charge_time(bool user);
/* target: enable interrupts on this CPU. */
void arch_irq_enable(void);

/*
 * The task context switch, provided by the target.
 *
 * arch_task_setup - prepare a new task (stack_bottom set) so that the
 *   first switch to it runs task_entry(task) on its stack.
 * arch_task_adopt_current - make @task describe the context already running
 *   on this CPU (the boot stack, or a secondary CPU's first stack).
 * arch_task_switch - save @prev's context and resume @next; returns when
 *   @prev is resumed.  Interrupts off, sched_lock held; @prev may be
 *   TASK_DEAD, in which case it never resumes.
 * arch_task_release - free what arch_task_setup made, for a dead task that
 *   no CPU runs any more (called before its stack is freed).
 */
void arch_task_setup(struct fr_task *task);
void arch_task_adopt_current(struct fr_task *task);
void arch_task_switch(struct fr_task *prev, struct fr_task *next);
void arch_task_release(struct fr_task *task);

/* target: the scheduling policy is installed: other CPUs may start. */
void arch_scheduler_ready(void);
/* target: interrupt CPU @cpu so that it reschedules (a reschedule IPI). */
void arch_kick_cpu(unsigned cpu);
/*
 * target: a point where pending interrupts may be taken when enabled.
 * Interrupts are asynchronous in the kernel (nothing to do); the hosted
 * target delivers them only at such safe points.
 */
void arch_irq_poll(void);

/* ---- ACPI (core/acpi.c) ---- */

/* The CPUs the firmware's MADT lists as enabled. */
struct acpi_cpus {
	unsigned n;			/* local APIC ids found */
	unsigned dropped;		/* more than FR_MAX_CPUS */
	uint32_t apic_id[FR_MAX_CPUS]; /* in table order, no duplicates */
};

/*
 * Whether a valid RSDP (signature, checksums, length) lies at @pa.  Only
 * physical memory below @limit is read, through phys_to_virt.
 */
bool acpi_rsdp_ok(uint64_t pa, uint64_t limit);
/*
 * Fill @out from the MADT that the RSDP at @rsdp_pa leads to (through the
 * XSDT, or the RSDT when the XSDT is absent or damaged), reading only
 * below @limit.  Returns 0 with at least one CPU, -EINVAL for a damaged
 * RSDP, root table or MADT, -ENOENT without a MADT or an enabled CPU;
 * each failure is logged.
 */
int acpi_madt_cpus(uint64_t rsdp_pa, uint64_t limit, struct acpi_cpus *out);

/* ---- cross-CPU calls (core/smp.c) ---- */

/* The running CPUs as a mask (bit i: CPU i). */
uint64_t cpu_online_mask(void);
/*
 * Run @fn(@arg) on the running CPUs of @mask but this one and wait for
 * them, as fr_cpu_call_others does.  Returns how many ran it, or
 * -EDEADLK from inside a call's function.
 */
int cpu_call_mask(uint64_t mask, fr_cpu_call_fn fn, void *arg);
/* Run the call addressed to this CPU, if any (the call IPI's handler). */
void cpu_call_handle(void);
/* target: interrupt CPU @cpu so that it runs cpu_call_handle() soon. */
void arch_send_call_ipi(unsigned cpu);

/* ---- the vDSO (core/vdso.c) ---- */

/* Make the vDSO's pages: the page policy was just injected. */
void vdso_setup(void);
/* Whether @page is one of the vDSO's (never writable from user mode). */
bool vdso_page(const struct fr_page *page);
/*
 * Publish how the vDSO reads the clocks (a VDSO_CLOCK_* mode of
 * vdso_data.h, the TSC at monotonic 0, the TSC-to-ns multiplier) and the
 * resolutions of the fine and coarse clocks.  Context: any.
 */
void vdso_set_clock(uint32_t mode, uint64_t tsc_base, uint64_t mult,
		    uint64_t hres_ns, uint64_t tick_ns);
/* target: the vDSO's ELF image (its code pages), built into the frame. */
struct fr_bytes arch_vdso_image(void);

/* ---- faults ---- */

/* target: print the call chain from frame @rbp, starting at @rip. */
void dump_backtrace(uint64_t rbp, uint64_t rip);
/* Report the end of a panic and power off with status 3. */
FR_NORETURN void panic_stop(void);

/* ---- console ---- */
/* target: write raw bytes to the console device. */
void arch_console_write(const char *buf, size_t len);

#endif
