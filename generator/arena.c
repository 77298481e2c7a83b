/* arena — bump allocation in huge-page chunks. */
#include "arena.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "banned.h"

#define CHUNK ((size_t)2 << 20)

struct chunk {
	struct chunk *next;
	size_t used, cap; /* cap: bytes after the header */
	size_t pad;       /* the header is 32 bytes: pieces stay 16-aligned */
};

struct arena {
	pthread_mutex_t lock;
	struct chunk *chunks; /* the newest first; pieces come from it */
};

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof *a);
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

static struct chunk *chunk_new(size_t need)
{
	size_t size = CHUNK;
	while (size - sizeof(struct chunk) < need)
		size += CHUNK;
	struct chunk *c = aligned_alloc(CHUNK, size);
	if (!c) {
		fputs("briefgen: out of memory\n", stderr);
		abort();
	}
#ifdef MADV_HUGEPAGE
	madvise(c, size, MADV_HUGEPAGE); /* a hint: no harm when refused */
#endif
	c->next = NULL;
	c->used = 0;
	c->cap = size - sizeof *c;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	pthread_mutex_lock(&a->lock);
	struct chunk *c = a->chunks;
	if (!c || c->cap - c->used < n) {
		c = chunk_new(n);
		c->next = a->chunks;
		a->chunks = c;
	}
	void *p = (char *)(c + 1) + c->used;
	c->used += n;
	pthread_mutex_unlock(&a->lock);
	return p;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	while (a->chunks) {
		struct chunk *next = a->chunks->next;
		free(a->chunks);
		a->chunks = next;
	}
	pthread_mutex_destroy(&a->lock);
	free(a);
}
