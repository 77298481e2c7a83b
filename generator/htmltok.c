/* htmltok — an HTML page's tokens, as a browser's tokenizer reads them. */
#include "htmltok.h"
#include "buf.h"
#include "utf8.h"
#include "xalloc.h"

#include <string.h>

#include <libxml/HTMLparser.h> /* htmlEntityLookup: the table of named references */
#include "banned.h"

struct tok {
	const char *end;
	const struct htmltok_sink *s;
	struct buf name;   /* the tag's name, lowercase */
	struct buf attr;   /* attribute names and values, each ending in '\0' */
	size_t *at;        /* where each name and value starts in attr */
	size_t nat, cap;
	const char **atts; /* what start() gets: pointers into attr, then NULL */
	size_t atts_cap;
	struct buf text;   /* decoded text */
	size_t foreign;    /* how many svg and math elements are open */
};

static int space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

static int alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int hexval(char c)
{
	return digit(c) ? c - '0' : (lower(c) >= 'a' && lower(c) <= 'f') ? lower(c) - 'a' + 10 : -1;
}

/* A character reference at p (just after '&'): appends what it stands for
 * to out and returns where it ends, or NULL when it is none (the '&' is
 * then literal). Named references need their ';'. */
static const char *charref(const char *p, const char *end, struct buf *out)
{
	char u[4];
	if (p < end && *p == '#') {
		p++;
		int hex = p < end && lower(*p) == 'x';
		p += hex;
		unsigned long cp = 0;
		const char *d = p;
		for (; p < end && (hex ? hexval(*p) >= 0 : digit(*p)); p++)
			if (cp <= 0x10ffff)
				cp = cp * (hex ? 16 : 10) + (unsigned long)(hex ? hexval(*p) : *p - '0');
		if (p == d)
			return NULL;
		if (p < end && *p == ';')
			p++;
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			cp = 0xfffd;
		buf_add(out, u, utf8_encode((unsigned)cp, u));
		return p;
	}
	char name[33];
	size_t n = 0;
	while (p + n < end && n < sizeof name - 1 && (alpha(p[n]) || digit(p[n])))
		n++;
	if (!n || p + n >= end || p[n] != ';')
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	if (!e)
		return NULL;
	buf_add(out, u, utf8_encode(e->value, u));
	return p + n + 1;
}

/* Appends s[0..n) to out with its references decoded. */
static void decode(const char *s, size_t n, struct buf *out)
{
	const char *end = s + n;
	for (const char *amp; (amp = memchr(s, '&', (size_t)(end - s)));) {
		buf_add(out, s, (size_t)(amp - s));
		const char *after = charref(amp + 1, end, out);
		if (!after) {
			buf_addch(out, '&');
			after = amp + 1;
		}
		s = after;
	}
	buf_add(out, s, (size_t)(end - s));
}

static void text(struct tok *t, const char *from, const char *to, int refs)
{
	if (!t->s->text || to <= from)
		return;
	if (!refs || !memchr(from, '&', (size_t)(to - from))) {
		t->s->text(t->s->ctx, from, (size_t)(to - from));
		return;
	}
	t->text.len = 0;
	decode(from, (size_t)(to - from), &t->text);
	if (t->text.len)
		t->s->text(t->s->ctx, t->text.ptr, t->text.len);
}

static void add_at(struct tok *t, size_t off)
{
	if (t->nat == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->at = xrealloc(t->at, t->cap * sizeof *t->at);
	}
	t->at[t->nat++] = off;
}

/* Appends s[from..to) in lowercase, and a '\0'. */
static void add_lower(struct buf *b, const char *from, const char *to)
{
	size_t n = (size_t)(to - from);
	buf_grow(b, n + 1);
	char *p = b->ptr + b->len;
	for (size_t i = 0; i < n; i++)
		p[i] = lower(from[i]);
	p[n] = '\0';
	b->len += n + 1;
	b->ptr[b->len] = '\0';
}

/* Reads a tag from its name at c to its '>': the name into t->name, the
 * attributes into t->attr (the first of each name). Returns where the tag
 * ends, or NULL when the page ends inside it (the tag is then dropped). */
static const char *read_tag(struct tok *t, const char *c, int *self_closing)
{
	const char *end = t->end;
	const char *from = c;
	while (c < end && !space(*c) && *c != '/' && *c != '>')
		c++;
	t->name.len = 0;
	add_lower(&t->name, from, c);
	t->name.len--;
	t->attr.len = 0;
	t->nat = 0;
	*self_closing = 0;
	for (;;) {
		for (; c < end && (space(*c) || *c == '/'); c++)
			*self_closing = *c == '/' && c + 1 < end && c[1] == '>';
		if (c >= end)
			return NULL;
		if (*c == '>')
			return c + 1;
		*self_closing = 0;
		size_t name_at = t->attr.len;
		from = c++; /* a name may start with '=' */
		while (c < end && !space(*c) && *c != '/' && *c != '>' && *c != '=')
			c++;
		add_lower(&t->attr, from, c);
		while (c < end && space(*c))
			c++;
		size_t value_at = t->attr.len;
		if (c < end && *c == '=') {
			for (c++; c < end && space(*c); c++)
				;
			if (c >= end)
				return NULL;
			const char *v = c;
			if (*c == '"' || *c == '\'') {
				const char *q = memchr(c + 1, *c, (size_t)(end - c - 1));
				if (!q)
					return NULL;
				v = c + 1;
				c = q + 1;
				decode(v, (size_t)(q - v), &t->attr);
			} else {
				while (c < end && !space(*c) && *c != '>')
					c++;
				decode(v, (size_t)(c - v), &t->attr);
			}
		}
		buf_addch(&t->attr, '\0');
		int seen = 0;
		for (size_t i = 0; i < t->nat && !seen; i += 2)
			seen = !strcmp(t->attr.ptr + t->at[i], t->attr.ptr + name_at);
		if (seen)
			t->attr.len = name_at;
		else
			add_at(t, name_at), add_at(t, value_at);
	}
}

/* Where the raw text of an element named `name` ends: at its end tag
 * ("</name" in any case, then a space, '/' or '>'), else at the page's end. */
static const char *raw_end(const char *c, const char *end, const char *name, size_t n)
{
	for (const char *lt; (lt = memchr(c, '<', (size_t)(end - c))); c = lt + 1) {
		if (lt + 2 + n > end)
			break;
		if (lt[1] != '/')
			continue;
		size_t i = 0;
		while (i < n && lower(lt[2 + i]) == name[i])
			i++;
		if (i == n && (lt + 2 + n == end || space(lt[2 + n]) || lt[2 + n] == '/' || lt[2 + n] == '>'))
			return lt;
	}
	return end;
}

/* What a start tag's name makes of the text after it. Looked up by length
 * first: this runs at every tag of every page. */
enum { K_MARKUP, K_RAW, K_RCDATA, K_PLAIN, K_FOREIGN };

static int kind_of(const char *name, size_t n)
{
	switch (n) {
	case 3:
		return !memcmp(name, "xmp", 3) ? K_RAW : !memcmp(name, "svg", 3) ? K_FOREIGN : K_MARKUP;
	case 4:
		return !memcmp(name, "math", 4) ? K_FOREIGN : K_MARKUP;
	case 5:
		return !memcmp(name, "style", 5) ? K_RAW : !memcmp(name, "title", 5) ? K_RCDATA : K_MARKUP;
	case 6:
		return !memcmp(name, "script", 6) || !memcmp(name, "iframe", 6) ? K_RAW : K_MARKUP;
	case 7:
		return !memcmp(name, "noembed", 7) ? K_RAW : K_MARKUP;
	case 8:
		return !memcmp(name, "noframes", 8) ? K_RAW : !memcmp(name, "textarea", 8) ? K_RCDATA : K_MARKUP;
	case 9:
		return !memcmp(name, "plaintext", 9) ? K_PLAIN : K_MARKUP;
	default:
		return K_MARKUP;
	}
}

/* A start tag from its name at c; returns where reading goes on. */
static const char *start_tag(struct tok *t, const char *c)
{
	int self_closing;
	c = read_tag(t, c, &self_closing);
	if (!c)
		return t->end;
	if (t->nat + 1 > t->atts_cap) {
		t->atts_cap = t->nat + 16;
		t->atts = xrealloc(t->atts, t->atts_cap * sizeof *t->atts);
	}
	for (size_t i = 0; i < t->nat; i++)
		t->atts[i] = t->attr.ptr + t->at[i];
	t->atts[t->nat] = NULL;
	const char *name = t->name.ptr;
	if (t->s->start)
		t->s->start(t->s->ctx, name, t->atts);
	int kind = kind_of(name, t->name.len);
	if (self_closing && (t->foreign || kind == K_FOREIGN)) {
		if (t->s->end)
			t->s->end(t->s->ctx, name);
		return c;
	}
	if (kind == K_FOREIGN) {
		t->foreign++;
		return c;
	}
	if (t->foreign || kind == K_MARKUP)
		return c;
	if (kind == K_PLAIN) {
		text(t, c, t->end, 0);
		return t->end;
	}
	const char *e = raw_end(c, t->end, name, t->name.len);
	text(t, c, e, kind == K_RCDATA);
	return e;
}

static const char *end_tag(struct tok *t, const char *c)
{
	int self_closing;
	c = read_tag(t, c, &self_closing);
	if (!c)
		return t->end;
	if (t->s->end)
		t->s->end(t->s->ctx, t->name.ptr);
	if (t->foreign && kind_of(t->name.ptr, t->name.len) == K_FOREIGN)
		t->foreign--;
	return c;
}

static const char *after_gt(const char *c, const char *end)
{
	const char *gt = memchr(c, '>', (size_t)(end - c));
	return gt ? gt + 1 : end;
}

/* After "<!": a comment, CDATA inside svg or math, else a doctype or other
 * declaration, skipped to its '>'. */
static const char *declaration(struct tok *t, const char *c)
{
	const char *end = t->end;
	if (end - c >= 2 && c[0] == '-' && c[1] == '-') {
		c += 2;
		if (c < end && *c == '>')
			return c + 1; /* <!--> */
		if (end - c >= 2 && c[0] == '-' && c[1] == '>')
			return c + 2; /* <!---> */
		for (const char *d; (d = memchr(c, '-', (size_t)(end - c))); c = d + 1) {
			if (end - d >= 3 && d[1] == '-' && d[2] == '>')
				return d + 3;
			if (end - d >= 4 && d[1] == '-' && d[2] == '!' && d[3] == '>')
				return d + 4;
		}
		return end;
	}
	if (t->foreign && end - c >= 7 && !memcmp(c, "[CDATA[", 7)) {
		c += 7;
		const char *e = c;
		while ((e = memchr(e, ']', (size_t)(end - e))) && !(end - e >= 3 && e[1] == ']' && e[2] == '>'))
			e++;
		text(t, c, e ? e : end, 0);
		return e ? e + 3 : end;
	}
	return after_gt(c, end);
}

void htmltok_read(const char *html, size_t len, const struct htmltok_sink *s)
{
	struct tok t = { .end = html + len, .s = s, .name = BUF_INIT, .attr = BUF_INIT, .text = BUF_INIT };
	const char *from = html, *c = html, *end = t.end;
	while (c < end) {
		const char *lt = memchr(c, '<', (size_t)(end - c));
		if (!lt)
			break;
		const char *q = lt + 1;
		const char *next;
		if (q < end && alpha(*q))
			next = NULL; /* a start tag */
		else if (q + 1 < end && *q == '/' && alpha(q[1]))
			next = NULL; /* an end tag */
		else if (q + 1 < end && *q == '/' && q[1] == '>')
			next = q + 2; /* "</>": nothing */
		else if (q + 1 < end && *q == '/')
			next = after_gt(q + 1, end); /* a bogus comment */
		else if (q < end && *q == '?')
			next = after_gt(q + 1, end);
		else if (q < end && *q == '!')
			next = lt; /* a declaration, below */
		else { /* a '<' of the text */
			c = q;
			continue;
		}
		text(&t, from, lt, 1);
		if (next == lt)
			next = declaration(&t, q + 1);
		else if (!next)
			next = *q == '/' ? end_tag(&t, q + 1) : start_tag(&t, q);
		from = c = next;
	}
	text(&t, from, end, 1);
	buf_release(&t.name);
	buf_release(&t.attr);
	buf_release(&t.text);
	free(t.at);
	free(t.atts);
}
