/* hash — XXH3-128 over length-prefixed values. */
#include "hash.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>
#include "banned.h"

struct hasher {
	XXH3_state_t *st;
};

struct hasher *hash_new(void)
{
	struct hasher *h = xmalloc(sizeof *h);
	h->st = XXH3_createState();
	if (!h->st) { /* it only mallocs: out of memory, which xalloc also ends on */
		fputs("briefgen: out of memory\n", stderr);
		abort();
	}
	XXH3_128bits_reset(h->st);
	return h;
}

void hash_bytes(struct hasher *h, const void *data, size_t n)
{
	uint64_t len = n;
	XXH3_128bits_update(h->st, &len, sizeof len);
	XXH3_128bits_update(h->st, data, n);
}

void hash_str(struct hasher *h, const char *s)
{
	if (!s) { /* a length no string has */
		hash_u64(h, UINT64_MAX);
		return;
	}
	hash_bytes(h, s, strlen(s));
}

void hash_u64(struct hasher *h, uint64_t v)
{
	XXH3_128bits_update(h->st, &v, sizeof v);
}

void hash_h128(struct hasher *h, struct hash128 v)
{
	hash_u64(h, v.lo);
	hash_u64(h, v.hi);
}

struct hash128 hash_done(struct hasher *h)
{
	XXH128_hash_t d = XXH3_128bits_digest(h->st);
	XXH3_freeState(h->st);
	free(h);
	return (struct hash128){ d.low64, d.high64 };
}

int hash_eq(struct hash128 a, struct hash128 b)
{
	return a.lo == b.lo && a.hi == b.hi;
}
