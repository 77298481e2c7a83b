/* outputs — feeds, sitemap, robots.txt; the link check over the finished
 * tree. */
#include "outputs.h"
#include "feed.h"
#include "fsutil.h"
#include "hash.h"
#include "linkcheck.h"
#include "memo.h"
#include "searchindex.h"
#include "sink.h"
#include "sitemap.h"
#include "strmap.h"
#include "taxonomy.h"
#include "xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* What every output of this stage reads. */
struct ctx {
	const struct config *c;
	const struct urls *u;
	const struct content *ct;
	const struct taxonomy *tx;
	struct sink *out;
	struct memo *memo;  /* the preview's; NULL renders everything */
	struct hash128 seed;
	struct diag_list *dl;
};

static int write_file(const struct ctx *x, const char *rel, const struct buf *b)
{
	return sink_put(x->out, rel, b->ptr, b->len, rel, x->dl);
}

/* With a memo: the kept bytes of rel when its inputs hash as before (a
 * reference), else NULL and *key set for keep(). */
static struct blob *recall(const struct ctx *x, const char *rel, struct hasher *h, struct hash128 *key)
{
	hash_h128(h, x->seed);
	*key = hash_done(h);
	return blob_ref(memo_get(x->memo, rel, *key));
}

static int keep_and_put(const struct ctx *x, const char *rel, struct hash128 key, struct buf *b)
{
	struct blob *bl = blob_take(b);
	memo_set(x->memo, rel, key, bl);
	int r = sink_put_blob(x->out, rel, bl, rel, x->dl);
	blob_unref(bl);
	return r;
}

static int write_feeds(const struct ctx *x)
{
	int r = 0;
	for (size_t l = 0; l < x->c->nlangs && r == 0; l++) {
		char *url = urls_feed(x->u, l);
		struct hash128 key;
		struct blob *kept = NULL;
		if (x->memo) {
			struct hasher *h = hash_new();
			feed_hash(x->c, x->u, x->ct, l, h);
			kept = recall(x, url + 1, h, &key);
		}
		if (kept) {
			r = sink_put_blob(x->out, url + 1, kept, url + 1, x->dl);
			blob_unref(kept);
		} else {
			struct buf b = BUF_INIT;
			r = feed_render(x->c, x->u, x->ct, l, &b, url + 1, x->dl);
			if (r == 0)
				r = x->memo ? keep_and_put(x, url + 1, key, &b) : write_file(x, url + 1, &b);
			buf_release(&b);
		}
		free(url);
	}
	return r;
}

/* Everything the sitemap lists owns its strings here. */
struct sm_urls {
	struct sitemap_url *u;
	char **owned;
	size_t n;
};

static void add_url(struct sm_urls *x, char *url, char *lastmod, const char *lastmod_borrowed, size_t lang,
		    size_t group)
{
	x->u = xrealloc(x->u, (x->n + 1) * sizeof *x->u);
	x->owned = xrealloc(x->owned, (2 * x->n + 2) * sizeof *x->owned);
	x->u[x->n] = (struct sitemap_url){ url, lastmod ? lastmod : lastmod_borrowed, lang, group };
	x->owned[2 * x->n] = url;
	x->owned[2 * x->n + 1] = lastmod;
	x->n++;
}

static int write_sitemap(const struct ctx *cx)
{
	const struct config *c = cx->c;
	const struct urls *u = cx->u;
	const struct content *ct = cx->ct;
	const struct taxonomy *tx = cx->tx;
	struct sm_urls x = { NULL, NULL, 0 };
	/* Groups: 0 the homes, 1..n the briefs, then taxonomy index pages,
	 * then terms (by the first language of each twin set). */
	const struct brief *latest = NULL;
	for (size_t i = 0; i < ct->n; i++)
		if (!latest || ct->briefs[i]->epoch > latest->epoch)
			latest = ct->briefs[i];
	const char *newest = latest ? latest->date_iso : NULL;
	size_t g_index = 1 + ct->n, g_terms = g_index + TAX_KINDS;
	size_t *off = xcalloc(c->nlangs * TAX_KINDS + 1, sizeof *off), nterms = 0;
	for (size_t l = 0; l < c->nlangs; l++)
		for (int k = 0; k < TAX_KINDS; k++) {
			off[l * TAX_KINDS + (size_t)k] = nterms;
			nterms += taxonomy_list(tx, l, k)->n;
		}
	size_t g_spages = g_terms + nterms; /* standalone pages last; no date, so no lastmod */
	for (size_t l = 0; l < c->nlangs; l++) {
		add_url(&x, urls_home(u, l), NULL, newest, l, 0);
		for (size_t i = 0; i < ct->n; i++) {
			const struct page *p = ct->briefs[i]->pages[l];
			if (p)
				add_url(&x, xstrdup(p->url), NULL, p->updated_iso, l, 1 + i);
		}
		for (int k = 0; k < TAX_KINDS; k++) {
			const struct tax_list *tl = taxonomy_list(tx, l, k);
			add_url(&x, xstrdup(tl->url), NULL, tl->lastmod, l, g_index + (size_t)k);
			for (size_t t = 0; t < tl->n; t++) {
				const struct tax_term *term = &tl->terms[t];
				size_t rl = l, ri = t;
				for (size_t j = 0; j < l; j++)
					if (term->twins[j] != TAX_NONE) {
						rl = j, ri = term->twins[j];
						break;
					}
				add_url(&x, xstrdup(term->url), NULL, term->lastmod, l,
					g_terms + off[rl * TAX_KINDS + (size_t)k] + ri);
			}
		}
		for (size_t i = 0; i < ct->nspages; i++)
			if (ct->spages[i]->pages[l])
				add_url(&x, xstrdup(ct->spages[i]->pages[l]->url), NULL, NULL, l, g_spages + i);
	}
	struct buf b = BUF_INIT;
	struct hash128 key;
	struct blob *kept = NULL;
	if (cx->memo) {
		struct hasher *h = hash_new();
		for (size_t i = 0; i < x.n; i++) {
			hash_str(h, x.u[i].url);
			hash_str(h, x.u[i].lastmod);
			hash_u64(h, x.u[i].lang);
			hash_u64(h, x.u[i].group);
		}
		kept = recall(cx, "sitemap.xml", h, &key);
	}
	int r = 0;
	if (kept) {
		r = sink_put_blob(cx->out, "sitemap.xml", kept, "sitemap.xml", cx->dl);
		blob_unref(kept);
	} else {
		r = sitemap_render(c, u, x.u, x.n, &b, "sitemap.xml", cx->dl);
		if (r == 0)
			r = cx->memo ? keep_and_put(cx, "sitemap.xml", key, &b) : write_file(cx, "sitemap.xml", &b);
	}
	buf_release(&b);
	sitemap_robots(u, &b);
	if (r == 0)
		r = write_file(cx, "robots.txt", &b);
	buf_release(&b);
	for (size_t i = 0; i < 2 * x.n; i++)
		free(x.owned[i]);
	free(x.owned);
	free(x.u);
	free(off);
	return r;
}

/* ---- the link check ------------------------------------------------------ */

struct kept_scan {
	struct blob *blob;          /* the bytes it was made from (a reference) */
	struct linkcheck_scan *scan;
};

struct outputs_scans {
	struct strmap by_rel;       /* rel -> struct kept_scan */
	struct linkcheck_memo *check; /* what each page's check found */
};

struct outputs_scans *outputs_scans_new(void)
{
	struct outputs_scans *sc = xcalloc(1, sizeof *sc);
	sc->check = linkcheck_memo_new();
	return sc;
}

static void kept_free(struct kept_scan *k)
{
	blob_unref(k->blob);
	linkcheck_scan_free(k->scan);
	free(k);
}

void outputs_scans_free(struct outputs_scans *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->by_rel.cap; i++)
		if (sc->by_rel.slots[i].key)
			kept_free(sc->by_rel.slots[i].value);
	strmap_release(&sc->by_rel);
	linkcheck_memo_free(sc->check);
	free(sc);
}

static int read_blob(void *ctx, const char *rel, struct buf *out)
{
	const struct blob *b = sitefiles_get(ctx, rel);
	if (!b)
		return -1;
	buf_add(out, b->data, b->len);
	return 0;
}

static struct linkcheck_scan *take_put_scan(struct outputs_put_scans *ps, const char *rel);

/* The scans of the pages of a set in memory: kept ones when the page is
 * the same blob, else the one made as it was put (ps, when the build made
 * them: with search on, for the index's sake), else scanned (on threads);
 * all kept. scans[i] is borrowed from sc (or owned by the caller when sc
 * is NULL: *owned). */
static int scan_memory(const struct sitefiles *f, const char **files, size_t n, struct outputs_scans *sc,
		       struct outputs_put_scans *ps, int jobs, struct linkcheck_scan **scans, int *owned,
		       struct diag_list *dl)
{
	const char **todo = xcalloc(n + 1, sizeof *todo);
	size_t *at = xcalloc(n + 1, sizeof *at), m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!linkcheck_is_page(files[i]))
			continue;
		struct strmap_slot *s = sc ? strmap_find(&sc->by_rel, files[i]) : NULL;
		struct kept_scan *k = s ? s->value : NULL;
		if (k && k->blob == sitefiles_get(f, files[i])) {
			scans[i] = k->scan;
			continue;
		}
		todo[m] = files[i];
		at[m++] = i;
	}
	struct linkcheck_scan **fresh = xcalloc(m + 1, sizeof *fresh);
	for (size_t j = 0; ps && j < m; j++)
		fresh[j] = take_put_scan(ps, todo[j]); /* kept by linkcheck_scan_pages, not read again */
	int r = linkcheck_scan_pages(todo, m, read_blob, (void *)f, jobs, fresh, dl);
	for (size_t j = 0; j < m; j++) {
		scans[at[j]] = fresh[j];
		if (!sc || !fresh[j])
			continue;
		struct strmap_slot *s = strmap_put(&sc->by_rel, todo[j], NULL);
		if (s->value)
			kept_free(s->value);
		struct kept_scan *k = xcalloc(1, sizeof *k);
		k->blob = blob_ref(sitefiles_get(f, todo[j]));
		k->scan = fresh[j];
		s->value = k;
	}
	*owned = sc == NULL;
	/* scans of pages that are gone are dropped */
	if (sc) {
		struct strmap next = STRMAP_INIT;
		for (size_t i = 0; i < sc->by_rel.cap; i++) {
			const char *rel = sc->by_rel.slots[i].key;
			if (!rel)
				continue;
			if (sitefiles_get(f, rel))
				strmap_put(&next, rel, NULL)->value = sc->by_rel.slots[i].value;
			else
				kept_free(sc->by_rel.slots[i].value);
		}
		strmap_release(&sc->by_rel);
		sc->by_rel = next;
	}
	free(fresh);
	free(todo);
	free(at);
	return r;
}

struct outputs_put_scans {
	pthread_mutex_t lock;
	struct strmap by_rel;       /* rel -> struct linkcheck_scan */
	struct search_index *search; /* or NULL */
};

struct outputs_put_scans *outputs_put_scans_new(struct search_index *search)
{
	struct outputs_put_scans *ps = xcalloc(1, sizeof *ps);
	pthread_mutex_init(&ps->lock, NULL);
	ps->by_rel = (struct strmap)STRMAP_INIT;
	ps->search = search;
	return ps;
}

void outputs_put_scans_free(struct outputs_put_scans *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->by_rel.cap; i++)
		if (ps->by_rel.slots[i].key)
			linkcheck_scan_free(ps->by_rel.slots[i].value);
	strmap_release(&ps->by_rel);
	pthread_mutex_destroy(&ps->lock);
	free(ps);
}

void outputs_put_scan(void *ctx, const char *rel, const void *data, size_t n)
{
	struct outputs_put_scans *ps = ctx;
	if (!linkcheck_is_page(rel))
		return;
	struct search_reader *rd = ps->search ? search_reader_new(ps->search, rel) : NULL;
	struct linkcheck_hear hear = { rd, search_reader_start, search_reader_end, search_reader_text };
	struct linkcheck_scan *scan = linkcheck_scan_html_hear(data, n, rd ? &hear : NULL);
	search_reader_finish(rd);
	pthread_mutex_lock(&ps->lock);
	struct strmap_slot *s = strmap_put(&ps->by_rel, rel, NULL);
	linkcheck_scan_free(s->value); /* a path is put once; just in case */
	s->value = scan;
	pthread_mutex_unlock(&ps->lock);
}

/* After the last put: the scan of rel, now the caller's (NULL: none). */
static struct linkcheck_scan *take_put_scan(struct outputs_put_scans *ps, const char *rel)
{
	void *scan = NULL;
	pthread_mutex_lock(&ps->lock);
	strmap_del(&ps->by_rel, rel, &scan);
	pthread_mutex_unlock(&ps->lock);
	return scan;
}

/* Read only after the last put: no lock. */
static const struct linkcheck_scan *put_scan_of(void *ctx, const char *rel)
{
	const struct outputs_put_scans *ps = ctx;
	const struct strmap_slot *s = strmap_find(&ps->by_rel, rel);
	return s ? s->value : NULL;
}

int outputs_check_links(const struct outputs_links *o, struct diag_list *dl)
{
	const struct config *c = o->c;
	const struct content *ct = o->ct;
	size_t n = 0;
	struct linkcheck_page *pages = xcalloc(ct->n * c->nlangs + 1, sizeof *pages);
	char **rels = xcalloc(ct->n * c->nlangs + 1, sizeof *rels);
	for (size_t i = 0; i < ct->n; i++)
		for (size_t l = 0; l < c->nlangs; l++) {
			const struct page *p = ct->briefs[i]->pages[l];
			if (!p)
				continue;
			rels[n] = urls_file(p->url);
			pages[n] = (struct linkcheck_page){
				.rel = rels[n], .url = p->url, .file = p->file, .src = p->body,
				.src_len = p->body_len, .src_line = p->body_line, .src_off = p->fm.body_off, .body = p->html,
				.src_hash = p->body_hash, .body_hash = p->html_hash,
			};
			n++;
		}
	int r;
	if (o->files) {
		const char **files = sitefiles_paths(o->files);
		size_t nf = sitefiles_count(o->files);
		struct linkcheck_scan **scans = xcalloc(nf + 1, sizeof *scans);
		int owned = 0;
		r = scan_memory(o->files, files, nf, o->scans, o->put_scans, o->jobs, scans, &owned, dl);
		struct linkcheck_site site = {
			.base_url = c->base_url, .theme = o->theme, .files = files,
			.scans = (const struct linkcheck_scan *const *)scans, .nfiles = nf, .pages = pages, .npages = n,
		};
		if (r == 0)
			r = linkcheck_check(&site, o->scans ? o->scans->check : NULL, o->external, dl);
		for (size_t i = 0; owned && i < nf; i++)
			linkcheck_scan_free(scans[i]);
		free(scans);
		free(files);
	} else {
		struct linkcheck_opts lo = {
			.dir = o->dir, .files = o->dir_files, .nfiles = o->ndir_files, .base_url = c->base_url,
			.theme = o->theme, .pages = pages, .npages = n, .jobs = o->jobs,
			.given = o->put_scans ? put_scan_of : NULL, .given_ctx = (void *)(uintptr_t)o->put_scans,
		};
		r = linkcheck_run(&lo, o->external, dl);
	}
	for (size_t i = 0; i < n; i++)
		free(rels[i]);
	free(rels);
	free(pages);
	return r;
}

int outputs_write(const struct config *c, const struct urls *u, const struct content *ct,
		  const struct taxonomy *tx, struct sink *out, struct memo *memo, struct hash128 seed,
		  struct diag_list *dl)
{
	struct ctx x = { c, u, ct, tx, out, memo, seed, dl };
	int r = write_feeds(&x);
	if (r == 0)
		r = write_sitemap(&x);
	return r;
}

int outputs_write_feed(const struct config *c, const struct urls *u, const struct content *ct, size_t lang,
		       struct sink *out, struct diag_list *dl)
{
	char *url = urls_feed(u, lang);
	struct buf b = BUF_INIT;
	int r = feed_render(c, u, ct, lang, &b, url + 1, dl);
	if (r == 0)
		r = sink_put(out, url + 1, b.ptr, b.len, url + 1, dl);
	buf_release(&b);
	free(url);
	return r;
}

const struct linkcheck_scan *outputs_scans_get(const struct outputs_scans *sc, const char *rel, int *found)
{
	const struct strmap_slot *s = sc ? strmap_find(&sc->by_rel, rel) : NULL;
	*found = s != NULL;
	return s ? ((const struct kept_scan *)s->value)->scan : NULL;
}
