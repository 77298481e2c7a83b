/* frontmatter — YAML front matter with libyaml. */
#include "frontmatter.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define FM_MAX_DEPTH 32
/* YAML aliases share nodes that the tree copies, so ten lines of `&a`/`*a`
 * can stand for 10^8 nodes (billion laughs): the copy is capped. */
#define FM_MAX_NODES 100000
/* The same goes for text: one 1 MB scalar under 100000 aliases would be
 * 100 GB. Aliases may repeat this much text beyond the YAML's own length. */
#define FM_MAX_ALIAS_BYTES (1 << 20)

struct fm_count {
	size_t nodes;     /* values copied so far */
	size_t bytes;     /* scalar bytes copied so far */
	size_t max_bytes; /* the YAML's length + FM_MAX_ALIAS_BYTES */
};

static void node_release(struct fm_node *n)
{
	free(n->str);
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			free(n->keys[i]);
		node_release(&n->items[i]);
	}
	free(n->keys);
	free(n->items);
	memset(n, 0, sizeof *n);
}

void fm_release(struct frontmatter *fm)
{
	node_release(&fm->root);
	free(fm->meta.categories);
	free(fm->meta.tags);
	free(fm->meta.authors);
	memset(fm, 0, sizeof *fm);
}

const struct fm_node *fm_get(const struct fm_node *map, const char *key)
{
	if (!map || map->kind != FM_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return &map->items[i];
	return NULL;
}

/* Copies libyaml's document node into our tree; line_off maps the YAML's
 * first line onto the file's line. */
static int convert(yaml_document_t *doc, yaml_node_t *yn, struct fm_node *out,
		   int line_off, int depth, struct fm_count *cnt, const char *file, struct diag_list *dl)
{
	memset(out, 0, sizeof *out);
	out->line = (int)yn->start_mark.line + line_off;
	out->col = (int)yn->start_mark.column + 1;
	if (depth > FM_MAX_DEPTH)
		return diag_error(dl, (struct srcpos){ file, out->line, out->col },
				  "front matter nests too deeply");
	if (++cnt->nodes > FM_MAX_NODES)
		return diag_error(dl, (struct srcpos){ file, out->line, out->col },
				  "front matter is too large (more than %d values, aliases counted)",
				  FM_MAX_NODES);
	if (yn->type == YAML_SCALAR_NODE && (cnt->bytes += yn->data.scalar.length) > cnt->max_bytes)
		return diag_error(dl, (struct srcpos){ file, out->line, out->col },
				  "front matter is too large (aliases repeat more than %d bytes of text)",
				  FM_MAX_ALIAS_BYTES);
	switch (yn->type) {
	case YAML_SCALAR_NODE:
		out->kind = FM_SCALAR;
		out->str = xstrndup((const char *)yn->data.scalar.value, yn->data.scalar.length);
		out->plain = yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return 0;
	case YAML_SEQUENCE_NODE: {
		out->kind = FM_SEQ;
		size_t n = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
		out->items = xcalloc(n, sizeof *out->items);
		for (size_t i = 0; i < n; i++) {
			yaml_node_t *c = yaml_document_get_node(doc, yn->data.sequence.items.start[i]);
			out->n = i + 1;
			if (!c || convert(doc, c, &out->items[i], line_off, depth + 1, cnt, file, dl) < 0)
				return -1;
		}
		return 0;
	}
	case YAML_MAPPING_NODE: {
		out->kind = FM_MAP;
		size_t n = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
		out->items = xcalloc(n, sizeof *out->items);
		out->keys = xcalloc(n, sizeof *out->keys);
		for (size_t i = 0; i < n; i++) {
			yaml_node_pair_t *p = &yn->data.mapping.pairs.start[i];
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			yaml_node_t *v = yaml_document_get_node(doc, p->value);
			if (!k || !v)
				return -1;
			if (k->type != YAML_SCALAR_NODE)
				return diag_error(dl, (struct srcpos){ file, (int)k->start_mark.line + line_off,
						  (int)k->start_mark.column + 1 }, "front matter keys must be plain strings");
			if ((cnt->bytes += k->data.scalar.length) > cnt->max_bytes)
				return diag_error(dl, (struct srcpos){ file, out->line, out->col },
						  "front matter is too large (aliases repeat more than %d bytes of text)",
						  FM_MAX_ALIAS_BYTES);
			out->keys[i] = xstrndup((const char *)k->data.scalar.value, k->data.scalar.length);
			out->n = i + 1;
			if (convert(doc, v, &out->items[i], line_off, depth + 1, cnt, file, dl) < 0)
				return -1;
		}
		return 0;
	}
	default:
		return diag_error(dl, (struct srcpos){ file, out->line, out->col }, "empty front matter node");
	}
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = v;
	return 0;
}

int fm_parse_date(const char *s, struct fm_date *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	memset(out, 0, sizeof *out);
	const char *p = s;
	while (*p == ' ')
		p++;
	if (digits(&p, 4, &out->y) || *p++ != '-' || digits(&p, 2, &out->mo) || *p++ != '-' ||
	    digits(&p, 2, &out->d))
		return -1;
	if (out->mo < 1 || out->mo > 12 || out->d < 1 || out->d > mdays[out->mo - 1])
		return -1;
	int leap = (out->y % 4 == 0 && out->y % 100 != 0) || out->y % 400 == 0;
	if (out->mo == 2 && out->d == 29 && !leap)
		return -1;
	if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		while (*p == ' ')
			p++;
		if (digits(&p, 2, &out->h) || *p++ != ':' || digits(&p, 2, &out->mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &out->s))
				return -1;
			if (*p == '.') /* fractions of a second are dropped */
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
		if (out->h > 23 || out->mi > 59 || out->s > 60)
			return -1;
		out->has_time = 1;
		while (*p == ' ')
			p++;
		if (*p == 'Z' || *p == 'z') {
			out->has_tz = 1;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, th, tm = 0;
			if (digits(&p, 2, &th))
				return -1;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && digits(&p, 2, &tm))
				return -1;
			if (th > 14 || tm > 59)
				return -1;
			out->has_tz = 1;
			out->tz_min = sign * (th * 60 + tm);
		}
	}
	while (*p == ' ')
		p++;
	return *p ? -1 : 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

long long fm_date_epoch(const struct fm_date *d, int tz_min)
{
	long long t = days_from_civil(d->y, (unsigned)d->mo, (unsigned)d->d) * 86400 + d->h * 3600 +
		      d->mi * 60 + d->s;
	return t - 60LL * (d->has_tz ? d->tz_min : tz_min);
}

/* A list key accepts a sequence of scalars or one space-separated string
 * (Jekyll's `categories: a b`). Returns a NULL-terminated array. */
static int read_list(const struct fm_node *n, const char *key, const char *file, char ***out,
		     struct diag_list *dl)
{
	size_t cnt = 0;
	char **v;
	if (n->kind == FM_SEQ) {
		v = xcalloc(n->n + 1, sizeof *v);
		for (size_t i = 0; i < n->n; i++) {
			const struct fm_node *c = &n->items[i];
			if (c->kind != FM_SCALAR) {
				free(v);
				return diag_error(dl, (struct srcpos){ file, c->line, c->col },
						  "'%s' must be a list of strings", key);
			}
			if (*c->str)
				v[cnt++] = c->str;
		}
	} else if (n->kind == FM_SCALAR) {
		/* Split in place: the tree owns the string, words are slices of it. */
		v = xcalloc(strlen(n->str) / 2 + 2, sizeof *v);
		for (char *p = n->str; *p;) {
			while (*p == ' ' || *p == ',')
				*p++ = '\0';
			if (!*p)
				break;
			v[cnt++] = p;
			while (*p && *p != ' ' && *p != ',')
				p++;
		}
	} else {
		return diag_error(dl, (struct srcpos){ file, n->line, n->col },
				  "'%s' must be a list or a space-separated string", key);
	}
	v[cnt] = NULL;
	*out = v;
	return 0;
}

static int read_string(const struct fm_node *root, const char *key, const char *file,
		       const char **out, struct diag_list *dl)
{
	const struct fm_node *n = fm_get(root, key);
	if (!n)
		return 0;
	if (n->kind != FM_SCALAR)
		return diag_error(dl, (struct srcpos){ file, n->line, n->col }, "'%s' must be a string", key);
	*out = n->str;
	return 0;
}

static int read_meta(struct frontmatter *fm, const char *file, struct diag_list *dl)
{
	struct meta *m = &fm->meta;
	const struct fm_node *root = &fm->root;
	int r = 0;
	r |= read_string(root, "title", file, &m->title, dl);
	r |= read_string(root, "description", file, &m->description, dl);
	r |= read_string(root, "slug", file, &m->slug, dl);
	r |= read_string(root, "lang", file, &m->lang, dl);
	if (read_string(root, "source", file, &m->source, dl) == 0 && !m->source)
		r |= read_string(root, "original", file, &m->source, dl);
	const struct fm_node *n;
	if ((n = fm_get(root, "title")))
		m->title_line = n->line;
	if ((n = fm_get(root, "date"))) {
		m->date_line = n->line;
		if (n->kind != FM_SCALAR || fm_parse_date(n->str, &m->date) < 0)
			r |= diag_error(dl, (struct srcpos){ file, n->line, n->col },
					"cannot parse date '%s' (expected YYYY-MM-DD, optionally with HH:MM[:SS] and a zone)",
					n->kind == FM_SCALAR ? n->str : "");
		else
			m->has_date = 1;
	}
	if ((n = fm_get(root, "draft"))) {
		if (n->kind == FM_SCALAR && (!strcmp(n->str, "true") || !strcmp(n->str, "yes")))
			m->draft = 1;
		else if (!(n->kind == FM_SCALAR && (!strcmp(n->str, "false") || !strcmp(n->str, "no"))))
			r |= diag_error(dl, (struct srcpos){ file, n->line, n->col }, "'draft' must be true or false");
	}
	if ((n = fm_get(root, "categories")) || (n = fm_get(root, "category")))
		r |= read_list(n, "categories", file, &m->categories, dl);
	if ((n = fm_get(root, "tags")))
		r |= read_list(n, "tags", file, &m->tags, dl);
	if ((n = fm_get(root, "authors")) || (n = fm_get(root, "author"))) {
		if (n->kind == FM_SCALAR) { /* one author, spaces allowed */
			m->authors = xcalloc(2, sizeof *m->authors);
			m->authors[0] = n->str;
		} else {
			r |= read_list(n, "authors", file, &m->authors, dl);
		}
	}
	return r ? -1 : 0;
}

/* Finds the closing `---` (or Jekyll's `...`) line after the opening one.
 * Returns the offset of the closing line, or -1. */
static long find_close(const char *t, size_t len, size_t from)
{
	size_t i = from;
	while (i < len) {
		size_t e = i;
		while (e < len && t[e] != '\n')
			e++;
		size_t l = e - i;
		if (l && t[i + l - 1] == '\r')
			l--;
		while (l > 3 && (t[i + l - 1] == ' ' || t[i + l - 1] == '\t'))
			l--;
		if (l == 3 && (!memcmp(t + i, "---", 3) || !memcmp(t + i, "...", 3)))
			return (long)i;
		i = e + 1;
	}
	return -1;
}

int fm_parse(struct frontmatter *fm, const char *file, const char *text, size_t len,
	     struct diag_list *dl)
{
	memset(fm, 0, sizeof *fm);
	fm->root.kind = FM_MAP;
	fm->body_line = 1;
	size_t skip = 0;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		skip = 3; /* byte order mark */
	const char *t = text + skip;
	size_t tl = len - skip;
	size_t first = 0;
	while (first < tl && t[first] != '\n')
		first++;
	size_t fl = first;
	if (fl && t[fl - 1] == '\r')
		fl--;
	while (fl > 3 && (t[fl - 1] == ' ' || t[fl - 1] == '\t'))
		fl--;
	if (fl != 3 || memcmp(t, "---", 3)) {
		fm->body_off = skip;
		return 0;
	}
	size_t yaml_start = first < tl ? first + 1 : tl;
	long close = find_close(t, tl, yaml_start);
	if (close < 0)
		return diag_error(dl, (struct srcpos){ file, 1, 1 },
				  "front matter opened here is never closed (expected a '---' line)");
	size_t yaml_len = (size_t)close - yaml_start;
	int close_line = 1;
	for (size_t i = 0; i < (size_t)close; i++)
		close_line += t[i] == '\n';
	size_t after = (size_t)close;
	while (after < tl && t[after] != '\n')
		after++;
	if (after < tl)
		after++;
	fm->body_off = skip + after;
	fm->body_line = close_line + 1;

	yaml_parser_t p;
	yaml_document_t doc;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)t + yaml_start, yaml_len);
	int r = 0;
	if (!yaml_parser_load(&p, &doc)) {
		int line = (int)p.problem_mark.line + 2, col = (int)p.problem_mark.column + 1;
		if (p.context && (int)p.context_mark.line + 2 != line)
			r = diag_error(dl, (struct srcpos){ file, line, col },
				       "malformed front matter: %s %s that starts at line %d",
				       p.problem ? p.problem : "YAML error", p.context,
				       (int)p.context_mark.line + 2);
		else
			r = diag_error(dl, (struct srcpos){ file, line, col }, "malformed front matter: %s%s%s",
				       p.problem ? p.problem : "YAML error", p.context ? " " : "",
				       p.context ? p.context : "");
		yaml_parser_delete(&p);
		return r;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root) {
		if (root->type != YAML_MAPPING_NODE) {
			r = diag_error(dl, (struct srcpos){ file, (int)root->start_mark.line + 2, 1 },
				       "front matter must be a mapping of keys to values");
		} else {
			node_release(&fm->root);
			struct fm_count cnt = { 0, 0, yaml_len + FM_MAX_ALIAS_BYTES };
			r = convert(&doc, root, &fm->root, 2, 0, &cnt, file, dl);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	if (r == 0)
		r = read_meta(fm, file, dl);
	return r;
}
