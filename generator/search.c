/* search — tokens, plain text and the index files of the in-page search. */
#include "search.h"
#include "buf.h"
#include "sink.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

#include <jansson.h>
#include <libxml/HTMLparser.h>
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

static void word_done(struct buf *w, int letters_only, search_token_fn *fn, void *ctx)
{
	if (!w->len)
		return;
	size_t n = letters_only ? stem(w->ptr, w->len) : w->len;
	fn(ctx, w->ptr, n);
	w->len = 0;
}

void search_tokens(const char *text, size_t n, search_token_fn *fn, void *ctx)
{
	struct buf w = BUF_INIT;
	int letters_only = 1;
	size_t prev_at = 0, prev_len = 0; /* the CJK character before this one, when there is one */
	int prev_cjk = 0;
	unsigned last = 0; /* the code point before, for "1,764" and "1.8" */
	for (size_t i = 0; i < n;) {
		size_t len;
		unsigned c = utf8_decode(text + i, n - i, &len);
		if (!len)
			len = 1;
		if (is_cjk(c)) {
			word_done(&w, letters_only, fn, ctx);
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
						buf_addch(&w, (char)c);
					else
						buf_add(&w, text + i, len);
					if (!(c >= 'a' && c <= 'z'))
						letters_only = 0;
				}
			} else {
				word_done(&w, letters_only, fn, ctx);
				letters_only = 1;
			}
		}
		last = c;
		i += len;
	}
	word_done(&w, letters_only, fn, ctx);
	buf_release(&w);
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

/* ---- plain text ------------------------------------------------------- */

static int skipped(xmlNodePtr n)
{
	static const char *const tags[] = { "script", "style", "svg", "template", "noscript", NULL };
	for (const char *const *t = tags; *t; t++)
		if (!xmlStrcasecmp(n->name, (const xmlChar *)*t))
			return 1;
	xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
	int skip = cls && (!xmlStrcmp(cls, (const xmlChar *)"anchor") || xmlStrstr(cls, (const xmlChar *)"calc-cites"));
	xmlFree(cls);
	return skip;
}

/* Elements that end a run of text: a space between them, none inside
 * inline markup (a Chinese sentence has no spaces to add). */
static int block(xmlNodePtr n)
{
	static const char *const tags[] = { "p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th",
					    "tr", "table", "caption", "div", "section", "blockquote", "pre", "br",
					    "dt", "dd", "figcaption", "figure", "details", "summary", NULL };
	for (const char *const *t = tags; *t; t++)
		if (!xmlStrcasecmp(n->name, (const xmlChar *)*t))
			return 1;
	return 0;
}

static void text_of(xmlNodePtr n, struct buf *out)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			buf_adds(out, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
			int b = block(n);
			if (b)
				buf_addch(out, ' ');
			text_of(n->children, out);
			if (b)
				buf_addch(out, ' ');
		}
	}
}

char *search_text(const char *html, size_t n)
{
	struct buf raw = BUF_INIT, out = BUF_INIT;
	htmlDocPtr doc = htmlReadMemory(html, n > 0x7fffffff ? 0x7fffffff : (int)n, NULL, "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
	if (doc)
		text_of(xmlDocGetRootElement(doc) ? doc->children : NULL, &raw);
	xmlFreeDoc(doc);
	int space = 0;
	for (size_t i = 0; i < raw.len; i++) {
		char c = raw.ptr[i];
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = out.len > 0;
			continue;
		}
		if (space)
			buf_addch(&out, ' ');
		space = 0;
		buf_addch(&out, c);
	}
	buf_release(&raw);
	return buf_detach(&out, NULL);
}

/* ---- the index -------------------------------------------------------- */

#define CHUNK 4             /* docs per text file: a result loads its snippet's file alone */
#define SHARD_BYTES 49152   /* what one shard aims at */

struct postings {
	uint32_t *v; /* doc, weight, doc, weight, ... */
	size_t n, cap;
};

struct adding {
	struct strmap *map;
	uint32_t doc, weight;
};

static void add_token(void *ctx, const char *tok, size_t len)
{
	struct adding *a = ctx;
	struct strmap_slot *s = strmap_find_n(a->map, tok, len);
	if (!s) {
		char *key = xstrndup(tok, len);
		s = strmap_put(a->map, key, NULL);
		free(key);
		s->value = xcalloc(1, sizeof(struct postings));
	}
	struct postings *p = s->value;
	if (p->n && p->v[p->n - 2] == a->doc) {
		p->v[p->n - 1] += a->weight;
		return;
	}
	if (p->n + 2 > p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n++] = a->doc;
	p->v[p->n++] = a->weight;
}

static void add_text(struct strmap *map, uint32_t doc, uint32_t weight, const char *s)
{
	struct adding a = { map, doc, weight };
	if (s)
		search_tokens(s, strlen(s), add_token, &a);
}

static int put_json(struct sink *out, const char *rel, struct buf *b, struct diag_list *dl)
{
	int r = sink_put(out, rel, b->ptr, b->len, "search index", dl);
	b->len = 0;
	return r;
}

static void add_str(struct buf *b, const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *e = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	buf_adds(b, e ? e : "\"\"");
	free(e);
	json_decref(j);
}

struct keyed {
	const char *key;
	const struct postings *p;
	size_t shard;
};

/* by shard, then by token: each shard's file in one pass, the same bytes every build */
static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->shard != y->shard)
		return x->shard < y->shard ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int write_lang(const struct config *cfg, const struct content *ct, size_t l, struct sink *out,
		      struct diag_list *dl)
{
	const struct page **docs = xcalloc(ct->n + ct->nspages + 1, sizeof *docs);
	size_t nd = 0;
	for (size_t i = 0; i < ct->n; i++)
		if (ct->briefs[i]->pages[l])
			docs[nd++] = ct->briefs[i]->pages[l];
	for (size_t i = 0; i < ct->nspages; i++)
		if (ct->spages[i]->pages[l])
			docs[nd++] = ct->spages[i]->pages[l];
	struct strmap map = STRMAP_INIT;
	char **texts = xcalloc(nd + 1, sizeof *texts);
	for (size_t d = 0; d < nd; d++) {
		const struct page *p = docs[d];
		texts[d] = p->html ? search_text(p->html, strlen(p->html)) : xstrdup("");
		add_text(&map, (uint32_t)d, 5, p->title);
		add_text(&map, (uint32_t)d, 2, p->fm.meta.description);
		add_text(&map, (uint32_t)d, 1, texts[d]);
	}
	struct keyed *keys = xcalloc(map.n + 1, sizeof *keys);
	size_t nk = 0, bytes = 0;
	for (size_t i = 0; i < map.cap; i++)
		if (map.slots[i].key) {
			const struct postings *p = map.slots[i].value;
			size_t kl = strlen(map.slots[i].key);
			keys[nk++] = (struct keyed){ map.slots[i].key, p, search_hash(map.slots[i].key, kl) };
			bytes += kl + 6 + 8 * p->n / 2;
		}
	size_t shards = 1;
	while (shards * SHARD_BYTES < bytes && shards < 4096)
		shards *= 2;
	for (size_t k = 0; k < nk; k++)
		keys[k].shard %= shards;
	if (nk > 1)
		qsort(keys, nk, sizeof *keys, cmp_keyed);
	const char *code = cfg->langs[l].code;
	struct buf b = BUF_INIT;
	int r = 0;
	for (size_t s = 0, k = 0; s < shards && r == 0; s++) {
		buf_addch(&b, '{');
		for (size_t first = k; k < nk && keys[k].shard == s; k++) {
			buf_adds(&b, k > first ? ",\n" : "\n");
			add_str(&b, keys[k].key);
			buf_adds(&b, ":[");
			for (size_t i = 0; i < keys[k].p->n; i++)
				buf_addf(&b, i ? ",%u" : "%u", keys[k].p->v[i]);
			buf_addch(&b, ']');
		}
		buf_adds(&b, "\n}\n");
		char rel[96];
		snprintf(rel, sizeof rel, "%s/search/s-%zx.json", code, s);
		r = put_json(out, rel, &b, dl);
	}
	for (size_t c = 0; c * CHUNK < nd && r == 0; c++) {
		buf_addch(&b, '[');
		for (size_t d = c * CHUNK; d < nd && d < (c + 1) * CHUNK; d++) {
			buf_adds(&b, d > c * CHUNK ? ",\n" : "\n");
			add_str(&b, texts[d]);
		}
		buf_adds(&b, "\n]\n");
		char rel[96];
		snprintf(rel, sizeof rel, "%s/search/t-%zx.json", code, c);
		r = put_json(out, rel, &b, dl);
	}
	if (r == 0) {
		buf_addf(&b, "{\"v\":1,\"shards\":%zu,\"chunk\":%d,\"docs\":[", shards, CHUNK);
		for (size_t d = 0; d < nd; d++) {
			const struct page *p = docs[d];
			const struct brief *br = p->brief;
			buf_adds(&b, d ? ",\n[" : "\n[");
			add_str(&b, p->url);
			buf_addch(&b, ',');
			add_str(&b, p->title);
			buf_addch(&b, ',');
			/* the date a listing shows: YYYY-MM-DD of the brief (none for a page) */
			char day[11] = "";
			if (br->date_iso && strlen(br->date_iso) >= 10)
				memcpy(day, br->date_iso, 10);
			add_str(&b, day);
			buf_addch(&b, ']'); /* no summary: the first query loads this whole file */
		}
		buf_adds(&b, "\n]}\n");
		char rel[96];
		snprintf(rel, sizeof rel, "%s/search/meta.json", code);
		r = put_json(out, rel, &b, dl);
	}
	buf_release(&b);
	for (size_t i = 0; i < map.cap; i++)
		if (map.slots[i].key) {
			struct postings *p = map.slots[i].value;
			free(p->v);
			free(p);
		}
	strmap_release(&map);
	for (size_t d = 0; d < nd; d++)
		free(texts[d]);
	free(texts);
	free(keys);
	free(docs);
	return r;
}

int search_write(const struct config *cfg, const struct content *ct, struct sink *out, struct diag_list *dl)
{
	int r = 0;
	for (size_t l = 0; l < cfg->nlangs && r == 0; l++)
		r = write_lang(cfg, ct, l, out, dl);
	return r;
}
