/*
 * User mode in the hosted target.  Copies to and from user memory walk
 * the active address space's software page table (vm.c): an address that
 * is unmapped, or mapped without the access needed (writes need
 * FR_PROT_WRITE, as the kernel runs with CR0.WP), goes to the injected
 * user-fault handler like a kernel page fault on a user address, and
 * gives -EFAULT when the handler cannot resolve it.
 *
 * Running user code is not implemented yet (it will be a traced child
 * process, see FIELD-NOTES.md): fr_user_mode_execute() says so on the
 * console and reports an invalid-opcode exception, which the services
 * turn into the death of the process.
 */
#include "hosted.h"
#include "hosted_vm.h"
#include <frame/user.h>
#include <libs/string.h>

/* The selectors and flags the kernel target gives a new user context. */
#define USER_CS 0x23
#define USER_SS 0x1b
#define USER_RFLAGS 0x202

/* A fault the handler claims to fix but does not is not retried forever. */
#define FAULT_RETRIES 4

struct fr_user_context {
	struct fr_user_regs regs;
};

static fr_user_fault_fn user_fault_handler;

/* fr_user_context_create - see <frame/user.h>. */
struct fr_user_context *fr_user_context_create(void)
{
	struct fr_user_context *ctx = FR_NEW(struct fr_user_context);

	if (ctx) {
		ctx->regs.cs = USER_CS;
		ctx->regs.ss = USER_SS;
		ctx->regs.rflags = USER_RFLAGS;
	}
	return ctx;
}

/* fr_user_context_destroy - see <frame/user.h>. */
void fr_user_context_destroy(struct fr_user_context *ctx)
{
	fr_kfree(ctx);
}

/* fr_user_context_regs - see <frame/user.h>. */
struct fr_user_regs *fr_user_context_regs(struct fr_user_context *ctx)
{
	return &ctx->regs;
}

/* fr_inject_user_fault_handler - see <frame/user.h>. */
void fr_inject_user_fault_handler(fr_user_fault_fn fn)
{
	__atomic_store_n(&user_fault_handler, fn, __ATOMIC_RELEASE);
}

/*
 * fr_user_mode_execute - see <frame/user.h>.  Not available in the hosted
 * target: logs why and returns an invalid-opcode exception at the user's
 * rip, so the caller ends the process instead of looping.  A pending
 * event is still reported first, as in the kernel target.
 */
enum fr_user_return fr_user_mode_execute(struct fr_user_context *ctx,
					 struct fr_user_exception *exc)
{
	if (fr_task_event_pending())
		return FR_USER_EVENT;
	fr_printk("hosted: fr_user_mode_execute: running user code is not "
		  "implemented in the hosted target (ENOSYS); task %s at rip "
		  "%lx gets an invalid-opcode exception\n",
		  fr_task_name(fr_task_current()), ctx->regs.rip);
	exc->vector = FR_EXC_INVALID_OPCODE;
	exc->error_code = 0;
	exc->fault_addr = 0;
	return FR_USER_EXCEPTION;
}

/*
 * fr_user_fpu_reset - see <frame/user.h>.  Hosted user contexts have no
 * FPU state of their own yet (no user code runs), so there is nothing to
 * reset; kernel code's FPU use follows the host's C ABI.
 */
void fr_user_fpu_reset(void)
{
}

/*
 * fr_user_fpu_save / fr_user_fpu_restore - see <frame/user.h>.  With no
 * user code running, the user FPU state is always the clean one: save
 * gives that image and restore has nothing to load.
 */
void fr_user_fpu_save(struct fr_fpu_state *st)
{
	memset(st, 0, sizeof(*st));
	st->bytes[0] = 0x7f; /* FCW = 0x037f */
	st->bytes[1] = 0x03;
	st->bytes[24] = 0x80; /* MXCSR = 0x1f80 */
	st->bytes[25] = 0x1f;
}

void fr_user_fpu_restore(const struct fr_fpu_state *st)
{
	(void)st;
}

/* ---- user memory ---- */

static bool user_range(uint64_t a, size_t len)
{
	return a < FR_USER_END && len <= FR_USER_END - a;
}

/*
 * The page holding user address @va in the active space, with a
 * reference, if it allows @need (FR_PROT_READ or FR_PROT_WRITE); faults
 * go to the user-fault handler as a kernel page fault would.
 */
static struct fr_page *user_page(uint64_t va, unsigned need)
{
	for (int tries = 0; tries <= FAULT_RETRIES; tries++) {
		struct fr_vm_space *vs = fr_vm_space_current();
		fr_user_fault_fn handler =
			__atomic_load_n(&user_fault_handler, __ATOMIC_ACQUIRE);
		struct fr_page *page =
			vs ? vm_space_get_page(vs, va, need) : NULL;

		if (page)
			return page;
		if (!handler || handler(va, need & FR_PROT_WRITE))
			return NULL;
	}
	return NULL;
}

enum user_op { USER_READ, USER_WRITE, USER_ZERO };

/* Copy between @buf and user memory at @va (or zero it); 0 or -EFAULT. */
static int user_access(uint64_t va, uint8_t *buf, size_t len, enum user_op op)
{
	if (!user_range(va, len))
		return -EFAULT;
	while (len) {
		uint64_t off = va & (FR_PAGE_SIZE - 1);
		size_t n = FR_MIN(len, FR_PAGE_SIZE - off);
		struct fr_page *page = user_page(
			va, op == USER_READ ? FR_PROT_READ : FR_PROT_WRITE);
		uint8_t *kva;

		if (!page)
			return -EFAULT;
		kva = (uint8_t *)page_address(page) + off;
		if (op == USER_READ)
			memcpy(buf, kva, n);
		else if (op == USER_WRITE)
			memcpy(kva, buf, n);
		else
			memset(kva, 0, n);
		fr_page_put(page);
		if (buf)
			buf += n;
		va += n;
		len -= n;
	}
	return 0;
}

/* fr_copy_from_user - see <frame/user.h>. */
int fr_copy_from_user(void *dst, fr_uaddr_t src, size_t len)
{
	return user_access(src.addr, dst, len, USER_READ);
}

/* fr_copy_to_user - see <frame/user.h>. */
int fr_copy_to_user(fr_uaddr_t dst, const void *src, size_t len)
{
	return user_access(dst.addr, (uint8_t *)src, len, USER_WRITE);
}

/* fr_clear_user - see <frame/user.h>. */
int fr_clear_user(fr_uaddr_t dst, size_t len)
{
	return user_access(dst.addr, NULL, len, USER_ZERO);
}

/* fr_user_cmpxchg_u32 - see <frame/user.h>. */
int fr_user_cmpxchg_u32(fr_uaddr_t uaddr, uint32_t *expected,
			uint32_t desired)
{
	struct fr_page *page;
	uint32_t *word;

	if (uaddr.addr & 3)
		return -EINVAL;
	if (!user_range(uaddr.addr, sizeof(uint32_t)))
		return -EFAULT;
	/* like the CPU's locked cmpxchg: a write access even on a mismatch */
	page = user_page(uaddr.addr, FR_PROT_WRITE);
	if (!page)
		return -EFAULT;
	word = (uint32_t *)((uint8_t *)page_address(page) +
			    (uaddr.addr & (FR_PAGE_SIZE - 1)));
	__atomic_compare_exchange_n(word, expected, desired, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	fr_page_put(page);
	return 0;
}

/*
 * The index of the first NUL in the @max user bytes at @va, @max when
 * there is none, or -EFAULT when a byte before it cannot be read.
 */
static int64_t user_strnlen(uint64_t va, size_t max)
{
	size_t n = 0;

	while (n < max) {
		uint64_t off = va & (FR_PAGE_SIZE - 1);
		size_t chunk = FR_MIN(max - n, FR_PAGE_SIZE - off);
		struct fr_page *page = user_page(va, FR_PROT_READ);
		const uint8_t *kva, *nul;

		if (!page)
			return -EFAULT;
		kva = (const uint8_t *)page_address(page) + off;
		nul = memchr(kva, 0, chunk);
		fr_page_put(page);
		if (nul)
			return n + (size_t)(nul - kva);
		n += chunk;
		va += chunk;
	}
	return max;
}

/* fr_strncpy_from_user - see <frame/user.h>. */
int64_t fr_strncpy_from_user(char *dst, fr_uaddr_t src, size_t size)
{
	size_t max = size;
	int64_t n;

	if (!size)
		return -ENAMETOOLONG;
	if (src.addr >= FR_USER_END)
		return -EFAULT;
	if (max > FR_USER_END - src.addr)
		max = FR_USER_END - src.addr;
	n = user_strnlen(src.addr, max);
	if (n < 0)
		return n;
	if ((size_t)n == max)
		return max == size ? -ENAMETOOLONG : -EFAULT;
	if (user_access(src.addr, (uint8_t *)dst, n + 1, USER_READ))
		return -EFAULT;
	return n;
}
