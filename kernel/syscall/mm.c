/*
 * Memory system calls: brk, mmap (anonymous memory and files), munmap,
 * mremap, mprotect, madvise, msync and mincore.  The checks come in the
 * order Linux makes them, so that each bad call fails with Linux's errno.
 */
#include <frame/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include "fs/file.h"
#include "syscall/syscall.h"
#include "process/process.h"
#include "vm/vm_object.h"

#define TASK_SIZE FR_USER_END
#define PAGE_MASK (~(FR_PAGE_SIZE - 1))

static unsigned to_fr_prot(uint64_t prot)
{
	return (prot & PROT_READ ? FR_PROT_READ : 0) |
	       (prot & PROT_WRITE ? FR_PROT_WRITE : 0) |
	       (prot & PROT_EXEC ? FR_PROT_EXEC : 0);
}

/* Page-align @len up; 0 when that overflows (as Linux's PAGE_ALIGN). */
static uint64_t page_align(uint64_t len)
{
	return (len + FR_PAGE_SIZE - 1) & PAGE_MASK;
}

/*
 * Linux's default overcommit check (OVERCOMMIT_GUESS): one mapping may
 * not commit more pages than there is RAM (there is no swap).
 */
static bool commit_ok(uint64_t len)
{
	struct fr_mem_stats s;

	fr_mem_stats(&s);
	return len / FR_PAGE_SIZE <= s.total;
}

/*
 * Whether an area with @prot and VMA_* @flags commits memory: a shared
 * mapping of a file does not (its pages are the file's), only the
 * private copies of a writable one would.
 */
static bool accountable(unsigned prot, unsigned flags, bool file)
{
	if (flags & VMA_NORESERVE)
		return false;
	if (file && (flags & VMA_SHARED))
		return false;
	return (flags & VMA_SHARED) || (prot & FR_PROT_WRITE);
}

long sys_brk(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t want = a->arg[0];
	uint64_t old_end = page_align(vm->brk);
	uint64_t new_end = page_align(want);
	struct vma *next;

	if (want < vm->brk_start || want > TASK_SIZE)
		return (long)vm->brk;
	if (new_end == old_end) {
		vm->brk = want;
		return (long)want;
	}
	if (want <= vm->brk) {
		/* shrinking frees the pages; the heap must still be there */
		if (!vm_map_overlaps(vm, new_end, old_end))
			return (long)vm->brk;
		vm_map_remove(vm, new_end, old_end - new_end);
		vm->brk = want;
		return (long)want;
	}
	/* growing keeps a page (and a stack's guard gap) to the next area */
	next = vm_map_next(vm, old_end);
	if (next && new_end + FR_PAGE_SIZE > vma_start_gap(next))
		return (long)vm->brk;
	if (!commit_ok(new_end - old_end) ||
	    vm_map_add(vm, old_end, new_end - old_end,
		       FR_PROT_READ | FR_PROT_WRITE, 0))
		return (long)vm->brk;
	vm->brk = want;
	return (long)want;
}

/* The flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK                                                        \
	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS |                \
	 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN |  \
	 MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK |            \
	 MAP_STACK | MAP_HUGETLB | MAP_32BIT |                                 \
	 ((uint64_t)MAP_HUGE_MASK << MAP_HUGE_SHIFT))

/* The largest file offset (Linux's MAX_LFS_FILESIZE). */
#define MAX_FILE_SIZE 0x7fffffffffffffffULL

/*
 * The file checks of Linux's do_mmap(), in its order: the VMA_* flags of
 * a mapping of @f with @prot and MAP_* @flags, or an error.
 */
static long file_flags(struct file *f, uint64_t prot, uint64_t flags,
		       uint64_t off, uint64_t len, unsigned *vflags)
{
	if (off > MAX_FILE_SIZE || len > MAX_FILE_SIZE - off)
		return -EOVERFLOW;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE &&
		    (flags & ~(uint64_t)LEGACY_MAP_MASK))
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && !(f->mode & FMODE_WRITE))
			return -EACCES;
		*vflags |= VMA_SHARED;
		if (!(f->mode & FMODE_WRITE))
			*vflags |= VMA_NOMAYWRITE;
		/* fallthrough */
	case MAP_PRIVATE:
		if (!(f->mode & FMODE_READ))
			return -EACCES;
		if (f->path.mnt && (f->path.mnt->flags & MS_NOEXEC)) {
			if (prot & PROT_EXEC)
				return -EPERM;
			*vflags |= VMA_NOMAYEXEC;
		}
		if (!f->fop || !f->fop->mmap)
			return -ENODEV;
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The kind of an anonymous mapping: VMA_* flags, or -EINVAL. */
static long anon_flags(uint64_t flags, unsigned *vflags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		*vflags |= VMA_SHARED;
		return 0;
	case MAP_PRIVATE:
		if (flags & MAP_GROWSDOWN)
			*vflags |= VMA_GROWSDOWN;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Map @len bytes of @f at @addr (the caller checked everything). */
static long map_file(struct vm_map *vm, struct file *f, uint64_t addr,
		     uint64_t len, unsigned fprot, unsigned vflags,
		     uint64_t off)
{
	struct vm_object *obj;
	long err = f->fop->mmap(f, &obj);

	if (err)
		return err;
	if (!obj) { /* /dev/zero: anonymous memory */
		vflags &= ~(unsigned)VMA_NOMAYWRITE;
		return vm_map_add(vm, addr, len, fprot, vflags);
	}
	err = vm_map_add_file(vm, addr, len, fprot, vflags, f, obj,
			      off / FR_PAGE_SIZE);
	vm_object_put(obj);
	return err;
}

static long do_mmap(struct vm_map *vm, struct file *f, uint64_t addr,
		    uint64_t len, uint64_t prot, uint64_t flags, uint64_t off)
{
	unsigned vflags = 0, fprot = to_fr_prot(prot);
	long err;

	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	len = page_align(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	if (off / FR_PAGE_SIZE + len / FR_PAGE_SIZE < off / FR_PAGE_SIZE)
		return -EOVERFLOW;
	if (flags & MAP_FIXED) {
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr < FR_USER_MIN)
			return -EPERM; /* below mmap_min_addr */
		if ((flags & MAP_FIXED_NOREPLACE) &&
		    vm_map_overlaps(vm, addr, addr + len))
			return -EEXIST;
	} else {
		addr = vm_map_place(vm, addr & PAGE_MASK, len,
				    flags & MAP_32BIT);
		if (!addr)
			return -ENOMEM;
	}
	err = f ? file_flags(f, prot, flags, off, len, &vflags) :
		  anon_flags(flags, &vflags);
	if (err)
		return err;
	if (flags & MAP_NORESERVE)
		vflags |= VMA_NORESERVE;
	if (accountable(fprot, vflags, f != NULL) && !commit_ok(len))
		return -ENOMEM;
	if (!f && (flags & MAP_HUGETLB))
		return -ENOMEM; /* no huge pages are reserved */
	if (flags & MAP_FIXED) {
		err = vm_map_remove(vm, addr, len);
		if (err)
			return err;
	}
	if (f)
		err = map_file(vm, f, addr, len, fprot, vflags, off);
	else
		err = vm_map_add(vm, addr, len, fprot, vflags);
	if (err)
		return err;
	if ((flags & MAP_LOCKED) ||
	    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		vm_map_populate(vm, addr, len); /* errors are not reported */
	return (long)addr;
}

long sys_mmap(const struct syscall_args *a)
{
	uint64_t addr = a->arg[0], len = a->arg[1], prot = a->arg[2];
	uint64_t flags = a->arg[3], off = a->arg[5];
	struct file *f = NULL;
	long ret;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		/* the fd is an unsigned int, as Linux's fget() takes it */
		uint32_t fd = (uint32_t)a->arg[4];

		f = fd > INT32_MAX ? NULL : fd_get((int)fd);
		if (!f || (f->mode & FMODE_PATH)) {
			if (f)
				file_put(f);
			return -EBADF;
		}
		if (flags & MAP_HUGETLB) {
			file_put(f);
			return -EINVAL; /* not a hugetlbfs file */
		}
	}
	ret = do_mmap(current_vm(), f, addr, len, prot, flags, off);
	if (f)
		file_put(f);
	return ret;
}

long sys_munmap(const struct syscall_args *a)
{
	uint64_t addr = a->arg[0], len = a->arg[1];

	if ((addr & ~PAGE_MASK) || addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -EINVAL;
	len = page_align(len);
	if (!len)
		return -EINVAL;
	return vm_map_remove(current_vm(), addr, len);
}

/* Move [addr, addr + old_len) of area @v to @dest (new_len bytes). */
static long remap_move(struct vm_map *vm, const struct vma *v, uint64_t addr,
		       uint64_t old_len, uint64_t dest, uint64_t new_len,
		       bool keep_old)
{
	uint64_t commit = keep_old ? old_len : new_len;

	if (accountable(v->prot, v->flags, v->file != NULL) &&
	    !commit_ok(commit))
		return -ENOMEM;
	if (vm_map_move(vm, addr, old_len, dest, new_len, keep_old))
		return -ENOMEM;
	return (long)dest;
}

/* Linux's vma_to_resize(): may [addr, addr + old_len) become new_len? */
static long remap_check(struct vm_map *vm, uint64_t addr, uint64_t old_len,
			struct vma **out)
{
	struct vma *v = vm_map_find(vm, addr);

	if (!v)
		return -EFAULT;
	/* old_len 0 duplicates a shared mapping; it means nothing private */
	if (!old_len && !(v->flags & VMA_SHARED))
		return -EINVAL;
	if (old_len > v->end - addr)
		return -EFAULT;
	*out = v;
	return 0;
}

/* mremap with MREMAP_FIXED or MREMAP_DONTUNMAP (Linux's mremap_to()). */
static long remap_to(struct vm_map *vm, uint64_t addr, uint64_t old_len,
		     uint64_t new_addr, uint64_t new_len, uint64_t flags)
{
	struct vma *v;
	uint64_t dest = new_addr;
	long err;

	if (new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL; /* the ranges overlap */
	if (flags & MREMAP_FIXED) {
		if (new_addr < FR_USER_MIN)
			return -EPERM;
		err = vm_map_remove(vm, new_addr, new_len);
		if (err)
			return err;
	}
	if (old_len > new_len) {
		err = vm_map_remove(vm, addr + new_len, old_len - new_len);
		if (err)
			return err;
		old_len = new_len;
	}
	err = remap_check(vm, addr, old_len, &v);
	if (err)
		return err;
	if (!(flags & MREMAP_FIXED)) {
		dest = vm_map_place(vm, new_addr, new_len, false);
		if (!dest)
			return -ENOMEM;
	}
	return remap_move(vm, v, addr, old_len, dest, new_len,
			  flags & MREMAP_DONTUNMAP);
}

long sys_mremap(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t addr = a->arg[0], old_len = a->arg[1], new_len = a->arg[2];
	uint64_t flags = a->arg[3], new_addr = a->arg[4];
	struct vma *v;
	long err;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* MREMAP_DONTUNMAP always moves and does not resize */
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = page_align(old_len);
	new_len = page_align(new_len);
	if (!new_len)
		return -EINVAL;
	if (!vm_map_find(vm, addr))
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return remap_to(vm, addr, old_len, new_addr, new_len, flags);
	if (old_len >= new_len) {
		/* shrinking just unmaps the tail */
		if (old_len != new_len) {
			err = vm_map_remove(vm, addr + new_len,
					    old_len - new_len);
			if (err)
				return err;
		}
		return (long)addr;
	}
	err = remap_check(vm, addr, old_len, &v);
	if (err)
		return err;
	/* the range ends its area: grow in place if nothing is in the way */
	if (old_len == v->end - addr && new_len <= TASK_SIZE - addr &&
	    !vm_map_overlaps(vm, v->end, addr + new_len)) {
		if (accountable(v->prot, v->flags, v->file != NULL) &&
		    !commit_ok(new_len - old_len))
			return -ENOMEM;
		if (!vm_map_expand(vm, addr, addr + new_len))
			return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = vm_map_place(vm, 0, new_len, false);
	if (!new_addr)
		return -ENOMEM;
	return remap_move(vm, v, addr, old_len, new_addr, new_len, false);
}

long sys_mprotect(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t start = a->arg[0], len = a->arg[1], prot = a->arg[2];
	uint64_t grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), end;
	struct vma *v;

	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = page_align(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	v = vm_map_next(vm, start);
	if (!v)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		/* the change extends down to the start of the stack area */
		if (v->start >= end)
			return -ENOMEM;
		if (!(v->flags & VMA_GROWSDOWN))
			return -EINVAL;
		start = v->start;
	} else {
		if (v->start > start)
			return -ENOMEM;
		if (grows & PROT_GROWSUP)
			return -EINVAL; /* no area grows up on x86 */
	}
	return vm_map_protect(vm, start, end - start, to_fr_prot(prot));
}

static bool advice_valid(uint64_t advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
	case MADV_COLLAPSE:
	case MADV_HWPOISON:
	case MADV_SOFT_OFFLINE:
		return true;
	default:
		return false;
	}
}

/* Apply @advice to [start, end), a part of area @v. */
static long advise_area(struct vm_map *vm, const struct vma *v,
			uint64_t start, uint64_t end, uint64_t advice)
{
	bool shared = v->flags & VMA_SHARED;
	uint64_t len = end - start;
	bool write = advice == MADV_POPULATE_WRITE;
	int err;

	switch (advice) {
	case MADV_FREE: /* lazily freed on Linux: freeing now is allowed */
		if (shared || v->file)
			return -EINVAL;
		vm_map_drop(vm, start, len);
		return 0;
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		vm_map_drop(vm, start, len);
		return 0;
	case MADV_REMOVE:
		if (!shared)
			return -EINVAL;
		if (!(v->prot & FR_PROT_WRITE))
			return -EACCES;
		vm_map_zero_shared(vm, start, len);
		return 0;
	case MADV_DONTFORK:
		return vm_map_set_flags(vm, start, len, VMA_DONTFORK, 0);
	case MADV_DOFORK:
		return vm_map_set_flags(vm, start, len, 0, VMA_DONTFORK);
	case MADV_WIPEONFORK:
		if (shared || v->file)
			return -EINVAL;
		return vm_map_set_flags(vm, start, len, VMA_WIPEONFORK, 0);
	case MADV_KEEPONFORK:
		return vm_map_set_flags(vm, start, len, 0, VMA_WIPEONFORK);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		/* permission problems are -EINVAL, as Linux reports them */
		if (v->prot == FR_PROT_NONE ||
		    (write && !(v->prot & FR_PROT_WRITE)))
			return -EINVAL;
		err = vm_map_prefault(vm, start, len, write);
		if (err == -EIO || err == -EACCES)
			return -EFAULT;
		return err;
	case MADV_COLLAPSE:
		return -EINVAL; /* no huge pages */
	default:
		return 0; /* advice only */
	}
}

long sys_madvise(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t start = a->arg[0], len_in = a->arg[1], advice = a->arg[2];
	uint64_t len, end;
	long unmapped = 0;

	if (!advice_valid(advice))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = page_align(len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE)
		return -EPERM; /* memory-failure testing is not offered */
	/* area by area; a hole is reported at the end, as Linux does */
	while (start < end) {
		struct vma *v = vm_map_next(vm, start);
		uint64_t to;
		long err;

		if (!v)
			return -ENOMEM;
		if (start < v->start) {
			unmapped = -ENOMEM;
			start = v->start;
			if (start >= end)
				break;
		}
		to = FR_MIN(v->end, end);
		err = advise_area(vm, v, start, to, advice);
		if (err)
			return err;
		start = to;
	}
	return unmapped;
}

long sys_msync(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t start = a->arg[0], len = a->arg[1], flags = a->arg[2];
	uint64_t end;

	if (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = page_align(len);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	/* files are in memory: nothing to write back; holes are -ENOMEM */
	for (uint64_t at = start; at < end;) {
		struct vma *v = vm_map_find(vm, at);

		if (!v)
			return -ENOMEM;
		at = v->end;
	}
	return 0;
}

#define MINCORE_CHUNK 256

long sys_mincore(const struct syscall_args *a)
{
	struct vm_map *vm = current_vm();
	uint64_t start = a->arg[0], len = a->arg[1], vec = a->arg[2];
	uint64_t pages;
	uint8_t buf[MINCORE_CHUNK];

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (len > TASK_SIZE || start > TASK_SIZE - len)
		return -ENOMEM;
	pages = len / FR_PAGE_SIZE + !!(len & ~PAGE_MASK);
	if (pages > TASK_SIZE || vec > TASK_SIZE - pages)
		return -EFAULT;
	/* chunk by chunk: what was found before a hole is copied out */
	while (pages) {
		long n = vm_map_mincore(vm, start, FR_MIN(pages, MINCORE_CHUNK),
					buf);

		if (n < 0)
			return n;
		if (fr_copy_to_user(fr_uaddr(vec), buf, (size_t)n))
			return -EFAULT;
		pages -= (uint64_t)n;
		vec += (uint64_t)n;
		start += (uint64_t)n * FR_PAGE_SIZE;
	}
	return 0;
}
