/* The vDSO: AT_SYSINFO_EHDR points at an ELF shared object whose dynamic
 * symbol table (parsed here, without the C library's help) has
 * __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time, __vdso_getcpu
 * and __vdso_clock_getres in version LINUX_2.6.  Called directly, each
 * gives what the system call gives: times bracketed by system-call
 * readings taken before and after, the same resolutions and errors, the
 * CPU the system call names.  /proc/self/maps shows [vdso] at that address
 * and [vvar] right below it; the pages cannot be written (a write is
 * SIGSEGV, mprotect refuses to make [vvar] writable), and a forked child
 * still has them. */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "check.h"

#define NS 1000000000LL
#define PAGE 4096UL

typedef int (*cgt_fn)(clockid_t, struct timespec *);
typedef int (*gtod_fn)(struct timeval *, struct timezone *);
typedef time_t (*time_fn)(time_t *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);
typedef int (*getres_fn)(clockid_t, struct timespec *);

static uintptr_t vdso_base;
static const Elf64_Sym *symtab;
static const char *strtab;
static const Elf64_Half *versym;
static const Elf64_Verdef *verdef;
static size_t nsyms;
static uintptr_t bias;

static int64_t ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * NS + ts->tv_nsec;
}

/* The system call's reading of @clk, in ns. */
static int64_t sys_now(clockid_t clk)
{
    struct timespec ts;

    if (syscall(SYS_clock_gettime, clk, &ts) != 0) {
        CHECK(0, "clock_gettime(%d) system call: errno %d", (int)clk, errno);
        return 0;
    }
    return ns_of(&ts);
}

/* Whether symbol @i has version @want (through .gnu.version/_d). */
static int version_is(size_t i, const char *want)
{
    const Elf64_Verdef *d = verdef;
    unsigned ndx;

    if (!versym || !verdef)
        return 0;
    ndx = versym[i] & 0x7fff;
    for (;;) {
        if (!(d->vd_flags & VER_FLG_BASE) && d->vd_ndx == ndx) {
            const Elf64_Verdaux *aux = (const void *)((const char *)d + d->vd_aux);

            return !strcmp(strtab + aux->vda_name, want);
        }
        if (!d->vd_next)
            return 0;
        d = (const void *)((const char *)d + d->vd_next);
    }
}

static void *lookup(const char *name)
{
    for (size_t i = 1; i < nsyms; i++) {
        const Elf64_Sym *s = &symtab[i];

        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
            strcmp(strtab + s->st_name, name))
            continue;
        CHECK(version_is(i, "LINUX_2.6"), "%s is not version LINUX_2.6", name);
        return (void *)(bias + s->st_value);
    }
    CHECK(0, "the vDSO has no %s", name);
    return NULL;
}

/* Find the tables of the vDSO's dynamic section. */
static int parse_vdso(void)
{
    const Elf64_Ehdr *eh;
    const Elf64_Phdr *ph;
    const Elf64_Dyn *dyn = NULL;
    const Elf32_Word *hash = NULL;
    int have_load = 0;

    vdso_base = getauxval(AT_SYSINFO_EHDR);
    printf("AT_SYSINFO_EHDR is an ELF shared object\n");
    CHECK(vdso_base && !(vdso_base % PAGE), "AT_SYSINFO_EHDR %#lx", (unsigned long)vdso_base);
    if (!vdso_base)
        return -1;
    eh = (const void *)vdso_base;
    CHECK(!memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
              eh->e_type == ET_DYN && eh->e_machine == EM_X86_64,
          "not an x86-64 ELF shared object");
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
        return -1;
    ph = (const void *)(vdso_base + eh->e_phoff);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !have_load) {
            bias = vdso_base + ph[i].p_offset - ph[i].p_vaddr;
            have_load = 1;
        }
    }
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const void *)(bias + ph[i].p_vaddr);
    CHECK(have_load && dyn, "no PT_LOAD or PT_DYNAMIC");
    if (!have_load || !dyn)
        return -1;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_SYMTAB: symtab = (const void *)(bias + dyn->d_un.d_ptr); break;
        case DT_STRTAB: strtab = (const void *)(bias + dyn->d_un.d_ptr); break;
        case DT_HASH: hash = (const void *)(bias + dyn->d_un.d_ptr); break;
        case DT_VERSYM: versym = (const void *)(bias + dyn->d_un.d_ptr); break;
        case DT_VERDEF: verdef = (const void *)(bias + dyn->d_un.d_ptr); break;
        }
    }
    /* the SysV hash gives the number of symbols (musl relies on it) */
    CHECK(symtab && strtab && hash && versym && verdef,
          "missing tables: symtab %p strtab %p hash %p versym %p verdef %p",
          (void *)symtab, (void *)strtab, (void *)hash, (void *)versym, (void *)verdef);
    if (!symtab || !strtab || !hash)
        return -1;
    nsyms = hash[1];
    return 0;
}

static void check_clock_gettime(cgt_fn cgt)
{
    static const clockid_t fine[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
                                      CLOCK_BOOTTIME, CLOCK_TAI };
    static const struct { clockid_t coarse, fine; } coarse[] = {
        { CLOCK_REALTIME_COARSE, CLOCK_REALTIME },
        { CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC },
    };
    struct timespec ts;

    printf("__vdso_clock_gettime agrees with the system call\n");
    for (unsigned i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
        for (int round = 0; round < 100; round++) {
            int64_t before = sys_now(fine[i]), v, after;
            int r = cgt(fine[i], &ts);

            after = sys_now(fine[i]);
            v = ns_of(&ts);
            CHECK(r == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < NS && before <= v && v <= after,
                  "clock %d: %d, %lld outside [%lld, %lld]", (int)fine[i], r, (long long)v,
                  (long long)before, (long long)after);
            if (r || v < before || v > after)
                break;
        }
    }
    for (unsigned i = 0; i < sizeof(coarse) / sizeof(coarse[0]); i++) {
        int64_t before = sys_now(coarse[i].coarse), v, after;
        int r = cgt(coarse[i].coarse, &ts);

        after = sys_now(coarse[i].fine);
        v = ns_of(&ts);
        CHECK(r == 0 && before <= v && v <= after, "coarse clock %d: %d, %lld outside "
              "[%lld, %lld]", (int)coarse[i].coarse, r, (long long)v, (long long)before,
              (long long)after);
    }
    /* what it leaves to the system call */
    CHECK(cgt(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < NS,
          "__vdso_clock_gettime(PROCESS_CPUTIME_ID) failed");
    CHECK(cgt(12, &ts) == -EINVAL, "__vdso_clock_gettime(12) did not return -EINVAL");
}

static void check_gettimeofday(gtod_fn gtod, time_fn tfn)
{
    struct timeval tv;
    struct timezone tz = { 55, 55 }, systz = { 66, 66 };
    int64_t before, after, v;
    time_t t, stored = 0;

    printf("__vdso_gettimeofday and __vdso_time agree with the system calls\n");
    before = sys_now(CLOCK_REALTIME);
    CHECK(gtod(&tv, NULL) == 0, "__vdso_gettimeofday failed");
    after = sys_now(CLOCK_REALTIME);
    v = (int64_t)tv.tv_sec * NS + tv.tv_usec * 1000LL;
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000 && v >= before / 1000 * 1000 && v <= after,
          "__vdso_gettimeofday %lld outside [%lld, %lld]", (long long)v, (long long)before,
          (long long)after);
    CHECK(gtod(&tv, &tz) == 0 && syscall(SYS_gettimeofday, NULL, &systz) == 0 &&
              tz.tz_minuteswest == systz.tz_minuteswest && tz.tz_dsttime == systz.tz_dsttime,
          "__vdso_gettimeofday tz %d/%d, the system call's %d/%d", tz.tz_minuteswest,
          tz.tz_dsttime, systz.tz_minuteswest, systz.tz_dsttime);
    CHECK(gtod(NULL, NULL) == 0, "__vdso_gettimeofday(NULL, NULL) failed");
    /* time() may follow the coarse clock (Linux's does) */
    before = sys_now(CLOCK_REALTIME_COARSE);
    t = tfn(&stored);
    after = sys_now(CLOCK_REALTIME);
    CHECK(t == stored && t >= before / NS && t <= after / NS,
          "__vdso_time %lld (stored %lld) outside [%lld, %lld]", (long long)t,
          (long long)stored, (long long)(before / NS), (long long)(after / NS));
    t = tfn(NULL);
    CHECK(t >= before / NS, "__vdso_time(NULL) %lld", (long long)t);
}

static void check_getres(getres_fn getres)
{
    printf("__vdso_clock_getres gives the system call's resolutions\n");
    for (clockid_t id = -1; id <= 12; id++) {
        struct timespec v = { 77, 77 }, s = { 88, 88 };
        int rv = getres(id, &v);
        long rs = syscall(SYS_clock_getres, id, &s);

        if (rs != 0)
            rs = -errno;
        CHECK(rv == rs && (rv || (v.tv_sec == s.tv_sec && v.tv_nsec == s.tv_nsec)),
              "clock %d: vDSO %d %lld.%09ld, system call %ld %lld.%09ld", (int)id, rv,
              (long long)v.tv_sec, v.tv_nsec, rs, (long long)s.tv_sec, s.tv_nsec);
    }
    CHECK(getres(CLOCK_MONOTONIC, NULL) == 0, "__vdso_clock_getres(MONOTONIC, NULL) failed");
}

static void check_getcpu(getcpu_fn gc)
{
    int agreed = 0;

    printf("__vdso_getcpu names the CPU the system call names\n");
    for (int i = 0; i < 100 && !agreed; i++) {
        unsigned c0 = 999, n0 = 999, c1 = 888, n1 = 888, c2 = 777;
        long r0 = syscall(SYS_getcpu, &c0, &n0, NULL);
        long r1 = gc(&c1, &n1, NULL);

        syscall(SYS_getcpu, &c2, NULL, NULL);
        CHECK(r0 == 0 && r1 == 0, "getcpu: system call %ld, vDSO %ld", r0, r1);
        CHECK(c1 < 4096 && n1 == n0, "__vdso_getcpu: CPU %u, node %u (system call: node %u)",
              c1, n1, n0);
        /* the task may move between the calls: look until it stays */
        agreed = c0 == c1 && c1 == c2;
        if (r0 || r1)
            break;
    }
    CHECK(agreed, "__vdso_getcpu never agreed with the system call");
    CHECK(gc(NULL, NULL, NULL) == 0, "__vdso_getcpu(NULL, NULL) failed");
}

/* As PID 1 on Trellis nobody mounted /proc yet. */
static void mount_proc(void)
{
    mkdir("/proc", 0555);
    if (access("/proc/self/maps", R_OK) != 0 &&
        mount("proc", "/proc", "proc", 0, NULL) != 0)
        printf("mount proc: %s\n", strerror(errno));
}

/* The [vdso] and [vvar] lines of /proc/self/maps. */
static void check_maps(void)
{
    FILE *f;
    char line[512], perms[8];
    unsigned long lo, hi, vdso_lo = 0, vdso_hi = 0, vvar_lo = 0, vvar_hi = 0;
    char vdso_perms[8] = "", vvar_perms[8] = "";

    printf("/proc/self/maps shows [vdso] at AT_SYSINFO_EHDR, [vvar] below it\n");
    mount_proc();
    f = fopen("/proc/self/maps", "r");
    CHECK(f != NULL, "cannot open /proc/self/maps: errno %d", errno);
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
            continue;
        if (strstr(line, "[vdso]")) {
            vdso_lo = lo;
            vdso_hi = hi;
            strcpy(vdso_perms, perms);
        } else if (strstr(line, "[vvar]")) {
            vvar_lo = lo;
            vvar_hi = hi;
            strcpy(vvar_perms, perms);
        }
    }
    fclose(f);
    CHECK(vdso_lo == vdso_base && vdso_hi > vdso_lo && !strcmp(vdso_perms, "r-xp"),
          "[vdso] %lx-%lx %s, AT_SYSINFO_EHDR %lx", vdso_lo, vdso_hi, vdso_perms,
          (unsigned long)vdso_base);
    CHECK(vvar_hi == vdso_lo && vvar_lo < vvar_hi && !strcmp(vvar_perms, "r--p"),
          "[vvar] %lx-%lx %s below [vdso] at %lx", vvar_lo, vvar_hi, vvar_perms, vdso_lo);
    if (vvar_lo) {
        errno = 0;
        CHECK(mprotect((void *)vvar_lo, PAGE, PROT_READ | PROT_WRITE) == -1 &&
                  errno == EACCES,
              "mprotect([vvar], PROT_WRITE): errno %d, expected EACCES", errno);
    }
}

/* A write to the vDSO's code is SIGSEGV; a forked child keeps the vDSO. */
static void check_child(cgt_fn cgt)
{
    int status = 0;
    pid_t pid;

    printf("the vDSO cannot be written, and a forked child has it\n");
    pid = fork();
    if (pid == 0) {
        *(volatile char *)vdso_base = 'x';
        _exit(0);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
              WTERMSIG(status) == SIGSEGV,
          "a write to the vDSO: status %#x, expected SIGSEGV", status);
    pid = fork();
    if (pid == 0) {
        struct timespec ts;
        int64_t before = sys_now(CLOCK_MONOTONIC);
        int r = cgt(CLOCK_MONOTONIC, &ts);

        _exit(r == 0 && ns_of(&ts) >= before && ns_of(&ts) <= sys_now(CLOCK_MONOTONIC) &&
                      getauxval(AT_SYSINFO_EHDR) == vdso_base
                  ? 0
                  : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "the vDSO in a forked child: status %#x", status);
}

int main(void)
{
    cgt_fn cgt;
    gtod_fn gtod;
    time_fn tfn;
    getcpu_fn gc;
    getres_fn getres;

    if (parse_vdso())
        return check_result("time_vdso");
    printf("the vDSO exports its functions in version LINUX_2.6\n");
    cgt = (cgt_fn)lookup("__vdso_clock_gettime");
    gtod = (gtod_fn)lookup("__vdso_gettimeofday");
    tfn = (time_fn)lookup("__vdso_time");
    gc = (getcpu_fn)lookup("__vdso_getcpu");
    getres = (getres_fn)lookup("__vdso_clock_getres");
    if (!cgt || !gtod || !tfn || !gc || !getres)
        return check_result("time_vdso");
    check_clock_gettime(cgt);
    check_gettimeofday(gtod, tfn);
    check_getres(getres);
    check_getcpu(gc);
    check_maps();
    check_child(cgt);
    return check_result("time_vdso");
}
