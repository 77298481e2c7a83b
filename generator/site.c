/* site — run the pipeline stages in their fixed order. */
#include "site.h"
#include "buildcache.h"
#include "calceval.h"
#include "fsutil.h"
#include "md.h"
#include "outputs.h"
#include "linkcheck.h"
#include "render.h"
#include "sink.h"
#include "template.h"
#include "xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *pick_dir(const char *root, const char *datadir, const char *name, const char *probe)
{
	char *mine = !strcmp(root, ".") ? xstrdup(name) : fs_join(root, name);
	char *p = fs_join(mine, probe);
	int ok = fs_is_file(p) || (!*probe && fs_is_dir(mine));
	free(p);
	if (ok || !datadir)
		return mine;
	free(mine);
	return fs_join(datadir, name);
}

void site_init(struct site *s, const struct build_opts *o)
{
	memset(s, 0, sizeof *s);
	s->opts = *o;
	const char *root = o->root ? o->root : ".";
	s->root = xstrdup(root);
	s->pub.lock_fd = -1;
	s->content_dir = !strcmp(root, ".") ? xstrdup("content") : fs_join(root, "content");
	s->tpl_dir = pick_dir(root, o->datadir, "templates", "base.html");
	s->lua_dir = pick_dir(root, o->datadir, "lua", "template.lua");
	s->out_dir = o->out ? xstrdup(o->out) : !strcmp(root, ".") ? xstrdup("site") : fs_join(root, "site");
}

void site_release(struct site *s)
{
	content_release(&s->ct);
	config_release(&s->cfg);
	diag_release(&s->diags);
	linkcheck_free_list(s->external);
	free(s->content_dir);
	free(s->tpl_dir);
	free(s->lua_dir);
	free(s->out_dir);
	free(s->root);
	sink_free(s->sink);
	publish_close(&s->pub);
	memset(s, 0, sizeof *s);
}

/* Worker pool: each worker takes the next brief by an atomic counter and,
 * once it has a brief to render, owns a template engine and a calc engine
 * (each its own Lua state) made then and used for every brief it renders:
 * a build whose briefs all come from the cache compiles no templates here. Diagnostics are kept per brief and merged in brief order,
 * so output never depends on timing. With a cache, the workers only read it;
 * it gets the results once they have all ended. */
struct pool {
	struct site *s;
	atomic_size_t next;
	struct diag_list *per_brief;
	atomic_int failed;
	atomic_size_t done;          /* briefs finished, for progress */
	pthread_mutex_t md_lock;   /* see md_parse(): cmark-gfm's inline table is global */
	/* with a cache, per brief: */
	struct buf *keys;            /* its inputs (build_cache_key) */
	int *reused;                 /* written from the cache */
	struct brief_result **fresh; /* what rendering kept; NULL when it failed */
};

/* One more brief finished (the worker loop's step, so `continue` counts). */
static void step_done(struct pool *p)
{
	const struct build_opts *o = &p->s->opts;
	size_t d = atomic_fetch_add(&p->done, 1) + 1;
	if (o->progress)
		o->progress(o->progress_arg, d, p->s->ct.n);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct site *s = p->s;
	const struct build_cache *c = s->opts.cache;
	struct tpl *t = NULL;
	struct calc_engine *ce = NULL;
	int tried = 0;
	for (;; step_done(p)) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= s->ct.n)
			break;
		struct brief *b = s->ct.briefs[i];
		struct brief_result *keep = NULL;
		if (c) {
			build_cache_key(b, s->cfg.nlangs, &p->keys[i]);
			const struct brief_result *kept = build_cache_find(c, b->slug, &p->keys[i]);
			if (kept) {
				p->reused[i] = 1;
				if (render_reuse(b, &s->cfg, kept, s->sink, &p->per_brief[i]) < 0)
					atomic_store(&p->failed, 1);
				continue;
			}
			keep = p->fresh[i] = xcalloc(1, sizeof *keep);
		}
		if (!tried) {
			struct diag_list setup = DIAG_LIST_INIT;
			t = tpl_new(s->tpl_dir, s->lua_dir, &s->cfg, &s->ct, &setup);
			diag_release(&setup); /* the main thread already compiled and reported these */
			ce = calc_engine_new(s->lua_dir);
			tried = 1;
		}
		if (!t || render_brief(b, &s->cfg, t, ce, s->sink, &p->md_lock, keep,
				       &p->per_brief[i]) < 0) {
			atomic_store(&p->failed, 1);
			brief_result_free(keep);
			if (c)
				p->fresh[i] = NULL;
		}
	}
	tpl_free(t);
	calc_engine_free(ce);
	return NULL;
}

static int render_all(struct site *s, int jobs)
{
	size_t n = s->ct.n;
	struct build_cache *c = s->opts.cache;
	struct pool p = { .s = s, .per_brief = xcalloc(n + 1, sizeof *p.per_brief) };
	atomic_init(&p.next, 0);
	atomic_init(&p.failed, 0);
	atomic_init(&p.done, 0);
	pthread_mutex_init(&p.md_lock, NULL);
	if (c) {
		p.keys = xcalloc(n + 1, sizeof *p.keys);
		for (size_t i = 0; i < n; i++)
			buf_init(&p.keys[i]);
		p.reused = xcalloc(n + 1, sizeof *p.reused);
		p.fresh = xcalloc(n + 1, sizeof *p.fresh);
	}
	if (jobs > (int)n)
		jobs = (int)n;
	pthread_t *th = xcalloc((size_t)jobs + 1, sizeof *th);
	int started = 0;
	for (int i = 1; i < jobs; i++)
		if (pthread_create(&th[started + 1], NULL, worker, &p) == 0)
			started++;
	worker(&p); /* the calling thread works too */
	for (int i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	free(th);
	for (size_t i = 0; i < n; i++)
		diag_move(&s->diags, &p.per_brief[i]);
	free(p.per_brief);
	pthread_mutex_destroy(&p.md_lock);
	s->briefs_rendered = n;
	if (c) {
		for (size_t i = 0; i < n; i++)
			s->briefs_reused += p.reused[i] != 0;
		s->briefs_rendered = n - s->briefs_reused;
		build_cache_commit(c, s->ct.briefs, n, p.reused, p.keys, p.fresh);
		for (size_t i = 0; i < n; i++) {
			buf_release(&p.keys[i]);
			brief_result_free(p.fresh[i]);
		}
		free(p.keys);
		free(p.reused);
		free(p.fresh);
	}
	return atomic_load(&p.failed) ? -1 : 0;
}

static int write_page(struct site *s, const char *rel, struct buf *b)
{
	int r = sink_put(s->sink, rel, b->ptr, b->len, s->tpl_dir, &s->diags);
	if (r == 0)
		s->pages_written++;
	return r;
}

/* Home pages, paginated: /zh/, /zh/page/2/, ... */
static int render_homes(struct site *s, struct tpl *t)
{
	const struct config *c = &s->cfg;
	size_t per = c->page_size > 0 ? (size_t)c->page_size : (s->ct.n ? s->ct.n : 1);
	size_t pages = s->ct.n ? (s->ct.n + per - 1) / per : 1;
	int r = 0;
	for (size_t li = 0; li < c->nlangs && r == 0; li++) {
		const char *code = c->langs[li].code;
		for (size_t pg = 1; pg <= pages && r == 0; pg++) {
			char *url = pg == 1 ? xasprintf("/%s/", code) : xasprintf("/%s/page/%zu/", code, pg);
			char *prev = pg == 1 ? NULL : pg == 2 ? xasprintf("/%s/", code)
							      : xasprintf("/%s/page/%zu/", code, pg - 1);
			char *next = pg == pages ? NULL : xasprintf("/%s/page/%zu/", code, pg + 1);
			char **alts = xcalloc(c->nlangs, sizeof *alts);
			for (size_t k = 0; k < c->nlangs; k++)
				alts[k] = pg == 1 ? xasprintf("/%s/", c->langs[k].code)
						  : xasprintf("/%s/page/%zu/", c->langs[k].code, pg);
			size_t from = (pg - 1) * per;
			struct tpl_list l = {
				.kind = "home", .url = url, .briefs = s->ct.briefs + from,
				.n = s->ct.n - from < per ? s->ct.n - from : per, .page = pg, .pages = pages,
				.prev_url = prev, .next_url = next, .alt_urls = (const char *const *)alts,
			};
			struct buf out = BUF_INIT;
			r = tpl_render_list(t, &l, li, &out, &s->diags);
			if (r == 0) {
				char *rel = xasprintf("%sindex.html", url + 1);
				r = write_page(s, rel, &out);
				free(rel);
			}
			buf_release(&out);
			for (size_t k = 0; k < c->nlangs; k++)
				free(alts[k]);
			free(alts);
			free(url);
			free(prev);
			free(next);
		}
	}
	return r;
}

static int render_special(struct site *s, struct tpl *t, const char *name, const char *rel)
{
	struct buf out = BUF_INIT;
	int r = tpl_render_special(t, name, s->cfg.def, &out, &s->diags);
	if (r == 0)
		r = write_page(s, rel, &out);
	buf_release(&out);
	return r;
}

static int copy_tree(struct site *s, const char *from, const char *to)
{
	char **names = fs_list(from);
	int r = 0;
	for (char **n = names; n && *n && r == 0; n++) {
		if ((*n)[0] == '.')
			continue;
		char *f = fs_join(from, *n), *t = xasprintf("%s/%s", to, *n);
		if (fs_is_dir(f))
			r = copy_tree(s, f, t);
		else
			r = sink_copy(s->sink, t, f, &s->diags);
		free(f);
		free(t);
	}
	fs_list_free(names);
	return r;
}

static int build_steps(struct site *s)
{
	struct diag_list *dl = &s->diags;
	if (!fs_is_dir(s->content_dir))
		return diag_error(dl, (struct srcpos){ s->content_dir, 0, 0 }, "no content folder here");
	/* Before anything is read, so that a file changed during the build
	 * makes the next build render again whatever may have read it. */
	if (s->opts.cache)
		build_cache_begin(s->opts.cache, s->content_dir, s->tpl_dir, s->lua_dir, s->opts.drafts);
	if (config_load(&s->cfg, s->content_dir, dl) < 0)
		return -1;
	int scan = content_scan(&s->ct, &s->cfg, s->content_dir, s->opts.drafts, dl);
	for (size_t i = 0; i < s->ct.n; i++) {
		const struct brief *b = s->ct.briefs[i];
		if (!b->dir)
			continue;
		for (size_t k = 0; k < s->cfg.nlangs; k++)
			if (!b->pages[k])
				diag_warning(dl, (struct srcpos){ b->dir, 0, 0 }, "brief '%s' has no '%s' translation",
					     b->slug, s->cfg.langs[k].code);
	}
	/* Compile the templates once here first, so their errors are reported
	 * once, and keep this engine for the listing pages. */
	struct tpl *t = tpl_new(s->tpl_dir, s->lua_dir, &s->cfg, &s->ct, dl);
	if (!t || scan < 0) {
		tpl_free(t);
		return -1;
	}
	s->sink = sink_new(s->pub.staging, s->out_dir);
	if (sink_put(s->sink, PUBLISH_MARKER, publish_marker_text, strlen(publish_marker_text), "briefgen",
		     dl) < 0) {
		tpl_free(t);
		return -1;
	}
	int jobs = s->opts.jobs > 0 ? s->opts.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	int r = render_all(s, jobs);
	for (size_t i = 0; i < s->ct.n; i++)
		for (size_t k = 0; k < s->cfg.nlangs; k++)
			s->pages_written += s->ct.briefs[i]->pages[k] != NULL;
	if (r == 0)
		r = render_homes(s, t);
	if (r == 0)
		r = render_special(s, t, "404", "404.html");
	if (r == 0)
		r = render_special(s, t, "redirect", "index.html");
	tpl_free(t);
	char *assets = fs_join(s->tpl_dir, "assets");
	if (r == 0 && fs_is_dir(assets))
		r = copy_tree(s, assets, "assets");
	free(assets);
	if (r == 0)
		r = outputs_write(s);
	/* The link check reads the finished tree: nothing of an earlier build
	 * may be left in it. */
	if (r == 0)
		r = sink_finish(s->sink, dl);
	if (r == 0)
		r = outputs_check_links(s);
	return r;
}

int site_build(struct site *s)
{
	/* The output folder is checked before anything is read: a folder that
	 * must not be replaced is refused at once. */
	const char *protect[] = { s->content_dir, s->tpl_dir, s->lua_dir, NULL };
	int r = publish_open(&s->pub, s->out_dir, s->root, protect, s->opts.force, &s->diags);
	if (r < 0) {
		s->refused = r == PUBLISH_REFUSED;
		return -1;
	}
	r = build_steps(s);
	if (r == 0 && s->diags.errors == 0 && !(s->opts.strict && s->diags.warnings))
		r = publish_commit(&s->pub, &s->diags);
	else
		r = -1;
	publish_close(&s->pub);
	return r;
}
