/*
 * The hosted target's "boot loader" and first code: main() reads the
 * options and the kernel command line from argv, makes the RAM, brings up
 * CPU 0 and the frame's core, and calls the services' trellis_main()
 * exactly as fr_arch_start() does in the kernel target.
 *
 *   trellis-hosted [-m MiB] [-smp CPUS] [-initrd FILE] [--] [WORD...]
 *
 * The WORDs form the kernel command line (e.g. "ktest=heap.").
 */
#include "hosted.h"
#include <frame/boot.h>
#include <frame/power.h>
#include <libs/string.h>
#include <stdio.h>
#include <stdlib.h>

struct boot_info boot_info;

static FR_NORETURN void usage(const char *why)
{
	fprintf(stderr,
		"trellis-hosted: %s\n"
		"usage: trellis-hosted [-m MiB] [-smp CPUS] [-initrd FILE] "
		"[--] [kernel command line words...]\n",
		why);
	exit(2);
}

static unsigned long number_option(const char *name, const char *value,
				   unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	if (!value)
		usage("an option lacks its value");
	v = strtoul(value, &end, 10);
	if (*end || v < min || v > max) {
		fprintf(stderr, "trellis-hosted: %s wants a number from %lu "
			"to %lu\n", name, min, max);
		exit(2);
	}
	return v;
}

/* Options first; the remaining words become the command line. */
static void parse_args(int argc, char **argv, struct hosted_options *opt)
{
	int i = 1;
	size_t len = 0;

	opt->mem_bytes = 128UL << 20;
	opt->ncpus = 1;
	opt->initrd_path = NULL;
	for (; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-m"))
			opt->mem_bytes = number_option("-m", v, 16, 65536) << 20;
		else if (!strcmp(a, "-smp"))
			opt->ncpus = number_option("-smp", v, 1, FR_MAX_CPUS);
		else if (!strcmp(a, "-initrd") && v)
			opt->initrd_path = v;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage("the hosted target of Trellis");
		else
			break;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + 2 > sizeof(boot_info.cmdline))
			usage("the command line is too long");
		if (len)
			boot_info.cmdline[len++] = ' ';
		memcpy(boot_info.cmdline + len, argv[i], n + 1);
		len += n;
	}
}

/* fr_boot_cmdline - see <frame/boot.h>. */
const char *fr_boot_cmdline(void)
{
	return boot_info.cmdline;
}

/* fr_boot_initrd - see <frame/boot.h>: the -initrd file, in RAM. */
struct fr_bytes fr_boot_initrd(void)
{
	if (!boot_info.initrd_len)
		return (struct fr_bytes){ NULL, 0 };
	return (struct fr_bytes){ phys_to_virt(boot_info.initrd_pa),
				  boot_info.initrd_len };
}

int main(int argc, char **argv)
{
	struct hosted_options opt;

	parse_args(argc, argv, &opt);
	boot_info.protocol = "hosted";
	hosted_clock_init();
	hosted_cpus_init(opt.ncpus);
	hosted_clock_publish();
	hosted_memory_init(&opt);
	fr_printk("Trellis booting (%s, %u CPU%s), command line: '%s'\n",
		  boot_info.protocol, opt.ncpus, opt.ncpus > 1 ? "s" : "",
		  boot_info.cmdline);
	mm_init();
	task_init_boot();
	arch_irq_enable();
	trellis_main();
	fr_printk("trellis_main returned\n");
	fr_poweroff(0);
}
