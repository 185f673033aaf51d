/*
 * Entropy for the kernel target (<frame/random.h>): RDSEED or RDRAND when
 * CPUID advertises them, else time-stamp-counter jitter.
 */
#include "x86.h"
#include <frame/random.h>
#include <libs/string.h>

#define CPUID1_ECX_RDRAND (1u << 30)
#define CPUID7_EBX_RDSEED (1u << 18)
#define RDRAND_RETRIES 10 /* Intel's advice: a failure 10 times is broken */
#define RDSEED_RETRIES 100 /* RDSEED may run dry for a while under load */
#define JITTER_SAMPLES 64 /* timer samples folded into each 64-bit word */

#define HAS_RDRAND 0x1
#define HAS_RDSEED 0x2
#define PROBED 0x4

static unsigned features; /* atomic; HAS_* once PROBED */

static unsigned probe(void)
{
	unsigned f = __atomic_load_n(&features, __ATOMIC_RELAXED);
	uint32_t a, b, c, d;

	if (f & PROBED)
		return f;
	f = PROBED;
	cpuid(1, &a, &b, &c, &d);
	if (c & CPUID1_ECX_RDRAND)
		f |= HAS_RDRAND;
	cpuid(0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, &a, &b, &c, &d);
		if (b & CPUID7_EBX_RDSEED)
			f |= HAS_RDSEED;
	}
	__atomic_store_n(&features, f, __ATOMIC_RELAXED);
	return f;
}

static bool rdseed64(uint64_t *v)
{
	bool ok;

	for (int i = 0; i < RDSEED_RETRIES; i++) {
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
		__asm__ volatile("pause");
	}
	return false;
}

static bool rdrand64(uint64_t *v)
{
	bool ok;

	for (int i = 0; i < RDRAND_RETRIES; i++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* A bijective 64-bit mixer (the finalizer of splitmix64). */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * One word from timer jitter: the time-stamp counter around CPUID (which
 * serializes and, in a virtual machine, exits to the hypervisor) varies
 * with caches, interrupts and the host; every sample is folded in.
 */
static uint64_t jitter64(uint64_t state)
{
	uint32_t a, b, c, d;

	for (int i = 0; i < JITTER_SAMPLES; i++) {
		uint64_t t0 = rdtsc();

		cpuid(0, &a, &b, &c, &d);
		state = mix64(state ^ (rdtsc() - t0) ^ (t0 << 17) ^ i);
	}
	return state;
}

int fr_entropy_read(void *buf, size_t len)
{
	static uint64_t calls; /* atomic: different calls, different words */
	unsigned f = probe();
	uint64_t state = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	uint8_t *out = buf;
	int err = f & (HAS_RDSEED | HAS_RDRAND) ? 0 : -ENODEV;

	for (size_t done = 0; done < len; done += 8) {
		uint64_t w = 0;
		bool ok = false;

		if (!err && (f & HAS_RDSEED))
			ok = rdseed64(&w);
		if (!err && !ok && (f & HAS_RDRAND))
			ok = rdrand64(&w);
		if (!ok) {
			if (!err)
				err = -EIO;
			state = jitter64(state);
			w = state;
		}
		memcpy(out + done, &w, FR_MIN(len - done, sizeof(w)));
	}
	return err;
}
