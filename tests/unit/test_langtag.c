/* langtag: which language tags site.lua may name, their usual case, and
 * the og:locale each gets. */
#include "harness.h"
#include "langtag.h"

#include <stdlib.h>
#include <string.h>

static void test_wellformed(void)
{
	static const char *const good[] = { "en", "zh", "zh-Hant", "zh-hant", "zh-TW", "zh-cn", "zh-Hant-TW",
					    "en-GB", "EN-us", "es-419", "sr-Latn-RS", "de-CH-1901", "yue",
					    "zh-yue-HK", "en-US-x-twain", "x-private", "en-a-bbb-x-c", "i-klingon",
					    "sl-rozaj-biske", "hy-Latn-IT-arevela" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		OK(!langtag_problem(good[i]), "'%s' is well formed", good[i]);
	static const struct { const char *tag, *why; } bad[] = {
		{ "", "is empty" },
		{ "zh_CN", "joins its subtags with '_'; BCP 47 joins them with '-'" },
		{ "zh--CN", "has an empty subtag (two '-' together, or one at an end)" },
		{ "en-", "has an empty subtag (two '-' together, or one at an end)" },
		{ "-en", "has an empty subtag (two '-' together, or one at an end)" },
		{ "中文", "may hold only ASCII letters, digits and '-'" },
		{ "en US", "may hold only ASCII letters, digits and '-'" },
		{ "1en", "does not start with a language (two or three letters, such as 'en' or 'zh')" },
		{ "e", "does not start with a language (two or three letters, such as 'en' or 'zh')" },
		{ "en-verylongsubtag", "has a subtag longer than 8 characters" },
		{ "en-US-GB", "has a subtag out of place: a tag is language[-script][-region][-variant…], such as 'zh-Hant-TW' or 'en-GB'" },
		{ "zh-TW-Hant", "has a subtag out of place: a tag is language[-script][-region][-variant…], such as 'zh-Hant-TW' or 'en-GB'" },
		{ "en-a", "ends with a single-character subtag, which must be followed by more" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		STR_EQ(langtag_problem(bad[i].tag), bad[i].why, "'%s' is refused, saying why", bad[i].tag);
}

static void test_canon(void)
{
	static const char *const cases[][2] = {
		{ "zh-hant-tw", "zh-Hant-TW" }, { "EN-us", "en-US" }, { "zh-cn", "zh-CN" }, { "ZH", "zh" },
		{ "es-419", "es-419" }, { "en-US-x-Twain", "en-US-x-twain" }, { "sr-latn", "sr-Latn" },
		{ "en-a-bbbb-cc", "en-a-bbbb-cc" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = langtag_canon(cases[i][0]);
		STR_EQ(got, cases[i][1], "canonical case of '%s'", cases[i][0]);
		free(got);
	}
}

static void test_og_locale(void)
{
	static const char *const cases[][2] = {
		{ "zh-Hant", "zh_TW" }, { "zh-Hans", "zh_CN" }, { "zh-TW", "zh_TW" }, { "zh-cn", "zh_CN" },
		{ "zh-Hant-HK", "zh_HK" }, { "zh", "zh_CN" }, { "en", "en_US" }, { "en-GB", "en_GB" },
		{ "ja", "ja_JP" }, { "fr-CA", "fr_CA" }, { "eo", "eo" }, { "es-419", "es" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = langtag_og_locale(cases[i][0]);
		STR_EQ(got, cases[i][1], "og:locale of '%s'", cases[i][0]);
		free(got);
	}
	char p[9];
	langtag_primary("ZH-Hant", p);
	STR_EQ(p, "zh", "primary language of 'ZH-Hant'");
	langtag_primary("x-private", p);
	STR_EQ(p, "", "a private-use tag has no primary language");
}

int main(void)
{
	test_wellformed();
	test_canon();
	test_og_locale();
	return harness_done();
}
