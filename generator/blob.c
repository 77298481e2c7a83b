/* blob — counted references to immutable bytes. */
#include "blob.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include "banned.h"

struct blob *blob_new(const void *data, size_t len)
{
	struct blob *b = xmalloc(sizeof *b);
	atomic_init(&b->refs, 1);
	b->len = len;
	b->data = xmalloc(len + 1);
	if (len)
		memcpy(b->data, data, len);
	b->data[len] = '\0';
	return b;
}

struct blob *blob_take(struct buf *src)
{
	struct blob *b = xmalloc(sizeof *b);
	atomic_init(&b->refs, 1);
	b->data = buf_detach(src, &b->len);
	return b;
}

struct blob *blob_ref(struct blob *b)
{
	if (b)
		atomic_fetch_add(&b->refs, 1);
	return b;
}

void blob_unref(struct blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
		free(b->data);
		free(b);
	}
}

int blob_same(const struct blob *a, const void *data, size_t len)
{
	return a && a->len == len && (a->data == data || !memcmp(a->data, data, len));
}
