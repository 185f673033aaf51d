/*
 * Basic types of the frame API: fixed-width integers, Linux errno values,
 * and the address kinds.  A user address (fr_uaddr_t) and a physical
 * address (fr_paddr_t) are one-member structs so that they cannot be
 * dereferenced or mixed with kernel pointers by accident.
 */
#ifndef FRAME_TYPES_H
#define FRAME_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <asm-generic/errno.h>

#define FR_MUST_CHECK __attribute__((warn_unused_result))
#define FR_NORETURN __attribute__((noreturn))
#define FR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define FR_PAGE_SIZE 4096UL
#define FR_PAGE_SHIFT 12
#define FR_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define FR_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define FR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FR_MIN(a, b) ((a) < (b) ? (a) : (b))
#define FR_MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * FR_CAPABILITY marks a struct as a capability type: outside the frame its
 * members may not be read or written, it may not be built from an
 * initializer list, and no union may hold it (tools/safec/check.py).  The
 * mark is an annotation that only the checker's compiler sees.
 */
#ifdef __clang__
#define FR_CAPABILITY __attribute__((annotate("fr_capability")))
#else
#define FR_CAPABILITY
#endif

/* A user-space virtual address: never a pointer the kernel may follow. */
typedef struct FR_CAPABILITY {
	uint64_t addr;
} fr_uaddr_t;

static inline fr_uaddr_t fr_uaddr(uint64_t addr)
{
	return (fr_uaddr_t){ addr };
}

static inline fr_uaddr_t fr_uaddr_add(fr_uaddr_t u, uint64_t off)
{
	return (fr_uaddr_t){ u.addr + off };
}

/* A physical address. */
typedef struct FR_CAPABILITY {
	uint64_t addr;
} fr_paddr_t;

/* A physical page frame number. */
typedef uint64_t fr_pfn_t;

/* A read-only span of kernel bytes (e.g. the initramfs). */
struct fr_bytes {
	const uint8_t *data;
	size_t len;
};

#endif
