/*
 * An expected-failure fixture for the hosted test harness: service code
 * with a deliberate use-after-free of kernel heap memory.  It is linked
 * only into build/hosted/asan/trellis-hosted-uaf-fixture, never into a
 * real suite; `make hosted-fixtures` checks that ASan reports the bad
 * read and that the harness counts the test as failed.
 */
#include <frame/heap.h>
#include <frame/ktest.h>

struct fixture_record {
	long id;
	long value;
};

KTEST(fixture, use_after_free)
{
	struct fixture_record *record = FR_NEW(struct fixture_record);

	KT_ASSERT(record != NULL);
	record->value = 42;
	fr_kfree(record);
	/* the bug: reading the record after giving it back */
	KT_EXPECT_EQ(record->value, 42);
}
