/* urls — the site's URL scheme, in one place. Every page, listing, term,
 * feed and asset URL is made here, site-relative ("/zh/briefs/a/"); the
 * base path of the configured base URL is computed once (urls_init), and
 * absolute URLs (feeds, sitemap, canonical links) come from urls_abs. The
 * templates get these URLs as data, never build them.
 *
 *   /<lang>/                      a language's home; /<lang>/page/N/ its pages
 *   /<lang>/briefs/<slug>/        a brief's page
 *   /<lang>/<kind>/               a taxonomy's index (kind: categories, tags)
 *   /<lang>/<kind>/<term-slug>/   a term's listing; .../page/N/ its pages
 *   /<lang>/feed.xml              the language's Atom feed
 *   /briefs/<slug>/numbers.json   a brief's model, shared by its languages
 *   /assets/<file>                the theme's assets
 *
 * Functions returning char * return a new string the caller frees. */
#ifndef GEN_URLS_H
#define GEN_URLS_H
#include "buf.h"
#include "config.h"

struct urls {
	const struct config *cfg; /* borrowed */
	char *base_path;          /* path part of base_url: "/" or "/briefs/" */
};

void urls_init(struct urls *u, const struct config *cfg);
void urls_release(struct urls *u);

/* The path part of a base URL ("https://x.org/b/" -> "/b/"); caller frees. */
char *urls_base_path(const char *base_url);

char *urls_home(const struct urls *u, size_t lang);
char *urls_brief(const struct urls *u, size_t lang, const char *slug);
char *urls_kind(const struct urls *u, size_t lang, const char *kind);
char *urls_term(const struct urls *u, size_t lang, const char *kind, const char *name);
char *urls_feed(const struct urls *u, size_t lang);
char *urls_numbers(const struct urls *u, const char *slug);
char *urls_asset(const struct urls *u, const char *file);
/* Page `page` (1-based) of a listing whose first page is at first. */
char *urls_paged(const char *first, size_t page);
/* The output file of a site-relative URL: "/zh/" -> "zh/index.html". */
char *urls_file(const char *url);
/* Appends a term's slug: ASCII letters lowercased, CJK and other letters
 * kept, runs of anything else one '-' (the heading-id rule, md_slugify). */
void urls_term_slug(const char *name, struct buf *out);

/* base_url joined with a site-relative url, every byte that may not appear
 * in a URI (non-ASCII, space, quotes, <>\^`{|}) percent-encoded; '%' kept,
 * so an encoded url stays as it is. */
char *urls_abs(const struct urls *u, const char *url);
/* Appends s[0..n) percent-encoded. URLS_PCT_IRI: only what may not appear
 * in a URI (non-ASCII, controls, space, "<>\^`{|}); '%' is kept, so an
 * encoded url stays as it is. URLS_PCT_PATH: everything but unreserved
 * characters, sub-delims, ':', '@' and '/' (a path the server names in a
 * Location header, from bytes a request sent). */
enum urls_pct { URLS_PCT_IRI, URLS_PCT_PATH };
void urls_pct_encode(struct buf *b, const char *s, size_t n, enum urls_pct how);
/* Percent-decodes s[0..n) ("%41" -> "A"; "%00" and malformed escapes are
 * kept as written). */
char *urls_pct_decode(const char *s, size_t n);

#endif
