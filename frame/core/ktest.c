/*
 * The KTEST runner: walks the "ktest" linker section and prints TAP.
 */
#include "frame_internal.h"
#include <frame/ktest.h>
#include <libs/string.h>

struct fr_ktest_ctx {
	unsigned failed_checks;
};

extern const struct fr_ktest __start_ktest[], __stop_ktest[];

bool fr_ktest_check(struct fr_ktest_ctx *kt, bool ok, const char *what,
		    const char *file, int line)
{
	if (!ok) {
		/* checks may fail in tasks on other CPUs */
		__atomic_add_fetch(&kt->failed_checks, 1, __ATOMIC_RELAXED);
		fr_printk("#   check failed: %s (%s:%d)\n", what, file, line);
	}
	return ok;
}

bool fr_ktest_check_eq(struct fr_ktest_ctx *kt, int64_t a, int64_t b,
		       const char *what, const char *file, int line)
{
	if (a != b) {
		__atomic_add_fetch(&kt->failed_checks, 1, __ATOMIC_RELAXED);
		fr_printk("#   check failed: %s: %ld != %ld (%s:%d)\n", what, a,
			  b, file, line);
	}
	return a == b;
}

/* Whether "suite.name" starts with @filter. */
static bool matches(const struct fr_ktest *t, const char *filter)
{
	size_t n = strlen(t->suite), f = strlen(filter);

	if (f <= n)
		return strncmp(filter, t->suite, f) == 0;
	return strncmp(filter, t->suite, n) == 0 && filter[n] == '.' &&
	       strncmp(filter + n + 1, t->name, f - n - 1) == 0;
}

int fr_ktest_run(const char *filter)
{
	unsigned total = 0, failed = 0;

	for (const struct fr_ktest *t = __start_ktest; t < __stop_ktest; t++)
		if (matches(t, filter))
			total++;
	fr_printk("TAP version 13\n1..%u\n", total);
	total = 0;
	for (const struct fr_ktest *t = __start_ktest; t < __stop_ktest; t++) {
		struct fr_ktest_ctx kt = { 0 };

		if (!matches(t, filter))
			continue;
		total++;
		/* names the test a crash or a sanitizer report happens in */
		fr_printk("# %s.%s\n", t->suite, t->name);
		t->fn(&kt);
		if (kt.failed_checks)
			failed++;
		fr_printk("%s %u - %s.%s\n", kt.failed_checks ? "not ok" : "ok",
			  total, t->suite, t->name);
	}
	fr_printk("# ktest: %u passed, %u failed\n", total - failed, failed);
	return failed;
}
