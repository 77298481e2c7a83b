/* Link resolution (base paths, relative links, fragments, escapes) and
 * the URL and date helpers the outputs share. */
#include "harness.h"
#include "config.h"
#include "linkcheck.h"
#include "pageinfo.h"
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

int main(void)
{
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

	/* dates */
	long long t;
	INT_EQ(pageinfo_instant("1970-01-01T00:00:00Z", &t), 0, "instant: epoch parses");
	INT_EQ(t, 0, "instant: epoch is 0");
	pageinfo_instant("2024-12-13T09:30:00+08:00", &t);
	INT_EQ(t, 1734053400, "instant: +08:00 is subtracted");
	pageinfo_instant("2024-12-13T01:30:00Z", &t);
	INT_EQ(t, 1734053400, "instant: same moment in Z");
	INT_EQ(pageinfo_instant("2024-12-13T01:30:00", &t), -1, "instant: a date without zone is refused");
	INT_EQ(pageinfo_instant("2024-12-13", &t), -1, "instant: a bare day is refused");
	STR_EQ(pageinfo_later("2024-12-13T09:00:00+08:00", "2024-12-13T02:00:00Z"), "2024-12-13T02:00:00Z",
	       "later: compares instants, not strings");

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
