/*
 * KTEST: unit tests that live next to the code they test and run in the
 * kernel (and hosted) target.  Output is TAP: "ok N - suite.name" or
 * "not ok N - suite.name" with the failed checks before it.
 */
#ifndef FRAME_KTEST_H
#define FRAME_KTEST_H

#include <frame/types.h>

struct fr_ktest_ctx;

struct fr_ktest {
	const char *suite;
	const char *name;
	void (*fn)(struct fr_ktest_ctx *kt);
};

#define KTEST(suite, name)                                                     \
	static void ktest_##suite##_##name(struct fr_ktest_ctx *kt);           \
	static const struct fr_ktest ktest_desc_##suite##_##name               \
		__attribute__((section("ktest"), used, aligned(8))) = {        \
			#suite, #name, ktest_##suite##_##name                  \
		};                                                             \
	static void ktest_##suite##_##name(struct fr_ktest_ctx *kt)

/*
 * fr_ktest_check - record one check; returns @ok.  Used by the macros.
 */
bool fr_ktest_check(struct fr_ktest_ctx *kt, bool ok, const char *what,
		    const char *file, int line);

/*
 * fr_ktest_check_eq - record an equality check of two integers.
 */
bool fr_ktest_check_eq(struct fr_ktest_ctx *kt, int64_t a, int64_t b,
		       const char *what, const char *file, int line);

#define KT_EXPECT(cond) fr_ktest_check(kt, !!(cond), #cond, __FILE__, __LINE__)
#define KT_EXPECT_EQ(a, b)                                                     \
	fr_ktest_check_eq(kt, (int64_t)(a), (int64_t)(b), #a " == " #b,        \
			  __FILE__, __LINE__)
#define KT_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!KT_EXPECT(cond))                                          \
			return;                                                \
	} while (0)
#define KT_ASSERT_EQ(a, b)                                                     \
	do {                                                                   \
		if (!KT_EXPECT_EQ(a, b))                                       \
			return;                                                \
	} while (0)

/*
 * fr_ktest_run - run every KTEST whose "suite.name" starts with @filter
 * ("" for all), printing TAP.  Context: task context with the policies
 * injected.  Returns the number of failed tests.
 */
int fr_ktest_run(const char *filter);

#endif
