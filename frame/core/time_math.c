/*
 * The arithmetic of the frame's timekeeping (see time_math.h): rates,
 * multipliers and the calendar.
 */
#include "time_math.h"

uint64_t time_mult(uint64_t from_hz, uint64_t to_hz)
{
	if (!from_hz || to_hz >> 32)
		return 0;
	return (to_hz << TIME_SHIFT) / from_hz;
}

uint64_t time_calibrate_hz(uint64_t counts, uint64_t ref_counts,
			   uint64_t ref_hz)
{
	if (!ref_counts || (ref_hz && counts > UINT64_MAX / ref_hz))
		return 0;
	return counts * ref_hz / ref_counts;
}

bool time_bcd(uint8_t v, unsigned *out)
{
	if ((v & 0xf) > 9 || (v >> 4) > 9)
		return false;
	*out = (v >> 4) * 10 + (v & 0xf);
	return true;
}

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in [1, y). */
static uint64_t leaps_before(unsigned y)
{
	return (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
}

bool time_from_date(unsigned year, unsigned mon, unsigned day, unsigned hour,
		    unsigned min, unsigned sec, uint64_t *secs)
{
	/* days before each month in a common year */
	static const uint16_t before[12] = { 0,	  31,  59,  90,
					     120, 151, 181, 212,
					     243, 273, 304, 334 };
	static const uint8_t length[12] = { 31, 28, 31, 30, 31, 30,
					    31, 31, 30, 31, 30, 31 };
	uint64_t days;

	if (year < 1970 || year > 9999 || mon < 1 || mon > 12 || day < 1 ||
	    hour > 23 || min > 59 || sec > 59)
		return false;
	if (day > length[mon - 1] + (unsigned)(mon == 2 && leap(year)))
		return false;
	days = 365ULL * (year - 1970) + leaps_before(year) -
	       leaps_before(1970) + before[mon - 1] +
	       (mon > 2 && leap(year)) + day - 1;
	*secs = ((days * 24 + hour) * 60 + min) * 60 + sec;
	return true;
}
