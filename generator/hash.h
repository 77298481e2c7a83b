/* hash — 128-bit hashes of a stream of values (XXH3-128, libxxhash), for
 * the preview's memo of outputs that depend on many inputs. Values are
 * added with their length, so ("ab","c") and ("a","bc") differ. Accidental
 * collisions are negligible (about 2^-64 among 2^32 keys); nothing here is
 * meant to resist a chosen collision, which no input of a build can gain
 * from. The hasher owns its state; free it with hash_done. */
#ifndef GEN_HASH_H
#define GEN_HASH_H
#include <stddef.h>
#include <stdint.h>

struct hash128 {
	uint64_t lo, hi;
};

struct hasher;

struct hasher *hash_new(void);
void hash_bytes(struct hasher *h, const void *data, size_t n);
/* A string, or NULL (distinct from ""). */
void hash_str(struct hasher *h, const char *s);
void hash_u64(struct hasher *h, uint64_t v);
void hash_h128(struct hasher *h, struct hash128 v);
/* The hash of everything added; frees h. */
struct hash128 hash_done(struct hasher *h);
int hash_eq(struct hash128 a, struct hash128 b);

#endif
