/*
 * KTESTs of the timekeeping arithmetic (time_math.h): counter scaling
 * against exact products, calibration ratios, BCD digits and the
 * calendar of the RTC's dates.  Pure arithmetic: the same results on
 * every target.
 */
#include <frame/ktest.h>
#include "time_math.h"

/* |a - b| <= tol */
static bool near(uint64_t a, uint64_t b, uint64_t tol)
{
	return a > b ? a - b <= tol : b - a <= tol;
}

KTEST(time_math, scale_exact_rates)
{
	uint64_t m = time_mult(TIME_NS_PER_SEC, TIME_NS_PER_SEC);

	/* a 1 GHz counter counts nanoseconds */
	KT_EXPECT_EQ(m, 1ULL << TIME_SHIFT);
	KT_EXPECT_EQ(time_scale(0, m), 0);
	KT_EXPECT_EQ(time_scale(123456789, m), 123456789);
	KT_EXPECT_EQ(time_scale(UINT64_MAX, m), UINT64_MAX);
	/* 2 GHz: half a nanosecond per count */
	m = time_mult(2 * TIME_NS_PER_SEC, TIME_NS_PER_SEC);
	KT_EXPECT_EQ(time_scale(2000000000ULL, m), TIME_NS_PER_SEC);
	KT_EXPECT_EQ(time_scale(3, m), 1);
	/* the PIT's 1193182 Hz to ns: 1193182 counts are one second */
	m = time_mult(1193182, TIME_NS_PER_SEC);
	KT_EXPECT(near(time_scale(1193182, m), TIME_NS_PER_SEC, 1));
}

KTEST(time_math, scale_odd_rates_and_long_spans)
{
	static const uint64_t hz[] = { 100000000ULL, 1000000007ULL,
				       2899999999ULL, 3000000000ULL,
				       4712345678ULL, 12000000000ULL };

	for (unsigned i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		uint64_t m = time_mult(hz[i], TIME_NS_PER_SEC);
		/* a year of counts: 31536000 s; rounding the multiplier
		 * down loses at most one part in mult (a few in 10^9, far
		 * below what calibration can tell) */
		uint64_t year = 31536000ULL * hz[i];
		uint64_t ns = time_scale(year, m);

		KT_EXPECT(m != 0);
		KT_EXPECT(ns <= 31536000ULL * TIME_NS_PER_SEC);
		KT_EXPECT(31536000ULL * TIME_NS_PER_SEC - ns <=
			  31536000ULL * TIME_NS_PER_SEC / (1ULL << 28));
		/* one second, to within a nanosecond */
		KT_EXPECT(near(time_scale(hz[i], m), TIME_NS_PER_SEC, 1));
		/* monotonic in the count */
		KT_EXPECT(time_scale(year + 1, m) >= ns);
	}
	/* ns to a 62.5 MHz timer: 10 ms is 625000 counts */
	KT_EXPECT(near(time_scale(10000000ULL,
				  time_mult(TIME_NS_PER_SEC, 62500000ULL)),
		       625000, 1));
	/* rates that cannot be expressed */
	KT_EXPECT_EQ(time_mult(0, TIME_NS_PER_SEC), 0);
	KT_EXPECT_EQ(time_mult(1000, 1ULL << 32), 0);
}

KTEST(time_math, calibrate)
{
	/* 30 million counts in 10 ms of the PIT (11932 counts): ~3 GHz */
	uint64_t hz = time_calibrate_hz(30000000ULL, 11932, 1193182);

	KT_EXPECT(near(hz, 3000000000ULL, 300000));
	/* against nanoseconds */
	KT_EXPECT_EQ(time_calibrate_hz(625000, 10000000ULL, TIME_NS_PER_SEC),
		     62500000ULL);
	KT_EXPECT_EQ(time_calibrate_hz(5, 0, 1000), 0);
	KT_EXPECT_EQ(time_calibrate_hz(UINT64_MAX / 2, 1, 1000), 0);
}

KTEST(time_math, bcd)
{
	unsigned v = 77;

	KT_EXPECT(time_bcd(0x59, &v));
	KT_EXPECT_EQ(v, 59);
	KT_EXPECT(time_bcd(0x00, &v));
	KT_EXPECT_EQ(v, 0);
	KT_EXPECT(time_bcd(0x99, &v));
	KT_EXPECT_EQ(v, 99);
	v = 77;
	KT_EXPECT(!time_bcd(0x5a, &v));
	KT_EXPECT(!time_bcd(0xa0, &v));
	KT_EXPECT_EQ(v, 77);
}

KTEST(time_math, dates)
{
	uint64_t s = 1;

	KT_EXPECT(time_from_date(1970, 1, 1, 0, 0, 0, &s));
	KT_EXPECT_EQ(s, 0);
	KT_EXPECT(time_from_date(2000, 3, 1, 0, 0, 0, &s));
	KT_EXPECT_EQ(s, 951868800);
	KT_EXPECT(time_from_date(2024, 2, 29, 12, 0, 0, &s));
	KT_EXPECT_EQ(s, 1709208000);
	KT_EXPECT(time_from_date(2025, 1, 1, 0, 0, 0, &s));
	KT_EXPECT_EQ(s, 1735689600);
	KT_EXPECT(time_from_date(2038, 1, 19, 3, 14, 8, &s));
	KT_EXPECT_EQ(s, 1ULL << 31);
	KT_EXPECT(time_from_date(2100, 12, 31, 23, 59, 59, &s));
	KT_EXPECT_EQ(s, 4133980799ULL);
	/* not dates: left alone */
	s = 42;
	KT_EXPECT(!time_from_date(2023, 2, 29, 0, 0, 0, &s));
	KT_EXPECT(!time_from_date(2100, 2, 29, 0, 0, 0, &s));
	KT_EXPECT(!time_from_date(2024, 13, 1, 0, 0, 0, &s));
	KT_EXPECT(!time_from_date(2024, 0, 1, 0, 0, 0, &s));
	KT_EXPECT(!time_from_date(2024, 4, 31, 0, 0, 0, &s));
	KT_EXPECT(!time_from_date(2024, 1, 0, 0, 0, 0, &s));
	KT_EXPECT(!time_from_date(2024, 1, 1, 24, 0, 0, &s));
	KT_EXPECT(!time_from_date(2024, 1, 1, 0, 60, 0, &s));
	KT_EXPECT(!time_from_date(2024, 1, 1, 0, 0, 60, &s));
	KT_EXPECT(!time_from_date(1969, 12, 31, 23, 59, 59, &s));
	KT_EXPECT_EQ(s, 42);
}
