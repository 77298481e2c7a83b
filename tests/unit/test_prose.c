/* prose: character classes, CJK/Latin counts for reading time, summary
 * cuts at every byte position of multi-byte text, and <!--more-->. */
#include "harness.h"
#include "buf.h"
#include "md.h"
#include "prose.h"
#include "utf8.h"

#include <stdlib.h>

static void test_classes(void)
{
	INT_EQ(prose_class('a'), PROSE_WORD, "class: ASCII letter is a word character");
	INT_EQ(prose_class('7'), PROSE_WORD, "class: digit is a word character");
	INT_EQ(prose_class(','), PROSE_SEP, "class: comma separates");
	INT_EQ(prose_class(0x00E9), PROSE_WORD, "class: é is a word character");
	INT_EQ(prose_class(0x0416), PROSE_WORD, "class: Cyrillic letter is a word character");
	INT_EQ(prose_class(0x2014), PROSE_SEP, "class: em dash separates");
	INT_EQ(prose_class(0x201C), PROSE_SEP, "class: curly quote separates");
	INT_EQ(prose_class(0x4E2D), PROSE_CJK, "class: 中 is CJK");
	INT_EQ(prose_class(0x3042), PROSE_CJK, "class: hiragana is CJK");
	INT_EQ(prose_class(0xD55C), PROSE_CJK, "class: hangul is CJK");
	INT_EQ(prose_class(0x20BB7), PROSE_CJK, "class: extension-B ideograph is CJK");
	INT_EQ(prose_class(0x3002), PROSE_SEP, "class: 。 is punctuation, not a character to read");
	INT_EQ(prose_class(0xFF0C), PROSE_SEP, "class: full-width comma is punctuation");
	INT_EQ(prose_class(0xFF21), PROSE_WORD, "class: full-width A is a word character");
	INT_EQ(prose_class(0x1F600), PROSE_SEP, "class: emoji is not a word");
}

static void count(const char *s, int want_cjk, int want_words, const char *name)
{
	int c, w;
	prose_count(s, strlen(s), &c, &w);
	INT_EQ(c, want_cjk, "count %s: CJK characters", name);
	INT_EQ(w, want_words, "count %s: words", name);
}

static void test_counts(void)
{
	count("", 0, 0, "empty");
	count("The quick brown fox.", 0, 4, "English sentence");
	count("don't stop — GPT-4 costs $1,000.50 now", 0, 6, "joined words, dash, money");
	count("推理模型的代價是雙重的。", 11, 0, "Chinese sentence (punctuation not counted)");
	count("像 OpenAI o1 這類推理模型，會先寫下 10,000 個 token。", 12, 4, "mixed zh/en");
	count("café naïve résumé", 0, 3, "accented Latin");
	count("𠮷野家", 3, 0, "4-byte ideograph");
}

/* Every prefix limit on a string of 1-, 2-, 3- and 4-byte characters:
 * the cut is valid UTF-8, holds exactly min(limit, total) characters and
 * grows with the limit. */
static void test_cut_boundaries(void)
{
	const char *s = "中a文é字𠮷詞。語";
	size_t n = strlen(s);
	int ok_valid = 1, ok_count = 1, ok_mono = 1, cjk_total = 0, words;
	prose_count(s, n, &cjk_total, &words);
	size_t prev = 0;
	for (int lim = 1; lim <= 12; lim++) { /* 0 would mean no limit */
		size_t cut = prose_cut(s, n, lim, 0);
		if (utf8_invalid_at(s, cut) != (size_t)-1)
			ok_valid = 0;
		int c, w;
		prose_count(s, cut, &c, &w);
		if (c != (lim < cjk_total ? lim : cjk_total))
			ok_count = 0;
		if (cut < prev)
			ok_mono = 0;
		prev = cut;
	}
	OK(ok_valid, "cut: every character limit ends on a UTF-8 boundary");
	OK(ok_count, "cut: the prefix holds exactly the allowed CJK characters");
	OK(ok_mono, "cut: the prefix grows with the limit");
	/* Every summary of a string with every byte length as input. */
	int all_valid = 1;
	for (size_t len = 0; len <= n; len++) {
		if (len < n && ((unsigned char)s[len] & 0xC0) == 0x80)
			continue; /* inputs are whole strings, cut on boundaries */
		for (int lim = 0; lim <= 10; lim++) {
			char *sum = prose_summary(s, len, lim, 3);
			if (utf8_invalid_at(sum, strlen(sum)) != (size_t)-1)
				all_valid = 0;
			free(sum);
		}
	}
	OK(all_valid, "summary: valid UTF-8 for every input length and limit");
}

/* A string of 3- and 4-byte CJK characters: the summary at limit k is
 * exactly the first k characters and "…". */
static void test_cut_each_character(void)
{
	const char *s = "𠮷中𠮷文字𠮷詞語";
	size_t n = strlen(s);
	int ok = 1;
	size_t ends[9], nc = 0;
	for (size_t i = 0; i < n;) {
		size_t l;
		utf8_decode(s + i, n - i, &l);
		i += l;
		ends[nc++] = i;
	}
	for (size_t k = 1; k < nc; k++) {
		char *got = prose_summary(s, n, (int)k, 50);
		struct buf want = BUF_INIT;
		buf_add(&want, s, ends[k - 1]);
		buf_adds(&want, "…");
		if (strcmp(got, want.ptr))
			ok = 0, printf("# limit %zu: got %s want %s\n", k, got, want.ptr);
		buf_release(&want);
		free(got);
	}
	OK(ok && nc == 8, "summary: each limit keeps exactly that many 3- and 4-byte characters");
}

static void test_summary(void)
{
	char *s = prose_summary("一二三四五六七八九十", strlen("一二三四五六七八九十"), 4, 50);
	STR_EQ(s, "一二三四…", "summary: CJK cut at 4 characters");
	free(s);
	s = prose_summary("一二三，四五六", strlen("一二三，四五六"), 3, 50);
	STR_EQ(s, "一二三…", "summary: trailing full-width comma dropped before …");
	free(s);
	s = prose_summary("one two three four five", 23, 120, 3);
	STR_EQ(s, "one two three…", "summary: Latin cut at 3 words, never inside a word");
	free(s);
	s = prose_summary("short", 5, 120, 50);
	STR_EQ(s, "short", "summary: short text kept as is, no …");
	free(s);
	/* mixed budget: 4 chars + 2 words, each CJK char = 1/4, each word = 1/2 */
	s = prose_summary("中文 GPU 很貴 indeed", strlen("中文 GPU 很貴 indeed"), 4, 2);
	STR_EQ(s, "中文 GPU…", "summary: CJK and words share one budget");
	free(s);
	s = prose_summary("中文", 6, 0, 0);
	STR_EQ(s, "中文", "summary: no limits keeps everything");
	free(s);
	const char *en = "One two three. Four five six seven. Eight nine ten eleven twelve.";
	s = prose_summary(en, strlen(en), 120, 8);
	STR_EQ(s, "One two three. Four five six seven.", "summary: ends at the last sentence that fits, no …");
	free(s);
	s = prose_summary(en, strlen(en), 120, 6);
	STR_EQ(s, "One two three. Four five six…", "summary: a sentence end in the first half is too early: cut with …");
	free(s);
	const char *eg = "Chips, e.g. the ones here, cost a lot of money today.";
	s = prose_summary(eg, strlen(eg), 120, 8);
	STR_EQ(s, "Chips, e.g. the ones here, cost a lot…", "summary: 'e.g. the' is no sentence end");
	free(s);
	const char *zh = "一二三四。五六七八九十";
	s = prose_summary(zh, strlen(zh), 7, 50);
	STR_EQ(s, "一二三四。", "summary: a CJK full stop ends a sentence");
	free(s);
}

static void summary_more(const char *md, int want, const char *want_text, const char *name)
{
	struct md_doc *d = md_parse(md, strlen(md), 1, NULL);
	struct buf b = BUF_INIT;
	INT_EQ(md_summary_more(d, &b), want, "more %s: marker found", name);
	STR_EQ(b.ptr, want_text, "more %s: text", name);
	buf_release(&b);
	md_free(d);
}

static void test_more(void)
{
	summary_more("第一段。\n\n第二段 **粗體**。\n\n<!--more-->\n\n後面不算。\n", 1, "第一段。 第二段 粗體。",
		     "block marker after two paragraphs");
	summary_more("Intro text <!--more--> rest.\n", 1, "Intro text", "inline marker");
	summary_more("No marker here.\n\nNone.\n", 0, "", "no marker");
}

static void test_md_count(void)
{
	const char *md = "# 標題\n\n一段中文，含 English words。\n\n- 項目一\n- item two\n\n```\ncode is not prose\n```\n";
	struct md_doc *d = md_parse(md, strlen(md), 1, NULL);
	int c, w;
	md_count(d, &c, &w);
	INT_EQ(c, 10, "md_count: CJK characters of headings, paragraphs, items");
	INT_EQ(w, 4, "md_count: words, blocks kept apart, code blocks skipped");
	md_free(d);
}

/* Where a soft line break is no space, and where an autolink ends. */
static void test_wide(void)
{
	INT_EQ(prose_wide(0x4E2D), 1, "wide: a Han character (中)");
	INT_EQ(prose_wide(0x3002), 1, "wide: the ideographic full stop (。)");
	INT_EQ(prose_wide(0xFF0C), 1, "wide: the full-width comma (，)");
	INT_EQ(prose_wide(0x3042), 1, "wide: hiragana (あ)");
	INT_EQ(prose_wide(0x20000), 1, "wide: a Han character outside the BMP");
	INT_EQ(prose_wide(0xAC00), 0, "not wide: hangul, whose words are spaced");
	INT_EQ(prose_wide('a'), 0, "not wide: a Latin letter");
	INT_EQ(prose_wide(0x201C), 0, "not wide: a curly quote (ambiguous width)");
}

int main(void)
{
	md_global_init();
	test_wide();
	test_classes();
	test_counts();
	test_cut_boundaries();
	test_cut_each_character();
	test_summary();
	test_more();
	test_md_count();
	return harness_done();
}
