/* content — scan briefs and read their front matter. */
#include "content.h"
#include "cites.h"
#include "prose.h"
#include "shortcode.h"
#include "fsutil.h"
#include "pool.h"
#include "strmap.h"
#include "urls.h"
#include "utf8.h"
#include "zone.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

/* Digits at *p, at least min and at most max of them, as a number (-1: none). */
static int digits(const char **p, int min, int max)
{
	int v = 0, n = 0;
	while (n < max && isdigit((unsigned char)(*p)[n]))
		v = v * 10 + ((*p)[n++] - '0');
	if (n < min)
		return -1;
	*p += n;
	return v;
}

const char *content_split_dated(const char *name, struct fm_date *date)
{
	/* YYYY-M-D- as Jekyll reads a post's name: month and day may have one
	 * digit (2017-2-5-name.md) */
	const char *p = name;
	int y = digits(&p, 4, 4);
	if (y < 0 || *p++ != '-')
		return NULL;
	int m = digits(&p, 1, 2);
	if (m < 0 || *p++ != '-')
		return NULL;
	int d = digits(&p, 1, 2);
	if (d < 0 || *p != '-')
		return NULL;
	char iso[48]; /* room for any int the compiler imagines */
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
	if (fm_parse_date(iso, date) < 0)
		return NULL;
	return p + 1;
}

int content_slug_ok(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!(isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p >= 0x80))
			return 0;
	/* beyond ASCII: UTF-8 text only (a URL's path is), and no C1 control */
	size_t n = strlen(s);
	if (utf8_invalid_at(s, n) != (size_t)-1)
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] <= 0x9F)
			return 0;
	return 1;
}

char *content_date_iso(const struct fm_date *d, const char *tz)
{
	/* a date without a zone is a wall-clock time in the site's zone, whose
	 * offset may depend on the date (daylight saving time) */
	int off = d->has_tz ? d->tz_min : zone_offset(tz, d->y, d->mo, d->d, d->h, d->mi, d->s);
	char zone[8] = "Z";
	if (off) {
		int m = off < 0 ? -off : off;
		snprintf(zone, sizeof zone, "%c%02d:%02d", off < 0 ? '-' : '+', m / 60 % 100, m % 60);
	}
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d%s", d->y, d->mo, d->d, d->h, d->mi, d->s, zone);
}

void content_drop_sources(struct brief *b, size_t nlangs)
{
	for (size_t i = 0; i < nlangs; i++) {
		struct page *p = b->pages[i];
		if (!p || !p->src_is_file)
			continue;
		buf_release(&p->src);
		p->body = NULL;
		p->body_len = 0;
	}
}

static void page_free(struct page *p)
{
	if (!p)
		return;
	free(p->file);
	buf_release(&p->src);
	fm_release(&p->fm);
	free(p->url);
	free(p->updated_iso);
	blob_unref(p->html_blob);
	free(p->summary);
	free(p->toc);
	free(p);
}

static void brief_free(struct brief *b, size_t nlangs)
{
	if (!b)
		return;
	free(b->entry);
	diag_release(&b->scan_diags);
	for (size_t i = 0; i < nlangs; i++)
		page_free(b->pages[i]);
	free(b->pages);
	free(b->dir);
	free(b->name);
	free(b->slug);
	free(b->date_iso);
	for (char **a = b->assets; a && *a; a++)
		free(*a);
	free(b->assets);
	blob_unref(b->numbers);
	blob_unref(b->numbers_csv);
	blob_unref(b->numbers_part);
	cites_clear(b);
	free(b);
}

void content_release(struct content *ct)
{
	for (size_t i = 0; i < ct->n; i++)
		brief_free(ct->briefs[i], ct->nlangs);
	free(ct->briefs);
	for (size_t i = 0; i < ct->nspages; i++)
		brief_free(ct->spages[i], ct->nlangs);
	free(ct->spages);
	memset(ct, 0, sizeof *ct);
}

/* A brief is text: 8 MiB is a long book. A bigger file is an author's
 * mistake (a data dump, a video renamed .md), and letting it in only moves
 * the failure to a later stage that blames itself (the template engine's
 * memory cap). */
#define BRIEF_FILE_MAX ((off_t)8 << 20)

/* The error for a file of size bytes, over BRIEF_FILE_MAX: its size in
 * MiB, rounded up to a tenth so that it never reads as the limit. */
static int too_big(struct diag_list *dl, const char *file, off_t size)
{
	long long tenths = (long long)(size >> 20) * 10 + ((size & ((1 << 20) - 1)) * 10 + (1 << 20) - 1) / (1 << 20);
	if (tenths % 10)
		return diag_error(dl, (struct srcpos){ file, 0, 0 }, "%lld.%lld MiB; a brief file may be at most %lld MiB",
				  tenths / 10, tenths % 10, (long long)(BRIEF_FILE_MAX >> 20));
	return diag_error(dl, (struct srcpos){ file, 0, 0 }, "%lld MiB; a brief file may be at most %lld MiB",
			  tenths / 10, (long long)(BRIEF_FILE_MAX >> 20));
}

/* Reads and checks one Markdown file. Returns NULL (with diagnostics) when
 * it cannot be used; *skip is set for drafts. */
/* Control characters (C0 but tab, line feed and carriage return; DEL; C1)
 * mean nothing in a page and are invalid in HTML: each one in the body
 * (from byte `from`; front matter refuses them, frontmatter.c) is removed,
 * with a warning at its place (a word processor's backspace in a post). */
/* The bytes that can start a control character: C0 but tab and line ends,
 * DEL, and 0xC2 (C1 is U+0080-U+009F, C2 80-C2 9F in UTF-8). */
static const unsigned char maybe_control[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x0B] = 1, [0x0C] = 1, [0x0E] = 1, [0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1,
	[0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1,
	[0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1, [0x7F] = 1, [0xC2] = 1,
};

/* Returns 1 when it removed anything. */
static int strip_controls(struct page *p, size_t from, struct diag_list *dl)
{
	char *s = p->src.ptr;
	size_t n = p->src.len, o = from;
	int line = 1, col = 1;
	size_t last = 0; /* where line and col stand */
	for (size_t i = from; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (!maybe_control[c]) { /* nearly every byte */
			if (o != i)
				s[o] = s[i];
			o++, i++;
			continue;
		}
		size_t k = c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9F ? 2 : 1;
		int ctl = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || k == 2;
		if (ctl) {
			utf8_advance(s + last, i - last, &line, &col);
			last = i;
			unsigned cp = k == 2 ? (unsigned char)s[i + 1] : c;
			diag_warning(dl, (struct srcpos){ p->file, line, col },
				     "control character U+%04X removed (it has no place in a page)", cp);
			i += k;
			continue;
		}
		if (o != i) /* nothing moves until the first control character */
			s[o] = s[i];
		o++, i++;
	}
	if (o < n) {
		p->src.len = o;
		s[o] = '\0';
		return 1;
	}
	return 0;
}

/* The body: where it starts in the source, its first line, its hash. */
static void page_body(struct page *p)
{
	p->body = p->src.ptr + p->fm.body_off;
	p->body_len = p->src.len - p->fm.body_off;
	p->body_line = p->fm.body_line;
	struct hasher *h = hash_new();
	hash_bytes(h, p->body, p->body_len);
	p->body_hash = hash_done(h);
}

static struct page *page_load(const char *file, const struct config *cfg, int drafts, int *skip,
			      struct diag_list *dl)
{
	*skip = 0;
	/* the size first, so that a huge file is never read */
	struct stat st;
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > BRIEF_FILE_MAX) {
		too_big(dl, file, st.st_size);
		return NULL;
	}
	struct page *p = xcalloc(1, sizeof *p);
	p->file = xstrdup(file);
	if (fs_read(file, &p->src) < 0) {
		diag_error(dl, (struct srcpos){ p->file, 0, 0 }, "cannot read file");
		page_free(p);
		return NULL;
	}
	if (p->src.len > (size_t)BRIEF_FILE_MAX) { /* it grew after stat */
		too_big(dl, p->file, (off_t)p->src.len);
		page_free(p);
		return NULL;
	}
	size_t bad = utf8_invalid_at(p->src.ptr, p->src.len);
	if (bad != (size_t)-1) {
		int line = 1, col = 1;
		utf8_advance(p->src.ptr, bad, &line, &col);
		diag_error(dl, (struct srcpos){ p->file, line, col },
			   "invalid UTF-8 (byte 0x%02X at offset %zu)", (unsigned char)p->src.ptr[bad], bad);
		page_free(p);
		return NULL;
	}
	if (fm_parse(&p->fm, p->file, p->src.ptr, p->src.len, dl) < 0) {
		page_free(p);
		return NULL;
	}
	(void)cfg;
	if (p->fm.meta.draft && !drafts) {
		*skip = 1;
		page_free(p);
		return NULL;
	}
	p->title = p->fm.meta.title;
	if (!p->title || !*p->title) {
		diag_error(dl, (struct srcpos){ p->file, 1, 1 }, "missing title (add 'title:' to the front matter)");
		page_free(p);
		return NULL;
	}
	p->src_is_file = !strip_controls(p, p->fm.body_off, dl);
	page_body(p);
	return p;
}

struct leftover {
	struct diag_list *dl;
	const char *file, *code;
	size_t n;
};

static void on_leftover(void *ctx, int line, const char *word)
{
	struct leftover *lo = ctx;
	diag_warning(lo->dl, (struct srcpos){ lo->file, line, 0 },
		     "'%s' is still Traditional in the %s edition: OpenCC left it; give it in that "
		     "language's phrases (content/site.lua) if it should change", word, lo->code);
	lo->n++;
}

/* The pages of a brief's converted editions (config.h, docs/zh-hans.md):
 * each made from its source language's page, unless the brief has its own
 * file for it. The page keeps the source's file name, so what is said
 * about it points at the file an author edits (conversion keeps lines). */
static int convert_pages(struct brief *b, const struct config *cfg, struct diag_list *dl)
{
	int r = 0;
	for (size_t k = 0; k < cfg->nlangs; k++) {
		const struct lang *l = &cfg->langs[k];
		const struct page *sp = l->conv ? b->pages[l->from] : NULL;
		if (!sp || b->pages[k])
			continue;
		struct page *p = xcalloc(1, sizeof *p);
		p->file = xstrdup(sp->file);
		char *fp = xasprintf("/%s/", cfg->langs[l->from].code), *tp = xasprintf("/%s/", l->code);
		zhconv_markdown(l->conv, sp->src.ptr, sp->src.len, fp, tp, &p->src);
		free(fp);
		free(tp);
		/* what the front matter says was said of the source page already */
		struct diag_list quiet = DIAG_LIST_INIT;
		if (fm_parse(&p->fm, p->file, p->src.ptr, p->src.len, &quiet) < 0 || !p->fm.meta.title) {
			diag_move(dl, &quiet);
			page_free(p);
			r = -1;
			continue;
		}
		diag_release(&quiet);
		/* old addresses redirect to the page they were: the source's */
		p->fm.meta.nredirects = 0;
		if (cfg->lint) { /* `briefgen check`: what OpenCC left Traditional */
			struct leftover lo = { dl, p->file, l->code, 0 };
			zhconv_leftovers(l->conv, p->src.ptr, p->src.len, on_leftover, &lo);
		}
		p->title = p->fm.meta.title;
		page_body(p);
		p->brief = b;
		p->lang = k;
		p->converted = 1;
		b->pages[k] = p;
	}
	return r;
}

/* The instant of a date content_date_iso wrote. */
static long long iso_epoch(const char *iso)
{
	struct fm_date zoned; /* the date with its zone applied */
	fm_parse_date(iso, &zoned);
	return fm_date_epoch(&zoned, 0);
}

/* Each page's last change, once: `updated` (or Jekyll's `last_modified_at`)
 * must be a date; it counts when later than the brief's date. */
static int settle_updated(struct brief *b, const struct config *cfg, struct diag_list *dl)
{
	int r = 0;
	for (size_t i = 0; i < cfg->nlangs; i++) {
		struct page *p = b->pages[i];
		if (!p)
			continue;
		free(p->updated_iso);
		p->updated_iso = NULL;
		static const char *const keys[] = { "updated", "last_modified_at", "lastmod" }; /* ours, Jekyll's, Hugo's */
		for (int k = 0; k < 3 && !p->updated_iso; k++) {
			const struct fm_node *n = fm_get(&p->fm.root, keys[k]);
			struct fm_date d;
			if (!n)
				continue;
			if (n->kind != FM_SCALAR || fm_parse_date(n->str, &d) < 0) {
				r = diag_error(dl, (struct srcpos){ p->file, n->line, n->col },
					       "'%s' is not a date (YYYY-MM-DD, with a time and a zone if wanted)",
					       keys[k]);
				break;
			}
			char *iso = content_date_iso(&d, cfg->timezone);
			long long e = iso_epoch(iso);
			if (e > b->epoch) {
				p->updated_iso = iso;
				p->updated_epoch = e;
			} else {
				free(iso);
				break;
			}
		}
		if (!p->updated_iso) {
			p->updated_iso = xstrdup(b->date_iso);
			p->updated_epoch = b->epoch;
		}
	}
	return r;
}

/* Settles a brief's slug and date from its name and its pages' front
 * matter (front matter wins; the default language's page first). */
static int brief_settle(struct brief *b, const struct config *cfg, const char *stem,
			struct diag_list *dl)
{
	struct fm_date named;
	const char *slug = content_split_dated(stem, &named);
	int have_date = slug != NULL;
	if (!slug)
		slug = stem;
	const struct page *from_slug = NULL, *from_date = NULL;
	for (size_t k = 0; k < cfg->nlangs; k++) {
		size_t i = (cfg->def + k) % cfg->nlangs;
		const struct page *p = b->pages[i];
		if (!p)
			continue;
		if (p->fm.meta.slug && !from_slug)
			from_slug = p;
		if (p->fm.meta.has_date && !from_date)
			from_date = p;
	}
	if (from_slug)
		slug = from_slug->fm.meta.slug;
	if (from_date) {
		b->date = from_date->fm.meta.date;
	} else if (have_date) {
		b->date = named;
	} else {
		const struct page *p = NULL;
		for (size_t i = 0; !p && i < cfg->nlangs; i++)
			p = b->pages[i];
		/* a name that begins with a date that is none (2017-13-45-x):
		 * say so, rather than suggest a second date before it */
		const char *q = stem;
		int y = digits(&q, 2, 4), m = y < 0 || *q != '-' ? -1 : (q++, digits(&q, 1, 2));
		int d = m < 0 || *q != '-' ? -1 : (q++, digits(&q, 1, 2));
		if (d >= 0 && *q == '-')
			return diag_error(dl, (struct srcpos){ p->file, 1, 1 },
					  "'%.*s' at the start of the name is not a date (YYYY-MM-DD): correct it or add "
					  "'date:' to the front matter", (int)(q - stem), stem);
		return diag_error(dl, (struct srcpos){ p->file, 1, 1 },
				  "no date: name the brief 'YYYY-MM-DD-%s' or add 'date:' to the front matter", stem);
	}
	if (!content_slug_ok(slug)) {
		/* Point at the `slug:` key when it came from there, else at the
		 * folder (or the post file) whose name gave it. */
		struct srcpos at = { b->dir, 0, 0 };
		const struct fm_node *n = from_slug ? fm_get(&from_slug->fm.root, "slug") : NULL;
		if (n)
			at = (struct srcpos){ from_slug->file, n->line, n->col };
		for (size_t i = 0; !at.file && i < cfg->nlangs; i++)
			if (b->pages[i])
				at.file = b->pages[i]->file;
		return diag_error(dl, at, "slug '%s' is not usable in a URL (letters of any script, digits, '-', '_' and '.', not starting with '-' or '.')", slug);
	}
	b->slug = xstrdup(slug);
	b->date_iso = content_date_iso(&b->date, cfg->timezone);
	b->epoch = iso_epoch(b->date_iso);
	return settle_updated(b, cfg, dl);
}

static struct brief *brief_new(const struct config *cfg, const char *dir, const char *name)
{
	struct brief *b = xcalloc(1, sizeof *b);
	b->pages = xcalloc(cfg->nlangs, sizeof *b->pages);
	b->dir = dir ? xstrdup(dir) : NULL;
	b->name = xstrdup(name);
	b->assets = xcalloc(1, sizeof *b->assets);
	return b;
}

static void add_asset(struct brief *b, const char *rel)
{
	size_t n = 0;
	while (b->assets[n])
		n++;
	b->assets = xrealloc(b->assets, (n + 2) * sizeof *b->assets);
	b->assets[n] = xstrdup(rel);
	b->assets[n + 1] = NULL;
}

/* Symbolic links may lead anywhere inside the content folder (root,
 * resolved), never out of it: a link to /etc/passwd or /proc/self/environ
 * would otherwise be published. Returns 0, or -1 with an error. */
static int link_guard(const char *path, const char *root, struct diag_list *dl)
{
	char *to;
	int r = fs_link_check(path, root, &to);
	if (r > 0) {
		diag_error(dl, (struct srcpos){ path, 0, 0 },
			   "symbolic link leads out of the content folder (to '%s'); briefgen does not read "
			   "through it", to);
		free(to);
		return -1;
	}
	if (r < 0)
		return diag_error(dl, (struct srcpos){ path, 0, 0 }, "symbolic link leads nowhere: %s",
				  strerror(errno));
	return 0;
}

/* The folders from the bundle down to the one being walked, to notice a
 * symbolic link that leads back up (the walk would never end). */
struct dir_chain {
	dev_t dev;
	ino_t ino;
	const struct dir_chain *up;
};

/* One bundle's walk: the folders already walked, so that links that fan
 * out (each folder linking twice to the next) cost one visit per folder,
 * not one per path. */
struct bundle_walk {
	struct brief *b;
	const char *root;
	struct { dev_t dev; ino_t ino; char *rel; } *seen;
	size_t nseen;
	struct diag_list *dl;
};

/* Collects bundle files below dir (sorted, recursive); `.md` files at the
 * top level are the language pages. Returns -1 on a symbolic link loop or
 * a link out of the content folder. */
static int walk_assets(struct bundle_walk *w, const char *dir, const char *rel, const struct dir_chain *up)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return 0;
	for (const struct dir_chain *c = up; c; c = c->up)
		if (c->dev == st.st_dev && c->ino == st.st_ino)
			return diag_error(w->dl, (struct srcpos){ dir, 0, 0 },
					  "symbolic link loop: this folder is one of its own parents");
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino) {
			diag_warning(w->dl, (struct srcpos){ dir, 0, 0 },
				     "the same folder as '%s' (a symbolic link); its files are published once, "
				     "there", w->seen[i].rel);
			return 0;
		}
	w->seen = xrealloc(w->seen, (w->nseen + 1) * sizeof *w->seen);
	w->seen[w->nseen].dev = st.st_dev;
	w->seen[w->nseen].ino = st.st_ino;
	w->seen[w->nseen++].rel = xstrdup(rel ? rel : ".");
	struct dir_chain here = { st.st_dev, st.st_ino, up };
	int r = 0;
	char **names = fs_list(dir);
	for (char **n = names; r == 0 && n && *n; n++) {
		if ((*n)[0] == '.')
			continue;
		char *path = fs_join(dir, *n);
		char *rp = rel ? xasprintf("%s/%s", rel, *n) : xstrdup(*n);
		if (link_guard(path, w->root, w->dl) < 0)
			r = -1;
		else if (fs_is_dir(path))
			r = walk_assets(w, path, rp, &here);
		else if (rel || !strstr(*n, ".md") || strcmp(*n + strlen(*n) - 3, ".md"))
			add_asset(w->b, rp);
		free(rp);
		free(path);
	}
	fs_list_free(names);
	return r;
}

/* Length of a Markdown file name's extension (".md", ".markdown": Jekyll's
 * default), or 0 when it is none. */
static size_t md_ext(const char *name)
{
	size_t l = strlen(name);
	if (l > 3 && !strcmp(name + l - 3, ".md"))
		return 3;
	if (l > 9 && !strcmp(name + l - 9, ".markdown"))
		return 9;
	return 0;
}

/* The language of a page no name or `lang:` places: the script of its title
 * and text. Enough Han (or kana) is the site's Chinese (or Japanese) language, else
 * its first language written in Latin script; -1 when the site has no such
 * language. */
static int lang_by_script(const struct page *p, const struct config *cfg)
{
	int cjk = 0, words = 0, tc = 0, tw = 0;
	prose_count(p->body, p->body_len, &cjk, &words);
	if (p->title)
		prose_count(p->title, strlen(p->title), &tc, &tw);
	/* a Han character says about what half a Latin word says: text with
	 * at least half as many of them as words is Chinese (or Japanese) */
	int want_cjk = 2 * (cjk + tc) >= words + tw && cjk + tc > 0;
	for (size_t i = 0; i < cfg->nlangs; i++) {
		const char *c = cfg->langs[i].code;
		int is_cjk = !strncmp(c, "zh", 2) || !strncmp(c, "ja", 2) || !strncmp(c, "ko", 2);
		if (is_cjk == want_cjk)
			return (int)i;
	}
	return -1;
}

/* A page's language, when neither its `lang:` nor its file name gives it:
 * the script of its text, else the default; a note (shown with --verbose)
 * says which rule decided. */
static int lang_of_unmarked(const struct page *p, const struct config *cfg, struct diag_list *dl)
{
	int li = lang_by_script(p, cfg);
	if (li >= 0) {
		diag_note(dl, (struct srcpos){ p->file, 0, 0 },
			  "taken as '%s' from the script of its text (no 'lang:', no language in the file name)",
			  cfg->langs[li].code);
		return li;
	}
	diag_note(dl, (struct srcpos){ p->file, 0, 0 },
		  "taken as '%s', the default language (no 'lang:', no language in the file name)",
		  cfg->langs[cfg->def].code);
	return (int)cfg->def;
}

/* `lang:` of a page, when it has one: its language index, or -2 after an
 * error (not a configured language), or -1 when absent. */
static int lang_of_front(const struct page *p, const struct config *cfg, struct diag_list *dl)
{
	if (!p->fm.meta.lang)
		return -1;
	int fl = config_lang_tag(cfg, p->fm.meta.lang);
	if (fl < 0) {
		const struct fm_node *n = fm_get(&p->fm.root, "lang");
		diag_error(dl, (struct srcpos){ p->file, n->line, n->col },
			   "lang '%s' is not a configured language", p->fm.meta.lang);
		return -2;
	}
	return fl;
}

static struct brief *load_bundle(const char *dir, const char *name, const struct config *cfg,
				 int drafts, const char *root, struct diag_list *dl)
{
	struct brief *b = brief_new(cfg, dir, name);
	int err = 0, any = 0;
	char **names = fs_list(dir);
	for (char **n = names; n && *n; n++) {
		size_t l = strlen(*n), ext = md_ext(*n);
		if (!ext || (*n)[0] == '.')
			continue;
		/* <lang>.md, or Hugo's index.<lang>.md and index.md */
		char *code = xstrndup(*n, l - ext);
		int hugo = !strncmp(code, "index.", 6) || !strcmp(code, "index");
		const char *tag = !strcmp(code, "index") ? NULL : hugo ? code + 6 : code;
		char *file = fs_join(dir, *n);
		int li = tag ? config_lang_tag(cfg, tag) : -1;
		if (link_guard(file, root, dl) < 0) {
			err = 1;
		} else if (tag && li < 0) {
			diag_warning(dl, (struct srcpos){ file, 0, 0 },
				     "'%s' is not a configured language; file ignored", tag);
		} else {
			int skip;
			struct page *p = page_load(file, cfg, drafts, &skip, dl);
			if (p && !tag) {
				li = lang_of_front(p, cfg, dl);
				if (li == -1)
					li = lang_of_unmarked(p, cfg, dl);
			}
			if (p && li >= 0 && b->pages[li]) {
				diag_error(dl, (struct srcpos){ file, 0, 0 }, "a second '%s' page of this brief (the first is %s)",
					   cfg->langs[li].code, b->pages[li]->file);
				li = -2;
			}
			if (p && li >= 0) {
				p->brief = b;
				p->lang = (size_t)li;
				b->pages[li] = p;
				any = 1;
			} else {
				if (p || !skip)
					err = 1;
				page_free(p);
			}
		}
		free(code);
		free(file);
	}
	fs_list_free(names);
	if (err || !any) {
		brief_free(b, cfg->nlangs);
		return err ? (void *)-1 : NULL;
	}
	struct bundle_walk w = { .b = b, .root = root, .dl = dl };
	int r = walk_assets(&w, dir, NULL, NULL);
	for (size_t i = 0; i < w.nseen; i++)
		free(w.seen[i].rel);
	free(w.seen);
	if (r < 0) {
		brief_free(b, cfg->nlangs);
		return (void *)-1;
	}
	return b;
}

static struct brief *load_post(const char *file, const char *name, const struct config *cfg,
			       int drafts, struct diag_list *dl)
{
	/* Its language: front matter `lang` (any BCP 47 form); else the name's
	 * suffix (name.en.md, name.zh-cn.md); else the script of its text. */
	char *stem = xstrndup(name, strlen(name) - md_ext(name));
	int li = -1;
	char *dot = strrchr(stem, '.');
	if (dot && (li = config_lang_tag(cfg, dot + 1)) >= 0)
		*dot = '\0';
	int skip;
	struct page *p = page_load(file, cfg, drafts, &skip, dl);
	if (!p) {
		free(stem);
		return skip ? NULL : (void *)-1;
	}
	int fl = lang_of_front(p, cfg, dl);
	if (fl == -2) {
		page_free(p);
		free(stem);
		return (void *)-1;
	}
	if (fl >= 0)
		li = fl;
	if (li < 0)
		li = lang_of_unmarked(p, cfg, dl);
	struct brief *b = brief_new(cfg, NULL, name);
	p->brief = b;
	p->lang = (size_t)li;
	b->pages[li] = p;
	free(b->name);
	b->name = stem;
	return b;
}

/* The file that stands for a brief in messages: its default-language page. */
static const char *brief_file(const struct brief *b, const struct config *cfg)
{
	for (size_t k = 0; k < cfg->nlangs; k++) {
		const struct page *p = b->pages[(cfg->def + k) % cfg->nlangs];
		if (p)
			return p->file;
	}
	return b->name;
}

static int cmp_brief(const void *x, const void *y)
{
	const struct brief *a = *(struct brief *const *)x, *b = *(struct brief *const *)y;
	/* newest first, by instant: "2024-12-13T01:00+08:00" is older than
	 * "2024-12-12T20:00Z" although it sorts after it as text */
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? 1 : -1;
	return strcmp(a->slug, b->slug);
}

/* Jekyll's and Hugo's template tags in each page's body (shortcode.h):
 * the body is rewritten in place in the page's source. root: the content
 * folder; the project's _includes/ is beside it. */
static int carry_tags(struct brief *b, const struct config *cfg, const char *root, struct diag_list *dl)
{
	int r = 0;
	char *parent = fs_join(root, "..");
	char *includes = fs_join(parent, "_includes");
	for (size_t i = 0; i < cfg->nlangs; i++) {
		struct page *p = b->pages[i];
		if (!p || !shortcode_any(p->body, p->body_len))
			continue;
		struct buf out = BUF_INIT;
		buf_add(&out, p->src.ptr, p->fm.body_off);
		struct shortcode_ctx c = { p->file, p->body_line, cfg->langs[i].code, includes };
		if (shortcode_apply(p->body, p->body_len, &c, &out, dl) < 0)
			r = -1;
		buf_release(&p->src);
		p->src = out;
		p->src_is_file = 0;
		p->body = p->src.ptr + p->fm.body_off;
		p->body_len = p->src.len - p->fm.body_off;
	}
	free(includes);
	free(parent);
	return r;
}

/* Reads one entry of content/briefs/: a bundle folder or a post file.
 * NULL when it is no brief (a draft, another file) or failed (reported). */
static struct brief *load_entry(const char *dir, const char *name, const char *root, const struct config *cfg,
				int drafts, struct diag_list *dl)
{
	char *path = fs_join(dir, name);
	struct brief *b = NULL;
	if (link_guard(path, root, dl) < 0)
		b = NULL;
	else if (fs_is_dir(path) && config_lang_tag(cfg, name) >= 0)
		/* jekyll-polyglot's _posts/zh-CN/, a Hugo tree per language */
		diag_error(dl, (struct srcpos){ path, 0, 0 },
			   "a folder per language is not read: each brief is a folder "
			   "content/briefs/YYYY-MM-DD-slug/ with one file per language (%s.md, …); "
			   "`briefgen import jekyll|hugo` lays a site out so",
			   cfg->langs[config_lang_tag(cfg, name)].code);
	else if (fs_is_dir(path))
		b = load_bundle(path, name, cfg, drafts, root, dl);
	else if (md_ext(name))
		b = load_post(path, name, cfg, drafts, dl);
	free(path);
	if (!b || b == (void *)-1)
		return NULL;
	if (carry_tags(b, cfg, root, dl) < 0 || convert_pages(b, cfg, dl) < 0 ||
	    brief_settle(b, cfg, b->dir ? name : b->name, dl) < 0) {
		brief_free(b, cfg->nlangs);
		return NULL;
	}
	b->entry = xstrdup(name);
	return b;
}

/* The previous scan's brief of this entry when it may be reused: moved
 * out of prev (what it reported is said again by say_again). */
static struct brief *take_reused(const struct content_reuse *reuse, struct strmap *by_entry, const char *name)
{
	if (!reuse || !reuse->prev || !reuse->dirty || strmap_find(reuse->dirty, name))
		return NULL;
	struct strmap_slot *s = strmap_find(by_entry, name);
	struct brief **slot = s ? s->value : NULL;
	if (!slot || !*slot)
		return NULL;
	struct brief *b = *slot;
	*slot = NULL;
	b->reused = 1;
	/* what rendering filled in comes again from this build's render stage */
	b->has_numbers = 0;
	for (size_t k = 0; k < reuse->prev->nlangs; k++) {
		struct page *p = b->pages[k];
		if (!p)
			continue;
		blob_unref(p->html_blob);
		free(p->summary);
		free(p->toc);
		p->html_blob = NULL;
		p->html = p->summary = p->toc = NULL;
	}
	return b;
}

static void say_again(const struct brief *b, struct diag_list *dl)
{
	size_t from = dl->n;
	for (size_t i = 0; i < b->scan_diags.n; i++) {
		const struct diag *d = &b->scan_diags.items[i];
		diag_add(dl, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
	}
	diag_mark_again(dl, from);
}

/* Reading entries is files and YAML, independent of each other: on the
 * pool when there are enough of them to pay for the threads. */
#define SCAN_PARALLEL_FROM 64

struct loading {
	const char *dir, *root;
	const struct config *cfg;
	int drafts;
	char **names;            /* the entries to read */
	struct brief **out;      /* per entry: what it read, or NULL */
	struct diag_list *diags; /* per entry: what reading it said */
};

static void load_one(void *ctx, size_t i, void **local)
{
	(void)local;
	struct loading *l = ctx;
	struct brief *b = load_entry(l->dir, l->names[i], l->root, l->cfg, l->drafts, &l->diags[i]);
	for (size_t k = 0; b && k < l->diags[i].n; k++) {
		const struct diag *d = &l->diags[i].items[k];
		diag_add(&b->scan_diags, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
	}
	l->out[i] = b;
}

/* Markdown files below dir (not in briefs/, not hidden), to depth 3: how
 * many, and the first folder holding one. */
static void count_md(const char *dir, int depth, size_t *n, char **first)
{
	char **names = fs_list(dir);
	for (char **p = names; p && *p; p++) {
		if ((*p)[0] == '.' || (depth == 0 && !strcmp(*p, "briefs")))
			continue;
		char *path = fs_join(dir, *p);
		if (fs_is_dir(path) && depth < 3) {
			count_md(path, depth + 1, n, first);
		} else if (md_ext(*p) && fs_is_file(path)) {
			if (!(*n)++)
				*first = xstrdup(dir);
		}
		free(path);
	}
	fs_list_free(names);
}

/* No brief at all, yet Markdown elsewhere under content/ (Hugo's
 * content/en/posts/, Jekyll's _posts/ copied over): an error saying where
 * briefs go, rather than a site of no briefs and exit 0. */
static void misplaced(const char *content_dir, struct diag_list *dl)
{
	size_t n = 0;
	char *first = NULL;
	count_md(content_dir, 0, &n, &first);
	if (n)
		diag_error(dl, (struct srcpos){ content_dir, 0, 0 },
			   "%zu Markdown file%s (the first in %s) but no brief in briefs/: a brief is a file "
			   "briefs/YYYY-MM-DD-slug.md (a Jekyll post) or a folder briefs/YYYY-MM-DD-slug/ with zh.md "
			   "and en.md (or Hugo's index.LANG.md)", n, n == 1 ? "" : "s", first);
	free(first);
}

/* Whether two briefs have a page in one language. */
static int same_langs(const struct brief *a, const struct brief *b, size_t nlangs)
{
	for (size_t k = 0; k < nlangs; k++)
		if (a->pages[k] && b->pages[k])
			return 1;
	return 0;
}

/* Folder names a standalone page may not take: the site's own paths in a
 * language's folder. */
static const char *const spage_reserved[] = { "briefs", "page", "tags", "categories", "feed.xml", "search", NULL };

/* content/pages/NAME/<lang>.md: one page per folder, one file per language. */
static void scan_spages(struct content *ct, const struct config *cfg, const struct urls *u, const char *content_dir,
			int drafts, struct diag_list *dl)
{
	char *dir = fs_join(content_dir, "pages");
	char **names = fs_is_dir(dir) ? fs_list(dir) : NULL;
	for (char **n = names; n && *n; n++) {
		if ((*n)[0] == '.' || (*n)[0] == '_')
			continue;
		char *full = fs_join(dir, *n);
		int bad = 0;
		if (!fs_is_dir(full)) {
			diag_error(dl, (struct srcpos){ full, 0, 0 },
				   "a page is a folder with one file per language: %s/NAME/%s.md", dir, cfg->langs[0].code);
			bad = 1;
		} else if (!content_slug_ok(*n)) {
			diag_error(dl, (struct srcpos){ full, 0, 0 },
				   "'%s' cannot be a page's address: use letters, digits, '-' and '_'", *n);
			bad = 1;
		}
		for (const char *const *r = spage_reserved; !bad && *r; r++)
			if (!strcmp(*r, *n)) {
				diag_error(dl, (struct srcpos){ full, 0, 0 },
					   "'%s' is a path of the site's own pages; give the page another folder name", *n);
				bad = 1;
			}
		struct brief *b = bad ? NULL : brief_new(cfg, full, *n);
		int any = 0;
		for (size_t l = 0; b && l < cfg->nlangs; l++) {
			char *file = xasprintf("%s/%s.md", full, cfg->langs[l].code);
			int skip = 0;
			struct stat st;
			struct page *p = stat(file, &st) == 0 ? page_load(file, cfg, drafts, &skip, dl) : NULL;
			free(file);
			if (!p)
				continue;
			p->brief = b;
			p->lang = l;
			p->url = urls_kind(u, l, *n);
			b->pages[l] = p;
			any = 1;
		}
		if (b && any && convert_pages(b, cfg, dl) == 0)
			for (size_t l = 0; l < cfg->nlangs; l++)
				if (b->pages[l] && !b->pages[l]->url) {
					b->pages[l]->url = urls_kind(u, l, *n);
					b->pages[l]->brief = b;
				}
		if (b && !any) {
			brief_free(b, cfg->nlangs);
			b = NULL;
		}
		if (b) {
			b->slug = xstrdup(*n);
			b->entry = xasprintf("pages/%s", *n);
			ct->spages = xrealloc(ct->spages, (ct->nspages + 1) * sizeof *ct->spages);
			b->index = ct->nspages;
			ct->spages[ct->nspages++] = b;
		}
		free(full);
	}
	fs_list_free(names);
	free(dir);
}

int content_scan(struct content *ct, const struct config *cfg, const struct urls *u,
		 const char *content_dir, int drafts, const struct content_reuse *reuse, int jobs,
		 struct diag_list *dl)
{
	memset(ct, 0, sizeof *ct);
	ct->nlangs = cfg->nlangs;
	char *dir = fs_join(content_dir, "briefs");
	char *root = fs_resolve(content_dir);
	char **names = fs_list(dir);
	size_t errors = dl->errors, nnames = 0;
	while (names && names[nnames])
		nnames++;
	struct strmap by_entry = STRMAP_INIT; /* the previous scan's briefs: entry -> &prev->briefs[i] */
	for (size_t i = 0; reuse && reuse->prev && i < reuse->prev->n; i++)
		if (reuse->prev->briefs[i] && reuse->prev->briefs[i]->entry)
			strmap_put(&by_entry, reuse->prev->briefs[i]->entry, NULL)->value = &reuse->prev->briefs[i];
	/* Which entries are taken as they were, which are read (in parallel),
	 * then both in name order, so the briefs and messages never depend on
	 * timing. */
	struct brief **taken = xcalloc(nnames + 1, sizeof *taken);
	size_t *at = xcalloc(nnames + 1, sizeof *at), nload = 0;
	struct loading l = { dir, root, cfg, drafts, xcalloc(nnames + 1, sizeof(char *)),
			     xcalloc(nnames + 1, sizeof(struct brief *)), xcalloc(nnames + 1, sizeof(struct diag_list)) };
	for (size_t i = 0; root && i < nnames; i++) {
		if (names[i][0] == '.' || names[i][0] == '_')
			continue;
		if (!(taken[i] = take_reused(reuse, &by_entry, names[i]))) {
			at[i] = nload + 1;
			l.names[nload++] = names[i];
		}
	}
	if (nload >= SCAN_PARALLEL_FROM && jobs != 1) {
		struct pool *pl = pool_new(jobs, NULL);
		pool_run(pl, nload, load_one, &l);
		pool_free(pl);
	} else {
		for (size_t i = 0; i < nload; i++)
			load_one(&l, i, NULL);
	}
	for (size_t i = 0; root && i < nnames; i++) {
		struct brief *b = taken[i];
		if (b) {
			say_again(b, dl);
		} else if (at[i]) {
			b = l.out[at[i] - 1];
			diag_move(dl, &l.diags[at[i] - 1]);
		}
		if (!b)
			continue;
		if (!(ct->n & (ct->n - 1))) /* grows at powers of two */
			ct->briefs = xrealloc(ct->briefs, (ct->n ? 2 * ct->n : 1) * sizeof *ct->briefs);
		ct->briefs[ct->n++] = b;
	}
	free(l.names);
	free(l.out);
	free(l.diags);
	free(taken);
	free(at);
	strmap_release(&by_entry);
	fs_list_free(names);
	free(dir);
	free(root);
	if (ct->n > 1)
		qsort(ct->briefs, ct->n, sizeof *ct->briefs, cmp_brief);
	if (ct->n == 0)
		misplaced(content_dir, dl);
	/* Same slug twice: name both places (the first user of the slug). */
	struct strmap slugs = STRMAP_INIT;
	for (size_t k = 0; k < ct->n; k++) {
		int added;
		struct strmap_slot *first = strmap_put(&slugs, ct->briefs[k]->slug, &added);
		const struct brief *b = ct->briefs[k], *f = added ? NULL : first->value;
		if (added)
			first->value = ct->briefs[k];
		else if (!b->dir && !f->dir && !same_langs(b, f, cfg->nlangs))
			/* Jekyll's translations, one post file each (x.en.md, x.zh.md) */
			diag_error(dl, (struct srcpos){ brief_file(b, cfg), 1, 1 },
				   "'%s' is a translation of '%s': the languages of one brief go in one folder, "
				   "content/briefs/%s/ with one file per language (zh.md, en.md)",
				   brief_file(b, cfg), brief_file(f, cfg), f->name);
		else
			diag_error(dl, (struct srcpos){ brief_file(b, cfg), 1, 1 },
				   "slug '%s' is already used by '%s'", b->slug, brief_file(f, cfg));
	}
	strmap_release(&slugs);
	for (size_t i = 0; i < ct->n; i++) {
		struct brief *b = ct->briefs[i];
		b->index = i;
		for (size_t j = 0; j < cfg->nlangs && !b->reused; j++)
			if (b->pages[j])
				b->pages[j]->url = urls_brief(u, j, b->slug);
	}
	scan_spages(ct, cfg, u, content_dir, drafts, dl);
	return dl->errors > errors ? -1 : 0;
}

struct brief *content_reload(const struct content *ct, size_t i, const struct config *cfg, const struct urls *u,
			     const char *content_dir, int drafts, struct diag_list *dl)
{
	const struct brief *old = ct->briefs[i];
	char *dir = fs_join(content_dir, "briefs");
	char *root = fs_resolve(content_dir);
	struct diag_list mine = DIAG_LIST_INIT;
	struct brief *b = root && old->entry ? load_entry(dir, old->entry, root, cfg, drafts, &mine) : NULL;
	for (size_t k = 0; b && k < mine.n; k++) {
		const struct diag *d = &mine.items[k];
		diag_add(&b->scan_diags, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
	}
	diag_move(dl, &mine);
	free(dir);
	free(root);
	if (!b)
		return NULL;
	b->index = i;
	for (size_t j = 0; j < cfg->nlangs; j++)
		if (b->pages[j])
			b->pages[j]->url = urls_brief(u, j, b->slug);
	return b;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int content_same_outline(const struct brief *a, const struct brief *b, size_t nlangs)
{
	if (!same_str(a->dir, b->dir) || !same_str(a->name, b->name) || !same_str(a->slug, b->slug) ||
	    !same_str(a->entry, b->entry) || !same_str(a->date_iso, b->date_iso) || a->epoch != b->epoch)
		return 0;
	for (size_t k = 0; k < nlangs; k++) {
		const struct page *p = a->pages[k], *q = b->pages[k];
		if (!p != !q)
			return 0;
		if (p && (!same_str(p->file, q->file) || !same_str(p->url, q->url) ||
			  !same_str(p->updated_iso, q->updated_iso) || p->updated_epoch != q->updated_epoch))
			return 0;
	}
	size_t n = 0;
	for (; a->assets[n] && b->assets[n]; n++)
		if (strcmp(a->assets[n], b->assets[n]))
			return 0;
	return !a->assets[n] && !b->assets[n];
}

void content_brief_free(struct brief *b, size_t nlangs)
{
	brief_free(b, nlangs);
}

void content_replace(struct content *ct, size_t i, struct brief *b)
{
	brief_free(ct->briefs[i], ct->nlangs);
	b->index = i;
	ct->briefs[i] = b;
}
