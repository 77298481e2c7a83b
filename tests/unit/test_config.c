/* config: content/site.lua. Defaults without the file, every field read,
 * fill-ins for a language's missing fields, and each error with its exact
 * message and position (file:line from Lua for syntax and runtime errors,
 * the file alone for a wrong field). The chunk sees an empty environment. */
#include "harness.h"
#include "fixture.h"
#include "config.h"
#include "diag.h"

#include <stdlib.h>

static const char *T;

/* Loads src as T/<case>/site.lua (no file when src is NULL). Returns the
 * result; *diags gets every diagnostic, one per line. */
static int load(struct config *c, const char *src, char **diags)
{
	static int n;
	char *dir = fix_fmt("%s/case%d", T, ++n);
	fix_mkdir(T, dir + strlen(T) + 1);
	if (src)
		fix_write(dir, "site.lua", src);
	struct diag_list dl = DIAG_LIST_INIT;
	int r = config_load(c, dir, &dl);
	size_t len = 0;
	char *mem = NULL;
	FILE *f = open_memstream(&mem, &len);
	diag_print(&dl, f, 0);
	fclose(f);
	/* the folder differs per case: show it as "content" */
	for (char *at; (at = strstr(mem, dir));) {
		memcpy(at, "content", 7);
		memmove(at + 7, at + strlen(dir), strlen(at + strlen(dir)) + 1);
	}
	*diags = mem;
	diag_release(&dl);
	free(dir);
	return r;
}

static void error_case(const char *src, const char *want, const char *name)
{
	struct config c;
	char *d;
	INT_EQ(load(&c, src, &d), -1, "error %s: fails", name);
	STR_EQ(d, want, "error %s: the diagnostics", name);
	free(d);
	config_release(&c);
}

static void test_defaults(void)
{
	struct config c;
	char *d;
	INT_EQ(load(&c, NULL, &d), 0, "defaults: no site.lua is fine");
	STR_EQ(d, "", "defaults: nothing said");
	free(d);
	OK(c.file == NULL, "defaults: no file");
	STR_EQ(c.base_url, "/", "defaults: base_url");
	INT_EQ((long long)c.nlangs, 2, "defaults: two languages");
	STR_EQ(c.langs[0].code, "zh", "defaults: zh first");
	STR_EQ(c.langs[0].hreflang, "zh-Hant", "defaults: zh is zh-Hant");
	STR_EQ(c.langs[0].title, "簡報", "defaults: zh title");
	STR_EQ(c.langs[1].code, "en", "defaults: en second");
	STR_EQ(c.langs[1].hreflang, "en", "defaults: en hreflang");
	STR_EQ(c.langs[1].title, "Briefs", "defaults: en title");
	STR_EQ(c.langs[1].description, "", "defaults: empty description");
	INT_EQ((long long)c.def, 0, "defaults: zh is the default language");
	OK(c.authors && c.authors[0] == NULL, "defaults: no authors");
	INT_EQ(c.summary_chars, 120, "defaults: summary_chars");
	INT_EQ(c.summary_words, 80, "defaults: summary_words");
	INT_EQ(c.cjk_per_minute, 400, "defaults: CJK characters per minute");
	INT_EQ(c.words_per_minute, 230, "defaults: words per minute");
	INT_EQ(c.page_size, 10, "defaults: page_size");
	INT_EQ(c.feed_full, 1, "defaults: full feeds");
	STR_EQ(c.timezone, "+00:00", "defaults: UTC");
	INT_EQ(config_lang(&c, "en"), 1, "config_lang: en");
	INT_EQ(config_lang(&c, "fr"), -1, "config_lang: an unknown code");
	INT_EQ(config_lang(&c, "zh-Hant"), -1, "config_lang: by code, not hreflang");
	config_release(&c);

	INT_EQ(load(&c, "return {}\n", &d), 0, "empty table: fine");
	OK(c.file && strstr(c.file, "site.lua"), "empty table: the file is recorded");
	OK(c.nlangs == 2 && c.page_size == 10 && !strcmp(c.base_url, "/"), "empty table: the defaults stay");
	free(d);
	config_release(&c);
}

static void test_full(void)
{
	struct config c;
	char *d;
	const char *src =
		"-- a whole configuration\n"
		"return {\n"
		"  base_url = 'https://example.org/briefs',\n"
		"  languages = {\n"
		"    { code = 'en', hreflang = 'en-US', title = 'Briefs', description = 'Numbers' },\n"
		"    { code = 'zh', hreflang = 'zh-Hant', title = '簡報' },\n"
		"    { code = 'ja' },\n"
		"    { code = 'zh-cn', hreflang = 'ZH-hans-cn', name = '简体中文' },\n"
		"  },\n"
		"  default_language = 'zh',\n"
		"  authors = { 'A. Writer', 'B. Editor' },\n"
		"  category_map = { ['半導體'] = 'Semiconductors', AI = '人工智慧' },\n"
		"  summary_chars = 0, summary_words = 30,\n"
		"  cjk_chars_per_minute = 300, words_per_minute = 200,\n"
		"  page_size = 0, feed_full_content = false,\n"
		"  timezone = '+08:00',\n"
		"}\n";
	INT_EQ(load(&c, src, &d), 0, "full: loads");
	STR_EQ(d, "", "full: nothing said");
	free(d);
	STR_EQ(c.base_url, "https://example.org/briefs/", "full: base_url gets its trailing slash");
	INT_EQ((long long)c.nlangs, 4, "full: four languages in the order given");
	OK(!strcmp(c.langs[0].code, "en") && !strcmp(c.langs[0].hreflang, "en-US") &&
	   !strcmp(c.langs[0].description, "Numbers"), "full: en as given");
	OK(!strcmp(c.langs[2].code, "ja") && !strcmp(c.langs[2].hreflang, "ja") &&
	   !strcmp(c.langs[2].title, "Briefs") && !strcmp(c.langs[2].description, ""),
	   "full: missing hreflang, title, description filled in");
	STR_EQ(c.langs[0].og_locale, "en_US", "full: og:locale from en-US");
	STR_EQ(c.langs[1].og_locale, "zh_TW", "full: og:locale from zh-Hant");
	STR_EQ(c.langs[2].og_locale, "ja_JP", "full: og:locale of ja: its usual territory");
	STR_EQ(c.langs[1].name, "中文", "full: a language's own name from its tag");
	STR_EQ(c.langs[2].name, "日本語", "full: ja's own name");
	STR_EQ(c.langs[3].hreflang, "zh-Hans-CN", "full: hreflang in the usual case");
	STR_EQ(c.langs[3].og_locale, "zh_CN", "full: og:locale from the region");
	STR_EQ(c.langs[3].name, "简体中文", "full: name as given");
	INT_EQ((long long)c.def, 1, "full: default_language picks zh by code");
	OK(c.authors[0] && !strcmp(c.authors[0], "A. Writer") && c.authors[1] && !strcmp(c.authors[1], "B. Editor") &&
	   !c.authors[2], "full: authors in order");
	INT_EQ((long long)c.ncats, 2, "full: two category pairs");
	OK(c.ncats == 2 && !strcmp(c.cats[0].a, "AI") && !strcmp(c.cats[0].b, "人工智慧") &&
	   !strcmp(c.cats[1].a, "半導體") && !strcmp(c.cats[1].b, "Semiconductors"),
	   "full: category pairs sorted by name, whatever Lua's order");
	INT_EQ(c.summary_chars, 0, "full: summary_chars 0 allowed");
	INT_EQ(c.summary_words, 30, "full: summary_words");
	INT_EQ(c.cjk_per_minute, 300, "full: cjk_chars_per_minute");
	INT_EQ(c.words_per_minute, 200, "full: words_per_minute");
	INT_EQ(c.page_size, 0, "full: page_size 0 (no pagination)");
	INT_EQ(c.feed_full, 0, "full: feed_full_content false");
	STR_EQ(c.timezone, "+08:00", "full: timezone");
	config_release(&c);
}

static void test_errors(void)
{
	error_case("return {\n", "content/site.lua:2: error: unexpected symbol near <eof>\n", "syntax, with its line");
	error_case("local t = {}\nt.x.y = 1\nreturn t\n",
		   "content/site.lua:2: error: attempt to index a nil value (field 'x')\n", "runtime, with its line");
	error_case("return { base_url = string.rep('a', 2) }\n",
		   "content/site.lua:1: error: attempt to index a nil value (global 'string')\n",
		   "not even the string library: the environment is empty");
	error_case("local n = 0\nwhile true do n = n + 1 end\n",
		   "content/site.lua:2: error: instruction budget of 1000000 steps exceeded (endless loop?)\n",
		   "an endless loop ends, with its line");
	error_case("return 5\n", "content/site.lua: error: site.lua must return a table\n", "not a table");
	error_case("return { base_url = 5 }\n", "content/site.lua: error: 'base_url' must be a string, not a number\n",
		   "a number where a string goes");
	error_case("return { languages = {} }\n",
		   "content/site.lua: error: 'languages' must be a list of { code = ..., hreflang = ..., title = ... }\n",
		   "an empty language list");
	error_case("return { languages = { 'en' } }\n", "content/site.lua: error: languages[1] must be a table\n",
		   "a language that is not a table");
	error_case("return { languages = { { code = 'en' }, { title = 'x' } } }\n",
		   "content/site.lua: error: languages[2] has no 'code'\n", "a language without a code");
	error_case("return { languages = { { code = 'ZH' } } }\n",
		   "content/site.lua:1:26: error: language code 'ZH' names folders and files: write it in lowercase "
		   "('zh'; hreflang keeps the usual case)\n", "an uppercase code");
	error_case("return { languages = { { code = '../x' } } }\n",
		   "content/site.lua:1:26: error: code '../x' is not a BCP 47 language tag: it may hold only ASCII "
		   "letters, digits and '-'\n",
		   "a code that would be a path");
	error_case("return {\n  languages = {\n    { code = 'zh', hreflang = 'zh_TW' },\n    { code = 'en' },\n  },\n}\n",
		   "content/site.lua:3:20: error: hreflang 'zh_TW' is not a BCP 47 language tag: it joins its subtags "
		   "with '_'; BCP 47 joins them with '-' ('zh-TW')\n", "an hreflang with '_', at its line");
	error_case("return { languages = { { code = 'en', hreflang = 'en-US-GB' } } }\n",
		   "content/site.lua:1:39: error: hreflang 'en-US-GB' is not a BCP 47 language tag: it has a subtag out "
		   "of place: a tag is language[-script][-region][-variant…], such as 'zh-Hant-TW' or 'en-GB'\n",
		   "an hreflang with two regions");
	error_case("return { base_url = 'https://x.org/', languages = { { code = 'en', og_locale = 'en-US' } } }\n",
		   "content/site.lua:1:68: error: og_locale 'en-US' must be language_TERRITORY, such as 'zh_TW' or "
		   "'en_GB'\n", "an og_locale with '-'");
	error_case("return { languages = { { code = 'en' }, { code = 'en' } } }\n",
		   "content/site.lua: error: language 'en' is listed twice\n", "a code twice");
	error_case("return { summary_chars = 1.5, words_per_minute = 0, cjk_chars_per_minute = 1000000 }\n",
		   "content/site.lua: error: 'summary_chars' must be a whole number\n"
		   "content/site.lua: error: 'cjk_chars_per_minute' must be a whole number from 1 to 999999\n"
		   "content/site.lua: error: 'words_per_minute' must be a whole number from 1 to 999999\n",
		   "numbers out of range, every one reported");
	error_case("return { words_per_minute = true }\n",
		   "content/site.lua: error: 'words_per_minute' must be a whole number from 1 to 999999\n",
		   "a boolean reading rate (it would divide by zero)");
	error_case("return { default_language = 'fr' }\n",
		   "content/site.lua: error: default_language 'fr' is not one of the languages\n",
		   "an unknown default language");
	error_case("return { category_map = { a = 1 } }\n",
		   "content/site.lua: error: category_map must map strings to strings\n", "a category map of numbers");

	struct config c;
	char *d;
	INT_EQ(load(&c, "return { languages = { { code = 'EN' } }, page_size = 3 }\n", &d), -1,
	       "error: a bad language list fails");
	OK(c.nlangs == 2 && !strcmp(c.langs[0].code, "zh"), "error: the default languages stay in place");
	free(d);
	config_release(&c);
}

int main(void)
{
	char *tmp = fix_tmpdir();
	T = tmp;
	test_defaults();
	test_full();
	test_errors();
	fix_cleanup(tmp);
	return harness_done();
}
