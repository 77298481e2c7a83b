/* pool — threads started per run, slots kept between runs. */
#include "pool.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include "banned.h"

struct pool {
	int jobs;
	void **locals; /* one per slot */
	void (*free_local)(void *local);
};

struct run {
	struct pool *p;
	size_t n;
	atomic_size_t next;
	void (*fn)(void *ctx, size_t i, void **local);
	void *ctx;
};

struct slot {
	struct run *r;
	int k;
};

static void *work(void *arg)
{
	struct slot *sl = arg;
	struct run *r = sl->r;
	for (size_t i; (i = atomic_fetch_add(&r->next, 1)) < r->n;)
		r->fn(r->ctx, i, &r->p->locals[sl->k]);
	return NULL;
}

struct pool *pool_new(int jobs, void (*free_local)(void *local))
{
	if (jobs <= 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	struct pool *p = xcalloc(1, sizeof *p);
	p->jobs = jobs;
	p->locals = xcalloc((size_t)jobs, sizeof *p->locals);
	p->free_local = free_local;
	return p;
}

int pool_jobs(const struct pool *p)
{
	return p->jobs;
}

void **pool_local(struct pool *p, int k)
{
	return &p->locals[k];
}

void pool_run(struct pool *p, size_t n, void (*fn)(void *ctx, size_t i, void **local), void *ctx)
{
	struct run r = { .p = p, .n = n, .fn = fn, .ctx = ctx };
	atomic_init(&r.next, 0);
	int extra = p->jobs - 1;
	if ((size_t)extra >= n) /* no thread without an item to take */
		extra = n ? (int)n - 1 : 0;
	pthread_t *th = xcalloc((size_t)extra + 1, sizeof *th);
	struct slot *slots = xcalloc((size_t)extra + 1, sizeof *slots);
	int started = 0;
	for (int k = 1; k <= extra; k++) {
		slots[started] = (struct slot){ &r, k };
		if (pthread_create(&th[started], NULL, work, &slots[started]) == 0)
			started++;
	}
	struct slot mine = { &r, 0 }; /* the caller works too, in slot 0 */
	work(&mine);
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	free(th);
	free(slots);
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	for (int k = 0; k < p->jobs; k++)
		if (p->locals[k] && p->free_local)
			p->free_local(p->locals[k]);
	free(p->locals);
	free(p);
}
