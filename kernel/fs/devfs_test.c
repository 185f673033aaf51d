/*
 * KTESTs of the memory devices (fs/devfs.h) through their file
 * operations on kernel buffers.
 */
#include <frame/ktest.h>
#include <libs/string.h>
#include "fs/devfs.h"
#include "fs/vfs.h"

#define LEN 5000 /* more than a page */

static uint8_t buf_a[LEN], buf_b[LEN];

static long dev_read(unsigned minor, uint8_t *buf, size_t len)
{
	struct iobuf b = iobuf_kernel(buf);
	uint64_t pos = 0;

	return mem_fops(minor)->read(NULL, &b, len, &pos);
}

static long dev_write(unsigned minor, uint8_t *buf, size_t len)
{
	struct iobuf b = iobuf_kernel(buf);
	uint64_t pos = 0;

	return mem_fops(minor)->write(NULL, &b, len, &pos);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

KTEST(devfs, mem_minors)
{
	KT_EXPECT(mem_fops(MEM_NULL_MINOR) != NULL);
	KT_EXPECT(mem_fops(MEM_URANDOM_MINOR) != NULL);
	KT_EXPECT(mem_fops(1) == NULL); /* /dev/mem is not provided */
	KT_EXPECT(mem_fops(MEM_ZERO_MINOR) != mem_fops(MEM_FULL_MINOR));
}

KTEST(devfs, null)
{
	KT_EXPECT_EQ(dev_read(MEM_NULL_MINOR, buf_a, LEN), 0);
	KT_EXPECT_EQ(dev_write(MEM_NULL_MINOR, buf_a, LEN), LEN);
}

KTEST(devfs, zero_and_full)
{
	memset(buf_a, 0xaa, LEN);
	KT_EXPECT_EQ(dev_read(MEM_ZERO_MINOR, buf_a, LEN), LEN);
	KT_EXPECT(all_zero(buf_a, LEN));
	KT_EXPECT_EQ(dev_write(MEM_ZERO_MINOR, buf_a, 10), 10);
	memset(buf_a, 0xaa, LEN);
	KT_EXPECT_EQ(dev_read(MEM_FULL_MINOR, buf_a, 100), 100);
	KT_EXPECT(all_zero(buf_a, 100));
	KT_EXPECT_EQ(buf_a[100], 0xaa);
	KT_EXPECT_EQ(dev_write(MEM_FULL_MINOR, buf_a, 1), -ENOSPC);
}

KTEST(devfs, random)
{
	memset(buf_a, 0, LEN);
	memset(buf_b, 0, LEN);
	KT_EXPECT_EQ(dev_read(MEM_URANDOM_MINOR, buf_a, LEN), LEN);
	KT_EXPECT_EQ(dev_read(MEM_RANDOM_MINOR, buf_b, LEN), LEN);
	KT_EXPECT(memcmp(buf_a, buf_b, LEN) != 0);
	/* the tail past the last whole block is filled too */
	KT_EXPECT(!all_zero(buf_a + LEN - 16, 16));
	KT_EXPECT_EQ(dev_write(MEM_RANDOM_MINOR, buf_a, 7), 7);
}
