/* sitemap — sitemap.xml with hreflang alternates, and robots.txt. */
#include "sitemap.h"
#include "xalloc.h"
#include "xmlout.h"

#include <stdlib.h>
#include <string.h>
#include "banned.h"

#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define XHTML_NS "http://www.w3.org/1999/xhtml"

static void alt_link(struct xmlout *x, const struct urls *u, const char *hreflang, const char *url)
{
	char *abs = urls_abs(u, url);
	xmlout_start_ns(x, "xhtml", "link");
	xmlout_attr(x, "rel", "alternate");
	xmlout_attr(x, "hreflang", hreflang);
	xmlout_attr(x, "href", abs);
	xmlout_end(x);
	free(abs);
}

static int cmp_group(const void *x, const void *y)
{
	const struct sitemap_url *a = *(const struct sitemap_url *const *)x;
	const struct sitemap_url *b = *(const struct sitemap_url *const *)y;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->lang != b->lang)
		return a->lang < b->lang ? -1 : 1;
	return a < b ? -1 : a > b;
}

int sitemap_render(const struct config *c, const struct urls *us, const struct sitemap_url *u, size_t n,
		   struct buf *out, const char *where, struct diag_list *dl)
{
	/* The urls ordered by group, so a page finds its translations by
	 * binary search. */
	const struct sitemap_url **by_group = xcalloc(n + 1, sizeof *by_group);
	for (size_t i = 0; i < n; i++)
		by_group[i] = &u[i];
	qsort(by_group, n, sizeof *by_group, cmp_group);
	struct xmlout *x = xmlout_new();
	if (!x) {
		free(by_group);
		return diag_error(dl, (struct srcpos){ where, 0, 0 }, "cannot start the XML writer");
	}
	xmlout_start(x, "urlset");
	xmlout_attr(x, "xmlns", SITEMAP_NS);
	xmlout_attr(x, "xmlns:xhtml", XHTML_NS);
	for (size_t i = 0; i < n; i++) {
		char *loc = urls_abs(us, u[i].url);
		xmlout_start(x, "url");
		xmlout_elem(x, "loc", loc);
		if (u[i].lastmod)
			xmlout_elem(x, "lastmod", u[i].lastmod);
		free(loc);
		/* The group's members in language order; x-default last. */
		const struct sitemap_url **members = xcalloc(c->nlangs, sizeof *members);
		size_t count = 0;
		if (u[i].group != SITEMAP_NO_GROUP) {
			size_t lo = 0, hi = n; /* first entry of the group */
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (by_group[mid]->group < u[i].group)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (size_t k = lo; k < n && by_group[k]->group == u[i].group; k++) {
				const struct sitemap_url *m = by_group[k];
				if (m->lang < c->nlangs && !members[m->lang]) {
					members[m->lang] = m;
					count++;
				}
			}
		}
		if (count >= 2) {
			for (size_t l = 0; l < c->nlangs; l++)
				if (members[l])
					alt_link(x, us, c->langs[l].hreflang, members[l]->url);
			if (members[c->def])
				alt_link(x, us, "x-default", members[c->def]->url);
		}
		free(members);
		xmlout_end(x);
	}
	xmlout_end(x);
	free(by_group);
	return xmlout_finish(x, out, where, "the sitemap", dl);
}

void sitemap_robots(const struct urls *u, struct buf *out)
{
	char *abs = urls_abs(u, "/sitemap.xml");
	buf_addf(out, "User-agent: *\nAllow: /\n\nSitemap: %s\n", abs);
	free(abs);
}
