/* strmap — open addressing with linear probing; grows at 1/2 full. */
#include "strmap.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct strmap_slot *probe(const struct strmap_slot *slots, size_t cap, const char *key, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
	while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key)))
		i = (i + 1) & (cap - 1);
	return (struct strmap_slot *)&slots[i];
}

struct strmap_slot *strmap_find(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	struct strmap_slot *s = probe(m->slots, m->cap, key, hash(key));
	return s->key ? s : NULL;
}

static void grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct strmap_slot *slots = xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*probe(slots, cap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

struct strmap_slot *strmap_put(struct strmap *m, const char *key, int *added)
{
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	uint64_t h = hash(key);
	struct strmap_slot *s = probe(m->slots, m->cap, key, h);
	if (added)
		*added = !s->key;
	if (!s->key) {
		s->key = xstrdup(key);
		s->value = NULL;
		s->hash = h;
		m->n++;
	}
	return s;
}

/* Linear probing keeps every key reachable from its home slot without a
 * gap; so a removal shifts back the keys after it that it was keeping
 * from home (Knuth 6.4, algorithm R), instead of leaving a tombstone. */
int strmap_del(struct strmap *m, const char *key, void **value)
{
	struct strmap_slot *s = strmap_find(m, key);
	if (value)
		*value = s ? s->value : NULL;
	if (!s)
		return 0;
	size_t mask = m->cap - 1, i = (size_t)(s - m->slots);
	free(s->key);
	for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
		if (!m->slots[j].key)
			break;
		uint64_t h = m->slots[j].hash;
		size_t home = (size_t)(h ^ (h >> 29)) & mask;
		/* j may move back to i unless its home lies in (i, j] (cyclically) */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->slots[i] = m->slots[j];
		i = j;
	}
	m->slots[i].key = NULL;
	m->slots[i].value = NULL;
	m->n--;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const char **strmap_sorted_keys(const struct strmap *m)
{
	const char **v = xcalloc(m->n + 1, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			v[k++] = m->slots[i].key;
	qsort(v, k, sizeof *v, cmp_str);
	return v;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof *m);
}
