/* memo — the preview's memory of outputs made from many inputs (listing
 * pages, feeds, the sitemap, special pages): per output path, the hash of
 * everything it was made from (hash.h) and the bytes made. A build that
 * computes the same hash for a path puts the kept bytes instead of
 * rendering again. Entries not asked for or set since the last memo_sweep
 * are dropped by it. A value owned by the preview (cmd_serve); `briefgen
 * build` has none. Thread-safe. */
#ifndef GEN_MEMO_H
#define GEN_MEMO_H
#include "blob.h"
#include "hash.h"

struct memo;

struct memo *memo_new(void);
void memo_free(struct memo *m);
/* What rel was made into from inputs hashing to h, or NULL. The blob is
 * borrowed: valid until the next memo_set of rel or memo_sweep. */
struct blob *memo_get(struct memo *m, const char *rel, struct hash128 h);
/* Keeps b (a new reference) as what inputs hashing to h make of rel. */
void memo_set(struct memo *m, const char *rel, struct hash128 h, struct blob *b);
/* Drops what no memo_get hit or memo_set touched since the last sweep. */
void memo_sweep(struct memo *m);
/* Hits and misses since the last sweep, for the preview's report. */
void memo_stats(const struct memo *m, size_t *hits, size_t *misses);

#endif
