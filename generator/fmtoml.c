/* fmtoml — TOML front matter into the front matter tree. A recursive
 * descent over the text, tracking line and column; tables are found again
 * by their key path from the root for each header, since adding to a map
 * may move its children. */
#include "fmtoml.h"
#include "buf.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

#define TOML_MAX_DEPTH 32
#define TOML_MAX_NODES 100000
#define TOML_MAX_PATH 16

struct toml {
	const char *file;
	const char *s, *p, *end;
	int line, col;     /* of p */
	size_t nodes;
	struct diag_list *dl;
	/* "ID\x1fKEY" -> index + 1 of the key in its map: a map of many keys
	 * is searched in constant time, not key by key. While parsing, a
	 * map's plain field holds its ID (shifted left one) and whether a
	 * [header] opened it (bit 0); an array of tables' holds 2. */
	struct strmap index;
	int next_id;
};

static void make_map(struct toml *t, struct fm_node *n)
{
	n->kind = FM_MAP;
	n->plain = ++t->next_id << 1;
}

static char *index_key(const struct fm_node *map, const char *key)
{
	return xasprintf("%d\x1f%s", map->plain >> 1, key);
}

static int fail(struct toml *t, const char *fmt, const char *arg)
{
	return diag_error(t->dl, (struct srcpos){ t->file, t->line, t->col }, fmt, arg ? arg : "");
}

static void adv(struct toml *t, size_t n)
{
	if (n > (size_t)(t->end - t->p))
		n = (size_t)(t->end - t->p);
	utf8_advance(t->p, n, &t->line, &t->col);
	t->p += n;
}

static int at(const struct toml *t, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(t->end - t->p) >= n && !memcmp(t->p, lit, n);
}

/* Spaces and tabs; with lines, also line ends and comments. */
static void skip(struct toml *t, int lines)
{
	while (t->p < t->end) {
		char c = *t->p;
		if (c == ' ' || c == '\t' || (lines && (c == '\n' || c == '\r')))
			adv(t, 1);
		else if (c == '#' && lines)
			while (t->p < t->end && *t->p != '\n')
				adv(t, 1);
		else
			break;
	}
}

/* After a value or header: spaces, a comment, then the end of the line. */
static int line_end(struct toml *t)
{
	skip(t, 0);
	if (t->p < t->end && *t->p == '#')
		while (t->p < t->end && *t->p != '\n')
			adv(t, 1);
	if (t->p < t->end && *t->p == '\r')
		adv(t, 1);
	if (t->p < t->end && *t->p != '\n')
		return fail(t, "expected the end of the line after the value%s", NULL);
	adv(t, 1);
	return 0;
}

static struct fm_node *add(struct toml *t, struct fm_node *n, const char *key)
{
	/* capacity doubles: it is n rounded up to a power of two, so a long
	 * array costs linear time, not quadratic */
	if (!(n->n & (n->n - 1))) {
		size_t cap = n->n ? 2 * n->n : 1;
		n->items = xrealloc(n->items, cap * sizeof *n->items);
		if (n->kind == FM_MAP)
			n->keys = xrealloc(n->keys, cap * sizeof *n->keys);
	}
	if (n->kind == FM_MAP) {
		n->keys[n->n] = xstrdup(key);
		char *k = index_key(n, key);
		strmap_put(&t->index, k, NULL)->value = (void *)(uintptr_t)(n->n + 1);
		free(k);
	}
	struct fm_node *c = &n->items[n->n++];
	memset(c, 0, sizeof *c);
	c->line = t->line;
	c->col = t->col;
	t->nodes++;
	return c;
}

static struct fm_node *child(struct toml *t, struct fm_node *map, const char *key)
{
	char *k = index_key(map, key);
	const struct strmap_slot *s = strmap_find(&t->index, k);
	free(k);
	return s ? &map->items[(uintptr_t)s->value - 1] : NULL;
}

/* A basic ("…", """…""") or literal ('…', '''…''') string; p at its quote. */
static int string(struct toml *t, struct buf *out)
{
	char q = *t->p;
	int multi = at(t, q == '"' ? "\"\"\"" : "'''");
	adv(t, multi ? 3 : 1);
	if (multi && t->p < t->end && *t->p == '\n')
		adv(t, 1); /* a newline right after the opening quotes is not part of it */
	else if (multi && at(t, "\r\n"))
		adv(t, 2);
	for (;;) {
		if (t->p >= t->end || (!multi && (*t->p == '\n' || *t->p == '\r')))
			return fail(t, "this string is never closed%s", NULL);
		if (multi ? at(t, q == '"' ? "\"\"\"" : "'''") : *t->p == q) {
			adv(t, multi ? 3 : 1);
			/* up to two more quotes right before the closing three belong to the string */
			for (int extra = 0; multi && extra < 2 && t->p < t->end && *t->p == q; extra++) {
				buf_addch(out, q);
				adv(t, 1);
			}
			return 0;
		}
		char c = *t->p;
		if (c == '\\' && q == '"') {
			adv(t, 1);
			char e = t->p < t->end ? *t->p : 0;
			const char *simple = strchr("btnfr\"\\", e);
			if (e == 'b' || e == 'f') /* backspace, form feed: no place in front matter (frontmatter.h) */
				return fail(t, "this escape is a control character or no character%s", NULL);
			if (e && simple) {
				static const char to[] = "\b\t\n\f\r\"\\";
				buf_addch(out, to[simple - "btnfr\"\\"]);
				adv(t, 1);
			} else if (e == 'u' || e == 'U') {
				int nd = e == 'u' ? 4 : 8;
				unsigned long cp = 0;
				adv(t, 1);
				for (int i = 0; i < nd; i++) {
					if (t->p >= t->end || !isxdigit((unsigned char)*t->p))
						return fail(t, "\\u needs %s hexadecimal digits", e == 'u' ? "4" : "8");
					cp = cp * 16 + (unsigned long)(isdigit((unsigned char)*t->p) ? *t->p - '0'
										      : (tolower((unsigned char)*t->p) - 'a' + 10));
					adv(t, 1);
				}
				if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) ||
				    cp > 0x10ffff)
					return fail(t, "this escape is a control character or no character%s", NULL);
				char u[4];
				size_t n = utf8_encode((unsigned)cp, u);
				buf_add(out, u, n);
			} else if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
				while (t->p < t->end && strchr(" \t\r\n", *t->p)) /* a line-ending backslash joins the lines */
					adv(t, 1);
			} else {
				return fail(t, "unknown escape in a string (use \\\\ for a backslash)%s", NULL);
			}
			continue;
		}
		if ((unsigned char)c < 0x20 && c != '\t' && !(multi && (c == '\n' || c == '\r')))
			return fail(t, "a control character in a string%s", NULL);
		buf_addch(out, c);
		adv(t, 1);
	}
}

static void free_path(char *parts[], int n)
{
	for (int i = 0; i < n; i++)
		free(parts[i]);
}

/* A key: bare (letters, digits, '_', '-') or quoted; dotted keys give a
 * path. Returns the number of parts, or -1. */
static int key_path(struct toml *t, char *parts[TOML_MAX_PATH])
{
	int n = 0;
	for (;;) {
		skip(t, 0);
		struct buf k = BUF_INIT;
		int r = 0;
		if (t->p < t->end && (*t->p == '"' || *t->p == '\'')) {
			if (at(t, "\"\"\"") || at(t, "\'\'\'"))
				r = fail(t, "a key may not be a multi-line string%s", NULL);
			else
				r = string(t, &k);
		} else {
			while (t->p < t->end && (isalnum((unsigned char)*t->p) || *t->p == '_' || *t->p == '-')) {
				buf_addch(&k, *t->p);
				adv(t, 1);
			}
			if (!k.len)
				r = fail(t, "expected a key (letters, digits, '_' and '-', or a quoted string)%s", NULL);
		}
		if (r == 0 && n == TOML_MAX_PATH)
			r = fail(t, "a dotted key of more than 16 parts%s", NULL);
		if (r < 0) {
			buf_release(&k);
			free_path(parts, n);
			return -1;
		}
		parts[n++] = k.len ? buf_detach(&k, NULL) : xstrdup("");
		buf_release(&k);
		skip(t, 0);
		if (t->p < t->end && *t->p == '.') {
			adv(t, 1);
			continue;
		}
		return n;
	}
}


static int value(struct toml *t, struct fm_node *v, int depth);

/* The map that path[0..n-1) names below m, made as needed; NULL (and an
 * error) when one of them is a value. Under an array of tables, its last
 * table. */
static struct fm_node *walk(struct toml *t, struct fm_node *m, char *path[], int n)
{
	for (int i = 0; i < n; i++) {
		struct fm_node *c = child(t, m, path[i]);
		if (!c) {
			c = add(t, m, path[i]);
			make_map(t, c);
		} else if (c->kind == FM_SEQ && c->n && c->items[c->n - 1].kind == FM_MAP && c->plain == 2) {
			c = &c->items[c->n - 1];
		} else if (c->kind != FM_MAP) {
			fail(t, "'%s' is already a value, not a table", path[i]);
			return NULL;
		}
		m = c;
	}
	return m;
}

/* `key = value` into map m. */
static int pair(struct toml *t, struct fm_node *m, int depth)
{
	char *path[TOML_MAX_PATH];
	int line = t->line, col = t->col;
	int n = key_path(t, path);
	if (n < 0)
		return -1;
	int r = 0;
	struct fm_node *into = walk(t, m, path, n - 1);
	if (!into)
		r = -1;
	else if (child(t, into, path[n - 1]))
		r = diag_error(t->dl, (struct srcpos){ t->file, line, col }, "duplicate key '%s'", path[n - 1]);
	else if (t->p >= t->end || *t->p != '=')
		r = fail(t, "expected '=' after the key '%s'", path[n - 1]);
	if (r == 0) {
		adv(t, 1);
		skip(t, 0);
		struct fm_node *v = add(t, into, path[n - 1]);
		r = value(t, v, depth + 1);
	}
	free_path(path, n);
	return r;
}

/* A number, boolean, date or time: its text as a plain scalar. */
static int bare(struct toml *t, struct fm_node *v)
{
	const char *from = t->p;
	int line = t->line, col = t->col;
	while (t->p < t->end && (isalnum((unsigned char)*t->p) || strchr("+-_.:", *t->p)))
		adv(t, 1);
	/* "1979-05-27 07:32:00": a space may stand for the T */
	if (t->p - from == 10 && from[4] == '-' && t->end - t->p > 3 && t->p[0] == ' ' && isdigit((unsigned char)t->p[1]) &&
	    isdigit((unsigned char)t->p[2]) && t->p[3] == ':') {
		adv(t, 1);
		while (t->p < t->end && (isalnum((unsigned char)*t->p) || strchr("+-_.:", *t->p)))
			adv(t, 1);
	}
	size_t n = (size_t)(t->p - from);
	if (!n)
		return fail(t, "expected a value (a string, number, boolean, date, [array] or {table})%s", NULL);
	int ok = (n == 4 && !memcmp(from, "true", 4)) || (n == 5 && !memcmp(from, "false", 5)) ||
		 isdigit((unsigned char)from[0]) || from[0] == '+' || from[0] == '-' ||
		 (n == 3 && (!memcmp(from, "inf", 3) || !memcmp(from, "nan", 3)));
	if (!ok) {
		char *word = xstrndup(from, n);
		t->line = line, t->col = col;
		int r = fail(t, "'%s' is not a TOML value: quote text (\"like this\")", word);
		free(word);
		return r;
	}
	v->kind = FM_SCALAR;
	v->plain = 1;
	v->str = xstrndup(from, n);
	return 0;
}

static int value(struct toml *t, struct fm_node *v, int depth)
{
	if (depth > TOML_MAX_DEPTH)
		return fail(t, "front matter nests more than 32 levels deep%s", NULL);
	if (t->nodes > TOML_MAX_NODES)
		return fail(t, "front matter is too large (more than 100000 values)%s", NULL);
	v->line = t->line;
	v->col = t->col;
	if (t->p >= t->end)
		return fail(t, "expected a value after '='%s", NULL);
	char c = *t->p;
	if (c == '"' || c == '\'') {
		struct buf s = BUF_INIT;
		if (string(t, &s) < 0) {
			buf_release(&s);
			return -1;
		}
		v->kind = FM_SCALAR;
		v->str = s.len ? buf_detach(&s, NULL) : xstrdup("");
		buf_release(&s);
		return 0;
	}
	if (c == '[') {
		v->kind = FM_SEQ;
		adv(t, 1);
		for (;;) {
			skip(t, 1);
			if (t->p < t->end && *t->p == ']') {
				adv(t, 1);
				return 0;
			}
			if (value(t, add(t, v, NULL), depth + 1) < 0)
				return -1;
			skip(t, 1);
			if (t->p < t->end && *t->p == ',') {
				adv(t, 1);
				continue;
			}
			if (t->p < t->end && *t->p == ']') {
				adv(t, 1);
				return 0;
			}
			if (t->p >= t->end)
				return diag_error(t->dl, (struct srcpos){ t->file, v->line, v->col },
						  "this array is never closed (expected ']')");
			return fail(t, "expected ',' or ']' in this array%s", NULL);
		}
	}
	if (c == '{') {
		make_map(t, v);
		adv(t, 1);
		skip(t, 0);
		if (t->p < t->end && *t->p == '}') {
			adv(t, 1);
			return 0;
		}
		for (;;) {
			if (pair(t, v, depth) < 0)
				return -1;
			skip(t, 0);
			if (t->p < t->end && *t->p == ',') {
				adv(t, 1);
				continue;
			}
			if (t->p < t->end && *t->p == '}') {
				adv(t, 1);
				return 0;
			}
			return fail(t, "expected ',' or '}' in this inline table (it stays on one line)%s", NULL);
		}
	}
	return bare(t, v);
}

/* [table] or [[array of tables]]: the map later pairs go into. */
static struct fm_node *header(struct toml *t, struct fm_node *root)
{
	int array = at(t, "[[");
	adv(t, array ? 2 : 1);
	char *path[TOML_MAX_PATH];
	int line = t->line, col = t->col;
	int n = key_path(t, path);
	if (n < 0)
		return NULL;
	struct fm_node *m = NULL;
	if (!at(t, array ? "]]" : "]")) {
		fail(t, array ? "expected ']]' to close the header%s" : "expected ']' to close the header%s", NULL);
	} else {
		adv(t, array ? 2 : 1);
		struct fm_node *parent = walk(t, root, path, n - 1);
		struct fm_node *c = parent ? child(t, parent, path[n - 1]) : NULL;
		if (!parent) {
			;
		} else if (array) {
			if (!c) {
				c = add(t, parent, path[n - 1]);
				c->kind = FM_SEQ;
				c->plain = 2; /* an array of tables: headers below it go into its last table */
			}
			if (c->kind != FM_SEQ || c->plain != 2)
				diag_error(t->dl, (struct srcpos){ t->file, line, col }, "'%s' is already a value, not an array of tables",
					   path[n - 1]);
			else
				make_map(t, m = add(t, c, NULL));
		} else if (c && c->kind != FM_MAP) {
			diag_error(t->dl, (struct srcpos){ t->file, line, col }, "'%s' is already a value, not a table",
				   path[n - 1]);
		} else if (c && (c->plain & 1)) {
			diag_error(t->dl, (struct srcpos){ t->file, line, col }, "table '%s' is defined twice", path[n - 1]);
		} else {
			if (!c) {
				c = add(t, parent, path[n - 1]);
				make_map(t, c);
			}
			c->plain |= 1; /* opened by a header: a second header for it is an error */
			m = c;
		}
	}
	free_path(path, n);
	if (m && line_end(t) < 0)
		return NULL;
	return m;
}

/* Marks used while parsing, cleared so the tree reads like YAML's. */
static void unmark(struct fm_node *n)
{
	if (n->kind != FM_SCALAR)
		n->plain = 0;
	for (size_t i = 0; i < n->n; i++)
		unmark(&n->items[i]);
}

int fmtoml_parse(const char *file, int line, const char *src, size_t len, struct fm_node *root,
		 struct diag_list *dl)
{
	struct toml t = { file, src, src, src + len, line, 1, 0, dl, STRMAP_INIT, 0 };
	make_map(&t, root);
	struct fm_node *cur = root;
	int r = 0;
	for (;;) {
		skip(&t, 1);
		if (t.p >= t.end)
			break;
		if (*t.p == '[') {
			cur = header(&t, root);
			if (!cur) {
				r = -1;
				break;
			}
			/* cur stays put while its own pairs are added: only a new
			 * sibling could move it, and a header walks from the root */
			continue;
		}
		if (pair(&t, cur, 0) < 0 || line_end(&t) < 0) {
			r = -1;
			break;
		}
	}
	unmark(root);
	strmap_release(&t.index);
	return r;
}
