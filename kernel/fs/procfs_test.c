/*
 * KTESTs of procfs's text buffer and of its tables of entries.
 */
#include <frame/ktest.h>
#include <libs/string.h>
#include "fs/procfs.h"

KTEST(procfs, text_grows)
{
	struct proc_text t;

	proc_text_init(&t);
	for (int i = 0; i < 1000; i++)
		proc_printf(&t, "%d,", i % 10);
	KT_ASSERT_EQ(t.error, 0);
	KT_EXPECT_EQ(t.len, 2000);
	KT_EXPECT(!memcmp(t.buf, "0,1,2,", 6));
	KT_EXPECT(!memcmp(t.buf + 1994, "7,8,9,", 6));
	KT_EXPECT_EQ(t.buf[t.len], '\0');
	proc_puts(&t, "end");
	proc_write(&t, "xyz", 2);
	KT_EXPECT(!strcmp(t.buf + 2000, "endxy"));
	proc_text_free(&t);
	KT_EXPECT(t.buf == NULL && t.len == 0);
}

KTEST(procfs, text_long_printf)
{
	struct proc_text t;
	char big[600];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	proc_text_init(&t);
	proc_puts(&t, "x");
	/* one piece larger than the first buffer */
	proc_printf(&t, "%s|%d", big, 42);
	KT_ASSERT_EQ(t.error, 0);
	KT_EXPECT_EQ(t.len, 1 + 599 + 3);
	KT_EXPECT(!strcmp(t.buf + 600, "|42"));
	proc_text_free(&t);
}

KTEST(procfs, text_limit)
{
	struct proc_text t;

	proc_text_init(&t);
	proc_write(&t, "a", PROC_TEXT_MAX + 1);
	KT_EXPECT_EQ(t.error, -ENOMEM);
	proc_puts(&t, "more");
	KT_EXPECT_EQ(t.len, 0);
	proc_text_free(&t);
}

KTEST(procfs, pad_and_links)
{
	struct proc_text t;
	char link[4];

	proc_text_init(&t);
	proc_puts(&t, "ab\n");
	proc_puts(&t, "cd");
	proc_pad(&t, 3, 6); /* the line started at 3: pad it to column 6 */
	proc_puts(&t, "|");
	KT_EXPECT(!strcmp(t.buf, "ab\ncd    |"));
	proc_pad(&t, 3, 2); /* already past: nothing */
	KT_EXPECT_EQ(t.len, 10);
	proc_text_free(&t);
	KT_EXPECT_EQ(proc_link_text("12345", link, sizeof(link)), 4);
	KT_EXPECT(!memcmp(link, "1234", 4));
	KT_EXPECT_EQ(proc_link_text("7", link, sizeof(link)), 1);
}

/* Every entry is one kind of object with what that kind needs. */
static bool entry_ok(const struct proc_entry *e)
{
	switch (e->mode & S_IFMT) {
	case S_IFREG: /* text from show (a thread's own too), or a number;
		       * written if store */
		return (e->show != NULL) + (e->num_get != NULL) == 1 &&
		       (!e->show_thread || e->show) &&
		       !(e->store && e->num_set) && !e->readlink &&
		       !e->children;
	case S_IFLNK:
		return e->readlink && !e->show;
	case S_IFDIR:
		return !e->show && !e->show_thread && !e->readlink &&
		       (e->children != NULL) == (e->nchildren != 0);
	default:
		return false;
	}
}

/* Whether @e and everything below it are well made. */
static bool tree_ok(const struct proc_entry *e)
{
	bool ok = entry_ok(e);

	for (size_t i = 0; i < e->nchildren; i++)
		ok = tree_ok(&e->children[i]) && ok;
	return ok;
}

KTEST(procfs, tables)
{
	for (size_t i = 0; i < proc_root_nentries; i++)
		KT_EXPECT(tree_ok(&proc_root_entries[i]));
	for (size_t i = 0; i < proc_pid_nentries; i++)
		KT_EXPECT(entry_ok(&proc_pid_entries[i]));
	/* the threads' directories have the same entries but the last,
	 * "task" */
	KT_EXPECT(!strcmp(proc_pid_entries[proc_pid_nentries - 1].name,
			  "task"));
	KT_EXPECT_EQ(proc_pid_entries[proc_pid_nentries - 1].numbered,
		     PROC_NUM_TASKS);
}
