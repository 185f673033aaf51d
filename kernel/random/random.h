/*
 * The kernel's random-number generator: a ChaCha20 (RFC 8439) key stream
 * keyed from the frame's entropy (<frame/random.h>), for getrandom(2),
 * AT_RANDOM and anything else in the kernel that needs unpredictable
 * bytes.
 *
 * Design (fast key erasure): a 256-bit base key, seeded from the frame on
 * first use and reseeded (fresh entropy mixed in) once a minute.  Each
 * request takes one block of the base key's stream, under a lock: its
 * first half replaces the base key, its second half keys the request's
 * own stream, which the request then generates without the lock.  A key
 * is never used for two requests, and an earlier output cannot be
 * computed back from the state that follows it.
 *
 * The generator never blocks and is ready from its first use: it is as
 * good as the frame's entropy, which on a machine without RDSEED/RDRAND is
 * timer jitter only (the boot log says which).
 */
#ifndef KERNEL_RANDOM_RANDOM_H
#define KERNEL_RANDOM_RANDOM_H

#include <frame/types.h>
#include "random/chacha20.h"

/* A request's own key stream (keep it on the stack; close it). */
struct random_stream {
	uint8_t key[CHACHA20_KEY_SIZE];
	uint64_t block; /* the next block: low word counter, high word nonce */
};

/*
 * random_stream_open - start a stream with a key of its own.
 * Context: any (takes a spinlock with interrupts off; seeding the first
 * time may take a few milliseconds without a hardware generator).
 */
void random_stream_open(struct random_stream *s);

/* random_stream_next - the stream's next 64 bytes.  Context: any. */
void random_stream_next(struct random_stream *s,
			uint8_t out[CHACHA20_BLOCK_SIZE]);

/* random_stream_close - erase the stream's key.  Context: any. */
void random_stream_close(struct random_stream *s);

/* random_get_bytes - fill @buf with @len random bytes.  Context: any. */
void random_get_bytes(void *buf, size_t len);

/* random_u64 - one random 64-bit number.  Context: any. */
uint64_t random_u64(void);

#endif
