/* listing — homes, term listings and taxonomy indexes. */
#include "listing.h"
#include "sink.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* What one listing is before it is cut into pages. */
struct source {
	const char *template, *kind, *term;
	const char *first;               /* URL of its first page */
	struct brief *const *briefs;
	size_t n;
	const char *const *alt_first;    /* per language: the twin's first page, or NULL */
	int alt_same_page;               /* alternates are the twin's page of the same number */
	const char *index_url;
	const struct tpl_term *terms;    /* an index page */
	size_t nterms;
};

static int put_page(struct sink *out, const char *url, const struct buf *b, const char *by, size_t *written,
		    struct diag_list *dl)
{
	char *rel = urls_file(url);
	int r = sink_put(out, rel, b->ptr, b->len, by, dl);
	free(rel);
	if (r == 0)
		(*written)++;
	return r;
}

static int render_paged(struct tpl *t, const struct config *c, const struct source *s, size_t lang,
			const char *by, struct sink *out, size_t *written, struct diag_list *dl)
{
	size_t per = c->page_size > 0 ? (size_t)c->page_size : (s->n ? s->n : 1);
	size_t pages = s->terms ? 1 : taxonomy_pages(c, s->n);
	int r = 0;
	for (size_t pg = 1; pg <= pages && r == 0; pg++) {
		char *url = urls_paged(s->first, pg);
		char *prev = pg > 1 ? urls_paged(s->first, pg - 1) : NULL;
		char *next = pg < pages ? urls_paged(s->first, pg + 1) : NULL;
		char **alts = xcalloc(c->nlangs, sizeof *alts);
		for (size_t k = 0; k < c->nlangs; k++)
			if (k == lang && !s->terms)
				alts[k] = xstrdup(url);
			else if (s->alt_first[k])
				alts[k] = s->alt_same_page ? urls_paged(s->alt_first[k], pg) : xstrdup(s->alt_first[k]);
		size_t from = (pg - 1) * per;
		struct tpl_list l = {
			.template = s->template, .kind = s->kind, .term = s->term, .url = url,
			.briefs = s->briefs + from, .n = s->terms ? 0 : s->n - from < per ? s->n - from : per,
			.page = pg, .pages = pages, .prev_url = prev, .next_url = next,
			.alt_urls = (const char *const *)alts, .index_url = s->index_url,
			.terms = s->terms, .nterms = s->nterms,
		};
		struct buf html = BUF_INIT;
		r = tpl_render_list(t, &l, lang, &html, dl);
		if (r == 0)
			r = put_page(out, url, &html, by, written, dl);
		buf_release(&html);
		for (size_t k = 0; k < c->nlangs; k++)
			free(alts[k]);
		free(alts);
		free(url);
		free(prev);
		free(next);
	}
	return r;
}

static int render_homes(struct tpl *t, const struct config *c, const struct urls *u, const struct content *ct,
			struct sink *out, size_t *written, struct diag_list *dl)
{
	char **homes = xcalloc(c->nlangs, sizeof *homes);
	for (size_t k = 0; k < c->nlangs; k++)
		homes[k] = urls_home(u, k);
	int r = 0;
	for (size_t lang = 0; lang < c->nlangs && r == 0; lang++) {
		struct source s = {
			.template = "home", .kind = "home", .first = homes[lang], .briefs = ct->briefs, .n = ct->n,
			.alt_first = (const char *const *)homes, .alt_same_page = 1,
		};
		r = render_paged(t, c, &s, lang, "home page", out, written, dl);
	}
	for (size_t k = 0; k < c->nlangs; k++)
		free(homes[k]);
	free(homes);
	return r;
}

static int render_kind(struct tpl *t, const struct config *c, const struct taxonomy *tx, size_t lang, int kind,
		       struct sink *out, size_t *written, struct diag_list *dl)
{
	const struct tax_list *l = taxonomy_list(tx, lang, kind);
	const char **alts = xcalloc(c->nlangs, sizeof *alts);
	/* The index page exists even when empty, like Hugo's, so the theme can
	 * always link it; its alternates (itself too) are the non-empty ones. */
	for (size_t k = 0; k < c->nlangs; k++)
		alts[k] = taxonomy_list(tx, k, kind)->n ? taxonomy_list(tx, k, kind)->url : NULL;
	struct tpl_term *terms = xcalloc(l->n + 1, sizeof *terms);
	for (size_t i = 0; i < l->n; i++)
		terms[i] = (struct tpl_term){ l->terms[i].name, l->terms[i].url, l->terms[i].n };
	struct source idx = {
		.template = "taxonomy", .kind = taxonomy_kinds[kind], .first = l->url, .alt_first = alts,
		.index_url = l->url, .terms = terms, .nterms = l->n,
	};
	int r = render_paged(t, c, &idx, lang, "taxonomy page", out, written, dl);
	for (size_t i = 0; i < l->n && r == 0; i++) {
		const struct tax_term *term = &l->terms[i];
		for (size_t k = 0; k < c->nlangs; k++)
			alts[k] = term->twins[k] == TAX_NONE ? NULL : taxonomy_list(tx, k, kind)->terms[term->twins[k]].url;
		struct source s = {
			.template = "taxonomy", .kind = taxonomy_kind_singular[kind], .term = term->name,
			.first = term->url, .briefs = term->briefs, .n = term->n, .alt_first = alts,
			.index_url = l->url,
		};
		r = render_paged(t, c, &s, lang, "taxonomy page", out, written, dl);
	}
	free(terms);
	free(alts);
	return r;
}

int listing_render_all(struct tpl *t, const struct config *c, const struct urls *u,
		       const struct content *ct, const struct taxonomy *tx, struct sink *out,
		       size_t *written, struct diag_list *dl)
{
	int r = render_homes(t, c, u, ct, out, written, dl);
	if (!tpl_has(t, "taxonomy")) /* an older theme without it gets no taxonomy pages */
		return r;
	for (size_t lang = 0; lang < c->nlangs && r == 0; lang++)
		for (int k = 0; k < TAX_KINDS && r == 0; k++)
			r = render_kind(t, c, tx, lang, k, out, written, dl);
	return r;
}
