/* buf — growable byte buffer, always NUL-terminated (git strbuf).
 * Invariants: ptr is never NULL (BUF_INIT points at a shared empty string
 * that is never written), ptr[len] == '\0'. The buffer owns ptr once it has
 * grown; buf_release() frees it, buf_detach() hands it to the caller. */
#ifndef GEN_BUF_H
#define GEN_BUF_H
#include <stddef.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr is the shared empty string */
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
/* As buf_grow, but to exactly the room asked for (a size known ahead). */
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
/* Inline: a byte at a time is how scanners and writers build their text,
 * and the call was most of the cost. */
static inline void buf_addch(struct buf *b, char c)
{
	if (b->len + 2 > b->cap) /* also the shared empty string (cap 0) */
		buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v in decimal: what buf_addf("%llu") gives, without the printf machinery
 * (~1 500 instructions a call) in loops that write many numbers. */
void buf_addu(struct buf *b, unsigned long long v);
void buf_truncate(struct buf *b, size_t len);
/* Takes the bytes; the buffer is left empty. Caller frees the result.
 * Large slack is given back first: detached bytes are usually kept. */
char *buf_detach(struct buf *b, size_t *len);
/* Appends s with & < > " ' escaped for HTML text and attributes. */
void buf_add_html(struct buf *b, const char *s, size_t n);

#endif
