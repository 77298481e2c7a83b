/* pageinfo — dates that the output stages (feeds, sitemap, taxonomies,
 * templates) share: instants of RFC 3339 dates and a page's last-modified
 * date. Pure functions of the config and the content. URLs: urls.h. */
#ifndef GEN_PAGEINFO_H
#define GEN_PAGEINFO_H
#include "buf.h"
#include "config.h"
#include "content.h"

/* Seconds since 1970 of an RFC 3339 date "YYYY-MM-DDTHH:MM:SS(Z|+hh:mm)"
 * (as content_date_iso writes them). Returns 0, or -1 when iso is not one. */
int pageinfo_instant(const char *iso, long long *out);

/* The later of two RFC 3339 dates by instant (a on ties); NULL counts as
 * the earliest. Borrowed: returns a or b. */
const char *pageinfo_later(const char *a, const char *b);

/* When the page was last changed: front matter `updated` (or Jekyll's
 * `last_modified_at`) in the site's zone when it has none, but never
 * before the brief's date; else the brief's date. Caller frees. */
char *pageinfo_updated(const struct page *p, const struct config *c);

#endif
