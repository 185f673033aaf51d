/*
 * Interrupt lines services may handle (device IRQs).  Handlers run in IRQ
 * context with interrupts off: they must not sleep.
 */
#ifndef FRAME_IRQ_H
#define FRAME_IRQ_H

#include <frame/types.h>

#define FR_IRQ_LINES 16

typedef void (*fr_irq_handler_t)(unsigned line);

/*
 * fr_irq_register - call @handler on each interrupt of legacy line @line
 * and unmask the line.  Context: task context.
 * Returns 0, -EINVAL for a bad line, -EBUSY when the line is taken (the
 * timer's line is the frame's own).
 */
int fr_irq_register(unsigned line, fr_irq_handler_t handler) FR_MUST_CHECK;

/*
 * fr_irq_unregister - mask @line and forget its handler.
 */
void fr_irq_unregister(unsigned line);

#endif
