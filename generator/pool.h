/* pool — the build's worker threads, one home for them: pool_run calls
 * fn(ctx, i, &local) for every i in [0, n), each once, on up to `jobs`
 * threads (the calling thread among them), in no particular order; it
 * returns when all are done. Each of the `jobs` slots keeps its `local`
 * pointer from one run to the next (a thread's template engine, its calc
 * engine, its HTML scanner), so what is costly to make is made once per
 * slot, not once per item; only one thread uses a slot at a time. pool_free
 * hands every local to free_local. Callers keep results per item and merge
 * them in item order, so nothing depends on timing. */
#ifndef GEN_POOL_H
#define GEN_POOL_H
#include <stddef.h>

struct pool;

/* jobs 0: one per core. free_local may be NULL. */
struct pool *pool_new(int jobs, void (*free_local)(void *local));
void pool_free(struct pool *p);
int pool_jobs(const struct pool *p);
/* Slot k's local, for the calling thread between runs (slot 0 is the one
 * the calling thread works in during runs). */
void **pool_local(struct pool *p, int k);
void pool_run(struct pool *p, size_t n, void (*fn)(void *ctx, size_t i, void **local), void *ctx);

#endif
