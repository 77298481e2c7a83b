/* jsonout — JSON as jansson's json_dumps writes it, without a json_t. */
#include "jsonout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

void jsonout_init(struct jsonout *w, struct buf *out, int indent, int precision)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->indent = indent;
	w->precision = precision > 0 && precision <= 17 ? precision : 17;
}

/* jansson's dump_indent: a new line and the level's spaces, or with no
 * indent the separator's space (", "). */
static void newline(struct jsonout *w, int depth, int after_comma)
{
	if (w->indent > 0) {
		size_t n = (size_t)w->indent * (size_t)depth;
		buf_grow(w->out, n + 1);
		w->out->ptr[w->out->len++] = '\n';
		memset(w->out->ptr + w->out->len, ' ', n);
		w->out->len += n;
		w->out->ptr[w->out->len] = '\0';
	} else if (after_comma) {
		buf_addch(w->out, ' ');
	}
}

/* Before a value or a key: the separator from the previous member. */
static void member(struct jsonout *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	int first = w->empty[w->depth - 1];
	w->empty[w->depth - 1] = 0;
	if (!first)
		buf_addch(w->out, ',');
	newline(w, w->depth, !first);
}

static void begin(struct jsonout *w, char c, char close)
{
	member(w);
	if (w->depth == JSONOUT_DEPTH)
		abort();
	buf_addch(w->out, c);
	w->empty[w->depth] = 1;
	w->close[w->depth] = close;
	w->depth++;
}

void jsonout_object(struct jsonout *w) { begin(w, '{', '}'); }
void jsonout_array(struct jsonout *w) { begin(w, '[', ']'); }

void jsonout_end(struct jsonout *w)
{
	if (w->depth == 0)
		abort();
	w->depth--;
	if (!w->empty[w->depth])
		newline(w, w->depth, 0);
	buf_addch(w->out, w->close[w->depth]);
}

/* The bytes a string cannot hold as they are: the C0 controls (and the
 * terminating NUL), '"' and '\\'. A table: the search index writes whole
 * pages' text through here. */
static const unsigned char escaped[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1, [0x0E] = 1, [0x0F] = 1,
	[0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1,
	['"'] = 1, ['\\'] = 1,
};

void jsonout_quote(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_addch(b, '"');
	for (const char *run = s;; s++) {
		unsigned char c = (unsigned char)*s;
		if (!escaped[c])
			continue;
		buf_add(b, run, (size_t)(s - run));
		if (!c)
			break;
		run = s + 1;
		char e[7] = { '\\', (char)c, 0 };
		switch (c) {
		case '"': case '\\': break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4], e[5] = hex[c & 15];
		}
		buf_adds(b, e);
	}
	buf_addch(b, '"');
}

void jsonout_key(struct jsonout *w, const char *key)
{
	member(w);
	jsonout_quote(w->out, key);
	buf_adds(w->out, ": ");
	w->after_key = 1;
}

void jsonout_string(struct jsonout *w, const char *s)
{
	member(w);
	jsonout_quote(w->out, s);
}

/* jansson's jsonp_dtostr: "%.*g", then ".0" when that reads as an
 * integer, and the exponent without '+' or leading zeros (1e+20 → 1e20,
 * 1e-05 → 1e-5). The C locale is this program's (no setlocale). */
void jsonout_real(struct jsonout *w, double v)
{
	member(w);
	char s[40];
	int n = snprintf(s, sizeof s - 3, "%.*g", w->precision, v);
	if (n < 0 || (size_t)n >= sizeof s - 3)
		abort(); /* %.17g of a double fits in 24 bytes */
	if (!strchr(s, '.') && !strchr(s, 'e')) {
		memcpy(s + n, ".0", 3);
		n += 2;
	}
	char *e = strchr(s, 'e');
	if (e) {
		char *start = e + 1, *end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)(s + n - end) + 1);
			n -= (int)(end - start);
		}
	}
	buf_add(w->out, s, (size_t)n);
}

void jsonout_int(struct jsonout *w, long long v)
{
	member(w);
	buf_addf(w->out, "%lld", v);
}

void jsonout_bool(struct jsonout *w, int v)
{
	member(w);
	buf_adds(w->out, v ? "true" : "false");
}
