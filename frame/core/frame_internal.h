/*
 * Frame-private declarations shared by the frame's core and architecture
 * code: page metadata, tasks, per-CPU state and the hooks between them.
 * Services cannot include this header.
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

/* Boot-time page allocator, before the policy is injected. */
uint64_t boot_alloc_pages(size_t n);

/* Allocate 2^order pages, typed; NULL when none. */
struct fr_page *pages_alloc(unsigned order, enum page_type type);
/* Free 2^order pages allocated by pages_alloc. */
void pages_free(struct fr_page *page, unsigned order);

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

/* ---- paging ---- */

void paging_init(void);
/* Map 4 KiB kernel pages (stacks); flags are PTE bits. */
int kernel_map_page(uint64_t va, uint64_t pa, uint64_t flags);
void kernel_unmap_page(uint64_t va);
uint64_t kernel_pml4_pa(void);
void vm_space_switch_to_task(struct fr_vm_space *vs);
/* A kernel stack with a guard page below; returns 0 or -ENOMEM. */
int kstack_alloc(uint64_t *bottom, unsigned *slot);
void kstack_free(unsigned slot);

/* ---- tasks and CPUs ---- */

#define TASK_STACK_SIZE (16 * 1024)
#define BOOT_STACK_BYTES (16 * 1024)

enum task_state {
	TASK_NEW,
	TASK_RUNNABLE,
	TASK_RUNNING,
	TASK_SLEEPING,
	TASK_DEAD,
};

struct fr_task {
	uint64_t saved_rsp; /* while switched out */
	uint64_t stack_bottom;
	unsigned stack_slot;
	enum task_state state; /* guarded by sched_lock */
	bool on_rq;	       /* queued in the policy; sched_lock */
	int on_cpu;	       /* CPU running it, or -1; sched_lock */
	bool event_pending;
	bool is_idle;
	struct fr_sched_entity se;
	fr_task_fn fn;
	void *arg;
	void *data;
	struct fr_vm_space *vs; /* address space to activate */
	char name[16];
	uint8_t fpu[512] __attribute__((aligned(16)));
};

struct percpu {
	struct percpu *self; /* PCPU_SELF */
	uint64_t kernel_rsp; /* PCPU_KERNEL_RSP: to return from user mode */
	uint64_t user_rsp;   /* PCPU_USER_RSP: scratch at syscall entry */
	uint64_t *tss_rsp0;  /* PCPU_TSS_RSP0 */
	unsigned id;
	struct fr_task *current;
	struct fr_task *idle;
	struct fr_user_context *user_ctx;
	bool need_resched;
	bool in_user_fixup;
	uint64_t fs_base_loaded;
	struct fr_vm_space *active_vs;
	struct fr_task *prev_dead; /* to reap after a switch */
};

struct percpu *this_cpu(void);
void percpu_init_boot(void);
void task_init_boot(void);
void sched_tick(void);
void schedule(void);
void arch_irq_enable(void);
void arch_fpu_save(uint8_t *area);
void arch_fpu_restore(const uint8_t *area);
void arch_fpu_init_state(uint8_t *area);

/* ---- traps ---- */

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

void gdt_init(void);
void idt_init(void);
void syscall_init(void);
void pic_init(void);
void pit_init(void);
void pic_unmask(unsigned line);
void pic_mask(unsigned line);
void pic_eoi(unsigned line);
void irq_dispatch(unsigned line);
void timer_irq(void);
bool user_fault_fixup(struct trapframe *tf, uint64_t addr);
void dump_backtrace(uint64_t rbp, uint64_t rip);
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

/* entry.S */
uint64_t arch_user_enter(struct fr_user_regs *regs);
FR_NORETURN void arch_return_to_kernel(uint64_t reason);
void arch_switch(uint64_t *save_rsp, uint64_t new_rsp);
void arch_task_trampoline(void);
int arch_copy_user(void *dst, const void *src, size_t len);
int arch_fill_user(void *dst, int byte, size_t len);
int64_t arch_strnlen_user(const void *src, size_t max);
extern uint64_t arch_isr_stubs[];
void arch_syscall_entry(void);

/* ---- console ---- */
void serial_init(void);
void arch_console_putc(char c);

#endif
