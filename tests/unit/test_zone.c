/* zone: fixed offsets and tz database zones, the offset of each wall-clock
 * time (daylight saving time, clock changes, dates past the zone file's
 * last listed change), and content_date_iso built on it. */
#include "harness.h"
#include "content.h"
#include "zone.h"

#include <stdlib.h>

static void test_valid(void)
{
	static const char *const good[] = { "+08:00", "-05:30", "+00:00", "+14:00", "Z", "UTC",
					    "Asia/Taipei", "America/New_York", "Europe/London",
					    "Etc/GMT+8", "America/Argentina/Buenos_Aires" };
	static const char *const bad[] = { "", "+8", "+0800", "+15:00", "+08:60", "08:00", "Asia/Taipeh",
					   "asia/taipei", "CST-8", "EST5EDT,M3.2.0,M11.1.0", "/etc/localtime",
					   "../UTC", "Asia/../UTC", "Asia//Taipei", "Asia/", "zone.tab", "z", "utc" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		OK(zone_valid(good[i]), "zone '%s' is valid", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		OK(!zone_valid(bad[i]), "zone '%s' is refused", bad[i]);
}

static void test_offsets(void)
{
	static const struct {
		const char *zone;
		int y, mo, d, h, mi;
		int want;
		const char *why;
	} cases[] = {
		{ "+08:00", 2024, 12, 13, 0, 0, 480, "fixed offset" },
		{ "-05:30", 2024, 7, 1, 0, 0, -330, "negative fixed offset" },
		{ "Asia/Taipei", 2024, 12, 13, 0, 0, 480, "Taipei" },
		{ "Asia/Taipei", 1975, 6, 1, 12, 0, 540, "Taipei kept summer time in 1975" },
		{ "America/New_York", 2024, 1, 15, 12, 0, -300, "New York in winter" },
		{ "America/New_York", 2024, 7, 1, 0, 0, -240, "New York in summer" },
		{ "America/New_York", 2024, 3, 10, 2, 30, -240, "a time the spring change skips: the offset after" },
		{ "America/New_York", 2024, 11, 3, 1, 30, -300, "a time the autumn change repeats: standard time" },
		{ "America/New_York", 2090, 7, 1, 0, 0, -240, "past the file's last listed change (its rule)" },
		{ "Europe/London", 2024, 7, 1, 0, 0, 60, "London in summer" },
		{ "Australia/Sydney", 2024, 1, 1, 0, 0, 660, "southern summer" },
		{ "Asia/Kathmandu", 2024, 1, 1, 0, 0, 345, "a quarter-hour zone" },
		{ "Nope/Nowhere", 2024, 1, 1, 0, 0, 0, "an unknown zone gives 0" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		INT_EQ(zone_offset(cases[i].zone, cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, 0),
		       cases[i].want, "offset: %s (%s)", cases[i].why, cases[i].zone);
}

static void test_iso(void)
{
	static const struct {
		const char *date, *zone, *iso;
	} cases[] = {
		{ "2024-12-13", "Asia/Taipei", "2024-12-13T00:00:00+08:00" },
		{ "2024-07-01 10:30", "America/New_York", "2024-07-01T10:30:00-04:00" },
		{ "2024-12-13", "America/New_York", "2024-12-13T00:00:00-05:00" },
		{ "2024-12-13", "UTC", "2024-12-13T00:00:00Z" },
		{ "2024-12-13", "Z", "2024-12-13T00:00:00Z" },
		{ "2024-12-13", "+00:00", "2024-12-13T00:00:00Z" },
		{ "2024-12-13T10:00:00+09:00", "America/New_York", "2024-12-13T10:00:00+09:00" },
		{ "2024-12-13T10:00:00Z", "Asia/Taipei", "2024-12-13T10:00:00Z" },
		{ "2024-12-13", "Asia/Kathmandu", "2024-12-13T00:00:00+05:45" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct fm_date d;
		fm_parse_date(cases[i].date, &d);
		char *iso = content_date_iso(&d, cases[i].zone);
		STR_EQ(iso, cases[i].iso, "'%s' in %s", cases[i].date, cases[i].zone);
		free(iso);
	}
}

int main(void)
{
	test_valid();
	test_offsets();
	test_iso();
	return harness_done();
}
