/* blob — immutable bytes shared by reference count: one output file kept
 * by the preview's caches and served from memory by several threads. The
 * bytes are NUL-terminated (not counted in len). A blob is never changed
 * after blob_new/blob_take; its last blob_unref frees it. Thread-safe. */
#ifndef GEN_BLOB_H
#define GEN_BLOB_H
#include "buf.h"
#include <stdatomic.h>
#include <stddef.h>

struct blob {
	atomic_size_t refs;
	size_t len;
	char *data;
};

/* A copy of data[0..len), one reference. */
struct blob *blob_new(const void *data, size_t len);
/* Takes b's bytes without copying; b is left empty. */
struct blob *blob_take(struct buf *b);
/* Another reference to the same bytes; NULL stays NULL. */
struct blob *blob_ref(struct blob *b);
void blob_unref(struct blob *b);
/* 1 when both hold the same bytes (or are the same blob). */
int blob_same(const struct blob *a, const void *data, size_t len);

#endif
