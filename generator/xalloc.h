/* xalloc — allocation that never fails: out of memory prints and aborts,
 * so no caller checks for NULL (cmark, git). */
#ifndef GEN_XALLOC_H
#define GEN_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
