/* search — tokens and the plain text of a page's body. */
#include "search.h"
#include "buf.h"
#include "htmltok.h"
#include "utf8.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* ---- tokens ----------------------------------------------------------- */

static int is_cjk(unsigned c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}

static int is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static int is_word(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static int vowel_in(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr("aeiouy", s[i]))
			return 1;
	return 0;
}

static int ends(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !memcmp(s + n - k, suf, k);
}

/* A few of Porter's suffix rules, enough that plural and -ing/-ed forms
 * meet: prices, priced, pricing -> pric. The same rules in search.js.
 * Only for lowercase ASCII letters; returns the new length (s changed). */
static size_t stem(char *s, size_t n)
{
	if (n <= 3)
		return n;
	if (ends(s, n, "sses"))
		n -= 2;
	else if (ends(s, n, "ies"))
		n -= 2;
	else if (!ends(s, n, "ss") && ends(s, n, "s"))
		n -= 1;
	if (ends(s, n, "eed"))
		n -= 1;
	else if (ends(s, n, "ing") && n - 3 >= 3 && vowel_in(s, n - 3))
		n -= 3;
	else if (ends(s, n, "ed") && n - 2 >= 3 && vowel_in(s, n - 2))
		n -= 2;
	if (n > 4 && s[n - 1] == 'e')
		n -= 1;
	if (n > 2 && s[n - 1] == 'y')
		s[n - 1] = 'i';
	return n;
}

/* A word ends: stemmed when it is letters only. */
static void word_done(char *w, size_t *len, int letters_only, search_token_fn *fn, void *ctx)
{
	if (!*len)
		return;
	size_t n = letters_only ? stem(w, *len) : *len;
	fn(ctx, w, n);
	*len = 0;
}

void search_tokens(const char *text, size_t n, search_token_fn *fn, void *ctx)
{
	/* a word is never longer than the text: one buffer, no growing */
	char small[256];
	char *w = n < sizeof small ? small : xmalloc(n + 1);
	size_t wl = 0;
	int letters_only = 1;
	size_t prev_at = 0, prev_len = 0; /* the CJK character before this one, when there is one */
	int prev_cjk = 0;
	unsigned last = 0; /* the code point before, for "1,764" and "1.8" */
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		unsigned c = (unsigned char)text[i];
		if (c >= 0xE0 && c < 0xF0 && i + 2 < n && ((unsigned char)text[i + 1] & 0xC0) == 0x80 &&
		    ((unsigned char)text[i + 2] & 0xC0) == 0x80 && (c > 0xE0 || (unsigned char)text[i + 1] >= 0xA0) &&
		    (c != 0xED || (unsigned char)text[i + 1] < 0xA0)) {
			/* three bytes, as every Chinese character here: decoded in line */
			c = (c & 0x0F) << 12 | ((unsigned char)text[i + 1] & 0x3Fu) << 6 | ((unsigned char)text[i + 2] & 0x3Fu);
			len = 3;
		} else if (c >= 0x80) { /* ASCII needs no decoding */
			c = utf8_decode(text + i, n - i, &len);
			if (!len)
				len = 1;
		}
		if (c >= 0x3040 && is_cjk(c)) {
			word_done(w, &wl, letters_only, fn, ctx);
			letters_only = 1;
			if (prev_cjk)
				fn(ctx, text + prev_at, prev_len + len);
			prev_cjk = 1, prev_at = i, prev_len = len;
		} else {
			prev_cjk = 0;
			/* a separator inside a number: ',' is dropped, '.' kept */
			int inner = (c == ',' || c == '.') && is_digit(last) && i + 1 < n && is_digit((unsigned char)text[i + 1]);
			if (is_word(c) || inner) {
				if (c != ',') {
					if (c >= 'A' && c <= 'Z')
						c += 'a' - 'A';
					if (c < 0x80)
						w[wl++] = (char)c;
					else
						memcpy(w + wl, text + i, len), wl += len;
					if (!(c >= 'a' && c <= 'z'))
						letters_only = 0;
				}
			} else {
				word_done(w, &wl, letters_only, fn, ctx);
				letters_only = 1;
			}
		}
		last = c;
		i += len;
	}
	word_done(w, &wl, letters_only, fn, ctx);
	if (w != small)
		free(w);
}

uint32_t search_hash(const char *tok, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)tok[i];
		h *= 16777619u;
	}
	return h;
}

/* ---- a page's body as text ------------------------------------------------ */

enum { T_INLINE, T_BLOCK, T_SKIP };

struct tag_kind {
	const char *name;
	int kind;
};

/* Sorted by name. T_SKIP: what a reader does not read (code that runs,
 * styles, drawings); T_BLOCK: elements that end a run of text, a space
 * between them and none inside inline markup (a Chinese sentence has no
 * spaces to add). Names come in lowercase (htmltok.h). */
static const struct tag_kind tag_kinds[] = {
	{ "blockquote", T_BLOCK }, { "br", T_BLOCK }, { "caption", T_BLOCK }, { "dd", T_BLOCK },
	{ "details", T_BLOCK }, { "div", T_BLOCK }, { "dt", T_BLOCK }, { "figcaption", T_BLOCK },
	{ "figure", T_BLOCK }, { "h1", T_BLOCK }, { "h2", T_BLOCK }, { "h3", T_BLOCK },
	{ "h4", T_BLOCK }, { "h5", T_BLOCK }, { "h6", T_BLOCK }, { "li", T_BLOCK },
	{ "noscript", T_SKIP }, { "ol", T_BLOCK }, { "p", T_BLOCK }, { "pre", T_BLOCK },
	{ "script", T_SKIP }, { "section", T_BLOCK }, { "style", T_SKIP }, { "summary", T_BLOCK },
	{ "svg", T_SKIP }, { "table", T_BLOCK }, { "td", T_BLOCK }, { "template", T_SKIP },
	{ "th", T_BLOCK }, { "tr", T_BLOCK }, { "ul", T_BLOCK },
};

static int cmp_tag(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tag_kind *)elem)->name);
}

static int tag_kind(const char *tag)
{
	const struct tag_kind *k =
		bsearch(tag, tag_kinds, sizeof tag_kinds / sizeof *tag_kinds, sizeof *tag_kinds, cmp_tag);
	return k ? k->kind : T_INLINE;
}

static const char *attr(const char *const *atts, const char *name)
{
	for (; atts && atts[0]; atts += 2)
		if (!strcmp(atts[0], name))
			return atts[1] ? atts[1] : "";
	return NULL;
}

/* Elements that hold nothing: they start and have no end. */
static int is_void(const char *tag)
{
	static const char *const v[] = { "area", "base", "br", "col", "embed", "hr", "img", "input",
					 "link", "meta", "source", "track", "wbr", NULL };
	for (const char *const *p = v; *p; p++)
		if (!strcmp(tag, *p))
			return 1;
	return 0;
}

/* Copies an element's name into a slot of the reader; 0 when it does not
 * fit (an element no theme marks). */
static int keep_name(char *slot, size_t size, const char *tag)
{
	size_t n = strlen(tag);
	if (n >= size || is_void(tag))
		return 0;
	memcpy(slot, tag, n + 1);
	return 1;
}

void search_body_start(struct search_body *r, const char *tag, const char *const *atts)
{
	if (!r->depth) {
		if (attr(atts, SEARCH_BODY) && keep_name(r->body_tag, sizeof r->body_tag, tag)) {
			r->depth = 1;
			r->space = r->text.len > 0;
		}
		return;
	}
	if (!strcmp(tag, r->body_tag))
		r->depth++;
	if (r->skip) {
		if (!strcmp(tag, r->skip_tag))
			r->skip++;
		return;
	}
	int k = tag_kind(tag);
	const char *cls = k != T_SKIP ? attr(atts, "class") : NULL;
	/* the marks briefgen adds: heading anchors, a number's sources */
	if ((k == T_SKIP || (cls && (!strcmp(cls, "anchor") || strstr(cls, "calc-cites")))) &&
	    keep_name(r->skip_tag, sizeof r->skip_tag, tag))
		r->skip = 1;
	else if (k == T_BLOCK)
		r->space = r->text.len > 0;
}

void search_body_end(struct search_body *r, const char *tag)
{
	if (!r->depth || (!strcmp(tag, r->body_tag) && --r->depth == 0))
		return;
	if (r->skip) {
		if (!strcmp(tag, r->skip_tag))
			r->skip--;
	} else if (tag_kind(tag) == T_BLOCK) {
		r->space = r->text.len > 0;
	}
}

static int white(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

void search_body_chars(struct search_body *r, const char *s, size_t n)
{
	if (!r->depth || r->skip)
		return;
	for (size_t i = 0; i < n;) {
		if (white(s[i])) {
			r->space = r->text.len > 0;
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && !white(s[j]))
			j++;
		if (r->space)
			buf_addch(&r->text, ' ');
		r->space = 0;
		buf_add(&r->text, s + i, j - i);
		i = j;
	}
}

static void tok_start(void *ctx, const char *tag, const char *const *atts)
{
	search_body_start(ctx, tag, atts);
}

static void tok_end(void *ctx, const char *tag)
{
	search_body_end(ctx, tag);
}

static void tok_text(void *ctx, const char *s, size_t n)
{
	search_body_chars(ctx, s, n);
}

char *search_text(const char *html, size_t n)
{
	struct search_body r = SEARCH_BODY_INIT;
	r.depth = 1; /* all of a fragment is body */
	htmltok_read(html, n, &(struct htmltok_sink){ &r, tok_start, tok_end, tok_text });
	return buf_detach(&r.text, NULL);
}

