/* The errno values of the memory calls (mmap, munmap, mprotect, mremap,
 * madvise, msync, mincore) for invalid addresses, lengths, flags, advice
 * and vectors, as Linux 6.1 gives them; and a few calls that look odd but
 * succeed.  Each value was taken from a run on Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/mman.h>

#define P 4096UL
#define RW (PROT_READ | PROT_WRITE)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)
#define TOP 0x7ffffffff000UL /* the end of user space (TASK_SIZE) */
#define OK 0

static int failures;

/* @want is an errno, or OK for any non-negative result. */
static void check(const char *what, long r, int err, int want)
{
    int good = want == OK ? r != -1 : r == -1 && err == want;

    if (good) {
        printf("ok: %s -> %s\n", what, want == OK ? "success" : strerror(want));
    } else {
        printf("FAIL: %s -> %ld errno %d (%s), expected %s\n", what, r,
               r == -1 ? err : 0, r == -1 ? strerror(err) : "-",
               want == OK ? "success" : strerror(want));
        failures++;
    }
    fflush(stdout);
}

#define E(what, want, call)                                                    \
    do {                                                                   \
        long r_;                                                           \
        errno = 0;                                                         \
        r_ = (long)(call);                                                 \
        check(what, r_, errno, want);                                      \
    } while (0)

static long mm(void *addr, unsigned long len, unsigned long prot,
               unsigned long flags, long fd, unsigned long off)
{
    return syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

static char *map(unsigned long len, int prot, int flags)
{
    long r = mm(0, len, prot, flags, -1, 0);

    if (r == -1) {
        printf("FAIL: setup mmap of %lu bytes: errno %d\n", len, errno);
        failures++;
        return NULL;
    }
    return (char *)r;
}

/* mmap, and unmap again on success so that no gap gets filled. */
static long mmu(void *addr, unsigned long len, unsigned long prot,
                unsigned long flags, long fd, unsigned long off)
{
    long r = mm(addr, len, prot, flags, fd, off);

    if (r != -1)
        syscall(SYS_munmap, r, len);
    return r;
}

/* mmap a 64 GiB range (more than the RAM). */
static long big(int prot, int flags)
{
    return mmu(0, 64UL << 30, prot, flags, -1, 0);
}

/* A range with nothing mapped, to be used at once. */
static char *nothing(void)
{
    char *p = map(32 * P, PROT_NONE, PRIV);

    syscall(SYS_munmap, p, 32 * P);
    return p;
}

/* 4 fresh pages whose third is unmapped, to be used at once. */
static char *holed(void)
{
    char *p = map(4 * P, RW, PRIV);

    syscall(SYS_munmap, p + 2 * P, P);
    return p;
}

static void test_mmap(char *a)
{
    E("mmap len 0", EINVAL, mmu(0, 0, RW, PRIV, -1, 0));
    E("mmap offset 1", EINVAL, mmu(0, P, RW, PRIV, -1, 1));
    E("mmap anonymous offset 4096 (ignored)", OK, mmu(0, P, RW, PRIV, -1, P));
    E("mmap len -1", ENOMEM, mmu(0, -1UL, RW, PRIV, -1, 0));
    E("mmap len 2^47", ENOMEM, mmu(0, 1UL << 47, RW, PRIV, -1, 0));
    E("mmap type 0", EINVAL, mmu(0, P, RW, MAP_ANONYMOUS, -1, 0));
    E("mmap type 4", EINVAL, mmu(0, P, RW, MAP_ANONYMOUS | 4, -1, 0));
    E("mmap MAP_SHARED_VALIDATE anonymous", EINVAL,
      mmu(0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
    E("mmap MAP_SHARED|MAP_GROWSDOWN", EINVAL,
      mmu(0, P, RW, SHARED | MAP_GROWSDOWN, -1, 0));
    E("mmap MAP_HUGETLB (none reserved)", ENOMEM,
      mmu(0, 2UL << 20, RW, PRIV | MAP_HUGETLB, -1, 0));
    E("mmap unknown prot bits (ignored)", OK, mmu(0, P, 0xfffffff0UL | RW, PRIV, -1, 0));
    E("mmap unknown flag 0x80000000 (ignored)", OK,
      mmu(0, P, RW, PRIV | 0x80000000UL, -1, 0));
    E("mmap MAP_FIXED unaligned", EINVAL, mmu((void *)0x10001, P, RW, PRIV | MAP_FIXED, -1, 0));
    E("mmap MAP_FIXED at the end of user space", ENOMEM,
      mmu((void *)TOP, P, RW, PRIV | MAP_FIXED, -1, 0));
    E("mmap MAP_FIXED above user space", ENOMEM,
      mmu((void *)(1UL << 47), P, RW, PRIV | MAP_FIXED, -1, 0));
    E("mmap MAP_FIXED unaligned, len -1 (length checked first)", ENOMEM,
      mmu((void *)0x10001, -1UL, RW, PRIV | MAP_FIXED, -1, 0));
    E("mmap MAP_FIXED_NOREPLACE unaligned", EINVAL,
      mmu((void *)0x10001, P, RW, PRIV | MAP_FIXED_NOREPLACE, -1, 0));
    E("mmap MAP_FIXED_NOREPLACE on a mapping", EEXIST,
      mmu(a, P, RW, PRIV | MAP_FIXED_NOREPLACE, -1, 0));
    E("mmap MAP_FIXED_NOREPLACE overlapping the last page", EEXIST,
      mmu(a + 7 * P, 2 * P, RW, PRIV | MAP_FIXED_NOREPLACE, -1, 0));
    E("mmap file, fd -1", EBADF, mmu(0, P, RW, MAP_PRIVATE, -1, 0));
    E("mmap file, fd 100 (not open)", EBADF, mmu(0, P, RW, MAP_PRIVATE, 100, 0));
    E("mmap file, fd -1, len 0 (fd checked first)", EBADF, mmu(0, 0, RW, MAP_PRIVATE, -1, 0));
    E("mmap file, fd -1, offset 1 (offset checked first)", EINVAL,
      mmu(0, P, RW, MAP_PRIVATE, -1, 1));
    E("mmap 64 GiB private writable (more than RAM)", ENOMEM, big(RW, PRIV));
    E("mmap 64 GiB private writable MAP_NORESERVE", OK, big(RW, PRIV | MAP_NORESERVE));
    E("mmap 64 GiB private read-only (not committed)", OK, big(PROT_READ, PRIV));
    E("mmap 64 GiB shared read-only (committed)", ENOMEM, big(PROT_READ, SHARED));
    E("mmap 64 GiB shared MAP_NORESERVE", OK, big(RW, SHARED | MAP_NORESERVE));
}

static void test_munmap(char *a)
{
    E("munmap len 0", EINVAL, syscall(SYS_munmap, a, 0));
    E("munmap unaligned", EINVAL, syscall(SYS_munmap, a + 1, P));
    E("munmap len -1", EINVAL, syscall(SYS_munmap, a, -1L));
    E("munmap at the end of user space", EINVAL, syscall(SYS_munmap, TOP, P));
    E("munmap above user space", EINVAL, syscall(SYS_munmap, 1UL << 47, P));
    E("munmap past the end of user space", EINVAL, syscall(SYS_munmap, TOP - P, 2 * P));
    E("munmap of nothing", OK, syscall(SYS_munmap, nothing(), P));
    E("munmap of page 0 (nothing)", OK, syscall(SYS_munmap, 0, P));
}

static void test_mprotect(char *a)
{
    E("mprotect unaligned, len 0", EINVAL, syscall(SYS_mprotect, a + 1, 0, RW));
    E("mprotect len 0, bad prot (len checked first)", OK, syscall(SYS_mprotect, a, 0, 0x10));
    E("mprotect prot 0x10", EINVAL, syscall(SYS_mprotect, a, P, 0x10));
    E("mprotect prot 0x80", EINVAL, syscall(SYS_mprotect, a, P, 0x80));
    E("mprotect PROT_SEM", OK, syscall(SYS_mprotect, a, P, RW | PROT_SEM));
    E("mprotect PROT_GROWSDOWN|PROT_GROWSUP", EINVAL,
      syscall(SYS_mprotect, a, P, RW | PROT_GROWSDOWN | PROT_GROWSUP));
    E("mprotect PROT_GROWSUP", EINVAL, syscall(SYS_mprotect, a, P, RW | PROT_GROWSUP));
    E("mprotect PROT_GROWSDOWN on a plain mapping", EINVAL,
      syscall(SYS_mprotect, a, P, RW | PROT_GROWSDOWN));
    E("mprotect unmapped", ENOMEM, syscall(SYS_mprotect, nothing(), P, RW));
    E("mprotect len -1", ENOMEM, syscall(SYS_mprotect, a, -1L, RW));
    E("mprotect len 2^47", ENOMEM, syscall(SYS_mprotect, a, 1UL << 47, RW));
    E("mprotect at the end of user space", ENOMEM, syscall(SYS_mprotect, TOP, P, RW));
    E("mprotect PROT_GROWSDOWN with nothing above", ENOMEM,
      syscall(SYS_mprotect, TOP, P, RW | PROT_GROWSDOWN));
    E("mprotect over a hole", ENOMEM, syscall(SYS_mprotect, holed(), 4 * P, RW));
}

static void test_madvise(char *a, char *s, char *ro, char *none)
{
    static const struct {
        int advice;
        const char *name;
    } fine[] = {
        { MADV_NORMAL, "MADV_NORMAL" },         { MADV_RANDOM, "MADV_RANDOM" },
        { MADV_SEQUENTIAL, "MADV_SEQUENTIAL" }, { MADV_WILLNEED, "MADV_WILLNEED" },
        { MADV_DONTDUMP, "MADV_DONTDUMP" },     { MADV_DODUMP, "MADV_DODUMP" },
        { MADV_MERGEABLE, "MADV_MERGEABLE" },   { MADV_UNMERGEABLE, "MADV_UNMERGEABLE" },
        { MADV_HUGEPAGE, "MADV_HUGEPAGE" },     { MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE" },
        { MADV_COLD, "MADV_COLD" },             { MADV_PAGEOUT, "MADV_PAGEOUT" },
        { MADV_DONTFORK, "MADV_DONTFORK" },     { MADV_DOFORK, "MADV_DOFORK" },
        { MADV_WIPEONFORK, "MADV_WIPEONFORK" }, { MADV_KEEPONFORK, "MADV_KEEPONFORK" },
        { MADV_DONTNEED_LOCKED, "MADV_DONTNEED_LOCKED" },
        { MADV_POPULATE_READ, "MADV_POPULATE_READ" },
        { MADV_POPULATE_WRITE, "MADV_POPULATE_WRITE" },
    };
    char what[80];

    for (unsigned i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
        snprintf(what, sizeof(what), "madvise %s", fine[i].name);
        E(what, OK, syscall(SYS_madvise, a, P, fine[i].advice));
    }
    E("madvise advice 999", EINVAL, syscall(SYS_madvise, a, P, 999));
    E("madvise advice -1", EINVAL, syscall(SYS_madvise, a, P, -1));
    E("madvise advice 5 (unused)", EINVAL, syscall(SYS_madvise, a, P, 5));
    E("madvise advice 26 (past the last)", EINVAL, syscall(SYS_madvise, a, P, 26));
    E("madvise advice 999, unaligned", EINVAL, syscall(SYS_madvise, a + 1, P, 999));
    E("madvise unaligned", EINVAL, syscall(SYS_madvise, a + 1, P, MADV_NORMAL));
    E("madvise len 0 on nothing", OK, syscall(SYS_madvise, nothing(), 0, MADV_NORMAL));
    E("madvise len -1", EINVAL, syscall(SYS_madvise, a, -1L, MADV_NORMAL));
    E("madvise len -4096 (wraps)", EINVAL, syscall(SYS_madvise, a, -4096L, MADV_NORMAL));
    E("madvise len 2^47", ENOMEM, syscall(SYS_madvise, a, 1UL << 47, MADV_NORMAL));
    E("madvise unmapped", ENOMEM, syscall(SYS_madvise, nothing(), P, MADV_NORMAL));
    E("madvise MADV_DONTNEED unmapped", ENOMEM, syscall(SYS_madvise, nothing(), P, MADV_DONTNEED));
    E("madvise MADV_DONTNEED over a hole", ENOMEM,
      syscall(SYS_madvise, holed(), 4 * P, MADV_DONTNEED));
    E("madvise MADV_FREE shared", EINVAL, syscall(SYS_madvise, s, P, MADV_FREE));
    E("madvise MADV_FREE private", OK, syscall(SYS_madvise, a, P, MADV_FREE));
    E("madvise MADV_REMOVE private", EINVAL, syscall(SYS_madvise, a, P, MADV_REMOVE));
    E("madvise MADV_REMOVE shared", OK, syscall(SYS_madvise, s, P, MADV_REMOVE));
    E("madvise MADV_WIPEONFORK shared", EINVAL, syscall(SYS_madvise, s, P, MADV_WIPEONFORK));
    E("madvise MADV_KEEPONFORK shared", OK, syscall(SYS_madvise, s, P, MADV_KEEPONFORK));
    E("madvise MADV_POPULATE_WRITE read-only", EINVAL,
      syscall(SYS_madvise, ro, P, MADV_POPULATE_WRITE));
    E("madvise MADV_POPULATE_READ read-only", OK, syscall(SYS_madvise, ro, P, MADV_POPULATE_READ));
    E("madvise MADV_POPULATE_READ PROT_NONE", EINVAL,
      syscall(SYS_madvise, none, P, MADV_POPULATE_READ));
    E("madvise MADV_DONTNEED PROT_NONE", OK, syscall(SYS_madvise, none, P, MADV_DONTNEED));
    E("madvise MADV_POPULATE_READ unmapped", ENOMEM,
      syscall(SYS_madvise, nothing(), P, MADV_POPULATE_READ));
    E("madvise MADV_POPULATE_WRITE over a hole", ENOMEM,
      syscall(SYS_madvise, holed(), 4 * P, MADV_POPULATE_WRITE));
    E("madvise MADV_COLLAPSE one page", EINVAL, syscall(SYS_madvise, a, P, MADV_COLLAPSE));
}

static void test_msync(char *a, char *s)
{
    E("msync flags 8", EINVAL, syscall(SYS_msync, a, P, 8));
    E("msync MS_ASYNC|MS_SYNC", EINVAL, syscall(SYS_msync, a, P, MS_ASYNC | MS_SYNC));
    E("msync unaligned", EINVAL, syscall(SYS_msync, a + 1, P, MS_SYNC));
    E("msync unmapped", ENOMEM, syscall(SYS_msync, nothing(), P, MS_SYNC));
    E("msync unmapped MS_ASYNC", ENOMEM, syscall(SYS_msync, nothing(), P, MS_ASYNC));
    E("msync len 0 on nothing", OK, syscall(SYS_msync, nothing(), 0, MS_SYNC));
    E("msync len -1 (rounds to 0)", OK, syscall(SYS_msync, a, -1L, MS_SYNC));
    E("msync len -8192 (wraps)", ENOMEM, syscall(SYS_msync, a, -8192L, MS_SYNC));
    E("msync len 2^47", ENOMEM, syscall(SYS_msync, a, 1UL << 47, MS_SYNC));
    E("msync flags 0", OK, syscall(SYS_msync, a, P, 0));
    E("msync MS_INVALIDATE", OK, syscall(SYS_msync, a, P, MS_INVALIDATE));
    E("msync shared MS_SYNC", OK, syscall(SYS_msync, s, 8 * P, MS_SYNC));
    E("msync at the end of user space", ENOMEM, syscall(SYS_msync, TOP, P, MS_SYNC));
    E("msync over a hole", ENOMEM, syscall(SYS_msync, holed(), 4 * P, MS_SYNC));
}

static void test_mincore(char *a, char *ro)
{
    unsigned char vec[16];

    E("mincore unaligned", EINVAL, syscall(SYS_mincore, a + 1, P, vec));
    E("mincore unmapped", ENOMEM, syscall(SYS_mincore, nothing(), P, vec));
    E("mincore vector NULL", EFAULT, syscall(SYS_mincore, a, P, NULL));
    E("mincore vector 0x1", EFAULT, syscall(SYS_mincore, a, P, (void *)1));
    E("mincore vector in kernel space", EFAULT,
      syscall(SYS_mincore, a, P, (void *)0xffff800000000000UL));
    E("mincore vector read-only", EFAULT, syscall(SYS_mincore, a, P, ro));
    E("mincore len 0", OK, syscall(SYS_mincore, a, 0, NULL));
    E("mincore len 0, unaligned", EINVAL, syscall(SYS_mincore, a + 1, 0, NULL));
    E("mincore len 0 on nothing", OK, syscall(SYS_mincore, nothing(), 0, vec));
    E("mincore len 2^47", ENOMEM, syscall(SYS_mincore, a, 1UL << 47, vec));
    E("mincore len -1", ENOMEM, syscall(SYS_mincore, a, -1L, vec));
    E("mincore unmapped, vector NULL (range checked first)", ENOMEM,
      syscall(SYS_mincore, nothing(), P, NULL));
    E("mincore at the end of user space", ENOMEM, syscall(SYS_mincore, TOP, P, vec));
    E("mincore above user space", ENOMEM, syscall(SYS_mincore, 1UL << 47, P, vec));
}

static void test_mremap(char *a, char *s)
{
    char *b = map(8 * P, RW, PRIV);

    E("mremap flags 8", EINVAL, syscall(SYS_mremap, a, P, P, 8, 0));
    E("mremap MREMAP_FIXED without MREMAP_MAYMOVE", EINVAL,
      syscall(SYS_mremap, a, P, P, MREMAP_FIXED, nothing()));
    E("mremap MREMAP_DONTUNMAP resizing", EINVAL,
      syscall(SYS_mremap, a, P, 2 * P, MREMAP_DONTUNMAP | MREMAP_MAYMOVE, 0));
    E("mremap MREMAP_DONTUNMAP without MREMAP_MAYMOVE", EINVAL,
      syscall(SYS_mremap, a, P, P, MREMAP_DONTUNMAP, 0));
    E("mremap unaligned", EINVAL, syscall(SYS_mremap, a + 1, P, P, 0, 0));
    E("mremap new_len 0", EINVAL, syscall(SYS_mremap, a, P, 0, 0, 0));
    E("mremap new_len -1 (rounds to 0)", EINVAL,
      syscall(SYS_mremap, a, P, -1L, MREMAP_MAYMOVE, 0));
    E("mremap new_len 2^47", ENOMEM, syscall(SYS_mremap, a, P, 1UL << 47, MREMAP_MAYMOVE, 0));
    E("mremap grow unmapped", EFAULT, syscall(SYS_mremap, nothing(), P, 2 * P, MREMAP_MAYMOVE, 0));
    E("mremap shrink unmapped", EFAULT, syscall(SYS_mremap, nothing(), 2 * P, P, 0, 0));
    E("mremap same size unmapped", EFAULT, syscall(SYS_mremap, nothing(), P, P, 0, 0));
    E("mremap old_len 0 of a private mapping", EINVAL,
      syscall(SYS_mremap, a, 0, P, MREMAP_MAYMOVE, 0));
    E("mremap old range past its mapping", EFAULT,
      syscall(SYS_mremap, a + 7 * P, 2 * P, 3 * P, MREMAP_MAYMOVE, 0));
    E("mremap MREMAP_FIXED onto itself", EINVAL,
      syscall(SYS_mremap, a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, a + P));
    E("mremap MREMAP_FIXED unaligned target", EINVAL,
      syscall(SYS_mremap, a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, nothing() + 1));
    E("mremap MREMAP_FIXED at the end of user space", EINVAL,
      syscall(SYS_mremap, a, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, TOP));
    E("mremap MREMAP_FIXED of nothing", EFAULT,
      syscall(SYS_mremap, nothing(), P, P, MREMAP_MAYMOVE | MREMAP_FIXED, nothing() + 16 * P));
    E("mremap MREMAP_DONTUNMAP of nothing", EFAULT,
      syscall(SYS_mremap, nothing(), P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0));
    if (b) {
        /* b: 2 pages, a 2-page hole, 4 read-only pages */
        syscall(SYS_munmap, b + 2 * P, 2 * P);
        syscall(SYS_mprotect, b + 4 * P, 4 * P, PROT_READ);
        E("mremap grow into another mapping without MREMAP_MAYMOVE", ENOMEM,
          syscall(SYS_mremap, b, 2 * P, 5 * P, 0, 0));
        E("mremap grow up to another mapping, in place", OK,
          syscall(SYS_mremap, b, 2 * P, 4 * P, 0, 0));
        E("mremap grow across two mappings", EFAULT,
          syscall(SYS_mremap, b, 6 * P, 10 * P, MREMAP_MAYMOVE, 0));
        E("mremap shrink across two mappings", OK, syscall(SYS_mremap, b, 6 * P, P, 0, 0));
        E("mremap same size across a hole", OK, syscall(SYS_mremap, b, 8 * P, 8 * P, 0, 0));
    }
    E("mremap old_len 0 of a shared mapping", OK,
      syscall(SYS_mremap, s, 0, P, MREMAP_MAYMOVE, 0));
}

int main(void)
{
    char *a = map(8 * P, RW, PRIV);
    char *s = map(8 * P, RW, SHARED);
    char *ro = map(2 * P, PROT_READ, PRIV);
    char *none = map(2 * P, PROT_NONE, PRIV);

    if (!a || !s || !ro || !none)
        return 1;
    test_mmap(a);
    test_munmap(a);
    test_mprotect(a);
    test_madvise(a, s, ro, none);
    test_msync(a, s);
    test_mincore(a, ro);
    test_mremap(a, s);

    if (failures) {
        printf("mm_errno: %d failure(s)\n", failures);
        return 1;
    }
    printf("mm_errno ok\n");
    return 0;
}
