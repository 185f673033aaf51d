/*
 * Rights in types: capability handles whose rights are known at compile
 * time (DESIGN.md §3, docs/safe-c.md "Rights in types").
 *
 * A handle is a struct of one pointer to the object, marked FR_CAPABILITY,
 * and each right set is a distinct handle type: a read-only and a
 * read-write handle to the same object are two types.  Distinct struct
 * types never convert, so passing the wrong one is a compile error, and
 * the generated code is the raw pointer's (the struct travels in one
 * register; tools/rights/check-zero-cost.sh compares the object code).
 *
 * - Dropping a right is a free conversion written by the owner of the
 *   types (FR_HANDLE_PAIR writes the read-write to read-only one).  The
 *   read-only handle holds a pointer to const, so no conversion the other
 *   way can even be written without an error.
 * - Gaining a right is impossible: outside the owner of a handle type its
 *   member may not be read and a handle may not be built from an
 *   initializer list (the capability-member rule of tools/safec/check.py).
 * - An operation is a macro that dispatches on the handle's type with
 *   _Generic: a handle with the right selects the function, a stronger one
 *   is weakened first, and one without the right selects a function
 *   declared FR_DENIED, whose call is a compile error with a message that
 *   names the operation and the right it needs.  Any other argument (a raw
 *   pointer) fails with "_Generic selector ... not compatible".
 *
 * The frame's handles: page segments (<frame/mm.h>: fr_segment_ro /
 * fr_segment_rw), DMA buffers (<frame/dma.h>: by direction) and MMIO
 * windows (<frame/io.h>: fr_mmio_ro / fr_mmio_rw).  Services may declare
 * their own (kernel/security/cred.h: cred_r / cred_rw); the header and the
 * .c file of the same name that declare a handle type are its owner.
 */
#ifndef FRAME_RIGHTS_H
#define FRAME_RIGHTS_H

#include <frame/types.h>

/*
 * FR_HANDLE - declare the handle type @name (also its struct tag, which
 * compiler messages show): one pointer to @object (a struct type; "const
 * struct x" for a right set that may not change it).
 */
#define FR_HANDLE(name, object)                                                \
	typedef struct FR_CAPABILITY name {                                    \
		object *obj;                                                   \
	} name

/*
 * FR_HANDLE_PAIR - declare a read-only handle @ro and a read-write handle
 * @rw to @object (a struct type), with the free conversions
 * @rw##_to_ro(h) and @ro##_to_ro(h) (the identity, for FR_TO_RO).  Both
 * handles are checked to be one pointer wide.
 */
#define FR_HANDLE_PAIR(ro, rw, object)                                         \
	FR_HANDLE(ro, const object);                                           \
	FR_HANDLE(rw, object);                                                 \
	static inline ro rw##_to_ro(rw h)                                      \
	{                                                                      \
		return (ro){ h.obj };                                          \
	}                                                                      \
	static inline ro ro##_to_ro(ro h)                                      \
	{                                                                      \
		return h;                                                      \
	}                                                                      \
	_Static_assert(sizeof(ro) == sizeof(void *) &&                         \
			       sizeof(rw) == sizeof(void *),                   \
		       #ro " and " #rw " are one pointer")

/*
 * FR_TO_RO - the read-only handle @ro of a handle @h of the pair (@ro,
 * @rw): a rw handle is weakened, a ro one passes unchanged.  Each header
 * wraps it for its pair (fr_segment_ro_of(seg)).
 */
#define FR_TO_RO(ro, rw, h) _Generic((h), ro: ro##_to_ro, rw: rw##_to_ro)(h)

/* FR_HANDLE_NONE - the handle of type @type that refers to nothing. */
#define FR_HANDLE_NONE(type) ((type){ NULL })

/* FR_HANDLE_IS_NONE - whether handle @h refers to nothing (a failed
 * allocation). */
#define FR_HANDLE_IS_NONE(h) ((h).obj == NULL)

/*
 * FR_DENIED - the attribute of a function that an operation's _Generic
 * selects for a handle that lacks the right: calling it is a compile
 * error showing @msg.  Such functions are named fr_denied_* (services'
 * own: <prefix>_denied_*), are never defined, and are not exported.
 */
#define FR_DENIED(msg) __attribute__((error(msg)))

#endif
