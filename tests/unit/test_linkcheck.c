/* Link resolution (base paths, relative links, fragments, escapes), page
 * scanning, the check over scanned pages, and the URL and date helpers the
 * outputs share. */
#include "harness.h"
#include "buf.h"
#include "config.h"
#include "frontmatter.h"
#include "linkcheck.h"
#include "urls.h"

#include <stdlib.h>

static void res(const char *base, const char *rel, const char *link, int want, const char *want_path,
		const char *want_frag)
{
	char *path, *frag;
	int r = linkcheck_resolve(base, rel, link, &path, &frag);
	INT_EQ(r, want, "resolve '%s' on '%s' under '%s': kind", link, rel, base);
	if (want == 1) {
		STR_EQ(path, want_path, "resolve '%s': path", link);
		if (want_frag)
			STR_EQ(frag, want_frag, "resolve '%s': fragment", link);
		else
			OK(frag == NULL, "resolve '%s': no fragment", link);
	}
	free(path);
	free(frag);
}

/* The links of a page, joined by spaces. */
static char *links_of(const struct linkcheck_scan *sc)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < linkcheck_scan_nlinks(sc); i++)
		buf_addf(&b, "%s%s", i ? " " : "", linkcheck_scan_link(sc, i));
	return buf_detach(&b, NULL);
}

static void scan_is(const char *html, const char *want_links, const char *what)
{
	struct linkcheck_scan *sc = linkcheck_scan_html(html, strlen(html));
	char *got = links_of(sc);
	STR_EQ(got, want_links, "scan: %s", what);
	free(got);
	linkcheck_scan_free(sc);
}

static void scanning(void)
{
	scan_is("<a href=\"/a/\">a</a><img src=\"b.png\" srcset=\"c.png 1x, d.png 2x,e.png,\">"
		"<video poster=\"p.jpg\"></video><object data=\"o.svg\"></object>",
		"/a/ b.png c.png d.png e.png p.jpg o.svg", "href, src, srcset, poster, data in order");
	scan_is("<div href=\"1\" src=\"2\" poster=\"3\" data=\"4\" srcset=\"5\">", "1 2 3 4 5",
		"every element, attributes in a fixed order");
	scan_is("<meta http-equiv=\"Refresh\" content=\"0; url=/zh/\"><meta http-equiv=refresh "
		"content=\"5;URL=/en/\"><meta content=\"url=/x/\">",
		"/zh/ /en/", "meta refresh targets, either case");
	scan_is("<link rel=\"preconnect\" href=\"https://fonts.example\"><link rel=\"dns-prefetch\" "
		"href=\"//cdn.example\"><link rel=\"stylesheet\" href=\"/s.css\">",
		"/s.css", "preconnect and dns-prefetch hosts are skipped");
	scan_is("<script src=\"/app.js\">var a = '<a href=\"/no/\">';</script>"
		"<style>a { background: url(/no.png) }</style><a href=\"/yes/\">",
		"/app.js /yes/", "script and style bodies are not markup; their own src is");
	scan_is("<A HREF=\"/a?x=1&amp;y=2\">x</A><a href>y</a>", "/a?x=1&y=2 ",
		"entities decoded, names in any case, a value-less href is empty");
	scan_is("", "", "an empty page has nothing");

	struct linkcheck_scan *sc;
	const char *ids = "<h2 id=\"背景\">x</h2><a name=\"old\"></a><input name=\"q\"><p id=\"\">";
	sc = linkcheck_scan_html(ids, strlen(ids));
	OK(linkcheck_scan_has_id(sc, "背景"), "scan: an id is found");
	OK(linkcheck_scan_has_id(sc, "old"), "scan: <a name> is an anchor");
	OK(!linkcheck_scan_has_id(sc, "q"), "scan: name on another element is not");
	OK(!linkcheck_scan_has_id(sc, "nope"), "scan: an absent id is not found");
	linkcheck_scan_free(sc);

	/* libxml2's tree builder stops at 256 levels; a scan has no limit */
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 20000; i++)
		buf_adds(&deep, "<div>");
	buf_adds(&deep, "<a href=\"/deep/\" id=\"bottom\">x</a>");
	for (int i = 0; i < 20000; i++)
		buf_adds(&deep, "</div>");
	buf_adds(&deep, "<a href=\"/after/\">");
	sc = linkcheck_scan_html(deep.ptr, deep.len);
	char *got = links_of(sc);
	STR_EQ(got, "/deep/ /after/", "scan: links 20000 elements deep, and after them");
	OK(linkcheck_scan_has_id(sc, "bottom"), "scan: an id 20000 elements deep");
	free(got);
	linkcheck_scan_free(sc);
	buf_release(&deep);
}

/* A check over pages given as bytes: the diagnostics, one per line. */
static char *check(const char *const *files, const char *const *html, size_t n,
		   const struct linkcheck_page *pages, size_t npages, char ***external, int *ret)
{
	struct linkcheck_scan **scans = calloc(n, sizeof *scans);
	for (size_t i = 0; i < n; i++)
		scans[i] = html[i] ? linkcheck_scan_html(html[i], strlen(html[i])) : NULL;
	struct linkcheck_site site = {
		.base_url = "https://example.org/", .theme = "templates", .files = files,
		.scans = (const struct linkcheck_scan *const *)scans, .nfiles = n,
		.pages = pages, .npages = npages,
	};
	struct diag_list dl = DIAG_LIST_INIT;
	*ret = linkcheck_check(&site, NULL, external, &dl);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < dl.n; i++) {
		char *line = diag_format(&dl.items[i]);
		buf_addf(&b, "%s\n", line);
		free(line);
	}
	diag_release(&dl);
	for (size_t i = 0; i < n; i++)
		linkcheck_scan_free(scans[i]);
	free(scans);
	return buf_detach(&b, NULL);
}

static void checking(void)
{
	/* given in no particular order; reported in path order */
	const char *files[] = { "z/index.html", "index.html", "a/index.html", "a/x.css", "b/index.html" };
	const char *html[] = {
		"<a href=\"/nope/\">theme</a><a href=\"/a/#gone\">theme</a>",
		"<a href=\"/a/\"></a><a href=\"/a/#s\"></a><a href=\"a/x.css\"></a><a href=\"/b\"></a>"
		"<a href=\"#top\"></a><a href=\"#\"></a><a href=\"/nope/\"></a><a href=\"https://ext.example/\"></a>"
		"<a href=\"/a/x.css#frag\"></a><a href=\"#self\"></a><a href=\"../up\"></a>",
		"<h2 id=\"s\"></h2><a href=\"/nope/\"></a><a href=\"/missing/\"></a><a href=\"/missing/\"></a>"
		"<a href=\"#s\"></a><a href=\"https://ext.example/\"></a><a href=\"http://b.example\"></a>",
		NULL,
		"<a href=\"/a/#gone\"></a>",
	};
	const char *body = "<p><a href=\"/missing/\">m</a> <a href=\"#s\">s</a></p>";
	const char *src = "Intro.\n\nSee [it](/missing/) and [its part](#s).\n";
	struct linkcheck_page pg = {
		.rel = "a/index.html", .url = "/en/a/", .file = "content/briefs/a/en.md",
		.src = src, .src_len = strlen(src), .src_line = 4, .body = body,
	};
	char **ext = NULL;
	int r;
	char *got = check(files, html, 5, &pg, 1, &ext, &r);
	STR_EQ(got,
	       "templates: error: broken link '/nope/' on page '/en/a/' (and on 2 more pages)\n"
	       "content/briefs/a/en.md:6:10: error: broken link '/missing/' on page '/en/a/'\n"
	       "content/briefs/a/en.md:6:10: error: broken link '/missing/' on page '/en/a/'\n"
	       "templates: error: broken link '/a/#gone' on page '/b/': no id 'gone' on '/a/' (and on 1 more page)\n"
	       "templates: error: broken link '#self' on page '/': no id 'self' on this page\n"
	       "templates: error: broken link '../up' on page '/': outside the site\n",
	       "check: every kind of broken link once, in path order, theme links counted");
	INT_EQ(r, -1, "check: a broken link fails");
	{ /* links to this page's own ids: percent-encoded, with white space around */
		const char *f1[] = { "index.html" };
		const char *h1[] = { "<h2 id=\"背景\">x</h2><h2 id=\"s\">y</h2>"
				     "<a href=\"#%E8%83%8C%E6%99%AF\"></a><a href=\"#s \"></a><a href=\" #s\"></a>"
				     "<a href=\"#%E8%83%8C\"></a><a href=\"#S\"></a>" };
		char **e1 = NULL;
		int r1;
		char *g1 = check(f1, h1, 1, NULL, 0, &e1, &r1);
		STR_EQ(g1,
		       "templates: error: broken link '#%E8%83%8C' on page '/': no id '背' on this page\n"
		       "templates: error: broken link '#S' on page '/': no id 'S' on this page\n",
		       "check: own ids, decoded; white space around a link is not part of it; ids are case-sensitive");
		free(g1);
		linkcheck_free_list(e1);
	}
	OK(ext && ext[0] && ext[1] && !ext[2] && !strcmp(ext[0], "http://b.example") &&
		   !strcmp(ext[1], "https://ext.example/"),
	   "check: external links sorted and distinct");
	linkcheck_free_list(ext);
	free(got);

	/* where a broken link of the body is written: "](url", "<url", "href=\"url",
	 * "]: url", then url alone; the first place of the first pattern found;
	 * the same link again at its next place (issue 13.12) */
	const char *pl_files[] = { "p/index.html" };
	const char *pl_body = "<a href=\"/p1/\"></a><a href=\"/p2/\"></a><a href=\"/p3/\"></a>"
			      "<a href=\"https://example.org/p4/\"></a><a href=\"/p5/\"></a><a href=\"/p2/\"></a>";
	const char *pl_html[] = { pl_body };
	const char *pl_src = "Bare /p3/ here.\n[x](/p2/ \"t\") and [y](/p2/).\n"
			     "<a href=\"/p1/\">r</a> and <https://example.org/p4/>\n";
	struct linkcheck_page pl_pg = {
		.rel = "p/index.html", .url = "/p/", .file = "p.md", .src = pl_src,
		.src_len = strlen(pl_src), .src_line = 4, .body = pl_body,
	};
	got = check(pl_files, pl_html, 1, &pl_pg, 1, NULL, &r);
	STR_EQ(got,
	       "p.md:6:10: error: broken link '/p1/' on page '/p/'\n"
	       "p.md:5:5: error: broken link '/p2/' on page '/p/'\n"
	       "p.md:4:6: error: broken link '/p3/' on page '/p/'\n"
	       "p.md:6:27: error: broken link 'https://example.org/p4/' on page '/p/'\n"
	       "p.md: error: broken link '/p5/' on page '/p/'\n"
	       "p.md:5:23: error: broken link '/p2/' on page '/p/'\n",
	       "check: a body link's place in the source, by pattern, in link order");
	free(got);

	const char *ok_files[] = { "index.html", "a/index.html" };
	const char *ok_html[] = { "<a href=\"/a/#x\"></a>", "<p id=\"x\"><a href=\"/\">" };
	got = check(ok_files, ok_html, 2, NULL, 0, NULL, &r);
	STR_EQ(got, "", "check: a sound site has nothing to say");
	INT_EQ(r, 0, "check: a sound site passes");
	free(got);
}

/* The preview's memo: after each change, the report with the memo equals
 * a full check's, and only what the change touched is checked again. */
struct step {
	const char *files[6];
	const char *html[6];
	const char *why;
	size_t checked; /* pages the memo check looked at again */
};

static char *report_of(struct diag_list *dl)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < dl->n; i++) {
		char *line = diag_format(&dl->items[i]);
		buf_addf(&b, "%s\n", line);
		free(line);
	}
	return buf_detach(&b, NULL);
}

static void memo_checks(void)
{
	static const struct step steps[] = {
		{ { "index.html", "a/index.html", "b/index.html", NULL },
		  { "<a href=\"/a/\"></a><a href=\"/b/#x\"></a>", "<a href=\"/b/\"></a>", "<p id=\"x\"></p>" },
		  "first check: every page", 3 },
		{ { "index.html", "a/index.html", "b/index.html", NULL },
		  { "<a href=\"/a/\"></a><a href=\"/b/#x\"></a>", "<a href=\"/b/\"></a>", "<p id=\"x\"></p>" },
		  "nothing changed: nothing checked", 0 },
		{ { "index.html", "b/index.html", NULL },
		  { "<a href=\"/a/\"></a><a href=\"/b/#x\"></a>", "<p id=\"x\"></p>" },
		  "a page went away: the page linking to it is checked and reports it", 1 },
		{ { "index.html", "b/index.html", NULL },
		  { "<a href=\"/a/\"></a><a href=\"/b/#x\"></a>", "<p id=\"y\"></p>" },
		  "an anchor went away: b and the page linking to it", 2 },
		{ { "index.html", "a/index.html", "b/index.html", NULL },
		  { "<a href=\"/a/\"></a><a href=\"/b/#x\"></a>", "<a href=\"/b/\"></a>", "<p id=\"x\"></p>" },
		  "both back: every page that looked for them", 3 },
	};
	struct linkcheck_memo *m = linkcheck_memo_new();
	struct linkcheck_scan *kept[6] = { 0 };
	const char *kept_html[6] = { 0 };
	for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
		const struct step *st = &steps[k];
		size_t n = 0;
		while (st->files[n])
			n++;
		/* a page whose bytes did not change keeps its scan, as the preview does */
		struct linkcheck_scan *scans[6] = { 0 };
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;
			while (j < 6 && !(kept_html[j] && !strcmp(kept_html[j], st->html[i])))
				j++;
			scans[i] = j < 6 ? kept[j] : linkcheck_scan_html(st->html[i], strlen(st->html[i]));
		}
		struct linkcheck_site site = {
			.base_url = "https://example.org/", .theme = "templates", .files = st->files,
			.scans = (const struct linkcheck_scan *const *)scans, .nfiles = n,
		};
		struct diag_list with = DIAG_LIST_INIT, without = DIAG_LIST_INIT;
		int r1 = linkcheck_check(&site, m, NULL, &with);
		int r2 = linkcheck_check(&site, NULL, NULL, &without);
		char *a = report_of(&with), *b = report_of(&without);
		STR_EQ(a, b, "memo, %s: the same report as a full check", st->why);
		INT_EQ(r1, r2, "memo, %s: the same outcome", st->why);
		size_t checked, reused;
		linkcheck_memo_stats(m, &checked, &reused);
		INT_EQ(checked, st->checked, "memo, %s: pages checked again", st->why);
		INT_EQ(checked + reused, n, "memo, %s: every page checked or reused", st->why);
		free(a), free(b);
		diag_release(&with), diag_release(&without);
		for (size_t j = 0; j < 6; j++) /* the old scans stay valid until replaced, as blobs do */
			if (kept[j]) {
				int used = 0;
				for (size_t i = 0; i < n; i++)
					used |= scans[i] == kept[j];
				if (!used)
					linkcheck_scan_free(kept[j]);
			}
		memset(kept, 0, sizeof kept);
		memset(kept_html, 0, sizeof kept_html);
		for (size_t i = 0; i < n; i++) {
			kept[i] = scans[i];
			kept_html[i] = st->html[i];
		}
	}
	for (size_t j = 0; j < 6; j++)
		linkcheck_scan_free(kept[j]);
	linkcheck_memo_free(m);
}

int main(void)
{
	scanning();
	checking();
	memo_checks();

	const char *b = "https://example.org/briefs/";
	const char *page = "en/briefs/a/index.html";
	res(b, page, "/briefs/en/briefs/b/", 1, "en/briefs/b/", NULL);
	res(b, page, "/briefs/en/briefs/b/#details", 1, "en/briefs/b/", "details");
	res(b, page, "/briefs", 1, "", NULL);
	res(b, page, "/briefs?x=1", 1, "", NULL);
	res(b, page, "/en/briefs/b/", -1, NULL, NULL);
	res(b, page, "https://example.org/briefs/zh/", 1, "zh/", NULL);
	res(b, page, "https://example.org/briefs/", 1, "", NULL);
	res(b, page, "https://example.org/other/", 0, NULL, NULL);
	res(b, page, "//example.org/briefs/assets/style.css", 1, "assets/style.css", NULL);
	res(b, page, "//cdn.example.com/x.js", 0, NULL, NULL);
	res(b, page, "mailto:a@example.org", 0, NULL, NULL);
	res(b, page, "#背景", 1, "en/briefs/a/index.html", "背景");
	res(b, page, "#%E8%83%8C%E6%99%AF", 1, "en/briefs/a/index.html", "背景");
	res(b, page, "chart.svg", 1, "en/briefs/a/chart.svg", NULL);
	res(b, page, "./data/x.csv?raw#l2", 1, "en/briefs/a/data/x.csv", "l2");
	res(b, page, "../b/#m", 1, "en/briefs/b/", "m");
	res(b, page, "../../../../x", -1, NULL, NULL);
	res(b, page, "/briefs/zh/categories/%E5%8D%8A%E5%B0%8E%E9%AB%94/", 1, "zh/categories/半導體/", NULL);
	res(b, page, "  /briefs/zh/  ", 1, "zh/", NULL);
	res(b, page, "", 0, NULL, NULL);
	res("/", "index.html", "/zh/", 1, "zh/", NULL);
	res("/", "404.html", "assets/style.css", 1, "assets/style.css", NULL);

	/* instants: the date with its zone applied (what briefs are ordered by) */
	struct fm_date d;
	fm_parse_date("2024-12-13T09:30:00+08:00", &d);
	long long t1 = fm_date_epoch(&d, 0);
	fm_parse_date("2024-12-13T01:30:00Z", &d);
	INT_EQ(t1, fm_date_epoch(&d, 0), "instant: +08:00 and Z name one moment");
	INT_EQ(t1, 1734053400, "instant: seconds since 1970");

	/* absolute URLs */
	struct config c = { .base_url = (char *)"https://example.org/b/" };
	struct urls us;
	urls_init(&us, &c);
	char *u = urls_abs(&us, "/zh/categories/半導體/");
	STR_EQ(u, "https://example.org/b/zh/categories/%E5%8D%8A%E5%B0%8E%E9%AB%94/",
	       "abs_url: non-ASCII percent-encoded");
	free(u);
	u = urls_abs(&us, "/en/tags/a%20b/");
	STR_EQ(u, "https://example.org/b/en/tags/a%20b/", "abs_url: an existing escape is kept");
	free(u);
	urls_release(&us);
	return harness_done();
}
