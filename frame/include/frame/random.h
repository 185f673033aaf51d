/*
 * Entropy: random bytes from the machine, to seed the services'
 * random-number generator (kernel/random/), which stretches them; they
 * are few and slow, not meant to be handed to programs directly.
 *
 * The kernel target uses the CPU's generators when CPUID says they exist
 * (RDSEED, else RDRAND); without them it mixes the jitter of the
 * time-stamp counter sampled around serializing instructions, a weak
 * source (under an emulator a sample carries a few bits at best), and
 * says so in its return value.  The hosted target asks the host kernel
 * (getrandom(2)).
 */
#ifndef FRAME_RANDOM_H
#define FRAME_RANDOM_H

#include <frame/types.h>

/*
 * fr_entropy_read - fill @buf with @len bytes of entropy.
 * Context: any (interrupts may be off; does not sleep; takes some
 * microseconds per 8 bytes without a hardware generator).  @buf is always
 * filled, whatever the answer.
 * Returns 0 when every byte came from a hardware (or host) generator,
 * -ENODEV when the machine has none and the bytes are timer jitter only,
 * or -EIO when the generator kept failing and timer jitter filled in.
 */
int fr_entropy_read(void *buf, size_t len);

#endif
