/*
 * Loading a static ELF64 program (static or static-PIE) from the
 * initramfs into a fresh address space, and building its initial stack
 * (argv, envp, auxiliary vector) the way Linux lays it out.
 */
#include <frame/boot.h>
#include <frame/cpu.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <libs/cpio.h>
#include <libs/elf.h>
#include <libs/string.h>
#include <linux/auxvec.h>
#include "process/process.h"
#include "random/random.h"

#define STACK_TOP 0x00007ffffffff000UL
#define STACK_SIZE (8UL * 1024 * 1024)
#define PIE_BASE 0x0000555555554000UL
#define MAX_ARGS 256
#define MAX_ARG_BYTES (128 * 1024)

static unsigned elf_prot(uint32_t flags)
{
	return (flags & PF_R ? FR_PROT_READ : 0) |
	       (flags & PF_W ? FR_PROT_WRITE : 0) |
	       (flags & PF_X ? FR_PROT_EXEC : 0);
}

static int load_segment(struct vm_map *vm, const struct elf_image *img,
			const Elf64_Phdr *ph, uint64_t bias)
{
	uint64_t start = FR_ALIGN_DOWN(ph->p_vaddr + bias, FR_PAGE_SIZE);
	uint64_t end = FR_ALIGN_UP(ph->p_vaddr + bias + ph->p_memsz,
				   FR_PAGE_SIZE);
	int err;

	if (end <= start || end > FR_USER_END || start < FR_USER_MIN)
		return -ENOEXEC;
	err = vm_map_add(vm, start, end - start, elf_prot(ph->p_flags), 0);
	if (err)
		return err == -EEXIST ? -ENOEXEC : err;
	err = vm_map_populate(vm, start, end - start);
	if (err)
		return err;
	return fr_vm_space_write(vm->space, fr_uaddr(ph->p_vaddr + bias),
				 img->buf + ph->p_offset, ph->p_filesz);
}

/* Copies strings and pointer arrays onto the new stack, top down. */
struct stack_builder {
	struct vm_map *vm;
	uint64_t sp;
	int err;
};

static uint64_t push_bytes(struct stack_builder *sb, const void *data,
			   size_t len)
{
	sb->sp -= len;
	if (!sb->err)
		sb->err = fr_vm_space_write(sb->vm->space, fr_uaddr(sb->sp),
					    data, len);
	return sb->sp;
}

static uint64_t push_string(struct stack_builder *sb, const char *s)
{
	return push_bytes(sb, s, strlen(s) + 1);
}

static int count_strings(const char *const *v, size_t *bytes)
{
	int n = 0;

	for (; v && v[n]; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

int exec_load(struct vm_map *vm, const char *path, const char *const *argv,
	      const char *const *envp, uint64_t *entry, uint64_t *sp)
{
	struct fr_bytes initrd = fr_boot_initrd();
	struct cpio_entry file;
	struct elf_image img;
	Elf64_Phdr ph;
	uint64_t bias = 0, phdr_addr = 0, brk = 0;
	uint64_t argv_ptrs[MAX_ARGS + 1], envp_ptrs[MAX_ARGS + 1];
	uint64_t random_addr, platform_addr, execfn_addr;
	size_t arg_bytes = 0;
	int argc, envc, err;
	struct stack_builder sb = { vm, STACK_TOP, 0 };

	err = cpio_find(initrd.data, initrd.len, path, &file);
	if (err)
		return err == -EINVAL ? -EIO : err;
	if ((file.mode & 0170000) != 0100000)
		return -EACCES;
	err = elf_parse(file.data, file.size, &img);
	if (err)
		return err;
	argc = count_strings(argv, &arg_bytes);
	envc = count_strings(envp, &arg_bytes);
	if (argc > MAX_ARGS || envc > MAX_ARGS || arg_bytes > MAX_ARG_BYTES)
		return -E2BIG;
	if (img.ehdr.e_type == ET_DYN)
		bias = PIE_BASE;

	for (unsigned i = 0; i < img.ehdr.e_phnum; i++) {
		err = elf_phdr(&img, i, &ph);
		if (err)
			return err;
		if (ph.p_type == PT_INTERP)
			return -ENOEXEC; /* dynamic programs: not yet */
		if (ph.p_type == PT_PHDR)
			phdr_addr = ph.p_vaddr + bias;
		if (ph.p_type != PT_LOAD)
			continue;
		err = load_segment(vm, &img, &ph, bias);
		if (err)
			return err;
		if (!phdr_addr && ph.p_offset <= img.ehdr.e_phoff &&
		    img.ehdr.e_phoff < ph.p_offset + ph.p_filesz)
			phdr_addr = ph.p_vaddr + bias + img.ehdr.e_phoff -
				    ph.p_offset;
		if (ph.p_vaddr + bias + ph.p_memsz > brk)
			brk = ph.p_vaddr + bias + ph.p_memsz;
	}
	if (!brk)
		return -ENOEXEC;
	vm->brk_start = vm->brk = FR_ALIGN_UP(brk, FR_PAGE_SIZE);

	err = vm_map_add(vm, STACK_TOP - STACK_SIZE, STACK_SIZE,
			 FR_PROT_READ | FR_PROT_WRITE, VMA_GROWSDOWN);
	if (!err)
		err = vm_map_populate(vm, STACK_TOP - 8 * FR_PAGE_SIZE,
				      8 * FR_PAGE_SIZE);
	if (err)
		return err;
	vm->mmap_top = STACK_TOP - STACK_SIZE - VMA_STACK_GUARD_GAP;

	/* strings at the top: file name, environment, arguments */
	execfn_addr = push_string(&sb, path);
	for (int i = envc - 1; i >= 0; i--)
		envp_ptrs[i] = push_string(&sb, envp[i]);
	for (int i = argc - 1; i >= 0; i--)
		argv_ptrs[i] = push_string(&sb, argv[i]);
	platform_addr = push_string(&sb, "x86_64");
	{
		uint64_t rnd[2] = { random_u64(), random_u64() };

		sb.sp &= ~15UL;
		random_addr = push_bytes(&sb, rnd, sizeof(rnd));
	}

	uint64_t auxv[][2] = {
		{ AT_PHDR, phdr_addr },
		{ AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, img.ehdr.e_phnum },
		{ AT_PAGESZ, FR_PAGE_SIZE },
		{ AT_BASE, 0 },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, img.ehdr.e_entry + bias },
		{ AT_UID, 0 },
		{ AT_EUID, 0 },
		{ AT_GID, 0 },
		{ AT_EGID, 0 },
		{ AT_SECURE, 0 },
		{ AT_RANDOM, random_addr },
		{ AT_HWCAP, fr_cpu_hwcap() },
		{ AT_CLKTCK, 100 },
		{ AT_PLATFORM, platform_addr },
		{ AT_EXECFN, execfn_addr },
		{ AT_NULL, 0 },
	};
	size_t words = (size_t)argc + 1 + (size_t)envc + 1 + 1 +
		       FR_ARRAY_SIZE(auxv) * 2;

	/* argc must end up 16-byte aligned */
	sb.sp = (sb.sp - words * 8) & ~15UL;
	*sp = sb.sp;
	sb.sp += words * 8;
	push_bytes(&sb, auxv, sizeof(auxv));
	push_bytes(&sb, &(uint64_t){ 0 }, 8);
	push_bytes(&sb, envp_ptrs, envc * 8);
	push_bytes(&sb, &(uint64_t){ 0 }, 8);
	push_bytes(&sb, argv_ptrs, argc * 8);
	push_bytes(&sb, &(uint64_t){ (uint64_t)argc }, 8);
	if (sb.err)
		return sb.err;
	*entry = img.ehdr.e_entry + bias;
	return 0;
}
