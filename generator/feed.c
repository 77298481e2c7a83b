/* feed — Atom feeds with xmlTextWriter. */
#include "feed.h"
#include "calcrender.h"
#include "hash.h"
#include "xalloc.h"
#include "xmlout.h"

#include <stdlib.h>
#include <string.h>
#include "banned.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

/* <link rel= type= hreflang= href=/> with an absolute href. */
static void w_link(struct xmlout *x, const struct urls *u, const char *rel, const char *type,
		   const char *hreflang, const char *url)
{
	char *abs = urls_abs(u, url);
	xmlout_start(x, "link");
	xmlout_attr(x, "rel", rel);
	if (type)
		xmlout_attr(x, "type", type);
	if (hreflang)
		xmlout_attr(x, "hreflang", hreflang);
	xmlout_attr(x, "href", abs);
	xmlout_end(x);
	free(abs);
}

static void w_authors(struct xmlout *x, char *const *names, const char *fallback)
{
	int any = 0;
	for (char *const *a = names; a && *a; a++) {
		if (!**a)
			continue;
		xmlout_start(x, "author");
		xmlout_elem(x, "name", *a);
		xmlout_end(x);
		any = 1;
	}
	if (!any) {
		xmlout_start(x, "author");
		xmlout_elem(x, "name", fallback);
		xmlout_end(x);
	}
}

static void w_terms(struct xmlout *x, const struct urls *u, size_t lang, const char *kind, char *const *terms)
{
	char *scheme_rel = urls_kind(u, lang, kind);
	char *scheme = urls_abs(u, scheme_rel);
	for (char *const *t = terms; t && *t; t++) {
		if (!**t)
			continue;
		xmlout_start(x, "category");
		xmlout_attr(x, "term", *t);
		xmlout_attr(x, "scheme", scheme);
		xmlout_end(x);
	}
	free(scheme);
	free(scheme_rel);
}

static void w_entry(struct xmlout *x, const struct config *c, const struct urls *u, const struct brief *b,
		    size_t lang)
{
	const struct page *p = b->pages[lang];
	char *id = urls_abs(u, p->url);
	const char *updated = p->updated_iso;
	xmlout_start(x, "entry");
	xmlout_elem(x, "title", p->title);
	xmlout_elem(x, "id", id);
	w_link(x, u, "alternate", "text/html", NULL, p->url);
	for (size_t k = 0; k < c->nlangs; k++)
		if (k != lang && b->pages[k])
			w_link(x, u, "alternate", "text/html", c->langs[k].hreflang, b->pages[k]->url);
	xmlout_elem(x, "published", b->date_iso);
	xmlout_elem(x, "updated", updated);
	w_authors(x, p->fm.meta.authors && p->fm.meta.authors[0] ? p->fm.meta.authors : c->authors,
		  c->langs[lang].title);
	w_terms(x, u, lang, "categories", p->fm.meta.categories);
	w_terms(x, u, lang, "tags", p->fm.meta.tags);
	if (p->summary && *p->summary) {
		xmlout_start(x, "summary");
		xmlout_attr(x, "type", "text");
		xmlout_text(x, p->summary);
		xmlout_end(x);
	}
	if (c->feed_full && p->html) {
		/* Relative links in the body resolve against the page. What
		 * belongs to the page alone (controls a feed reader cannot
		 * run) stays out. */
		struct buf body = BUF_INIT;
		for (const char *s = p->html, *at; *s; s = at + strlen(CALCRENDER_PAGE_ONLY_END)) {
			at = strstr(s, CALCRENDER_PAGE_ONLY);
			const char *end = at ? strstr(at, CALCRENDER_PAGE_ONLY_END) : NULL;
			if (!end) {
				buf_adds(&body, s);
				break;
			}
			buf_add(&body, s, (size_t)(at - s));
			at = end;
		}
		xmlout_start(x, "content");
		xmlout_attr(x, "type", "html");
		xmlout_attr(x, "xml:base", id);
		xmlout_text(x, body.ptr);
		xmlout_end(x);
		buf_release(&body);
	}
	xmlout_end(x);
	free(id);
}

/* The briefs a language's feed carries, newest first: those with a page
 * in it, at most the config's feed_limit (0: all). Caller frees. */
static const struct brief **entries(const struct config *c, const struct content *ct, size_t lang, size_t *n)
{
	const struct brief **v = xcalloc(ct->n + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < ct->n && (c->feed_limit <= 0 || *n < (size_t)c->feed_limit); i++)
		if (ct->briefs[i]->pages[lang])
			v[(*n)++] = ct->briefs[i];
	return v;
}

int feed_render(const struct config *c, const struct urls *u, const struct content *ct, size_t lang,
		struct buf *out, const char *where, struct diag_list *dl)
{
	const struct lang *lg = &c->langs[lang];
	struct xmlout *x = xmlout_new();
	if (!x)
		return diag_error(dl, (struct srcpos){ where, 0, 0 }, "cannot start the XML writer");
	/* updated: the newest change of any entry. */
	const struct page *newest = NULL;
	size_t n;
	const struct brief **e = entries(c, ct, lang, &n);
	for (size_t i = 0; i < n; i++) {
		const struct page *p = e[i]->pages[lang];
		if (!newest || p->updated_epoch > newest->updated_epoch)
			newest = p;
	}
	const char *updated = newest ? newest->updated_iso : NULL;
	char *home = urls_home(u, lang);
	char *self = urls_feed(u, lang);
	char *id = urls_abs(u, home);
	xmlout_start(x, "feed");
	xmlout_attr(x, "xmlns", ATOM_NS);
	xmlout_attr(x, "xml:lang", lg->hreflang);
	xmlout_elem(x, "title", lg->title);
	if (lg->description && *lg->description)
		xmlout_elem(x, "subtitle", lg->description);
	xmlout_elem(x, "id", id);
	w_link(x, u, "alternate", "text/html", lg->hreflang, home);
	w_link(x, u, "self", "application/atom+xml", NULL, self);
	for (size_t k = 0; k < c->nlangs; k++)
		if (k != lang) {
			char *other = urls_feed(u, k);
			w_link(x, u, "alternate", "application/atom+xml", c->langs[k].hreflang, other);
			free(other);
		}
	/* An empty site still needs a date: the epoch, not the clock. */
	xmlout_elem(x, "updated", updated ? updated : "1970-01-01T00:00:00Z");
	w_authors(x, c->authors, lg->title);
	xmlout_start(x, "generator");
	xmlout_attr(x, "version", BRIEFGEN_VERSION);
	xmlout_text(x, "briefgen");
	xmlout_end(x);
	for (size_t i = 0; i < n; i++)
		w_entry(x, c, u, e[i], lang);
	free(e);
	xmlout_end(x);
	char *what = xasprintf("the '%s' feed", lg->code);
	int r = xmlout_finish(x, out, where, what, dl);
	free(what);
	free(home);
	free(self);
	free(id);
	return r;
}

void feed_entry_hash(const struct config *c, const struct brief *b, size_t lang, struct hasher *h)
{
	const struct page *p = b->pages[lang];
	hash_str(h, p->title);
	hash_str(h, p->url);
	for (size_t k = 0; k < c->nlangs; k++)
		hash_str(h, b->pages[k] ? b->pages[k]->url : NULL);
	hash_str(h, b->date_iso);
	hash_str(h, p->updated_iso);
	char *const *lists[] = { p->fm.meta.authors, p->fm.meta.categories, p->fm.meta.tags };
	for (size_t l = 0; l < 3; l++) {
		size_t m = 0;
		while (lists[l] && lists[l][m])
			m++;
		hash_u64(h, m);
		for (size_t k = 0; k < m; k++)
			hash_str(h, lists[l][k]);
	}
	hash_str(h, p->summary);
	if (c->feed_full && p->html)
		hash_h128(h, p->html_hash);
	else
		hash_str(h, NULL);
}

void feed_hash(const struct config *c, const struct urls *u, const struct content *ct, size_t lang,
	       struct hasher *h)
{
	(void)u; /* URLs are functions of the config and the pages' own URLs */
	hash_u64(h, lang);
	size_t n;
	const struct brief **e = entries(c, ct, lang, &n);
	for (size_t i = 0; i < n; i++)
		feed_entry_hash(c, e[i], lang, h);
	free(e);
}

int feed_carries(const struct config *c, const struct content *ct, const struct brief *b, size_t lang)
{
	size_t n;
	const struct brief **e = entries(c, ct, lang, &n);
	int found = 0;
	for (size_t i = 0; i < n && !found; i++)
		found = e[i] == b;
	free(e);
	return found;
}
