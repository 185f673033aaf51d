/*
 * Default options of the sanitizer runtimes for trellis-hosted, so that a
 * binary run by hand behaves as under `make`: the first report stops the
 * process with status 66 (a report is a failure, never a warning).  Leak
 * checking is off: the kernel heap lives in the RAM memfd, not in the
 * host's heap, and power-off leaves with _exit().  Options given in
 * ASAN_OPTIONS, UBSAN_OPTIONS or TSAN_OPTIONS still apply on top.
 */
#include "hosted.h"
#include "sanitizer.h"

#define REPORT_IS_FATAL "halt_on_error=1:exitcode=66"

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__tsan_default_options(void);

const char *__asan_default_options(void)
{
	return REPORT_IS_FATAL ":detect_leaks=0:allow_user_poisoning=1"
			       ":detect_stack_use_after_return=0";
}

const char *__ubsan_default_options(void)
{
	return REPORT_IS_FATAL ":print_stacktrace=1";
}

const char *__tsan_default_options(void)
{
	return REPORT_IS_FATAL ":second_deadlock_stack=1";
}
