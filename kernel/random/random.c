/*
 * The random-number generator (random.h): a base ChaCha20 key with fast
 * key erasure, seeded and reseeded from the frame's entropy.
 */
#include <frame/log.h>
#include <frame/random.h>
#include <frame/sync.h>
#include <frame/timer.h>
#include <libs/string.h>
#include "random/random.h"

#define RESEED_NS (60ULL * 1000000000ULL) /* Linux's crng reseeds as often */

static struct fr_spinlock lock = FR_SPINLOCK_INIT;
static uint8_t base_key[CHACHA20_KEY_SIZE]; /* [lock] */
static bool seeded; /* [lock] */
static uint64_t seeded_at; /* [lock] fr_monotonic_ns() */
static uint64_t requests; /* [lock] nonce of the base stream */

/*
 * Mix fresh entropy into the base key: the key XOR the entropy keys one
 * block whose first half is the new key, so that neither the old key nor
 * the entropy alone determines it.  Returns the frame's answer.
 */
static int reseed_locked(void)
{
	uint8_t fresh[CHACHA20_KEY_SIZE], block[CHACHA20_BLOCK_SIZE];
	uint8_t nonce[CHACHA20_NONCE_SIZE] = { 's', 'e', 'e', 'd' };
	int err = fr_entropy_read(fresh, sizeof(fresh));

	for (size_t i = 0; i < sizeof(fresh); i++)
		fresh[i] ^= base_key[i];
	chacha20_block(fresh, 0, nonce, block);
	memcpy(base_key, block, sizeof(base_key));
	memset(fresh, 0, sizeof(fresh));
	memset(block, 0, sizeof(block));
	seeded_at = fr_monotonic_ns();
	return err;
}

void random_stream_open(struct random_stream *s)
{
	uint8_t block[CHACHA20_BLOCK_SIZE], nonce[CHACHA20_NONCE_SIZE] = { 0 };
	unsigned long irq = fr_spin_lock_irqsave(&lock);
	bool first = !seeded;
	int err = 0;

	if (!seeded || fr_monotonic_ns() - seeded_at >= RESEED_NS)
		err = reseed_locked();
	seeded = true;
	for (unsigned i = 0; i < 8; i++)
		nonce[i] = (uint8_t)(requests >> (8 * i));
	requests++;
	chacha20_block(base_key, 0, nonce, block);
	memcpy(base_key, block, CHACHA20_KEY_SIZE);
	fr_spin_unlock_irqrestore(&lock, irq);

	memcpy(s->key, block + CHACHA20_KEY_SIZE, CHACHA20_KEY_SIZE);
	s->block = 0;
	memset(block, 0, sizeof(block));
	if (first)
		fr_printk("random: seeded from %s\n",
			  err == 0 ? "the hardware generator"
			  : err == -ENODEV
				  ? "timer jitter (no hardware generator)"
				  : "timer jitter (the generator failed)");
}

void random_stream_next(struct random_stream *s,
			uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint8_t nonce[CHACHA20_NONCE_SIZE] = { 0 };

	for (unsigned i = 0; i < 4; i++)
		nonce[i] = (uint8_t)(s->block >> (32 + 8 * i));
	chacha20_block(s->key, (uint32_t)s->block, nonce, out);
	s->block++;
}

void random_stream_close(struct random_stream *s)
{
	memset(s, 0, sizeof(*s));
}

void random_get_bytes(void *buf, size_t len)
{
	uint8_t *out = buf, block[CHACHA20_BLOCK_SIZE];
	struct random_stream s;

	random_stream_open(&s);
	for (size_t done = 0; done < len; done += sizeof(block)) {
		random_stream_next(&s, block);
		memcpy(out + done, block, FR_MIN(len - done, sizeof(block)));
	}
	random_stream_close(&s);
	memset(block, 0, sizeof(block));
}

uint64_t random_u64(void)
{
	uint64_t v;

	random_get_bytes(&v, sizeof(v));
	return v;
}
