/* zone — fixed offsets and tz database zones. GLib is used here only. */
#include "zone.h"
#include "frontmatter.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include "banned.h"

/* "+08:00", "-05:30", "Z", "UTC": minutes into *min; -1 when not one. */
static int fixed_offset(const char *s, int *min)
{
	if (!strcmp(s, "Z") || !strcmp(s, "UTC")) {
		*min = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
		return -1;
	for (int i = 1; i < 6; i++)
		if (i != 3 && !isdigit((unsigned char)s[i]))
			return -1;
	int h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
	if (h > 14 || m > 59)
		return -1;
	*min = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 0;
}

/* A tz database name is a file under the zoneinfo folder: letters first,
 * then letters, digits, '_', '-', '+', segments joined by '/'. Checking the
 * file keeps out what GLib would also take for a zone (POSIX rules such as
 * "CST-8", absolute paths), so what site.lua accepts is what the message
 * says. */
static int tz_name_ok(const char *s)
{
	if (!isalpha((unsigned char)s[0]) || strlen(s) > 200)
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p == '/' && isalpha((unsigned char)p[1]))
			continue;
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '+')
			return 0;
	}
	const char *dir = getenv("TZDIR");
	char *path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", s);
	struct stat st;
	int ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

static GTimeZone *tz_open(const char *s)
{
	if (!tz_name_ok(s))
		return NULL;
	return g_time_zone_new_identifier(s);
}

int zone_valid(const char *spec)
{
	int min;
	if (fixed_offset(spec, &min) == 0)
		return 1;
	GTimeZone *tz = tz_open(spec);
	if (tz)
		g_time_zone_unref(tz);
	return tz != NULL;
}

int zone_offset(const char *spec, int y, int mo, int d, int h, int mi, int s)
{
	int min;
	if (fixed_offset(spec, &min) == 0)
		return min;
	GTimeZone *tz = tz_open(spec);
	if (!tz)
		return 0;
	/* the wall-clock time read as if it were UTC: GLib's "local time" */
	struct fm_date wall = { y, mo, d, h, mi, s, 1, 0, 0 };
	gint64 t = fm_date_epoch(&wall, 0);
	gint iv = g_time_zone_find_interval(tz, G_TIME_TYPE_STANDARD, t);
	if (iv < 0) /* skipped by a clock change: the offset it moves to */
		iv = g_time_zone_adjust_time(tz, G_TIME_TYPE_STANDARD, &t);
	min = (int)(g_time_zone_get_offset(tz, iv) / 60);
	g_time_zone_unref(tz);
	return min;
}
