/* strmap — a hash map from strings to pointers (open addressing, FNV-1a).
 * The map owns copies of its keys (STRMAP_INIT), or borrows them
 * (STRMAP_BORROWED: each key must outlive the map; a map built and dropped
 * within one call over strings someone else holds then costs no copies);
 * values are the caller's. Not
 * thread-safe: callers that share one take their own lock. Iteration order
 * is the table's, so callers that need a stable order sort the keys. */
#ifndef GEN_STRMAP_H
#define GEN_STRMAP_H
#include <stddef.h>

struct strmap_slot {
	char *key;   /* NULL: empty slot */
	void *value;
	unsigned long long hash; /* of key: most probes end here, without strcmp */
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;  /* a power of two, or 0 */
	size_t n;
	int borrowed; /* keys are the caller's */
};

#define STRMAP_INIT { NULL, 0, 0, 0 }
#define STRMAP_BORROWED { NULL, 0, 0, 1 }

/* The slot of key, or NULL when it is absent. */
struct strmap_slot *strmap_find(const struct strmap *m, const char *key);
/* The same for the key key[0..n), which need not be NUL-terminated. */
struct strmap_slot *strmap_find_n(const struct strmap *m, const char *key, size_t n);
/* The slot of key, added (value NULL) when absent; *added tells which,
 * when not NULL. The pointer is valid until the next strmap_put. */
struct strmap_slot *strmap_put(struct strmap *m, const char *key, int *added);
/* Removes key; its value (NULL when absent) goes to *value if not NULL.
 * Returns 1 when it was there. Slot pointers taken before are invalid. */
int strmap_del(struct strmap *m, const char *key, void **value);
/* Keys in the map, sorted, NULL-terminated: the keys are borrowed from the
 * map, the array is the caller's to free. */
const char **strmap_sorted_keys(const struct strmap *m);
/* Frees the keys (unless borrowed) and the table; values are the
 * caller's. The map is empty afterwards, and borrows as before. */
void strmap_release(struct strmap *m);

#endif
