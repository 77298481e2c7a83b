/* frontmatter — YAML front matter with libyaml. */
#include "frontmatter.h"
#include "fmtoml.h"
#include "strmap.h"
#include "xalloc.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>
#include "banned.h"

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
	free(fm->meta.redirects);
	memset(fm, 0, sizeof *fm);
}

const struct fm_node *fm_get(const struct fm_node *map, const char *key)
{
	if (!map || map->kind != FM_MAP)
		return NULL;
	/* any case: Jekyll and Hugo authors write `Author:`, `Title:` */
	for (size_t i = 0; i < map->n; i++)
		if (!strcasecmp(map->keys[i], key))
			return &map->items[i];
	return NULL;
}

/* ---- reading the YAML ------------------------------------------------
 * Two passes over libyaml's event stream instead of yaml_parser_load():
 *  1. parse events one at a time, counting nesting and values as they
 *     come, so a document that nests too deeply or holds too many values
 *     stops at the event that crosses the line (400 kB of `[[[[` used to be
 *     parsed whole, in quadratic time, before its depth was looked at), and
 *     bind every alias to its anchor in document order;
 *  2. build the tree from the kept events; an alias replays its anchor's
 *     events, so copies are counted against the caps like the original. */

/* What pass 1 keeps: the events and, per alias event, its anchor's event. */
struct evs {
	yaml_event_t *v;
	size_t *target; /* alias event index → index of the anchored node's first event */
	size_t n, cap;
};

static void evs_release(struct evs *e)
{
	for (size_t i = 0; i < e->n; i++)
		yaml_event_delete(&e->v[i]);
	free(e->v);
	free(e->target);
	memset(e, 0, sizeof *e);
}

struct reader {
	const char *file;
	int line_off;           /* file line of the YAML's first line, minus one */
	struct diag_list *dl;
	struct evs ev;
	struct fm_count cnt;
};

static struct srcpos mark_pos(const struct reader *r, yaml_mark_t m)
{
	return (struct srcpos){ r->file, (int)m.line + r->line_off, (int)m.column + 1 };
}

static int yaml_failed(const struct reader *r, const yaml_parser_t *p)
{
	int line = (int)p->problem_mark.line + r->line_off, col = (int)p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "YAML error";
	if (p->context && (int)p->context_mark.line + r->line_off != line)
		return diag_error(r->dl, (struct srcpos){ r->file, line, col },
				  "malformed front matter: %s %s that starts at line %d", problem, p->context,
				  (int)p->context_mark.line + r->line_off);
	return diag_error(r->dl, (struct srcpos){ r->file, line, col }, "malformed front matter: %s%s%s",
			  problem, p->context ? " " : "", p->context ? p->context : "");
}

static int too_deep(const struct reader *r, yaml_mark_t m)
{
	return diag_error(r->dl, mark_pos(r, m), "front matter nests too deeply (more than %d levels)",
			  FM_MAX_DEPTH);
}

static int too_many(const struct reader *r, yaml_mark_t m)
{
	return diag_error(r->dl, mark_pos(r, m),
			  "front matter is too large (more than %d values, aliases counted)", FM_MAX_NODES);
}

/* Pass 1: the first document's events, up to its end. */
static int read_events(struct reader *r, const char *yaml, size_t len)
{
	struct frame {
		size_t start;   /* event index of the collection's start */
		int map;        /* a mapping: its events alternate key, value */
		int want_key;
	} open[FM_MAX_DEPTH + 2];
	int depth = 0, rc = 0;
	size_t values = 0;
	struct strmap anchors = STRMAP_INIT; /* name → 1 + event index of its node */
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
	for (int done = 0; !done && rc == 0;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			rc = yaml_failed(r, &p);
			break;
		}
		if (r->ev.n == r->ev.cap) {
			r->ev.cap = r->ev.cap ? 2 * r->ev.cap : 64;
			r->ev.v = xrealloc(r->ev.v, r->ev.cap * sizeof *r->ev.v);
			r->ev.target = xrealloc(r->ev.target, r->ev.cap * sizeof *r->ev.target);
		}
		size_t at = r->ev.n++;
		r->ev.v[at] = e;
		r->ev.target[at] = 0;
		const char *anchor = NULL;
		switch (e.type) {
		case YAML_DOCUMENT_END_EVENT: /* later documents are not front matter */
		case YAML_STREAM_END_EVENT:
			done = 1;
			continue;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			continue;
		case YAML_SCALAR_EVENT:
			anchor = (const char *)e.data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchor = (const char *)e.data.sequence_start.anchor;
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = (const char *)e.data.mapping_start.anchor;
			break;
		case YAML_ALIAS_EVENT: {
			const char *name = (const char *)e.data.alias.anchor;
			struct strmap_slot *s = strmap_find(&anchors, name);
			if (!s) {
				rc = diag_error(r->dl, mark_pos(r, e.start_mark),
						"malformed front matter: found undefined alias '%s'", name);
				continue;
			}
			size_t target = (size_t)(uintptr_t)s->value - 1;
			for (int k = 0; k < depth; k++)
				if (open[k].start == target)
					rc = diag_error(r->dl, mark_pos(r, e.start_mark),
							"alias '%s' stands inside the node it names (a loop)", name);
			r->ev.target[at] = target;
			break;
		}
		default: /* stream and document starts */
			continue;
		}
		/* a node: scalar, alias or the start of a collection */
		if (rc)
			continue;
		int is_key = depth > 0 && open[depth - 1].map && open[depth - 1].want_key;
		if (depth > 0 && open[depth - 1].map)
			open[depth - 1].want_key = !open[depth - 1].want_key;
		if (depth > FM_MAX_DEPTH) {
			rc = too_deep(r, e.start_mark);
			continue;
		}
		if (!is_key && ++values > FM_MAX_NODES) {
			rc = too_many(r, e.start_mark);
			continue;
		}
		if (anchor)
			strmap_put(&anchors, anchor, NULL)->value = (void *)(uintptr_t)(at + 1);
		if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
			open[depth++] = (struct frame){ at, e.type == YAML_MAPPING_START_EVENT, 1 };
	}
	strmap_release(&anchors);
	yaml_parser_delete(&p);
	return rc;
}

/* U+0000–U+001F but tab, LF and CR; U+007F–U+009F. YAML does not allow
 * them raw, but its escapes ("\0", "\e", "\x01") make any of them: a NUL
 * would cut the text short, the others reach pages, feeds (where XML 1.0
 * forbids them) and terminals. Returns the first one, or -1. */
static long control_char(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			return c;
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F)
			return (unsigned char)s[i + 1];
	}
	return -1;
}

static int scalar_ok(struct reader *r, const yaml_event_t *e)
{
	long c = control_char((const char *)e->data.scalar.value, e->data.scalar.length);
	if (c >= 0)
		return diag_error(r->dl, mark_pos(r, e->start_mark),
				  "control character U+%04lX (from an escape) is not allowed in front matter", c);
	if ((r->cnt.bytes += e->data.scalar.length) > r->cnt.max_bytes)
		return diag_error(r->dl, mark_pos(r, e->start_mark),
				  "front matter is too large (aliases repeat more than %d bytes of text)",
				  FM_MAX_ALIAS_BYTES);
	return 0;
}

static void add_child(struct fm_node *n, size_t *cap, const char *key)
{
	if (n->n == *cap) {
		*cap = *cap ? 2 * *cap : 4;
		n->items = xrealloc(n->items, *cap * sizeof *n->items);
		if (n->kind == FM_MAP)
			n->keys = xrealloc(n->keys, *cap * sizeof *n->keys);
	}
	memset(&n->items[n->n], 0, sizeof *n->items);
	if (n->kind == FM_MAP)
		n->keys[n->n] = xstrdup(key);
	n->n++;
}

static int build(struct reader *r, size_t i, size_t *next, struct fm_node *out, int depth);

/* YAML's merge key: `<<: *base` (or a list of them) adds the keys of the
 * named mappings that the mapping does not set itself. Moves the merged
 * values out of src into m; seen holds m's keys. */
static void merge_into(struct fm_node *m, size_t *cap, struct strmap *seen, struct fm_node *src)
{
	for (size_t k = 0; k < src->n; k++) {
		int added;
		struct strmap_slot *s = strmap_put(seen, src->keys[k], &added);
		if (!added)
			continue;
		s->value = (void *)(uintptr_t)src->items[k].line;
		add_child(m, cap, src->keys[k]);
		m->items[m->n - 1] = src->items[k];
		memset(&src->items[k], 0, sizeof src->items[k]);
	}
}

static int build_map(struct reader *r, size_t i, size_t *next, struct fm_node *out, int depth)
{
	size_t cap = 0, nmerge = 0;
	struct fm_node *merges = NULL; /* values of `<<` keys, applied at the end */
	struct strmap seen = STRMAP_INIT; /* key → its line */
	int rc = 0;
	for (i++; rc == 0 && r->ev.v[i].type != YAML_MAPPING_END_EVENT;) {
		const yaml_event_t *k = &r->ev.v[i];
		if (k->type != YAML_SCALAR_EVENT) {
			rc = diag_error(r->dl, mark_pos(r, k->start_mark), "front matter keys must be plain strings");
			break;
		}
		if ((rc = scalar_ok(r, k)) < 0)
			break;
		const char *key = (const char *)k->data.scalar.value;
		struct fm_node v;
		if (k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !strcmp(key, "<<")) {
			struct strmap_slot *s = strmap_find(&seen, "<<");
			if (s) {
				rc = diag_error(r->dl, mark_pos(r, k->start_mark),
						"duplicate key '<<' (first at line %d)", (int)(uintptr_t)s->value);
				break;
			}
			/* `<<` itself stays out of the tree, but may not come twice */
			strmap_put(&seen, "<<", NULL)->value = (void *)(uintptr_t)mark_pos(r, k->start_mark).line;
			if ((rc = build(r, i + 1, &i, &v, depth + 1)) < 0) {
				node_release(&v);
				break;
			}
			const struct fm_node *bad = v.kind == FM_SCALAR ? &v : NULL;
			for (size_t c = 0; v.kind == FM_SEQ && !bad && c < v.n; c++)
				if (v.items[c].kind != FM_MAP)
					bad = &v.items[c];
			if (bad) {
				rc = diag_error(r->dl, (struct srcpos){ r->file, bad->line, bad->col },
						"merge key '<<' needs a mapping or a list of mappings");
				node_release(&v);
				break;
			}
			merges = xrealloc(merges, (nmerge + 1) * sizeof *merges);
			merges[nmerge++] = v;
			continue;
		}
		int added;
		struct strmap_slot *s = strmap_put(&seen, key, &added);
		if (!added) {
			rc = diag_error(r->dl, mark_pos(r, k->start_mark), "duplicate key '%s' (first at line %d)",
					key, (int)(uintptr_t)s->value);
			break;
		}
		s->value = (void *)(uintptr_t)mark_pos(r, k->start_mark).line;
		add_child(out, &cap, key);
		rc = build(r, i + 1, &i, &out->items[out->n - 1], depth + 1);
	}
	/* keys set in the mapping win; of the merged ones, the first list item */
	for (size_t m = 0; m < nmerge; m++) {
		if (rc == 0 && merges[m].kind == FM_MAP)
			merge_into(out, &cap, &seen, &merges[m]);
		for (size_t c = 0; rc == 0 && merges[m].kind == FM_SEQ && c < merges[m].n; c++)
			merge_into(out, &cap, &seen, &merges[m].items[c]);
		node_release(&merges[m]);
	}
	free(merges);
	strmap_release(&seen);
	*next = i + 1;
	return rc;
}

/* Pass 2: the node whose first event is i; *next receives the index after
 * its last event. Aliases replay their anchor's events, counted again. */
static int build(struct reader *r, size_t i, size_t *next, struct fm_node *out, int depth)
{
	const yaml_event_t *e = &r->ev.v[i];
	memset(out, 0, sizeof *out);
	if (e->type == YAML_ALIAS_EVENT) {
		size_t ignored;
		*next = i + 1;
		return build(r, r->ev.target[i], &ignored, out, depth);
	}
	struct srcpos at = mark_pos(r, e->start_mark);
	out->line = at.line;
	out->col = at.col;
	if (depth > FM_MAX_DEPTH)
		return too_deep(r, e->start_mark);
	if (++r->cnt.nodes > FM_MAX_NODES)
		return too_many(r, e->start_mark);
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		*next = i + 1;
		if (scalar_ok(r, e) < 0)
			return -1;
		out->kind = FM_SCALAR;
		out->str = xstrndup((const char *)e->data.scalar.value, e->data.scalar.length);
		out->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return 0;
	case YAML_SEQUENCE_START_EVENT: {
		out->kind = FM_SEQ;
		size_t cap = 0;
		for (i++; r->ev.v[i].type != YAML_SEQUENCE_END_EVENT;) {
			add_child(out, &cap, NULL);
			if (build(r, i, &i, &out->items[out->n - 1], depth + 1) < 0)
				return -1;
		}
		*next = i + 1;
		return 0;
	}
	case YAML_MAPPING_START_EVENT:
		out->kind = FM_MAP;
		return build_map(r, i, next, out, depth);
	default:
		return diag_error(r->dl, at, "empty front matter node");
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

/* YAML's null: `key:`, `~`, `null`. A key set to null is a key not set
 * (`title: null` is a missing title, not the word "null"). */
static int is_null(const struct fm_node *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	if (n->kind != FM_SCALAR || !n->plain)
		return 0;
	for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
		if (!strcmp(n->str, nulls[i]))
			return 1;
	return 0;
}

/* The value of a key that is set (present and not null), or NULL. */
static const struct fm_node *get_set(const struct fm_node *root, const char *key)
{
	const struct fm_node *n = fm_get(root, key);
	return n && !is_null(n) ? n : NULL;
}

static int read_string(const struct fm_node *root, const char *key, const char *file,
		       const char **out, struct diag_list *dl)
{
	const struct fm_node *n = get_set(root, key);
	if (!n)
		return 0;
	if (n->kind != FM_SCALAR)
		return diag_error(dl, (struct srcpos){ file, n->line, n->col }, "'%s' must be a string", key);
	*out = n->str;
	return 0;
}

/* Why path cannot be an old path of this site to redirect from, or NULL. */
static const char *redirect_problem(const char *path)
{
	if (!strncmp(path, "http://", 7) || !strncmp(path, "https://", 8) || !strncmp(path, "//", 2))
		return "a full address; a redirect is made from a path of this site ('/2017/02/05/name/')";
	if (strchr(path, ':'))
		return "a pattern (':year', ':title'); the brief's URL is /LANGUAGE/briefs/SLUG/ "
		       "(set 'slug:' for the last part)";
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("?#\\\"<>'`|", *p))
			return "not a plain path (spaces, '?', '#', quotes or backslashes)";
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || !p[2]))
			return "a path that climbs out of the site ('..')";
	if (!strcmp(path, "/") || !*path)
		return "the site's home";
	return NULL;
}

/* The page's old URLs (Jekyll's permalink and redirect_from, Hugo's url
 * and aliases): each becomes a page that sends readers to this one
 * (render.c), so links into the old site keep working. What cannot be
 * one is a warning at its place, never dropped silently. */
static int read_redirects(const struct fm_node *root, const char *file, struct meta *m, struct diag_list *dl)
{
	static const char *const keys[] = { "permalink", "url", "aliases", "redirect_from" };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const struct fm_node *n = get_set(root, keys[i]);
		if (!n)
			continue;
		if (n->kind == FM_MAP)
			return diag_error(dl, (struct srcpos){ file, n->line, n->col },
					  "'%s' must be a path or a list of paths", keys[i]);
		size_t k = n->kind == FM_SEQ ? n->n : 1;
		for (size_t j = 0; j < k; j++) {
			const struct fm_node *c = n->kind == FM_SEQ ? &n->items[j] : n;
			if (c->kind != FM_SCALAR)
				return diag_error(dl, (struct srcpos){ file, c->line, c->col },
						  "'%s' must be a path or a list of paths", keys[i]);
			const char *why = redirect_problem(c->str);
			if (why) {
				diag_warning(dl, (struct srcpos){ file, c->line, c->col },
					     "'%s: %s' is not carried over: it is %s", keys[i], c->str, why);
				continue;
			}
			m->redirects = xrealloc(m->redirects, (m->nredirects + 1) * sizeof *m->redirects);
			m->redirects[m->nredirects++] = (struct fm_redirect){ c->str, c->line, c->col };
		}
	}
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
	if ((n = get_set(root, "title")))
		m->title_line = n->line;
	if ((n = get_set(root, "date"))) {
		m->date_line = n->line;
		if (n->kind != FM_SCALAR || fm_parse_date(n->str, &m->date) < 0)
			r |= diag_error(dl, (struct srcpos){ file, n->line, n->col },
					"cannot parse date '%s' (expected YYYY-MM-DD, optionally with HH:MM[:SS] and a zone)",
					n->kind == FM_SCALAR ? n->str : "");
		else
			m->has_date = 1;
	}
	if ((n = get_set(root, "draft"))) {
		if (n->kind == FM_SCALAR && (!strcmp(n->str, "true") || !strcmp(n->str, "yes")))
			m->draft = 1;
		else if (!(n->kind == FM_SCALAR && (!strcmp(n->str, "false") || !strcmp(n->str, "no"))))
			r |= diag_error(dl, (struct srcpos){ file, n->line, n->col }, "'draft' must be true or false");
	}
	if ((n = get_set(root, "published"))) { /* Jekyll's: `published: false` is a draft */
		if (n->kind == FM_SCALAR && (!strcmp(n->str, "false") || !strcmp(n->str, "no")))
			m->draft = 1;
		else if (!(n->kind == FM_SCALAR && (!strcmp(n->str, "true") || !strcmp(n->str, "yes"))))
			r |= diag_error(dl, (struct srcpos){ file, n->line, n->col }, "'published' must be true or false");
	}
	if (!m->description) { /* Jekyll's excerpt, Hugo's summary */
		r |= read_string(root, "excerpt", file, &m->description, dl);
		if (!m->description)
			r |= read_string(root, "summary", file, &m->description, dl);
	}
	r |= read_redirects(root, file, m, dl);
	if ((n = get_set(root, "categories")) || (n = get_set(root, "category")))
		r |= read_list(n, "categories", file, &m->categories, dl);
	if ((n = get_set(root, "tags")) || (n = get_set(root, "tag")))
		r |= read_list(n, "tags", file, &m->tags, dl);
	if ((n = get_set(root, "authors")) || (n = get_set(root, "author"))) {
		const struct fm_node *name = n->kind == FM_MAP ? get_set(n, "name") : NULL;
		if (n->kind == FM_SCALAR || (name && name->kind == FM_SCALAR)) { /* one author, spaces allowed */
			m->authors = xcalloc(2, sizeof *m->authors);
			m->authors[0] = (name ? name : n)->str;
		} else if (n->kind == FM_SEQ) { /* names, or maps with a name (Jekyll's data style) */
			m->authors = xcalloc(n->n + 1, sizeof *m->authors);
			for (size_t i = 0, k = 0; i < n->n; i++) {
				const struct fm_node *c = &n->items[i], *cn = c->kind == FM_MAP ? get_set(c, "name") : c;
				if (cn && cn->kind == FM_SCALAR && *cn->str)
					m->authors[k++] = cn->str;
				else
					r |= diag_error(dl, (struct srcpos){ file, c->line, c->col },
							"an author is a name, or a map with 'name:'");
			}
		} else {
			r |= diag_error(dl, (struct srcpos){ file, n->line, n->col },
					"'%s' is a name, a list of names, or a map with 'name:'", n == get_set(root, "author") ? "author" : "authors");
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

/* YAML text (its first line is the file's line `line`) into root, an
 * empty FM_MAP: a mapping, or nothing. */
static int yaml_tree(const char *file, int line, const char *yaml, size_t yaml_len, struct fm_node *root,
		     struct diag_list *dl)
{
	struct reader rd = { file, line, dl, { NULL, NULL, 0, 0 }, { 0, 0, yaml_len + FM_MAX_ALIAS_BYTES } };
	int r = read_events(&rd, yaml, yaml_len);
	size_t top = 0;
	while (r == 0 && top < rd.ev.n && (rd.ev.v[top].type == YAML_STREAM_START_EVENT ||
					   rd.ev.v[top].type == YAML_DOCUMENT_START_EVENT))
		top++;
	if (r == 0 && top < rd.ev.n && rd.ev.v[top].type != YAML_DOCUMENT_END_EVENT &&
	    rd.ev.v[top].type != YAML_STREAM_END_EVENT) {
		if (rd.ev.v[top].type != YAML_MAPPING_START_EVENT) {
			r = diag_error(dl, (struct srcpos){ file, (int)rd.ev.v[top].start_mark.line + line, 1 },
				       "front matter must be a mapping of keys to values");
		} else {
			size_t next;
			node_release(root);
			r = build(&rd, top, &next, root, 0);
		}
	}
	evs_release(&rd.ev);
	return r;
}

int fm_parse_config(const char *file, const char *text, size_t len, struct fm_node *root, struct diag_list *dl)
{
	memset(root, 0, sizeof *root);
	root->kind = FM_MAP;
	long c = control_char(text, len);
	if (c >= 0)
		return diag_error(dl, (struct srcpos){ file, 0, 0 }, "control character U+%04lX is not allowed", c);
	size_t n = strlen(file);
	if (n >= 5 && !strcmp(file + n - 5, ".toml"))
		return fmtoml_parse(file, 1, text, len, root, dl);
	return yaml_tree(file, 1, text, len, root, dl);
}

void fm_node_release(struct fm_node *n)
{
	node_release(n);
}

/* The `+++` … `+++` block at t (after skip bytes of BOM); first: the end
 * of the opening line. */
static int toml_block(struct frontmatter *fm, const char *file, size_t skip, const char *t, size_t tl,
		      size_t first, struct diag_list *dl)
{
	size_t start = first < tl ? first + 1 : tl, close = start, line = 2;
	for (;;) {
		if (close >= tl)
			return diag_error(dl, (struct srcpos){ file, 1, 1 },
					  "front matter opened here is never closed (expected a '+++' line)");
		size_t e = close;
		while (e < tl && t[e] != '\n')
			e++;
		size_t le = e;
		while (le > close && (t[le - 1] == '\r' || t[le - 1] == ' ' || t[le - 1] == '\t'))
			le--;
		if (le - close == 3 && !memcmp(t + close, "+++", 3)) {
			fm->body_off = skip + (e < tl ? e + 1 : tl);
			fm->body_line = (int)line + 1;
			break;
		}
		close = e + 1;
		line++;
	}
	long c = control_char(t + start, close - start);
	if (c >= 0)
		return diag_error(dl, (struct srcpos){ file, 1, 1 }, "control character U+%04lX is not allowed in front matter", c);
	int r = fmtoml_parse(file, 2, t + start, close - start, &fm->root, dl);
	if (r == 0)
		r = read_meta(fm, file, dl);
	return r;
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
	if (fl == 3 && !memcmp(t, "+++", 3)) /* Hugo's TOML front matter */
		return toml_block(fm, file, skip, t, tl, first, dl);
	if (fl != 3 || memcmp(t, "---", 3)) {
		/* "---" ended by a lone CR: the whole file is one line to us */
		size_t cr = 3;
		while (cr < tl && (t[cr] == ' ' || t[cr] == '\t'))
			cr++;
		if (tl >= 3 && !memcmp(t, "---", 3) && cr + 1 < tl && t[cr] == '\r' && t[cr + 1] != '\n')
			return diag_error(dl, (struct srcpos){ file, 1, (int)cr + 1 },
					  "the file uses CR line endings (carriage returns without line feeds): "
					  "save it with LF or CRLF line endings");
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

	long c = control_char(t + yaml_start, yaml_len);
	if (c >= 0) {
		/* libyaml refuses these too, but points at the start of the line */
		const char *y = t + yaml_start, *bad = y;
		while (!(c < 0x80 ? *bad == (char)c : (bad[0] == '\xC2' && bad[1] == (char)c)))
			bad++;
		int line = 2, col = 1;
		utf8_advance(y, (size_t)(bad - y), &line, &col);
		return diag_error(dl, (struct srcpos){ file, line, col },
				  "control character U+%04lX is not allowed in front matter", c);
	}
	int r = yaml_tree(file, 2, t + yaml_start, yaml_len, &fm->root, dl);
	if (r == 0)
		r = read_meta(fm, file, dl);
	return r;
}
