/*
 * ChaCha20, as RFC 8439 section 2 describes it: the quarter round, the
 * block function (a 256-bit key, a 32-bit block counter and a 96-bit
 * nonce give 64 bytes of key stream) and the stream cipher.  The kernel's
 * random-number generator (random.h) is built on the block function.
 */
#ifndef KERNEL_RANDOM_CHACHA20_H
#define KERNEL_RANDOM_CHACHA20_H

#include <frame/types.h>

#define CHACHA20_KEY_SIZE 32
#define CHACHA20_NONCE_SIZE 12
#define CHACHA20_BLOCK_SIZE 64

/* chacha20_quarter_round - RFC 8439 2.1 on four words, in place. */
void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/*
 * chacha20_block - RFC 8439 2.3: the key-stream block number @counter for
 * @key and @nonce (byte strings, read as little-endian words), serialized
 * into @out.
 */
void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE],
		    uint8_t out[CHACHA20_BLOCK_SIZE]);

/*
 * chacha20_xor - RFC 8439 2.4: encrypt (or decrypt) @len bytes of @in
 * into @out (which may be @in) with the key stream from block @counter.
 */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in,
		  uint8_t *out, size_t len);

#endif
