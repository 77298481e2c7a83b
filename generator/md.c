/* md — cmark-gfm parsing and HTML rendering. */
#include "md.h"
#include "prose.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include "banned.h"

struct md_doc {
	cmark_node *root;
	int line_off;
	/* Headings taken out of the tree (anchor_heading), kept until the
	 * document is freed: their inline children, moved elsewhere, may still
	 * point into the heading's own text buffer (cmark-gfm's chunks borrow
	 * it), which freeing the heading would free. */
	cmark_node *husks;
	int *ials;      /* file lines of the kramdown attribute lists dropped */
	size_t nials;
};

static const char *const extensions[] = {
	"table", "strikethrough", "autolink", "tasklist", "tagfilter", NULL
};

#define PARSE_OPTS (CMARK_OPT_FOOTNOTES | CMARK_OPT_SOURCEPOS | CMARK_OPT_UNSAFE)
#define RENDER_OPTS (CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE)

void md_global_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static cmark_llist *ext_list(cmark_mem *mem)
{
	cmark_llist *l = NULL;
	for (const char *const *e = extensions; *e; e++) {
		cmark_syntax_extension *x = cmark_find_syntax_extension(*e);
		if (x)
			l = cmark_llist_append(mem, l, x);
	}
	return l;
}

/* The first and last code point of what node shows, or 0. */
static unsigned edge_char(cmark_node *n, int last)
{
	while (n && (last ? cmark_node_last_child(n) : cmark_node_first_child(n)))
		n = last ? cmark_node_last_child(n) : cmark_node_first_child(n);
	if (!n || (cmark_node_get_type(n) != CMARK_NODE_TEXT && cmark_node_get_type(n) != CMARK_NODE_CODE))
		return 0;
	const char *s = cmark_node_get_literal(n);
	size_t len = s ? strlen(s) : 0, k;
	if (!len)
		return 0;
	if (!last)
		return utf8_decode(s, len, &k);
	size_t i = len - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return utf8_decode(s + i, len - i, &k);
}

/* A paragraph that is only a kramdown attribute list, `{: .class #id}`. */
static int is_ial(cmark_node *p)
{
	cmark_node *t = cmark_node_first_child(p);
	if (!t || t != cmark_node_last_child(p) || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return 0;
	const char *s = cmark_node_get_literal(t);
	size_t n = s ? strlen(s) : 0;
	return n >= 3 && s[0] == '{' && s[1] == ':' && s[n - 1] == '}' && !memchr(s, '\n', n);
}

/* Chinese wrapped in the source: a soft line break between two wide
 * characters is no space (browsers would show one), in the page as in
 * summaries and feeds, which read the same tree. And an autolink (the GFM
 * extension's, whose text is its URL) ends before the first wide character:
 * `https://x.org，然後` links https://x.org, not the sentence after it. */
static void join_wide(struct md_doc *d, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_node **drop = NULL;
	size_t ndrop = 0;
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type ty = cmark_node_get_type(n);
		if (ty == CMARK_NODE_PARAGRAPH && is_ial(n)) { /* kramdown's {: .class} line: not text */
			drop = xrealloc(drop, (ndrop + 1) * sizeof *drop);
			drop[ndrop++] = n;
			d->ials = xrealloc(d->ials, (d->nials + 1) * sizeof *d->ials);
			d->ials[d->nials++] = cmark_node_get_start_line(n) + d->line_off;
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			continue;
		}
		if (ty == CMARK_NODE_PARAGRAPH) { /* ... or the paragraph's last line */
			cmark_node *t = cmark_node_last_child(n), *br = t ? cmark_node_previous(t) : NULL;
			const char *lit = t && cmark_node_get_type(t) == CMARK_NODE_TEXT ? cmark_node_get_literal(t) : NULL;
			size_t ll = lit ? strlen(lit) : 0;
			if (br && cmark_node_get_type(br) == CMARK_NODE_SOFTBREAK && ll >= 3 && lit[0] == '{' &&
			    lit[1] == ':' && lit[ll - 1] == '}') {
				drop = xrealloc(drop, (ndrop + 2) * sizeof *drop);
				drop[ndrop++] = br;
				drop[ndrop++] = t;
				d->ials = xrealloc(d->ials, (d->nials + 1) * sizeof *d->ials);
				d->ials[d->nials++] = cmark_node_get_end_line(n) + d->line_off;
			}
		}
		if (ty == CMARK_NODE_SOFTBREAK) {
			unsigned a = edge_char(cmark_node_previous(n), 1), b = edge_char(cmark_node_next(n), 0);
			if (a && b && prose_wide(a) && prose_wide(b)) {
				drop = xrealloc(drop, (ndrop + 1) * sizeof *drop);
				drop[ndrop++] = n;
			}
		} else if (ty == CMARK_NODE_LINK) {
			cmark_node *t = cmark_node_first_child(n);
			const char *url = cmark_node_get_url(n), *text = t ? cmark_node_get_literal(t) : NULL;
			if (!t || t != cmark_node_last_child(n) || cmark_node_get_type(t) != CMARK_NODE_TEXT || !url || !text)
				continue;
			size_t ul = strlen(url), tl = strlen(text);
			if (tl > ul || strcmp(url + ul - tl, text)) /* not an autolink: its URL ends with its text */
				continue;
			size_t i = 0, k;
			while (i < tl && !prose_wide(utf8_decode(text + i, tl - i, &k)))
				i += k;
			if (i == 0 || i == tl)
				continue;
			char *rest = xstrdup(text + i), *u = xstrndup(url, ul - (tl - i)), *keep = xstrndup(text, i);
			cmark_node_set_url(n, u);
			cmark_node_set_literal(t, keep);
			cmark_node *after = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node_set_literal(after, rest);
			cmark_node_insert_after(n, after);
			free(rest), free(u), free(keep);
		}
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < ndrop; i++) {
		cmark_node_unlink(drop[i]);
		cmark_node_free(drop[i]);
	}
	free(drop);
}

struct md_doc *md_parse(const char *text, size_t len, int body_line, pthread_mutex_t *lock)
{
	if (lock)
		pthread_mutex_lock(lock);
	cmark_parser *p = cmark_parser_new(PARSE_OPTS);
	for (const char *const *e = extensions; *e; e++) {
		cmark_syntax_extension *x = cmark_find_syntax_extension(*e);
		if (x)
			cmark_parser_attach_syntax_extension(p, x);
	}
	cmark_parser_feed(p, text, len);
	struct md_doc *d = xcalloc(1, sizeof *d);
	d->root = cmark_parser_finish(p);
	d->line_off = body_line - 1;
	cmark_parser_free(p);
	if (lock)
		pthread_mutex_unlock(lock);
	join_wide(d, d->root);
	return d;
}

size_t md_dropped_ials(const struct md_doc *d, const int **lines)
{
	*lines = d->ials;
	return d->nials;
}

void md_free(struct md_doc *d)
{
	if (!d)
		return;
	free(d->ials);
	cmark_node_free(d->root);
	if (d->husks)
		cmark_node_free(d->husks);
	free(d);
}

void *md_root(struct md_doc *d)
{
	return d->root;
}

int md_line_offset(const struct md_doc *d)
{
	return d->line_off;
}

void md_slugify(const char *text, struct buf *out)
{
	size_t start = out->len;
	int dash = 0;
	for (const char *p = text; *p;) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80) {
			if (isalnum(c) || c == '_') {
				if (dash && out->len > start)
					buf_addch(out, '-');
				dash = 0;
				buf_addch(out, (char)tolower(c));
			} else {
				dash = 1;
			}
			p++;
			continue;
		}
		size_t l;
		unsigned cp = utf8_decode(p, strlen(p), &l);
		/* Punctuation and symbols (CJK or not) separate words; letters stay. */
		int sep = prose_class(cp) == PROSE_SEP;
		if (sep) {
			dash = 1;
		} else {
			if (dash && out->len > start)
				buf_addch(out, '-');
			dash = 0;
			buf_add(out, p, l);
		}
		p += l;
	}
	if (out->len == start)
		buf_adds(out, "section");
}

static void free_mark(cmark_mem *mem, void *p)
{
	(void)mem;
	free(p);
}

void md_mark_value(void *node, const char *id_text)
{
	cmark_node_set_user_data(node, xstrdup(id_text));
	cmark_node_set_user_data_free_func(node, free_mark);
}

/* The mark of md_mark_value, or NULL. */
static const char *value_mark(cmark_node *n)
{
	return cmark_node_get_user_data(n);
}

/* The text of n as a reader sees it; with for_id, a computed value stands
 * as its id text instead (md_mark_value), so that an id made from it does
 * not change when the number does. */
static void plain_text(cmark_node *n, struct buf *out, int for_id)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (for_id && value_mark(c)) {
			buf_adds(out, value_mark(c));
			if (cmark_node_get_type(c) != CMARK_NODE_TEXT) /* a leaf has no exit to skip to */
				cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
			continue;
		}
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_adds(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_addch(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Makes id (holding a slug) the first of slug, slug-1, slug-2 ... not in
 * ids yet, and adds it. ids maps each id given so far to the next suffix to
 * try when a later slug is that id (a uintptr_t; NULL for 1), so 'a', 'a',
 * 'a' get a, a-1, a-2 without testing a-1 again: the suffix a slug needs
 * only grows (ids are never taken back), and an id is stepped over at most
 * once, by the one slug it is a suffixed form of (a real heading 'a 1',
 * id a-1, is stepped over like a suffixed one). n headings: O(n) lookups;
 * comparing each id with every other was cubic (4 000 headings: 24 s). */
static void id_unique(struct strmap *ids, struct buf *id)
{
	int added;
	struct strmap_slot *slot = strmap_put(ids, id->ptr, &added);
	if (added)
		return;
	uintptr_t k = slot->value ? (uintptr_t)slot->value : 1;
	size_t base = id->len;
	char *slug = xstrdup(id->ptr);
	for (;; k++) {
		buf_truncate(id, base);
		buf_addf(id, "-%ju", (uintmax_t)k);
		strmap_put(ids, id->ptr, &added);
		if (added)
			break;
	}
	/* the put above may have moved the table: find the slug's slot again */
	strmap_find(ids, slug)->value = (void *)(k + 1);
	free(slug);
}

/* Nested <ul> of h2 entries with their h3 entries inside. */
struct toc_state {
	int started;   /* outer <ul> written */
	int open;      /* an outer <li> is open */
	int in_sub;    /* an inner <ul> is open */
};

static void toc_add(struct toc_state *t, struct buf *toc, int level, const char *id, const char *text)
{
	if (!t->started) {
		buf_adds(toc, "<ul>\n");
		t->started = 1;
	}
	if (level == 3 && t->open) {
		buf_adds(toc, t->in_sub ? "</li>\n" : "\n<ul>\n");
		t->in_sub = 1;
	} else {
		if (t->in_sub)
			buf_adds(toc, "</li>\n</ul>\n");
		if (t->open)
			buf_adds(toc, "</li>\n");
		t->in_sub = 0;
		t->open = 1;
	}
	buf_adds(toc, "<li><a href=\"#");
	buf_add_html(toc, id, strlen(id));
	buf_adds(toc, "\">");
	buf_add_html(toc, text, strlen(text));
	buf_adds(toc, "</a>");
}

static void toc_end(struct toc_state *t, struct buf *toc)
{
	if (t->in_sub)
		buf_adds(toc, "</li>\n</ul>\n");
	if (t->open)
		buf_adds(toc, "</li>\n");
	if (t->started)
		buf_adds(toc, "</ul>\n");
}

/* The heading's level, id and self-link as on_enter/on_exit text of a
 * custom inline that takes over the heading's children, inside a custom
 * block that stands where the heading was: cmark renders the children as
 * it would have, with no HTML cut out of a rendering. (A custom block's
 * own on_enter is followed by a line break, so the tag cannot go there.) */
static void anchor_heading(struct md_doc *d, cmark_node *h, int level, const char *id, size_t idlen)
{
	struct buf open = BUF_INIT, close = BUF_INIT;
	buf_addf(&open, "<h%d id=\"", level);
	buf_add_html(&open, id, idlen);
	buf_adds(&open, "\">");
	buf_adds(&close, " <a class=\"anchor\" href=\"#");
	buf_add_html(&close, id, idlen);
	buf_addf(&close, "\" aria-label=\"#\">#</a></h%d>", level);
	cmark_node *blk = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	cmark_node *in = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	cmark_node_set_on_enter(in, open.ptr);
	cmark_node_set_on_exit(in, close.ptr);
	for (cmark_node *c; (c = cmark_node_first_child(h));)
		cmark_node_append_child(in, c); /* unlinks c from h */
	cmark_node_append_child(blk, in);
	cmark_node_replace(h, blk);
	if (!d->husks)
		d->husks = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node_append_child(d->husks, h);
	buf_release(&open);
	buf_release(&close);
}

/* A heading ending in `{#some-id}` (kramdown's and Hugo's attribute):
 * that id, taken out of the heading's text. */
static void custom_id(cmark_node *h, struct buf *id)
{
	cmark_node *t = cmark_node_last_child(h);
	if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return;
	const char *s = cmark_node_get_literal(t);
	size_t n = s ? strlen(s) : 0;
	while (n && s[n - 1] == ' ')
		n--;
	if (n < 4 || s[n - 1] != '}')
		return;
	size_t open = n - 1;
	while (open && s[open - 1] != '{')
		open--;
	if (!open || s[open] != '#' || open + 1 >= n - 1)
		return;
	for (size_t i = open + 1; i < n - 1; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_:.", s[i]))
			return;
	buf_add(id, s + open + 1, n - 1 - (open + 1));
	size_t keep = open - 1;
	while (keep && s[keep - 1] == ' ')
		keep--;
	char *rest = xstrndup(s, keep);
	cmark_node_set_literal(t, rest);
	free(rest);
}

/* Gives every heading an id and a self-link; fills toc. */
static void anchor_headings(struct md_doc *d, struct buf *toc)
{
	struct strmap ids = STRMAP_INIT;
	/* Every heading gets an id, also inside lists and quotes; the table of
	 * contents lists only the document's own sections. Collected first:
	 * the nodes are replaced below, which an iterator must not see. */
	cmark_node **heads = NULL;
	size_t nh = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(d->root);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			if (nh == cap) {
				cap = cap ? 2 * cap : 16;
				heads = xrealloc(heads, cap * sizeof *heads);
			}
			heads[nh++] = n;
		}
	}
	cmark_iter_free(it);
	int h2 = 0;
	for (size_t i = 0; i < nh; i++)
		h2 += cmark_node_get_heading_level(heads[i]) == 2 && cmark_node_parent(heads[i]) == d->root;
	int want_toc = h2 >= 2 && toc;
	struct toc_state ts = { 0, 0, 0 };
	for (size_t i = 0; i < nh; i++) {
		cmark_node *h = heads[i];
		int level = cmark_node_get_heading_level(h);
		struct buf text = BUF_INIT, idtext = BUF_INIT, id = BUF_INIT;
		custom_id(h, &id);
		plain_text(h, &text, 0);
		plain_text(h, &idtext, 1);
		if (!id.len)
			md_slugify(idtext.ptr, &id);
		id_unique(&ids, &id);
		if (want_toc && (level == 2 || level == 3) && cmark_node_parent(h) == d->root)
			toc_add(&ts, toc, level, id.ptr, text.ptr);
		anchor_heading(d, h, level, id.ptr, id.len);
		buf_release(&text);
		buf_release(&idtext);
		buf_release(&id);
	}
	if (want_toc)
		toc_end(&ts, toc);
	strmap_release(&ids);
	free(heads);
}

void md_render(struct md_doc *d, struct buf *html, struct buf *toc)
{
	anchor_headings(d, toc);
	cmark_llist *exts = ext_list(cmark_get_default_mem_allocator());
	char *s = cmark_render_html(d->root, RENDER_OPTS, exts);
	cmark_llist_free(cmark_get_default_mem_allocator(), exts);
	buf_adds(html, s);
	free(s);
}

void md_first_paragraph(struct md_doc *d, struct buf *out)
{
	for (cmark_node *n = cmark_node_first_child(d->root); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
			plain_text(n, out, 0);
			return;
		}
}

/* Plain text of the whole tree with a space after every block, so words of
 * adjacent paragraphs, items and table cells stay apart. Custom blocks (calc
 * tables) and computed values are left out, as raw HTML is: not prose. */
static void prose_text(cmark_node *n, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(c);
		if (ev == CMARK_EVENT_ENTER && (ty == CMARK_NODE_CUSTOM_BLOCK || value_mark(c))) {
			if (ty != CMARK_NODE_TEXT) /* a leaf has no exit to skip to */
				cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
			continue;
		}
		if (ev == CMARK_EVENT_EXIT) {
			if ((ty & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
				buf_addch(out, ' ');
			continue;
		}
		if (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE)
			buf_adds(out, cmark_node_get_literal(c));
		else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
			buf_addch(out, ' ');
	}
	cmark_iter_free(it);
}

static int is_more(cmark_node *n)
{
	cmark_node_type ty = cmark_node_get_type(n);
	if (ty != CMARK_NODE_HTML_BLOCK && ty != CMARK_NODE_HTML_INLINE)
		return 0;
	const char *lit = cmark_node_get_literal(n);
	if (!lit)
		return 0;
	while (*lit == ' ' || *lit == '\t')
		lit++;
	return !strncmp(lit, "<!--more-->", 11);
}

int md_summary_more(struct md_doc *d, struct buf *out)
{
	size_t start = out->len;
	for (cmark_node *n = cmark_node_first_child(d->root); n; n = cmark_node_next(n)) {
		if (is_more(n))
			goto found;
		/* The marker may also sit inside a paragraph, after its text. */
		for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
			if (is_more(c)) {
				for (cmark_node *k = cmark_node_first_child(n); k != c; k = cmark_node_next(k))
					prose_text(k, out);
				goto found;
			}
		prose_text(n, out);
	}
	buf_truncate(out, start);
	return 0;
found:
	/* Collapse the runs of spaces the block breaks left. */
	{
		size_t w = start;
		int space = 1;
		for (size_t r = start; r < out->len; r++) {
			char ch = out->ptr[r];
			if (ch == ' ' || ch == '\n' || ch == '\t') {
				if (!space)
					out->ptr[w++] = ' ';
				space = 1;
			} else {
				out->ptr[w++] = ch;
				space = 0;
			}
		}
		while (w > start && out->ptr[w - 1] == ' ')
			w--;
		buf_truncate(out, w);
	}
	return 1;
}

void md_count(struct md_doc *d, int *cjk, int *words)
{
	struct buf text = BUF_INIT;
	prose_text(d->root, &text);
	prose_count(text.ptr, text.len, cjk, words);
	buf_release(&text);
}
