/*
 * The arithmetic of the frame's timekeeping, shared by its targets and
 * the vDSO: counts of one counter scaled to another with a multiplier and
 * a fixed shift (reading a clock multiplies, it never divides), the
 * calibration ratio, and the calendar of the RTC's date.  Pure functions
 * of their arguments, tested by the time_math.* KTESTs.  Frame-private;
 * the vDSO includes it too, so it needs nothing but <stdint.h>.
 */
#ifndef FRAME_CORE_TIME_MATH_H
#define FRAME_CORE_TIME_MATH_H

#include <stdbool.h>
#include <stdint.h>

#define TIME_SHIFT 32
#define TIME_NS_PER_SEC 1000000000ULL

/*
 * time_scale - @delta counts of a counter converted with @mult from
 * time_mult(): (delta * mult) >> TIME_SHIFT, computed on 128 bits (a
 * multiplication, no division).  The result must fit 64 bits, which holds
 * for any delta below 2^64 counts of a counter faster than its target.
 */
static inline uint64_t time_scale(uint64_t delta, uint64_t mult)
{
	return (uint64_t)(((unsigned __int128)delta * mult) >> TIME_SHIFT);
}

/*
 * time_mult - the multiplier of time_scale() that turns counts of a
 * @from_hz counter into counts of a @to_hz one (rounded down).  0 when
 * @from_hz is 0 or @to_hz is not below 2^32.
 */
uint64_t time_mult(uint64_t from_hz, uint64_t to_hz);

/*
 * time_calibrate_hz - the rate of a counter that advanced @counts while a
 * reference of @ref_hz advanced @ref_counts: counts * ref_hz / ref_counts.
 * 0 when @ref_counts is 0 or the product does not fit 64 bits.
 */
uint64_t time_calibrate_hz(uint64_t counts, uint64_t ref_counts,
			   uint64_t ref_hz);

/* time_bcd - the value of the two BCD digits of @v; false if not BCD. */
bool time_bcd(uint8_t v, unsigned *out);

/*
 * time_from_date - the seconds since 1970-01-01 00:00:00 UTC of the
 * given date and time of day (month 1-12, day from 1).  Returns false,
 * leaving *secs alone, when the date is not a real one (month 13,
 * February 30, 25:00, a year before 1970 or after 9999).
 */
bool time_from_date(unsigned year, unsigned mon, unsigned day, unsigned hour,
		    unsigned min, unsigned sec, uint64_t *secs);

#endif
