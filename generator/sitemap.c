/* sitemap — sitemap.xml with hreflang alternates, and robots.txt. */
#include "sitemap.h"
#include "pageinfo.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define XHTML_NS "http://www.w3.org/1999/xhtml"

static int alt_link(xmlTextWriterPtr w, const struct config *c, const char *hreflang, const char *url)
{
	char *abs = pageinfo_abs_url(c, url);
	int e = xmlTextWriterStartElementNS(w, (const xmlChar *)"xhtml", (const xmlChar *)"link", NULL) < 0;
	e |= xmlTextWriterWriteAttribute(w, (const xmlChar *)"rel", (const xmlChar *)"alternate") < 0;
	e |= xmlTextWriterWriteAttribute(w, (const xmlChar *)"hreflang", (const xmlChar *)hreflang) < 0;
	e |= xmlTextWriterWriteAttribute(w, (const xmlChar *)"href", (const xmlChar *)abs) < 0;
	e |= xmlTextWriterEndElement(w) < 0;
	free(abs);
	return e;
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

int sitemap_render(const struct config *c, const struct sitemap_url *u, size_t n, struct buf *out,
		   const char *where, struct diag_list *dl)
{
	/* The urls ordered by group, so a page finds its translations by
	 * binary search. */
	const struct sitemap_url **by_group = xcalloc(n + 1, sizeof *by_group);
	for (size_t i = 0; i < n; i++)
		by_group[i] = &u[i];
	qsort(by_group, n, sizeof *by_group, cmp_group);
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
	if (!w) {
		xmlBufferFree(xb);
		free(by_group);
		return diag_error(dl, (struct srcpos){ where, 0, 0 }, "cannot start the XML writer");
	}
	int e = xmlTextWriterSetIndent(w, 1) < 0;
	e |= xmlTextWriterSetIndentString(w, (const xmlChar *)"  ") < 0;
	e |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	e |= xmlTextWriterStartElement(w, (const xmlChar *)"urlset") < 0;
	e |= xmlTextWriterWriteAttribute(w, (const xmlChar *)"xmlns", (const xmlChar *)SITEMAP_NS) < 0;
	e |= xmlTextWriterWriteAttribute(w, (const xmlChar *)"xmlns:xhtml", (const xmlChar *)XHTML_NS) < 0;
	for (size_t i = 0; i < n; i++) {
		char *loc = pageinfo_abs_url(c, u[i].url);
		e |= xmlTextWriterStartElement(w, (const xmlChar *)"url") < 0;
		e |= xmlTextWriterWriteElement(w, (const xmlChar *)"loc", (const xmlChar *)loc) < 0;
		if (u[i].lastmod)
			e |= xmlTextWriterWriteElement(w, (const xmlChar *)"lastmod",
						       (const xmlChar *)u[i].lastmod) < 0;
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
					e |= alt_link(w, c, c->langs[l].hreflang, members[l]->url);
			if (members[c->def])
				e |= alt_link(w, c, "x-default", members[c->def]->url);
		}
		free(members);
		e |= xmlTextWriterEndElement(w) < 0;
	}
	e |= xmlTextWriterEndElement(w) < 0;
	e |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	free(by_group);
	int r = 0;
	if (e)
		r = diag_error(dl, (struct srcpos){ where, 0, 0 }, "cannot write the sitemap");
	else
		buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return r;
}

void sitemap_robots(const struct config *c, struct buf *out)
{
	char *abs = pageinfo_abs_url(c, "/sitemap.xml");
	buf_addf(out, "User-agent: *\nAllow: /\n\nSitemap: %s\n", abs);
	free(abs);
}
