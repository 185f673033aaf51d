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
		kt->failed_checks++;
		fr_printk("#   check failed: %s (%s:%d)\n", what, file, line);
	}
	return ok;
}

bool fr_ktest_check_eq(struct fr_ktest_ctx *kt, int64_t a, int64_t b,
		       const char *what, const char *file, int line)
{
	if (a != b) {
		kt->failed_checks++;
		fr_printk("#   check failed: %s: %ld != %ld (%s:%d)\n", what, a,
			  b, file, line);
	}
	return a == b;
}

static bool matches(const struct fr_ktest *t, const char *filter)
{
	size_t n = strlen(t->suite);

	if (!*filter)
		return true;
	if (strncmp(filter, t->suite, n) != 0)
		return strncmp(filter, t->suite, strlen(filter)) == 0;
	if (!filter[n])
		return true;
	return filter[n] == '.' && strcmp(filter + n + 1, t->name) == 0;
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
		t->fn(&kt);
		if (kt.failed_checks)
			failed++;
		fr_printk("%s %u - %s.%s\n", kt.failed_checks ? "not ok" : "ok",
			  total, t->suite, t->name);
	}
	fr_printk("# ktest: %u passed, %u failed\n", total - failed, failed);
	return failed;
}
