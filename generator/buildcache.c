/* buildcache — reuse the rendering of unchanged briefs between preview builds. */
#include "buildcache.h"
#include "cites.h"
#include "fsutil.h"
#include "hash.h"
#include "template.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* One template file as the last build read it. */
struct tpl_ver {
	char *key;              /* "brief", "partials/meta" */
	struct buf bytes;
	unsigned long version;  /* changes whenever the bytes do; never 0 */
};

struct entry {
	char *slug;
	struct buf key;              /* build_cache_key() of the brief it was rendered from */
	struct brief_result *res;
	unsigned long *versions;     /* of res->templates, as they were read for that build */
	unsigned long theme;         /* c->theme when res->templates is NULL (unknown) */
};

struct build_cache {
	struct buf global;           /* the build-wide inputs of the last build */
	struct tpl_ver *tpls;        /* sorted by key */
	size_t ntpls;
	unsigned long counter;       /* the last version handed out */
	unsigned long theme;         /* a new version whenever any template changed */
	unsigned long global_ver;    /* a new version whenever the build-wide inputs changed */
	struct entry *entries;       /* sorted by slug */
	size_t n;
};

struct build_cache *build_cache_new(void)
{
	struct build_cache *c = xcalloc(1, sizeof *c);
	buf_init(&c->global);
	return c;
}

static void entry_release(struct entry *e)
{
	free(e->slug);
	buf_release(&e->key);
	brief_result_free(e->res);
	free(e->versions);
}

static void drop_entries(struct build_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_release(&c->entries[i]);
	free(c->entries);
	c->entries = NULL;
	c->n = 0;
}

static void drop_tpls(struct tpl_ver *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		buf_release(&v[i].bytes);
	}
	free(v);
}

void build_cache_free(struct build_cache *c)
{
	if (!c)
		return;
	drop_entries(c);
	drop_tpls(c->tpls, c->ntpls);
	buf_release(&c->global);
	free(c);
}

/* "path\n<size>\n<bytes>", or "path\n-\n" when it cannot be read. */
static void add_file(struct buf *k, const char *path)
{
	struct buf b = BUF_INIT;
	if (fs_read(path, &b) == 0) {
		buf_addf(k, "%s\n%zu\n", path, b.len);
		buf_add(k, b.ptr, b.len);
	} else {
		buf_addf(k, "%s\n-\n", path);
	}
	buf_release(&b);
}

/* Every file below dir, in sorted order; editors' droppings too, since
 * telling them apart is not worth a wrong page. */
static void add_tree(struct buf *k, const char *dir)
{
	char **names = fs_list(dir);
	for (char **n = names; n && *n; n++) {
		char *path = fs_join(dir, *n);
		if (fs_is_dir(path))
			add_tree(k, path);
		else
			add_file(k, path);
		free(path);
	}
	fs_list_free(names);
}

static int same(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && !memcmp(a->ptr, b->ptr, a->len);
}

static int cmp_tpl(const void *a, const void *b)
{
	return strcmp(((const struct tpl_ver *)a)->key, ((const struct tpl_ver *)b)->key);
}

static const struct tpl_ver *find_tpl(const struct build_cache *c, const char *key)
{
	struct tpl_ver probe = { .key = (char *)(uintptr_t)key };
	if (!c->ntpls)
		return NULL;
	return bsearch(&probe, c->tpls, c->ntpls, sizeof *c->tpls, cmp_tpl);
}

void build_cache_begin(struct build_cache *c, const char *content_dir, const char *tpl_dir,
		       const char *lua_dir, int drafts)
{
	struct buf g = BUF_INIT;
	buf_addf(&g, "drafts %d\ntemplates %s\nlua %s\n", drafts, tpl_dir, lua_dir);
	char *cfg = fs_join(content_dir, "site.lua");
	add_file(&g, cfg);
	free(cfg);
	/* standalone pages: every page's footer lists them */
	char *spages = fs_join(content_dir, "pages");
	add_tree(&g, spages);
	free(spages);
	add_tree(&g, lua_dir);
	char *i18n = fs_join(tpl_dir, "i18n");
	add_tree(&g, i18n);
	free(i18n);
	if (!same(&g, &c->global) || !c->global_ver) {
		drop_entries(c);
		c->global_ver = ++c->counter;
	}
	buf_release(&c->global);
	c->global = g;

	char **keys, **paths;
	tpl_sources(tpl_dir, &keys, &paths);
	size_t n = 0;
	while (keys[n])
		n++;
	struct tpl_ver *v = xcalloc(n + 1, sizeof *v);
	int changed = n != c->ntpls;
	for (size_t i = 0; i < n; i++) {
		v[i].key = keys[i];
		keys[i] = NULL;
		buf_init(&v[i].bytes);
		int readable = fs_read(paths[i], &v[i].bytes) == 0; /* else tpl_new says so */
		const struct tpl_ver *old = find_tpl(c, v[i].key);
		if (readable && old && same(&old->bytes, &v[i].bytes)) {
			v[i].version = old->version;
		} else {
			v[i].version = ++c->counter;
			changed = 1;
		}
	}
	fs_list_free(keys);
	fs_list_free(paths);
	qsort(v, n, sizeof *v, cmp_tpl);
	drop_tpls(c->tpls, c->ntpls);
	c->tpls = v;
	c->ntpls = n;
	if (changed || !c->theme)
		c->theme = ++c->counter;
}

void build_cache_key(const struct brief *b, size_t nlangs, struct buf *key)
{
	buf_addf(key, "%s\n%s\n%s\n%s\n%zu\n", b->slug, b->name, b->dir ? b->dir : "-", b->date_iso, nlangs);
	for (size_t i = 0; i < nlangs; i++) {
		const struct page *p = b->pages[i];
		if (!p) {
			buf_adds(key, "-\n");
			continue;
		}
		buf_addf(key, "%s\n%s\n%zu\n", p->file, p->url, p->src.len);
		buf_add(key, p->src.ptr, p->src.len);
	}
	/* what it takes from the briefs it cites: their values, addresses and
	 * titles (cites.h), which the plan made before this is asked */
	for (size_t c = 0; c < b->ncites; c++) {
		const struct brief *t = b->cites[c].target;
		buf_addf(key, "cites %s.%s\n", b->cites[c].slug, b->cites[c].name);
		for (size_t i = 0; t && i < nlangs; i++)
			if (t->pages[i])
				buf_addf(key, "%s\n%s\n", t->pages[i]->url, t->pages[i]->title ? t->pages[i]->title : "");
		if (t && t->exports)
			buf_add(key, t->exports->data, t->exports->len);
	}
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->slug, ((const struct entry *)b)->slug);
}

static struct entry *find_entry(const struct build_cache *c, const char *slug)
{
	struct entry probe = { .slug = (char *)(uintptr_t)slug };
	if (!c->n)
		return NULL;
	return bsearch(&probe, c->entries, c->n, sizeof *c->entries, cmp_entry);
}

const struct brief_result *build_cache_find(const struct build_cache *c, const char *slug,
					    const struct buf *key)
{
	const struct entry *e = find_entry(c, slug);
	if (!e || (key && !same(&e->key, key)))
		return NULL;
	if (!e->res->templates)
		return e->theme == c->theme ? e->res : NULL;
	for (size_t i = 0; e->res->templates[i]; i++) {
		const struct tpl_ver *t = find_tpl(c, e->res->templates[i]);
		if (!t || t->version != e->versions[i])
			return NULL;
	}
	return e->res;
}

const struct brief_result *build_cache_find_body(const struct build_cache *c, const char *slug,
						 const struct buf *key)
{
	const struct entry *e = find_entry(c, slug);
	return e && e->res && (!key || same(&e->key, key)) ? e->res : NULL;
}

/* e becomes the entry of a brief just rendered (key emptied, res taken). */
static void fill(const struct build_cache *c, struct entry *e, const char *slug, struct buf *key,
		 struct brief_result *res)
{
	e->slug = xstrdup(slug);
	e->key = *key;
	buf_init(key);
	e->res = res;
	size_t nt = 0;
	while (res->templates && res->templates[nt])
		nt++;
	e->versions = xcalloc(nt + 1, sizeof *e->versions);
	for (size_t k = 0; k < nt; k++) {
		const struct tpl_ver *t = find_tpl(c, res->templates[k]);
		e->versions[k] = t ? t->version : 0; /* 0 never matches */
	}
	e->theme = c->theme;
}

void build_cache_replace(struct build_cache *c, const char *slug, struct buf *key, struct brief_result *fresh)
{
	struct entry *e = find_entry(c, slug);
	if (!e) {
		c->entries = xrealloc(c->entries, (c->n + 1) * sizeof *c->entries);
		size_t at = 0;
		while (at < c->n && strcmp(c->entries[at].slug, slug) < 0)
			at++;
		memmove(&c->entries[at + 1], &c->entries[at], (c->n - at) * sizeof *c->entries);
		c->n++;
		e = &c->entries[at];
	} else {
		entry_release(e);
	}
	memset(e, 0, sizeof *e);
	fill(c, e, slug, key, fresh);
}

void build_cache_commit(struct build_cache *c, struct brief *const *briefs, size_t n,
			const int *reused, struct buf *keys, struct brief_result **fresh)
{
	struct entry *next = xcalloc(n + 1, sizeof *next);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		struct entry *e = &next[m];
		if (reused[i]) {
			struct entry *old = find_entry(c, briefs[i]->slug);
			if (!old || !old->res)
				continue;
			*e = *old;
			/* moved; old keeps a slug so that the array stays searchable */
			memset(old, 0, sizeof *old);
			old->slug = xstrdup(e->slug);
			buf_init(&old->key);
			m++;
		} else if (fresh[i]) {
			fill(c, e, briefs[i]->slug, &keys[i], fresh[i]);
			fresh[i] = NULL;
			m++;
		}
	}
	drop_entries(c);
	qsort(next, m, sizeof *next, cmp_entry);
	c->entries = next;
	c->n = m;
}

struct hash128 build_cache_seed(const struct build_cache *c)
{
	struct hasher *h = hash_new();
	hash_u64(h, c->global_ver);
	hash_u64(h, c->theme);
	return hash_done(h);
}
