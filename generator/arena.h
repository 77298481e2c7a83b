/* arena — memory handed out in pieces and given back all at once.
 *
 * Pieces come from chunks of 2 MiB, aligned and advised to the kernel as
 * huge pages (madvise MADV_HUGEPAGE; ignored where the kernel does not
 * do them): a page fault on fresh memory cost 20 µs per 4 KiB page on the
 * machines we build on, and a build that keeps tens of MB of postings paid
 * for each page (docs/search.md). Safe to share between threads; the
 * arena owns every piece, arena_free frees them all. */
#ifndef GEN_ARENA_H
#define GEN_ARENA_H
#include <stddef.h>

struct arena;
struct arena *arena_new(void);
/* n bytes, aligned for any object; never NULL (aborts when out of memory). */
void *arena_alloc(struct arena *a, size_t n);
void arena_free(struct arena *a);

#endif
