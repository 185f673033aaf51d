/* The initial stack and auxiliary vector of a program, as Linux 6.1 lays
 * them out: the program runs itself with known arguments and environment,
 * and the child checks the order of the auxv entries (AT_SYSINFO_EHDR, the
 * vDSO, may be missing), their values (exact where they do not vary: page
 * size, clock ticks, program headers, entry, ids, CPU features; sane where
 * they do: addresses, AT_MINSIGSTKSZ, the random bytes), and where the
 * strings are: argv, envp and the file name one after another, ending
 * 8 bytes below a page boundary, AT_PLATFORM and AT_RANDOM below them. */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define SELF "/test/exec_auxv"
#define PAGE 4096UL

extern char **environ;
extern const Elf64_Ehdr __ehdr_start;
extern char _start[];

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("FAIL: " __VA_ARGS__);                                  \
            printf("\n");                                                  \
            failures++;                                                    \
        }                                                                  \
    } while (0)

/* The auxv types in Linux's order (fs/binfmt_elf.c, create_elf_tables),
 * after AT_SYSINFO_EHDR. */
static const unsigned long order[] = {
    AT_MINSIGSTKSZ, AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT,
    AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID,
    AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM,
};
#define NTYPES (sizeof(order) / sizeof(order[0]))

static void cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static unsigned long *auxv_of(char **envp)
{
    while (*envp)
        envp++;
    return (unsigned long *)(envp + 1);
}

static unsigned long aux(const unsigned long *av, unsigned long type)
{
    for (; av[0]; av += 2)
        if (av[0] == type)
            return av[1];
    return 0;
}

static int child(int argc, char **argv)
{
    char **envp = environ;
    unsigned long *av = auxv_of(envp), *p;
    const char *execfn, *platform, *s;
    const unsigned char *random;
    unsigned r[4], max_leaf;
    size_t n = 0, envc = 0;
    int i;

    /* the order of the entries */
    p = av;
    if (p[0] == AT_SYSINFO_EHDR) {
        CHECK(!(p[1] % PAGE) && !memcmp((void *)p[1], ELFMAG, SELFMAG),
              "AT_SYSINFO_EHDR %#lx is not an ELF image", p[1]);
        p += 2;
    }
    for (; p[0] && n < NTYPES; p += 2, n++)
        CHECK(p[0] == order[n], "auxv entry %zu is type %lu, expected %lu",
              n, p[0], order[n]);
    CHECK(n == NTYPES && !p[0], "auxv has %zu entries before AT_NULL, "
          "expected %zu", n + (p[0] != 0), NTYPES);
    if (failures)
        return 1;

    /* the values that do not vary */
    CHECK(aux(av, AT_PAGESZ) == PAGE, "AT_PAGESZ %lu", aux(av, AT_PAGESZ));
    CHECK(aux(av, AT_CLKTCK) == 100, "AT_CLKTCK %lu", aux(av, AT_CLKTCK));
    CHECK(aux(av, AT_PHENT) == sizeof(Elf64_Phdr), "AT_PHENT %lu",
          aux(av, AT_PHENT));
    CHECK(aux(av, AT_PHNUM) == __ehdr_start.e_phnum, "AT_PHNUM %lu, not %u",
          aux(av, AT_PHNUM), __ehdr_start.e_phnum);
    CHECK(aux(av, AT_PHDR) ==
              (unsigned long)&__ehdr_start + __ehdr_start.e_phoff,
          "AT_PHDR %#lx, headers at %p", aux(av, AT_PHDR),
          (void *)&__ehdr_start);
    CHECK(aux(av, AT_ENTRY) == (unsigned long)_start, "AT_ENTRY %#lx, not %p",
          aux(av, AT_ENTRY), (void *)_start);
    CHECK(aux(av, AT_BASE) == 0, "AT_BASE %#lx", aux(av, AT_BASE));
    CHECK(aux(av, AT_FLAGS) == 0, "AT_FLAGS %#lx", aux(av, AT_FLAGS));
    CHECK(aux(av, AT_UID) == getuid() && aux(av, AT_EUID) == geteuid() &&
              aux(av, AT_GID) == getgid() && aux(av, AT_EGID) == getegid(),
          "AT_UID/EUID/GID/EGID %lu %lu %lu %lu", aux(av, AT_UID),
          aux(av, AT_EUID), aux(av, AT_GID), aux(av, AT_EGID));
    CHECK(aux(av, AT_SECURE) == 0, "AT_SECURE %lu", aux(av, AT_SECURE));
    cpuid(1, 0, r);
    CHECK(aux(av, AT_HWCAP) == r[3], "AT_HWCAP %#lx, CPUID.1:EDX %#x",
          aux(av, AT_HWCAP), r[3]);
    /* AT_HWCAP2: ring-3 MWAIT, FSGSBASE (only if the CPU has it) */
    cpuid(0, 0, r);
    max_leaf = r[0];
    r[1] = 0;
    if (max_leaf >= 7)
        cpuid(7, 0, r);
    CHECK(!(aux(av, AT_HWCAP2) & ~3UL) &&
              (!(aux(av, AT_HWCAP2) & 2) || (r[1] & 1)),
          "AT_HWCAP2 %#lx", aux(av, AT_HWCAP2));
    /* depends on the CPU's FPU state and the signal frame */
    CHECK(aux(av, AT_MINSIGSTKSZ) >= 1024 &&
              aux(av, AT_MINSIGSTKSZ) <= 65536 &&
              !(aux(av, AT_MINSIGSTKSZ) % 16),
          "AT_MINSIGSTKSZ %lu", aux(av, AT_MINSIGSTKSZ));

    /* argc, argv and envp on the stack */
    CHECK(!((unsigned long)(argv - 1) % 16), "argc at %p is not 16-aligned",
          (void *)(argv - 1));
    CHECK(((long *)argv)[-1] == argc, "argc");
    CHECK(argc == 3 && !strcmp(argv[0], "exec_auxv") &&
              !strcmp(argv[1], "child") && !strcmp(argv[2], "second arg") &&
              !argv[3],
          "argv");
    CHECK(envp == argv + argc + 1, "envp does not follow argv");
    while (envp[envc])
        envc++;
    CHECK(envc == 2 && !strcmp(envp[0], "A=1") && !strcmp(envp[1], "BB=22"),
          "envp");
    if (failures)
        return 1;

    /* the strings: argv, envp, the file name, 8 zero bytes, a page end */
    execfn = (const char *)aux(av, AT_EXECFN);
    s = argv[0];
    for (i = 0; i < argc; i++, s += strlen(s) + 1)
        CHECK(argv[i] == s, "argv[%d] at %p, expected %p", i,
              (void *)argv[i], (void *)s);
    for (i = 0; i < (int)envc; i++, s += strlen(s) + 1)
        CHECK(envp[i] == s, "envp[%d] at %p, expected %p", i,
              (void *)envp[i], (void *)s);
    CHECK(execfn == s && !strcmp(execfn, SELF),
          "AT_EXECFN %p \"%s\", expected %p \"%s\"", (void *)execfn,
          execfn, (void *)s, SELF);
    s += strlen(s) + 1;
    CHECK(!((unsigned long)(s + 8) % PAGE) && !*(const uint64_t *)s,
          "the strings end at %p, not 8 zero bytes below a page end",
          (void *)s);

    /* below the strings: the platform, and below it the random bytes */
    platform = (const char *)aux(av, AT_PLATFORM);
    random = (const unsigned char *)aux(av, AT_RANDOM);
    CHECK(platform && !strcmp(platform, "x86_64"), "AT_PLATFORM");
    CHECK(platform + strlen("x86_64") + 1 <= argv[0] &&
              platform > (const char *)av,
          "AT_PLATFORM at %p, argv[0] at %p", (void *)platform,
          (void *)argv[0]);
    CHECK((const char *)random + 16 == platform,
          "AT_RANDOM at %p, AT_PLATFORM at %p", (void *)random,
          (void *)platform);
    for (i = 0; i < 16 && !random[i]; i++)
        ;
    CHECK(i < 16, "AT_RANDOM: 16 zero bytes");
    return failures ? 1 : 0;
}

/* Run ourselves as the child; its exit status, or -1. */
static int run_child(const char *mode)
{
    char *argv[] = { "exec_auxv", (char *)mode, "second arg", NULL };
    char *envp[] = { "A=1", "BB=22", NULL };
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execve(SELF, argv, envp);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
    int rnd[4];

    if (argc > 1 && !strcmp(argv[1], "child"))
        return child(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "random"))
        return ((const unsigned char *)aux(auxv_of(environ), AT_RANDOM))[0];

    CHECK(run_child("child") == 0, "the child's checks failed");
    /* each program gets its own random bytes */
    for (int i = 0; i < 4; i++)
        rnd[i] = run_child("random");
    CHECK(rnd[0] >= 0 && !(rnd[0] == rnd[1] && rnd[1] == rnd[2] &&
                           rnd[2] == rnd[3]),
          "AT_RANDOM's first byte is %d in four programs", rnd[0]);
    if (failures)
        return 1;
    printf("exec_auxv ok\n");
    return 0;
}
