/* linkcheck — internal links and anchors of the written site.
 *
 * Scanning reads each page's tokens (htmltok.h): the check needs only the
 * attributes of start tags, so no tree is built, and no depth limits what
 * is read.
 *
 * Checking is linear: the file set, each page's ids, the body links of a
 * page and the theme errors are hash sets (strmap); a page's broken links
 * are placed in its Markdown source together, in one pass per pattern. */
#include "linkcheck.h"
#include "fsutil.h"
#include "hash.h"
#include "pool.h"
#include "strmap.h"
#include "urls.h"
#include "xalloc.h"
#include "htmltok.h"
#include "utf8.h"


#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "banned.h"

/* ---- growable string lists ------------------------------------------ */

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_add(struct strs *s, char *owned)
{
	if (s->n + 1 >= s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = owned;
	s->v[s->n] = NULL;
}

static void strs_release(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void linkcheck_free_list(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

int linkcheck_is_page(const char *rel)
{
	return ends_with(rel, ".html");
}

/* ---- URLs ---------------------------------------------------------- */

/* When s starts with prefix (which ends in '/'), or with prefix less its
 * slash followed by the end, '?' or '#', returns what follows; else NULL. */
static const char *under(const char *s, const char *prefix)
{
	size_t pl = strlen(prefix);
	if (!strncmp(s, prefix, pl))
		return s + pl;
	if (pl && !strncmp(s, prefix, pl - 1) && strchr("?#", s[pl - 1])) /* '\0' matches too */
		return s + pl - 1;
	return NULL;
}

static size_t scheme_len(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' ? i : 0;
}

/* Path part of a base URL: "https://h/x/" -> "/x/". */
static const char *base_path(const char *base_url)
{
	const char *p = strstr(base_url, "://");
	p = p ? strchr(p + 3, '/') : base_url;
	return p && *p == '/' ? p : "/";
}

/* Normalizes a '/'-separated path (no leading '/'): drops "." and empty
 * segments, applies "..", keeps a trailing '/'. NULL when ".." climbs
 * above the root. Caller frees. */
static char *normalize(const char *p)
{
	struct buf out = BUF_INIT;
	size_t *starts = xcalloc(strlen(p) + 1, sizeof *starts);
	size_t depth = 0;
	int trailing = 0;
	while (*p) {
		size_t l = strcspn(p, "/");
		trailing = p[l] == '/';
		if (l == 0 || (l == 1 && p[0] == '.')) {
			trailing = 1;
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (!depth) {
				free(starts);
				buf_release(&out);
				return NULL;
			}
			buf_truncate(&out, starts[--depth]);
			trailing = 1;
		} else {
			starts[depth++] = out.len;
			buf_add(&out, p, l);
			buf_addch(&out, '/');
		}
		p += l + (p[l] == '/');
	}
	free(starts);
	if (out.len && !trailing)
		buf_truncate(&out, out.len - 1);
	return buf_detach(&out, NULL);
}

int linkcheck_resolve(const char *base_url, const char *rel, const char *link, char **path,
		      char **frag)
{
	*path = *frag = NULL;
	while (*link == ' ' || *link == '\t' || *link == '\n' || *link == '\r' || *link == '\f')
		link++;
	size_t n = strlen(link);
	while (n && strchr(" \t\n\r\f", link[n - 1]))
		n--;
	if (!n)
		return 0;
	char *v = xstrndup(link, n);
	const char *sitepath = NULL; /* path under the site root; NULL: relative to the page */
	if (scheme_len(v)) {
		if (!(sitepath = under(v, base_url))) {
			free(v);
			return 0; /* another site, or mailto:, data: ... */
		}
	} else if (v[0] == '/' && v[1] == '/') {
		const char *host = strstr(base_url, "//");
		if (!host || !(sitepath = under(v, host))) {
			free(v);
			return 0;
		}
	} else if (v[0] == '/') {
		if (!(sitepath = under(v, base_path(base_url)))) {
			free(v);
			return -1;
		}
	}
	const char *p = sitepath ? sitepath : v;
	size_t plen = strcspn(p, "?#");
	const char *hash = strchr(p, '#');
	if (hash)
		*frag = urls_pct_decode(hash + 1, strlen(hash + 1));
	struct buf joined = BUF_INIT;
	if (!sitepath) {
		const char *slash = strrchr(rel, '/');
		if (slash)
			buf_add(&joined, rel, (size_t)(slash - rel) + 1);
		if (plen == 0) /* "#x" or "?q": this very page */
			buf_adds(&joined, slash ? slash + 1 : rel);
	}
	char *dec = urls_pct_decode(p, plen);
	buf_adds(&joined, dec);
	free(dec);
	*path = normalize(joined.ptr);
	buf_release(&joined);
	free(v);
	if (!*path) {
		free(*frag);
		*frag = NULL;
		return -1;
	}
	return 1;
}

/* ---- scanning one page ---------------------------------------------- */

/* While a page is scanned: what its tags give, growing. */
struct scan_build {
	struct buf text;    /* the link values, each ending in '\0' */
	size_t *links;      /* where each link value starts in text */
	size_t nlinks, cap;
	struct strmap ids;  /* ids and <a name>s; no values */
	int any_id;         /* a stand-in for a page that did not render: every id counts */
};

/* A scanned page, frozen into one allocation: a build keeps one per page
 * until the check, and the growing form (hash table, slack) took three
 * times the room. */
struct linkcheck_scan {
	const char *text;   /* link values, then ids, each ending in '\0' */
	uint32_t *links;    /* offsets of the link values, in page order */
	uint32_t *ids;      /* offsets of the ids, sorted by id */
	uint32_t nlinks, nids;
	int any_id;
};

static void add_link(struct scan_build *s, const char *v, size_t n)
{
	if (s->nlinks == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->links = xrealloc(s->links, s->cap * sizeof *s->links);
	}
	s->links[s->nlinks++] = s->text.len;
	buf_add(&s->text, v, n);
	buf_addch(&s->text, '\0');
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct linkcheck_scan *scan_freeze(struct scan_build *b)
{
	const char **ids = xcalloc(b->ids.n + 1, sizeof *ids);
	size_t nids = 0, idbytes = 0;
	for (size_t i = 0; i < b->ids.cap; i++)
		if (b->ids.slots[i].key) {
			ids[nids++] = b->ids.slots[i].key;
			idbytes += strlen(b->ids.slots[i].key) + 1;
		}
	if (nids > 1)
		qsort(ids, nids, sizeof *ids, cmp_cstr);
	size_t head = sizeof(struct linkcheck_scan), offs = (b->nlinks + nids) * sizeof(uint32_t);
	char *mem = xmalloc(head + offs + b->text.len + idbytes + 1);
	struct linkcheck_scan *s = (struct linkcheck_scan *)(void *)mem;
	s->links = (uint32_t *)(void *)(mem + head);
	s->ids = s->links + b->nlinks;
	char *text = mem + head + offs;
	s->text = text;
	s->nlinks = (uint32_t)b->nlinks;
	s->nids = (uint32_t)nids;
	s->any_id = b->any_id;
	if (b->text.len)
		memcpy(text, b->text.ptr, b->text.len);
	for (size_t i = 0; i < b->nlinks; i++)
		s->links[i] = (uint32_t)b->links[i];
	size_t at = b->text.len;
	for (size_t i = 0; i < nids; i++) {
		size_t l = strlen(ids[i]) + 1;
		memcpy(text + at, ids[i], l);
		s->ids[i] = (uint32_t)at;
		at += l;
	}
	text[at] = '\0';
	free(ids);
	buf_release(&b->text);
	free(b->links);
	strmap_release(&b->ids);
	return s;
}

/* srcset="a.png 1x, b.png 2x": each candidate's URL. */
static void add_srcset(struct scan_build *s, const char *v)
{
	while (*v) {
		while (*v == ',' || isspace((unsigned char)*v))
			v++;
		size_t l = 0;
		while (v[l] && !isspace((unsigned char)v[l]))
			l++;
		if (!l)
			break;
		/* A URL may itself end in ',' when no descriptor follows. */
		size_t ul = l;
		while (ul && v[ul - 1] == ',')
			ul--;
		add_link(s, v, ul);
		v += l;
		while (*v && *v != ',')
			v++;
	}
}

struct scanner {
	struct scan_build *s;
	const struct linkcheck_hear *hear; /* or NULL */
};

static int is(const char *name, const char *want)
{
	return !strcmp(name, want);
}

/* The attributes a start tag is read for; the first four are links, in
 * the order they are reported. */
enum { A_HREF, A_SRC, A_POSTER, A_DATA, A_SRCSET, A_ID, A_NAME, A_REL, A_EQUIV, A_CONTENT, A_N };
static const char *const attr_names[A_N] = { "href", "src", "poster", "data", "srcset",
					     "id", "name", "rel", "http-equiv", "content" };

/* Which of attr_names a name is, else -1: by its first letter, since this
 * runs for every attribute of every page. */
static int attr_index(const char *a)
{
	static const signed char first[26] = {
		['c' - 'a'] = A_CONTENT + 1, ['d' - 'a'] = A_DATA + 1, ['h' - 'a'] = A_HREF + 1,
		['i' - 'a'] = A_ID + 1, ['n' - 'a'] = A_NAME + 1, ['p' - 'a'] = A_POSTER + 1,
		['r' - 'a'] = A_REL + 1, ['s' - 'a'] = A_SRC + 1,
	};
	if (*a < 'a' || *a > 'z' || !first[*a - 'a'])
		return -1;
	int k = first[*a - 'a'] - 1;
	if (!strcmp(a, attr_names[k]))
		return k;
	/* the two pairs that share a letter */
	if (k == A_SRC && !strcmp(a, "srcset"))
		return A_SRCSET;
	if (k == A_HREF && !strcmp(a, "http-equiv"))
		return A_EQUIV;
	return -1;
}

/* One start tag (htmltok.h: names in lowercase, the first of a repeated
 * attribute, "" for one without a value). The content of script and style
 * is raw text, so no tag in it comes here. */
static void on_start(void *ctx, const char *name, const char *const *atts)
{
	struct scanner *sc = ctx;
	if (sc->hear)
		sc->hear->start(sc->hear->ctx, name, atts);
	const char *v[A_N] = { 0 };
	for (const char *const *a = atts; a[0]; a += 2) {
		int k = attr_index(a[0]);
		if (k >= 0 && !v[k])
			v[k] = a[1];
	}
	struct scan_build *s = sc->s;
	if (v[A_ID])
		strmap_put(&s->ids, v[A_ID], NULL);
	if (v[A_NAME] && is(name, "a"))
		strmap_put(&s->ids, v[A_NAME], NULL);
	/* <link rel=preconnect> and dns-prefetch name hosts, not files. */
	const char *rel = v[A_REL];
	int hosts = rel && is(name, "link") && (strstr(rel, "preconnect") || strstr(rel, "dns-prefetch"));
	for (int k = A_HREF; k <= A_DATA && !hosts; k++)
		if (v[k])
			add_link(s, v[k], strlen(v[k]));
	if (v[A_SRCSET])
		add_srcset(s, v[A_SRCSET]);
	if (v[A_NAME] && is(name, "meta") && !strcmp(v[A_NAME], LINKCHECK_STAND_IN))
		s->any_id = 1;
	if (v[A_EQUIV] && v[A_CONTENT] && is(name, "meta") && !strcasecmp(v[A_EQUIV], "refresh")) {
		const char *u = strstr(v[A_CONTENT], "url=");
		if (!u)
			u = strstr(v[A_CONTENT], "URL=");
		if (u)
			add_link(s, u + 4, strlen(u + 4));
	}
}

static void on_end(void *ctx, const char *tag)
{
	struct scanner *sc = ctx;
	if (sc->hear)
		sc->hear->end(sc->hear->ctx, tag);
}

static void on_text(void *ctx, const char *s, size_t n)
{
	struct scanner *sc = ctx;
	sc->hear->text(sc->hear->ctx, s, n);
}

struct linkcheck_scan *linkcheck_scan_html(const char *html, size_t len)
{
	return linkcheck_scan_html_hear(html, len, NULL);
}

struct linkcheck_scan *linkcheck_scan_html_hear(const char *html, size_t len, const struct linkcheck_hear *hear)
{
	struct scan_build b = { .text = BUF_INIT, .ids = STRMAP_INIT };
	struct scanner sc = { &b, hear };
	/* text only when someone listens: the check needs none */
	struct htmltok_sink sink = { &sc, on_start, hear ? on_end : NULL, hear ? on_text : NULL };
	htmltok_read(html, len, &sink);
	return scan_freeze(&b);
}

void linkcheck_scan_free(struct linkcheck_scan *s)
{
	if (!s)
		return;
	free(s); /* one allocation */
}

size_t linkcheck_scan_nlinks(const struct linkcheck_scan *s)
{
	return s ? s->nlinks : 0;
}

const char *linkcheck_scan_link(const struct linkcheck_scan *s, size_t i)
{
	return s->text + s->links[i];
}

int linkcheck_scan_has_id(const struct linkcheck_scan *s, const char *id)
{
	if (!s)
		return 0;
	if (s->any_id)
		return 1;
	size_t lo = 0, hi = s->nids;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, s->text + s->ids[mid]);
		if (!c)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* ---- scanning the pages ----------------------------------------------- */

int linkcheck_read_file(void *dir, const char *rel, struct buf *out)
{
	char *path = fs_join(dir, rel);
	int r = fs_read(path, out);
	free(path);
	return r;
}

/* Pages are independent, so they are scanned on a pool; results land in
 * scans[i] by index, so nothing depends on which thread took which. */
/* What a thread scans with, kept in its pool slot: a parser context and a
 * buffer, made once per thread. */
struct scan_slot {
	struct buf b;
};

static void scan_slot_free(void *local)
{
	struct scan_slot *sl = local;
	if (!sl)
		return;
	buf_release(&sl->b);
	free(sl);
}

struct scan_run {
	const char *const *files;
	linkcheck_read_fn *read;
	void *ctx;
	struct linkcheck_scan **scans;
	char *failed;
};

static void scan_one(void *ctx, size_t i, void **local)
{
	struct scan_run *p = ctx;
	if (p->scans[i] || !linkcheck_is_page(p->files[i]))
		return;
	struct scan_slot *sl = *local;
	if (!sl) {
		sl = *local = xcalloc(1, sizeof *sl);
		buf_init(&sl->b);
	}
	buf_truncate(&sl->b, 0);
	if (p->read(p->ctx, p->files[i], &sl->b) < 0)
		p->failed[i] = 1;
	else
		p->scans[i] = linkcheck_scan_html(sl->b.ptr, sl->b.len);
}

int linkcheck_scan_pages(const char *const *files, size_t n, linkcheck_read_fn *read, void *ctx,
			 int jobs, struct linkcheck_scan **scans, struct diag_list *dl)
{
	struct scan_run p = { files, read, ctx, scans, xcalloc(n + 1, 1) };
	struct pool *pool = pool_new(jobs, scan_slot_free);
	pool_run(pool, n, scan_one, &p);
	pool_free(pool);
	int r = 0;
	for (size_t i = 0; i < n; i++)
		if (p.failed[i])
			r = diag_error(dl, (struct srcpos){ files[i], 0, 0 }, "cannot read page");
	free(p.failed);
	return r;
}

/* ---- placing broken links in the Markdown source ---------------------- */

/* Where a URL is written in a Markdown body: the first of "](url", "<url>",
 * "href=\"url", "]: url", then url alone, as file line and column. All the
 * broken URLs of a page are placed together: a trie of them is walked from
 * each place a pattern's prefix occurs, one pass over the source per
 * prefix, and lines and columns are counted in one more pass over the
 * sorted places. Searching URL by URL from the start cost the source's
 * length for every link. */
struct tnode {
	int child, next;  /* first child, next sibling; -1: none */
	int url;          /* the URL ending here, or -1 */
	unsigned char c;
};

struct trie {
	struct tnode *v;
	size_t n, cap;
};

static int trie_node(struct trie *t, unsigned char c)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n] = (struct tnode){ -1, -1, -1, c };
	return (int)t->n++;
}

static int trie_child(const struct trie *t, int at, unsigned char c)
{
	for (int k = t->v[at].child; k >= 0; k = t->v[k].next)
		if (t->v[k].c == c)
			return k;
	return -1;
}

static void trie_add(struct trie *t, const char *s, int url)
{
	int at = 0;
	for (; *s; s++) {
		int k = trie_child(t, at, (unsigned char)*s);
		if (k < 0) {
			k = trie_node(t, (unsigned char)*s);
			t->v[k].next = t->v[at].child;
			t->v[at].child = k;
		}
		at = k;
	}
	t->v[at].url = url;
}

struct place {
	const char *url;
	long long pos;  /* offset in the source, -1: not found */
	int line, col;
};

static int cmp_place(const void *a, const void *b)
{
	long long x = (*(struct place *const *)a)->pos, y = (*(struct place *const *)b)->pos;
	return (x > y) - (x < y);
}

static void locate_all(const struct linkcheck_page *pg, struct place *pl, size_t n)
{
	static const char *const pre[] = { "](", "<", "href=\"", "]: ", "" };
	const char *src = pg->src, *end = pg->src + pg->src_len;
	struct trie t = { 0 };
	trie_node(&t, 0);
	for (size_t i = 0; i < n; i++)
		trie_add(&t, pl[i].url, (int)i);
	size_t left = n;
	for (size_t k = 0; k < sizeof pre / sizeof *pre && left; k++) {
		size_t pl_len = strlen(pre[k]);
		for (const char *p = src; p < end && left; p++) {
			if (pl_len && !(p = memmem(p, (size_t)(end - p), pre[k], pl_len)))
				break;
			int at = 0;
			for (const char *q = p + pl_len; q < end; q++) {
				if ((at = trie_child(&t, at, (unsigned char)*q)) < 0)
					break;
				int u = t.v[at].url;
				if (u >= 0 && pl[u].pos < 0) {
					pl[u].pos = p + pl_len - src;
					left--;
				}
			}
		}
	}
	free(t.v);
	struct place **order = xcalloc(n + 1, sizeof *order);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (pl[i].pos >= 0)
			order[m++] = &pl[i];
	qsort(order, m, sizeof *order, cmp_place);
	int line = pg->src_line, col = 1;
	const char *p = src;
	for (size_t i = 0; i < m; i++) {
		const char *hit = src + order[i]->pos;
		utf8_advance(p, (size_t)(hit - p), &line, &col);
		p = hit;
		order[i]->line = line;
		order[i]->col = col;
	}
	free(order);
}

/* ---- the check ------------------------------------------------------- */

/* The page URL of an output path: "en/index.html" -> "/en/". */
static char *url_of(const char *rel)
{
	size_t l = strlen(rel);
	if (ends_with(rel, "/index.html") || !strcmp(rel, "index.html"))
		return xasprintf("/%.*s", (int)(l - 10), rel);
	return xasprintf("/%s", rel);
}

struct entry {
	const char *rel;
	const struct linkcheck_scan *scan;
	int page;  /* a .html file */
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->rel, ((const struct entry *)b)->rel);
}

static const struct entry *find(const struct strmap *files, const char *rel)
{
	const struct strmap_slot *s = strmap_find(files, rel);
	return s ? s->value : NULL;
}

struct broken {
	const char *value;  /* borrowed from the page's scan */
	char *msg;
	size_t place;       /* + 1 into the page's places; 0: from the theme */
};

/* Theme errors are reported once per link; later pages only count. */
struct theme_err {
	size_t diag;  /* index of its error in the list */
	size_t more;  /* further pages with the same broken link */
};

struct checker {
	const struct linkcheck_site *s;
	struct strmap files;   /* rel -> struct entry */
	struct strmap pages;   /* rel -> struct linkcheck_page */
	struct strmap theme;   /* link value -> struct theme_err */
	struct strmap ext;     /* off-site links; NULL when not asked for */
	int want_ext;
	struct diag_list *dl;
	struct strmap *consulted; /* with a memo: the files the page being checked looked for */
	linkcheck_look_fn *look;  /* when set, the site's files are known through it, not files */
	void *look_ctx;
	struct entry found;       /* what look last found */
	char *found_rel;
	struct strmap resolved;   /* link value -> struct resolved: links that mean the same on every page */
};

/* A link resolved (linkcheck_resolve), with the file a folder link names.
 * A site's pages share most of their links (the masthead's, the listings'
 * and the tag links are the same on every page), and resolving is a few
 * allocations and a decoding: links that do not depend on the page they
 * are on (site-absolute, or with a scheme) are resolved once a check. */
struct resolved {
	int kind;
	char *path, *frag;
	char *index; /* path + "index.html" or path + "/index.html"; NULL when path names a file */
};

static void resolved_free(struct resolved *r)
{
	free(r->path);
	free(r->frag);
	free(r->index);
}

static void resolve(const char *base_url, const char *rel, const char *v, struct resolved *r)
{
	r->kind = linkcheck_resolve(base_url, rel, v, &r->path, &r->frag);
	r->index = NULL;
	if (r->kind > 0) {
		size_t pl = strlen(r->path);
		r->index = xasprintf(!pl || r->path[pl - 1] == '/' ? "%sindex.html" : "%s/index.html", r->path);
	}
}

static void resolved_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].value) {
			resolved_free(m->slots[i].value);
			free(m->slots[i].value);
		}
	strmap_release(m);
}

/* Whether v means the same on every page: "/x", or "scheme:". */
static int page_independent(const char *v)
{
	return (v[0] == '/' && v[1] != '/') || scheme_len(v);
}

/* A file looked for, found or not: what a page's result depends on. */
static const struct entry *look(struct checker *c, const char *rel)
{
	if (c->consulted)
		strmap_put(c->consulted, rel, NULL);
	if (!c->look)
		return find(&c->files, rel);
	const struct linkcheck_scan *scan = NULL;
	if (!c->look(c->look_ctx, rel, &scan))
		return NULL;
	free(c->found_rel);
	c->found_rel = xstrdup(rel);
	c->found = (struct entry){ c->found_rel, scan, linkcheck_is_page(rel) };
	return &c->found;
}

/* Why link v on page e is broken, or NULL when it is not. */
static char *why_broken(struct checker *c, const struct entry *e, const char *v)
{
	struct resolved own = { 0 }, *r = &own;
	const struct entry *target = NULL;
	const char *frag;
	size_t vl = strlen(v);
	if (v[0] == '#' && !strchr(" \t\n\r\f", v[vl - 1])) {
		/* "#id": this very page (calculation tables link their rows by
		 * the dozen), without resolving it: only the id to decode */
		own.kind = 1;
		own.frag = strchr(v, '%') ? urls_pct_decode(v + 1, vl - 1) : NULL;
		frag = own.frag ? own.frag : v + 1;
		target = look(c, e->rel);
	} else {
		if (page_independent(v)) {
			int added;
			struct strmap_slot *slot = strmap_put(&c->resolved, v, &added);
			if (added) {
				slot->value = xcalloc(1, sizeof *r);
				resolve(c->s->base_url, e->rel, v, slot->value);
			}
			r = slot->value;
		} else {
			resolve(c->s->base_url, e->rel, v, &own);
		}
		frag = r->frag;
		if (r->kind > 0) { /* a folder's index.html, or the file and then the folder */
			size_t pl = strlen(r->path);
			if (!pl || r->path[pl - 1] == '/')
				target = look(c, r->index);
			else if (!(target = look(c, r->path)))
				target = look(c, r->index);
		}
	}
	char *why = NULL;
	if (r->kind == 0) {
		if (c->want_ext && (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8)))
			strmap_put(&c->ext, v, NULL);
	} else if (r->kind < 0) {
		why = v[0] == '/' && v[1] != '/'
			      ? xasprintf("outside the site's base path '%s'", base_path(c->s->base_url))
			      : xstrdup("outside the site");
	} else if (!target) {
		why = xstrdup("");
	} else if (frag && *frag && strcmp(frag, "top") && target->page &&
		   !linkcheck_scan_has_id(target->scan, frag)) {
		char *turl = url_of(target->rel);
		why = !strcmp(target->rel, e->rel) ? xasprintf("no id '%s' on this page", frag)
				  : xasprintf("no id '%s' on '%s'", frag, turl);
		free(turl);
	}
	if (r == &own)
		resolved_free(&own);
	return why;
}


/* What checking one page found: its broken links, each placed in the
 * page's source file (file set) or the theme's (file NULL). */
struct found {
	char *value, *msg;
	const char *file;   /* borrowed from the site's pages; NULL: the theme */
	int line, col;
};

struct result {
	struct found *v;
	size_t n;
};

static void result_release(struct result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].value);
		free(r->v[i].msg);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* A page whose build let go of its Markdown (content_drop_sources): the
 * file read again, as pg with src in place, when its body is still what
 * was rendered (the same hash); else pg as it is (no lines named). */
static const struct linkcheck_page *with_source(const struct linkcheck_page *pg, struct linkcheck_page *copy,
						struct buf *text)
{
	if (pg->src || !pg->file || fs_read(pg->file, text) < 0 || text->len < pg->src_off)
		return pg;
	struct hasher *h = hash_new();
	hash_bytes(h, text->ptr + pg->src_off, text->len - pg->src_off);
	if (!hash_eq(hash_done(h), pg->src_hash))
		return pg;
	*copy = *pg;
	copy->src = text->ptr + pg->src_off;
	copy->src_len = text->len - pg->src_off;
	return copy;
}

static void check_page(struct checker *c, const struct entry *e, struct result *res)
{
	const struct strmap_slot *ps = strmap_find(&c->pages, e->rel);
	const struct linkcheck_page *pg = ps ? ps->value : NULL;
	char *page_url = pg ? xstrdup(pg->url) : url_of(e->rel);
	struct broken *bad = NULL;
	size_t nbad = 0, cap = 0;
	for (size_t j = 0; j < linkcheck_scan_nlinks(e->scan); j++) {
		const char *v = linkcheck_scan_link(e->scan, j);
		char *why = why_broken(c, e, v);
		if (!why)
			continue;
		if (nbad == cap) {
			cap = cap ? 2 * cap : 8;
			bad = xrealloc(bad, cap * sizeof *bad);
		}
		struct buf msg = BUF_INIT;
		buf_addf(&msg, "broken link '%s' on page '%s'", v, page_url);
		if (*why)
			buf_addf(&msg, ": %s", why);
		free(why);
		bad[nbad++] = (struct broken){ v, buf_detach(&msg, NULL), 0 };
	}
	/* A link written in the page's body is the source file's: the body is
	 * scanned only for a page with a broken link. */
	struct place *places = NULL;
	size_t nplaces = 0;
	struct linkcheck_page reread;
	struct buf text = BUF_INIT;
	if (nbad && pg && pg->body) {
		struct linkcheck_scan *body = linkcheck_scan_html(pg->body, strlen(pg->body));
		struct strmap in_body = STRMAP_INIT, seen = STRMAP_INIT;
		for (size_t j = 0; j < body->nlinks; j++)
			strmap_put(&in_body, linkcheck_scan_link(body, j), NULL);
		places = xcalloc(nbad, sizeof *places);
		for (size_t j = 0; j < nbad; j++) {
			if (!strmap_find(&in_body, bad[j].value))
				continue;
			int added;
			struct strmap_slot *slot = strmap_put(&seen, bad[j].value, &added);
			if (added) {
				places[nplaces] = (struct place){ bad[j].value, -1, 0, 0 };
				slot->value = (void *)(uintptr_t)++nplaces;
			}
			bad[j].place = (uintptr_t)slot->value;
		}
		if (nplaces)
			pg = with_source(pg, &reread, &text);
		if (nplaces && pg->src)
			locate_all(pg, places, nplaces);
		strmap_release(&seen);
		strmap_release(&in_body);
		linkcheck_scan_free(body);
	}
	res->v = nbad ? xcalloc(nbad, sizeof *res->v) : NULL;
	res->n = nbad;
	/* the same broken link again: at its next place in the source, after
	 * the one before (each place reported at its own line) */
	long long *last = nplaces ? xcalloc(nplaces, sizeof *last) : NULL;
	for (size_t j = 0; j < nbad; j++) {
		struct found *f = &res->v[j];
		f->value = xstrdup(bad[j].value);
		f->msg = bad[j].msg;
		if (bad[j].place) {
			const struct place *p = &places[bad[j].place - 1];
			long long *prev = &last[bad[j].place - 1];
			f->file = pg->file;
			f->line = p->line;
			f->col = p->col;
			if (p->pos >= 0 && *prev == 0) {
				*prev = p->pos + 1;
			} else if (p->pos >= 0) {
				size_t ul = strlen(p->url);
				const char *from = pg->src + *prev, *end = pg->src + pg->src_len;
				const char *hit = from < end ? memmem(from, (size_t)(end - from), p->url, ul) : NULL;
				if (hit) {
					int line = pg->src_line, col = 1;
					utf8_advance(pg->src, (size_t)(hit - pg->src), &line, &col);
					f->line = line;
					f->col = col;
					*prev = hit - pg->src + 1;
				}
			}
		}
	}
	free(last);
	free(places);
	free(bad);
	free(page_url);
	buf_release(&text);
}

static void report(struct checker *c, const struct result *res)
{
	for (size_t j = 0; j < res->n; j++) {
		const struct found *f = &res->v[j];
		if (f->file) {
			diag_add(c->dl, DIAG_ERROR, (struct srcpos){ f->file, f->line, f->col }, f->msg);
			continue;
		}
		int added;
		struct strmap_slot *slot = strmap_put(&c->theme, f->value, &added);
		if (!added) {
			((struct theme_err *)slot->value)->more++;
			continue;
		}
		struct theme_err *t = xmalloc(sizeof *t);
		*t = (struct theme_err){ c->dl->n, 0 };
		slot->value = t;
		diag_add(c->dl, DIAG_ERROR, (struct srcpos){ c->s->theme, 0, 0 }, f->msg);
	}
}

/* ---- the preview's memory of checks ------------------------------------ */

/* Per page: the result, what it was made from (its scan, its source's
 * fingerprint) and the files it looked for. Per file: the pages that
 * looked for it (found or not), and the scan it had. A page is checked
 * again when it changed, or when a file it looked for appeared, went
 * away or was scanned again (its ids may differ). */
struct memo_page {
	const struct linkcheck_scan *scan;
	struct hash128 source;
	struct result res;
	char **consulted;
	size_t nconsulted;
};

struct linkcheck_memo {
	struct strmap pages;   /* rel -> struct memo_page */
	struct strmap files;   /* rel -> the scan it had (or a mark for a file that is no page) */
	struct strmap lookers; /* rel -> struct strmap of page rels */
	char *base_url;
	size_t checked, reused; /* of the last check */
};

struct linkcheck_memo *linkcheck_memo_new(void)
{
	return xcalloc(1, sizeof(struct linkcheck_memo));
}

static void memo_page_free(struct memo_page *p)
{
	result_release(&p->res);
	for (size_t i = 0; i < p->nconsulted; i++)
		free(p->consulted[i]);
	free(p->consulted);
	free(p);
}

static void memo_clear(struct linkcheck_memo *m)
{
	for (size_t i = 0; i < m->pages.cap; i++)
		if (m->pages.slots[i].key)
			memo_page_free(m->pages.slots[i].value);
	for (size_t i = 0; i < m->lookers.cap; i++)
		if (m->lookers.slots[i].key) {
			strmap_release(m->lookers.slots[i].value);
			free(m->lookers.slots[i].value);
		}
	strmap_release(&m->pages);
	strmap_release(&m->files);
	strmap_release(&m->lookers);
	free(m->base_url);
	m->base_url = NULL;
}

void linkcheck_memo_free(struct linkcheck_memo *m)
{
	if (!m)
		return;
	memo_clear(m);
	free(m);
}

void linkcheck_memo_stats(const struct linkcheck_memo *m, size_t *checked, size_t *reused)
{
	*checked = m->checked;
	*reused = m->reused;
}

static struct hash128 source_of(const struct linkcheck_page *pg)
{
	struct hasher *h = hash_new();
	hash_str(h, pg ? pg->url : NULL);
	hash_str(h, pg ? pg->file : NULL);
	hash_u64(h, pg ? (uint64_t)pg->src_line : 0);
	hash_u64(h, pg && pg->src ? 1 : 0);
	hash_u64(h, pg && pg->body ? 1 : 0);
	if (pg) {
		hash_h128(h, pg->src_hash);
		hash_h128(h, pg->body_hash);
	}
	return hash_done(h);
}

static const char no_page[] = "";

/* The files whose state changed since the last check: those that appeared,
 * went away, or hold another scan. Marks every page that looked for one. */
static void mark_lookers(const struct linkcheck_memo *m, const char *rel, struct strmap *stale)
{
	const struct strmap_slot *who = strmap_find(&m->lookers, rel);
	const struct strmap *w = who ? who->value : NULL;
	for (size_t k = 0; w && k < w->cap; k++)
		if (w->slots[k].key)
			strmap_put(stale, w->slots[k].key, NULL);
}

/* The memo's files are updated in place: a preview rebuild changes a few
 * of thousands, so it costs a lookup per file, not a new map. */
static void mark_stale(struct linkcheck_memo *m, const struct entry *files, size_t n, const struct strmap *now,
		       struct strmap *stale)
{
	for (size_t i = 0; i < n; i++) {
		const void *state = files[i].page ? (const void *)files[i].scan : no_page;
		int added;
		struct strmap_slot *was = strmap_put(&m->files, files[i].rel, &added);
		if (!added && was->value == state)
			continue;
		was->value = (void *)state;
		mark_lookers(m, files[i].rel, stale);
	}
	if (m->files.n == n)
		return; /* every file the memo knows is here: none went away */
	struct strmap gone = STRMAP_BORROWED;
	for (size_t i = 0; i < m->files.cap; i++) {
		const char *rel = m->files.slots[i].key;
		if (rel && !strmap_find(now, rel)) {
			mark_lookers(m, rel, stale);
			strmap_put(&gone, rel, NULL);
		}
	}
	const char **g = strmap_sorted_keys(&gone);
	strmap_release(&gone);
	for (const char **r = g; *r; r++) {
		char *copy = xstrdup(*r); /* the key dies with its slot */
		strmap_del(&m->files, copy, NULL);
		free(copy);
	}
	free(g);
}

static void forget_lookups(struct linkcheck_memo *m, const char *page, const struct memo_page *p)
{
	for (size_t i = 0; i < p->nconsulted; i++) {
		struct strmap_slot *who = strmap_find(&m->lookers, p->consulted[i]);
		if (who)
			strmap_del(who->value, page, NULL);
	}
}

static void keep(struct linkcheck_memo *m, const char *page, struct memo_page *p, struct strmap *consulted)
{
	p->nconsulted = consulted->n;
	p->consulted = xcalloc(consulted->n + 1, sizeof *p->consulted);
	size_t k = 0;
	for (size_t i = 0; i < consulted->cap; i++) {
		const char *rel = consulted->slots[i].key;
		if (!rel)
			continue;
		p->consulted[k++] = xstrdup(rel);
		struct strmap_slot *who = strmap_put(&m->lookers, rel, NULL);
		if (!who->value)
			who->value = xcalloc(1, sizeof(struct strmap));
		strmap_put(who->value, page, NULL);
	}
}

int linkcheck_check(const struct linkcheck_site *s, struct linkcheck_memo *memo, char ***external,
		    struct diag_list *dl)
{
	struct checker c = { .s = s, .files = STRMAP_BORROWED, .pages = STRMAP_BORROWED, .theme = STRMAP_INIT,
			     .ext = STRMAP_INIT, .want_ext = external != NULL, .dl = dl };
	size_t errors = dl->errors;
	struct entry *files = xcalloc(s->nfiles + 1, sizeof *files);
	for (size_t i = 0; i < s->nfiles; i++) {
		int page = linkcheck_is_page(s->files[i]);
		files[i] = (struct entry){ s->files[i], page ? s->scans[i] : NULL, page };
	}
	qsort(files, s->nfiles, sizeof *files, cmp_entry);
	for (size_t i = 0; i < s->nfiles; i++)
		strmap_put(&c.files, files[i].rel, NULL)->value = &files[i];
	for (size_t i = 0; i < s->npages; i++) {
		struct strmap_slot *slot = strmap_put(&c.pages, s->pages[i].rel, NULL);
		if (!slot->value)
			slot->value = (void *)&s->pages[i];
	}
	struct strmap stale = STRMAP_BORROWED;
	if (memo && (external || !memo->base_url || strcmp(memo->base_url, s->base_url))) {
		memo_clear(memo); /* another base, or the off-site links wanted: check everything */
		memo->base_url = xstrdup(s->base_url);
	}
	if (memo) {
		memo->checked = memo->reused = 0;
		mark_stale(memo, files, s->nfiles, &c.files, &stale);
	}
	for (size_t i = 0; i < s->nfiles; i++) {
		if (!files[i].page)
			continue;
		const char *rel = files[i].rel;
		if (!memo) {
			struct result res = { 0 };
			check_page(&c, &files[i], &res);
			report(&c, &res);
			result_release(&res);
			continue;
		}
		const struct strmap_slot *ps = strmap_find(&c.pages, rel);
		struct hash128 source = source_of(ps ? ps->value : NULL);
		struct strmap_slot *slot = strmap_put(&memo->pages, rel, NULL);
		struct memo_page *p = slot->value;
		if (p && p->scan == files[i].scan && hash_eq(p->source, source) && !strmap_find(&stale, rel)) {
			memo->reused++;
		} else {
			if (p) {
				forget_lookups(memo, rel, p);
				memo_page_free(p);
			}
			p = slot->value = xcalloc(1, sizeof *p);
			p->scan = files[i].scan;
			p->source = source;
			struct strmap consulted = STRMAP_INIT;
			c.consulted = &consulted;
			check_page(&c, &files[i], &p->res);
			c.consulted = NULL;
			keep(memo, rel, p, &consulted);
			strmap_release(&consulted);
			memo->checked++;
		}
		report(&c, &p->res);
	}
	if (memo && memo->pages.n > memo->checked + memo->reused) { /* pages that are gone */
		struct strmap gone = STRMAP_BORROWED;
		for (size_t i = 0; i < memo->pages.cap; i++) {
			const char *rel = memo->pages.slots[i].key;
			const struct strmap_slot *f = rel ? strmap_find(&c.files, rel) : NULL;
			if (rel && !(f && ((const struct entry *)f->value)->page))
				strmap_put(&gone, rel, NULL);
		}
		const char **g = strmap_sorted_keys(&gone);
		strmap_release(&gone);
		for (const char **r = g; *r; r++) {
			char *rel = xstrdup(*r); /* the key dies with its slot */
			void *p;
			strmap_del(&memo->pages, rel, &p);
			forget_lookups(memo, rel, p);
			memo_page_free(p);
			free(rel);
		}
		free(g);
	}
	strmap_release(&stale);
	/* "and on N more pages" goes into the theme error itself, so the list
	 * stays one line per problem. */
	for (size_t i = 0; i < c.theme.cap; i++) {
		struct theme_err *t = c.theme.slots[i].value;
		if (t && t->more) {
			struct diag *dg = &dl->items[t->diag];
			char *m = xasprintf("%s (and on %zu more page%s)", dg->msg, t->more, t->more == 1 ? "" : "s");
			free(dg->msg);
			dg->msg = m;
		}
		free(t);
	}
	if (external) {
		const char **keys = strmap_sorted_keys(&c.ext);
		char **list = xcalloc(c.ext.n + 1, sizeof *list);
		for (size_t i = 0; i < c.ext.n; i++)
			list[i] = xstrdup(keys[i]);
		free(keys);
		*external = list;
	}
	strmap_release(&c.ext);
	resolved_release(&c.resolved);
	strmap_release(&c.theme);
	strmap_release(&c.pages);
	strmap_release(&c.files);
	free(files);
	return dl->errors > errors ? -1 : 0;
}

/* ---- over a written folder ------------------------------------------- */

/* Every file under dir (site-relative paths), recursively. */
static void walk(const char *dir, const char *rel, struct strs *files)
{
	char *full = rel ? fs_join(dir, rel) : xstrdup(dir);
	char **names = fs_list(full);
	for (char **n = names; n && *n; n++) {
		char *r = rel ? xasprintf("%s/%s", rel, *n) : xstrdup(*n);
		char *p = fs_join(dir, r);
		if (fs_is_dir(p))
			walk(dir, r, files);
		else
			strs_add(files, xstrdup(r));
		free(p);
		free(r);
	}
	fs_list_free(names);
	free(full);
}

int linkcheck_run(const struct linkcheck_opts *o, char ***external, struct diag_list *dl)
{
	struct strs walked = { 0 };
	const char **files;
	size_t n;
	if (o->files) {
		n = o->nfiles;
		files = xcalloc(n + 1, sizeof *files);
		memcpy(files, o->files, n * sizeof *files);
	} else {
		walk(o->dir, NULL, &walked);
		n = walked.n;
		files = xcalloc(n + 1, sizeof *files);
		memcpy(files, walked.v, n * sizeof *files);
	}
	/* "cannot read page" errors come in path order too. */
	qsort(files, n, sizeof *files, cmp_str);
	struct linkcheck_scan **scans = xcalloc(n + 1, sizeof *scans);
	char *borrowed = xcalloc(n + 1, 1);
	for (size_t i = 0; o->given && i < n; i++) { /* made when the page was written: not read again */
		const struct linkcheck_scan *g = linkcheck_is_page(files[i]) ? o->given(o->given_ctx, files[i]) : NULL;
		scans[i] = (struct linkcheck_scan *)(uintptr_t)g;
		borrowed[i] = g != NULL;
	}
	int r = linkcheck_scan_pages(files, n, linkcheck_read_file, (void *)o->dir, o->jobs, scans, dl);
	struct linkcheck_site site = {
		.base_url = o->base_url, .theme = o->theme, .files = files,
		.scans = (const struct linkcheck_scan *const *)scans, .nfiles = n,
		.pages = o->pages, .npages = o->npages,
	};
	if (linkcheck_check(&site, NULL, external, dl) < 0)
		r = -1;
	for (size_t i = 0; i < n; i++)
		if (!borrowed[i])
			linkcheck_scan_free(scans[i]);
	free(scans);
	free(borrowed);
	free(files);
	strs_release(&walked);
	return r;
}

size_t linkcheck_count_broken(const char *base_url, const char *rel, const struct linkcheck_scan *scan,
			      linkcheck_look_fn *lookf, void *ctx)
{
	struct linkcheck_site site = { .base_url = base_url };
	struct diag_list none = DIAG_LIST_INIT;
	struct checker c = { .s = &site, .files = STRMAP_BORROWED, .pages = STRMAP_BORROWED, .theme = STRMAP_INIT,
			     .ext = STRMAP_INIT, .dl = &none, .look = lookf, .look_ctx = ctx };
	struct entry e = { rel, scan, 1 };
	struct result res = { 0 };
	check_page(&c, &e, &res);
	size_t n = res.n;
	result_release(&res);
	resolved_release(&c.resolved);
	free(c.found_rel);
	diag_release(&none);
	return n;
}

int linkcheck_scan_same_ids(const struct linkcheck_scan *a, const struct linkcheck_scan *b)
{
	size_t na = a ? a->nids : 0, nb = b ? b->nids : 0;
	if (na != nb || (a && a->any_id) != (b && b->any_id))
		return 0;
	for (size_t i = 0; i < na; i++) /* both sorted */
		if (strcmp(a->text + a->ids[i], b->text + b->ids[i]))
			return 0;
	return 1;
}
