/*
 * The user program of the minimal demonstration kernel (demo/mini/): a
 * static musl program that makes only the system calls that kernel
 * serves.  Besides write(2) and _exit(2), musl's startup code sets the
 * thread pointer with arch_prctl(ARCH_SET_FS) and calls set_tid_address,
 * whose -ENOSYS it ignores; no stdio, so no ioctl or writev.
 */
#include <string.h>
#include <unistd.h>

int main(void)
{
	static const char msg[] = "hello from user mode\n";

	if (write(1, msg, strlen(msg)) != (ssize_t)strlen(msg))
		_exit(1);
	_exit(0);
}
