/*
 * Loading a program from the initramfs into a fresh address space, as
 * Linux 6.1's execve does: "#!" scripts (binfmt_script, with up to five
 * nested interpreters), static ELF64 programs, static or static-PIE
 * (binfmt_elf), and the initial stack: the argument, environment and file
 * name strings, argv, envp and the auxiliary vector, laid out as Linux
 * lays them out.
 *
 * Linux checks a program's headers, then passes the point of no return
 * (the old program is gone) and only then maps the segments; a failure
 * from there on kills the new program with SIGSEGV.  The same split is
 * kept here: exec_load() fails with an errno only where Linux does, and a
 * failure past that point gives an empty address space whose first
 * instruction faults, which ends the new program with SIGSEGV as Linux's
 * force_fatal_sig() does (the old program is gone in both cases).
 *
 * The segments are private mappings of the program file, as Linux maps
 * them: every process running a program shares its pages until it writes
 * to one, and they come on demand; the pages of a segment past the end of
 * the file give SIGBUS.  A file that cannot be mapped (a program the
 * KTESTs hand over as bytes, a file system without mmap) has its segments
 * copied into fresh pages instead, and pages past its end are left
 * unmapped (SIGSEGV).  Dynamically linked programs are checked as Linux
 * checks them (PT_INTERP, the interpreter's headers), then refused with
 * -ENOEXEC.
 */
#include <frame/boot.h>
#include <frame/cpu.h>
#include <frame/heap.h>
#include <frame/mm.h>
#include <frame/timer.h>
#include <libs/cpio.h>
#include <libs/elf.h>
#include <libs/string.h>
#include <linux/auxvec.h>
#include <linux/limits.h>
#include <asm/auxvec.h>
#include <linux/mount.h>
#include <linux/personality.h>
#include "fs/file.h"
#include "fs/internal.h"
#include "process/exec.h"
#include "process/process.h"
#include "random/random.h"
#include "vm/vm_object.h"

#define STACK_TOP FR_USER_END
#define STACK_SIZE (8UL * 1024 * 1024)
#define STACK_POPULATE (8 * FR_PAGE_SIZE)
/* Linux's TASK_SIZE: user addresses are below it */
#define TASK_SIZE FR_USER_END
/* Where a static PIE goes (Linux picks a random address in the mmap area). */
#define PIE_BASE 0x0000555555554000UL
/* exec_binprm: a program and up to five interpreters rewriting it */
#define MAX_BINFMT_DEPTH 5
#define PLATFORM "x86_64"
/*
 * AT_MINSIGSTKSZ, the size Linux computes for its largest signal frame
 * (arch/x86/kernel/signal.c): the rt_sigframe (return address, ucontext
 * and siginfo, 440 bytes), its alignment padding (15), the FPU state (the
 * frame saves it with FXSAVE: 512 bytes) and the XSAVE alignment padding
 * (63), rounded up to 16.  Linux's value is larger on CPUs with more
 * XSAVE state.
 */
#define SIGFRAME_SIZE FR_ALIGN_UP(440 + 15 + 512 + 63, 16)
/* AT_CLKTCK: Linux's USER_HZ */
#define USER_HZ 100
/* The room for what scripts add to the strings: the first script's path
 * and, for each of the nested ones, a name, an argument and a path. */
#define SCRIPT_SLACK (PATH_MAX + (MAX_BINFMT_DEPTH + 1) * 3 * BINPRM_BUF_SIZE)
#define ELF_MAX_PHDRS (ELF_PHDRS_MAX_BYTES / sizeof(Elf64_Phdr))
#define PAGE_OFFSET(x) ((x) & (FR_PAGE_SIZE - 1))

/*
 * The strings that go at the top of the new stack, in their order there:
 * argv, envp, then the name the program was executed by (AT_EXECFN).
 * They are built downwards, last first, from the end of @buf as Linux
 * builds them on the new stack, so that a script can drop argv[0] and put
 * the interpreter's words in front.
 */
struct exec_strings {
	char *buf;
	size_t cap;
	size_t start; /* the strings are buf[start, cap) */
	size_t room;  /* bytes EXEC_ARG_LIMIT still allows */
	size_t argc, envc;
};

/* The state of one exec (too large for a kernel stack). */
struct exec_state {
	struct exec_strings s;
	/* the name of the file being run, which a script puts in argv */
	const char *interp;
	char interp_name[BINPRM_BUF_SIZE];
	struct cpio_entry file;
	uint8_t *owned; /* file's bytes when read for the exec, or NULL */
	struct path exe; /* the file run last (an interpreter for scripts) */
	char head[BINPRM_BUF_SIZE]; /* the file's first bytes, zero padded */
	Elf64_Phdr phdrs[ELF_MAX_PHDRS];
	char interp_path[PATH_MAX + 1];
	uint64_t entry, sp;
	/* the program file open for its mapping, and its pages; NULL when
	 * the segments are copied */
	struct file *map_file;
	struct vm_object *map_obj;
};

static const uint8_t zero_page[FR_PAGE_SIZE];

/* ---- finding a program ---- */

/* The whole of a file that is not one block in memory, read into @buf. */
static int exec_read_all(struct inode *inode, uint8_t **buf)
{
	struct file *f = file_new(inode, inode->fop, FMODE_READ, 0);
	struct iobuf b;
	file_reader r;
	uint64_t pos = 0;
	long n = -ENOMEM;

	if (!f)
		return -ENOMEM;
	*buf = inode->size ? FR_NEW_ARRAY(uint8_t, inode->size) : NULL;
	if ((*buf || !inode->size) && !file_as_reader(f, &r)) {
		b = iobuf_kernel(*buf);
		n = inode->size ? vfs_read(r, &b, inode->size, &pos) : 0;
		file_reader_put(r);
	}
	file_put(f);
	if (n != (long)inode->size) {
		fr_kfree(*buf);
		*buf = NULL;
		return n < 0 ? (int)n : -EIO;
	}
	return 0;
}

/* exec_open(), keeping the file's place in @keep (referenced) when it
 * is not NULL and the file can be run. */
static int exec_open_keep(const char *path, bool follow,
			  struct cpio_entry *file, uint8_t **owned,
			  struct path *keep)
{
	struct inode *inode;
	struct path p;
	int err;

	*owned = NULL;
	if (!*path)
		return -EACCES; /* the working directory */
	err = vfs_lookup(AT_FDCWD, path, follow ? LOOKUP_FOLLOW : 0, &p);
	if (err)
		return err;
	inode = p.dentry->inode;
	if (!inode)
		err = -ENOENT;
	else if (S_ISLNK(inode->mode))
		err = -ELOOP;
	else if (!S_ISREG(inode->mode) || (p.mnt->flags & MS_NOEXEC))
		err = -EACCES;
	else if ((err = vfs_permission(inode, MAY_EXEC)))
		;
	else if (__atomic_load_n(&inode->writers, __ATOMIC_ACQUIRE) > 0)
		err = -ETXTBSY; /* open for writing somewhere */
	if (!err) {
		memset(file, 0, sizeof(*file));
		file->mode = inode->mode;
		file->uid = inode->uid;
		file->gid = inode->gid;
		file->size = inode->size;
		file->data = tmpfs_data(inode);
		if (!file->data) {
			err = exec_read_all(inode, owned);
			file->data = *owned;
		}
	}
	if (!err && keep) {
		path_put(keep);
		*keep = p;
		return 0;
	}
	path_put(&p);
	return err;
}

int exec_open(const char *path, bool follow, struct cpio_entry *file,
	      uint8_t **owned)
{
	return exec_open_keep(path, follow, file, owned, NULL);
}

/* ---- the strings ---- */

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Put @str in front of the strings (copy_string_kernel). */
static int push_string(struct exec_strings *s, const char *str)
{
	size_t len = strnlen(str, EXEC_MAX_ARG_STRLEN) + 1;

	if (len > EXEC_MAX_ARG_STRLEN || len > s->room || len > s->start)
		return -E2BIG;
	s->room -= len;
	s->start -= len;
	memcpy(s->buf + s->start, str, len - 1);
	s->buf[s->start + len - 1] = '\0';
	return 0;
}

/* Drop argv[0] (remove_arg_zero). */
static void drop_arg0(struct exec_strings *s)
{
	size_t len = strlen(s->buf + s->start) + 1;

	s->start += len;
	s->room += len;
	s->argc--;
}

/*
 * The strings of @path, @argv and @envp, with Linux's limits: the
 * pointers (at least one for argv) and the strings within EXEC_ARG_LIMIT.
 * An empty argv gets "" as argv[0], as Linux 6.1 gives it.
 */
static int strings_init(struct exec_strings *s, const char *path,
			const char *const *argv, const char *const *envp)
{
	size_t bytes = strnlen(path, PATH_MAX) + 1, ptrs;
	int err = 0;

	s->argc = count(argv);
	s->envc = count(envp);
	if (s->argc > MAX_ARG_STRINGS || s->envc > MAX_ARG_STRINGS)
		return -E2BIG;
	ptrs = ((s->argc ? s->argc : 1) + s->envc) * sizeof(uint64_t);
	if (ptrs >= EXEC_ARG_LIMIT)
		return -E2BIG;
	s->room = EXEC_ARG_LIMIT - ptrs;
	for (size_t i = 0; i < s->argc && bytes <= s->room; i++)
		bytes += strnlen(argv[i], EXEC_MAX_ARG_STRLEN) + 1;
	for (size_t i = 0; i < s->envc && bytes <= s->room; i++)
		bytes += strnlen(envp[i], EXEC_MAX_ARG_STRLEN) + 1;
	if (bytes + !s->argc > s->room)
		return -E2BIG;
	s->cap = bytes + 1 + SCRIPT_SLACK;
	s->buf = FR_NEW_ARRAY(char, s->cap);
	if (!s->buf)
		return -ENOMEM;
	s->start = s->cap;
	err = push_string(s, path);
	for (size_t i = s->envc; !err && i-- > 0;)
		err = push_string(s, envp[i]);
	for (size_t i = s->argc; !err && i-- > 0;)
		err = push_string(s, argv[i]);
	if (!err && !s->argc) {
		err = push_string(s, "");
		s->argc = 1;
	}
	return err;
}

/* ---- "#!" scripts (binfmt_script) ---- */

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first character in [first, last] that is not a space or tab. */
static char *next_non_spacetab(char *first, char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* The first space, tab or NUL in [first, last]. */
static char *next_terminator(char *first, char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

int exec_script_line(char *buf, const char **name, const char **arg)
{
	char *last = buf + BINPRM_BUF_SIZE - 1, *end, *sep, *i_name;

	if (buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	/* the line ends at a newline before any NUL, or else at the end of
	 * the buffer, but only if the name is whole there: a space, tab or
	 * NUL follows it */
	for (end = buf; end <= last && *end && *end != '\n'; end++)
		;
	if (end > last || *end != '\n') {
		end = next_non_spacetab(buf + 2, last);
		if (!end || !next_terminator(end, last))
			return -ENOEXEC;
		end = last;
	}
	while (spacetab(end[-1]))
		end--;
	i_name = next_non_spacetab(buf + 2, end);
	if (!i_name || i_name == end)
		return -ENOEXEC;
	/* the name may be empty (a NUL right after "#!"): Linux then runs
	 * the working directory, which fails with EACCES */
	*name = i_name;
	*arg = NULL;
	sep = next_terminator(i_name, end);
	if (sep && *sep)
		*arg = next_non_spacetab(sep, end);
	*end = '\0';
	if (*arg)
		*sep = '\0';
	return 0;
}

/*
 * Run a script: argv becomes the interpreter's name, its argument if
 * any, the script's name (in place of argv[0]) and the rest of argv; the
 * interpreter becomes the file to run.
 */
static int load_script(struct exec_state *st)
{
	const char *name, *arg;
	int err = exec_script_line(st->head, &name, &arg);

	if (err)
		return err;
	drop_arg0(&st->s);
	err = push_string(&st->s, st->interp);
	if (!err && arg) {
		err = push_string(&st->s, arg);
		st->s.argc++;
	}
	if (!err)
		err = push_string(&st->s, name);
	if (err)
		return err;
	st->s.argc += 2;
	str_copy(st->interp_name, name, sizeof(st->interp_name));
	st->interp = st->interp_name;
	fr_kfree(st->owned);
	return exec_open_keep(name, true, &st->file, &st->owned, &st->exe);
}

/* ---- ELF programs (binfmt_elf) ---- */

static unsigned elf_prot(uint32_t flags)
{
	return (flags & PF_R ? FR_PROT_READ : 0) |
	       (flags & PF_W ? FR_PROT_WRITE : 0) |
	       (flags & PF_X ? FR_PROT_EXEC : 0);
}

/*
 * PT_INTERP, as Linux reads it before the point of no return: the name
 * (2 to PATH_MAX bytes with its NUL, inside the file), the interpreter
 * (which must be executable) and its headers.  Then -ENOEXEC: loading an
 * interpreter is not supported yet.
 */
static int check_interp(struct exec_state *st, const struct elf_image *img,
			const Elf64_Phdr *ph)
{
	struct cpio_entry file;
	struct elf_image interp;
	Elf64_Ehdr *h = &interp.ehdr;
	uint8_t *owned;
	uint64_t size;
	int err;

	if (ph->p_filesz > PATH_MAX || ph->p_filesz < 2)
		return -ENOEXEC;
	err = elf_read(img, ph->p_offset, st->interp_path, ph->p_filesz);
	if (err)
		return err;
	if (st->interp_path[ph->p_filesz - 1] != '\0')
		return -ENOEXEC;
	err = exec_open(st->interp_path, true, &file, &owned);
	if (err)
		return err;
	interp.buf = file.data;
	interp.len = file.size;
	err = elf_read(&interp, 0, h, sizeof(*h));
	if (!err && (memcmp(h->e_ident, ELFMAG, SELFMAG) ||
		     h->e_machine != EM_X86_64))
		err = -ELIBBAD;
	/* (read into st->phdrs: the program's are not needed any more) */
	size = (uint64_t)h->e_phnum * sizeof(Elf64_Phdr);
	if (!err && (h->e_phentsize != sizeof(Elf64_Phdr) || !size ||
		     size > ELF_PHDRS_MAX_BYTES ||
		     elf_read(&interp, h->e_phoff, st->phdrs, size)))
		err = -ELIBBAD;
	fr_kfree(owned);
	return err ? err : -ENOEXEC;
}

/* What Linux checks before the point of no return. */
static int elf_check(struct exec_state *st, struct elf_image *img)
{
	int err = elf_parse(st->file.data, st->file.size, img);

	for (unsigned i = 0; !err && i < img->ehdr.e_phnum; i++)
		err = elf_phdr_raw(img, i, &st->phdrs[i]);
	if (err)
		return err;
	for (unsigned i = 0; i < img->ehdr.e_phnum; i++)
		if (st->phdrs[i].p_type == PT_INTERP)
			return check_interp(st, img, &st->phdrs[i]);
	return 0;
}

/*
 * Map [start, end) (page aligned) with @prot, in place of whatever is
 * there (MAP_FIXED): pages come on demand.
 */
static int map_fixed(struct vm_map *vm, uint64_t start, uint64_t end,
		     unsigned prot)
{
	int err;

	if (start < FR_USER_MIN || end > TASK_SIZE || end <= start)
		return -ENOMEM;
	err = vm_map_remove(vm, start, end - start);
	if (!err)
		err = vm_map_add(vm, start, end - start, prot, 0);
	return err;
}

/*
 * Open the program file st->exe for mapping its segments (read only, as
 * Linux's bprm->file: the right to execute it is enough) and get its
 * pages.  Nothing when it cannot be mapped: the segments are copied.
 */
static void elf_open_map(struct exec_state *st)
{
	struct inode *inode = st->exe.dentry ? st->exe.dentry->inode : NULL;
	struct file *f;

	if (!inode || !inode->fop || !inode->fop->mmap)
		return;
	f = file_new(inode, inode->fop, FMODE_READ, O_RDONLY);
	if (!f)
		return;
	f->path = st->exe;
	path_get(&f->path);
	if (f->fop->mmap(f, &st->map_obj) || !st->map_obj ||
	    vm_object_size(st->map_obj) * FR_PAGE_SIZE < st->file.size) {
		vm_object_put(st->map_obj);
		st->map_obj = NULL;
		file_put(f);
		return;
	}
	st->map_file = f;
}

/* Drop what elf_open_map() took (the areas keep their own references). */
static void elf_close_map(struct exec_state *st)
{
	vm_object_put(st->map_obj);
	st->map_obj = NULL;
	if (st->map_file)
		file_put(st->map_file);
	st->map_file = NULL;
}

/*
 * Map a segment's file pages as Linux's elf_map does: the pages holding
 * [p_vaddr, p_vaddr + p_filesz), from the file's page at p_offset, a
 * private mapping of the file (pages wholly past its end give SIGBUS).
 * Without one, the pages are copied: the part of the last page past the
 * end of the file reads as zeros, and pages wholly past it stay unmapped.
 * @noreplace: fail with -EEXIST rather than replace a mapping (Linux's
 * first segment of an ET_EXEC).
 */
static int elf_map(struct exec_state *st, struct vm_map *vm,
		   const struct elf_image *img, const Elf64_Phdr *ph,
		   uint64_t bias, bool noreplace)
{
	uint64_t off_in_page = PAGE_OFFSET(ph->p_vaddr);
	uint64_t addr = FR_ALIGN_DOWN(bias + ph->p_vaddr, FR_PAGE_SIZE);
	uint64_t size = ph->p_filesz + off_in_page;
	uint64_t off = ph->p_offset - off_in_page, in_file = 0, len;
	unsigned prot = elf_prot(ph->p_flags);
	int err;

	if (!size)
		return 0;
	if (size < ph->p_filesz || size > TASK_SIZE)
		return -ENOMEM;
	size = FR_ALIGN_UP(size, FR_PAGE_SIZE);
	if (PAGE_OFFSET(off))
		return -EINVAL;
	if (off / FR_PAGE_SIZE + size / FR_PAGE_SIZE < off / FR_PAGE_SIZE)
		return -EOVERFLOW;
	if (addr > TASK_SIZE - size || addr < FR_USER_MIN)
		return -ENOMEM;
	if (noreplace) {
		err = vm_map_add(vm, addr, size, prot, 0);
		if (err)
			return err;
	}
	err = vm_map_remove(vm, addr, size);
	if (err)
		return err;
	if (st->map_obj)
		return vm_map_add_file(vm, addr, size, prot, 0, st->map_file,
				       st->map_obj, off / FR_PAGE_SIZE);
	if (off < img->len)
		in_file = FR_MIN(size, FR_ALIGN_UP(img->len - off, FR_PAGE_SIZE));
	if (!in_file)
		return 0;
	err = vm_map_add(vm, addr, in_file, prot, 0);
	if (err)
		return err;
	if (vm->layout.nfile < VM_LAYOUT_FILE_RANGES)
		vm->layout.file[vm->layout.nfile++] =
			(struct vm_file_range){ addr, addr + in_file, off };
	if (!prot)
		return 0;
	len = FR_MIN(size, img->len - off);
	err = vm_map_populate(vm, addr, in_file);
	if (!err)
		err = fr_vm_space_write(vm->space, fr_uaddr(addr),
					img->buf + off, len);
	return err;
}

/*
 * Anonymous memory for the bss from @start to @end (set_brk): whole
 * pages, readable and writable (executable too if @prot is), in place of
 * what is there; -ENOMEM when it is more than the RAM (the overcommit
 * heuristic).  The program break starts at its end.
 */
static int set_brk(struct vm_map *vm, uint64_t start, uint64_t end,
		   unsigned prot)
{
	struct fr_mem_stats mem;
	int err;

	start = FR_ALIGN_UP(start, FR_PAGE_SIZE);
	end = FR_ALIGN_UP(end, FR_PAGE_SIZE);
	if (end > start) {
		fr_mem_stats(&mem);
		if ((end - start) / FR_PAGE_SIZE > mem.total)
			return -ENOMEM;
		err = map_fixed(vm, start, end,
				FR_PROT_READ | FR_PROT_WRITE |
					(prot & FR_PROT_EXEC));
		if (err)
			return err;
	}
	vm->brk_start = vm->brk = end;
	return 0;
}

/*
 * Zero from @addr, inside a page, to the end of that page or @end (the
 * bss part of a file page), if that page is mapped and writable.
 */
static void clear_user_page(struct vm_map *vm, uint64_t addr, uint64_t end)
{
	uint64_t n = FR_PAGE_SIZE - PAGE_OFFSET(addr);
	struct vma *v = vm_map_find(vm, addr);

	if (!PAGE_OFFSET(addr) || !v || !(v->prot & FR_PROT_WRITE) ||
	    vm_map_fault(vm, addr, true, false))
		return;
	if (end - addr < n)
		n = end - addr;
	if (fr_vm_space_write(vm->space, fr_uaddr(addr), zero_page, n))
		return; /* the page stays as it is, as in Linux */
}

/* The segments' sizes Linux accepts (checked after mapping each one). */
static bool segment_fits(const Elf64_Phdr *ph)
{
	return ph->p_vaddr < TASK_SIZE && ph->p_filesz <= ph->p_memsz &&
	       ph->p_memsz <= TASK_SIZE &&
	       TASK_SIZE - ph->p_memsz >= ph->p_vaddr;
}

/* The span of the PT_LOAD segments (total_mapping_size). */
static uint64_t total_mapping_size(const struct exec_state *st,
				   unsigned phnum)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < phnum; i++) {
		const Elf64_Phdr *ph = &st->phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		lo = FR_MIN(lo, FR_ALIGN_DOWN(ph->p_vaddr, FR_PAGE_SIZE));
		hi = FR_MAX(hi, ph->p_vaddr + ph->p_memsz);
	}
	return lo == UINT64_MAX ? 0 : hi - lo;
}

/* What the stack's auxiliary vector says about the program. */
struct elf_info {
	uint64_t entry, phdr, phnum;
	uint64_t vdso; /* AT_SYSINFO_EHDR, 0: none */
};

/* Map the segments and the bss, in Linux's order and with its checks. */
static int elf_map_all(struct exec_state *st, struct vm_map *vm,
		       const struct elf_image *img, struct elf_info *info)
{
	const Elf64_Ehdr *h = &img->ehdr;
	uint64_t bias = 0, elf_bss = 0, elf_brk = 0, phdr = 0;
	uint64_t start_code = UINT64_MAX, end_code = 0;
	uint64_t start_data = 0, end_data = 0;
	unsigned bss_prot = 0;
	bool first = true;
	int err;

	for (unsigned i = 0; i < h->e_phnum; i++) {
		const Elf64_Phdr *ph = &st->phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (elf_brk > elf_bss) {
			/* the bss of an earlier segment */
			err = set_brk(vm, elf_bss + bias, elf_brk + bias,
				      bss_prot);
			if (err)
				return err;
			clear_user_page(vm, elf_bss + bias, elf_brk + bias);
		}
		if (first && h->e_type == ET_DYN) {
			if (!total_mapping_size(st, h->e_phnum))
				return -EINVAL;
			bias = PIE_BASE - FR_ALIGN_DOWN(ph->p_vaddr, FR_PAGE_SIZE);
		}
		err = elf_map(st, vm, img, ph, bias,
			      first && h->e_type == ET_EXEC);
		if (err)
			return err;
		first = false;
		if (ph->p_offset <= h->e_phoff &&
		    h->e_phoff < ph->p_offset + ph->p_filesz)
			phdr = h->e_phoff - ph->p_offset + ph->p_vaddr;
		if (!segment_fits(ph))
			return -EINVAL;
		/* Linux's start_code, end_code, start_data, end_data */
		if ((ph->p_flags & PF_X) && ph->p_vaddr < start_code)
			start_code = ph->p_vaddr;
		if (ph->p_vaddr > start_data)
			start_data = ph->p_vaddr;
		if ((ph->p_flags & PF_X) &&
		    ph->p_vaddr + ph->p_filesz > end_code)
			end_code = ph->p_vaddr + ph->p_filesz;
		if (ph->p_vaddr + ph->p_filesz > end_data)
			end_data = ph->p_vaddr + ph->p_filesz;
		if (ph->p_vaddr + ph->p_filesz > elf_bss)
			elf_bss = ph->p_vaddr + ph->p_filesz;
		if (ph->p_vaddr + ph->p_memsz > elf_brk) {
			bss_prot = elf_prot(ph->p_flags);
			elf_brk = ph->p_vaddr + ph->p_memsz;
		}
	}
	elf_bss += bias;
	elf_brk += bias;
	err = set_brk(vm, elf_bss, elf_brk, bss_prot);
	if (err)
		return err;
	/* Linux 6.1 as Debian builds it goes on when this fails (the page
	 * is read-only, or past the end of the file) */
	if (elf_bss != elf_brk)
		clear_user_page(vm, elf_bss, FR_ALIGN_UP(elf_bss, FR_PAGE_SIZE));
	vm->layout.start_code = start_code + bias;
	vm->layout.end_code = end_code + bias;
	vm->layout.start_data = start_data + bias;
	vm->layout.end_data = end_data + bias;
	info->entry = h->e_entry + bias;
	info->phdr = phdr + bias;
	info->phnum = h->e_phnum;
	if (info->entry >= TASK_SIZE)
		return -EINVAL;
	return 0;
}

/* ---- the initial stack (create_elf_tables) ---- */

/* What of the caller the new stack depends on. */
struct exec_caller {
	uint32_t uid, euid, gid, egid; /* for the auxiliary vector */
	bool secure; /* AT_SECURE: ids that differ (Linux's secureexec) */
	bool no_randomize; /* personality ADDR_NO_RANDOMIZE: no random gap */
};

/* The caller's; root's when exec starts a process from the kernel. */
static struct exec_caller caller_of_exec(void)
{
	struct process *p = current_process();
	struct exec_caller ids = { 0, 0, 0, 0, false, false };
	cred_r c;

	if (!p)
		return ids;
	c = process_attrs_cred_lock(&p->attrs);
	ids.uid = cred_uid(c);
	ids.euid = cred_euid(c);
	ids.gid = cred_gid(c);
	ids.egid = cred_egid(c);
	process_attrs_cred_unlock(&p->attrs);
	/* no set-id bits are honoured: only ids already apart make it */
	ids.secure = ids.uid != ids.euid || ids.gid != ids.egid;
	/* which a secure exec drops (process_attrs_exec) */
	ids.no_randomize =
		!ids.secure && (process_attrs_get(&p->attrs,
						  PROCESS_PERSONALITY) &
				ADDR_NO_RANDOMIZE);
	return ids;
}

static int build_stack(struct exec_state *st, struct vm_map *vm,
		       const struct elf_info *info)
{
	const struct exec_strings *s = &st->s;
	size_t len = s->cap - s->start, words, off = 0, first, naux;
	uint64_t strings = STACK_TOP - sizeof(uint64_t) - len;
	uint64_t p, platform, random, sp, *table;
	uint64_t rnd[2] = { random_u64(), random_u64() };
	struct exec_caller ids = caller_of_exec();
	int err;

	/* a random gap below the strings (arch_align_stack) */
	p = (strings - (ids.no_randomize ? 0 : random_u64() % 8192)) & ~15UL;
	platform = p - sizeof(PLATFORM);
	random = platform - sizeof(rnd);

	uint64_t auxv[][2] = {
		{ AT_SYSINFO_EHDR, info->vdso }, /* left out without one */
		{ AT_MINSIGSTKSZ, SIGFRAME_SIZE },
		{ AT_HWCAP, fr_cpu_hwcap() },
		{ AT_PAGESZ, FR_PAGE_SIZE },
		{ AT_CLKTCK, USER_HZ },
		{ AT_PHDR, info->phdr },
		{ AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, info->phnum },
		{ AT_BASE, 0 },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, info->entry },
		{ AT_UID, ids.uid },
		{ AT_EUID, ids.euid },
		{ AT_GID, ids.gid },
		{ AT_EGID, ids.egid },
		{ AT_SECURE, ids.secure },
		{ AT_RANDOM, random },
		{ AT_HWCAP2, 0 }, /* no ring-3 MWAIT, FSGSBASE not enabled */
		{ AT_EXECFN, 0 }, /* filled below */
		{ AT_PLATFORM, platform },
		{ AT_NULL, 0 },
	};

	first = info->vdso ? 0 : 1;
	naux = FR_ARRAY_SIZE(auxv) - first;
	words = 1 + s->argc + 1 + s->envc + 1 + naux * 2;
	sp = (random - words * sizeof(uint64_t)) & ~15UL;
	if (sp < STACK_TOP - STACK_SIZE)
		return -E2BIG;
	table = FR_NEW_ARRAY(uint64_t, words);
	if (!table)
		return -ENOMEM;
	table[0] = s->argc;
	for (size_t i = 0; i < s->argc + 1 + s->envc; i++) {
		if (i == s->argc) {
			table[1 + i] = 0; /* the end of argv */
			vm->layout.arg_end = strings + off;
			continue;
		}
		table[1 + i] = strings + off;
		off += strlen(s->buf + s->start + off) + 1;
	}
	table[1 + s->argc + 1 + s->envc] = 0;
	auxv[FR_ARRAY_SIZE(auxv) - 3][1] = strings + off; /* AT_EXECFN */
	vm->layout.start_stack = strings;
	vm->layout.arg_start = strings;
	vm->layout.env_start = vm->layout.arg_end;
	vm->layout.env_end = strings + off;
	memcpy(table + 1 + s->argc + 1 + s->envc + 1, auxv + first,
	       naux * sizeof(auxv[0]));
	_Static_assert(FR_ARRAY_SIZE(auxv) <= VM_LAYOUT_AUXV, "auxv room");
	memcpy(vm->layout.auxv, auxv + first, naux * sizeof(auxv[0]));
	vm->layout.nauxv = (unsigned)naux;

	err = vm_map_populate(vm, FR_ALIGN_DOWN(sp, FR_PAGE_SIZE),
			      STACK_TOP - FR_ALIGN_DOWN(sp, FR_PAGE_SIZE));
	if (!err)
		err = fr_vm_space_write(vm->space, fr_uaddr(strings),
					s->buf + s->start, len);
	if (!err)
		err = fr_vm_space_write(vm->space, fr_uaddr(platform),
					PLATFORM, sizeof(PLATFORM));
	if (!err)
		err = fr_vm_space_write(vm->space, fr_uaddr(random), rnd,
					sizeof(rnd));
	if (!err)
		err = fr_vm_space_write(vm->space, fr_uaddr(sp), table,
					words * sizeof(uint64_t));
	fr_kfree(table);
	st->sp = sp;
	return err;
}

/* Empty @vm: the new program faults at its first instruction. */
static void exec_fatal(struct exec_state *st, struct vm_map *vm)
{
	while (vm->areas)
		if (vm_map_remove(vm, vm->areas->start,
				  vm->areas->end - vm->areas->start))
			break;
	st->entry = 0;
	st->sp = 0;
}

static int load_elf(struct exec_state *st, struct vm_map *vm)
{
	struct elf_image img;
	struct elf_info info;
	unsigned stack_prot = FR_PROT_READ | FR_PROT_WRITE;
	int err = elf_check(st, &img);

	if (err)
		return err;
	/* the point of no return */
	for (unsigned i = 0; i < img.ehdr.e_phnum; i++)
		if (st->phdrs[i].p_type == PT_GNU_STACK)
			stack_prot = st->phdrs[i].p_flags & PF_X ?
					     FR_PROT_READ | FR_PROT_WRITE |
						     FR_PROT_EXEC :
					     FR_PROT_READ | FR_PROT_WRITE;
	err = vm_map_add(vm, STACK_TOP - STACK_SIZE, STACK_SIZE, stack_prot,
			 VMA_GROWSDOWN);
	if (!err)
		err = vm_map_populate(vm, STACK_TOP - STACK_POPULATE,
				      STACK_POPULATE);
	if (!err) {
		elf_open_map(st);
		err = elf_map_all(st, vm, &img, &info);
		elf_close_map(st);
	}
	vm->mmap_top = STACK_TOP - STACK_SIZE - VMA_STACK_GUARD_GAP;
	if (!err) /* at the top of the mmap area, as Linux places it */
		err = vm_map_add_vdso(vm, &info.vdso);
	if (!err)
		err = build_stack(st, vm, &info);
	if (err) {
		exec_fatal(st, vm);
		return 0;
	}
	st->entry = info.entry;
	return 0;
}

/* ---- exec ---- */

/* Run st->file: scripts hand over to their interpreter, then an ELF. */
static int exec_run(struct exec_state *st, struct vm_map *vm)
{
	for (int depth = 0;; depth++) {
		size_t n = FR_MIN(st->file.size, sizeof(st->head));
		int err;

		if (depth > MAX_BINFMT_DEPTH)
			return -ELOOP;
		memset(st->head, 0, sizeof(st->head));
		memcpy(st->head, st->file.data, n);
		if (st->head[0] == '#' && st->head[1] == '!') {
			err = load_script(st);
			if (err)
				return err;
			continue;
		}
		if (!memcmp(st->head, ELFMAG, SELFMAG))
			return load_elf(st, vm);
		return -ENOEXEC;
	}
}

static int exec_start(struct vm_map *vm, const struct cpio_entry *file,
		      const char *path, const char *const *argv,
		      const char *const *envp, uint64_t *entry, uint64_t *sp,
		      struct path *exe)
{
	struct exec_state *st = FR_NEW(struct exec_state);
	int err;

	if (!st)
		return -ENOMEM;
	st->interp = path;
	err = strings_init(&st->s, path, argv, envp);
	if (!err) {
		if (file)
			st->file = *file;
		else
			err = exec_open_keep(path, true, &st->file,
					     &st->owned, &st->exe);
	}
	if (!err)
		err = exec_run(st, vm);
	if (!err) {
		*entry = st->entry;
		*sp = st->sp;
	}
	if (!err && exe) {
		*exe = st->exe; /* the reference goes with it */
		st->exe = (struct path){ NULL, NULL };
	}
	path_put(&st->exe);
	fr_kfree(st->s.buf);
	fr_kfree(st->owned);
	fr_kfree(st);
	return err;
}

int exec_load(struct vm_map *vm, const char *path, const char *const *argv,
	      const char *const *envp, uint64_t *entry, uint64_t *sp,
	      struct path *exe)
{
	return exec_start(vm, NULL, path, argv, envp, entry, sp, exe);
}

int exec_load_file(struct vm_map *vm, const struct cpio_entry *file,
		   const char *path, const char *const *argv,
		   const char *const *envp, uint64_t *entry, uint64_t *sp)
{
	return exec_start(vm, file, path, argv, envp, entry, sp, NULL);
}
