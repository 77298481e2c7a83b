/* utf8 — UTF-8 validation and the character classes briefs care about. */
#ifndef GEN_UTF8_H
#define GEN_UTF8_H
#include <stddef.h>

/* Returns the offset of the first invalid byte, or (size_t)-1 when all of
 * s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
size_t utf8_invalid_at(const char *s, size_t n);
/* Decodes one code point at s (valid input assumed); stores its length. */
unsigned utf8_decode(const char *s, size_t n, size_t *len);
/* Han ideographs, kana, hangul and CJK punctuation: read per character. */
int utf8_is_cjk(unsigned cp);



/* Length in bytes of the longest prefix of s (n bytes) holding at most
 * max_chars characters, ending on a character boundary; when the text is
 * cut, the cut moves back to a space if one is near (Latin text). */
size_t utf8_cut(const char *s, size_t n, size_t max_chars);
#endif
