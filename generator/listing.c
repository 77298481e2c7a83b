/* listing — homes, term listings and taxonomy indexes. */
#include "listing.h"
#include "hash.h"
#include "memo.h"
#include "sink.h"
#include "xalloc.h"

#include <stdint.h>
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

/* What every listing page of a build shares. */
struct run {
	struct tpl *t;
	const struct config *c;
	struct sink *out;
	size_t *written;
	struct diag_list *dl;
	/* the preview's memo (NULL in a full build): a page is rendered again
	 * only when the hash of what it shows changed */
	struct memo *memo;
	struct hash128 seed;      /* build-wide inputs and template versions */
	struct hash128 *entries;  /* per brief index and language: tpl_entry_hash */
};

/* Everything the page's templates see, hashed: the listing's own fields
 * (the same struct tpl_list they get) and each entry's fingerprint. */
static struct hash128 page_hash(const struct run *x, const struct tpl_list *l, size_t lang)
{
	struct hasher *h = hash_new();
	hash_h128(h, x->seed);
	hash_u64(h, lang);
	const char *const strs[] = { l->template, l->kind, l->term, l->url, l->prev_url, l->next_url, l->index_url };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		hash_str(h, strs[i]);
	hash_u64(h, l->page);
	hash_u64(h, l->pages);
	for (size_t k = 0; k < x->c->nlangs; k++)
		hash_str(h, l->alt_urls[k]);
	hash_u64(h, l->terms ? l->nterms : UINT64_MAX);
	for (size_t i = 0; l->terms && i < l->nterms; i++) {
		hash_str(h, l->terms[i].name);
		hash_str(h, l->terms[i].url);
		hash_u64(h, l->terms[i].count);
	}
	hash_u64(h, l->n);
	for (size_t i = 0; i < l->n; i++)
		hash_h128(h, x->entries[l->briefs[i]->index * x->c->nlangs + lang]);
	return hash_done(h);
}

static int put_page(const struct run *x, const struct tpl_list *l, size_t lang, const char *by)
{
	char *rel = urls_file(l->url);
	struct hash128 key = { 0, 0 };
	struct blob *b = NULL;
	int r = 0;
	if (x->memo) {
		key = page_hash(x, l, lang);
		b = blob_ref(memo_get(x->memo, rel, key));
	}
	if (!b) {
		struct buf html = BUF_INIT;
		r = tpl_render_list(x->t, l, lang, &html, x->dl);
		b = blob_take(&html);
		if (r == 0 && x->memo)
			memo_set(x->memo, rel, key, b);
	}
	if (r == 0)
		r = sink_put_blob(x->out, rel, b, by, x->dl);
	if (r == 0)
		(*x->written)++;
	blob_unref(b);
	free(rel);
	return r;
}

static int render_paged(const struct run *x, const struct source *s, size_t lang, const char *by)
{
	const struct config *c = x->c;
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
		r = put_page(x, &l, lang, by);
		for (size_t k = 0; k < c->nlangs; k++)
			free(alts[k]);
		free(alts);
		free(url);
		free(prev);
		free(next);
	}
	return r;
}

static int render_homes(const struct run *x, const struct urls *u, const struct content *ct)
{
	const struct config *c = x->c;
	char **homes = xcalloc(c->nlangs, sizeof *homes);
	for (size_t k = 0; k < c->nlangs; k++)
		homes[k] = urls_home(u, k);
	int r = 0;
	for (size_t lang = 0; lang < c->nlangs && r == 0; lang++) {
		struct source s = {
			.template = "home", .kind = "home", .first = homes[lang], .briefs = ct->briefs, .n = ct->n,
			.alt_first = (const char *const *)homes, .alt_same_page = 1,
		};
		r = render_paged(x, &s, lang, "home page");
	}
	for (size_t k = 0; k < c->nlangs; k++)
		free(homes[k]);
	free(homes);
	return r;
}

static int render_kind(const struct run *x, const struct taxonomy *tx, size_t lang, int kind)
{
	const struct config *c = x->c;
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
	int r = render_paged(x, &idx, lang, "taxonomy page");
	for (size_t i = 0; i < l->n && r == 0; i++) {
		const struct tax_term *term = &l->terms[i];
		for (size_t k = 0; k < c->nlangs; k++)
			alts[k] = term->twins[k] == TAX_NONE ? NULL : taxonomy_list(tx, k, kind)->terms[term->twins[k]].url;
		struct source s = {
			.template = "taxonomy", .kind = taxonomy_kind_singular[kind], .term = term->name,
			.first = term->url, .briefs = term->briefs, .n = term->n, .alt_first = alts,
			.index_url = l->url,
		};
		r = render_paged(x, &s, lang, "taxonomy page");
	}
	free(terms);
	free(alts);
	return r;
}

int listing_render_all(struct tpl *t, const struct config *c, const struct urls *u,
		       const struct content *ct, const struct taxonomy *tx, struct sink *out,
		       size_t *written, struct memo *memo, struct hash128 seed, struct diag_list *dl)
{
	struct run x = { t, c, out, written, dl, memo, seed, NULL };
	if (memo) {
		x.entries = xcalloc(ct->n * c->nlangs + 1, sizeof *x.entries);
		for (size_t i = 0; i < ct->n; i++)
			for (size_t lang = 0; lang < c->nlangs; lang++) {
				struct hasher *h = hash_new();
				tpl_entry_hash(c, ct->briefs[i], lang, h);
				x.entries[ct->briefs[i]->index * c->nlangs + lang] = hash_done(h);
			}
	}
	int r = render_homes(&x, u, ct);
	/* an older theme without a taxonomy template gets no taxonomy pages */
	for (size_t lang = 0; lang < c->nlangs && r == 0 && tpl_has(t, "taxonomy"); lang++)
		for (int k = 0; k < TAX_KINDS && r == 0; k++)
			r = render_kind(&x, tx, lang, k);
	free(x.entries);
	return r;
}
