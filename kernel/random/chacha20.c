/*
 * ChaCha20 (chacha20.h), written from RFC 8439 section 2.
 */
#include <libs/string.h>
#include "random/chacha20.h"

/* "expand 32-byte k" as four little-endian words (RFC 8439 2.3). */
static const uint32_t sigma[4] = { 0x61707865, 0x3320646e, 0x79622d32,
				   0x6b206574 };

static uint32_t rotl32(uint32_t v, unsigned n)
{
	return (v << n) | (v >> (32 - n));
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	*a += *b;
	*d = rotl32(*d ^ *a, 16);
	*c += *d;
	*b = rotl32(*b ^ *c, 12);
	*a += *b;
	*d = rotl32(*d ^ *a, 8);
	*c += *d;
	*b = rotl32(*b ^ *c, 7);
}

/* QUARTERROUND(i, j, k, l) of RFC 8439 2.2, on the state @x. */
static void qr(uint32_t *x, unsigned i, unsigned j, unsigned k, unsigned l)
{
	chacha20_quarter_round(&x[i], &x[j], &x[k], &x[l]);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE],
		    uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint32_t init[16], x[16];

	/* constants, key, block counter, nonce */
	for (unsigned i = 0; i < 4; i++)
		init[i] = sigma[i];
	for (unsigned i = 0; i < 8; i++)
		init[4 + i] = load_le32(key + 4 * i);
	init[12] = counter;
	for (unsigned i = 0; i < 3; i++)
		init[13 + i] = load_le32(nonce + 4 * i);
	memcpy(x, init, sizeof(x));
	/* 20 rounds: 10 times a column round and a diagonal round */
	for (unsigned round = 0; round < 10; round++) {
		qr(x, 0, 4, 8, 12);
		qr(x, 1, 5, 9, 13);
		qr(x, 2, 6, 10, 14);
		qr(x, 3, 7, 11, 15);
		qr(x, 0, 5, 10, 15);
		qr(x, 1, 6, 11, 12);
		qr(x, 2, 7, 8, 13);
		qr(x, 3, 4, 9, 14);
	}
	for (unsigned i = 0; i < 16; i++)
		store_le32(out + 4 * i, x[i] + init[i]);
	memset(x, 0, sizeof(x));
	memset(init, 0, sizeof(init));
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in,
		  uint8_t *out, size_t len)
{
	uint8_t stream[CHACHA20_BLOCK_SIZE];

	for (size_t done = 0; done < len; done += CHACHA20_BLOCK_SIZE) {
		size_t n = FR_MIN(len - done, sizeof(stream));

		chacha20_block(key, counter++, nonce, stream);
		for (size_t i = 0; i < n; i++)
			out[done + i] = in[done + i] ^ stream[i];
	}
	memset(stream, 0, sizeof(stream));
}
