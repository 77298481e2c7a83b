/* prose — how much text there is, for readers of Chinese and of English:
 * a character class per code point, counts of CJK characters and Latin
 * words (reading time), and the cut of a summary at a character boundary
 * within a budget measured in characters for CJK and in words for Latin
 * text. Pure functions over UTF-8 (valid input assumed, as after
 * content.c's check). */
#ifndef GEN_PROSE_H
#define GEN_PROSE_H
#include <stddef.h>

enum prose_class {
	PROSE_SEP,   /* spaces, punctuation (ASCII, CJK or general), symbols */
	PROSE_CJK,   /* Han ideographs, kana, hangul: read one by one */
	PROSE_WORD   /* letters and digits of space-separated scripts */
};

enum prose_class prose_class(unsigned cp);

/* 1 for the characters between which a line break is no space (CSS Text 3's
 * segment break rule for East Asian wide characters): Han, kana, bopomofo,
 * CJK symbols and punctuation, full-width forms. Not hangul: Korean puts
 * spaces between words. Also where an autolink ends (md.c). */
int prose_wide(unsigned cp);

/* Counts CJK characters and Latin words in s[0..n). A word is a run of
 * PROSE_WORD code points, joined across an apostrophe, a hyphen or a
 * decimal point/comma between two of them ("don't", "GPT-4", "1,000.5"). */
void prose_count(const char *s, size_t n, int *cjk, int *words);

/* Length in bytes of the longest prefix of s[0..n) that fits a summary of
 * max_chars CJK characters and max_words Latin words, measured together
 * (each CJK character uses 1/max_chars of the budget, each word
 * 1/max_words; a limit <= 0 makes that class free). The cut is always on a
 * character boundary and never inside a word: a word that does not fit is
 * left out whole. Returns n when everything fits. */
size_t prose_cut(const char *s, size_t n, int max_chars, int max_words);

/* The summary of s[0..n): s itself when it fits, else the cut prefix with
 * trailing spaces and separating punctuation removed and "…" appended.
 * Caller frees. */
char *prose_summary(const char *s, size_t n, int max_chars, int max_words);

#endif
