/*
 * Memory system calls: brk, mmap (anonymous so far), munmap, mprotect,
 * madvise.
 */
#include <linux/mman.h>
#include "syscall/syscall.h"
#include "process/process.h"

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

static unsigned to_fr_prot(uint64_t prot)
{
	return (prot & PROT_READ ? FR_PROT_READ : 0) |
	       (prot & PROT_WRITE ? FR_PROT_WRITE : 0) |
	       (prot & PROT_EXEC ? FR_PROT_EXEC : 0);
}

long sys_brk(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t want = a->arg[0];
	uint64_t old_end = FR_ALIGN_UP(vm->brk, FR_PAGE_SIZE);
	uint64_t new_end = FR_ALIGN_UP(want, FR_PAGE_SIZE);

	if (want < vm->brk_start || want >= vm->mmap_top)
		return (long)vm->brk;
	if (new_end > old_end) {
		if (vm_map_add(vm, old_end, new_end - old_end,
			       FR_PROT_READ | FR_PROT_WRITE, 0))
			return (long)vm->brk;
	} else if (new_end < old_end) {
		vm_map_remove(vm, new_end, old_end - new_end);
	}
	vm->brk = want;
	return (long)want;
}

long sys_mmap(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t addr = a->arg[0], len = a->arg[1], prot = a->arg[2];
	uint64_t flags = a->arg[3];
	uint64_t type = flags & MAP_TYPE;
	unsigned vflags = flags & MAP_GROWSDOWN ? VMA_GROWSDOWN : 0;
	int err;

	if (!len || (prot & ~PROT_ALL) ||
	    (type != MAP_PRIVATE && type != MAP_SHARED &&
	     type != MAP_SHARED_VALIDATE))
		return -EINVAL;
	if (len > FR_USER_END)
		return -ENOMEM;
	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF; /* no open files yet */
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (FR_PAGE_SIZE - 1))
			return -EINVAL;
		if (flags & MAP_FIXED) {
			err = vm_map_remove(vm, addr, len);
			if (err)
				return err == -EINVAL ? -ENOMEM : err;
		}
		err = vm_map_add(vm, addr, len, to_fr_prot(prot), vflags);
		if (err)
			return err;
	} else {
		addr = FR_ALIGN_DOWN(addr, FR_PAGE_SIZE);
		if (!addr || vm_map_add(vm, addr, len, to_fr_prot(prot),
					vflags)) {
			addr = vm_map_find_free(vm, len);
			if (!addr)
				return -ENOMEM;
			err = vm_map_add(vm, addr, len, to_fr_prot(prot),
					 vflags);
			if (err)
				return err;
		}
	}
	if (flags & MAP_POPULATE)
		vm_map_populate(vm, addr, len);
	return (long)addr;
}

long sys_munmap(const struct syscall_args *a)
{
	uint64_t addr = a->arg[0], len = a->arg[1];

	if ((addr & (FR_PAGE_SIZE - 1)) || !len)
		return -EINVAL;
	return vm_map_remove(current_vm(), addr, len);
}

long sys_mprotect(const struct syscall_args *a)
{
	uint64_t addr = a->arg[0], len = a->arg[1], prot = a->arg[2];

	if ((addr & (FR_PAGE_SIZE - 1)) ||
	    (prot & ~(PROT_ALL | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (!len)
		return 0;
	return vm_map_protect(current_vm(), addr, len,
			      to_fr_prot(prot));
}

long sys_madvise(const struct syscall_args *a)
{
	uint64_t addr = a->arg[0], len = a->arg[1];
	struct vm_map *vm = current_vm();

	if (addr & (FR_PAGE_SIZE - 1))
		return -EINVAL;
	len = FR_ALIGN_UP(len, FR_PAGE_SIZE);
	switch (a->arg[2]) {
	case MADV_DONTNEED:
		/* drop the pages; the areas stay and refault as zeroes */
		for (uint64_t p = addr; p < addr + len; p += FR_PAGE_SIZE)
			if (!vm_map_find(vm, p))
				return -ENOMEM;
		if (len)
			fr_vm_space_unmap(vm->space, fr_uaddr(addr), len);
		return 0;
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_FREE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		return 0; /* advice only */
	default:
		return -EINVAL;
	}
}
