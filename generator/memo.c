/* memo — a locked map from output path to (hash, blob, used). */
#include "memo.h"
#include "strmap.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include "banned.h"

struct entry {
	struct hash128 h;
	struct blob *b;
	int used;
};

struct memo {
	pthread_mutex_t lock;
	struct strmap map; /* rel -> struct entry */
	size_t hits, misses;
};

struct memo *memo_new(void)
{
	struct memo *m = xcalloc(1, sizeof *m);
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

static void drop(struct entry *e)
{
	blob_unref(e->b);
	free(e);
}

void memo_free(struct memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->map.cap; i++)
		if (m->map.slots[i].key)
			drop(m->map.slots[i].value);
	strmap_release(&m->map);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

struct blob *memo_get(struct memo *m, const char *rel, struct hash128 h)
{
	pthread_mutex_lock(&m->lock);
	struct strmap_slot *s = strmap_find(&m->map, rel);
	struct entry *e = s ? s->value : NULL;
	struct blob *b = NULL;
	if (e && hash_eq(e->h, h)) {
		e->used = 1;
		b = e->b;
		m->hits++;
	} else {
		m->misses++;
	}
	pthread_mutex_unlock(&m->lock);
	return b;
}

void memo_set(struct memo *m, const char *rel, struct hash128 h, struct blob *b)
{
	pthread_mutex_lock(&m->lock);
	struct strmap_slot *s = strmap_put(&m->map, rel, NULL);
	struct entry *e = s->value;
	if (!e)
		e = s->value = xcalloc(1, sizeof *e);
	blob_unref(e->b);
	e->h = h;
	e->b = blob_ref(b);
	e->used = 1;
	pthread_mutex_unlock(&m->lock);
}

void memo_sweep(struct memo *m)
{
	pthread_mutex_lock(&m->lock);
	struct strmap next = STRMAP_INIT;
	for (size_t i = 0; i < m->map.cap; i++) {
		struct entry *e = m->map.slots[i].value;
		if (!m->map.slots[i].key)
			continue;
		if (e->used) {
			e->used = 0;
			strmap_put(&next, m->map.slots[i].key, NULL)->value = e;
		} else {
			drop(e);
		}
	}
	strmap_release(&m->map);
	m->map = next;
	m->hits = m->misses = 0;
	pthread_mutex_unlock(&m->lock);
}

void memo_stats(const struct memo *m, size_t *hits, size_t *misses)
{
	*hits = m->hits;
	*misses = m->misses;
}
