/* listing — homes, term listings and taxonomy indexes: first every page is
 * laid out (its URL, its slice of briefs, its alternates), then the pages
 * are rendered on the pool, each by its slot's engine, and put. */
#include "listing.h"
#include "hash.h"
#include "memo.h"
#include "pool.h"
#include "sink.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* What one listing is before it is cut into pages. */
struct source {
	const char *template, *kind, *term;
	const char *first;               /* URL of its first page */
	struct brief *const *briefs;
	size_t n;
	const char *const *alt_first;    /* per language: the twin's first page, or NULL */
	int alt_same_page;               /* alternates are the twin's page of the same number */
	const char *index_url;
	const struct tpl_term *terms;    /* an index page: borrowed until the pages are rendered */
	size_t nterms;
	const char *by;                  /* the producer named if two claim one path */
};

/* One page to render: its tpl_list with the strings it owns. */
struct job {
	struct tpl_list l;
	size_t lang;
	const char *by;
	char *url, *prev, *next, **alts;
	struct tpl_term *terms;          /* owned by the first page of an index */
	struct diag_list dl;
	int failed;
};

/* Everything the pages of a build share. */
struct layout {
	const struct listing_run *run;
	const struct config *c;
	struct job *jobs;
	size_t n, cap;
	struct hash128 *entries;  /* with a memo: per brief index and language, tpl_entry_hash */
};

static void lay_out(struct layout *x, const struct source *s, size_t lang)
{
	const struct config *c = x->c;
	size_t per = c->page_size > 0 ? (size_t)c->page_size : (s->n ? s->n : 1);
	size_t pages = s->terms ? 1 : taxonomy_pages(c, s->n);
	for (size_t pg = 1; pg <= pages; pg++) {
		if (x->n == x->cap) {
			x->cap = x->cap ? 2 * x->cap : 64;
			x->jobs = xrealloc(x->jobs, x->cap * sizeof *x->jobs);
		}
		struct job *j = &x->jobs[x->n++];
		memset(j, 0, sizeof *j);
		j->url = urls_paged(s->first, pg);
		j->prev = pg > 1 ? urls_paged(s->first, pg - 1) : NULL;
		j->next = pg < pages ? urls_paged(s->first, pg + 1) : NULL;
		j->alts = xcalloc(c->nlangs, sizeof *j->alts);
		for (size_t k = 0; k < c->nlangs; k++)
			if (k == lang && !s->terms)
				j->alts[k] = xstrdup(j->url);
			else if (s->alt_first[k])
				j->alts[k] = s->alt_same_page ? urls_paged(s->alt_first[k], pg) : xstrdup(s->alt_first[k]);
		size_t from = (pg - 1) * per;
		j->lang = lang;
		j->by = s->by;
		j->l = (struct tpl_list){
			.template = s->template, .kind = s->kind, .term = s->term, .url = j->url,
			.briefs = s->briefs + from, .n = s->terms ? 0 : s->n - from < per ? s->n - from : per,
			.page = pg, .pages = pages, .prev_url = j->prev, .next_url = j->next,
			.alt_urls = (const char *const *)j->alts, .index_url = s->index_url,
			.terms = s->terms, .nterms = s->nterms,
		};
	}
}

static void lay_out_homes(struct layout *x, const struct urls *u, const struct content *ct, char **homes)
{
	for (size_t k = 0; k < x->c->nlangs; k++)
		homes[k] = urls_home(u, k);
	for (size_t lang = 0; lang < x->c->nlangs; lang++) {
		struct source s = {
			.template = "home", .kind = "home", .first = homes[lang], .briefs = ct->briefs, .n = ct->n,
			.alt_first = (const char *const *)homes, .alt_same_page = 1, .by = "home page",
		};
		lay_out(x, &s, lang);
	}
}

static void lay_out_kind(struct layout *x, const struct taxonomy *tx, size_t lang, int kind, const char **alts)
{
	const struct config *c = x->c;
	const struct tax_list *l = taxonomy_list(tx, lang, kind);
	/* The index page exists even when empty, like Hugo's, so the theme can
	 * always link it; its alternates (itself too) are the non-empty ones. */
	for (size_t k = 0; k < c->nlangs; k++)
		alts[k] = taxonomy_list(tx, k, kind)->n ? taxonomy_list(tx, k, kind)->url : NULL;
	struct tpl_term *terms = xcalloc(l->n + 1, sizeof *terms);
	for (size_t i = 0; i < l->n; i++)
		terms[i] = (struct tpl_term){ l->terms[i].name, l->terms[i].url, l->terms[i].n };
	struct source idx = {
		.template = "taxonomy", .kind = taxonomy_kinds[kind], .first = l->url, .alt_first = alts,
		.index_url = l->url, .terms = terms, .nterms = l->n, .by = "taxonomy page",
	};
	lay_out(x, &idx, lang);
	x->jobs[x->n - 1].terms = terms; /* the index's one page owns them */
	for (size_t i = 0; i < l->n; i++) {
		const struct tax_term *term = &l->terms[i];
		for (size_t k = 0; k < c->nlangs; k++)
			alts[k] = term->twins[k] == TAX_NONE ? NULL : taxonomy_list(tx, k, kind)->terms[term->twins[k]].url;
		struct source s = {
			.template = "taxonomy", .kind = taxonomy_kind_singular[kind], .term = term->name,
			.first = term->url, .briefs = term->briefs, .n = term->n, .alt_first = alts,
			.index_url = l->url, .by = "taxonomy page",
		};
		lay_out(x, &s, lang);
	}
}

/* Everything the page's templates see, hashed: the listing's own fields
 * (the same struct tpl_list they get) and each entry's fingerprint. */
static struct hash128 page_hash(const struct layout *x, const struct tpl_list *l, size_t lang)
{
	struct hasher *h = hash_new();
	hash_h128(h, x->run->seed);
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

static void render_job(void *ctx, size_t i, void **local)
{
	const struct layout *x = ctx;
	const struct listing_run *run = x->run;
	struct job *j = &x->jobs[i];
	char *rel = urls_file(j->url);
	struct hash128 key = { 0, 0 };
	struct blob *b = NULL;
	if (run->memo) {
		key = page_hash(x, &j->l, j->lang);
		b = blob_ref(memo_get(run->memo, rel, key));
	}
	if (!b) {
		struct tpl *t = engines_tpl(local, run->spec);
		struct buf html = BUF_INIT;
		j->failed = !t || tpl_render_list(t, &j->l, j->lang, &html, &j->dl) < 0;
		b = blob_take(&html);
		if (!j->failed && run->memo)
			memo_set(run->memo, rel, key, b);
	}
	if (!j->failed)
		j->failed = sink_put_blob(run->out, rel, b, j->by, &j->dl) < 0;
	blob_unref(b);
	free(rel);
}

int listing_render_all(const struct listing_run *run, const struct config *c, const struct urls *u,
		       const struct content *ct, const struct taxonomy *tx, size_t *written, struct diag_list *dl)
{
	struct layout x = { run, c, NULL, 0, 0, NULL };
	char **homes = xcalloc(c->nlangs, sizeof *homes);
	const char **alts = xcalloc(c->nlangs, sizeof *alts);
	lay_out_homes(&x, u, ct, homes);
	/* a theme without a taxonomy template (an older one) gets no taxonomy pages */
	struct tpl *t0 = engines_tpl(pool_local(run->pool, 0), run->spec);
	if (t0 && tpl_has(t0, "taxonomy"))
		for (size_t lang = 0; lang < c->nlangs; lang++)
			for (int k = 0; k < TAX_KINDS; k++)
				lay_out_kind(&x, tx, lang, k, alts);
	if (run->memo) {
		x.entries = xcalloc(ct->n * c->nlangs + 1, sizeof *x.entries);
		for (size_t i = 0; i < ct->n; i++)
			for (size_t lang = 0; lang < c->nlangs; lang++) {
				struct hasher *h = hash_new();
				tpl_entry_hash(c, ct->briefs[i], lang, h);
				x.entries[ct->briefs[i]->index * c->nlangs + lang] = hash_done(h);
			}
	}
	pool_run(run->pool, x.n, render_job, &x);
	int r = 0;
	for (size_t i = 0; i < x.n; i++) {
		struct job *j = &x.jobs[i];
		/* in page order, whatever thread rendered what; as if they had
		 * rendered one by one, up to the first that failed */
		if (r == 0)
			diag_move(dl, &j->dl);
		diag_release(&j->dl);
		if (j->failed)
			r = -1;
		else if (r == 0)
			(*written)++;
		free(j->url);
		free(j->prev);
		free(j->next);
		for (size_t k = 0; k < c->nlangs; k++)
			free(j->alts[k]);
		free(j->alts);
		free(j->terms);
	}
	for (size_t k = 0; k < c->nlangs; k++)
		free(homes[k]);
	free(homes);
	free(alts);
	free(x.jobs);
	free(x.entries);
	return r;
}
