/* Front matter read from libyaml's events (frontmatter.c): merge keys,
 * duplicate keys, nulls, control characters, aliases and nesting caps.
 * The build-level diagnostics are in tests/invalid/frontmatter-* and
 * tests/invalid/yaml-deep-brackets. */
#include "harness.h"
#include "frontmatter.h"
#include "buf.h"

#include <stdlib.h>

static int parse(struct frontmatter *fm, const char *text, struct diag_list *dl)
{
	return fm_parse(fm, "t.md", text, strlen(text), dl);
}

static void expect_error(const char *name, const char *text, const char *want)
{
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	int r = parse(&fm, text, &dl);
	char *got = dl.n ? diag_format(&dl.items[0]) : strdup("(none)");
	INT_EQ(r, -1, "%s: fails", name);
	STR_EQ(got, want, "%s: diagnostic", name);
	INT_EQ((long long)dl.n, 1, "%s: one diagnostic", name);
	free(got);
	fm_release(&fm);
	diag_release(&dl);
}

static const char *scalar(const struct fm_node *map, const char *key)
{
	const struct fm_node *n = fm_get(map, key);
	return n && n->kind == FM_SCALAR ? n->str : "(absent)";
}

static void test_merge(void)
{
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	const char *t = "---\n"
			"base: &b {title: From base, slug: base-slug, lang: en}\n"
			"other: &o {slug: other-slug, description: From other}\n"
			"<<: [*b, *o]\n"
			"slug: own\n"
			"---\n";
	INT_EQ(parse(&fm, t, &dl), 0, "merge: a list of aliases parses");
	STR_EQ(fm.meta.title, "From base", "merge: a key only the base has is merged");
	STR_EQ(fm.meta.slug, "own", "merge: the mapping's own key wins, whatever its place");
	STR_EQ(fm.meta.description, "From other", "merge: keys of the second mapping too");
	STR_EQ(scalar(&fm.root, "lang"), "en", "merge: first mapping of the list wins over the second");
	OK(fm_get(&fm.root, "<<") == NULL, "merge: the '<<' key itself is not kept");
	INT_EQ(fm_get(&fm.root, "title")->line, 2, "merge: merged values keep their own line");
	fm_release(&fm);

	t = "---\nd: &d\n  title: Nested\n  tags: [a]\npage:\n  <<: *d\n  tags: [b]\n<<: {title: Inline}\n---\n";
	INT_EQ(parse(&fm, t, &dl), 0, "merge: inline mapping and nested merge parse");
	STR_EQ(fm.meta.title, "Inline", "merge: an inline mapping merges");
	const struct fm_node *page = fm_get(&fm.root, "page");
	STR_EQ(scalar(page, "title"), "Nested", "merge: inside a nested mapping");
	STR_EQ(fm_get(page, "tags")->items[0].str, "b", "merge: nested own key wins");
	fm_release(&fm);

	t = "---\n\"<<\": quoted\ntitle: T\n---\n";
	INT_EQ(parse(&fm, t, &dl), 0, "merge: a quoted '<<' is an ordinary key");
	STR_EQ(scalar(&fm.root, "<<"), "quoted", "merge: quoted '<<' kept as a key");
	fm_release(&fm);
	INT_EQ((long long)dl.n, 0, "merge: no diagnostics");
	diag_release(&dl);

	expect_error("merge of a scalar", "---\ntitle: T\n<<: 5\n---\n",
		     "t.md:3:5: error: merge key '<<' needs a mapping or a list of mappings");
	expect_error("merge of a list with a scalar", "---\nb: &b {x: 1}\n<<: [*b, [y]]\n---\n",
		     "t.md:3:10: error: merge key '<<' needs a mapping or a list of mappings");
	expect_error("two merge keys", "---\n<<: {a: 1}\n<<: {b: 1}\n---\n",
		     "t.md:3:1: error: duplicate key '<<' (first at line 2)");
}

static void test_keys_and_nulls(void)
{
	expect_error("duplicate key", "---\ntitle: A\nx: 1\ntitle: B\n---\n",
		     "t.md:4:1: error: duplicate key 'title' (first at line 2)");
	expect_error("duplicate nested key", "---\ntitle: A\nx:\n  a: 1\n  b: 2\n  a: 3\n---\n",
		     "t.md:6:3: error: duplicate key 'a' (first at line 4)");
	expect_error("duplicate key, quoted the second time", "---\ntitle: A\n'title': B\n---\n",
		     "t.md:3:1: error: duplicate key 'title' (first at line 2)");

	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	static const char *const nulls[] = { "title: null", "title: ~", "title:", "title: NULL", "title: Null" };
	for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++) {
		char *t = malloc(64);
		snprintf(t, 64, "---\n%s\nslug: ~\n---\n", nulls[i]);
		INT_EQ(parse(&fm, t, &dl), 0, "'%s' parses", nulls[i]);
		OK(fm.meta.title == NULL, "'%s' is no title (not the word)", nulls[i]);
		OK(fm.meta.slug == NULL, "'slug: ~' is no slug");
		fm_release(&fm);
		free(t);
	}
	INT_EQ(parse(&fm, "---\ntitle: T\ntags: ~\ncategories:\ndate:\ndraft: null\n---\n", &dl), 0,
	       "null tags, categories, date, draft parse");
	OK(fm.meta.tags == NULL && fm.meta.categories == NULL, "null lists are no lists (not the tag '~')");
	INT_EQ(fm.meta.has_date, 0, "'date:' is no date");
	INT_EQ(fm.meta.draft, 0, "'draft: null' is not a draft");
	fm_release(&fm);
	INT_EQ(parse(&fm, "---\ntitle: \"null\"\n---\n", &dl), 0, "quoted null parses");
	STR_EQ(fm.meta.title, "null", "a quoted \"null\" is the word");
	fm_release(&fm);
	INT_EQ((long long)dl.n, 0, "nulls: no diagnostics");
	diag_release(&dl);
}

static void test_controls(void)
{
	expect_error("NUL escape in a value", "---\ntitle: \"A\\0B\"\n---\n",
		     "t.md:2:8: error: control character U+0000 (from an escape) is not allowed in front matter");
	expect_error("\\x00 escape", "---\ntitle: T\ntags: [\"a\\x00\"]\n---\n",
		     "t.md:3:8: error: control character U+0000 (from an escape) is not allowed in front matter");
	expect_error("ESC escape", "---\ntitle: \"\\e[2J\"\n---\n",
		     "t.md:2:8: error: control character U+001B (from an escape) is not allowed in front matter");
	expect_error("C1 escape", "---\ntitle: \"a\\u009b\"\n---\n",
		     "t.md:2:8: error: control character U+009B (from an escape) is not allowed in front matter");
	expect_error("NUL escape in a key", "---\n\"a\\0\": 1\n---\n",
		     "t.md:2:1: error: control character U+0000 (from an escape) is not allowed in front matter");
	static const char raw_nul[] = "---\ntitle: T\ndescription: a\0b\n---\n";
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(fm_parse(&fm, "t.md", raw_nul, sizeof raw_nul - 1, &dl), -1, "raw NUL: fails");
	char *got = dl.n ? diag_format(&dl.items[0]) : strdup("(none)");
	STR_EQ(got, "t.md:3:15: error: control character U+0000 is not allowed in front matter",
	       "raw NUL: named at its own column");
	free(got);
	fm_release(&fm);
	diag_release(&dl);
	expect_error("raw ESC after CJK", "---\ntitle: 中文\x1b[2J\n---\n",
		     "t.md:2:10: error: control character U+001B is not allowed in front matter");
	expect_error("raw C1", "---\ntitle: a\xC2\x9B\n---\n",
		     "t.md:2:9: error: control character U+009B is not allowed in front matter");

	INT_EQ(parse(&fm, "---\ntitle: \"tab\\there\"\ndescription: \"two\\nlines\"\n---\n", &dl), 0,
	       "tab and newline escapes are allowed");
	STR_EQ(fm.meta.title, "tab\there", "tab escape kept");
	fm_release(&fm);
	diag_release(&dl);
}

static void test_line_ends(void)
{
	expect_error("CR line endings", "---\rtitle: T\r---\rBody\r",
		     "t.md:1:4: error: the file uses CR line endings (carriage returns without line feeds): "
		     "save it with LF or CRLF line endings");
	expect_error("CR line endings after spaces", "---  \rtitle: T\r---\r",
		     "t.md:1:6: error: the file uses CR line endings (carriage returns without line feeds): "
		     "save it with LF or CRLF line endings");
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(parse(&fm, "---\r\ntitle: CRLF\r\n---\r\n", &dl), 0, "CRLF still parses");
	STR_EQ(fm.meta.title, "CRLF", "CRLF title");
	fm_release(&fm);
	INT_EQ(parse(&fm, "No front matter\rat all\r", &dl), 0, "CR-only file without front matter is a body");
	fm_release(&fm);
	diag_release(&dl);
}

static void test_aliases_and_depth(void)
{
	expect_error("undefined alias", "---\ntitle: T\ntags: *nope\n---\n",
		     "t.md:3:7: error: malformed front matter: found undefined alias 'nope'");
	expect_error("alias inside its own anchor", "---\na: &a [1, *a]\n---\n",
		     "t.md:2:11: error: alias 'a' stands inside the node it names (a loop)");
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	/* an alias names the anchor defined before it, even when the name is
	 * used again later (bound in document order, not when copied) */
	INT_EQ(parse(&fm, "---\na: &x one\nb: &y [*x]\nc: &x two\nd: *y\ntitle: *x\n---\n", &dl), 0,
	       "anchors redefined: parses");
	STR_EQ(fm_get(&fm.root, "d")->items[0].str, "one", "alias bound in document order");
	STR_EQ(fm.meta.title, "two", "a later alias sees the redefinition");
	fm_release(&fm);
	diag_release(&dl);

	/* 32 levels under the root are allowed, 33 are not */
	struct buf ok = BUF_INIT, deep = BUF_INIT;
	buf_adds(&ok, "---\ntitle: T\nd: ");
	for (int i = 0; i < 31; i++)
		buf_adds(&ok, "[");
	buf_adds(&ok, "x");
	for (int i = 0; i < 31; i++)
		buf_adds(&ok, "]");
	buf_adds(&ok, "\n---\n");
	INT_EQ(parse(&fm, ok.ptr, &dl), 0, "32 levels deep parses");
	fm_release(&fm);
	diag_release(&dl);
	buf_adds(&deep, "---\ntitle: T\nd: ");
	for (int i = 0; i < 400000; i++)
		buf_adds(&deep, "[");
	buf_adds(&deep, "\n---\n");
	expect_error("400 000 open brackets", deep.ptr,
		     "t.md:3:36: error: front matter nests too deeply (more than 32 levels)");
	/* an alias can nest what it copies deeper than the original */
	struct buf al = BUF_INIT;
	buf_adds(&al, "---\na: &a ");
	for (int i = 0; i < 30; i++)
		buf_adds(&al, "[");
	for (int i = 0; i < 30; i++)
		buf_adds(&al, "]");
	buf_adds(&al, "\nb: [[[*a]]]\n---\n");
	expect_error("alias copied too deep", al.ptr,
		     "t.md:2:36: error: front matter nests too deeply (more than 32 levels)");
	buf_release(&ok);
	buf_release(&deep);
	buf_release(&al);
}

int main(void)
{
	test_merge();
	test_keys_and_nulls();
	test_controls();
	test_line_ends();
	test_aliases_and_depth();
	return harness_done();
}
