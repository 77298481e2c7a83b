/* searchindex — the in-page search's index: texts kept as pages are
 * written, tokens merged and files written by one thread per language. */
#include "searchindex.h"
#include "arena.h"
#include "buf.h"
#include "jsonout.h"
#include "search.h"
#include "sink.h"
#include "strmap.h"
#include "urls.h"
#include "xalloc.h"

#include <math.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* ---- the index ------------------------------------------------------------ */

/* The render workers are the build's busiest threads: all they do for the
 * index is keep each page's body text, read from the link check's parse.
 * The rest is the language's writer's, a thread that starts after the last
 * indexed page and runs below the build's own threads, on the core the
 * serial stages (feeds, sitemap, link check) leave idle.
 *
 * The writer cuts each doc, in order, into its distinct tokens, counted,
 * and appends them as one batch to PARTS parts by the low bits of their
 * hash; then it merges each part alone, its hash table small enough to
 * stay in cache (one table for all, probed as docs came, missed the cache
 * on every probe: 200 ns a posting), and writes the part's shards at once.
 * Shards are chosen by the same low bits, so a shard's tokens are in one
 * part, or a shard holds whole parts. */
#define PARTS_LOG 6
#define PARTS (1 << PARTS_LOG)
/* Shards are chosen before any part is merged, so that each part's are
 * written as soon as it is and nothing of it is kept: by the size the
 * files will have, Σ (token + 6) over tokens + 8 per posting, with the
 * number of distinct tokens estimated by a HyperLogLog of 2^HLL_LOG
 * registers (about 3 % off; the shards' size is an aim, not a
 * limit), kept as docs are cut. */
#define HLL_LOG 10
#define HLL (1 << HLL_LOG)
#define CHUNK 4             /* docs per text file: a result loads its snippet's file alone */
#define SHARD_BYTES 49152   /* what one shard aims at */

struct key {
	uint32_t hash, off, len; /* off: into part.bytes, NUL after each */
	uint32_t n;              /* docs holding it */
	uint32_t at;             /* its postings in part.post */
};

struct batch { /* one doc's records in a part */
	uint32_t doc, n;
	const unsigned char *at; /* in one of the part's blocks */
};

/* Records are kept in blocks that never move, from the language's arena
 * (huge pages): a growing buffer's copies and the faults on its fresh
 * pages cost more than the cutting. */
#define BLOCK 65536
struct block {
	size_t len, cap;
	unsigned char data[];
};

struct part {
	struct block *block;    /* records: token length, token, weight (varints but the token); the latest */
	struct batch *bs;       /* in doc order */
	uint32_t nbs, bcap;
	/* merged (place): */
	struct key *keys;
	uint32_t nkeys;
	struct buf bytes;
	uint32_t *post;         /* doc, weight, ... per key, docs in order */
	int own_post;           /* post is the part's, not the writer's scratch */
	uint32_t *order;        /* keys by shard, then hash, then token */
};

struct lang_index {
	const struct page **pages; /* docs: briefs newest first, then standalone pages */
	struct arena *arena;       /* the docs' texts and the parts' blocks */
	uint32_t nd;
	const char **texts;        /* each doc's body text, in the arena; NULL: not read */
	size_t *lens;
	struct part parts[PARTS];
	size_t postings;           /* records in all parts */
	size_t rec_bytes;          /* their tokens' bytes */
	uint8_t hll[HLL];          /* how many distinct tokens, about (HyperLogLog) */
	size_t shards;
};

struct search_index {
	const struct config *cfg;
	struct strmap by_rel;  /* site file -> doc: (lang << 24 | doc) + 1 */
	struct lang_index *langs;
	pthread_mutex_t texts_lock; /* guards texts, lens */
};

struct search_index *search_index_new(const struct config *cfg, const struct content *ct)
{
	struct search_index *x = xcalloc(1, sizeof *x);
	x->cfg = cfg;
	x->by_rel = (struct strmap)STRMAP_INIT;
	x->langs = xcalloc(cfg->nlangs + 1, sizeof *x->langs);
	pthread_mutex_init(&x->texts_lock, NULL);
	for (size_t l = 0; l < cfg->nlangs; l++) {
		struct lang_index *li = &x->langs[l];
		li->pages = xcalloc(ct->n + ct->nspages + 1, sizeof *li->pages);
		for (size_t i = 0; i < ct->n + ct->nspages; i++) {
			const struct brief *b = i < ct->n ? ct->briefs[i] : ct->spages[i - ct->n];
			if (b->pages[l])
				li->pages[li->nd++] = b->pages[l];
		}
		li->arena = arena_new();
		li->texts = xcalloc(li->nd + 1, sizeof *li->texts);
		li->lens = xcalloc(li->nd + 1, sizeof *li->lens);
		for (uint32_t d = 0; d < li->nd; d++) {
			char *rel = urls_file(li->pages[d]->url);
			strmap_put(&x->by_rel, rel, NULL)->value = (void *)(uintptr_t)((l << 24 | d) + 1);
			free(rel);
		}
		for (int k = 0; k < PARTS; k++)
			li->parts[k].bytes = (struct buf)BUF_INIT;
	}
	return x;
}

void search_index_free(struct search_index *x)
{
	if (!x)
		return;
	for (size_t l = 0; l < x->cfg->nlangs; l++) {
		struct lang_index *li = &x->langs[l];
		for (int k = 0; k < PARTS; k++) {
			struct part *pt = &li->parts[k];
			free(pt->bs);
			free(pt->keys);
			buf_release(&pt->bytes);
			if (pt->own_post)
				free(pt->post);
			free(pt->order);
		}
		arena_free(li->arena);
		free((void *)li->texts);
		free(li->lens);
		free(li->pages);
	}
	free(x->langs);
	strmap_release(&x->by_rel);
	pthread_mutex_destroy(&x->texts_lock);
	free(x);
}

/* ---- reading a page ------------------------------------------------------ */

struct search_reader {
	struct search_index *x;
	uint32_t lang, doc;
	struct search_body body;
};

struct search_reader *search_reader_new(struct search_index *x, const char *rel)
{
	const struct strmap_slot *sl = strmap_find(&x->by_rel, rel);
	if (!sl)
		return NULL;
	uintptr_t v = (uintptr_t)sl->value - 1;
	struct search_reader *r = xcalloc(1, sizeof *r);
	*r = (struct search_reader){ x, (uint32_t)(v >> 24), (uint32_t)(v & 0xffffff), SEARCH_BODY_INIT };
	buf_grow(&r->body.text, 8192); /* a brief's text is a few KB: no growing on the way */
	return r;
}

void search_reader_start(void *reader, const char *tag, const char *const *atts)
{
	search_body_start(&((struct search_reader *)reader)->body, tag, atts);
}

void search_reader_end(void *reader, const char *tag)
{
	search_body_end(&((struct search_reader *)reader)->body, tag);
}

void search_reader_text(void *reader, const char *s, size_t n)
{
	search_body_chars(&((struct search_reader *)reader)->body, s, n);
}

/* ---- a doc's tokens, counted, into the parts ---------------------------- */

struct doc_tok {
	uint32_t hash;  /* FNV-1a: the part and the shard */
	uint32_t probe; /* where the page's table looks for it */
	uint32_t len, weight;
	uint64_t head; /* the first 8 bytes, zero-padded: most tokens are told apart by it alone */
	const char *s; /* in the doc's token bytes */
};

static uint64_t head8(const char *tok, size_t len)
{
	uint64_t h = 0;
	memcpy(&h, tok, len < 8 ? len : 8);
	return h;
}

/* One doc's distinct tokens and their weights, on the worker that read it. */
/* The writer's, for one doc after the other: memory that stays warm in the
 * cache, and no allocations per doc. */
struct doc_toks {
	struct doc_tok *v;
	uint32_t n, cap;
	uint32_t *table, tcap; /* index + 1, 0 empty */
	struct buf bytes;      /* token bytes; v[i].s set once all are in */
	uint32_t weight;       /* of the text being cut */
};

static void doc_toks_release(struct doc_toks *d)
{
	free(d->v);
	free(d->table);
	buf_release(&d->bytes);
}

static void doc_rehash(struct doc_toks *d, uint32_t cap)
{
	free(d->table);
	d->tcap = cap;
	d->table = xcalloc(cap, sizeof *d->table);
	for (uint32_t i = 0; i < d->n; i++) {
		uint32_t at = d->v[i].probe & (cap - 1);
		while (d->table[at])
			at = (at + 1) & (cap - 1);
		d->table[at] = i + 1;
	}
}

static void doc_add(void *ctx, const char *tok, size_t len)
{
	struct doc_toks *d = ctx;
	uint64_t hd = head8(tok, len);
	/* a short token is probed for by one multiply of its bytes; the FNV
	 * hash (the part, the shard) is made once per distinct token */
	uint32_t h = len > 8 ? search_hash(tok, len) : 0;
	uint32_t q = len > 8 ? h : (uint32_t)(((hd ^ len) * 0x9E3779B97F4A7C15ull) >> 32);
	if (2 * (d->n + 1) > d->tcap)
		doc_rehash(d, 2 * d->tcap);
	uint32_t at = q & (d->tcap - 1);
	for (uint32_t k; (k = d->table[at]); at = (at + 1) & (d->tcap - 1)) {
		struct doc_tok *t = &d->v[k - 1];
		if (t->probe == q && t->head == hd && t->len == len &&
		    (len <= 8 || !memcmp(d->bytes.ptr + (uintptr_t)t->s + 8, tok + 8, len - 8))) {
			t->weight += d->weight;
			return;
		}
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	/* s holds an offset until the bytes stop moving */
	if (len <= 8)
		h = search_hash(tok, len);
	d->v[d->n] = (struct doc_tok){ h, q, (uint32_t)len, d->weight, hd, (const char *)(uintptr_t)d->bytes.len };
	d->table[at] = ++d->n;
	buf_add(&d->bytes, tok, len);
}

static void doc_cut(struct doc_toks *d, const char *s, size_t n, uint32_t weight)
{
	d->weight = weight;
	if (s)
		search_tokens(s, n, doc_add, d);
}

static size_t varint_len(uint32_t v)
{
	size_t n = 1;
	for (; v >= 0x80; v >>= 7)
		n++;
	return n;
}

static unsigned char *put_varint(unsigned char *p, uint32_t v)
{
	for (; v >= 0x80; v >>= 7)
		*p++ = (unsigned char)(v | 0x80);
	*p++ = (unsigned char)v;
	return p;
}

static uint32_t get_varint(const unsigned char **p)
{
	uint32_t v = 0;
	for (int shift = 0;; shift += 7) {
		unsigned char c = *(*p)++;
		v |= (uint32_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
}

/* The register is chosen by the high bits of the hash mixed again (the
 * low bits chose the part), the rank by where the rest's first 1 is. */
static void hll_add(uint8_t *reg, uint32_t hash)
{
	uint32_t h = hash;
	h ^= h >> 16, h *= 0x85ebca6bu, h ^= h >> 13, h *= 0xc2b2ae35u, h ^= h >> 16; /* MurmurHash3's finaliser */
	uint32_t rest = h << HLL_LOG;
	uint8_t rank = (uint8_t)(rest ? __builtin_clz(rest) + 1 : 32 - HLL_LOG + 1);
	if (reg[h >> (32 - HLL_LOG)] < rank)
		reg[h >> (32 - HLL_LOG)] = rank;
}

/* Distinct tokens, about. */
static double hll_count(const uint8_t *reg)
{
	double sum = 0;
	size_t zeros = 0;
	for (int r = 0; r < HLL; r++) {
		sum += ldexp(1.0, -reg[r]);
		zeros += reg[r] == 0;
	}
	double est = 0.7213 / (1 + 1.079 / HLL) * HLL * HLL / sum;
	if (est <= 2.5 * HLL && zeros) /* few: linear counting is the better estimate */
		est = HLL * log((double)HLL / (double)zeros);
	return est;
}

/* The doc's distinct tokens, one batch per part, written straight into
 * the parts' blocks (a batch is never split across two). */
static void add_doc(struct lang_index *li, uint32_t doc, const struct doc_toks *d)
{
	size_t size[PARTS] = { 0 };
	uint32_t count[PARTS] = { 0 };
	for (uint32_t i = 0; i < d->n; i++) {
		const struct doc_tok *t = &d->v[i];
		size[t->hash & (PARTS - 1)] += varint_len(t->len) + t->len + varint_len(t->weight);
		count[t->hash & (PARTS - 1)]++;
	}
	unsigned char *end[PARTS];
	for (int k = 0; k < PARTS; k++) {
		if (!count[k])
			continue;
		struct part *pt = &li->parts[k];
		struct block *bl = pt->block;
		if (!bl || bl->cap - bl->len < size[k]) {
			size_t cap = size[k] > BLOCK ? size[k] : BLOCK;
			bl = arena_alloc(li->arena, sizeof *bl + cap);
			*bl = (struct block){ 0, cap };
			pt->block = bl;
		}
		if (pt->nbs == pt->bcap) {
			pt->bcap = pt->bcap ? 2 * pt->bcap : 256;
			pt->bs = xrealloc(pt->bs, pt->bcap * sizeof *pt->bs);
		}
		pt->bs[pt->nbs++] = (struct batch){ doc, count[k], bl->data + bl->len };
		end[k] = bl->data + bl->len;
		bl->len += size[k];
	}
	for (uint32_t i = 0; i < d->n; i++) {
		const struct doc_tok *t = &d->v[i];
		unsigned char **p = &end[t->hash & (PARTS - 1)];
		*p = put_varint(*p, t->len);
		memcpy(*p, d->bytes.ptr + (uintptr_t)t->s, t->len);
		*p = put_varint(*p + t->len, t->weight);
		hll_add(li->hll, t->hash);
		li->rec_bytes += t->len;
	}
	li->postings += d->n;
}

/* A doc's title (weight 5), description (2) and body text (1). */
static void index_doc(struct lang_index *li, uint32_t doc, const char *text, size_t len, struct doc_toks *d)
{
	const struct page *p = li->pages[doc];
	/* about one distinct token per 8 bytes of text: no growing on the way */
	uint32_t cap = d->tcap ? d->tcap : 256;
	while (cap < len / 4 && cap < (1u << 24))
		cap *= 2;
	if (cap > d->tcap)
		doc_rehash(d, cap);
	doc_cut(d, p->title, p->title ? strlen(p->title) : 0, 5);
	doc_cut(d, p->fm.meta.description, p->fm.meta.description ? strlen(p->fm.meta.description) : 0, 2);
	doc_cut(d, text, len, 1);
	add_doc(li, doc, d);
	memset(d->table, 0, d->tcap * sizeof *d->table);
	d->n = 0;
	d->bytes.len = 0;
}

/* The page's text is kept, in the arena, for its language's writer: the
 * render workers are the build's busiest threads, the writers run beside
 * the serial stages that leave a core idle (search_write_start). */
void search_reader_finish(struct search_reader *r)
{
	if (!r)
		return;
	struct search_index *x = r->x;
	struct lang_index *li = &x->langs[r->lang];
	size_t len = r->body.text.len;
	char *text = arena_alloc(li->arena, len + 1);
	memcpy(text, r->body.text.ptr, len + 1);
	buf_release(&r->body.text);
	pthread_mutex_lock(&x->texts_lock);
	if (!li->texts[r->doc]) { /* a page is put once; were it not, the first counts */
		li->texts[r->doc] = text;
		li->lens[r->doc] = len;
	}
	pthread_mutex_unlock(&x->texts_lock);
	free(r);
}

/* ---- writing it ---------------------------------------------------------- */

/* Sorts val[0..n) by key, stably: LSD radix, a byte a pass, skipping
 * the passes where every key has the same byte. qsort's comparisons of
 * keys by hash were ~40 % of writing the index. */
static void radix_sort(uint64_t *key, uint32_t *val, size_t n)
{
	if (n < 2)
		return;
	uint64_t *k2 = xmalloc(n * sizeof *k2);
	uint32_t *v2 = xmalloc(n * sizeof *v2);
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[((key[i] >> shift) & 0xff) + 1]++;
		if (count[((key[0] >> shift) & 0xff) + 1] == n)
			continue; /* one byte for all */
		for (int d = 0; d < 256; d++)
			count[d + 1] += count[d];
		for (size_t i = 0; i < n; i++) {
			size_t at = count[(key[i] >> shift) & 0xff]++;
			k2[at] = key[i];
			v2[at] = val[i];
		}
		memcpy(key, k2, n * sizeof *key);
		memcpy(val, v2, n * sizeof *val);
	}
	free(k2);
	free(v2);
}

struct slot {
	uint32_t hash, key; /* key + 1, 0 empty */
};

/* A writer's working memory, kept from one part to the next: fresh pages
 * for each part cost more than the merge itself. */
struct scratch {
	uint32_t *rec_key, *rec_w, *post;
	size_t rcap;
	struct slot *table;
	uint32_t tcap;
};

/* Merges a part's stream: its keys, and each key's postings in one run,
 * docs in order. */
static void place(struct part *pt, struct scratch *sc, int own_post)
{
	size_t nrec = 0;
	for (uint32_t b = 0; b < pt->nbs; b++)
		nrec += pt->bs[b].n;
	uint32_t kcap = 256;
	pt->keys = xmalloc(kcap * sizeof *pt->keys);
	if (!sc->table) {
		sc->tcap = 512;
		sc->table = xmalloc(sc->tcap * sizeof *sc->table);
	}
	uint32_t tcap = sc->tcap;
	struct slot *table = sc->table;
	memset(table, 0, tcap * sizeof *table);
	if (nrec > sc->rcap) {
		sc->rcap = nrec;
		free(sc->rec_key);
		free(sc->rec_w);
		free(sc->post);
		sc->rec_key = xmalloc(nrec * sizeof *sc->rec_key);
		sc->rec_w = xmalloc(nrec * sizeof *sc->rec_w);
		sc->post = xmalloc(2 * nrec * sizeof *sc->post);
	}
	uint32_t *rec_key = sc->rec_key, *rec_w = sc->rec_w;
	size_t r = 0;
	for (uint32_t b = 0; b < pt->nbs; b++) {
		const unsigned char *p = pt->bs[b].at;
		for (uint32_t i = 0; i < pt->bs[b].n; i++, r++) {
			uint32_t len = get_varint(&p);
			const char *tok = (const char *)p;
			p += len;
			rec_w[r] = get_varint(&p);
			uint32_t h = search_hash(tok, len);
			if (2 * (pt->nkeys + 1) > tcap) {
				free(table);
				tcap *= 2;
				table = xcalloc(tcap, sizeof *table);
				for (uint32_t k = 0; k < pt->nkeys; k++) {
					uint32_t at = (pt->keys[k].hash >> PARTS_LOG) & (tcap - 1);
					while (table[at].key)
						at = (at + 1) & (tcap - 1);
					table[at] = (struct slot){ pt->keys[k].hash, k + 1 };
				}
			}
			/* the low bits chose the part: probe by the high ones */
			uint32_t at = (h >> PARTS_LOG) & (tcap - 1), k;
			for (; (k = table[at].key); at = (at + 1) & (tcap - 1))
				if (table[at].hash == h && pt->keys[k - 1].len == len &&
				    !memcmp(pt->bytes.ptr + pt->keys[k - 1].off, tok, len))
					break;
			if (!k) {
				if (pt->nkeys == kcap) {
					kcap *= 2;
					pt->keys = xrealloc(pt->keys, kcap * sizeof *pt->keys);
				}
				pt->keys[pt->nkeys] = (struct key){ h, (uint32_t)pt->bytes.len, len, 0, 0 };
				buf_add(&pt->bytes, tok, len);
				buf_addch(&pt->bytes, '\0');
				k = ++pt->nkeys;
				table[at] = (struct slot){ h, k };
			}
			rec_key[r] = k - 1;
			pt->keys[k - 1].n++;
		}
	}
	sc->table = table;
	sc->tcap = tcap;
	pt->own_post = own_post;
	pt->post = own_post ? xmalloc(2 * nrec * sizeof *pt->post + 1) : sc->post;
	pt->order = xmalloc((pt->nkeys + 1) * sizeof *pt->order);
	for (uint32_t k = 0, at = 0; k < pt->nkeys; k++) {
		pt->keys[k].at = at;
		at += 2 * pt->keys[k].n;
		pt->keys[k].n = 0;
		pt->order[k] = k;
	}
	r = 0;
	for (uint32_t b = 0; b < pt->nbs; b++)
		for (uint32_t i = 0; i < pt->bs[b].n; i++, r++) {
			struct key *k = &pt->keys[rec_key[r]];
			pt->post[k->at + 2 * k->n] = pt->bs[b].doc;
			pt->post[k->at + 2 * k->n + 1] = rec_w[r];
			k->n++;
		}
}

static const char *token_of(const struct part *pt, uint32_t key)
{
	return pt->bytes.ptr + pt->keys[key].off;
}

/* Keys by shard, then hash, then token: the hash orders them as well as
 * the token would, the same every build, mostly without reading tokens. */
static void order_keys(struct part *pt, size_t shards)
{
	uint32_t mask = (uint32_t)(shards - 1), n = pt->nkeys;
	uint64_t *key = xmalloc(((size_t)n + 1) * sizeof *key);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h = pt->keys[i].hash;
		key[i] = (uint64_t)(h & mask) << 32 | h;
		pt->order[i] = i;
	}
	radix_sort(key, pt->order, n);
	for (uint32_t i = 1; i < n; i++) /* a hash's tokens (collisions: rare) in order */
		for (uint32_t j = i; j > 0 && key[j - 1] == key[j] &&
				     strcmp(token_of(pt, pt->order[j - 1]), token_of(pt, pt->order[j])) > 0; j--) {
			uint32_t t = pt->order[j];
			pt->order[j] = pt->order[j - 1];
			pt->order[j - 1] = t;
		}
	free(key);
}

struct keyref {
	const struct part *pt;
	uint32_t key;
};

/* refs[0..n) by hash, then token. */
static void order_refs(struct keyref *refs, size_t n)
{
	uint64_t *key = xmalloc((n + 1) * sizeof *key);
	uint32_t *idx = xmalloc((n + 1) * sizeof *idx);
	for (size_t i = 0; i < n; i++) {
		key[i] = refs[i].pt->keys[refs[i].key].hash;
		idx[i] = (uint32_t)i;
	}
	radix_sort(key, idx, n);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && key[j - 1] == key[j] &&
				   strcmp(token_of(refs[idx[j - 1]].pt, refs[idx[j - 1]].key),
					  token_of(refs[idx[j]].pt, refs[idx[j]].key)) > 0; j--) {
			uint32_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	struct keyref *sorted = xmalloc((n + 1) * sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = refs[idx[i]];
	memcpy(refs, sorted, n * sizeof *refs);
	free(sorted);
	free(idx);
	free(key);
}

static int put_json(struct sink *out, const char *rel, struct buf *b, struct diag_list *dl)
{
	int r = sink_put(out, rel, b->ptr, b->len, "search index", dl);
	b->len = 0;
	return r;
}

/* Shard s of a language: its tokens, in order, and their postings. */
static int write_shard(const struct lang_index *li, const char *code, size_t s, struct sink *out,
		       struct diag_list *dl)
{
	uint32_t mask = (uint32_t)(li->shards - 1);
	struct keyref *refs = NULL;
	size_t n = 0;
	if (li->shards >= PARTS) { /* a run of one part's order */
		const struct part *pt = &li->parts[s & (PARTS - 1)];
		refs = xmalloc((pt->nkeys + 1) * sizeof *refs);
		for (uint32_t i = 0; i < pt->nkeys; i++)
			if ((pt->keys[pt->order[i]].hash & mask) == s)
				refs[n++] = (struct keyref){ pt, pt->order[i] };
	} else { /* whole parts, merged */
		size_t total = 0;
		for (size_t k = s; k < PARTS; k += li->shards)
			total += li->parts[k].nkeys;
		refs = xmalloc((total + 1) * sizeof *refs);
		for (size_t k = s; k < PARTS; k += li->shards)
			for (uint32_t i = 0; i < li->parts[k].nkeys; i++)
				refs[n++] = (struct keyref){ &li->parts[k], li->parts[k].order[i] };
		order_refs(refs, n);
	}
	struct buf b = BUF_INIT;
	buf_addch(&b, '{');
	for (size_t i = 0; i < n; i++) {
		const struct key *k = &refs[i].pt->keys[refs[i].key];
		const uint32_t *post = refs[i].pt->post + k->at;
		buf_adds(&b, i ? ",\n" : "\n");
		jsonout_quote(&b, refs[i].pt->bytes.ptr + k->off);
		buf_adds(&b, ":[");
		for (uint32_t j = 0; j < 2 * k->n; j++) {
			if (j)
				buf_addch(&b, ',');
			buf_addu(&b, post[j]);
		}
		buf_addch(&b, ']');
	}
	buf_adds(&b, "\n}\n");
	char rel[96];
	snprintf(rel, sizeof rel, "%s/search/s-%zx.json", code, s);
	int r = put_json(out, rel, &b, dl);
	buf_release(&b);
	free(refs);
	return r;
}

/* The texts of chunk c's docs, for snippets. */
static int write_chunk(const struct lang_index *li, const char *code, size_t c, struct buf *b, struct sink *out,
		       struct diag_list *dl)
{
	buf_addch(b, '[');
	for (size_t d = c * CHUNK; d < li->nd && d < (c + 1) * CHUNK; d++) {
		buf_adds(b, d > c * CHUNK ? ",\n" : "\n");
		jsonout_quote(b, li->texts[d]);
	}
	buf_adds(b, "\n]\n");
	char rel[96];
	snprintf(rel, sizeof rel, "%s/search/t-%zx.json", code, c);
	return put_json(out, rel, b, dl);
}

/* meta.json: the docs' urls, titles, dates. */
static int write_meta(const struct lang_index *li, const char *code, struct sink *out, struct diag_list *dl)
{
	struct buf b = BUF_INIT;
	{
		buf_addf(&b, "{\"v\":1,\"shards\":%zu,\"chunk\":%d,\"docs\":[", li->shards, CHUNK);
		for (size_t d = 0; d < li->nd; d++) {
			const struct page *p = li->pages[d];
			const struct brief *br = p->brief;
			buf_adds(&b, d ? ",\n[" : "\n[");
			jsonout_quote(&b, p->url);
			buf_addch(&b, ',');
			jsonout_quote(&b, p->title ? p->title : "");
			buf_addch(&b, ',');
			/* the date a listing shows: YYYY-MM-DD of the brief (none for a page) */
			char day[11] = "";
			if (br->date_iso && strlen(br->date_iso) >= 10)
				memcpy(day, br->date_iso, 10);
			jsonout_quote(&b, day);
			buf_addch(&b, ']'); /* no summary: the first query loads this whole file */
		}
		buf_adds(&b, "\n]}\n");
	}
	char rel[96];
	snprintf(rel, sizeof rel, "%s/search/meta.json", code);
	int r = put_json(out, rel, &b, dl);
	buf_release(&b);
	return r;
}

/* One language's index: merged, ordered and written on its own thread
 * while the build goes on with listings and feeds. */
struct lang_writer {
	struct search_index *x;
	size_t l;
	struct sink *out;
	struct diag_list dl;
	int r;
	pthread_t thread;
	int running;    /* the main thread's: the thread was made */
	int background; /* set before the thread starts; the thread reads this one */
};

struct search_writing {
	size_t n;
	struct lang_writer w[];
};

/* A part whose shards are written: nothing of it is needed again. */
static void part_release(struct part *pt)
{
	free(pt->keys);
	pt->keys = NULL;
	pt->nkeys = 0;
	buf_release(&pt->bytes);
	free(pt->order);
	pt->order = NULL;
	if (pt->own_post)
		free(pt->post);
	pt->post = NULL;
}

static void *write_lang(void *arg)
{
	struct lang_writer *w = arg;
	struct lang_index *li = &w->x->langs[w->l];
	const char *code = w->x->cfg->langs[w->l].code;
	/* Below the build's own threads: this is work for the cores that the
	 * serial stages leave idle (failing, the thread is just not lowered). */
	if (w->background)
		setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	/* each doc's tokens into the parts, each chunk's texts into a file */
	struct buf b = BUF_INIT;
	struct doc_toks toks = { .bytes = BUF_INIT };
	w->r = 0;
	for (uint32_t d = 0; d < li->nd && w->r == 0; d++) {
		if (!li->texts[d]) /* not written: its title and description still count */
			li->texts[d] = "";
		index_doc(li, d, li->texts[d], li->lens[d], &toks);
		if ((d + 1) % CHUNK == 0 || d + 1 == li->nd)
			w->r = write_chunk(li, code, d / CHUNK, &b, w->out, &w->dl);
	}
	doc_toks_release(&toks);
	buf_release(&b);
	/* a distinct token's length taken as the mean over postings */
	double keys = hll_count(li->hll), mean = li->postings ? (double)li->rec_bytes / (double)li->postings : 0;
	double bytes = keys * (mean + 6) + 8.0 * (double)li->postings;
	li->shards = 1;
	while ((double)(li->shards * SHARD_BYTES) < bytes && li->shards < 4096)
		li->shards *= 2;
	struct scratch sc = { 0 };
	if (w->r < 0)
		; /* a text file could not be put: said */
	else if (li->shards >= PARTS) { /* each part holds whole shards */
		for (size_t k = 0; k < PARTS && w->r == 0; k++) {
			place(&li->parts[k], &sc, 0);
			order_keys(&li->parts[k], li->shards);
			for (size_t s = k; s < li->shards && w->r == 0; s += PARTS)
				w->r = write_shard(li, code, s, w->out, &w->dl);
			part_release(&li->parts[k]);
		}
	} else { /* each shard holds whole parts */
		for (size_t s = 0; s < li->shards && w->r == 0; s++) {
			for (size_t k = s; k < PARTS; k += li->shards)
				place(&li->parts[k], &sc, 1);
			w->r = write_shard(li, code, s, w->out, &w->dl);
			for (size_t k = s; k < PARTS; k += li->shards)
				part_release(&li->parts[k]);
		}
	}
	free(sc.rec_key);
	free(sc.rec_w);
	free(sc.post);
	free(sc.table);
	arena_free(li->arena); /* every text and part written */
	li->arena = NULL;
	if (w->r == 0)
		w->r = write_meta(li, code, w->out, &w->dl);
	return NULL;
}

struct search_writing *search_write_start(struct search_index *x, struct sink *out, int background)
{
	size_t nl = x->cfg->nlangs;
	struct search_writing *sw = xcalloc(1, sizeof *sw + nl * sizeof *sw->w);
	sw->n = nl;
	for (size_t l = 0; l < nl; l++) {
		struct lang_writer *w = &sw->w[l];
		*w = (struct lang_writer){ .x = x, .l = l, .out = out, .background = background };
		w->running = background && pthread_create(&w->thread, NULL, write_lang, w) == 0;
		if (!w->running) { /* no thread to be had: here and now */
			w->background = 0;
			write_lang(w);
		}
	}
	return sw;
}

int search_write_finish(struct search_writing *sw, struct diag_list *dl)
{
	if (!sw)
		return 0;
	for (size_t l = 0; l < sw->n; l++)
		if (sw->w[l].running)
			pthread_join(sw->w[l].thread, NULL);
	int r = 0;
	for (size_t l = 0; l < sw->n; l++) {
		r = sw->w[l].r < 0 ? -1 : r;
		diag_move(dl, &sw->w[l].dl);
		diag_release(&sw->w[l].dl);
	}
	free(sw);
	return r;
}
