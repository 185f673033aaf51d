/*
 * Between the hosted target's software page tables (vm.c) and its
 * user-memory copies (user.c).  Frame-private.
 */
#ifndef FRAME_HOSTED_HOSTED_VM_H
#define FRAME_HOSTED_HOSTED_VM_H

#include "frame_internal.h"

/*
 * vm_space_get_page - the page mapped at user address @va in @vs if its
 * protection allows every FR_PROT_* bit in @need, with a reference taken
 * (drop it with fr_page_put); NULL otherwise.
 */
struct fr_page *vm_space_get_page(struct fr_vm_space *vs, uint64_t va,
				  unsigned need);

#endif
