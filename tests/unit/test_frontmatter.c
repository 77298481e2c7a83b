/* Front matter: every form briefgen accepts, and the errors it reports. */
#include "harness.h"
#include "frontmatter.h"
#include "content.h"
#include "utf8.h"
#include "md.h"
#include "buf.h"

#include <stdlib.h>

static int parse(struct frontmatter *fm, const char *text, struct diag_list *dl)
{
	return fm_parse(fm, "t.md", text, strlen(text), dl);
}

static char *first_diag(struct diag_list *dl)
{
	return dl->n ? diag_format(&dl->items[0]) : strdup("(none)");
}

static void expect_error(const char *name, const char *text, const char *want)
{
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	int r = parse(&fm, text, &dl);
	char *got = first_diag(&dl);
	INT_EQ(r, -1, "%s: fails", name);
	STR_EQ(got, want, "%s: diagnostic", name);
	free(got);
	fm_release(&fm);
	diag_release(&dl);
}

static void test_forms(void)
{
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	const char *t = "---\n"
			"title: \"Quoted: title\"\n"
			"date: 2024-12-13\n"
			"categories: [Semiconductor, AI]\n"
			"tags: reasoning cost\n"
			"description: >\n  folded\n  text\n"
			"draft: false\n"
			"slug: my-slug\n"
			"authors: [A, B]\n"
			"source: https://example.com/x\n"
			"extra:\n  nested: [1, 2]\n"
			"---\n"
			"Body\n";
	INT_EQ(parse(&fm, t, &dl), 0, "jekyll forms: parse");
	STR_EQ(fm.meta.title, "Quoted: title", "quoted title");
	INT_EQ(fm.meta.has_date, 1, "bare YAML date");
	INT_EQ(fm.meta.date.y * 10000 + fm.meta.date.mo * 100 + fm.meta.date.d, 20241213, "date value");
	STR_EQ(fm.meta.categories[0], "Semiconductor", "categories as a flow list [0]");
	STR_EQ(fm.meta.categories[1], "AI", "categories as a flow list [1]");
	OK(fm.meta.categories[2] == NULL, "categories list ends");
	STR_EQ(fm.meta.tags[0], "reasoning", "tags as space-separated string [0]");
	STR_EQ(fm.meta.tags[1], "cost", "tags as space-separated string [1]");
	STR_EQ(fm.meta.description, "folded text\n", "folded description");
	INT_EQ(fm.meta.draft, 0, "draft false");
	STR_EQ(fm.meta.slug, "my-slug", "slug");
	STR_EQ(fm.meta.authors[1], "B", "authors list");
	STR_EQ(fm.meta.source, "https://example.com/x", "source");
	const struct fm_node *ex = fm_get(&fm.root, "extra");
	OK(ex && ex->kind == FM_MAP && fm_get(ex, "nested")->n == 2, "unknown keys kept as a tree");
	INT_EQ(fm.body_line, 16, "body starts after the closing line");
	STR_EQ(t + fm.body_off, "Body\n", "body offset");
	INT_EQ(fm_get(&fm.root, "date")->line, 3, "nodes keep their file line");
	fm_release(&fm);

	t = "---\ntitle: T\ndate: \"2024-12-13 10:30:00 +0800\"\ncategories:\n  - One\n  - Two\ndraft: true\nauthor: Jane Doe\n---\n";
	INT_EQ(parse(&fm, t, &dl), 0, "block list, quoted date with zone");
	INT_EQ(fm.meta.date.has_tz, 1, "zone parsed");
	INT_EQ(fm.meta.date.tz_min, 480, "+0800 is 480 minutes");
	INT_EQ(fm.meta.date.h * 100 + fm.meta.date.mi, 1030, "time parsed");
	STR_EQ(fm.meta.categories[1], "Two", "block list");
	INT_EQ(fm.meta.draft, 1, "draft true");
	STR_EQ(fm.meta.authors[0], "Jane Doe", "single author with a space");
	STR_EQ(t + fm.body_off, "", "empty body");
	fm_release(&fm);

	t = "No front matter\n---\n";
	INT_EQ(parse(&fm, t, &dl), 0, "no front matter");
	INT_EQ(fm.body_line, 1, "no front matter: body at line 1");
	OK(fm.meta.title == NULL, "no front matter: no title");
	fm_release(&fm);

	t = "\xEF\xBB\xBF---\r\ntitle: CRLF\r\n---\r\nBody";
	INT_EQ(parse(&fm, t, &dl), 0, "BOM and CRLF");
	STR_EQ(fm.meta.title, "CRLF", "CRLF title");
	fm_release(&fm);
	INT_EQ((long long)dl.n, 0, "no diagnostics for valid input");
	diag_release(&dl);
}

static void test_errors(void)
{
	expect_error("unclosed", "---\ntitle: x\nbody\n",
		     "t.md:1:1: error: front matter opened here is never closed (expected a '---' line)");
	expect_error("malformed", "---\ntitle: [a\n---\n",
		     "t.md:3:1: error: malformed front matter: did not find expected ',' or ']' while parsing a flow sequence that starts at line 2");
	expect_error("bad date", "---\ntitle: x\ndate: 2023-02-29\n---\n",
		     "t.md:3:7: error: cannot parse date '2023-02-29' (expected YYYY-MM-DD, optionally with HH:MM[:SS] and a zone)");
	expect_error("title as list", "---\ntitle: [a]\n---\n", "t.md:2:8: error: 'title' must be a string");
	expect_error("draft not bool", "---\ntitle: x\ndraft: maybe\n---\n", "t.md:3:8: error: 'draft' must be true or false");
	expect_error("not a mapping", "---\n- a\n---\n", "t.md:2:1: error: front matter must be a mapping of keys to values");
	expect_error("tags as map", "---\ntitle: x\ntags: {a: 1}\n---\n",
		     "t.md:3:7: error: 'tags' must be a list or a space-separated string");
}

static void test_dates(void)
{
	static const struct { const char *in; int ok; const char *iso; } cases[] = {
		{ "2024-12-13", 1, "2024-12-13T00:00:00+08:00" },
		{ "2024-12-13 10:30", 1, "2024-12-13T10:30:00+08:00" },
		{ "2024-12-13T10:30:05Z", 1, "2024-12-13T10:30:05Z" },
		{ "2024-12-13 10:30:05 -0500", 1, "2024-12-13T10:30:05-05:00" },
		{ "2024-12-13T10:30:05.123+05:30", 1, "2024-12-13T10:30:05+05:30" },
		{ "2024-02-29", 1, "2024-02-29T00:00:00+08:00" },
		{ "2023-02-29", 0, NULL },
		{ "2024-13-01", 0, NULL },
		{ "2024-12-32", 0, NULL },
		{ "2024-12-13 25:00", 0, NULL },
		{ "13/12/2024", 0, NULL },
		{ "2024-12-13 junk", 0, NULL },
		{ "", 0, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct fm_date d;
		int r = fm_parse_date(cases[i].in, &d);
		INT_EQ(r == 0, cases[i].ok, "date '%s' %s", cases[i].in, cases[i].ok ? "parses" : "is rejected");
		if (r == 0 && cases[i].iso) {
			char *iso = content_date_iso(&d, "+08:00");
			STR_EQ(iso, cases[i].iso, "date '%s' as RFC 3339", cases[i].in);
			free(iso);
		}
	}
}

static void test_epoch(void)
{
	struct fm_date a, b, c;
	fm_parse_date("1970-01-01", &a);
	INT_EQ(fm_date_epoch(&a, 0), 0, "epoch: 1970-01-01 is 0");
	INT_EQ(fm_date_epoch(&a, 480), -28800, "epoch: a date without zone takes the given one");
	fm_parse_date("2024-12-13T01:00:00+08:00", &b);
	fm_parse_date("2024-12-12T20:00:00Z", &c);
	OK(fm_date_epoch(&b, 0) < fm_date_epoch(&c, 0), "epoch: +08:00 morning is before the previous UTC evening");
	fm_parse_date("2000-03-01", &a);
	INT_EQ(fm_date_epoch(&a, 0), 951868800, "epoch: after a leap day of a century leap year");
}

static void test_slugs(void)
{
	struct fm_date d;
	STR_EQ(content_split_dated("2024-12-13-reasoning-cost", &d), "reasoning-cost", "dated name gives slug");
	INT_EQ(d.d, 13, "dated name gives day");
	OK(content_split_dated("reasoning-cost", &d) == NULL, "undated name has no date");
	OK(content_split_dated("2024-13-13-x", &d) == NULL, "impossible date prefix is not a date");
	OK(content_slug_ok("推理-成本"), "CJK slug allowed");
	OK(content_slug_ok("a_b-1.2"), "ASCII slug allowed");
	OK(!content_slug_ok("a b"), "space rejected");
	OK(!content_slug_ok("a/b"), "slash rejected");
	OK(!content_slug_ok(""), "empty rejected");
	OK(!content_slug_ok("-x"), "leading dash rejected");
	static const struct { const char *in, *out; } ids[] = {
		{ "Why Reasoning Costs 50×", "why-reasoning-costs-50" },
		{ "推理模型的成本", "推理模型的成本" },
		{ "GPU 與 TPU：比較", "gpu-與-tpu-比較" },
		{ "  --  ", "section" },
		{ "C++ & Rust!", "c-rust" },
	};
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		struct buf b = BUF_INIT;
		md_slugify(ids[i].in, &b);
		STR_EQ(b.ptr, ids[i].out, "heading id for '%s'", ids[i].in);
		buf_release(&b);
	}
}

static void test_utf8(void)
{
	INT_EQ((long long)utf8_invalid_at("ok 中文", 9), -1, "valid UTF-8");
	INT_EQ((long long)utf8_invalid_at("ab\xC0\xAF", 4), 2, "overlong rejected at its offset");
	INT_EQ((long long)utf8_invalid_at("ab\xED\xA0\x80", 5), 2, "surrogate rejected");
	INT_EQ((long long)utf8_invalid_at("\xE4\xB8", 2), 0, "truncated sequence rejected");
}

/* Issue 13.4: Jekyll's and Hugo's keys as their authors write them. */
static void test_foreign_keys(void)
{
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	const char *t = "---\nTitle: Any case\nAuthor:\n  name: Ann Example\n  url: https://x.org\n"
			"tag: solo\nexcerpt: From the excerpt.\npublished: false\n---\nBody\n";
	INT_EQ(parse(&fm, t, &dl), 0, "foreign keys: parse");
	STR_EQ(fm.meta.title, "Any case", "'Title:' in any case is the title");
	STR_EQ(fm.meta.authors ? fm.meta.authors[0] : NULL, "Ann Example", "an author given as a map: its name");
	STR_EQ(fm.meta.tags ? fm.meta.tags[0] : NULL, "solo", "'tag:' is the tags");
	STR_EQ(fm.meta.description, "From the excerpt.", "Jekyll's excerpt is the description");
	INT_EQ(fm.meta.draft, 1, "'published: false' is a draft");
	fm_release(&fm);
	t = "---\ntitle: T\nauthors:\n  - name: A\n  - B\nsummary: Hugo's summary.\npermalink: /x/\n---\nBody\n";
	INT_EQ(parse(&fm, t, &dl), 0, "foreign keys 2: parse");
	STR_EQ(fm.meta.authors ? fm.meta.authors[1] : NULL, "B", "a list of authors mixing maps and names [1]");
	STR_EQ(fm.meta.authors ? fm.meta.authors[0] : NULL, "A", "a list of authors mixing maps and names [0]");
	STR_EQ(fm.meta.description, "Hugo's summary.", "Hugo's summary is the description");
	INT_EQ(fm.meta.nredirects, 1, "a permalink is an old path to redirect from");
	STR_EQ(fm.meta.nredirects ? fm.meta.redirects[0].path : NULL, "/x/", "the permalink's path");
	INT_EQ(fm.meta.nredirects ? fm.meta.redirects[0].line : 0, 7, "the permalink's line");
	INT_EQ((int)dl.n, 0, "a plain permalink: nothing to say");
	fm_release(&fm);
	t = "---\ntitle: T\npermalink: /:year/:title/\naliases: [/a/, /b.html]\nredirect_from:\n"
	    "  - https://old.example/c/\n  - /../etc/\n  - /d/\nurl: /e/?x=1\n---\nBody\n";
	INT_EQ(parse(&fm, t, &dl), 0, "old paths: parse");
	INT_EQ(fm.meta.nredirects, 3, "old paths: aliases and redirect_from, less the unusable");
	STR_EQ(fm.meta.nredirects == 3 ? fm.meta.redirects[0].path : NULL, "/a/", "old paths: aliases first ([0])");
	STR_EQ(fm.meta.nredirects == 3 ? fm.meta.redirects[2].path : NULL, "/d/", "old paths: then redirect_from ([2])");
	INT_EQ((int)dl.n, 4, "old paths: four that cannot be, each a warning");
	char *w = first_diag(&dl);
	STR_EQ(w, "t.md:3:12: warning: 'permalink: /:year/:title/' is not carried over: it is a pattern (':year', "
		  "':title'); the brief's URL is /LANGUAGE/briefs/SLUG/ (set 'slug:' for the last part)",
	       "a permalink pattern is said to be dropped, at its place");
	free(w);
	fm_release(&fm);
	diag_release(&dl);
	expect_error("published not a boolean", "---\ntitle: T\npublished: maybe\n---\n",
		     "t.md:3:12: error: 'published' must be true or false");
}

/* Hugo's TOML front matter reads like the same keys in YAML. */
static void test_toml(void)
{
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	const char *t = "+++\ntitle = \"A \\\"TOML\\\" post \\u4e2d\"\ndate = 2024-01-02T10:00:00+08:00\n"
			"tags = [\"a\", 'b',\n  \"c\", ]  # trailing comma\ndraft = true\n"
			"description = \"\"\"\nTwo\nlines.\"\"\"\nslug = 'lit\\eral'\n"
			"author = { name = \"Ann\", url = \"https://x.org\" }\n"
			"[params]\n  math = true\n  deep.er = 1\n[[resources]]\n  src = \"a.png\"\n"
			"[[resources]]\n  src = \"b.png\"\n+++\nBody\n";
	INT_EQ(parse(&fm, t, &dl), 0, "toml: parses");
	INT_EQ((int)dl.n, 0, "toml: nothing said");
	STR_EQ(fm.meta.title, "A \"TOML\" post 中", "toml: basic string with escapes");
	INT_EQ(fm.meta.date.y * 10000 + fm.meta.date.mo * 100 + fm.meta.date.d, 20240102, "toml: a date-time");
	INT_EQ(fm.meta.date.tz_min, 480, "toml: its offset");
	OK(fm.meta.tags && fm.meta.tags[0] && !strcmp(fm.meta.tags[0], "a") && fm.meta.tags[2] &&
	   !strcmp(fm.meta.tags[2], "c") && !fm.meta.tags[3], "toml: an array over two lines, trailing comma");
	INT_EQ(fm.meta.draft, 1, "toml: a boolean");
	STR_EQ(fm.meta.description, "Two\nlines.", "toml: multi-line string, first newline dropped");
	STR_EQ(fm.meta.slug, "lit\\eral", "toml: a literal string keeps its backslash");
	STR_EQ(fm.meta.authors ? fm.meta.authors[0] : NULL, "Ann", "toml: an inline table's name");
	const struct fm_node *params = fm_get(&fm.root, "params"), *res = fm_get(&fm.root, "resources");
	OK(params && params->kind == FM_MAP && params->n == 2, "toml: [params] is a map of two keys");
	const struct fm_node *deep = params ? fm_get(params, "deep") : NULL;
	OK(deep && deep->kind == FM_MAP && fm_get(deep, "er"), "toml: a dotted key nests");
	OK(res && res->kind == FM_SEQ && res->n == 2 && fm_get(&res->items[1], "src") &&
	   !strcmp(fm_get(&res->items[1], "src")->str, "b.png"), "toml: [[resources]] is a list of maps");
	INT_EQ(fm.body_line, 20, "toml: the body starts after the closing +++");
	fm_release(&fm);
	diag_release(&dl);
	expect_error("toml: duplicate key", "+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n",
		     "t.md:3:1: error: duplicate key 'title'");
	expect_error("toml: unquoted text", "+++\ntitle = unquoted words\n+++\n",
		     "t.md:2:9: error: 'unquoted' is not a TOML value: quote text (\"like this\")");
	expect_error("toml: unclosed string", "+++\ntitle = \"x\n+++\n", "t.md:2:11: error: this string is never closed");
	expect_error("toml: unclosed block", "+++\ntitle = \"x\"\n",
		     "t.md:1:1: error: front matter opened here is never closed (expected a '+++' line)");
	expect_error("toml: unclosed array", "+++\ntitle = \"x\"\ntags = [\"a\"\n+++\n",
		     "t.md:3:8: error: this array is never closed (expected ']')");
	expect_error("toml: a table twice", "+++\ntitle = \"x\"\n[a]\nb = 1\n[a]\nc = 2\n+++\n",
		     "t.md:5:2: error: table 'a' is defined twice");
	expect_error("toml: a control character by escape", "+++\ntitle = \"x\"\nt2 = \"\"\"x\\bo\"\"\"\n+++\n",
		     "t.md:3:11: error: this escape is a control character or no character");
	expect_error("toml: a form feed by escape", "+++\ntitle = \"a\\fb\"\n+++\n",
		     "t.md:2:12: error: this escape is a control character or no character");
	expect_error("toml: a value used as a table", "+++\ntitle = \"x\"\na = 1\n[a]\n+++\n",
		     "t.md:4:2: error: 'a' is already a value, not a table");
}

int main(void)
{
	test_toml();
	test_foreign_keys();
	test_forms();
	test_errors();
	test_dates();
	test_epoch();
	test_slugs();
	test_utf8();
	return harness_done();
}
