/* taxonomy — category and tag pages. */
#include "taxonomy.h"
#include "pageinfo.h"
#include "sink.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[TAX_KINDS] = { "categories", "tags" };
static const char *const kind_singular[TAX_KINDS] = { "category", "tag" };

const char *taxonomy_kind_name(int kind)
{
	return kind_names[kind];
}

struct tax_list *taxonomy_list(const struct taxonomy *tx, size_t lang, int kind)
{
	return &tx->lists[lang * TAX_KINDS + (size_t)kind];
}

static char *const *names_of(const struct page *p, int kind)
{
	return kind == TAX_CATEGORIES ? p->fm.meta.categories : p->fm.meta.tags;
}

static size_t find_slug(const struct tax_list *l, const char *slug)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->terms[i].slug, slug))
			return i;
	return TAX_NONE;
}

static int cmp_term(const void *x, const void *y)
{
	return strcmp(((const struct tax_term *)x)->slug, ((const struct tax_term *)y)->slug);
}

static void collect(struct tax_list *l, const struct config *c, const struct content *ct, size_t lang,
		    int kind)
{
	l->url = xasprintf("/%s/%s/", c->langs[lang].code, kind_names[kind]);
	for (size_t i = 0; i < ct->n; i++) {
		struct brief *b = ct->briefs[i];
		const struct page *p = b->pages[lang];
		if (!p)
			continue;
		for (char *const *nm = names_of(p, kind); nm && *nm; nm++) {
			if (!**nm)
				continue;
			struct buf slug = BUF_INIT;
			pageinfo_term_slug(*nm, &slug);
			size_t k = find_slug(l, slug.ptr);
			if (k == TAX_NONE) {
				l->terms = xrealloc(l->terms, (l->n + 1) * sizeof *l->terms);
				k = l->n++;
				struct tax_term *t = &l->terms[k];
				memset(t, 0, sizeof *t);
				t->name = xstrdup(*nm);
				t->url = pageinfo_term_url(c, lang, kind_names[kind], *nm);
				t->slug = buf_detach(&slug, NULL);
				t->twins = xcalloc(c->nlangs, sizeof *t->twins);
				for (size_t j = 0; j < c->nlangs; j++)
					t->twins[j] = TAX_NONE;
			}
			buf_release(&slug);
			struct tax_term *t = &l->terms[k];
			if (t->n && t->briefs[t->n - 1] == b)
				continue; /* the same term twice on one page */
			t->briefs = xrealloc(t->briefs, (t->n + 1) * sizeof *t->briefs);
			t->briefs[t->n++] = b;
			t->lastmod = pageinfo_later(t->lastmod, b->date_iso);
			l->lastmod = pageinfo_later(l->lastmod, b->date_iso);
		}
	}
	if (l->n > 1)
		qsort(l->terms, l->n, sizeof *l->terms, cmp_term);
}

/* The term in list `to` that `name` maps to: through category_map first,
 * then by its own slug. */
static size_t twin_of(const struct config *c, int kind, const char *name, const struct tax_list *to)
{
	struct buf slug = BUF_INIT;
	size_t k = TAX_NONE;
	for (size_t i = 0; kind == TAX_CATEGORIES && i < c->ncats && k == TAX_NONE; i++) {
		const char *other = !strcmp(c->cats[i].a, name) ? c->cats[i].b
				    : !strcmp(c->cats[i].b, name) ? c->cats[i].a
								  : NULL;
		if (!other)
			continue;
		buf_truncate(&slug, 0);
		pageinfo_term_slug(other, &slug);
		k = find_slug(to, slug.ptr);
	}
	if (k == TAX_NONE) {
		buf_truncate(&slug, 0);
		pageinfo_term_slug(name, &slug);
		k = find_slug(to, slug.ptr);
	}
	buf_release(&slug);
	return k;
}

void taxonomy_build(struct taxonomy *tx, const struct config *c, const struct content *ct)
{
	tx->nlangs = c->nlangs;
	tx->lists = xcalloc(c->nlangs * TAX_KINDS, sizeof *tx->lists);
	for (size_t l = 0; l < c->nlangs; l++)
		for (int k = 0; k < TAX_KINDS; k++)
			collect(taxonomy_list(tx, l, k), c, ct, l, k);
	for (int k = 0; k < TAX_KINDS; k++)
		for (size_t i = 0; i < c->nlangs; i++) {
			struct tax_list *from = taxonomy_list(tx, i, k);
			for (size_t j = 0; j < c->nlangs; j++)
				for (size_t t = 0; j != i && t < from->n; t++)
					from->terms[t].twins[j] = twin_of(c, k, from->terms[t].name,
									  taxonomy_list(tx, j, k));
		}
	/* Keep only twins that point back. Clearing a one-sided pointer never
	 * breaks a mutual pair, so one pass in any order suffices. */
	for (int k = 0; k < TAX_KINDS; k++)
		for (size_t i = 0; i < c->nlangs; i++) {
			struct tax_list *from = taxonomy_list(tx, i, k);
			for (size_t t = 0; t < from->n; t++)
				for (size_t j = 0; j < c->nlangs; j++) {
					size_t o = from->terms[t].twins[j];
					if (o != TAX_NONE && taxonomy_list(tx, j, k)->terms[o].twins[i] != t)
						from->terms[t].twins[j] = TAX_NONE;
				}
		}
}

void taxonomy_release(struct taxonomy *tx)
{
	for (size_t i = 0; tx->lists && i < tx->nlangs * TAX_KINDS; i++) {
		struct tax_list *l = &tx->lists[i];
		for (size_t t = 0; t < l->n; t++) {
			free(l->terms[t].name);
			free(l->terms[t].slug);
			free(l->terms[t].url);
			free(l->terms[t].briefs);
			free(l->terms[t].twins);
		}
		free(l->terms);
		free(l->url);
	}
	free(tx->lists);
	memset(tx, 0, sizeof *tx);
}

char *taxonomy_page_url(const char *url, size_t page)
{
	return page <= 1 ? xstrdup(url) : xasprintf("%spage/%zu/", url, page);
}

size_t taxonomy_pages(const struct config *c, size_t n)
{
	if (c->page_size <= 0 || n == 0)
		return 1;
	return (n + (size_t)c->page_size - 1) / (size_t)c->page_size;
}

static int write_page(struct sink *sink, const char *url, const struct buf *b, size_t *written,
		      struct diag_list *dl)
{
	char *rel = xasprintf("%sindex.html", url + 1);
	int r = sink_put(sink, rel, b->ptr, b->len, "taxonomy page", dl);
	if (r == 0)
		(*written)++;
	free(rel);
	return r;
}

static int render_term(const struct taxonomy *tx, const struct config *c, struct tpl *t,
		       struct sink *sink, size_t lang, int kind, const struct tax_term *term,
		       size_t *written, struct diag_list *dl)
{
	size_t pages = taxonomy_pages(c, term->n);
	size_t per = c->page_size > 0 ? (size_t)c->page_size : term->n;
	const struct tax_list *own = taxonomy_list(tx, lang, kind);
	int r = 0;
	for (size_t pg = 1; pg <= pages && r == 0; pg++) {
		char *url = taxonomy_page_url(term->url, pg);
		char *prev = pg > 1 ? taxonomy_page_url(term->url, pg - 1) : NULL;
		char *next = pg < pages ? taxonomy_page_url(term->url, pg + 1) : NULL;
		char **alts = xcalloc(c->nlangs, sizeof *alts);
		for (size_t j = 0; j < c->nlangs; j++) {
			size_t o = j == lang ? TAX_NONE : term->twins[j];
			if (j == lang)
				alts[j] = xstrdup(url);
			else if (o != TAX_NONE) /* the twin's first page: it may be shorter */
				alts[j] = xstrdup(taxonomy_list(tx, j, kind)->terms[o].url);
		}
		size_t from = (pg - 1) * per;
		struct tpl_list l = {
			.kind = kind_singular[kind], .term = term->name, .url = url,
			.briefs = term->briefs + from, .n = term->n - from < per ? term->n - from : per,
			.page = pg, .pages = pages, .prev_url = prev, .next_url = next,
			.alt_urls = (const char *const *)alts,
		};
		struct buf out = BUF_INIT;
		r = tpl_render_taxonomy(t, &l, own->url, NULL, 0, lang, &out, dl);
		if (r == 0)
			r = write_page(sink, url, &out, written, dl);
		buf_release(&out);
		for (size_t j = 0; j < c->nlangs; j++)
			free(alts[j]);
		free(alts);
		free(url);
		free(prev);
		free(next);
	}
	return r;
}

static int render_index(const struct taxonomy *tx, const struct config *c, struct tpl *t,
			struct sink *sink, size_t lang, int kind, size_t *written, struct diag_list *dl)
{
	const struct tax_list *l = taxonomy_list(tx, lang, kind);
	struct tpl_term *terms = xcalloc(l->n + 1, sizeof *terms);
	for (size_t i = 0; i < l->n; i++)
		terms[i] = (struct tpl_term){ l->terms[i].name, l->terms[i].url, l->terms[i].n };
	const char **alts = xcalloc(c->nlangs, sizeof *alts);
	for (size_t j = 0; j < c->nlangs; j++)
		alts[j] = taxonomy_list(tx, j, kind)->n ? taxonomy_list(tx, j, kind)->url : NULL;
	struct tpl_list tl = {
		.kind = kind_names[kind], .url = l->url, .page = 1, .pages = 1,
		.alt_urls = (const char *const *)alts,
	};
	struct buf out = BUF_INIT;
	int r = tpl_render_taxonomy(t, &tl, l->url, terms, l->n, lang, &out, dl);
	if (r == 0)
		r = write_page(sink, l->url, &out, written, dl);
	buf_release(&out);
	free(alts);
	free(terms);
	return r;
}

int taxonomy_render(const struct taxonomy *tx, const struct config *c, struct tpl *t,
		    struct sink *sink, size_t *written, struct diag_list *dl)
{
	int r = 0;
	for (size_t lang = 0; lang < c->nlangs && r == 0; lang++)
		for (int k = 0; k < TAX_KINDS && r == 0; k++) {
			/* The index page exists even when empty, like Hugo's, so the
			 * theme can always link it. */
			const struct tax_list *l = taxonomy_list(tx, lang, k);
			r = render_index(tx, c, t, sink, lang, k, written, dl);
			for (size_t i = 0; i < l->n && r == 0; i++)
				r = render_term(tx, c, t, sink, lang, k, &l->terms[i], written, dl);
		}
	return r;
}
