/*
 * The system's names (see uts.h): the host and domain names under a
 * spinlock, the others constant.
 */
#include <asm-generic/errno.h>
#include <frame/sync.h>
#include <libs/string.h>
#include "process/uts.h"

static struct fr_spinlock uts_lock = FR_SPINLOCK_INIT;
static char nodename[__NEW_UTS_LEN + 1] = "trellis"; /* [uts_lock] */
static char domainname[__NEW_UTS_LEN + 1] = "(none)"; /* [uts_lock] */

void uts_read(struct new_utsname *out)
{
	unsigned long irq;

	memset(out, 0, sizeof(*out));
	str_copy(out->sysname, UTS_SYSNAME, sizeof(out->sysname));
	str_copy(out->release, UTS_RELEASE, sizeof(out->release));
	str_copy(out->version, UTS_VERSION, sizeof(out->version));
	str_copy(out->machine, UTS_MACHINE, sizeof(out->machine));
	irq = fr_spin_lock_irqsave(&uts_lock);
	memcpy(out->nodename, nodename, sizeof(nodename));
	memcpy(out->domainname, domainname, sizeof(domainname));
	fr_spin_unlock_irqrestore(&uts_lock, irq);
}

/* Set @field to @len bytes of @name, NUL-padded. */
static int set_name(char *field, const char *name, size_t len)
{
	unsigned long irq;

	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	irq = fr_spin_lock_irqsave(&uts_lock);
	memset(field, 0, __NEW_UTS_LEN + 1);
	memcpy(field, name, len);
	fr_spin_unlock_irqrestore(&uts_lock, irq);
	return 0;
}

int uts_set_hostname(const char *name, size_t len)
{
	return set_name(nodename, name, len);
}

int uts_set_domainname(const char *name, size_t len)
{
	return set_name(domainname, name, len);
}
