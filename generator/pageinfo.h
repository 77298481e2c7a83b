/* pageinfo — facts about pages that the output stages (feeds, sitemap,
 * taxonomies, templates) share: absolute URLs as XML wants them, instants
 * of RFC 3339 dates, a page's last-modified date, and the URL of a
 * taxonomy term. Pure functions of the config and the content. */
#ifndef GEN_PAGEINFO_H
#define GEN_PAGEINFO_H
#include "buf.h"
#include "config.h"
#include "content.h"

/* base_url joined with a site-relative url ("/zh/briefs/a/"), with every
 * byte that may not appear in a URI (non-ASCII, space, quotes, <>\^`{|})
 * percent-encoded; '%' is kept, so an encoded url stays as it is. Caller
 * frees. */
char *pageinfo_abs_url(const struct config *c, const char *url);

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

/* Taxonomy kinds: "categories" and "tags". Term slug: md_slugify (ASCII
 * lowercased, CJK kept, other runs become '-'). */
void pageinfo_term_slug(const char *name, struct buf *out);
/* "/<lang>/<kind>/<slug>/". Caller frees. */
char *pageinfo_term_url(const struct config *c, size_t lang, const char *kind, const char *name);

#endif
