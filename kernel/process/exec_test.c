/*
 * KTESTs of program loading (exec.c) and of the initramfs path walk
 * (libs/cpio.c): "#!" lines parsed as Linux parses them, path walks over
 * an archive built here (".", "..", symbolic links, their limit, trailing
 * slashes), a small ELF program loaded into a fresh address space with
 * its stack read back, and that program corrupted at random many times:
 * each load must end in one of the errors Linux gives or in an image
 * whose first instruction faults, never in a crash (the hosted target
 * runs this under AddressSanitizer, which catches any read outside the
 * file), and the same program run from a tmpfs file, whose segments are
 * mapped from the file.
 */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/vm.h>
#include <libs/cpio.h>
#include <libs/elf.h>
#include <libs/fmt.h>
#include <libs/string.h>
#include <linux/auxvec.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "process/exec.h"
#include "process/process.h"

/* ---- "#!" lines ---- */

struct script_case {
	const char *line;
	int err;
	const char *name, *arg;
};

static const struct script_case script_cases[] = {
	{ "#!/bin/sh\n", 0, "/bin/sh", NULL },
	{ "#!/bin/sh -e\n", 0, "/bin/sh", "-e" },
	{ "#!  /bin/sh  -e  -x \t\n", 0, "/bin/sh", "-e  -x" },
	{ "#!\t/bin/sh\targ\t\n", 0, "/bin/sh", "arg" },
	{ "#!/bin/sh x", 0, "/bin/sh", "x" },
	{ "#!/bin/sh\r\n", 0, "/bin/sh\r", NULL },
	{ "#!/bin/sh\nsecond line\n", 0, "/bin/sh", NULL },
	{ "#!\n", -ENOEXEC, NULL, NULL },
	{ "#! \t \n", -ENOEXEC, NULL, NULL },
	{ "#!", 0, "", NULL },
	{ "#", -ENOEXEC, NULL, NULL },
	{ "!#/bin/sh\n", -ENOEXEC, NULL, NULL },
	{ "\x7f" "ELF", -ENOEXEC, NULL, NULL },
};

KTEST(exec, script_line)
{
	char buf[BINPRM_BUF_SIZE];
	const char *name, *arg;

	for (size_t i = 0; i < FR_ARRAY_SIZE(script_cases); i++) {
		const struct script_case *c = &script_cases[i];
		int err;

		memset(buf, 0, sizeof(buf));
		str_copy(buf, c->line, sizeof(buf));
		err = exec_script_line(buf, &name, &arg);
		KT_EXPECT_EQ(err, c->err);
		if (err || c->err)
			continue;
		KT_EXPECT(!strcmp(name, c->name));
		KT_EXPECT(c->arg ? arg && !strcmp(arg, c->arg) : !arg);
	}
}

/* Lines longer than the buffer: the argument is cut, the name must be
 * whole. */
KTEST(exec, script_line_long)
{
	char buf[BINPRM_BUF_SIZE];
	const char *name, *arg;

	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "#!/bin/sh ", 10);
	KT_ASSERT_EQ(exec_script_line(buf, &name, &arg), 0);
	KT_EXPECT(!strcmp(name, "/bin/sh"));
	KT_ASSERT(arg != NULL);
	KT_EXPECT_EQ(strlen(arg), BINPRM_BUF_SIZE - 1 - 10);

	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "#!/", 3);
	KT_EXPECT_EQ(exec_script_line(buf, &name, &arg), -ENOEXEC);

	/* a name that ends right at the buffer's last byte, a space */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "#!/", 3);
	buf[BINPRM_BUF_SIZE - 1] = ' ';
	KT_ASSERT_EQ(exec_script_line(buf, &name, &arg), 0);
	KT_EXPECT_EQ(strlen(name), BINPRM_BUF_SIZE - 3);
	KT_EXPECT(!arg);
}

/* ---- path walks ---- */

struct archive {
	uint8_t buf[8192];
	size_t len;
};

static void add_entry(struct archive *a, const char *name, uint32_t mode,
		      const char *data)
{
	size_t nlen = strlen(name) + 1, dlen = data ? strlen(data) : 0;

	a->len += str_format((char *)a->buf + a->len, sizeof(a->buf) - a->len,
			     "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x"
			     "%08x%08zx%08x",
			     1, mode, 0, 0, 1, 0, dlen, 0, 0, 0, 0, nlen, 0);
	memcpy(a->buf + a->len, name, nlen);
	a->len = (a->len + nlen + 3) & ~(size_t)3;
	if (dlen)
		memcpy(a->buf + a->len, data, dlen);
	a->len = (a->len + dlen + 3) & ~(size_t)3;
}

static struct archive *make_archive(void)
{
	struct archive *a = FR_NEW(struct archive);

	if (!a)
		return NULL;
	add_entry(a, "bin", CPIO_S_IFDIR | 0755, NULL);
	add_entry(a, "bin/prog", CPIO_S_IFREG | 0755, "\x7f" "ELF");
	add_entry(a, "bin/rel", CPIO_S_IFLNK | 0777, "prog");
	add_entry(a, "bin/up", CPIO_S_IFLNK | 0777, "..");
	add_entry(a, "bin/abs", CPIO_S_IFLNK | 0777, "/bin/prog");
	add_entry(a, "bin/self", CPIO_S_IFLNK | 0777, "self");
	add_entry(a, "bin/none", CPIO_S_IFLNK | 0777, "missing");
	add_entry(a, "bin/empty", CPIO_S_IFLNK | 0777, "");
	add_entry(a, "./lib", CPIO_S_IFLNK | 0777, "bin/");
	add_entry(a, "bin/twice", CPIO_S_IFREG | 0644, "first");
	add_entry(a, "TRAILER!!!", 0, NULL);
	/* a second archive after the first (concatenated) */
	add_entry(a, "bin/twice", CPIO_S_IFREG | 0755, "second");
	add_entry(a, "TRAILER!!!", 0, NULL);
	return a;
}

struct walk_case {
	const char *path;
	bool follow;
	int err;
	const char *name; /* the entry found */
};

static const struct walk_case walk_cases[] = {
	{ "/bin/prog", true, 0, "bin/prog" },
	{ "bin/prog", true, 0, "bin/prog" },
	{ "//bin///prog", true, 0, "bin/prog" },
	{ "/./bin/../bin/./prog", true, 0, "bin/prog" },
	{ "/../../bin/prog", true, 0, "bin/prog" },
	{ "/bin", true, 0, "bin" },
	{ "/bin/", true, 0, "bin" },
	{ "/", true, 0, "" },
	{ "/bin/..", true, 0, "" },
	{ "", true, -ENOENT, NULL },
	{ "/bin/nothing", true, -ENOENT, NULL },
	{ "/nothing/prog", true, -ENOENT, NULL },
	{ "/bin/prog/", true, -ENOTDIR, NULL },
	{ "/bin/prog/x", true, -ENOTDIR, NULL },
	{ "/bin/rel", true, 0, "bin/prog" },
	{ "/bin/rel", false, 0, "bin/rel" },
	{ "/bin/rel/", false, -ENOTDIR, NULL },
	{ "/bin/abs", true, 0, "bin/prog" },
	{ "/bin/up/bin/up/bin/prog", false, 0, "bin/prog" },
	{ "/lib/prog", true, 0, "bin/prog" },
	{ "/lib", true, 0, "bin" },
	{ "/bin/self", true, -ELOOP, NULL },
	{ "/bin/self", false, 0, "bin/self" },
	{ "/bin/none", true, -ENOENT, NULL },
	{ "/bin/empty", true, -ENOENT, NULL },
};

KTEST(exec, cpio_resolve)
{
	struct archive *a = make_archive();
	struct cpio_walk *w = FR_NEW(struct cpio_walk);
	static char long_name[CPIO_NAME_MAX + 3];
	struct cpio_entry e;

	KT_ASSERT(a && w);
	for (size_t i = 0; i < FR_ARRAY_SIZE(walk_cases); i++) {
		const struct walk_case *c = &walk_cases[i];
		int err = cpio_resolve(a->buf, a->len, c->path, c->follow, w,
				       &e);
		const char *name = e.name;
		size_t n = e.name_len;

		if (!KT_EXPECT_EQ(err, c->err) || err)
			continue;
		if (n >= 2 && name[0] == '.' && name[1] == '/')
			name += 2, n -= 2;
		KT_EXPECT(n == strlen(c->name) && !memcmp(name, c->name, n));
	}
	/* the last entry of a name counts */
	KT_EXPECT_EQ(cpio_resolve(a->buf, a->len, "/bin/twice", true, w, &e),
		     0);
	KT_EXPECT(e.mode == (CPIO_S_IFREG | 0755) && e.size == 6);
	/* a name longer than NAME_MAX */
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[0] = '/';
	KT_EXPECT_EQ(cpio_resolve(a->buf, a->len, long_name, true, w, &e),
		     -ENAMETOOLONG);
	/* a corrupt archive */
	a->buf[3] = 'x';
	KT_EXPECT_EQ(cpio_resolve(a->buf, a->len, "/bin/prog", true, w, &e),
		     -EINVAL);
	fr_kfree(w);
	fr_kfree(a);
}

/* A chain of 41 symbolic links: one too many. */
KTEST(exec, cpio_symlink_limit)
{
	struct archive *a = FR_NEW(struct archive);
	struct cpio_walk *w = FR_NEW(struct cpio_walk);
	struct cpio_entry e;
	char name[8], target[8];

	KT_ASSERT(a && w);
	add_entry(a, "p", CPIO_S_IFREG | 0755, "x");
	for (int i = 0; i <= CPIO_MAXSYMLINKS; i++) {
		str_format(name, sizeof(name), "l%d", i);
		if (i == CPIO_MAXSYMLINKS)
			str_copy(target, "p", sizeof(target));
		else
			str_format(target, sizeof(target), "l%d", i + 1);
		add_entry(a, name, CPIO_S_IFLNK | 0777, target);
	}
	KT_EXPECT_EQ(cpio_resolve(a->buf, a->len, "l1", true, w, &e), 0);
	KT_EXPECT_EQ(cpio_resolve(a->buf, a->len, "l0", true, w, &e), -ELOOP);
	fr_kfree(w);
	fr_kfree(a);
}

/* ---- loading ELF programs ---- */

#define PROG_BASE 0x400000UL
#define PROG_ENTRY (PROG_BASE + 0x100)
#define PROG_DATA (PROG_BASE + 0x1000)
#define PROG_LEN 0x1010
#define STACK_TOP FR_USER_END
#define STACK_BOTTOM (FR_USER_END - 8UL * 1024 * 1024)

/* A static program: headers and code in one page, 16 bytes of data and
 * a page of bss in another, a non-executable stack. */
static void make_program(uint8_t *buf)
{
	Elf64_Ehdr h = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
			     ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = PROG_ENTRY,
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = 3,
	};
	Elf64_Phdr ph[3] = {
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
		  .p_vaddr = PROG_BASE, .p_filesz = 0x1000, .p_memsz = 0x1000,
		  .p_align = 0x1000 },
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x1000,
		  .p_vaddr = PROG_DATA, .p_filesz = 0x10, .p_memsz = 0x2000,
		  .p_align = 0x1000 },
		{ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W },
	};

	memset(buf, 0, PROG_LEN);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), ph, sizeof(ph));
	memset(buf + 0x100, 0xcc, 16); /* int3 */
	memset(buf + 0x1000, 0x5a, 0x10);
}

static const char *const prog_argv[] = { "prog", "arg one", NULL };
static const char *const prog_envp[] = { "K=V", NULL };

static int load(struct vm_map *vm, const uint8_t *buf, size_t len,
		uint64_t *entry, uint64_t *sp)
{
	struct cpio_entry file = {
		.name = "prog",
		.name_len = 4,
		.mode = CPIO_S_IFREG | 0755,
		.data = buf,
		.size = len,
	};

	return exec_load_file(vm, &file, "/test/prog", prog_argv, prog_envp,
			      entry, sp);
}

static uint64_t read64(struct vm_map *vm, uint64_t addr)
{
	uint64_t v = 0;

	if (fr_vm_space_read(vm->space, fr_uaddr(addr), &v, sizeof(v)))
		return 0xbad;
	return v;
}

static bool user_string_is(struct vm_map *vm, uint64_t addr, const char *s)
{
	char got[32];
	size_t n = strlen(s) + 1;

	return n <= sizeof(got) &&
	       !fr_vm_space_read(vm->space, fr_uaddr(addr), got, n) &&
	       !memcmp(got, s, n);
}

KTEST(exec, elf_loads)
{
	uint8_t *buf = FR_NEW_ARRAY(uint8_t, PROG_LEN);
	struct vm_map vm;
	uint64_t entry, sp, p, type, execfn = 0, phdr = 0;
	uint8_t data[0x20];

	KT_ASSERT(buf);
	make_program(buf);
	KT_ASSERT_EQ(vm_map_init(&vm), 0);
	KT_ASSERT_EQ(load(&vm, buf, PROG_LEN, &entry, &sp), 0);
	KT_EXPECT_EQ(entry, PROG_ENTRY);
	KT_EXPECT(sp > STACK_BOTTOM && sp < STACK_TOP && !(sp % 16));
	/* argc, argv, envp */
	KT_EXPECT_EQ(read64(&vm, sp), 2);
	KT_EXPECT(user_string_is(&vm, read64(&vm, sp + 8), "prog"));
	KT_EXPECT(user_string_is(&vm, read64(&vm, sp + 16), "arg one"));
	KT_EXPECT_EQ(read64(&vm, sp + 24), 0);
	KT_EXPECT(user_string_is(&vm, read64(&vm, sp + 32), "K=V"));
	KT_EXPECT_EQ(read64(&vm, sp + 40), 0);
	/* auxv */
	for (p = sp + 48; (type = read64(&vm, p)) != AT_NULL; p += 16) {
		if (type == AT_EXECFN)
			execfn = read64(&vm, p + 8);
		if (type == AT_PHDR)
			phdr = read64(&vm, p + 8);
		if (type == 0xbad || p > sp + 48 + 64 * 16)
			break;
	}
	KT_EXPECT(user_string_is(&vm, execfn, "/test/prog"));
	KT_EXPECT_EQ(phdr, PROG_BASE + sizeof(Elf64_Ehdr));
	/* the data, then zeros where the file page had more bytes */
	KT_ASSERT_EQ(fr_vm_space_read(vm.space, fr_uaddr(PROG_DATA), data,
				      sizeof(data)), 0);
	KT_EXPECT(data[0] == 0x5a && data[0xf] == 0x5a && data[0x10] == 0 &&
		  data[0x1f] == 0);
	KT_EXPECT_EQ(vm.brk, PROG_DATA + 0x2000);
	vm_map_destroy(&vm);
	fr_kfree(buf);
}

/* A xorshift generator: the same corruptions on every run. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const uint64_t interesting[] = {
	0, 1, 2, 0x38, 0x40, 0xfff, 0x1000, 0x1001, PROG_LEN, PROG_LEN + 1,
	0x7ffffffff000, 0x7fffffffffff, 0x8000000000000000,
	0xfffffffffffff000, 0xffffffffffffffff,
};

/* Damage @buf: a random byte of the headers, or a header field set to an
 * interesting value. */
static void corrupt(uint8_t *buf, uint64_t *seed)
{
	size_t headers = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);
	uint64_t r = next_random(seed);
	size_t at = (r >> 8) % headers;

	if (r & 1) {
		buf[at] = (uint8_t)(r >> 32);
	} else {
		uint64_t v = interesting[(r >> 32) % FR_ARRAY_SIZE(interesting)];
		size_t width = (r & 6) == 0 ? 2 : (r & 6) == 2 ? 4 : 8;

		at &= ~(width - 1);
		if (at + width > headers)
			at = headers - width;
		memcpy(buf + at, &v, width);
	}
}

static bool linux_error(int err)
{
	return err == -ENOEXEC || err == -EIO || err == -EINVAL ||
	       err == -ENOENT || err == -EACCES || err == -ELIBBAD ||
	       err == -ENOTDIR || err == -ELOOP || err == -ENAMETOOLONG;
}

#define FUZZ_ROUNDS 1000

KTEST(exec, elf_corrupt_random)
{
	uint8_t *buf = FR_NEW_ARRAY(uint8_t, PROG_LEN);
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	int loaded = 0, fatal = 0, refused = 0;

	KT_ASSERT(buf);
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		struct vm_map vm;
		uint64_t entry = 1, sp = 1, r;
		size_t len = PROG_LEN;
		int err;

		make_program(buf);
		r = next_random(&seed);
		for (uint64_t n = 1 + r % 4; n > 0; n--)
			corrupt(buf, &seed);
		if ((r >> 16) % 8 == 0)
			len = (r >> 24) % (PROG_LEN + 1);
		KT_ASSERT_EQ(vm_map_init(&vm), 0);
		err = load(&vm, buf, len, &entry, &sp);
		if (err) {
			refused++;
			if (!KT_EXPECT(linux_error(err)))
				fr_printk("#   round %d: error %d\n", round, err);
		} else if (!entry && !sp) {
			fatal++; /* past the point of no return */
			KT_EXPECT(vm.areas == NULL);
		} else {
			loaded++;
			KT_EXPECT(sp > STACK_BOTTOM && sp < STACK_TOP &&
				  !(sp % 16) && entry < FR_USER_END);
		}
		vm_map_destroy(&vm);
	}
	/* the corruptions reach every outcome */
	KT_EXPECT(loaded > 0 && fatal > 0 && refused > 0);
	fr_printk("#   %d loaded, %d killed, %d refused\n", loaded, fatal,
		  refused);
	fr_kfree(buf);
}

/* ---- programs mapped from their file ---- */

#define MAPPED_PATH "/kt_exec_mapped"

/* A file @path of mode 0755 holding @len bytes of @buf.  0 or an error. */
static int make_file(const char *path, const uint8_t *buf, size_t len)
{
	struct iobuf b = iobuf_kernel((uint8_t *)buf);
	uint64_t pos = 0;
	file_writer w;
	struct file *f;
	long n = -EBADF;
	int err;

	f = vfs_open(AT_FDCWD, path, O_CREAT | O_TRUNC | O_WRONLY, 0755, &err);
	if (!f)
		return err;
	if (!file_as_writer(f, &w)) {
		n = vfs_write(w, &b, len, &pos);
		file_writer_put(w);
	}
	file_put(f);
	return n == (long)len ? 0 : -EIO;
}

/* The page mapped at @addr of @vm (after a read fault), or NULL. */
static struct fr_page *page_at(struct vm_map *vm, uint64_t addr,
			       unsigned *prot)
{
	if (vm_map_fault(vm, addr, false, false))
		return NULL;
	return fr_vm_space_query(vm->space, fr_uaddr(addr), prot);
}

/*
 * Two processes running one program file share its text page, read only;
 * the data page holding the start of the bss is each one's own copy with
 * the bytes past p_filesz zeroed, and the file keeps them.
 */
KTEST(exec, elf_maps_file)
{
	uint8_t *buf = FR_NEW_ARRAY(uint8_t, PROG_LEN);
	struct path exe[2] = { { NULL, NULL }, { NULL, NULL } };
	struct vm_map vm[2];
	struct fr_page *text[2], *data[2];
	uint64_t entry, sp, filesz = 8;
	unsigned prot[2] = { 0, 0 };
	uint8_t got[0x20], file_byte = 0;
	struct vma *v;

	KT_ASSERT(buf);
	if (!vfs_root_mount())
		(void)vfs_init(NULL, 0);
	make_program(buf);
	/* the data segment's file part ends inside the 16 bytes of 0x5a */
	memcpy(buf + sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) +
		       offsetof(Elf64_Phdr, p_filesz),
	       &filesz, sizeof(filesz));
	KT_ASSERT_EQ(make_file(MAPPED_PATH, buf, PROG_LEN), 0);
	for (int i = 0; i < 2; i++) {
		KT_ASSERT_EQ(vm_map_init(&vm[i]), 0);
		KT_ASSERT_EQ(exec_load(&vm[i], MAPPED_PATH, prog_argv,
				       prog_envp, &entry, &sp, &exe[i]),
			     0);
		KT_EXPECT_EQ(entry, PROG_ENTRY);
		v = vm_map_find(&vm[i], PROG_BASE);
		KT_EXPECT(v && v->file && v->obj && !v->pgoff &&
			  v->prot == (FR_PROT_READ | FR_PROT_EXEC));
		v = vm_map_find(&vm[i], PROG_DATA);
		KT_EXPECT(v && v->file && v->pgoff == 1);
		text[i] = page_at(&vm[i], PROG_ENTRY, &prot[i]);
		data[i] = page_at(&vm[i], PROG_DATA, &prot[i]);
		KT_ASSERT_EQ(fr_vm_space_read(vm[i].space,
					      fr_uaddr(PROG_DATA), got,
					      sizeof(got)),
			     0);
		KT_EXPECT(got[0] == 0x5a && got[7] == 0x5a && got[8] == 0 &&
			  got[0xf] == 0 && got[0x1f] == 0);
	}
	KT_EXPECT(text[0] && text[0] == text[1]);
	KT_EXPECT(data[0] && data[1] && data[0] != data[1]);
	KT_EXPECT(data[0] != text[0]);
	/* the zeroing went to the copies, not to the file */
	{
		int err;
		struct file *f = vfs_open(AT_FDCWD, MAPPED_PATH, O_RDONLY, 0,
					  &err);
		struct iobuf b = iobuf_kernel(&file_byte);
		uint64_t pos = 0x1008;
		file_reader r;

		KT_ASSERT(f);
		if (!file_as_reader(f, &r)) {
			KT_EXPECT_EQ(vfs_read(r, &b, 1, &pos), 1);
			file_reader_put(r);
		}
		file_put(f);
		KT_EXPECT_EQ(file_byte, 0x5a);
	}
	for (int i = 0; i < 2; i++) {
		vm_map_destroy(&vm[i]);
		path_put(&exe[i]);
	}
	KT_EXPECT_EQ(vfs_unlink(AT_FDCWD, MAPPED_PATH), 0);
	fr_kfree(buf);
}
