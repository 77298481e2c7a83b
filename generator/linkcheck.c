/* linkcheck — internal links and anchors of the written site. */
#include "linkcheck.h"
#include "buf.h"
#include "fsutil.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#define PARSE_OPTS (HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOBLANKS)

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

static void strs_sort_unique(struct strs *s)
{
	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	size_t w = 1;
	for (size_t i = 1; i < s->n; i++) {
		if (!strcmp(s->v[i], s->v[w - 1]))
			free(s->v[i]);
		else
			s->v[w++] = s->v[i];
	}
	s->n = w;
	s->v[w] = NULL;
}

static int strs_has(const struct strs *s, const char *x)
{
	return s->n && bsearch(&x, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

void linkcheck_free_list(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

/* ---- URLs ---------------------------------------------------------- */

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

static char *pct_decode(const char *s, size_t n)
{
	char *o = xmalloc(n + 1), *w = o;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = hexval((unsigned char)s[i + 2])) >= 0 && (h || l)) {
			*w++ = (char)(h * 16 + l);
			i += 2;
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return o;
}

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
		*frag = pct_decode(hash + 1, strlen(hash + 1));
	struct buf joined = BUF_INIT;
	if (!sitepath) {
		const char *slash = strrchr(rel, '/');
		if (slash)
			buf_add(&joined, rel, (size_t)(slash - rel) + 1);
		if (plen == 0) /* "#x" or "?q": this very page */
			buf_adds(&joined, slash ? slash + 1 : rel);
	}
	char *dec = pct_decode(p, plen);
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

/* ---- pages ----------------------------------------------------------- */

struct link {
	char *value;  /* as written, entities decoded */
};

struct doc {
	char *rel;
	struct strs ids;   /* sorted */
	struct link *links;
	size_t nlinks;
};

static void add_link(struct doc *d, const char *v)
{
	d->links = xrealloc(d->links, (d->nlinks + 1) * sizeof *d->links);
	d->links[d->nlinks++].value = xstrdup(v);
}

/* srcset="a.png 1x, b.png 2x": each candidate's URL. */
static void add_srcset(struct doc *d, const char *v)
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
		char *u = xstrndup(v, ul);
		add_link(d, u);
		free(u);
		v += l;
		while (*v && *v != ',')
			v++;
	}
}

static int is(const xmlNode *n, const char *name)
{
	return !xmlStrcasecmp(n->name, (const xmlChar *)name);
}

static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Collects ids and links of a tree (iterative walk, no recursion depth
 * limit). When ids is NULL only links are collected. */
static void scan(xmlNode *root, struct doc *d, struct strs *ids)
{
	static const char *const src_attrs[] = { "href", "src", "poster", "data", NULL };
	xmlNode *n = root;
	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			char *v;
			if (ids && (v = attr(n, "id"))) {
				strs_add(ids, xstrdup(v));
				xmlFree(v);
			}
			if (ids && is(n, "a") && (v = attr(n, "name"))) {
				strs_add(ids, xstrdup(v));
				xmlFree(v);
			}
			/* <link rel=preconnect> and dns-prefetch name hosts, not files. */
			char *rel = is(n, "link") ? attr(n, "rel") : NULL;
			int hosts = rel && (strstr(rel, "preconnect") || strstr(rel, "dns-prefetch"));
			xmlFree(rel);
			for (const char *const *a = src_attrs; *a && !hosts; a++)
				if ((v = attr(n, *a))) {
					add_link(d, v);
					xmlFree(v);
				}
			if ((v = attr(n, "srcset"))) {
				add_srcset(d, v);
				xmlFree(v);
			}
			if (is(n, "meta") && (v = attr(n, "http-equiv"))) {
				char *c = !xmlStrcasecmp((xmlChar *)v, (const xmlChar *)"refresh") ? attr(n, "content")
													  : NULL;
				const char *u = c ? strstr(c, "url=") : NULL;
				if (!u && c)
					u = strstr(c, "URL=");
				if (u)
					add_link(d, u + 4);
				xmlFree(c);
				xmlFree(v);
			}
			/* script and style bodies are not markup */
			if (n->children && !is(n, "script") && !is(n, "style")) {
				n = n->children;
				continue;
			}
		} else if (n->children && n->type != XML_ENTITY_REF_NODE) {
			n = n->children;
			continue;
		}
		while (n && !n->next && n != root)
			n = n->parent;
		if (!n || n == root)
			break;
		n = n->next;
	}
}

static htmlDocPtr parse_html(const char *text, size_t len, const char *name)
{
	return htmlReadMemory(text, (int)len, name, "UTF-8", PARSE_OPTS);
}

static int load_doc(const char *dir, struct doc *d)
{
	char *path = fs_join(dir, d->rel);
	struct buf b = BUF_INIT;
	int r = fs_read(path, &b);
	free(path);
	if (r < 0) {
		buf_release(&b);
		return -1;
	}
	htmlDocPtr h = parse_html(b.ptr, b.len, d->rel);
	buf_release(&b);
	if (!h)
		return 0; /* an empty file: nothing to check */
	xmlNode *root = xmlDocGetRootElement(h);
	if (root)
		scan(root, d, &d->ids);
	strs_sort_unique(&d->ids);
	xmlFreeDoc(h);
	return 0;
}

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

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* The page URL of an output path: "en/index.html" -> "/en/". */
static char *url_of(const char *rel)
{
	size_t l = strlen(rel);
	if (ends_with(rel, "/index.html") || !strcmp(rel, "index.html"))
		return xasprintf("/%.*s", (int)(l - 10), rel);
	return xasprintf("/%s", rel);
}

static int cmp_doc(const void *a, const void *b)
{
	return strcmp(((const struct doc *)a)->rel, ((const struct doc *)b)->rel);
}

static struct doc *find_doc(struct doc *docs, size_t n, const char *rel)
{
	struct doc key = { .rel = (char *)rel };
	return bsearch(&key, docs, n, sizeof *docs, cmp_doc);
}

/* Where a URL is written in a Markdown body: the first of "](url",
 * "<url>", "href=\"url", then url alone, as file line and column. */
static int locate(const struct linkcheck_page *pg, const char *url, int *line, int *col)
{
	if (!pg->src)
		return 0;
	static const char *const pre[] = { "](", "<", "href=\"", "]: ", "" };
	struct buf pat = BUF_INIT;
	const char *hit = NULL;
	size_t skip = 0;
	for (size_t k = 0; k < sizeof pre / sizeof *pre && !hit; k++) {
		buf_truncate(&pat, 0);
		buf_adds(&pat, pre[k]);
		buf_adds(&pat, url);
		hit = memmem(pg->src, pg->src_len, pat.ptr, pat.len);
		skip = strlen(pre[k]);
	}
	buf_release(&pat);
	if (!hit)
		return 0;
	hit += skip;
	int l = pg->src_line, c = 1;
	for (const char *p = pg->src; p < hit; p++) {
		if (*p == '\n')
			l++, c = 1;
		else if (((unsigned char)*p & 0xC0) != 0x80)
			c++;
	}
	*line = l;
	*col = c;
	return 1;
}

/* Is this link value written in the page's body HTML? */
static int in_body(const struct linkcheck_page *pg, struct doc *body, const char *value)
{
	if (!pg || !pg->body)
		return 0;
	if (!body->rel) { /* parsed once, on the first broken link of the page */
		body->rel = xstrdup(pg->rel);
		htmlDocPtr h = parse_html(pg->body, strlen(pg->body), pg->rel);
		if (h && xmlDocGetRootElement(h))
			scan(xmlDocGetRootElement(h), body, NULL);
		if (h)
			xmlFreeDoc(h);
	}
	for (size_t i = 0; i < body->nlinks; i++)
		if (!strcmp(body->links[i].value, value))
			return 1;
	return 0;
}

static void doc_release(struct doc *d)
{
	free(d->rel);
	strs_release(&d->ids);
	for (size_t i = 0; i < d->nlinks; i++)
		free(d->links[i].value);
	free(d->links);
	memset(d, 0, sizeof *d);
}

static int cmp_page(const void *a, const void *b)
{
	return strcmp((*(const struct linkcheck_page *const *)a)->rel,
		      (*(const struct linkcheck_page *const *)b)->rel);
}

/* Theme errors are reported once per link; later pages only count. */
struct theme_err {
	char *value;
	size_t diag;   /* index of its error in the list */
	size_t more;   /* further pages with the same broken link */
};

/* Parsing the written pages is most of the check's work and each page is
 * independent, so it runs on a pool; results land in docs[i] by index and
 * are read in order afterwards, so the report never depends on timing. */
struct loader {
	const char *dir;
	struct doc *docs;
	int *failed;
	size_t n;
	atomic_size_t next;
};

static void *load_some(void *arg)
{
	struct loader *l = arg;
	for (size_t i; (i = atomic_fetch_add(&l->next, 1)) < l->n;)
		l->failed[i] = load_doc(l->dir, &l->docs[i]) < 0;
	return NULL;
}

static void load_all(const char *dir, struct doc *docs, int *failed, size_t n, int jobs)
{
	struct loader l = { dir, docs, failed, n, 0 };
	atomic_init(&l.next, 0);
	if (jobs <= 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if ((size_t)jobs > n)
		jobs = (int)n;
	xmlInitParser(); /* libxml2 wants this once before threads parse */
	pthread_t *th = xcalloc((size_t)(jobs > 1 ? jobs : 1), sizeof *th);
	int started = 0;
	for (int i = 1; i < jobs; i++)
		if (pthread_create(&th[started], NULL, load_some, &l) == 0)
			started++;
	load_some(&l);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
}

int linkcheck_run(const struct linkcheck_opts *o, char ***external, struct diag_list *dl)
{
	struct strs files = { 0 }, ext = { 0 };
	walk(o->dir, NULL, &files);
	strs_sort_unique(&files);
	size_t ndocs = 0;
	struct doc *docs = xcalloc(files.n + 1, sizeof *docs);
	for (size_t i = 0; i < files.n; i++)
		if (ends_with(files.v[i], ".html"))
			docs[ndocs++].rel = xstrdup(files.v[i]);
	int *failed = xcalloc(ndocs + 1, sizeof *failed);
	load_all(o->dir, docs, failed, ndocs, o->jobs);
	for (size_t i = 0; i < ndocs; i++)
		if (failed[i])
			diag_error(dl, (struct srcpos){ docs[i].rel, 0, 0 }, "cannot read page");
	free(failed);
	const struct linkcheck_page **pages = xcalloc(o->npages + 1, sizeof *pages);
	for (size_t i = 0; i < o->npages; i++)
		pages[i] = &o->pages[i];
	qsort(pages, o->npages, sizeof *pages, cmp_page);
	struct theme_err *terr = NULL;
	size_t nterr = 0;
	size_t errors = dl->errors;
	for (size_t i = 0; i < ndocs; i++) {
		struct doc *d = &docs[i];
		const struct linkcheck_page key = { .rel = d->rel }, *kp = &key;
		const struct linkcheck_page *const *hit =
			o->npages ? bsearch(&kp, pages, o->npages, sizeof *pages, cmp_page) : NULL;
		const struct linkcheck_page *pg = hit ? *hit : NULL;
		char *page_url = pg ? xstrdup(pg->url) : url_of(d->rel);
		struct doc body = { 0 };
		for (size_t j = 0; j < d->nlinks; j++) {
			const char *v = d->links[j].value;
			char *path, *frag;
			int kind = linkcheck_resolve(o->base_url, d->rel, v, &path, &frag);
			const char *why = NULL;
			char *why_buf = NULL;
			if (kind == 0) {
				if (external && (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8)))
					strs_add(&ext, xstrdup(v));
				continue;
			}
			const char *target = NULL;
			char *index = NULL;
			if (kind < 0) {
				why = why_buf = v[0] == '/' && v[1] != '/'
						       ? xasprintf("outside the site's base path '%s'", base_path(o->base_url))
						       : xstrdup("outside the site");
			} else if (!*path || path[strlen(path) - 1] == '/') {
				index = xasprintf("%sindex.html", path);
				target = strs_has(&files, index) ? index : NULL;
			} else if (strs_has(&files, path)) {
				target = path;
			} else {
				index = xasprintf("%s/index.html", path);
				target = strs_has(&files, index) ? index : NULL;
			}
			if (kind > 0 && !target) {
				why = "";
			} else if (target && frag && *frag && strcmp(frag, "top") && ends_with(target, ".html")) {
				struct doc *td = find_doc(docs, ndocs, target);
				if (td && !strs_has(&td->ids, frag)) {
					char *turl = url_of(target);
					why = why_buf = td == d ? xasprintf("no id '%s' on this page", frag)
								: xasprintf("no id '%s' on '%s'", frag, turl);
					free(turl);
				}
			}
			free(index);
			free(path);
			free(frag);
			if (!why)
				continue;
			struct buf msg = BUF_INIT;
			buf_addf(&msg, "broken link '%s' on page '%s'", v, page_url);
			if (*why)
				buf_addf(&msg, ": %s", why);
			free(why_buf);
			if (in_body(pg, &body, v)) {
				int line = 0, col = 0;
				locate(pg, v, &line, &col);
				diag_add(dl, DIAG_ERROR, (struct srcpos){ pg->file, line, col }, msg.ptr);
			} else {
				size_t t = 0;
				while (t < nterr && strcmp(terr[t].value, v))
					t++;
				if (t < nterr) {
					terr[t].more++;
				} else {
					terr = xrealloc(terr, (nterr + 1) * sizeof *terr);
					terr[nterr++] = (struct theme_err){ xstrdup(v), dl->n, 0 };
					diag_add(dl, DIAG_ERROR, (struct srcpos){ o->theme, 0, 0 }, msg.ptr);
				}
			}
			buf_release(&msg);
		}
		doc_release(&body);
		free(page_url);
	}
	/* "and on N more pages" goes into the theme error itself, so the list
	 * stays one line per problem. */
	for (size_t t = 0; t < nterr; t++) {
		if (terr[t].more) {
			struct diag *dg = &dl->items[terr[t].diag];
			char *m = xasprintf("%s (and on %zu more page%s)", dg->msg, terr[t].more,
					    terr[t].more == 1 ? "" : "s");
			free(dg->msg);
			dg->msg = m;
		}
		free(terr[t].value);
	}
	free(terr);
	free(pages);
	for (size_t i = 0; i < ndocs; i++)
		doc_release(&docs[i]);
	free(docs);
	strs_release(&files);
	if (external) {
		strs_sort_unique(&ext);
		if (!ext.v)
			ext.v = xcalloc(1, sizeof *ext.v);
		*external = ext.v;
	} else {
		strs_release(&ext);
	}
	return dl->errors > errors ? -1 : 0;
}
