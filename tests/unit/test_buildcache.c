/* buildcache: when a brief's earlier rendering is reused and when it is
 * not. Its own bytes, the build-wide inputs (site.lua, lua/, the theme's
 * i18n/, which folders, --drafts), and the version of each template it used;
 * a brief that recorded no templates depends on all of them. Also what
 * build_cache_commit keeps: reused entries, fresh ones, nothing for a failed
 * brief or a brief no longer in the build. */
#include "harness.h"
#include "fixture.h"
#include "buildcache.h"
#include "config.h"
#include "content.h"
#include "urls.h"
#include "diag.h"
#include "render.h"

#include <stdlib.h>

static const char *T;
static char *content_dir, *tpl_dir, *lua_dir;

struct build {
	struct config cfg;
	struct content ct;
	struct buf keys[8];
};

/* Starts a build as site.c does: begin, scan, a key per brief. */
static void start(struct build_cache *c, struct build *b, int drafts, const char *tpl)
{
	struct diag_list dl = DIAG_LIST_INIT;
	build_cache_begin(c, content_dir, tpl ? tpl : tpl_dir, lua_dir, drafts);
	if (config_load(&b->cfg, content_dir, &dl) < 0)
		abort();
	struct urls u;
	urls_init(&u, &b->cfg);
	if (content_scan(&b->ct, &b->cfg, &u, content_dir, drafts, NULL, 0, &dl) < 0 || b->ct.n > 8)
		abort();
	urls_release(&u);
	diag_release(&dl);
	for (size_t i = 0; i < b->ct.n; i++) {
		buf_init(&b->keys[i]);
		build_cache_key(b->ct.briefs[i], b->cfg.nlangs, &b->keys[i]);
	}
}

static void finish(struct build *b)
{
	for (size_t i = 0; i < b->ct.n; i++)
		buf_release(&b->keys[i]);
	content_release(&b->ct);
	config_release(&b->cfg);
}

static size_t slot(const struct build *b, const char *slug)
{
	for (size_t i = 0; i < b->ct.n; i++)
		if (!strcmp(b->ct.briefs[i]->slug, slug))
			return i;
	abort();
}

static const struct brief_result *found(const struct build_cache *c, const struct build *b, const char *slug)
{
	return build_cache_find(c, slug, &b->keys[slot(b, slug)]);
}

/* What rendering would keep: templates "a|b|" (NULL: not recorded). */
static struct brief_result *result(const char *templates)
{
	struct brief_result *r = calloc(1, sizeof *r);
	r->nlangs = 2;
	r->pages = calloc(2, sizeof *r->pages);
	if (templates) {
		size_t n = 0;
		r->templates = calloc(8, sizeof *r->templates);
		for (const char *p = templates; *p; p = strchr(p, '|') + 1)
			r->templates[n++] = strndup(p, (size_t)(strchr(p, '|') - p));
	}
	return r;
}

/* Ends a build: per brief, reuse what the cache has, else keep `fresh`
 * (NULL where the brief failed). */
static void commit(struct build_cache *c, struct build *b, struct brief_result **fresh)
{
	int reused[8] = { 0 };
	for (size_t i = 0; i < b->ct.n; i++)
		reused[i] = build_cache_find(c, b->ct.briefs[i]->slug, &b->keys[i]) != NULL;
	struct brief_result *fr[8] = { 0 };
	for (size_t i = 0; i < b->ct.n; i++)
		if (!reused[i])
			fr[i] = fresh[i];
		else
			brief_result_free(fresh[i]);
	build_cache_commit(c, b->ct.briefs, b->ct.n, reused, b->keys, fr);
	for (size_t i = 0; i < b->ct.n; i++)
		brief_result_free(fr[i]); /* what the cache did not take (none) */
}

/* One whole build: start, then commit fresh results for the briefs not
 * reused: "a" recorded base, brief and partials/meta, "b" recorded
 * nothing, "c" fails. The commit takes the keys: look the cache up in the
 * next build. */
static void build(struct build_cache *c, struct build *b)
{
	start(c, b, 0, NULL);
	struct brief_result *fresh[8] = { 0 };
	for (size_t i = 0; i < b->ct.n; i++) {
		const char *slug = b->ct.briefs[i]->slug;
		fresh[i] = !strcmp(slug, "a") ? result("base|brief|partials/meta|") : !strcmp(slug, "b") ? result(NULL) : NULL;
	}
	commit(c, b, fresh);
}

static void touch(const char *dir, const char *rel, const char *text)
{
	fix_write(dir, rel, text);
}

int main(void)
{
	char *tmp = fix_tmpdir();
	T = tmp;
	content_dir = fix_fmt("%s/content", T);
	tpl_dir = fix_fmt("%s/templates", T);
	lua_dir = fix_fmt("%s/lua", T);
	touch(content_dir, "briefs/2024-01-03-a/en.md", "---\ntitle: A\n---\na\n");
	touch(content_dir, "briefs/2024-01-02-b/en.md", "---\ntitle: B\n---\nb\n");
	touch(content_dir, "briefs/2024-01-01-c/zh.md", "---\ntitle: C\n---\nc\n");
	touch(content_dir, "site.lua", "return {}\n");
	touch(tpl_dir, "base.html", "base");
	touch(tpl_dir, "brief.html", "brief");
	touch(tpl_dir, "home.html", "home");
	touch(tpl_dir, "partials/meta.html", "meta");
	touch(tpl_dir, "i18n/en.lua", "return {}\n");
	touch(lua_dir, "template.lua", "return {}\n");

	struct build_cache *c = build_cache_new();
	struct build b;
	start(c, &b, 0, NULL);
	OK(!found(c, &b, "a") && !found(c, &b, "b"), "empty: nothing to reuse");
	struct brief_result *fresh[8] = { result("base|brief|partials/meta|"), result(NULL), NULL };
	/* briefs are newest first: a, b, c */
	OK(b.ct.n == 3 && slot(&b, "a") == 0 && slot(&b, "c") == 2, "set-up: three briefs in order");
	const struct brief_result *ra = fresh[0], *rb = fresh[1];
	commit(c, &b, fresh);
	OK(b.keys[0].len == 0, "commit: the key is taken");
	finish(&b);

	start(c, &b, 0, NULL);
	OK(found(c, &b, "a") == ra, "unchanged: a's result is reused");
	OK(found(c, &b, "b") == rb, "unchanged: b's result (no template record) is reused");
	OK(!found(c, &b, "c"), "a failed brief kept nothing");
	struct buf other = BUF_INIT;
	buf_add(&other, b.keys[0].ptr, b.keys[0].len);
	buf_addch(&other, ' ');
	OK(!build_cache_find(c, "a", &other), "key: one byte more is another brief");
	OK(!build_cache_find(c, "zzz", &b.keys[0]), "key: an unknown slug");
	buf_release(&other);
	commit(c, &b, (struct brief_result *[8]){ result("x|"), result("x|"), NULL });
	OK(found(c, &b, "a") == ra, "commit: a reused entry is kept as it was");
	finish(&b);

	/* a template a did not use */
	touch(tpl_dir, "home.html", "home, edited");
	start(c, &b, 0, NULL);
	OK(found(c, &b, "a") == ra, "home.html edited: a (which did not use it) is reused");
	OK(!found(c, &b, "b"), "home.html edited: b (no record) is rendered again");
	finish(&b);
	/* a new partial nobody used */
	build(c, &b);
	finish(&b);
	touch(tpl_dir, "partials/new.html", "new");
	start(c, &b, 0, NULL);
	OK(found(c, &b, "a") == ra, "a partial added: a is reused");
	OK(!found(c, &b, "b"), "a partial added: b is rendered again");
	finish(&b);
	/* a template a used */
	build(c, &b);
	finish(&b);
	touch(tpl_dir, "partials/meta.html", "meta, edited");
	start(c, &b, 0, NULL);
	OK(!found(c, &b, "a"), "partials/meta.html edited: a is rendered again");
	finish(&b);
	build(c, &b);
	finish(&b);
	start(c, &b, 0, NULL);
	OK(found(c, &b, "a") != NULL, "after rendering again: the new result is kept");
	finish(&b);
	/* changed, then changed back: still a change since the last build */
	touch(tpl_dir, "brief.html", "brief, edited");
	start(c, &b, 0, NULL);
	finish(&b);
	touch(tpl_dir, "brief.html", "brief");
	start(c, &b, 0, NULL);
	OK(!found(c, &b, "a"), "brief.html changed and changed back between builds: rendered again");
	finish(&b);
	/* a template removed */
	build(c, &b);
	finish(&b);
	char *meta = fix_fmt("%s/partials/meta.html", tpl_dir);
	unlink(meta);
	start(c, &b, 0, NULL);
	OK(!found(c, &b, "a"), "partials/meta.html removed: a is rendered again");
	finish(&b);
	touch(tpl_dir, "partials/meta.html", "meta");
	free(meta);

	/* the brief's own bytes */
	build(c, &b);
	finish(&b);
	touch(content_dir, "briefs/2024-01-03-a/en.md", "---\ntitle: A\n---\na, edited\n");
	start(c, &b, 0, NULL);
	OK(!found(c, &b, "a"), "a's file edited: a is rendered again");
	OK(found(c, &b, "b") != NULL, "a's file edited: b is reused");
	finish(&b);
	build(c, &b);
	finish(&b);
	touch(content_dir, "briefs/2024-01-03-a/zh.md", "---\ntitle: 甲\n---\n甲\n");
	start(c, &b, 0, NULL);
	OK(!found(c, &b, "a"), "a gains a translation: a is rendered again");
	finish(&b);

	/* build-wide inputs: each drops every entry */
	struct { const char *dir_name, *rel, *text, *name; } global[] = {
		{ "content", "site.lua", "return { page_size = 5 }\n", "site.lua edited" },
		{ "lua", "template.lua", "return { edited = true }\n", "a file of lua/ edited" },
		{ "lua", "numfmt.lua", "return {}\n", "a file added to lua/" },
		{ "templates", "i18n/en.lua", "return { x = 'y' }\n", "the theme's i18n edited" },
	};
	for (size_t i = 0; i < sizeof global / sizeof *global; i++) {
		build(c, &b);
		finish(&b);
		start(c, &b, 0, NULL);
		OK(found(c, &b, "a") && found(c, &b, "b"), "before '%s': both kept", global[i].name);
		finish(&b);
		const char *dir = !strcmp(global[i].dir_name, "content") ? content_dir
				  : !strcmp(global[i].dir_name, "lua")   ? lua_dir
									 : tpl_dir;
		touch(dir, global[i].rel, global[i].text);
		start(c, &b, 0, NULL);
		OK(!found(c, &b, "a") && !found(c, &b, "b"), "%s: nothing is reused", global[i].name);
		finish(&b);
	}
	build(c, &b);
	finish(&b);
	start(c, &b, 1, NULL);
	OK(!found(c, &b, "a") && !found(c, &b, "b"), "--drafts switched on: nothing is reused");
	finish(&b);
	build(c, &b);
	finish(&b);
	char *copy = fix_fmt("%s/other-theme", T);
	for (const char *const *f = (const char *const[]){ "base.html", "brief.html", "home.html", "partials/meta.html",
							"i18n/en.lua", NULL }; *f; f++) {
		char *s = fix_read(tpl_dir, *f);
		touch(copy, *f, s);
		free(s);
	}
	start(c, &b, 0, copy);
	OK(!found(c, &b, "a"), "another theme folder with the same bytes: nothing is reused");
	finish(&b);
	free(copy);

	/* a brief that left the build */
	build(c, &b);
	finish(&b);
	char *bdir = fix_fmt("%s/briefs/2024-01-02-b", content_dir);
	char *bfile = fix_fmt("%s/en.md", bdir);
	char *bsrc = fix_read(bdir, "en.md");
	unlink(bfile);
	rmdir(bdir);
	build(c, &b);
	finish(&b);
	touch(bdir, "en.md", bsrc);
	start(c, &b, 0, NULL);
	OK(!found(c, &b, "b"), "a brief deleted and restored: its old entry was dropped");
	finish(&b);
	free(bdir), free(bfile), free(bsrc);

	build_cache_free(c);
	free(content_dir), free(tpl_dir), free(lua_dir);
	fix_cleanup(tmp);
	return harness_done();
}
