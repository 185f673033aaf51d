/*
 * Kernel backtraces symbolized from the .ksyms table that the second link
 * pass adds, and the stack protector's canary and failure report.
 */
#include "x86_internal.h"

/* Symbol table emitted into .ksyms after the first link. */
struct ksym {
	uint64_t addr;
	uint32_t name;
	uint32_t reserved;
};
extern const uint8_t __ksyms_start[], __data_end[], __kernel_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	const uint64_t *hdr = (const uint64_t *)__ksyms_start;
	uint64_t count;
	const struct ksym *syms;
	const char *names;
	size_t lo = 0, hi;

	if (__kernel_end - __ksyms_start < 16 || hdr[0] != 0x4b53594d53ULL)
		return NULL;
	count = hdr[1];
	syms = (const struct ksym *)(hdr + 2);
	names = (const char *)(syms + count);
	if (!count || addr < syms[0].addr)
		return NULL;
	hi = count;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - syms[lo].addr;
	return names + syms[lo].name;
}

static void print_frame(uint64_t addr)
{
	uint64_t off = 0;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		fr_printk("  [<%016lx>] %s+0x%lx\n", addr, name, off);
	else
		fr_printk("  [<%016lx>] ?\n", addr);
}

static bool frame_readable(uint64_t rbp)
{
	struct fr_task *t = this_cpu()->current;
	uint64_t boot = (uint64_t)fr_boot_stack_bottom;

	if (rbp & 7)
		return false;
	if (rbp >= boot + FR_PAGE_SIZE && rbp + 16 <= boot + BOOT_STACK_BYTES)
		return true;
	return t && rbp >= t->stack_bottom &&
	       rbp + 16 <= t->stack_bottom + TASK_STACK_SIZE;
}

void dump_backtrace(uint64_t rbp, uint64_t rip)
{
	fr_printk("Backtrace:\n");
	print_frame(rip);
	for (int depth = 0; depth < 24 && frame_readable(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		if (!frame[1])
			break;
		print_frame(frame[1]);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

/* Stack protector: the canary and its failure report. */
uint64_t __stack_chk_guard = 0x595e9fbd94fda766ULL;
FR_NORETURN void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	fr_panic("stack protector: corrupted stack");
}
