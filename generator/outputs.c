/* outputs — taxonomy pages, feeds, sitemap, robots.txt, then the link
 * check over everything written. Order matters only for the link check,
 * which must see every file. */
#include "outputs.h"
#include "feed.h"
#include "fsutil.h"
#include "linkcheck.h"
#include "pageinfo.h"
#include "sink.h"
#include "sitemap.h"
#include "taxonomy.h"
#include "template.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int write_file(struct site *s, const char *rel, const struct buf *b)
{
	return sink_put(s->sink, rel, b->ptr, b->len, rel, &s->diags);
}

static int write_taxonomies(struct site *s, const struct taxonomy *tx)
{
	struct diag_list quiet = DIAG_LIST_INIT; /* the first compile reported these */
	struct tpl *t = tpl_new(s->tpl_dir, s->lua_dir, &s->cfg, &s->ct, &quiet);
	diag_release(&quiet);
	if (!t)
		return diag_error(&s->diags, (struct srcpos){ s->tpl_dir, 0, 0 }, "cannot load the theme again");
	int r = 0;
	if (tpl_has(t, "taxonomy")) /* an older theme without it gets no taxonomy pages */
		r = taxonomy_render(tx, &s->cfg, t, s->sink, &s->pages_written, &s->diags);
	tpl_free(t);
	return r;
}

static int write_feeds(struct site *s)
{
	int r = 0;
	for (size_t l = 0; l < s->cfg.nlangs && r == 0; l++) {
		char *url = feed_url(&s->cfg, l);
		struct buf b = BUF_INIT;
		r = feed_render(&s->cfg, &s->ct, l, &b, url + 1, &s->diags);
		if (r == 0)
			r = write_file(s, url + 1, &b);
		buf_release(&b);
		free(url);
	}
	return r;
}

/* Everything the sitemap lists owns its strings here. */
struct urls {
	struct sitemap_url *u;
	char **owned;
	size_t n;
};

static void add_url(struct urls *x, char *url, char *lastmod, const char *lastmod_borrowed, size_t lang,
		    size_t group)
{
	x->u = xrealloc(x->u, (x->n + 1) * sizeof *x->u);
	x->owned = xrealloc(x->owned, (2 * x->n + 2) * sizeof *x->owned);
	x->u[x->n] = (struct sitemap_url){ url, lastmod ? lastmod : lastmod_borrowed, lang, group };
	x->owned[2 * x->n] = url;
	x->owned[2 * x->n + 1] = lastmod;
	x->n++;
}

static int write_sitemap(struct site *s, const struct taxonomy *tx)
{
	const struct config *c = &s->cfg;
	const struct content *ct = &s->ct;
	struct urls x = { NULL, NULL, 0 };
	/* Groups: 0 the homes, 1..n the briefs, then taxonomy index pages,
	 * then terms (by the first language of each twin set). */
	const char *newest = NULL;
	for (size_t i = 0; i < ct->n; i++)
		newest = pageinfo_later(newest, ct->briefs[i]->date_iso);
	size_t g_index = 1 + ct->n, g_terms = g_index + TAX_KINDS;
	size_t *off = xcalloc(c->nlangs * TAX_KINDS + 1, sizeof *off);
	for (size_t l = 0, sum = 0; l < c->nlangs; l++)
		for (int k = 0; k < TAX_KINDS; k++) {
			off[l * TAX_KINDS + (size_t)k] = sum;
			sum += taxonomy_list(tx, l, k)->n;
		}
	for (size_t l = 0; l < c->nlangs; l++) {
		add_url(&x, xasprintf("/%s/", c->langs[l].code), NULL, newest, l, 0);
		for (size_t i = 0; i < ct->n; i++) {
			const struct page *p = ct->briefs[i]->pages[l];
			if (p)
				add_url(&x, xstrdup(p->url), pageinfo_updated(p, c), NULL, l, 1 + i);
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
	}
	struct buf b = BUF_INIT;
	int r = sitemap_render(c, x.u, x.n, &b, "sitemap.xml", &s->diags);
	if (r == 0)
		r = write_file(s, "sitemap.xml", &b);
	buf_release(&b);
	sitemap_robots(c, &b);
	if (r == 0)
		r = write_file(s, "robots.txt", &b);
	buf_release(&b);
	for (size_t i = 0; i < 2 * x.n; i++)
		free(x.owned[i]);
	free(x.owned);
	free(x.u);
	free(off);
	return r;
}

int outputs_check_links(struct site *s)
{
	const struct config *c = &s->cfg;
	size_t n = 0;
	struct linkcheck_page *pages = xcalloc(s->ct.n * c->nlangs + 1, sizeof *pages);
	char **rels = xcalloc(s->ct.n * c->nlangs + 1, sizeof *rels);
	for (size_t i = 0; i < s->ct.n; i++)
		for (size_t l = 0; l < c->nlangs; l++) {
			const struct page *p = s->ct.briefs[i]->pages[l];
			if (!p)
				continue;
			rels[n] = xasprintf("%sindex.html", p->url + 1);
			pages[n] = (struct linkcheck_page){
				.rel = rels[n], .url = p->url, .file = p->file, .src = p->body,
				.src_len = p->body_len, .src_line = p->body_line, .body = p->html,
			};
			n++;
		}
	struct linkcheck_opts o = {
		.dir = sink_dir(s->sink), .base_url = c->base_url, .theme = s->tpl_dir, .pages = pages, .npages = n,
		.jobs = s->opts.jobs,
	};
	int r = linkcheck_run(&o, s->opts.external ? &s->external : NULL, &s->diags);
	for (size_t i = 0; i < n; i++)
		free(rels[i]);
	free(rels);
	free(pages);
	return r;
}

int outputs_write(struct site *s)
{
	struct taxonomy tx;
	taxonomy_build(&tx, &s->cfg, &s->ct);
	int r = write_taxonomies(s, &tx);
	if (r == 0)
		r = write_feeds(s);
	if (r == 0)
		r = write_sitemap(s, &tx);
	taxonomy_release(&tx);
	return r;
}
