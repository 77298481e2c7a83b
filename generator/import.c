/* import — a Jekyll or Hugo site laid out as briefgen's content. Reads
 * everything first (configuration, every post and its front matter), pairs
 * the translations, then writes; the report is made in source order. */
#include "import.h"
#include "content.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "langtag.h"
#include "prose.h"
#include "shortcode.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "banned.h"

#define MAX_LANGS 16
#define MAX_DEPTH 32

struct post {
	char *rel;               /* path below the source, for the report */
	char *path;
	struct buf text;
	struct frontmatter fm;
	char fence;              /* '-' YAML, '+' TOML, 0: none */
	int lang;                /* index into the site's languages */
	char *key;               /* translations share it */
	char *slug;
	char date[24];           /* YYYY-MM-DD */
	char *old;               /* its URL on the old site (a path), or NULL */
	char *section;           /* Hugo: the first folder below content/ */
	char **resources;        /* Hugo bundle: other files of its folder (full paths) */
	size_t nres;
	struct diag_list notes;  /* what is not carried over */
	int brief;               /* index of its brief; -1 until paired */
};

struct brief_out {
	char *folder;            /* YYYY-MM-DD-slug */
	size_t posts[MAX_LANGS]; /* post index + 1 per language; 0: none */
};

struct imp {
	const struct import_opts *o;
	struct diag_list *dl;
	struct buf *rep;
	/* the site */
	struct fm_node conf;
	char *conf_file;         /* its name below the source */
	char *title, *description, *base_url, *author, *permalink;
	char *tags[MAX_LANGS];   /* languages as the old site wrote them ("zh-CN") */
	char *codes[MAX_LANGS];  /* briefgen's codes ("zh-cn") */
	char *dirs[MAX_LANGS];   /* Hugo: a language's contentDir, or NULL */
	char *ltitles[MAX_LANGS];
	size_t nlangs, def;
	int in_subdir;           /* Hugo: defaultContentLanguageInSubdir */
	int polyglot;            /* Jekyll: `languages` configured, so other languages' URLs had a prefix */
	const struct fm_node *hperm; /* Hugo: [permalinks] */
	struct post *posts;
	size_t nposts;
	struct brief_out *briefs;
	size_t nbriefs;
	char **skipped;          /* report lines of files not imported */
	size_t nskipped;
};

/* ---- small helpers ----------------------------------------------------- */

static const char *scalar(const struct fm_node *map, const char *key)
{
	const struct fm_node *n = map ? fm_get(map, key) : NULL;
	return n && n->kind == FM_SCALAR && *n->str ? n->str : NULL;
}

static void skip_file(struct imp *m, const char *rel, const char *why)
{
	m->skipped = xrealloc(m->skipped, (m->nskipped + 1) * sizeof *m->skipped);
	m->skipped[m->nskipped++] = xasprintf("%s: not imported: %s", rel, why);
}

static char *lower(const char *s)
{
	char *o = xstrdup(s);
	for (char *p = o; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return o;
}

/* Hugo's urlize and what Jekyll does to a category: lowercase, spaces and
 * what is no letter or digit to '-', runs of '-' once. */
static char *urlize(const char *s)
{
	struct buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80 || isalnum(*p) || *p == '_' || *p == '.')
			buf_addch(&b, (char)tolower(*p));
		else if (b.len && b.ptr[b.len - 1] != '-')
			buf_addch(&b, '-');
	}
	while (b.len && b.ptr[b.len - 1] == '-')
		b.len--;
	buf_addch(&b, '\0');
	char *o = xstrdup(b.ptr);
	buf_release(&b);
	return o;
}

/* A slug briefgen accepts (content_slug_ok) made from s. */
static char *slug_of(const char *s)
{
	char *u = urlize(s);
	if (!content_slug_ok(u)) {
		free(u);
		u = xstrdup("post");
	}
	return u;
}

static int lang_index(const struct imp *m, const char *tag)
{
	for (size_t i = 0; i < m->nlangs; i++)
		if (!strcasecmp(m->tags[i], tag) || !strcasecmp(m->codes[i], tag))
			return (int)i;
	char p[9], q[9];
	langtag_primary(tag, p);
	int found = -1;
	for (size_t i = 0; i < m->nlangs; i++) {
		langtag_primary(m->tags[i], q);
		if (*p && !strcmp(p, q))
			found = found < 0 ? (int)i : -2;
	}
	return found >= 0 ? found : -1;
}

static void add_lang(struct imp *m, const char *tag, const char *title)
{
	if (m->nlangs == MAX_LANGS || lang_index(m, tag) >= 0 || langtag_problem(tag))
		return;
	m->tags[m->nlangs] = xstrdup(tag);
	m->codes[m->nlangs] = lower(tag);
	m->ltitles[m->nlangs] = title ? xstrdup(title) : NULL;
	m->nlangs++;
}

/* ---- the configuration --------------------------------------------------- */

static int read_conf(struct imp *m, const char *const *names)
{
	for (const char *const *n = names; *n; n++) {
		char *path = fs_join(m->o->src, *n);
		struct buf b = BUF_INIT;
		if (fs_read(path, &b) == 0) {
			m->conf_file = xstrdup(*n);
			int r = fm_parse_config(*n, b.ptr ? b.ptr : "", b.len, &m->conf, m->dl);
			buf_release(&b);
			free(path);
			return r;
		}
		buf_release(&b);
		free(path);
	}
	m->conf.kind = FM_MAP;
	return diag_error(m->dl, (struct srcpos){ m->o->src, 0, 0 }, "no %s here: is it a %s site?", names[0],
			  m->o->kind == IMPORT_JEKYLL ? "Jekyll" : "Hugo");
}

static int jekyll_conf(struct imp *m)
{
	static const char *const names[] = { "_config.yml", "_config.yaml", NULL };
	if (read_conf(m, names) < 0)
		return -1;
	const struct fm_node *c = &m->conf;
	m->title = xstrdup(scalar(c, "title") ? scalar(c, "title") : "Briefs");
	m->description = scalar(c, "description") ? xstrdup(scalar(c, "description")) : NULL;
	const char *url = scalar(c, "url"), *base = scalar(c, "baseurl");
	if (url)
		m->base_url = xasprintf("%s%s%s/", url, base && *base != '/' ? "/" : "", base ? base : "");
	const struct fm_node *au = fm_get(c, "author");
	m->author = au && au->kind == FM_SCALAR ? xstrdup(au->str)
		    : scalar(au, "name")     ? xstrdup(scalar(au, "name"))
					      : NULL;
	m->permalink = scalar(c, "permalink") ? xstrdup(scalar(c, "permalink")) : NULL;
	/* jekyll-polyglot: languages and default_lang */
	const struct fm_node *ls = fm_get(c, "languages");
	const char *def = scalar(c, "default_lang") ? scalar(c, "default_lang") : scalar(c, "lang");
	if (def)
		add_lang(m, def, NULL);
	for (size_t i = 0; ls && ls->kind == FM_SEQ && i < ls->n; i++)
		if (ls->items[i].kind == FM_SCALAR)
			add_lang(m, ls->items[i].str, NULL);
	m->polyglot = ls && ls->kind == FM_SEQ && ls->n > 0;
	return 0;
}

static int hugo_conf(struct imp *m)
{
	static const char *const names[] = { "hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml",
					     "config.yml", NULL };
	if (read_conf(m, names) < 0)
		return -1;
	const struct fm_node *c = &m->conf;
	const char *url = scalar(c, "baseURL") ? scalar(c, "baseURL") : scalar(c, "baseurl");
	if (url)
		m->base_url = xstrdup(url);
	m->title = xstrdup(scalar(c, "title") ? scalar(c, "title") : "Briefs");
	const struct fm_node *params = fm_get(c, "params");
	m->description = scalar(params, "description") ? xstrdup(scalar(params, "description")) : NULL;
	const struct fm_node *au = params ? fm_get(params, "author") : NULL;
	m->author = au && au->kind == FM_SCALAR ? xstrdup(au->str)
		    : scalar(au, "name")     ? xstrdup(scalar(au, "name"))
					      : NULL;
	const char *sub = scalar(c, "defaultContentLanguageInSubdir");
	m->in_subdir = sub && !strcmp(sub, "true");
	m->hperm = fm_get(c, "permalinks");
	const char *def = scalar(c, "defaultContentLanguage");
	const struct fm_node *ls = fm_get(c, "languages");
	/* the default first, then by weight, then by code */
	size_t order[MAX_LANGS], n = 0;
	for (size_t i = 0; ls && ls->kind == FM_MAP && i < ls->n && n < MAX_LANGS; i++)
		order[n++] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0; k--) {
			const struct fm_node *a = &ls->items[order[k - 1]], *b = &ls->items[order[k]];
			int wa = scalar(a, "weight") ? atoi(scalar(a, "weight")) : 0;
			int wb = scalar(b, "weight") ? atoi(scalar(b, "weight")) : 0;
			if (wa < wb || (wa == wb && strcmp(ls->keys[order[k - 1]], ls->keys[order[k]]) <= 0))
				break;
			size_t t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	if (def)
		add_lang(m, def, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct fm_node *l = &ls->items[order[i]];
		const char *tag = ls->keys[order[i]];
		if (lang_index(m, tag) < 0)
			add_lang(m, tag, scalar(l, "title"));
		int li = lang_index(m, tag);
		if (li >= 0 && !m->ltitles[li] && scalar(l, "title"))
			m->ltitles[li] = xstrdup(scalar(l, "title"));
		if (li >= 0 && scalar(l, "contentDir"))
			m->dirs[li] = xstrdup(scalar(l, "contentDir"));
	}
	return 0;
}

/* ---- reading posts ------------------------------------------------------- */

static int is_md(const char *name)
{
	size_t n = strlen(name);
	return (n > 3 && !strcmp(name + n - 3, ".md")) || (n > 9 && !strcmp(name + n - 9, ".markdown"));
}

/* Reads one post; its language, key, slug and date are the caller's. */
static struct post *read_post(struct imp *m, const char *path, const char *rel)
{
	m->posts = xrealloc(m->posts, (m->nposts + 1) * sizeof *m->posts);
	struct post *p = &m->posts[m->nposts];
	memset(p, 0, sizeof *p);
	p->lang = -1;
	p->brief = -1;
	if (fs_read(path, &p->text) < 0) {
		diag_error(m->dl, (struct srcpos){ rel, 0, 0 }, "cannot read: %s", strerror(errno));
		buf_release(&p->text);
		return NULL;
	}
	p->path = xstrdup(path);
	p->rel = xstrdup(rel);
	const char *t = p->text.ptr ? p->text.ptr : "";
	size_t off = p->text.len >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3) ? 3 : 0;
	if (p->text.len >= off + 3 && (!memcmp(t + off, "---", 3) || !memcmp(t + off, "+++", 3)))
		p->fence = t[off];
	if (fm_parse(&p->fm, rel, t, p->text.len, &p->notes) < 0) {
		skip_file(m, rel, "its front matter cannot be read (see the error above)");
		diag_move(m->dl, &p->notes);
		fm_release(&p->fm);
		buf_release(&p->text);
		free(p->path);
		free(p->rel);
		return NULL;
	}
	m->nposts++;
	return p;
}

/* The language of a post the path did not give: lang:, else its script. */
static int post_lang(struct imp *m, struct post *p, int given)
{
	if (p->fm.meta.lang) {
		int li = lang_index(m, p->fm.meta.lang);
		if (li < 0 && m->nlangs < MAX_LANGS && !langtag_problem(p->fm.meta.lang)) {
			add_lang(m, p->fm.meta.lang, NULL);
			li = lang_index(m, p->fm.meta.lang);
		}
		if (li >= 0)
			return li;
	}
	if (given >= 0)
		return given;
	int cjk = 0, words = 0;
	prose_count(p->text.ptr + p->fm.body_off, p->text.len - p->fm.body_off, &cjk, &words);
	const char *want = 2 * cjk >= words && cjk > 0 ? "zh" : "en";
	for (size_t i = 0; i < m->nlangs; i++) {
		char q[9];
		langtag_primary(m->tags[i], q);
		if (!strcmp(q, want))
			return (int)i;
	}
	if (m->nlangs == 0 || m->nlangs < MAX_LANGS) {
		add_lang(m, want, NULL);
		return lang_index(m, want);
	}
	return (int)m->def;
}

/* Jekyll's name: YYYY-M-D-slug[.lang].ext; fills date and slug, returns
 * the language its suffix names (-1: none), or -2 when it has no date. */
static int jekyll_name(struct imp *m, struct post *p, const char *name)
{
	int y, mo, d, n = 0;
	if (sscanf(name, "%4d-%2d-%2d-%n", &y, &mo, &d, &n) != 3 || n == 0 || y < 1000 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31)
		return -2;
	snprintf(p->date, sizeof p->date, "%04d-%02d-%02d", y, mo, d);
	char *stem = xstrndup(name + n, strlen(name + n) - (strstr(name, ".markdown") ? 9 : 3));
	int li = -1;
	char *dot = strrchr(stem, '.');
	if (dot && (li = lang_index(m, dot + 1)) >= 0)
		*dot = '\0';
	p->slug = xstrdup(stem);
	free(stem);
	return li;
}

static void walk_jekyll(struct imp *m, const char *dir, const char *rel, int folder_lang, int depth)
{
	char **names = fs_list(dir);
	for (char **n = names; n && *n; n++) {
		if ((*n)[0] == '.')
			continue;
		char *path = fs_join(dir, *n), *r = xasprintf("%s/%s", rel, *n);
		if (fs_is_dir(path) && depth < MAX_DEPTH) {
			int li = lang_index(m, *n); /* polyglot's _posts/zh-CN/ */
			walk_jekyll(m, path, r, li >= 0 ? li : folder_lang, depth + 1);
		} else if (is_md(*n)) {
			struct post probe = { 0 };
			int li = jekyll_name(m, &probe, *n);
			if (li == -2) {
				skip_file(m, r, "no date in its name (Jekyll's posts are YYYY-MM-DD-name.md)");
			} else {
				struct post *p = read_post(m, path, r);
				if (p) {
					memcpy(p->date, probe.date, sizeof p->date);
					p->slug = probe.slug;
					probe.slug = NULL;
					p->lang = post_lang(m, p, li >= 0 ? li : folder_lang);
					const char *k = scalar(&p->fm.root, "ref") ? scalar(&p->fm.root, "ref")
							: scalar(&p->fm.root, "lang_ref") ? scalar(&p->fm.root, "lang_ref")
											  : scalar(&p->fm.root, "key");
					p->key = k ? xasprintf("key:%s", k) : xasprintf("%s-%s", p->date, p->slug);
				}
			}
			free(probe.slug);
		}
		free(path);
		free(r);
	}
	fs_list_free(names);
}

/* Hugo: name.md, name.LANG.md, index.md, index.LANG.md below content/. */
static void walk_hugo(struct imp *m, const char *dir, const char *rel, const char *under, int dir_lang,
		      int depth)
{
	char **names = fs_list(dir);
	int bundle = 0;
	for (char **n = names; n && *n; n++)
		if (!strncmp(*n, "index.", 6) && is_md(*n))
			bundle = 1;
	for (char **n = names; n && *n; n++) {
		if ((*n)[0] == '.')
			continue;
		char *path = fs_join(dir, *n), *r = xasprintf("%s/%s", rel, *n);
		char *sub = *under ? xasprintf("%s/%s", under, *n) : xstrdup(*n);
		if (fs_is_dir(path)) {
			int li = depth == 0 && dir_lang < 0 ? lang_index(m, *n) : -1;
			if (li >= 0) /* content/en/…, content/zh-tw/…: a tree per language */
				walk_hugo(m, path, r, "", li, depth + 1);
			else if (!bundle && depth < MAX_DEPTH)
				walk_hugo(m, path, r, sub, dir_lang, depth + 1);
		} else if (!is_md(*n)) {
			if (!bundle)
				skip_file(m, r, "a file outside a page bundle (put it in static/ to keep it)");
		} else if (!strncmp(*n, "_index.", 7)) {
			skip_file(m, r, "a section's list page (briefgen makes its own home, tag and category pages)");
		} else if (bundle && strncmp(*n, "index.", 6)) {
			skip_file(m, r, "a second page inside a bundle");
		} else {
			struct post *p = read_post(m, path, r);
			if (p) {
				char *stem = xstrndup(*n, strlen(*n) - (strstr(*n, ".markdown") ? 9 : 3));
				int li = -1;
				char *dot = strrchr(stem, '.');
				if (dot && (li = lang_index(m, dot + 1)) >= 0)
					*dot = '\0';
				/* the bundle's folder names it, else the file */
				char *base = bundle ? xstrdup(under) : *under ? xasprintf("%s/%s", under, stem) : xstrdup(stem);
				const char *last = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
				p->section = strchr(base, '/') ? xstrndup(base, strcspn(base, "/")) : xstrdup("");
				p->slug = xstrdup(p->fm.meta.slug ? p->fm.meta.slug : last);
				const char *tk = scalar(&p->fm.root, "translationKey");
				p->key = tk ? xasprintf("key:%s", tk) : xstrdup(base);
				p->lang = post_lang(m, p, li >= 0 ? li : dir_lang);
				if (p->fm.meta.has_date)
					snprintf(p->date, sizeof p->date, "%04d-%02d-%02d", p->fm.meta.date.y,
						 p->fm.meta.date.mo, p->fm.meta.date.d);
				if (bundle)
					for (char **q = names; *q; q++) {
						char *f = fs_join(dir, *q);
						if ((*q)[0] != '.' && !is_md(*q) && fs_is_file(f)) {
							p->resources = xrealloc(p->resources, (p->nres + 1) * sizeof *p->resources);
							p->resources[p->nres++] = xstrdup(*q);
						}
						free(f);
					}
				if (bundle)
					p->section = p->section; /* kept */
				free(base);
				free(stem);
			}
		}
		free(sub);
		free(path);
		free(r);
	}
	fs_list_free(names);
}

/* ---- old URLs -------------------------------------------------------------- */

static void put_two(struct buf *b, int v)
{
	buf_addf(b, "%02d", v);
}

/* Expands a Jekyll or Hugo permalink pattern for p. */
static char *expand(const struct imp *m, const struct post *p, const char *pat, int hugo)
{
	int y = atoi(p->date), mo = atoi(p->date + 5), d = atoi(p->date + 8);
	struct buf b = BUF_INIT;
	for (const char *s = pat; *s;) {
		if (*s != ':') {
			buf_addch(&b, *s++);
			continue;
		}
		size_t n = 1;
		while (isalnum((unsigned char)s[n]) || s[n] == '_')
			n++;
		char tok[32];
		snprintf(tok, sizeof tok, "%.*s", (int)(n - 1), s + 1);
		s += n;
		char *title = urlize(p->fm.meta.title ? p->fm.meta.title : p->slug);
		if (!strcmp(tok, "year"))
			buf_addf(&b, "%04d", y);
		else if (!strcmp(tok, "short_year"))
			put_two(&b, y % 100);
		else if (!strcmp(tok, "month"))
			put_two(&b, mo);
		else if (!strcmp(tok, "i_month"))
			buf_addf(&b, "%d", mo);
		else if (!strcmp(tok, "day"))
			put_two(&b, d);
		else if (!strcmp(tok, "i_day"))
			buf_addf(&b, "%d", d);
		else if (!strcmp(tok, "output_ext"))
			buf_adds(&b, ".html");
		else if (!strcmp(tok, "section"))
			buf_adds(&b, p->section ? p->section : "");
		else if (!strcmp(tok, "title") && hugo)
			buf_adds(&b, title);
		else if (!strcmp(tok, "title") || !strcmp(tok, "filename") || !strcmp(tok, "contentbasename"))
			buf_adds(&b, p->slug);
		else if (!strcmp(tok, "slug") || !strcmp(tok, "slugorfilename") || !strcmp(tok, "slugorcontentbasename"))
			buf_adds(&b, p->fm.meta.slug ? p->fm.meta.slug : hugo ? p->slug : title);
		else if (!strcmp(tok, "categories")) {
			char **c = p->fm.meta.categories;
			for (size_t i = 0; c && c[i]; i++) {
				char *u = urlize(c[i]);
				buf_addf(&b, "%s%s", i ? "/" : "", u);
				free(u);
			}
		} else {
			buf_addch(&b, ':');
			buf_adds(&b, tok);
		}
		free(title);
	}
	buf_addch(&b, '\0');
	/* an empty part leaves no empty segment: "//" once */
	struct buf o = BUF_INIT;
	for (const char *s = b.ptr; *s; s++)
		if (!(*s == '/' && o.len && o.ptr[o.len - 1] == '/'))
			buf_addch(&o, *s);
	buf_addch(&o, '\0');
	char *r = xstrdup(o.ptr);
	buf_release(&b);
	buf_release(&o);
	(void)m;
	return r;
}

static void old_url(struct imp *m, struct post *p)
{
	if (p->fm.meta.nredirects || !*p->date)
		return; /* its own permalink or url: the build redirects from it */
	char *path;
	int hugo = m->o->kind == IMPORT_HUGO;
	if (!hugo) {
		const char *pat = m->permalink;
		if (!pat || !strcmp(pat, "date"))
			pat = "/:categories/:year/:month/:day/:title:output_ext";
		else if (!strcmp(pat, "pretty"))
			pat = "/:categories/:year/:month/:day/:title/";
		else if (!strcmp(pat, "ordinal") || !strcmp(pat, "weekdate"))
			pat = NULL; /* needs the day of the year or week: not made */
		else if (!strcmp(pat, "none"))
			pat = "/:categories/:title:output_ext";
		path = pat ? expand(m, p, pat, 0) : NULL;
	} else {
		const char *pat = p->section && m->hperm ? scalar(m->hperm, p->section) : NULL;
		path = expand(m, p, pat ? pat : "/:section/:slug/", 1);
	}
	if (!path)
		return;
	/* plain Jekyll has one URL space; polyglot and Hugo put other languages under /LANG */
	int prefix = p->lang >= 0 && (hugo || m->polyglot) && ((size_t)p->lang != m->def || (hugo && m->in_subdir));
	p->old = prefix ? xasprintf("/%s%s", m->tags[p->lang], path) : xstrdup(path);
	free(path);
}

/* ---- pairing -------------------------------------------------------------- */

static int find_brief(const struct imp *m, const char *key)
{
	for (size_t i = 0; i < m->nbriefs; i++) {
		for (size_t l = 0; l < m->nlangs; l++)
			if (m->briefs[i].posts[l] && !strcmp(m->posts[m->briefs[i].posts[l] - 1].key, key))
				return (int)i;
	}
	return -1;
}

static void pair(struct imp *m)
{
	for (size_t i = 0; i < m->nposts; i++) {
		struct post *p = &m->posts[i];
		if (!*p->date) {
			skip_file(m, p->rel, "no date (add 'date:' to its front matter)");
			continue;
		}
		if (p->lang < 0)
			continue;
		int b = find_brief(m, p->key);
		if (b >= 0 && m->briefs[b].posts[p->lang]) {
			char *why = xasprintf("a second %s page of %s", m->tags[p->lang],
					      m->posts[m->briefs[b].posts[p->lang] - 1].rel);
			skip_file(m, p->rel, why);
			free(why);
			continue;
		}
		if (b < 0) {
			m->briefs = xrealloc(m->briefs, (m->nbriefs + 1) * sizeof *m->briefs);
			memset(&m->briefs[m->nbriefs], 0, sizeof *m->briefs);
			b = (int)m->nbriefs++;
		}
		m->briefs[b].posts[p->lang] = i + 1;
		p->brief = b;
	}
	/* a folder per brief: the date and slug of its default-language page, else its first */
	for (size_t i = 0; i < m->nbriefs; i++) {
		struct brief_out *b = &m->briefs[i];
		const struct post *p = NULL;
		for (size_t k = 0; k < m->nlangs && !p; k++) {
			size_t l = (m->def + k) % m->nlangs;
			if (b->posts[l])
				p = &m->posts[b->posts[l] - 1];
		}
		char *slug = slug_of(p->slug);
		char *f = xasprintf("%s-%s", p->date, slug);
		for (int n = 2; ; n++) {
			int taken = 0;
			for (size_t k = 0; k < i && !taken; k++)
				taken = !strcmp(m->briefs[k].folder, f);
			if (!taken)
				break;
			free(f);
			f = xasprintf("%s-%s-%d", p->date, slug, n);
		}
		free(slug);
		b->folder = f;
	}
}

/* ---- checking what the build will say -------------------------------------- */

/* The template tags the build cannot carry over (shortcode.h), as it will
 * say them, into the post's notes. */
static void check_tags(struct imp *m, struct post *p)
{
	const char *body = p->text.ptr + p->fm.body_off;
	size_t len = p->text.len - p->fm.body_off;
	if (!shortcode_any(body, len))
		return;
	char *parent = xstrdup(m->o->src);
	char *includes = fs_join(parent, "_includes");
	struct shortcode_ctx c = { p->rel, p->fm.body_line, p->lang >= 0 ? m->codes[p->lang] : "en", includes };
	struct buf out = BUF_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	shortcode_apply(body, len, &c, &out, &d);
	for (size_t i = 0; i < d.n; i++)
		diag_add(&p->notes, d.items[i].level, (struct srcpos){ d.items[i].file, d.items[i].line, d.items[i].col },
			 d.items[i].msg);
	diag_release(&d);
	buf_release(&out);
	free(includes);
	free(parent);
}

/* ---- writing -------------------------------------------------------------- */

static void lua_str(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addch(b, '\\');
		if (*s == '\n')
			buf_adds(b, "\\n");
		else if ((unsigned char)*s >= ' ' || *s == '\t')
			buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

static int write_file(struct imp *m, const char *rel, const char *data, size_t n)
{
	char *path = fs_join(m->o->root, rel);
	int r = 0;
	if (fs_write(path, data, n) < 0)
		r = diag_error(m->dl, (struct srcpos){ path, 0, 0 }, "cannot write: %s", strerror(errno));
	free(path);
	return r;
}

static int write_site_lua(struct imp *m)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "-- Imported from a %s site by `briefgen import` (docs/import.md): edit freely.\nreturn {\n",
		 m->o->kind == IMPORT_JEKYLL ? "Jekyll" : "Hugo");
	buf_adds(&b, "  base_url = ");
	lua_str(&b, m->base_url ? m->base_url : "https://example.org/");
	buf_adds(&b, ",\n  default_language = ");
	lua_str(&b, m->codes[m->def]);
	buf_adds(&b, ",\n  languages = {\n");
	for (size_t i = 0; i < m->nlangs; i++) {
		buf_adds(&b, "    { code = ");
		lua_str(&b, m->codes[i]);
		buf_adds(&b, ", hreflang = ");
		char *canon = langtag_canon(m->tags[i]);
		lua_str(&b, canon);
		free(canon);
		buf_adds(&b, ", title = ");
		lua_str(&b, m->ltitles[i] ? m->ltitles[i] : m->title);
		if (m->description) {
			buf_adds(&b, ", description = ");
			lua_str(&b, m->description);
		}
		buf_adds(&b, " },\n");
	}
	buf_adds(&b, "  },\n");
	if (m->author) {
		buf_adds(&b, "  authors = { ");
		lua_str(&b, m->author);
		buf_adds(&b, " },\n");
	}
	buf_adds(&b, "}\n");
	int r = write_file(m, "content/site.lua", b.ptr, b.len);
	buf_release(&b);
	return r;
}

/* The post's text with a line that redirects from its old URL, put first
 * in its front matter (before any TOML table). */
static void post_text(const struct post *p, struct buf *out, const char **key_used)
{
	const char *t = p->text.ptr ? p->text.ptr : "";
	*key_used = NULL;
	if (!p->old || !p->fence) {
		buf_add(out, t, p->text.len);
		return;
	}
	const struct fm_node *root = &p->fm.root;
	const char *key = !fm_get(root, "redirect_from") ? "redirect_from" : !fm_get(root, "aliases") ? "aliases" : NULL;
	if (!key) {
		buf_add(out, t, p->text.len);
		return;
	}
	*key_used = key;
	const char *nl = memchr(t, '\n', p->text.len);
	size_t first = nl ? (size_t)(nl - t) + 1 : p->text.len;
	buf_add(out, t, first);
	if (p->fence == '+')
		buf_addf(out, "%s = [\"%s\"]\n", key, p->old);
	else
		buf_addf(out, "%s: [\"%s\"]\n", key, p->old);
	buf_add(out, t + first, p->text.len - first);
}

static int copy_tree(struct imp *m, const char *from, const char *to, int depth)
{
	char **names = fs_list(from);
	int r = 0;
	for (char **n = names; n && *n && r == 0; n++) {
		if ((*n)[0] == '.')
			continue;
		char *f = fs_join(from, *n), *t = fs_join(to, *n);
		struct stat st;
		if (lstat(f, &st) == 0 && S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
			r = copy_tree(m, f, t, depth + 1);
		else if (lstat(f, &st) == 0 && S_ISREG(st.st_mode)) {
			char *dest = fs_join(m->o->root, t);
			if (fs_copy(f, dest) < 0)
				r = diag_error(m->dl, (struct srcpos){ f, 0, 0 }, "cannot copy: %s", strerror(errno));
			free(dest);
		}
		free(f);
		free(t);
	}
	fs_list_free(names);
	return r;
}

/* ---- the whole import ----------------------------------------------------- */

/* The configuration's keys site.lua has no place for, each at its line. */
static void conf_leftovers(struct imp *m)
{
	static const char *const jekyll[] = { "title", "description", "url", "baseurl", "author", "languages",
					      "default_lang", "lang", "permalink", NULL };
	static const char *const hugo[] = { "baseURL", "baseurl", "title", "defaultContentLanguage",
					    "defaultContentLanguageInSubdir", "languages", "permalinks", "params", NULL };
	const char *const *known = m->o->kind == IMPORT_JEKYLL ? jekyll : hugo;
	for (size_t i = 0; i < m->conf.n; i++) {
		int used = 0;
		for (const char *const *k = known; *k && !used; k++)
			used = !strcmp(*k, m->conf.keys[i]);
		if (!used)
			buf_addf(m->rep, "%s:%d:%d: warning: '%s' is not carried over (briefgen has no such setting)\n",
				 m->conf_file, m->conf.items[i].line, m->conf.items[i].col, m->conf.keys[i]);
	}
}

static void report_notes(struct imp *m, const struct post *p)
{
	for (size_t i = 0; i < p->notes.n; i++) {
		const struct diag *d = &p->notes.items[i];
		buf_addf(m->rep, "%s:%d:%d: %s: %s\n", d->file, d->line, d->col,
			 d->level == DIAG_ERROR ? "error" : d->level == DIAG_WARNING ? "warning" : "note", d->msg);
	}
}

static void other_files(struct imp *m)
{
	static const char *const jekyll_static[] = { "assets", "images", "img", "files", "uploads", "media",
						     "downloads", NULL };
	char **names = fs_list(m->o->src);
	for (char **n = names; n && *n; n++) {
		if ((*n)[0] == '.' || (m->conf_file && !strcmp(*n, m->conf_file)))
			continue;
		char *path = fs_join(m->o->src, *n);
		int dir = fs_is_dir(path);
		int keep = 0;
		if (m->o->kind == IMPORT_JEKYLL) {
			for (const char *const *s = jekyll_static; *s && !keep; s++)
				keep = dir && !strcmp(*n, *s);
			if (keep) {
				char *to = fs_join("content/static", *n);
				copy_tree(m, path, to, 0);
				buf_addf(m->rep, "%s/: copied to %s/\n", *n, to);
				free(to);
			} else if (!strcmp(*n, "_includes") && dir) {
				copy_tree(m, path, "_includes", 0);
				buf_addf(m->rep, "_includes/: copied to _includes/ ({%% include %%} reads it)\n");
			} else if (strcmp(*n, "_posts") && strcmp(*n, "_site")) {
				char *shown = dir ? xasprintf("%s/", *n) : xstrdup(*n);
				skip_file(m, shown,
					  dir ? "a folder of the old site's theme, plugins or pages" : "a page or file of the old site's own");
				free(shown);
			}
		} else {
			if (!strcmp(*n, "static") && dir) {
				copy_tree(m, path, "content/static", 0);
				buf_adds(m->rep, "static/: copied to content/static/\n");
			} else if (strcmp(*n, "content") && strcmp(*n, "public") && strcmp(*n, "resources")) {
				int is_cdir = 0;
				for (size_t l = 0; l < m->nlangs; l++)
					is_cdir |= m->dirs[l] && !strncmp(m->dirs[l], *n, strlen(*n)) &&
						   (!m->dirs[l][strlen(*n)] || m->dirs[l][strlen(*n)] == '/');
				char *shown = dir ? xasprintf("%s/", *n) : xstrdup(*n);
				if (!is_cdir)
					skip_file(m, shown, dir ? "a folder of the old site's layouts, theme or data" : "a file of the old site's own");
				free(shown);
			}
		}
		free(path);
	}
	fs_list_free(names);
}

static void release(struct imp *m)
{
	fm_node_release(&m->conf);
	free(m->conf_file);
	free(m->title);
	free(m->description);
	free(m->base_url);
	free(m->author);
	free(m->permalink);
	for (size_t i = 0; i < m->nlangs; i++) {
		free(m->tags[i]);
		free(m->codes[i]);
		free(m->dirs[i]);
		free(m->ltitles[i]);
	}
	for (size_t i = 0; i < m->nposts; i++) {
		struct post *p = &m->posts[i];
		free(p->rel);
		free(p->path);
		buf_release(&p->text);
		fm_release(&p->fm);
		free(p->key);
		free(p->slug);
		free(p->old);
		free(p->section);
		for (size_t k = 0; k < p->nres; k++)
			free(p->resources[k]);
		free(p->resources);
		diag_release(&p->notes);
	}
	free(m->posts);
	for (size_t i = 0; i < m->nbriefs; i++)
		free(m->briefs[i].folder);
	free(m->briefs);
	for (size_t i = 0; i < m->nskipped; i++)
		free(m->skipped[i]);
	free(m->skipped);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int import_site(const struct import_opts *o, struct buf *report, struct diag_list *dl)
{
	struct imp m = { .o = o, .dl = dl, .rep = report };
	if (!fs_is_dir(o->src))
		return diag_error(dl, (struct srcpos){ o->src, 0, 0 }, "no such folder");
	char *content = fs_join(o->root, "content");
	int busy = !fs_is_empty_dir(content);
	free(content);
	if (busy)
		return diag_error(dl, (struct srcpos){ o->root, 0, 0 },
				  "content/ here already holds files: import into a new folder (briefgen import %s SRC NEW)",
				  o->kind == IMPORT_JEKYLL ? "jekyll" : "hugo");
	int r = o->kind == IMPORT_JEKYLL ? jekyll_conf(&m) : hugo_conf(&m);
	if (r < 0) {
		release(&m);
		return -1;
	}
	if (o->kind == IMPORT_JEKYLL) {
		char *posts = fs_join(o->src, "_posts");
		walk_jekyll(&m, posts, "_posts", -1, 0);
		free(posts);
	} else {
		int split = 0;
		for (size_t l = 0; l < m.nlangs; l++)
			if (m.dirs[l]) {
				char *d = fs_join(o->src, m.dirs[l]);
				walk_hugo(&m, d, m.dirs[l], "", (int)l, 0);
				free(d);
				split = 1;
			}
		if (!split) {
			char *d = fs_join(o->src, "content");
			walk_hugo(&m, d, "content", "", -1, 0);
			free(d);
		}
	}
	if (m.nlangs == 0)
		add_lang(&m, "en", NULL);
	for (size_t i = 0; i < m.nposts; i++) {
		if (m.posts[i].lang < 0)
			m.posts[i].lang = (int)m.def;
		old_url(&m, &m.posts[i]);
		check_tags(&m, &m.posts[i]);
	}
	pair(&m);
	if (m.nbriefs == 0) {
		r = diag_error(dl, (struct srcpos){ o->src, 0, 0 }, "no posts found (%s)",
			       o->kind == IMPORT_JEKYLL ? "_posts/YYYY-MM-DD-name.md" : "content/**/*.md with a date");
		release(&m);
		return r;
	}
	/* the report: configuration, then every post in source order, then the rest */
	buf_addf(report, "%s: site.lua written: base URL %s, languages", m.conf_file,
		 m.base_url ? m.base_url : "https://example.org/ (none in the configuration: edit content/site.lua)");
	for (size_t i = 0; i < m.nlangs; i++)
		buf_addf(report, "%s %s", i ? "," : "", m.codes[i]);
	buf_addf(report, " (default %s)\n", m.codes[m.def]);
	conf_leftovers(&m);
	r = write_site_lua(&m);
	size_t written = 0;
	for (size_t i = 0; i < m.nposts && r == 0; i++) {
		struct post *p = &m.posts[i];
		if (p->brief < 0)
			continue;
		const struct brief_out *b = &m.briefs[p->brief];
		char *dest = xasprintf("content/briefs/%s/%s.md", b->folder, m.codes[p->lang]);
		struct buf text = BUF_INIT;
		const char *key;
		post_text(p, &text, &key);
		r = write_file(&m, dest, text.ptr ? text.ptr : "", text.len);
		buf_release(&text);
		buf_addf(report, "%s: imported as %s", p->rel, dest);
		free(dest);
		for (size_t l = 0; l < m.nlangs; l++)
			if (b->posts[l] && b->posts[l] - 1 != i)
				buf_addf(report, ", with %s", m.posts[b->posts[l] - 1].rel);
		if (p->old && key)
			buf_addf(report, "; redirect from %s", p->old);
		else if (p->old)
			buf_addf(report, "; no redirect from %s (it has both redirect_from and aliases)", p->old);
		buf_addch(report, '\n');
		for (size_t k = 0; k < p->nres && r == 0; k++) {
			char *from = xstrndup(p->path, (size_t)(strrchr(p->path, '/') - p->path));
			char *src = fs_join(from, p->resources[k]);
			char *to = xasprintf("content/briefs/%s/%s", b->folder, p->resources[k]);
			char *full = fs_join(o->root, to);
			if (!fs_is_file(full) && fs_copy(src, full) < 0)
				r = diag_error(dl, (struct srcpos){ src, 0, 0 }, "cannot copy: %s", strerror(errno));
			free(full);
			free(to);
			free(src);
			free(from);
		}
		report_notes(&m, p);
		written++;
	}
	if (r == 0)
		other_files(&m);
	if (m.nskipped)
		qsort(m.skipped, m.nskipped, sizeof *m.skipped, cmp_str);
	for (size_t i = 0; i < m.nskipped; i++)
		buf_addf(report, "%s\n", m.skipped[i]);
	size_t both = 0, notes = 0;
	for (size_t i = 0; i < m.nbriefs; i++) {
		size_t k = 0;
		for (size_t l = 0; l < m.nlangs; l++)
			k += m.briefs[i].posts[l] != 0;
		both += k > 1;
	}
	for (size_t i = 0; i < m.nposts; i++)
		notes += m.posts[i].brief >= 0 ? m.posts[i].notes.n : 0;
	buf_addf(report, "imported %zu post%s as %zu brief%s (%zu in more than one language); %zu file%s not imported; "
		 "%zu construct%s of the posts not carried over (the warnings above)\n", written, written == 1 ? "" : "s",
		 m.nbriefs, m.nbriefs == 1 ? "" : "s", both, m.nskipped, m.nskipped == 1 ? "" : "s", notes,
		 notes == 1 ? "" : "s");
	release(&m);
	return r;
}
