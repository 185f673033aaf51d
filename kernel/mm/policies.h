/*
 * The memory policies the kernel injects into the frame (the scheduling
 * policy is sched/sched.h's).
 */
#ifndef KERNEL_MM_POLICIES_H
#define KERNEL_MM_POLICIES_H

#include <frame/mm.h>
#include <frame/heap.h>

extern const struct fr_page_policy buddy_page_policy;
extern const struct fr_heap_policy slab_heap_policy;

#endif
