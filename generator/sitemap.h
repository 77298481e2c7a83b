/* sitemap — stage 6b: /sitemap.xml (sitemaps.org 0.9) with an
 * `xhtml:link rel="alternate" hreflang` for every translation of a page,
 * itself included, plus `x-default` for the default language's version, so
 * every alternate pair is listed from both ends. Written with libxml2's
 * xmlTextWriter. Also robots.txt pointing at it. */
#ifndef GEN_SITEMAP_H
#define GEN_SITEMAP_H
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "urls.h"

#define SITEMAP_NO_GROUP ((size_t)-1)

/* One page of the site. Pages with the same group are translations of
 * each other (one per language at most). Strings are borrowed. */
struct sitemap_url {
	const char *url;      /* site-relative: "/zh/briefs/a/" */
	const char *lastmod;  /* RFC 3339, or NULL */
	size_t lang;          /* index into the config's languages */
	size_t group;         /* translation group, or SITEMAP_NO_GROUP */
};

/* Appends the sitemap of the n urls, in their order, to out. Returns 0, or
 * -1 with a diagnostic naming `where`. */
int sitemap_render(const struct config *c, const struct urls *us, const struct sitemap_url *u, size_t n,
		   struct buf *out, const char *where, struct diag_list *dl);

/* Appends robots.txt: everything allowed, and the sitemap's absolute URL. */
void sitemap_robots(const struct urls *u, struct buf *out);

#endif
