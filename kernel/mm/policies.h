/*
 * The memory and scheduling policies the kernel injects into the frame.
 */
#ifndef KERNEL_MM_POLICIES_H
#define KERNEL_MM_POLICIES_H

#include <frame/mm.h>
#include <frame/heap.h>
#include <frame/task.h>

extern const struct fr_page_policy buddy_page_policy;
extern const struct fr_heap_policy slab_heap_policy;
extern const struct fr_sched_policy round_robin_policy;

#endif
