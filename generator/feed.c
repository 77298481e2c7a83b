/* feed — Atom feeds with xmlTextWriter. */
#include "feed.h"
#include "pageinfo.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#define ATOM_NS "http://www.w3.org/2005/Atom"

char *feed_url(const struct config *c, size_t lang)
{
	return xasprintf("/%s/feed.xml", c->langs[lang].code);
}

/* XML 1.0 forbids most C0 controls even escaped: drop them. Caller frees. */
static xmlChar *clean(const char *s)
{
	size_t n = strlen(s);
	char *o = xmalloc(n + 1), *w = o;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
			*w++ = (char)*p;
	*w = '\0';
	return (xmlChar *)o;
}

/* The writer calls below return -1 on failure; w_* fold that into *err. */
struct wr {
	xmlTextWriterPtr w;
	int err;
};

static void w_start(struct wr *x, const char *name)
{
	x->err |= xmlTextWriterStartElement(x->w, (const xmlChar *)name) < 0;
}

static void w_end(struct wr *x)
{
	x->err |= xmlTextWriterEndElement(x->w) < 0;
}

static void w_attr(struct wr *x, const char *name, const char *value)
{
	xmlChar *v = clean(value);
	x->err |= xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name, v) < 0;
	free(v);
}

static void w_text(struct wr *x, const char *s)
{
	xmlChar *v = clean(s);
	x->err |= xmlTextWriterWriteString(x->w, v) < 0;
	free(v);
}

static void w_elem(struct wr *x, const char *name, const char *text)
{
	w_start(x, name);
	w_text(x, text);
	w_end(x);
}

/* <link rel= type= hreflang= href=/> with an absolute href. */
static void w_link(struct wr *x, const struct config *c, const char *rel, const char *type,
		   const char *hreflang, const char *url)
{
	char *abs = pageinfo_abs_url(c, url);
	w_start(x, "link");
	w_attr(x, "rel", rel);
	if (type)
		w_attr(x, "type", type);
	if (hreflang)
		w_attr(x, "hreflang", hreflang);
	w_attr(x, "href", abs);
	w_end(x);
	free(abs);
}

static void w_authors(struct wr *x, char *const *names, const char *fallback)
{
	int any = 0;
	for (char *const *a = names; a && *a; a++) {
		if (!**a)
			continue;
		w_start(x, "author");
		w_elem(x, "name", *a);
		w_end(x);
		any = 1;
	}
	if (!any) {
		w_start(x, "author");
		w_elem(x, "name", fallback);
		w_end(x);
	}
}

static void w_terms(struct wr *x, const struct config *c, size_t lang, const char *kind, char *const *terms)
{
	char *scheme_rel = xasprintf("/%s/%s/", c->langs[lang].code, kind);
	char *scheme = pageinfo_abs_url(c, scheme_rel);
	for (char *const *t = terms; t && *t; t++) {
		if (!**t)
			continue;
		w_start(x, "category");
		w_attr(x, "term", *t);
		w_attr(x, "scheme", scheme);
		w_end(x);
	}
	free(scheme);
	free(scheme_rel);
}

static void w_entry(struct wr *x, const struct config *c, const struct brief *b, size_t lang)
{
	const struct page *p = b->pages[lang];
	char *id = pageinfo_abs_url(c, p->url);
	char *updated = pageinfo_updated(p, c);
	w_start(x, "entry");
	w_elem(x, "title", p->title);
	w_elem(x, "id", id);
	w_link(x, c, "alternate", "text/html", NULL, p->url);
	for (size_t k = 0; k < c->nlangs; k++)
		if (k != lang && b->pages[k])
			w_link(x, c, "alternate", "text/html", c->langs[k].hreflang, b->pages[k]->url);
	w_elem(x, "published", b->date_iso);
	w_elem(x, "updated", updated);
	w_authors(x, p->fm.meta.authors && p->fm.meta.authors[0] ? p->fm.meta.authors : c->authors,
		  c->langs[lang].title);
	w_terms(x, c, lang, "categories", p->fm.meta.categories);
	w_terms(x, c, lang, "tags", p->fm.meta.tags);
	if (p->summary && *p->summary) {
		w_start(x, "summary");
		w_attr(x, "type", "text");
		w_text(x, p->summary);
		w_end(x);
	}
	if (c->feed_full && p->html) {
		/* Relative links in the body resolve against the page. */
		w_start(x, "content");
		w_attr(x, "type", "html");
		x->err |= xmlTextWriterWriteAttributeNS(x->w, (const xmlChar *)"xml", (const xmlChar *)"base",
							NULL, (const xmlChar *)id) < 0;
		w_text(x, p->html);
		w_end(x);
	}
	w_end(x);
	free(updated);
	free(id);
}

int feed_render(const struct config *c, const struct content *ct, size_t lang, struct buf *out,
		const char *where, struct diag_list *dl)
{
	const struct lang *lg = &c->langs[lang];
	xmlBufferPtr xb = xmlBufferCreate();
	struct wr x = { xmlNewTextWriterMemory(xb, 0), 0 };
	if (!x.w) {
		xmlBufferFree(xb);
		return diag_error(dl, (struct srcpos){ where, 0, 0 }, "cannot start the XML writer");
	}
	/* updated: the newest change of any entry. */
	char *updated = NULL;
	for (size_t i = 0; i < ct->n; i++) {
		const struct page *p = ct->briefs[i]->pages[lang];
		if (!p)
			continue;
		char *u = pageinfo_updated(p, c);
		if (pageinfo_later(updated, u) == u) {
			free(updated);
			updated = u;
		} else {
			free(u);
		}
	}
	char *home = xasprintf("/%s/", lg->code);
	char *self = feed_url(c, lang);
	char *id = pageinfo_abs_url(c, home);
	x.err |= xmlTextWriterSetIndent(x.w, 1) < 0;
	x.err |= xmlTextWriterSetIndentString(x.w, (const xmlChar *)"  ") < 0;
	x.err |= xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL) < 0;
	w_start(&x, "feed");
	w_attr(&x, "xmlns", ATOM_NS);
	x.err |= xmlTextWriterWriteAttributeNS(x.w, (const xmlChar *)"xml", (const xmlChar *)"lang", NULL,
					       (const xmlChar *)lg->hreflang) < 0;
	w_elem(&x, "title", lg->title);
	if (lg->description && *lg->description)
		w_elem(&x, "subtitle", lg->description);
	w_elem(&x, "id", id);
	w_link(&x, c, "alternate", "text/html", lg->hreflang, home);
	w_link(&x, c, "self", "application/atom+xml", NULL, self);
	for (size_t k = 0; k < c->nlangs; k++)
		if (k != lang) {
			char *other = feed_url(c, k);
			w_link(&x, c, "alternate", "application/atom+xml", c->langs[k].hreflang, other);
			free(other);
		}
	/* An empty site still needs a date: the epoch, not the clock. */
	w_elem(&x, "updated", updated ? updated : "1970-01-01T00:00:00Z");
	w_authors(&x, c->authors, lg->title);
	w_start(&x, "generator");
	w_attr(&x, "version", BRIEFGEN_VERSION);
	w_text(&x, "briefgen");
	w_end(&x);
	for (size_t i = 0; i < ct->n; i++)
		if (ct->briefs[i]->pages[lang])
			w_entry(&x, c, ct->briefs[i], lang);
	w_end(&x);
	x.err |= xmlTextWriterEndDocument(x.w) < 0;
	xmlFreeTextWriter(x.w); /* flushes into xb */
	int r = 0;
	if (x.err)
		r = diag_error(dl, (struct srcpos){ where, 0, 0 }, "cannot write the '%s' feed", lg->code);
	else
		buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	free(updated);
	free(home);
	free(self);
	free(id);
	return r;
}
