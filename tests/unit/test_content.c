/* content: the scan of a small content/ tree. Bundles and Jekyll posts,
 * slugs from names and front matter, dates from names and front matter,
 * order by instant (then slug), the language of a post from its suffix,
 * its front matter or the default, assets, drafts, skipped names, and the
 * exact diagnostics of the scan's errors. */
#include "harness.h"
#include "fixture.h"
#include "config.h"
#include "content.h"
#include "urls.h"
#include "diag.h"

#include <stdlib.h>

static const char *T;

static void post(const char *root, const char *rel, const char *fm, const char *body)
{
	char *text = fix_fmt("---\n%s---\n%s", fm, body);
	fix_write(root, rel, text);
	free(text);
}

/* Scans root/content with the config of root/content/site.lua. */
static int scan(const char *root, int drafts, struct config *cfg, struct content *ct, char **diags)
{
	char *content = fix_fmt("%s/content", root);
	struct diag_list dl = DIAG_LIST_INIT;
	if (config_load(cfg, content, &dl) < 0)
		abort();
	struct urls u;
	urls_init(&u, cfg);
	int r = content_scan(ct, cfg, &u, content, drafts, NULL, 0, &dl);
	urls_release(&u);
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	diag_print(&dl, f, 0);
	fclose(f);
	/* names relative to root, as a build from root prints them */
	for (char *at; (at = strstr(mem, root));)
		memmove(at, at + strlen(root) + 1, strlen(at + strlen(root) + 1) + 1);
	*diags = mem;
	diag_release(&dl);
	free(content);
	return r;
}

static const struct brief *find(const struct content *ct, const char *slug)
{
	for (size_t i = 0; i < ct->n; i++)
		if (!strcmp(ct->briefs[i]->slug, slug))
			return ct->briefs[i];
	return NULL;
}

static void test_tree(void)
{
	char *R = fix_fmt("%s/tree", T);
	post(R, "content/briefs/2024-12-13-first/zh.md", "title: 第一篇\n", "內文\n");
	post(R, "content/briefs/2024-12-13-first/en.md", "title: First\ndescription: d\n", "\nBody\n");
	fix_write(R, "content/briefs/2024-12-13-first/data.csv", "1,2\n");
	fix_write(R, "content/briefs/2024-12-13-first/img/logo.png", "png");
	fix_write(R, "content/briefs/2024-12-13-first/img/nested/notes.md", "an .md below the top is an asset");
	fix_write(R, "content/briefs/2024-12-13-first/.editor-swap", "hidden");
	post(R, "content/briefs/2024-12-13-aaa/en.md", "title: Same day\n", "x\n");
	post(R, "content/briefs/2024-12-20-second/en.md", "title: Second\n", "x\n");
	post(R, "content/briefs/east/en.md", "title: East\ndate: 2024-12-13 01:00:00 +08:00\n", "x\n");
	post(R, "content/briefs/west/en.md", "title: West\ndate: 2024-12-12 20:00:00 +00:00\n", "x\n");
	post(R, "content/briefs/2024-11-30-jekyll.en.md", "layout: post\ntitle: Jekyll by suffix\n", "x\n");
	post(R, "content/briefs/2024-11-29-default.md", "title: 預設語言\n", "x\n");
	post(R, "content/briefs/2024-11-28-by-fm.md", "title: By front matter\nlang: en\n", "x\n");
	post(R, "content/briefs/2024-10-01-renamed/en.md", "title: Renamed\nslug: custom-slug\n", "x\n");
	post(R, "content/briefs/2024-10-02-dated/en.md", "title: Front matter date wins\ndate: 2023-01-02\n", "x\n");
	post(R, "content/briefs/2024-12-01-draft.md", "title: Draft\ndraft: true\n", "x\n");
	post(R, "content/briefs/_drafts/en.md", "title: Underscore\n", "x\n");
	post(R, "content/briefs/.hidden/en.md", "title: Hidden\n", "x\n");
	post(R, "content/briefs/2024-10-03-french/fr.md", "title: Français\n", "x\n");
	fix_write(R, "content/briefs/README.txt", "not a brief");

	struct config cfg;
	struct content ct;
	char *d;
	INT_EQ(scan(R, 0, &cfg, &ct, &d), 0, "scan: succeeds");
	STR_EQ(d, "content/briefs/2024-10-03-french/fr.md: warning: 'fr' is not a configured language; file ignored\n"
		  "content/briefs/2024-11-29-default.md: note: taken as 'zh' from the script of its text (no 'lang:', "
		  "no language in the file name)\n",
	       "scan: only the unconfigured language is worth a word, and a note (--verbose) of a language guessed");
	free(d);
	struct buf order = BUF_INIT;
	for (size_t i = 0; i < ct.n; i++)
		buf_addf(&order, "%s%s", i ? " " : "", ct.briefs[i]->slug);
	STR_EQ(order.ptr, "second aaa first west east jekyll default by-fm custom-slug dated",
	       "scan: newest instant first, same instant by slug; drafts, _ and . names skipped");
	buf_release(&order);
	int indexed = 1;
	for (size_t i = 0; i < ct.n; i++)
		indexed &= ct.briefs[i]->index == i;
	OK(indexed, "scan: each brief knows its position");

	const struct brief *b = find(&ct, "first");
	OK(b && b->dir && strstr(b->dir, "content/briefs/2024-12-13-first") && !strcmp(b->name, "2024-12-13-first"),
	   "bundle: folder and name");
	STR_EQ(b ? b->date_iso : NULL, "2024-12-13T00:00:00Z", "bundle: date from the name, in UTC");
	OK(b && b->pages[0] && b->pages[1], "bundle: both languages");
	STR_EQ(b && b->pages[0] ? b->pages[0]->url : NULL, "/zh/briefs/first/", "bundle: zh URL");
	STR_EQ(b && b->pages[1] ? b->pages[1]->url : NULL, "/en/briefs/first/", "bundle: en URL");
	STR_EQ(b && b->pages[1] ? b->pages[1]->title : NULL, "First", "bundle: title from front matter");
	OK(b && b->pages[1] && b->pages[1]->body_line == 5 && !strncmp(b->pages[1]->body, "\nBody\n", 6) &&
	   b->pages[1]->body_len == 6, "bundle: the body and the line it starts on");
	struct buf assets = BUF_INIT;
	for (char **a = b ? b->assets : NULL; a && *a; a++)
		buf_addf(&assets, "%s|", *a);
	STR_EQ(assets.ptr, "data.csv|img/logo.png|img/nested/notes.md|",
	       "bundle: assets sorted, below folders too, language files and hidden files not");
	buf_release(&assets);

	b = find(&ct, "second");
	OK(b && !b->pages[0] && b->pages[1], "bundle: one language only");
	b = find(&ct, "east");
	STR_EQ(b ? b->date_iso : NULL, "2024-12-13T01:00:00+08:00", "date: front matter keeps its zone");
	const struct brief *w = find(&ct, "west");
	OK(b && w && w->epoch - b->epoch == 3 * 3600, "date: the instants are 3 hours apart");
	b = find(&ct, "jekyll");
	OK(b && !b->dir && b->pages[1] && !b->pages[0] && !strcmp(b->name, "2024-11-30-jekyll"),
	   "post: '.en.md' makes an English page; the name loses the suffix");
	b = find(&ct, "default");
	OK(b && b->pages[0] && !b->pages[1], "post: no suffix, no lang: the language of its script (a Chinese title)");
	b = find(&ct, "by-fm");
	OK(b && b->pages[1] && !b->pages[0], "post: 'lang: en' in front matter");
	b = find(&ct, "custom-slug");
	OK(b && b->pages[1] && !strcmp(b->pages[1]->url, "/en/briefs/custom-slug/"), "slug: front matter wins");
	b = find(&ct, "dated");
	STR_EQ(b ? b->date_iso : NULL, "2023-01-02T00:00:00Z", "date: front matter wins over the name");
	OK(find(&ct, "french") == NULL, "language: a bundle of an unconfigured language is no brief");
	content_release(&ct);
	config_release(&cfg);

	INT_EQ(scan(R, 1, &cfg, &ct, &d), 0, "drafts: scan with drafts");
	OK(find(&ct, "draft") != NULL && ct.n == 11, "drafts: the draft is in");
	free(d);
	content_release(&ct);
	config_release(&cfg);

	/* the site's zone for dates that have none */
	fix_write(R, "content/site.lua", "return { timezone = '+08:00' }\n");
	scan(R, 0, &cfg, &ct, &d);
	free(d);
	b = find(&ct, "first");
	STR_EQ(b ? b->date_iso : NULL, "2024-12-13T00:00:00+08:00", "zone: a date without one takes the site's");
	b = find(&ct, "east");
	OK(b && w && !strcmp(b->date_iso, "2024-12-13T01:00:00+08:00"), "zone: a date with one keeps it");
	content_release(&ct);
	config_release(&cfg);
	free(R);
}

static void error_tree(const char *name, void (*make)(const char *root), const char *want)
{
	char *R = fix_fmt("%s/%s", T, name);
	make(R);
	struct config cfg;
	struct content ct;
	char *d;
	INT_EQ(scan(R, 0, &cfg, &ct, &d), -1, "error %s: the scan fails", name);
	STR_EQ(d, want, "error %s: the diagnostics", name);
	free(d);
	content_release(&ct);
	config_release(&cfg);
	free(R);
}

static void mk_dup(const char *R)
{
	post(R, "content/briefs/2024-01-01-same/en.md", "title: A\n", "x\n");
	post(R, "content/briefs/2024-02-01-other/zh.md", "title: B\nslug: same\n", "x\n");
}

static void mk_nodate(const char *R)
{
	post(R, "content/briefs/undated/en.md", "title: A\n", "x\n");
}

static void mk_notitle(const char *R)
{
	post(R, "content/briefs/2024-01-01-a/en.md", "description: no title\n", "x\n");
}

static void mk_utf8(const char *R)
{
	fix_write(R, "content/briefs/2024-01-01-a/en.md", "---\ntitle: A\n---\nab中\xff\n");
}

static void mk_badslug(const char *R)
{
	post(R, "content/briefs/2024-01-01-a/en.md", "title: A\nslug: 'a b'\n", "x\n");
}

static void mk_badlang(const char *R)
{
	post(R, "content/briefs/2024-01-01-a.md", "title: A\nlang: fr\n", "x\n");
}

static void mk_link_out(const char *R)
{
	post(R, "content/briefs/2024-01-01-a/en.md", "title: A\n", "x\n");
	fix_write(R, "secret.txt", "secret");
	fix_symlink("../../../secret.txt", R, "content/briefs/2024-01-01-a/leak.txt");
}

static void test_errors(void)
{
	error_tree("dup", mk_dup,
		   "content/briefs/2024-01-01-same/en.md:1:1: error: slug 'same' is already used by "
		   "'content/briefs/2024-02-01-other/zh.md'\n");
	error_tree("nodate", mk_nodate,
		   "content/briefs/undated/en.md:1:1: error: no date: name the brief 'YYYY-MM-DD-undated' or add "
		   "'date:' to the front matter\n");
	error_tree("notitle", mk_notitle,
		   "content/briefs/2024-01-01-a/en.md:1:1: error: missing title (add 'title:' to the front matter)\n");
	error_tree("utf8", mk_utf8,
		   "content/briefs/2024-01-01-a/en.md:4:4: error: invalid UTF-8 (byte 0xFF at offset 22)\n");
	error_tree("badslug", mk_badslug,
		   "content/briefs/2024-01-01-a/en.md:3:7: error: slug 'a b' is not usable in a URL (letters of "
		   "any script, digits, '-', '_' and '.', not starting with '-' or '.')\n");
	error_tree("badlang", mk_badlang,
		   "content/briefs/2024-01-01-a.md:3:7: error: lang 'fr' is not a configured language\n");
	error_tree("linkout", mk_link_out,
		   "content/briefs/2024-01-01-a/leak.txt: error: symbolic link leads out of the content folder "
		   "(to '../../../secret.txt'); briefgen does not read through it\n");
}

static void test_helpers(void)
{
	struct fm_date d;
	STR_EQ(content_split_dated("2024-12-13-my-brief", &d), "my-brief", "split: the slug after the date");
	OK(d.y == 2024 && d.mo == 12 && d.d == 13, "split: the date");
	OK(content_split_dated("2024-13-01-x", &d) == NULL, "split: month 13 is no date");
	OK(content_split_dated("2024-12-13", &d) == NULL, "split: a date alone has no slug");
	OK(content_split_dated("20241213-x", &d) == NULL, "split: no dashes, no date");
	STR_EQ(content_split_dated("2024-12-13-", &d), "", "split: an empty slug is left to the slug check");
	INT_EQ(content_slug_ok("ai-chips_2024.v2"), 1, "slug: letters, digits, - _ .");
	INT_EQ(content_slug_ok("中文-slug"), 1, "slug: non-ASCII letters");
	INT_EQ(content_slug_ok(""), 0, "slug: empty");
	INT_EQ(content_slug_ok(".hidden"), 0, "slug: a leading dot");
	INT_EQ(content_slug_ok("-x"), 0, "slug: a leading dash");
	INT_EQ(content_slug_ok("a/b"), 0, "slug: a slash");
	INT_EQ(content_slug_ok("a b"), 0, "slug: a space");
	INT_EQ(content_slug_ok("a?b"), 0, "slug: a query mark");
	fm_parse_date("2024-12-13", &d);
	char *s = content_date_iso(&d, "+08:00");
	STR_EQ(s, "2024-12-13T00:00:00+08:00", "iso: the site's zone for a date without one");
	free(s);
	fm_parse_date("2024-12-13 10:30 -0530", &d);
	s = content_date_iso(&d, "+08:00");
	STR_EQ(s, "2024-12-13T10:30:00-05:30", "iso: the date's own zone");
	free(s);
	fm_parse_date("2024-12-13T10:30:00+00:00", &d);
	s = content_date_iso(&d, "+08:00");
	STR_EQ(s, "2024-12-13T10:30:00Z", "iso: UTC is written Z");
	free(s);
}

/* Issue 13, items 1 and 3: posts and bundles laid out as Jekyll and Hugo
 * authors lay them out, and the language of a post without a marker. */
static void test_foreign(void)
{
	char *R = fix_fmt("%s/foreign", T);
	post(R, "content/briefs/2024-01-01-plain-english.md", "title: A plain post\n", "Written in English, with no marker.\n");
	post(R, "content/briefs/2024-01-02-plain-chinese.md", "title: 一篇文章\n", "這是中文，沒有標記。\n");
	post(R, "content/briefs/2024-01-03-us.md", "title: US\nlang: en-US\n", "x\n");
	post(R, "content/briefs/2024-01-04-cn.md", "title: CN\nlang: zh_CN\n", "x\n");
	post(R, "content/briefs/2024-01-05-suffix.zh-cn.md", "title: Suffix\n", "x\n");
	post(R, "content/briefs/2024-01-06-kramdown.markdown", "title: Markdown extension\nlang: en\n", "x\n");
	post(R, "content/briefs/2024-01-07-hugo/index.en.md", "title: Hugo bundle\n", "x\n");
	post(R, "content/briefs/2024-01-07-hugo/index.zh-cn.md", "title: 雨果\n", "x\n");
	post(R, "content/briefs/2024-01-08-hugo-plain/index.md", "title: Hugo index\nlang: en\n", "x\n");
	struct config cfg;
	struct content ct;
	char *d;
	INT_EQ(scan(R, 0, &cfg, &ct, &d), 0, "foreign: scan succeeds");
	free(d);
	const struct brief *b = find(&ct, "plain-english");
	OK(b && b->pages[1] && !b->pages[0], "post without a marker, English text: English");
	b = find(&ct, "plain-chinese");
	OK(b && b->pages[0] && !b->pages[1], "post without a marker, Chinese text: Chinese");
	b = find(&ct, "us");
	OK(b && b->pages[1], "lang: en-US is English");
	b = find(&ct, "cn");
	OK(b && b->pages[0], "lang: zh_CN is Chinese");
	b = find(&ct, "suffix");
	OK(b && b->pages[0], "name.zh-cn.md is Chinese");
	b = find(&ct, "kramdown");
	OK(b && b->pages[1], "a .markdown post is read");
	b = find(&ct, "hugo");
	OK(b && b->pages[0] && b->pages[1], "a Hugo bundle: index.en.md and index.zh-cn.md");
	b = find(&ct, "hugo-plain");
	OK(b && b->pages[1], "a Hugo bundle's index.md with lang:");
	content_release(&ct);
	config_release(&cfg);
	free(R);
}

int main(void)
{
	char *tmp = fix_tmpdir();
	T = tmp;
	test_foreign();
	test_tree();
	test_errors();
	test_helpers();
	fix_cleanup(tmp);
	return harness_done();
}
