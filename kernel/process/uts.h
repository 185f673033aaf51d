/*
 * The system's names, as uname(2) gives them: the system, release,
 * version and machine are fixed; the host name and the domain name are
 * set by sethostname/setdomainname and through /proc/sys/kernel.  One
 * set for the whole system (there are no UTS namespaces).
 */
#ifndef KERNEL_PROCESS_UTS_H
#define KERNEL_PROCESS_UTS_H

#include <frame/types.h>
#include <linux/utsname.h>

#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-trellis"
#define UTS_VERSION "#1 SMP Trellis"
#define UTS_MACHINE "x86_64"

/* uts_read - a copy of the names, each NUL-terminated.  Context: any. */
void uts_read(struct new_utsname *out);

/*
 * uts_set_hostname / uts_set_domainname - set the name to the @len bytes
 * at @name (not NUL-terminated).  The caller has checked the right to.
 * Returns 0, or -EINVAL when @len is above __NEW_UTS_LEN.
 * Context: any.
 */
int uts_set_hostname(const char *name, size_t len);
int uts_set_domainname(const char *name, size_t len);

#endif
