/* zone — the site's time zone (site.lua `timezone`), which dates without a
 * zone of their own are taken in. Either a fixed offset ("+08:00", "-05:30",
 * "Z", "UTC") or a tz database name ("Asia/Taipei", "America/New_York")
 * looked up in /usr/share/zoneinfo (or $TZDIR) through GLib's GTimeZone,
 * so a zone with daylight saving time gives each date its own offset.
 * No state: every call looks the name up again (GLib keeps loaded zones
 * in a cache of its own); safe to call from any thread. */
#ifndef GEN_ZONE_H
#define GEN_ZONE_H

/* 1 when spec is a fixed offset or names a zone of the tz database. */
int zone_valid(const char *spec);

/* Minutes east of UTC that the wall-clock time y-mo-d h:mi:s has in the
 * zone spec. A time that a clock change skips or repeats takes the offset
 * of standard time when that has it, else the one the change moves to.
 * 0 when spec is not valid. */
int zone_offset(const char *spec, int y, int mo, int d, int h, int mi, int s);

#endif
