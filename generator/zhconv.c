/* zhconv — Traditional → Simplified with OpenCC and the site's phrases. */
#include "zhconv.h"
#include "strmap.h"
#include "xalloc.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <opencc.h>
#include "banned.h"

struct handles {
	opencc_t *free;
	size_t nfree;
	opencc_t *all;
	size_t nall;
};

struct zhconv {
	pthread_mutex_t lock;
	char *config;           /* as opencc_open takes it */
	struct handles conv;    /* the configuration's */
	struct handles check;   /* "t2s", for zhconv_leftovers; opened when first asked */
	char **from, **to;      /* the site's phrases, longest first */
	size_t *from_len;
	size_t n;
	/* short texts already converted (words, labels, numbers as shown:
	 * the same few recur on every page, and an OpenCC call costs ~15 µs
	 * however short the text) -> malloc'd result; under lock */
	struct strmap memo;
};

#define MEMO_TEXT 96      /* bytes: longer texts are prose, seldom the same twice */
#define MEMO_MAX 65536    /* entries: then no more are kept */

/* "tw2sp" → "tw2sp.json" (OpenCC finds it in its data folder); a path or
 * a name with its extension as it is. */
static char *config_file(const char *name)
{
	size_t l = strlen(name);
	if (strchr(name, '/') || (l > 5 && !strcmp(name + l - 5, ".json")))
		return xstrdup(name);
	return xasprintf("%s.json", name);
}

/* A handle of hs, opened with cfg when none is free; (opencc_t)-1 when
 * OpenCC cannot open it. */
static opencc_t borrow(struct zhconv *z, struct handles *hs, const char *cfg)
{
	pthread_mutex_lock(&z->lock);
	opencc_t h = hs->nfree ? hs->free[--hs->nfree] : (opencc_t)-1;
	if (h == (opencc_t)-1) {
		h = opencc_open(cfg);
		if (h != (opencc_t)-1) {
			hs->all = xrealloc(hs->all, (hs->nall + 1) * sizeof *hs->all);
			hs->free = xrealloc(hs->free, (hs->nall + 1) * sizeof *hs->free);
			hs->all[hs->nall++] = h;
		}
	}
	pthread_mutex_unlock(&z->lock);
	return h;
}

static void give_back(struct zhconv *z, struct handles *hs, opencc_t h)
{
	pthread_mutex_lock(&z->lock);
	hs->free[hs->nfree++] = h;
	pthread_mutex_unlock(&z->lock);
}

static void close_all(struct handles *hs)
{
	for (size_t i = 0; i < hs->nall; i++)
		opencc_close(hs->all[i]);
	free(hs->all);
	free(hs->free);
}

struct zhconv *zhconv_new(const char *config, const char *const *from, const char *const *to, size_t n,
			  char **err)
{
	struct zhconv *z = xcalloc(1, sizeof *z);
	pthread_mutex_init(&z->lock, NULL);
	z->config = config_file(config);
	opencc_t h = borrow(z, &z->conv, z->config);
	if (h == (opencc_t)-1) {
		const char *why = opencc_error();
		*err = xasprintf("OpenCC cannot open '%s': %s", z->config, why && *why ? why : "unknown error");
		zhconv_free(z);
		return NULL;
	}
	give_back(z, &z->conv, h);
	z->from = xcalloc(n + 1, sizeof *z->from);
	z->to = xcalloc(n + 1, sizeof *z->to);
	z->from_len = xcalloc(n + 1, sizeof *z->from_len);
	for (size_t i = 0; i < n; i++) {
		if (!*from[i])
			continue;
		/* insertion by length, longest first: a longer phrase wins where
		 * two start at one place */
		size_t at = z->n++, l = strlen(from[i]);
		while (at > 0 && z->from_len[at - 1] < l) {
			z->from[at] = z->from[at - 1];
			z->to[at] = z->to[at - 1];
			z->from_len[at] = z->from_len[at - 1];
			at--;
		}
		z->from[at] = xstrdup(from[i]);
		z->to[at] = xstrdup(to[i]);
		z->from_len[at] = l;
	}
	return z;
}

void zhconv_free(struct zhconv *z)
{
	if (!z)
		return;
	close_all(&z->conv);
	close_all(&z->check);
	for (size_t i = 0; i < z->n; i++) {
		free(z->from[i]);
		free(z->to[i]);
	}
	free(z->from);
	free(z->to);
	free(z->from_len);
	for (size_t i = 0; i < z->memo.cap; i++)
		free(z->memo.slots[i].value);
	strmap_release(&z->memo);
	free(z->config);
	pthread_mutex_destroy(&z->lock);
	free(z);
}

static int ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* OpenCC over s[0..n) with handle h (no phrases). */
static void opencc_into(opencc_t h, const char *s, size_t n, struct buf *out)
{
	if (!n)
		return;
	if (ascii(s, n) || h == (opencc_t)-1) {
		buf_add(out, s, n);
		return;
	}
	char *r = opencc_convert_utf8(h, s, n);
	if (!r) { /* OpenCC failed on it: leave the text as it is */
		buf_add(out, s, n);
		return;
	}
	buf_adds(out, r);
	opencc_convert_utf8_free(r);
}

/* The index of the site phrase that starts at s (n bytes left), or -1. */
static long phrase_at(const struct zhconv *z, const char *s, size_t n)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->from_len[i] <= n && !memcmp(s, z->from[i], z->from_len[i]))
			return (long)i;
	return -1;
}

static void convert(struct zhconv *z, const char *s, size_t n, struct buf *out);

void zhconv_text(struct zhconv *z, const char *s, size_t n, struct buf *out)
{
	if (!n)
		return;
	if (ascii(s, n)) {
		buf_add(out, s, n);
		return;
	}
	if (n > MEMO_TEXT || memchr(s, '\0', n)) {
		convert(z, s, n, out);
		return;
	}
	pthread_mutex_lock(&z->lock);
	struct strmap_slot *hit = strmap_find_n(&z->memo, s, n);
	if (hit)
		buf_adds(out, hit->value);
	pthread_mutex_unlock(&z->lock);
	if (hit)
		return;
	size_t at = out->len;
	convert(z, s, n, out);
	char *key = xstrndup(s, n);
	pthread_mutex_lock(&z->lock);
	if (z->memo.n < MEMO_MAX) {
		int added;
		struct strmap_slot *slot = strmap_put(&z->memo, key, &added);
		if (added)
			slot->value = xstrndup(out->ptr + at, out->len - at);
	}
	pthread_mutex_unlock(&z->lock);
	free(key);
}

/* zhconv_text without the memo. */
static void convert(struct zhconv *z, const char *s, size_t n, struct buf *out)
{
	opencc_t h = borrow(z, &z->conv, z->config);
	size_t from = 0;
	for (size_t i = 0; i < n;) {
		long p = ((unsigned char)s[i] & 0xC0) != 0x80 ? phrase_at(z, s + i, n - i) : -1;
		if (p < 0) {
			i++;
			continue;
		}
		opencc_into(h, s + from, i - from, out);
		buf_adds(out, z->to[p]);
		i += z->from_len[p];
		from = i;
	}
	opencc_into(h, s + from, n - from, out);
	if (h != (opencc_t)-1)
		give_back(z, &z->conv, h);
}

char *zhconv_dup(struct zhconv *z, const char *s)
{
	if (!s)
		return NULL;
	struct buf b = BUF_INIT;
	zhconv_text(z, s, strlen(s), &b);
	buf_addch(&b, '\0'); /* an empty result still gets its own allocation */
	b.len--;
	return b.ptr;
}

void zhconv_inplace(struct zhconv *z, char **s)
{
	if (!*s || ascii(*s, strlen(*s)))
		return;
	char *c = zhconv_dup(z, *s);
	free(*s);
	*s = c;
}

void zhconv_replace(struct zhconv *z, char **dst, const char *src)
{
	char *c = zhconv_dup(z, src);
	free(*dst);
	*dst = c;
}

/* ---- Markdown ------------------------------------------------------------- */

/* What a walk over a Markdown file reports: text that is converted, and
 * text kept as written. A link destination is kept, but its fragment is
 * text (a heading's id is made from the heading's converted words). */
struct walker {
	void (*text)(struct walker *w, const char *s, size_t n);
	void (*keep)(struct walker *w, const char *s, size_t n);
	const char *from_prefix, *to_prefix; /* "/zh/", "/zh-hans/"; NULL: none */
};

/* A link destination (the URL alone): the source edition's prefix becomes
 * this edition's, the fragment is text. */
static void dest(struct walker *w, const char *s, size_t n)
{
	size_t fl = w->from_prefix ? strlen(w->from_prefix) : 0;
	if (fl && n >= fl && !memcmp(s, w->from_prefix, fl)) {
		w->keep(w, w->to_prefix, strlen(w->to_prefix));
		s += fl, n -= fl;
	}
	const char *hash = memchr(s, '#', n);
	size_t before = hash ? (size_t)(hash - s) + 1 : n;
	w->keep(w, s, before);
	w->text(w, s + before, n - before);
}

static size_t line_end(const char *s, size_t n, size_t i)
{
	const char *nl = memchr(s + i, '\n', n - i);
	return nl ? (size_t)(nl - s) + 1 : n;
}

/* A fence opening or closing at s[i..e): up to three spaces, then three or
 * more ` or ~. Returns the run's length (0: none) and its character. */
static size_t fence_at(const char *s, size_t i, size_t e, char *ch)
{
	size_t k = i;
	while (k < e && k - i < 3 && s[k] == ' ')
		k++;
	if (k >= e || (s[k] != '`' && s[k] != '~'))
		return 0;
	size_t r = 0;
	while (k + r < e && s[k + r] == s[k])
		r++;
	if (r < 3)
		return 0;
	*ch = s[k];
	return r;
}

/* The end of the URL that starts at s[i]: at whitespace, '<' or a
 * non-ASCII byte, where cmark-gfm's autolinks end too (what follows is
 * text to the reader: 見 https://x.tw/文件 links https://x.tw/ alone). */
static size_t url_end(const char *s, size_t n, size_t i)
{
	while (i < n && (unsigned char)s[i] > ' ' && (unsigned char)s[i] < 0x80 && s[i] != '<')
		i++;
	return i;
}

static int starts(const char *s, size_t n, size_t i, const char *with)
{
	size_t l = strlen(with);
	return n - i >= l && !memcmp(s + i, with, l);
}

/* Where the text that starts at i and needs keeping ends, or i when none
 * does. A link's "](destination" sets *u and *ue to the destination, which
 * the caller gives to dest; what follows it (a title) is text. */
static size_t inline_kept(const char *s, size_t n, size_t i, size_t *u, size_t *ue)
{
	char c = s[i];
	*u = *ue = 0;
	if (c == '`') { /* a code span: the same run of backticks closes it */
		size_t r = 0;
		while (i + r < n && s[i + r] == '`')
			r++;
		for (size_t j = i + r; j < n;) {
			if (s[j] != '`') {
				j++;
				continue;
			}
			size_t q = 0;
			while (j + q < n && s[j + q] == '`')
				q++;
			if (q == r)
				return j + q;
			j += q;
		}
		return i + r; /* no closing run: the backticks are text, and ASCII */
	}
	if (c == ']' && i + 1 < n && s[i + 1] == '(') {
		size_t j = i + 2;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		size_t e = j;
		if (j < n && s[j] == '<') { /* <destination with spaces> */
			const char *gt = memchr(s + j, '>', n - j);
			e = gt ? (size_t)(gt - s) + 1 : j + 1;
		} else {
			int depth = 0;
			while (e < n && (unsigned char)s[e] > ' ') {
				if (s[e] == '(')
					depth++;
				else if (s[e] == ')' && depth-- == 0)
					break;
				e++;
			}
		}
		*u = j, *ue = e;
		return e;
	}
	if (c == '<' && i + 1 < n && (isalpha((unsigned char)s[i + 1]) || strchr("/!?", s[i + 1]))) {
		const char *close = starts(s, n, i, "<!--") ? "-->" : ">";
		for (size_t j = i + 1; j < n; j++)
			if (starts(s, n, j, close))
				return j + strlen(close);
		return i + 1;
	}
	if (c == '{' && (starts(s, n, i, "{{") || starts(s, n, i, "{%"))) {
		const char *close = s[i + 1] == '%' ? "%}" : "}}";
		for (size_t j = i + 2; j < n; j++)
			if (starts(s, n, j, close))
				return j + strlen(close);
		return i + 1;
	}
	if ((c == 'h' && (starts(s, n, i, "http://") || starts(s, n, i, "https://"))) ||
	    (c == 'w' && starts(s, n, i, "www.")))
		return url_end(s, n, i);
	return i;
}

/* Prose: s[0..n) outside fences. */
static void walk_inline(struct walker *w, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n;) {
		size_t u = 0, ue = 0, k;
		/* a reference definition's destination: "[x]: /url" at a line's start */
		if ((i == 0 || s[i - 1] == '\n') && s[i] == '[') {
			size_t e = line_end(s, n, i);
			const char *close = memchr(s + i, ']', e - i);
			if (close && (size_t)(close - s) + 1 < e && close[1] == ':') {
				u = (size_t)(close - s) + 2;
				while (u < e && (s[u] == ' ' || s[u] == '\t'))
					u++;
				ue = u;
				while (ue < e && (unsigned char)s[ue] > ' ')
					ue++;
			}
		}
		k = ue ? ue : inline_kept(s, n, i, &u, &ue);
		if (k == i) {
			i++;
			continue;
		}
		w->text(w, s + from, i - from);
		if (ue && s[i] == '[') { /* "[label]: ": the label is matched against the
					    references to it, which are converted text */
			const char *close = memchr(s + i, ']', u - i);
			w->keep(w, s + i, 1);
			w->text(w, s + i + 1, (size_t)(close - s) - i - 1);
			w->keep(w, close, (size_t)(s + u - close));
			dest(w, s + u, ue - u);
		} else if (ue) { /* a link: "](" kept, the destination given to dest */
			w->keep(w, s + i, u - i);
			dest(w, s + u, ue - u);
		} else {
			w->keep(w, s + i, k - i);
		}
		i = from = k;
	}
	w->text(w, s + from, n - from);
}

/* Front matter keys whose values name places or are data, never words. */
static int kept_key(const char *s, size_t n)
{
	static const char *const keys[] = { "slug", "url", "aliases", "redirect_from", "date", "lastmod",
					    "updated", "last_modified_at", "publishdate", "expirydate", "source",
					    "image", "images", "translationkey", "layout", "type", "permalink",
					    "lang", "language", "draft", "weight", NULL };
	for (const char *const *k = keys; *k; k++)
		if (strlen(*k) == n && !strncasecmp(s, *k, n))
			return 1;
	return 0;
}

/* Columns of white space that start the line s[i..e) (a tab to the next
 * multiple of four), or (size_t)-1 for a blank line. */
static size_t indent(const char *s, size_t i, size_t e)
{
	size_t col = 0;
	for (; i < e; i++) {
		if (s[i] == ' ')
			col++;
		else if (s[i] == '\t')
			col = (col / 4 + 1) * 4;
		else if (s[i] == '\n' || s[i] == '\r')
			return (size_t)-1;
		else
			return col;
	}
	return (size_t)-1;
}

/* Whether a list item starts at s[i]: "-", "*", "+", or digits and "." or
 * ")", then a space, a tab or the line's end. */
static int list_marker(const char *s, size_t i, size_t e)
{
	size_t k = i;
	if (k < e && strchr("-*+", s[k]) && s[k]) {
		k++;
	} else {
		while (k < e && k - i < 9 && isdigit((unsigned char)s[k]))
			k++;
		if (k == i || k >= e || (s[k] != '.' && s[k] != ')'))
			return 0;
		k++;
	}
	return k >= e || s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r';
}

static void walk_markdown(struct walker *w, const char *s, size_t n)
{
	size_t i = 0;
	/* front matter: YAML between --- lines, TOML between +++ lines */
	const char *fm = starts(s, n, 0, "---") ? "---" : starts(s, n, 0, "+++") ? "+++" : NULL;
	if (fm && (n == 3 || s[3] == '\n' || s[3] == '\r')) {
		size_t e = line_end(s, n, 0);
		w->keep(w, s, e);
		int kept = 0;
		for (i = e; i < n; i = e) {
			e = line_end(s, n, i);
			if (starts(s, n, i, fm) || (fm[0] == '-' && starts(s, n, i, "..."))) {
				w->keep(w, s + i, e - i);
				i = e;
				break;
			}
			/* a top-level key sets what its value (and the list lines
			 * under it) are */
			if (isalpha((unsigned char)s[i]) || s[i] == '_') {
				size_t k = i;
				while (k < e && (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-'))
					k++;
				kept = kept_key(s + i, k - i);
			}
			if (kept)
				w->keep(w, s + i, e - i);
			else
				walk_inline(w, s + i, e - i);
		}
	}
	/* the body: prose between code blocks, which are kept: fenced ones,
	 * and indented ones (four spaces or a tab after a blank line, outside a
	 * list, whose items' indented lines are theirs) */
	size_t prose = i;
	int blank = 1, in_list = 0;
	while (i < n) {
		size_t e = line_end(s, n, i);
		char ch;
		size_t r = fence_at(s, i, e, &ch);
		size_t ind = indent(s, i, e);
		int is_blank = ind == (size_t)-1;
		if (!r && !is_blank && ind >= 4 && blank && !in_list) {
			walk_inline(w, s + prose, i - prose);
			size_t j = e, last = e; /* to the last indented line before a line indented less */
			while (j < n) {
				size_t je = line_end(s, n, j), k = indent(s, j, je);
				if (k != (size_t)-1 && k < 4)
					break;
				if (k != (size_t)-1)
					last = je;
				j = je;
			}
			w->keep(w, s + i, last - i);
			i = prose = last;
			blank = 0;
			continue;
		}
		if (!is_blank && ind < 4)
			in_list = list_marker(s, i + ind, e);
		if (!r) {
			blank = is_blank;
			i = e;
			continue;
		}
		walk_inline(w, s + prose, i - prose);
		size_t j = e;
		while (j < n) {
			size_t je = line_end(s, n, j);
			char c2;
			size_t r2 = fence_at(s, j, je, &c2);
			j = je;
			if (r2 >= r && c2 == ch)
				break;
		}
		w->keep(w, s + i, j - i);
		i = prose = j;
	}
	walk_inline(w, s + prose, n - prose);
}

struct conv_walk {
	struct walker w;
	struct zhconv *z;
	struct buf *out;
};

static void conv_text(struct walker *w, const char *s, size_t n)
{
	struct conv_walk *c = (struct conv_walk *)w;
	zhconv_text(c->z, s, n, c->out);
}

static void conv_keep(struct walker *w, const char *s, size_t n)
{
	struct conv_walk *c = (struct conv_walk *)w;
	buf_add(c->out, s, n);
}

void zhconv_markdown(struct zhconv *z, const char *src, size_t n, const char *from_prefix, const char *to_prefix,
		     struct buf *out)
{
	struct conv_walk c = { { conv_text, conv_keep, from_prefix, to_prefix }, z, out };
	walk_markdown(&c.w, src, n);
}

/* ---- what still reads as Traditional --------------------------------------- */

struct left_walk {
	struct walker w;
	struct zhconv *z;
	opencc_t h;
	int line;
	size_t count;
	void (*fn)(void *ctx, int line, const char *word);
	void *ctx;
};

static void count_lines(struct left_walk *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			l->line++;
}

static void left_keep(struct walker *w, const char *s, size_t n)
{
	count_lines((struct left_walk *)w, s, n);
}

/* Length of the UTF-8 character at s (valid input). */
static size_t u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static void left_text(struct walker *w, const char *s, size_t n)
{
	struct left_walk *l = (struct left_walk *)w;
	if (!n || ascii(s, n) || l->h == (opencc_t)-1) {
		count_lines(l, s, n);
		return;
	}
	char *t = opencc_convert_utf8(l->h, s, n);
	if (!t || (strlen(t) == n && !memcmp(t, s, n))) {
		if (t)
			opencc_convert_utf8_free(t);
		count_lines(l, s, n);
		return;
	}
	/* walk both a character at a time; a run of characters that differ
	 * is one word (the characters count the same: t2s maps one to one) */
	size_t i = 0, j = 0, tn = strlen(t);
	while (i < n && j < tn) {
		size_t a = u8len((unsigned char)s[i]), b = u8len((unsigned char)t[j]);
		if (a == b && !memcmp(s + i, t + j, a)) {
			if (s[i] == '\n')
				l->line++;
			i += a, j += b;
			continue;
		}
		size_t wi = i;
		while (i < n && j < tn) {
			a = u8len((unsigned char)s[i]), b = u8len((unsigned char)t[j]);
			if ((a == b && !memcmp(s + i, t + j, a)) || s[i] == '\n')
				break;
			i += a, j += b;
		}
		char *word = xstrndup(s + wi, i - wi);
		l->fn(l->ctx, l->line, word);
		l->count++;
		free(word);
	}
	count_lines(l, s + i, n - i);
	opencc_convert_utf8_free(t);
}

size_t zhconv_leftovers(struct zhconv *z, const char *text, size_t n,
			void (*fn)(void *ctx, int line, const char *word), void *ctx)
{
	struct left_walk l = { { left_text, left_keep, NULL, NULL }, z, (opencc_t)-1, 1, 0, fn, ctx };
	l.h = borrow(z, &z->check, "t2s.json");
	walk_markdown(&l.w, text, n);
	if (l.h != (opencc_t)-1)
		give_back(z, &z->check, l.h);
	return l.count;
}
