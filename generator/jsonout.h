/* jsonout — JSON written straight into a buffer, byte for byte as jansson's
 * json_dumps writes the same document (JSON_INDENT(n), JSON_PRESERVE_ORDER,
 * JSON_REAL_PRECISION(p)): the files briefgen publishes were first written
 * with jansson, and a json_t per value made numbers.json and the search
 * index most of their own cost (docs/bench.md). Strings must be UTF-8
 * (checked where they are read); they are written as they are, with '"',
 * '\\' and the C0 controls escaped as jansson escapes them.
 *
 * A struct jsonout borrows its buffer and owns nothing; nesting deeper
 * than JSONOUT_DEPTH is a programming error (abort). */
#ifndef GEN_JSONOUT_H
#define GEN_JSONOUT_H
#include "buf.h"

#define JSONOUT_DEPTH 16

struct jsonout {
	struct buf *out;
	int indent;      /* spaces a level; 0: on one line, as jansson's compact-less default */
	int precision;   /* significant digits of reals, 1..17 (jansson's 0 means 17) */
	int depth;
	int after_key;   /* a key was written: its value comes next, on its line */
	unsigned char empty[JSONOUT_DEPTH]; /* the open container has no member yet */
	char close[JSONOUT_DEPTH];          /* '}' or ']' */
};

/* A writer appending to out. */
void jsonout_init(struct jsonout *w, struct buf *out, int indent, int precision);

void jsonout_object(struct jsonout *w);
void jsonout_array(struct jsonout *w);
/* Closes the innermost object or array. */
void jsonout_end(struct jsonout *w);
/* An object's key; its value is the next thing written. */
void jsonout_key(struct jsonout *w, const char *key);

void jsonout_string(struct jsonout *w, const char *s);
/* A finite double; jansson writes no member for NaN or infinity (json_real
 * fails), and neither does this: the caller must not give one. */
void jsonout_real(struct jsonout *w, double v);
void jsonout_int(struct jsonout *w, long long v);
void jsonout_bool(struct jsonout *w, int v);

/* The string s as a JSON string literal, appended to b (no writer needed). */
void jsonout_quote(struct buf *b, const char *s);

#endif
