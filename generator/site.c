/* site — run the pipeline stages in their fixed order. */
#include "site.h"
#include "searchindex.h"
#include "mdguard.h"
#include "buildcache.h"
#include "calceval.h"
#include "engines.h"
#include "feed.h"
#include "fsutil.h"
#include "md.h"
#include "numbers.h"
#include "outputs.h"
#include "pool.h"
#include "linkcheck.h"
#include "listing.h"
#include "render.h"
#include "sink.h"
#include "strmap.h"
#include "template.h"
#include "xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include "banned.h"

/* ROOT/name when it holds probe, else the shipped one. A ROOT/name that
 * exists without probe is not used: the warning says so, and why, rather
 * than leaving an author to wonder why their edits do nothing. */
char *site_pick_dir(const char *root, const char *datadir, const char *name, const char *probe,
		    struct diag_list *dl)
{
	char *mine = !strcmp(root, ".") ? xstrdup(name) : fs_join(root, name);
	char *p = fs_join(mine, probe);
	int ok = fs_is_file(p) || (!*probe && fs_is_dir(mine));
	free(p);
	if (ok || !datadir)
		return mine;
	char *shipped = fs_join(datadir, name);
	if (fs_is_dir(mine))
		diag_warning(dl, (struct srcpos){ mine, 0, 0 },
			     "has no %s, so it is not used: the shipped %s are; add %s to use this folder",
			     probe, !strcmp(name, "lua") ? "Lua modules" : "templates", probe);
	free(mine);
	return shipped;
}

void site_init(struct site *s, const struct build_opts *o)
{
	memset(s, 0, sizeof *s);
	s->opts = *o;
	const char *root = o->root ? o->root : ".";
	s->root = xstrdup(root);
	s->pub.lock_fd = -1;
	s->content_dir = !strcmp(root, ".") ? xstrdup("content") : fs_join(root, "content");
	s->tpl_dir = site_pick_dir(root, o->datadir, "templates", "base.html", &s->diags);
	s->lua_dir = site_pick_dir(root, o->datadir, "lua", "template.lua", &s->diags);
	s->out_dir = o->out ? xstrdup(o->out) : !strcmp(root, ".") ? xstrdup("site") : fs_join(root, "site");
}

void site_park_engines(struct site *s)
{
	struct build_engines *kept = s->opts.cache ? s->opts.engines : NULL;
	if (kept && s->pool) { /* a pool is made only once the theme compiled */
		build_engines_release(kept);
		kept->pool = s->pool;
		kept->seed = s->seed;
		s->pool = NULL;
	}
}

void site_release(struct site *s)
{
	search_index_free(s->search); /* borrows cfg and ct */
	taxonomy_release(&s->tx);
	content_release(&s->ct);
	cites_plan_release(&s->plan);
	outputs_put_scans_free(s->put_scans);
	urls_release(&s->urls);
	words_release(&s->words);
	config_release(&s->cfg);
	diag_release(&s->diags);
	linkcheck_free_list(s->external);
	free(s->content_dir);
	free(s->tpl_dir);
	free(s->lua_dir);
	free(s->out_dir);
	free(s->root);
	sink_free(s->sink);
	site_park_engines(s);
	pool_free(s->pool);
	sitefiles_unref(s->files);
	publish_close(&s->pub);
	memset(s, 0, sizeof *s);
}

/* Briefs render on the pool (pool.h): each slot's engines (engines.h) are
 * made when it first has a brief to render (a template engine
 * and a calc engine, each its own Lua state), so a build whose briefs all
 * come from the cache compiles no templates on other threads.
 * Diagnostics are kept per brief and merged in brief order, so output
 * never depends on timing. With a cache, the workers only read it; it gets
 * the results once they have all ended. */
struct briefs_run {
	struct site *s;
	struct diag_list *per_brief;
	atomic_int failed;
	atomic_size_t done;          /* briefs finished, for progress */
	pthread_mutex_t md_lock;     /* see md_parse(): cmark-gfm's inline table is global */
	const size_t *level;         /* the briefs (indices) of the level being rendered */
	/* with a cache, per brief: */
	struct buf *keys;            /* its inputs (build_cache_key) */
	int *reused;                 /* written from the cache */
	struct brief_result **fresh; /* what rendering kept; NULL when it failed */
};

static void render_one(void *ctx, size_t j, void **local)
{
	struct briefs_run *p = ctx;
	struct site *s = p->s;
	size_t i = p->level[j];
	const struct build_cache *c = s->opts.cache;
	struct brief *b = s->ct.briefs[i];
	struct brief_result *keep = NULL;
	const struct brief_result *kept = NULL;
	if (c) {
		/* a brief the scan reused has the key it had: not built again
		 * (unless it cites another, whose values are part of its key) */
		kept = b->reused && !b->ncites ? build_cache_find(c, b->slug, NULL) : NULL;
		if (!kept) {
			build_cache_key(b, s->cfg.nlangs, &p->keys[i]);
			kept = build_cache_find(c, b->slug, &p->keys[i]);
		}
		if (!kept)
			keep = p->fresh[i] = xcalloc(1, sizeof *keep);
	}
	if (kept) {
		p->reused[i] = 1;
		if (render_reuse(b, &s->cfg, kept, s->sink, &p->per_brief[i]) < 0)
			atomic_store(&p->failed, 1);
		if (b->reused) /* its files did not change either: said before */
			diag_mark_again(&p->per_brief[i], 0);
	} else {
		struct tpl *t = engines_tpl(local, &s->spec);
		/* only the theme changed: Markdown and calc are what they were */
		const struct brief_result *body = c && t ? build_cache_find_body(c, b->slug, &p->keys[i]) : NULL;
		struct calc_engine *ce = t && !body ? engines_calc(local, &s->spec) : NULL;
		int r = !t ? -1
		    : body ? render_retemplate(b, &s->cfg, t, body, s->sink, keep, &p->per_brief[i])
			   : render_brief(b, &s->cfg, t, ce, s->sink, &p->md_lock, keep, &p->per_brief[i]);
		if (r < 0) {
			atomic_store(&p->failed, 1);
			brief_result_free(keep);
			if (c)
				p->fresh[i] = NULL;
		} else if (!c) { /* `briefgen build`: nothing reads the Markdown again */
			content_drop_sources(b, s->cfg.nlangs);
		}
	}
	const struct build_opts *o = &s->opts;
	size_t d = atomic_fetch_add(&p->done, 1) + 1;
	if (o->progress)
		o->progress(o->progress_arg, d, s->ct.n);
}

static int render_all(struct site *s)
{
	size_t n = s->ct.n;
	struct build_cache *c = s->opts.cache;
	struct briefs_run p = { .s = s, .per_brief = xcalloc(n + 1, sizeof *p.per_brief) };
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
	/* level after level: a cited brief's values exist before its citers render */
	for (size_t l = 0; l < s->plan.nlevels; l++) {
		p.level = s->plan.order + s->plan.start[l];
		pool_run(s->pool, s->plan.start[l + 1] - s->plan.start[l], render_one, &p);
	}
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

static int render_special(struct site *s, struct tpl *t, const char *name, const char *rel)
{
	struct buf out = BUF_INIT;
	int r = tpl_render_special(t, name, s->cfg.def, &out, &s->diags);
	if (r == 0)
		r = write_page(s, rel, &out);
	buf_release(&out);
	return r;
}

/* A standalone page (content.h spages) in every language it has. */
static int render_spage(struct site *s, struct tpl *t, struct brief *sp)
{
	int r = 0;
	for (size_t l = 0; l < s->cfg.nlangs && r == 0; l++) {
		struct page *p = sp->pages[l];
		if (!p)
			continue;
		if (mdguard_check(p->body, p->body_len, p->file, p->body_line, &s->diags) < 0)
			return -1;
		struct md_doc *doc = md_parse(p->body, p->body_len, p->body_line, NULL);
		struct buf html = BUF_INIT, toc = BUF_INIT, out = BUF_INIT;
		md_render(doc, &html, &toc);
		md_free(doc);
		r = tpl_render_page(t, sp, l, html.ptr ? html.ptr : "", toc.len ? toc.ptr : NULL, &out, &s->diags);
		if (r == 0) {
			char *rel = xasprintf("%s/%s/index.html", s->cfg.langs[l].code, sp->slug);
			r = write_page(s, rel, &out);
			free(rel);
		}
		buf_release(&html);
		buf_release(&toc);
		buf_release(&out);
	}
	return r;
}

/* content/static/ is published as it is at the site's root (Hugo's
 * static/, Jekyll's assets/ after `briefgen import`): images and files
 * that pages link to by path. Links inside it are not followed (each is a
 * warning), so nothing outside the project is published and no loop can
 * be walked; a file that would take a page's place is the sink's error. */
static int copy_static(struct site *s, const char *dir, const char *rel, int depth)
{
	char **names = fs_list(dir);
	int r = 0;
	for (char **n = names; n && *n && r == 0; n++) {
		if ((*n)[0] == '.')
			continue;
		char *f = fs_join(dir, *n), *t = rel ? xasprintf("%s/%s", rel, *n) : xstrdup(*n);
		struct stat st;
		if (lstat(f, &st) < 0)
			r = diag_error(&s->diags, (struct srcpos){ f, 0, 0 }, "cannot read: %s", strerror(errno));
		else if (S_ISLNK(st.st_mode))
			diag_warning(&s->diags, (struct srcpos){ f, 0, 0 },
				     "a link is not published from static/: copy the file in instead");
		else if (S_ISDIR(st.st_mode) && depth >= 64)
			r = diag_error(&s->diags, (struct srcpos){ f, 0, 0 }, "static/ nests more than 64 folders deep");
		else if (S_ISDIR(st.st_mode))
			r = copy_static(s, f, t, depth + 1);
		else if (S_ISREG(st.st_mode))
			r = sink_copy(s->sink, t, f, &s->diags);
		free(f);
		free(t);
	}
	fs_list_free(names);
	return r;
}

static int copy_tree(struct site *s, const char *from, const char *to)
{
	char **names = fs_list(from);
	int r = 0;
	for (char **n = names; n && *n && r == 0; n++) {
		if ((*n)[0] == '.')
			continue;
		/* the search page's script, only where there is a search page */
		if (!s->cfg.search && !strcmp(to, "assets") && !strcmp(*n, "search.js"))
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

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Ends the current stage under name and starts the next. */
static void stage(struct site *s, const char *name)
{
	double w = clock_ms(CLOCK_MONOTONIC), c = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	if (name && s->nstages < sizeof s->stages / sizeof *s->stages)
		s->stages[s->nstages++] = (struct site_stage){ name, w - s->stage_wall, c - s->stage_cpu };
	s->stage_wall = w;
	s->stage_cpu = c;
}

/* The sitemap, the feeds' ids, og:url and robots.txt hold absolute URLs:
 * made from "/" they would be relative, which no reader of those files
 * accepts. A published build needs the site's address; the preview serves
 * from its own. */
static int need_base_url(struct site *s)
{
	struct diag_list *dl = &s->diags;
	if (s->opts.base_url)
		return config_set_base_url(&s->cfg, s->opts.base_url, (struct srcpos){ "--base-url", 0, 0 }, dl);
	if (s->cfg.base_url_set || !s->opts.need_base_url)
		return 0;
	char *file = fs_join(s->content_dir, "site.lua");
	int r = diag_error(dl, (struct srcpos){ file, 0, 0 },
			   s->cfg.file ? "no base_url: the sitemap, the feeds and og:url need the site's address; add "
					 "base_url = \"https://example.org/\" here, or pass --base-url URL"
				       : "no site configuration: the sitemap, the feeds and og:url need the site's "
					 "address; create this file with return { base_url = \"https://example.org/\" } "
					 "(briefgen new writes one), or pass --base-url URL");
	free(file);
	return r;
}

/* `briefgen check` reports every problem in one run: after a brief fails
 * to render, listings, feeds and the link check still run over the pages
 * that did. In place of each page that is missing goes a stand-in with no
 * content (nothing is published: check writes to a temporary folder), so
 * links to it and into it are not reported as broken too; when none of a
 * brief's pages went out, its files are copied as a build would. The
 * errors already recorded fail the check. */
static int stand_in_pages(struct site *s)
{
	struct strmap have = STRMAP_INIT;
	size_t n;
	const char **put = sink_paths(s->sink, &n);
	for (size_t i = 0; i < n; i++)
		strmap_put(&have, put[i], NULL);
	free(put);
	int r = 0;
	for (size_t i = 0; i < s->ct.n && r == 0; i++) {
		const struct brief *b = s->ct.briefs[i];
		int missing = 0, pages = 0;
		for (size_t k = 0; k < s->cfg.nlangs && r == 0; k++) {
			if (!b->pages[k])
				continue;
			pages++;
			char *rel = xasprintf("%s/briefs/%s/index.html", s->cfg.langs[k].code, b->slug);
			if (!strmap_find(&have, rel)) {
				char *html = xasprintf("<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
						       "<meta name=\"" LINKCHECK_STAND_IN "\" content=\"not rendered\">"
						       "<title>%s</title></head><body></body></html>\n",
						       s->cfg.langs[k].hreflang, b->slug);
				r = sink_put(s->sink, rel, html, strlen(html), b->pages[k]->file, &s->diags);
				free(html);
				missing++;
			}
			free(rel);
		}
		if (r == 0 && pages && missing == pages)
			r = render_assets(b, &s->cfg, s->sink, &s->diags);
	}
	strmap_release(&have);
	return r;
}

/* The site's numbers.json and numbers.csv read every brief's numbers
 * back (70 MB at 10 000 briefs): made on a thread of their own once the
 * briefs are rendered, beside the listings and feeds, as the search index
 * is (searchindex.c). They read the briefs' numbers alone, which nothing
 * changes after rendering. */
struct numbers_job {
	const struct config *cfg;
	struct content *ct;
	struct sink *sink;
	struct diag_list dl;
	int r, started, running;
	pthread_t thread;
};

static void *numbers_run(void *arg)
{
	struct numbers_job *j = arg;
	j->r = numbers_site(j->cfg, j->ct, j->sink, &j->dl);
	return NULL;
}

static void numbers_start(struct numbers_job *j, int background)
{
	j->dl = (struct diag_list)DIAG_LIST_INIT;
	j->started = 1;
	j->running = background && pthread_create(&j->thread, NULL, numbers_run, j) == 0;
	if (!j->running) /* no thread to be had: here and now */
		numbers_run(j);
}

static int numbers_finish(struct numbers_job *j, struct diag_list *dl)
{
	if (!j->started)
		return 0;
	if (j->running)
		pthread_join(j->thread, NULL);
	diag_move(dl, &j->dl);
	diag_release(&j->dl);
	return j->r;
}

static int build_steps(struct site *s)
{
	stage(s, NULL);
	struct diag_list *dl = &s->diags;
	if (!fs_is_dir(s->content_dir))
		return diag_error(dl, (struct srcpos){ s->content_dir, 0, 0 }, "no content folder here");
	/* Before anything is read, so that a file changed during the build
	 * makes the next build render again whatever may have read it. */
	if (s->opts.cache) {
		build_cache_begin(s->opts.cache, s->content_dir, s->tpl_dir, s->lua_dir, s->opts.drafts);
		s->seed = build_cache_seed(s->opts.cache);
	}
	if (config_load(&s->cfg, s->content_dir, dl) < 0)
		return -1;
	if (need_base_url(s) < 0)
		return -1;
	s->cfg.lint = s->opts.lint;
	urls_init(&s->urls, &s->cfg);
	int wr = words_load(&s->words, s->tpl_dir, &s->cfg, dl);
	stage(s, "configuration");
	int scan = content_scan(&s->ct, &s->cfg, &s->urls, s->content_dir, s->opts.drafts, s->opts.reuse,
				s->opts.jobs, dl);
	for (size_t i = 0; i < s->ct.n; i++) {
		const struct brief *b = s->ct.briefs[i];
		if (!b->dir)
			continue;
		size_t from = dl->n;
		for (size_t k = 0; k < s->cfg.nlangs; k++)
			if (!b->pages[k])
				diag_warning(dl, (struct srcpos){ b->dir, 0, 0 }, "brief '%s' has no '%s' translation",
					     b->slug, s->cfg.langs[k].code);
		if (b->reused)
			diag_mark_again(dl, from);
	}
	if (scan >= 0 && cites_plan(&s->ct, &s->plan, dl) < 0)
		scan = -1;
	stage(s, "content");
	/* Compile the templates once here first, so their errors are reported
	 * once; this engine is then the calling thread's slot's. */
	s->spec = (struct engines_spec){ s->tpl_dir, s->lua_dir, &s->cfg, &s->urls, &s->words, &s->ct };
	struct build_engines *kept = s->opts.cache ? s->opts.engines : NULL;
	struct tpl *t = NULL;
	if (kept && kept->pool && hash_eq(kept->seed, s->seed)) {
		/* the theme compiled with these inputs before, and said what it had to say */
		s->pool = kept->pool;
		kept->pool = NULL;
		for (int k = 0; k < pool_jobs(s->pool); k++)
			engines_rebind(*pool_local(s->pool, k), &s->spec);
		t = engines_tpl(pool_local(s->pool, 0), &s->spec);
	} else {
		t = tpl_new(s->tpl_dir, s->lua_dir, &s->cfg, &s->urls, &s->words, &s->ct, dl);
		if (t && scan >= 0 && wr >= 0) {
			s->pool = pool_new(s->opts.jobs, engines_free);
			engines_give_tpl(pool_local(s->pool, 0), t);
		}
	}
	if (!t || scan < 0 || wr < 0) {
		if (!s->pool)
			tpl_free(t);
		return -1;
	}
	s->sink = s->opts.memory ? sink_new_memory("preview", s->opts.prev) : sink_new(s->pub.staging, s->out_dir);
	/* The preview keeps its scans between builds (outputs_scans); with search
	 * on it scans as pages are put too, for the index, and the check takes
	 * those scans instead of parsing the pages again. */
	if (!s->opts.memory || s->cfg.search) {
		s->search = s->cfg.search ? search_index_new(&s->cfg, &s->ct) : NULL;
		s->put_scans = outputs_put_scans_new(s->search);
		sink_on_put(s->sink, outputs_put_scan, s->put_scans);
	}
	if (sink_put(s->sink, PUBLISH_MARKER, publish_marker_text, strlen(publish_marker_text), "briefgen",
		     dl) < 0)
		return -1;
	stage(s, "templates compiled");
	int r = render_all(s);
	if (r < 0 && s->opts.lint)
		r = stand_in_pages(s); /* the errors are said; the check goes on */
	stage(s, "briefs rendered");
	for (size_t i = 0; i < s->ct.n; i++)
		for (size_t k = 0; k < s->cfg.nlangs; k++)
			s->pages_written += s->ct.briefs[i]->pages[k] != NULL;
	/* Standalone pages next: with them every page the search indexes is
	 * in, and its index is merged and written while the rest is made. */
	for (size_t i = 0; r == 0 && i < s->ct.nspages; i++)
		r = render_spage(s, t, s->ct.spages[i]);
	struct search_writing *sw = NULL;
	if (r == 0 && s->search)
		sw = search_write_start(s->search, s->sink, pool_jobs(s->pool) > 1);
	struct numbers_job nj = { .cfg = &s->cfg, .ct = &s->ct, .sink = s->sink };
	if (r == 0)
		numbers_start(&nj, pool_jobs(s->pool) > 1);
	if (r == 0)
		r = taxonomy_build(&s->tx, &s->cfg, &s->urls, &s->ct, dl);
	stage(s, "taxonomy");
	struct listing_run lr = { s->pool, &s->spec, s->sink, s->opts.memo, s->seed };
	if (r == 0)
		r = listing_render_all(&lr, &s->cfg, &s->urls, &s->ct, &s->tx, &s->pages_written, dl);
	stage(s, "listing pages");
	if (r == 0)
		r = render_special(s, t, "404", "404.html");
	if (r == 0)
		r = render_special(s, t, "redirect", "index.html");
	for (size_t l = 0; r == 0 && s->cfg.search && l < s->cfg.nlangs; l++) {
		struct buf out = BUF_INIT;
		r = tpl_render_special(t, "search", l, &out, &s->diags);
		char *rel = xasprintf("%s/search/index.html", s->cfg.langs[l].code);
		if (r == 0)
			r = write_page(s, rel, &out);
		free(rel);
		buf_release(&out);
	}
	char *assets = fs_join(s->tpl_dir, "assets");
	if (r == 0 && fs_is_dir(assets))
		r = copy_tree(s, assets, "assets");
	free(assets);
	char *statics = fs_join(s->content_dir, "static");
	if (r == 0 && fs_is_dir(statics))
		r = copy_static(s, statics, NULL, 0);
	free(statics);
	if (r == 0)
		r = outputs_write(&s->cfg, &s->urls, &s->ct, &s->tx, s->sink, s->opts.memo, s->seed, dl);
	int nr = numbers_finish(&nj, dl); /* whatever happened meanwhile: it reads the content */
	if (r == 0)
		r = nr;
	int sr = search_write_finish(sw, dl); /* whatever happened meanwhile: it reads the content */
	if (r == 0)
		r = sr;
	/* The link check reads the finished tree: nothing of an earlier build
	 * may be left in it. */
	if (r == 0)
		r = sink_finish(s->sink, dl);
	stage(s, "special pages, assets, feeds, sitemap");
	if (r == 0 && s->opts.memory)
		s->files = sink_take_files(s->sink);
	if (r == 0) {
		size_t nput;
		const char **put = sink_paths(s->sink, &nput); /* the tree holds exactly these: no walk */
		struct outputs_links lo = {
			.c = &s->cfg, .ct = &s->ct, .dir = sink_dir(s->sink), .dir_files = put, .ndir_files = nput,
			.put_scans = s->put_scans,
			.files = s->files, .scans = s->opts.scans, .theme = s->tpl_dir, .jobs = s->opts.jobs,
			.external = s->opts.external ? &s->external : NULL,
		};
		r = outputs_check_links(&lo, dl);
		free(put);
	}
	stage(s, "link check");
	return r;
}

void build_engines_release(struct build_engines *e)
{
	pool_free(e->pool);
	e->pool = NULL;
}

int site_build(struct site *s)
{
	/* The output folder is checked before anything is read: a folder that
	 * must not be replaced is refused at once. */
	const char *protect[] = { s->content_dir, s->tpl_dir, s->lua_dir, NULL };
	int r = s->opts.memory ? 0 : publish_open(&s->pub, s->out_dir, s->root, protect, s->opts.force, &s->diags);
	if (r < 0) {
		s->refused = r == PUBLISH_REFUSED;
		return -1;
	}
	r = build_steps(s);
	int good = r == 0 && s->diags.errors == 0 && !(s->opts.strict && s->diags.warnings);
	if (s->opts.memory)
		r = good ? 0 : -1;
	else
		r = good ? publish_commit(&s->pub, &s->diags) : -1;
	if (!s->opts.memory)
		stage(s, "commit");
	if (r < 0) { /* a failed build has no files to show */
		sitefiles_unref(s->files);
		s->files = NULL;
	}
	publish_close(&s->pub);
	return r;
}

/* ---- the preview's patch ------------------------------------------------ */

/* More briefs than this in one change (a search and replace across the
 * site, a checkout) go the way of a full build, which renders on every
 * core; the patch renders on the calling thread. */
#define PATCH_MAX_BRIEFS 8

struct patched {
	size_t i;                  /* where it stands in s->ct */
	struct brief *b;           /* read again; taken by s->ct on success */
	struct brief_result *res;  /* what rendering it kept; taken by the cache */
	struct buf key;            /* its inputs (build_cache_key); taken by the cache */
	struct diag_list diags;    /* what reading and rendering it said */
};

struct patch_look {
	const struct sitefiles *files;
	const struct outputs_scans *scans;
};

/* The site as the last full check saw it: the same files, and pages whose
 * ids have not changed since (a patch keeps them so). */
static int look_file(void *ctx, const char *rel, const struct linkcheck_scan **scan)
{
	const struct patch_look *pl = ctx;
	if (!sitefiles_get(pl->files, rel))
		return 0;
	int found;
	*scan = linkcheck_is_page(rel) ? outputs_scans_get(pl->scans, rel, &found) : NULL;
	return 1;
}

static struct hash128 entry_hash(const struct config *c, const struct brief *b, size_t lang, int feed)
{
	struct hasher *h = hash_new();
	if (feed)
		feed_entry_hash(c, b, lang, h);
	else
		tpl_entry_hash(c, b, lang, h);
	return hash_done(h);
}

/* What other pages see of b is what they saw of old: every listing entry,
 * numbers.json's presence, and every page's ids, with no broken link among
 * its own. The feeds that carry b and show it differently are marked. */
static int unseen_change(struct site *s, const struct brief *old, const struct brief *b,
			 const struct brief_result *res, int *feeds)
{
	const struct config *c = &s->cfg;
	if (b->has_numbers != old->has_numbers)
		return 0;
	for (size_t l = 0; l < c->nlangs; l++)
		if (!hash_eq(entry_hash(c, old, l, 0), entry_hash(c, b, l, 0)))
			return 0;
	struct patch_look pl = { s->files, s->opts.scans };
	for (size_t l = 0; l < c->nlangs; l++) {
		const struct page *p = b->pages[l];
		if (!p)
			continue;
		if (!hash_eq(entry_hash(c, old, l, 1), entry_hash(c, b, l, 1)) && feed_carries(c, &s->ct, old, l))
			feeds[l] = 1;
		const struct blob *page = res->pages[l].file;
		char *rel = urls_file(p->url);
		int found, ok = 0;
		const struct linkcheck_scan *was = outputs_scans_get(s->opts.scans, rel, &found);
		if (page && found) {
			struct linkcheck_scan *now = linkcheck_scan_html(page->data, page->len);
			ok = linkcheck_scan_same_ids(was, now) &&
			     linkcheck_count_broken(c->base_url, rel, now, look_file, &pl) == 0;
			linkcheck_scan_free(now);
		}
		free(rel);
		if (!ok)
			return 0;
	}
	return 1;
}

/* b's parts of the site's numbers.json and numbers.csv are old's, byte
 * for byte (an edit of the prose, not of the model): those files, tens of
 * megabytes at 10 000 briefs, stay as they are. */
static int same_numbers(const struct brief *old, const struct brief *b)
{
	if (old->has_numbers != b->has_numbers)
		return 0;
	if (!b->has_numbers)
		return 1;
	return old->numbers && b->numbers && old->numbers_csv && b->numbers_csv &&
	       blob_same(old->numbers, b->numbers->data, b->numbers->len) &&
	       blob_same(old->numbers_csv, b->numbers_csv->data, b->numbers_csv->len);
}

static size_t warnings_of(const struct diag_list *a, const struct brief_result *r)
{
	return a->warnings + (r ? r->diags.warnings : 0);
}

int site_patch(struct site *s, const struct strmap *dirty, struct diag_list *said, size_t *dropped)
{
	*dropped = 0;
	struct build_cache *c = s->opts.cache;
	struct build_engines *eng = s->opts.engines;
	/* the search index holds every page's words: the full build remakes it */
	if (!c || !eng || !eng->pool || !s->files || !s->opts.scans || !hash_eq(eng->seed, s->seed) || !dirty->n ||
	    dirty->n > PATCH_MAX_BRIEFS || s->cfg.search)
		return 1;
	const size_t nl = s->cfg.nlangs;
	struct patched *v = xcalloc(dirty->n, sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < s->ct.n && m < dirty->n; i++)
		if (s->ct.briefs[i]->entry && strmap_find(dirty, s->ct.briefs[i]->entry))
			v[m++].i = i;
	int r = m == dirty->n ? 0 : 1; /* an entry that is new, or was no brief: the full build */
	void **local = pool_local(eng->pool, 0);
	engines_rebind(*local, &s->spec);
	struct tpl *t = r == 0 ? engines_tpl(local, &s->spec) : NULL;
	struct calc_engine *ce = t ? engines_calc(local, &s->spec) : NULL;
	r = t ? r : 1;
	struct sink *k = sink_new_memory("preview", s->files);
	pthread_mutex_t md_lock;
	pthread_mutex_init(&md_lock, NULL);
	int *feeds = xcalloc(nl, sizeof *feeds);
	for (size_t j = 0; j < m && r == 0; j++) {
		const struct brief *old = s->ct.briefs[v[j].i];
		struct diag_list *dl = &v[j].diags;
		v[j].b = content_reload(&s->ct, v[j].i, &s->cfg, &s->urls, s->content_dir, s->opts.drafts, dl);
		/* citations across briefs go the way of a full build, which orders them */
		if (!v[j].b || dl->errors || !content_same_outline(old, v[j].b, nl) || old->cited || old->ncites ||
		    cites_scan(v[j].b, nl)) {
			r = 1;
			break;
		}
		buf_init(&v[j].key);
		build_cache_key(v[j].b, nl, &v[j].key);
		int same = build_cache_find(c, old->slug, &v[j].key) != NULL;
		if (same) { /* its text is as it was (touched, or an asset edited) */
			content_brief_free(v[j].b, nl);
			v[j].b = NULL;
			diag_release(dl);
			if (render_assets(old, &s->cfg, k, dl) < 0)
				r = 1;
			continue;
		}
		v[j].res = xcalloc(1, sizeof *v[j].res);
		if (render_brief(v[j].b, &s->cfg, t, ce, k, &md_lock, v[j].res, dl) < 0 || dl->errors ||
		    !unseen_change(s, old, v[j].b, v[j].res, feeds))
			r = 1;
	}
	pthread_mutex_destroy(&md_lock);
	if (r == 0) { /* nothing fails from here on: the build takes the briefs */
		size_t rendered = 0;
		int numbers = 0; /* the site's numbers.json and .csv change */
		for (size_t j = 0; j < m; j++) {
			struct brief *old = s->ct.briefs[v[j].i], *b = v[j].b;
			if (!b)
				continue;
			rendered++;
			numbers |= !same_numbers(old, b);
			size_t was = warnings_of(&old->scan_diags, build_cache_find_body(c, old->slug, NULL));
			build_cache_replace(c, b->slug, &v[j].key, v[j].res);
			v[j].res = NULL;
			*dropped += was;
			diag_move(said, &v[j].diags);
			taxonomy_replace_brief(&s->tx, old, b);
			content_replace(&s->ct, v[j].i, b);
			v[j].b = NULL;
		}
		for (size_t l = 0; l < nl && r == 0; l++)
			if (feeds[l] && outputs_write_feed(&s->cfg, &s->urls, &s->ct, l, k, said) < 0)
				r = -1;
		if (r == 0 && numbers && numbers_site(&s->cfg, &s->ct, k, said) < 0)
			r = -1; /* the site's values, with the edited briefs' */
		struct sitefiles *changes = sink_take_files(k);
		struct sitefiles *next = r == 0 ? sitefiles_patch(s->files, changes) : NULL;
		sitefiles_unref(changes);
		if (next) {
			sitefiles_unref(s->files);
			s->files = next;
			sink_free(s->sink); /* the first build's, which held its files */
			s->sink = NULL;
			s->briefs_rendered = rendered;
			s->briefs_reused = s->ct.n - rendered;
		} else {
			r = -1;
		}
	}
	for (size_t j = 0; j < m; j++) {
		content_brief_free(v[j].b, nl);
		brief_result_free(v[j].res);
		buf_release(&v[j].key);
		diag_release(&v[j].diags);
	}
	free(feeds);
	free(v);
	sink_free(k);
	return r;
}
