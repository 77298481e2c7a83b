/* prose — character classes, counts and summary cuts for zh and en text. */
#include "prose.h"
#include "utf8.h"
#include "xalloc.h"

#include <string.h>
#include "banned.h"

int prose_wide(unsigned cp)
{
	return (cp >= 0x2E80 && cp <= 0x303F) ||  /* radicals, ideographic description, CJK symbols and punctuation */
	       (cp >= 0x3040 && cp <= 0x312F) ||  /* hiragana, katakana, bopomofo */
	       (cp >= 0x3190 && cp <= 0x33FF) ||  /* kanbun .. CJK compatibility */
	       (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||  /* compatibility ideographs */
	       (cp >= 0xFE30 && cp <= 0xFE4F) ||  /* CJK compatibility forms */
	       (cp >= 0xFF01 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || /* full-width forms */
	       (cp >= 0x20000 && cp <= 0x3FFFF);
}

enum prose_class prose_class(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? PROSE_WORD
											: PROSE_SEP;
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return PROSE_SEP; /* Latin-1 punctuation and signs */
	if (cp < 0x1100)
		return PROSE_WORD; /* Latin, IPA, combining marks, Greek, Cyrillic .. Myanmar */
	if (cp < 0x1200)
		return PROSE_CJK; /* hangul jamo */
	if (cp < 0x2000)
		return PROSE_WORD; /* Ethiopic .. Latin and Greek extended */
	if (cp < 0x2C00)
		return PROSE_SEP; /* general punctuation, currency, arrows, math, symbols */
	if (cp < 0x2E00)
		return PROSE_WORD; /* Glagolitic, Latin extended-C, Coptic, Georgian .. */
	if (cp < 0x2E80)
		return PROSE_SEP; /* supplemental punctuation */
	if (cp < 0x3000)
		return PROSE_CJK; /* CJK and Kangxi radicals */
	if (cp < 0x3040)
		return cp == 0x3005 || cp == 0x3006 || cp == 0x3007 ? PROSE_CJK : PROSE_SEP;
	if (cp < 0xA000)
		return cp == 0x30FB ? PROSE_SEP : PROSE_CJK; /* kana .. unified ideographs */
	if (cp < 0xAC00)
		return cp < 0xA4D0 ? PROSE_CJK : PROSE_WORD; /* Yi; then Lisu .. Latin extended-E */
	if (cp < 0xD7B0)
		return PROSE_CJK; /* hangul syllables */
	if (cp < 0xD800)
		return PROSE_CJK; /* hangul jamo extended-B */
	if (cp >= 0xF900 && cp < 0xFB00)
		return PROSE_CJK; /* compatibility ideographs */
	if (cp >= 0xFB00 && cp < 0xFE00)
		return PROSE_WORD; /* presentation forms */
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return PROSE_WORD; /* full-width digits */
	if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
		return PROSE_WORD; /* full-width Latin letters */
	if (cp >= 0xFF66 && cp <= 0xFFDC)
		return PROSE_CJK; /* half-width katakana and hangul */
	if (cp >= 0x10000 && cp < 0x1F000)
		return PROSE_WORD; /* historic and minority scripts */
	if (cp >= 0x20000 && cp < 0x40000)
		return PROSE_CJK; /* ideograph extensions B .. H */
	return PROSE_SEP; /* private use, forms, specials, emoji and symbols */
}

static int ascii_word(unsigned char b)
{
	return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
}

static int joiner(unsigned cp)
{
	return cp == '\'' || cp == '-' || cp == '.' || cp == ',' || cp == 0x2019 || cp == 0x2011;
}

/* Reads one token at s+*i: a whole word, one CJK character or one
 * separator; advances *i past it. */
static enum prose_class token(const char *s, size_t n, size_t *i)
{
	size_t l;
	unsigned cp = utf8_decode(s + *i, n - *i, &l);
	enum prose_class c = prose_class(cp);
	*i += l;
	if (c != PROSE_WORD)
		return c;
	while (*i < n) {
		unsigned char b = (unsigned char)s[*i];
		if (ascii_word(b)) { /* most of an English word */
			(*i)++;
			continue;
		}
		cp = utf8_decode(s + *i, n - *i, &l);
		if (prose_class(cp) == PROSE_WORD) {
			*i += l;
			continue;
		}
		if (joiner(cp) && *i + l < n) {
			size_t l2;
			unsigned next = utf8_decode(s + *i + l, n - *i - l, &l2);
			if (prose_class(next) == PROSE_WORD) {
				*i += l + l2;
				continue;
			}
		}
		break;
	}
	return PROSE_WORD;
}

void prose_count(const char *s, size_t n, int *cjk, int *words)
{
	int c = 0, w = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == ' ' || s[i] == '\n') { /* a separator, the commonest byte */
			i++;
			continue;
		}
		enum prose_class k = token(s, n, &i);
		c += k == PROSE_CJK;
		w += k == PROSE_WORD;
	}
	*cjk = c;
	*words = w;
}

size_t prose_cut(const char *s, size_t n, int max_chars, int max_words)
{
	if (max_chars <= 0 && max_words <= 0)
		return n;
	/* Integer budget: max_chars * max_words units; a CJK character costs
	 * max_words units, a word max_chars. */
	long long budget, cost_cjk, cost_word;
	if (max_chars <= 0)
		budget = max_words, cost_cjk = 0, cost_word = 1;
	else if (max_words <= 0)
		budget = max_chars, cost_cjk = 1, cost_word = 0;
	else
		budget = (long long)max_chars * max_words, cost_cjk = max_words, cost_word = max_chars;
	long long used = 0;
	for (size_t i = 0; i < n;) {
		size_t start = i;
		enum prose_class k = token(s, n, &i);
		used += k == PROSE_CJK ? cost_cjk : k == PROSE_WORD ? cost_word : 0;
		if (used > budget)
			return start;
	}
	return n;
}

/* Punctuation that reads badly right before "…": separators and openers. */
static int trailing_junk(unsigned cp)
{
	static const unsigned set[] = { ' ', '\t', '\n', '\r', ',', ';', ':', '.', '!', '?', '(', '[',
		'{', '"', '\'', '-', 0x2013, 0x2014, 0x2018, 0x201C, 0x3001, 0x3002, 0x3008, 0x300A,
		0x300C, 0x300E, 0x3010, 0x3014, 0xFF01, 0xFF08, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F };
	for (size_t i = 0; i < sizeof set / sizeof *set; i++)
		if (set[i] == cp)
			return 1;
	return 0;
}

char *prose_summary(const char *s, size_t n, int max_chars, int max_words)
{
	size_t cut = prose_cut(s, n, max_chars, max_words);
	if (cut >= n)
		return xstrndup(s, n);
	/* A summary that can stop at the end of a sentence does, and needs no
	 * "…": the last one that fits, when it ends in the second half. */
	size_t end = 0;
	for (size_t i = 0; i < cut;) {
		size_t l;
		unsigned cp = utf8_decode(s + i, cut - i, &l);
		i += l ? l : 1;
		if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) /* 。！？ */
			end = i;
		else if ((cp == '.' || cp == '!' || cp == '?') && i < n && s[i] == ' ' && i + 1 < n &&
			 !((unsigned char)s[i + 1] >= 'a' && (unsigned char)s[i + 1] <= 'z')) /* not "e.g. the" */
			end = i;
	}
	if (end > cut / 2)
		return xstrndup(s, end);
	/* Walk back over trailing junk, one whole character at a time. */
	while (cut > 0) {
		size_t k = cut - 1, l;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		if (!trailing_junk(utf8_decode(s + k, cut - k, &l)))
			break;
		cut = k;
	}
	char *out = xmalloc(cut + sizeof "…");
	memcpy(out, s, cut);
	memcpy(out + cut, "…", sizeof "…");
	return out;
}
