/*
 * The battery-backed clock (the CMOS RTC of the PC, ports 0x70/0x71),
 * read once at boot for the wall clock: the date and time it holds (UTC,
 * as Linux expects it on x86 unless told otherwise), in BCD or binary and
 * in 12- or 24-hour form as its status register B says, the century from
 * register 0x32 (the one ACPI names; QEMU and PCs keep it there) when it
 * holds a plausible one.  The registers are read twice between updates
 * until two readings agree.  The date is checked (time_math.h): digits,
 * ranges, the calendar; a reading that fails is logged and
 * fr_rtc_boot_realtime_ns() reports -EIO.
 */
#include "x86.h"
#include "x86_internal.h"
#include "time_math.h"
#include <frame/timer.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_DAY 0x07
#define RTC_MON 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32
#define STATUS_A_UIP 0x80    /* an update is in progress */
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOUR_PM 0x80	     /* in 12-hour form */
#define UIP_WAIT_US 10000    /* an update takes under 2 ms */
#define READ_TRIES 5

struct rtc_regs {
	uint8_t sec, min, hour, day, mon, year, century, status_b;
};

static int rtc_err = -ENODEV; /* set once at boot */
static uint64_t rtc_boot_ns;

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

/* Wait until no update is in progress; false after UIP_WAIT_US. */
static bool wait_no_update(void)
{
	for (unsigned us = 0; us < UIP_WAIT_US; us += 10) {
		if (!(cmos_read(RTC_STATUS_A) & STATUS_A_UIP))
			return true;
		pit_delay_us(10);
	}
	return false;
}

static void read_regs(struct rtc_regs *r)
{
	r->sec = cmos_read(RTC_SEC);
	r->min = cmos_read(RTC_MIN);
	r->hour = cmos_read(RTC_HOUR);
	r->day = cmos_read(RTC_DAY);
	r->mon = cmos_read(RTC_MON);
	r->year = cmos_read(RTC_YEAR);
	r->century = cmos_read(RTC_CENTURY);
	r->status_b = cmos_read(RTC_STATUS_B);
}

static bool same(const struct rtc_regs *a, const struct rtc_regs *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->day == b->day && a->mon == b->mon && a->year == b->year &&
	       a->century == b->century && a->status_b == b->status_b;
}

/* One register's value, BCD or binary. */
static bool value(const struct rtc_regs *r, uint8_t raw, unsigned *out)
{
	if (r->status_b & STATUS_B_BINARY) {
		*out = raw;
		return true;
	}
	return time_bcd(raw, out);
}

/* A decoded date and time of day. */
struct rtc_date {
	unsigned year, mon, day, hour, min, sec;
};

/* The date the registers say; false when not a date. */
static bool decode(const struct rtc_regs *r, struct rtc_date *d,
		   uint64_t *secs)
{
	unsigned century;
	bool pm = false;
	uint8_t h = r->hour;

	if (!(r->status_b & STATUS_B_24H)) {
		pm = h & HOUR_PM;
		h &= ~HOUR_PM;
	}
	if (!value(r, r->sec, &d->sec) || !value(r, r->min, &d->min) ||
	    !value(r, h, &d->hour) || !value(r, r->day, &d->day) ||
	    !value(r, r->mon, &d->mon) || !value(r, r->year, &d->year) ||
	    d->year > 99)
		return false;
	if (!(r->status_b & STATUS_B_24H)) {
		if (d->hour < 1 || d->hour > 12)
			return false;
		d->hour = d->hour % 12 + (pm ? 12 : 0);
	}
	if (!value(r, r->century, &century) || century < 19 || century > 21)
		century = d->year < 70 ? 20 : 19; /* no century register */
	d->year += century * 100;
	return time_from_date(d->year, d->mon, d->day, d->hour, d->min,
			      d->sec, secs);
}

void rtc_init(void)
{
	struct rtc_regs a, b;
	struct rtc_date d;
	uint64_t secs, mono;
	unsigned tries = 0;

	do {
		if (!wait_no_update()) {
			fr_printk("rtc: always updating: no wall clock\n");
			rtc_err = -EIO;
			return;
		}
		read_regs(&a);
		wait_no_update();
		read_regs(&b);
	} while (!same(&a, &b) && ++tries < READ_TRIES);
	mono = fr_monotonic_ns();
	if (!same(&a, &b) || !decode(&b, &d, &secs) ||
	    secs * TIME_NS_PER_SEC < mono) {
		fr_printk("rtc: not a date: %02x-%02x-%02x %02x:%02x:%02x "
			  "(century %02x, status %02x): no wall clock\n",
			  b.year, b.mon, b.day, b.hour, b.min, b.sec,
			  b.century, b.status_b);
		rtc_err = -EIO;
		return;
	}
	rtc_boot_ns = secs * TIME_NS_PER_SEC - mono;
	rtc_err = 0;
	fr_printk("rtc: %u-%02u-%02u %02u:%02u:%02u UTC\n", d.year, d.mon,
		  d.day, d.hour, d.min, d.sec);
}

int fr_rtc_boot_realtime_ns(uint64_t *ns)
{
	if (rtc_err)
		return rtc_err;
	*ns = rtc_boot_ns;
	return 0;
}
