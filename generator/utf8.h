/* utf8 — UTF-8 validation and decoding (character classes live in prose.c). */
#ifndef GEN_UTF8_H
#define GEN_UTF8_H
#include <stddef.h>

/* Returns the offset of the first invalid byte, or (size_t)-1 when all of
 * s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
size_t utf8_invalid_at(const char *s, size_t n);
/* Decodes one code point at s (valid input assumed); stores its length. */
unsigned utf8_decode(const char *s, size_t n, size_t *len);
/* Writes code point cp (at most 0x10FFFF, no surrogate) as UTF-8 into
 * out; returns its length, 1 to 4. */
size_t utf8_encode(unsigned cp, char out[4]);
/* Moves a position (*line, *col; both 1-based) over s[0..n): a '\n'
 * starts the next line, every other character is one column (a UTF-8
 * character, not a byte) — the positions diagnostics print. */
void utf8_advance(const char *s, size_t n, int *line, int *col);

#endif
