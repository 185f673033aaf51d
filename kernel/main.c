/*
 * The services' entry point: injects the policies into the frame, reads
 * the command line, runs the unit tests when asked, and starts PID 1 from
 * the initramfs, as Linux does (rdinit=/init= or /init, with the command
 * line's leftover words as its arguments and environment).  When PID 1
 * ends, its status is reported and the machine powers off with it.
 */
#include <frame/boot.h>
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/power.h>
#include <libs/string.h>
#include <asm-generic/errno.h>
#include "debug/crash.h"
#include "fs/internal.h"
#include "futex/futex.h"
#include "mm/policies.h"
#include "process/process.h"
#include "sched/sched.h"
#include "time/clock.h"
#include "time/timer.h"
#include "tty/tty.h"

#define MAX_INIT_ARGS 32

static char cmdline[1024];
static const char *init_argv[MAX_INIT_ARGS + 2];
static const char *init_envp[MAX_INIT_ARGS + 3] = { "HOME=/", "TERM=linux" };

/* Kernel parameters that are the kernel's and not init's. */
static bool kernel_param(const char *w)
{
	static const char *const known[] = {
		"console=", "quiet", "panic=", "loglevel=", "earlyprintk=",
		"root=", "rw", "ro", "nokaslr", "noapic", "acpi=",
		"notsc", "nolapic_timer",
	};

	for (size_t i = 0; i < FR_ARRAY_SIZE(known); i++)
		if (str_starts_with(w, known[i]))
			return true;
	return false;
}

static void inject_policies(void)
{
	if (fr_inject_page_policy(&buddy_page_policy) ||
	    fr_inject_heap_policy(&slab_heap_policy) ||
	    fr_inject_scheduler(&kernel_sched_policy))
		fr_panic("cannot install the kernel's policies");
}

void trellis_main(void)
{
	const char *init = NULL, *ktest = NULL, *crash = NULL;
	int argc = 1, envc = 2, err, status;
	bool after_dashes = false;
	struct process *p;

	inject_policies();
	ktimer_setup(NULL); /* the tick hook; no other service uses it */
	clock_setup();
	futex_setup();
	fr_printk("Trellis 0.1 (x86_64), a framekernel\n");

	str_copy(cmdline, fr_boot_cmdline(), sizeof(cmdline));
	for (char *w = cmdline, *end; *w; w = end) {
		while (*w == ' ')
			w++;
		if (!*w)
			break;
		end = w;
		while (*end && *end != ' ')
			end++;
		if (*end)
			*end++ = '\0';
		if (after_dashes) {
			if (argc < MAX_INIT_ARGS)
				init_argv[argc++] = w;
		} else if (!strcmp(w, "--")) {
			after_dashes = true;
		} else if (str_starts_with(w, "init=") ||
			   str_starts_with(w, "rdinit=")) {
			init = strchr(w, '=') + 1;
		} else if (!strcmp(w, "ktest") || str_starts_with(w, "ktest=")) {
			ktest = w[5] == '=' ? w + 6 : "";
		} else if (str_starts_with(w, "trellis.crash=")) {
			crash = strchr(w, '=') + 1;
		} else if (kernel_param(w)) {
			continue;
		} else if (strchr(w, '=')) {
			if (envc < MAX_INIT_ARGS)
				init_envp[envc++] = w;
		} else if (argc < MAX_INIT_ARGS) {
			init_argv[argc++] = w;
		}
	}

	if (ktest) {
		int failed = fr_ktest_run(ktest);

		fr_poweroff(failed ? 1 : 0);
	}

	if (crash)
		fr_poweroff(crash_on_request(crash) == -EINVAL ? 2 : 1);

	{
		struct fr_bytes initrd = fr_boot_initrd();

		err = vfs_init(initrd.data, initrd.len);
		if (err == -EINVAL)
			fr_printk("trellis: the initramfs is corrupt\n");
		else if (err)
			fr_panic("trellis: cannot mount the root: error %d", -err);
		err = tty_init(); /* before the early console: it takes 5:1 */
		if (err)
			fr_printk("trellis: no terminals: error %d\n", -err);
		err = early_console_init();
		if (err)
			fr_printk("trellis: no /dev/console: error %d\n", -err);
	}

	if (!init)
		init = "/init";
	init_argv[0] = init;
	p = process_spawn(init, init_argv, init_envp, &err);
	if (!p) {
		fr_printk("trellis: cannot run %s: error %d\n", init, -err);
		fr_poweroff(127);
	}
	status = process_wait(p);
	if (status & 0x7f) {
		fr_printk("trellis: init killed by signal %d\n", status & 0x7f);
		fr_poweroff(128 + (status & 0x7f));
	}
	fr_printk("trellis: init exited with status %d\n", (status >> 8) & 0xff);
	fr_poweroff((status >> 8) & 0xff);
}
