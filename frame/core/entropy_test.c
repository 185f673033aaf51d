/*
 * KTESTs of the entropy source (<frame/random.h>) and of the processor
 * time of tasks (fr_task_cpu_time in <frame/task.h>).  Only the public
 * frame API is used, so the same tests build for the hosted target.
 */
#include <frame/ktest.h>
#include <frame/random.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <libs/string.h>

/* Every byte is written, two reads differ, and the answer is documented. */
KTEST(entropy, fills_and_differs)
{
	uint8_t a[37], b[37];
	int err;
	bool all_marked = true;

	memset(a, 0xa5, sizeof(a));
	memset(b, 0xa5, sizeof(b));
	err = fr_entropy_read(a, sizeof(a));
	KT_EXPECT(err == 0 || err == -ENODEV || err == -EIO);
	err = fr_entropy_read(b, sizeof(b));
	KT_EXPECT(err == 0 || err == -ENODEV || err == -EIO);
	KT_EXPECT(memcmp(a, b, sizeof(a)) != 0);
	for (size_t i = 0; i < sizeof(a); i++)
		all_marked &= a[i] == 0xa5;
	KT_EXPECT(!all_marked);
	/* the tail of an odd length is written too */
	KT_EXPECT(memcmp(a + 32, b + 32, 5) != 0);
	KT_EXPECT_EQ(fr_entropy_read(a, 0) <= 0, 1);
}

/* Bits are balanced: about half of 4096 bits are ones. */
KTEST(entropy, balanced_bits)
{
	uint64_t w[64];
	unsigned ones = 0;

	(void)fr_entropy_read(w, sizeof(w));
	for (size_t i = 0; i < FR_ARRAY_SIZE(w); i++)
		for (uint64_t x = w[i]; x; x &= x - 1)
			ones++;
	KT_EXPECT(ones > 1800 && ones < 2300);
}

/* A task that spins in the kernel for a few ticks is charged system
 * time for it (the clock it is measured by may be the tick count), and
 * no user time. */
KTEST(task, cpu_time_in_kernel)
{
	const uint64_t tick = 1000000000ULL / FR_TICK_HZ;
	uint64_t user0, sys0, user1, sys1, start = fr_ticks();

	fr_task_cpu_time(fr_task_current(), &user0, &sys0);
	while (fr_ticks() - start < 5)
		;
	fr_task_cpu_time(fr_task_current(), &user1, &sys1);
	KT_EXPECT_EQ(user1, user0);
	KT_EXPECT(sys1 >= sys0 + 3 * tick);
}
