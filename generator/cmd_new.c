/* cmd_new — `briefgen new SLUG [ROOT] [--date YYYY-MM-DD]`: scaffold a
 * dated bundle with one Markdown file per configured language. */
#include "cmd.h"
#include "buf.h"
#include "config.h"
#include "content.h"
#include "fsutil.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "banned.h"

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "briefgen new: %s\n", msg);
	fprintf(stderr, "usage: briefgen new SLUG [ROOT] [--date YYYY-MM-DD]\n");
	return EXIT_USAGE;
}

/* The scaffold: front matter, a one-line finding, a calc block shared by
 * both languages (labels `中文 | English`), and a cited value. */
/* content/site.lua for a folder that has none: a build needs the address. */
#define SITE_STUB \
	"-- Site configuration: data only, read at build time (README, Layout).\n" \
	"return {\n" \
	"  -- the address the site is published at: sitemap, feeds and og:url use it\n" \
	"  base_url = \"https://example.org/\",\n" \
	"  default_language = \"zh\",\n" \
	"  languages = {\n" \
	"    { code = \"zh\", hreflang = \"zh-Hant\", title = \"簡報\" },\n" \
	"    { code = \"en\", hreflang = \"en\", title = \"Briefs\" },\n" \
	"  },\n" \
	"}\n"

#define STUB \
	"---\n" \
	"title: \"%s\"\n" \
	"description: \"\"\n" \
	"categories: []\n" \
	"tags: []\n" \
	"draft: true\n" \
	"---\n\n" \
	"%s\n\n" \
	"## %s\n\n" \
	"```calc\n" \
	"example = 2 * 3   -- 範例 | example\n" \
	"```\n\n" \
	"%s `= example`%s\n"

static const struct {
	const char *lang, *finding, *heading, *result, *stop;
} stub_words[] = {
	{ "zh", "（一句話說明結論。）", "重點數字", "結果是", "。" },
	{ "en", "(One sentence stating the finding.)", "Key numbers", "The result is", "." },
};

int cmd_new(int argc, char **argv, const struct cmd_env *env)
{
	(void)env;
	const char *slug = NULL, *root = ".", *date = NULL;
	int have_root = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--date")) {
			if (++i >= argc)
				return usage("--date needs YYYY-MM-DD");
			date = argv[i];
		} else if (argv[i][0] == '-') {
			return usage(!strcmp(argv[i], "--help") ? NULL : "unknown option");
		} else if (!slug) {
			slug = argv[i];
		} else if (!have_root) {
			root = argv[i];
			have_root = 1;
		} else {
			return usage("too many arguments");
		}
	}
	if (!slug)
		return usage("missing SLUG");
	if (!content_slug_ok(slug)) {
		/* the build's own rule and words; the slug may hold anything */
		struct buf shown = BUF_INIT;
		diag_escape(&shown, slug);
		char *msg = xasprintf("slug '%s' is not usable in a URL (letters of any script, digits, '-', '_' and '.', not starting with '-' or '.')",
				      shown.ptr);
		buf_release(&shown);
		int st = usage(msg);
		free(msg);
		return st;
	}
	char today[16];
	struct fm_date d;
	if (date) {
		if (fm_parse_date(date, &d) < 0 || strlen(date) != 10)
			return usage("--date must be YYYY-MM-DD");
		snprintf(today, sizeof today, "%s", date);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(today, sizeof today, "%Y-%m-%d", &tm);
	}
	char *content = !strcmp(root, ".") ? xstrdup("content") : fs_join(root, "content");
	struct config cfg;
	struct diag_list dl = DIAG_LIST_INIT;
	int r = config_load(&cfg, content, &dl);
	if (r < 0) {
		diag_print(&dl, stderr, env->colour);
		diag_release(&dl);
		config_release(&cfg);
		free(content);
		return EXIT_CONTENT;
	}
	char *rel = xasprintf("briefs/%s-%s", today, slug);
	char *dir = fs_join(content, rel);
	int status = 0;
	if (fs_is_dir(dir)) {
		fprintf(stderr, "%s: error: already exists\n", dir);
		status = EXIT_CONTENT;
	}
	for (size_t i = 0; i < cfg.nlangs && !status; i++) {
		if (cfg.langs[i].conv)
			continue; /* made from another language's file at build time */
		char *name = xasprintf("%s.md", cfg.langs[i].code);
		char *file = fs_join(dir, name);
		size_t w = 1; /* English words for any language without its own */
		for (size_t k = 0; k < sizeof stub_words / sizeof *stub_words; k++)
			if (!strcmp(stub_words[k].lang, cfg.langs[i].code))
				w = k;
		char *text = xasprintf(STUB, slug, stub_words[w].finding, stub_words[w].heading,
				       stub_words[w].result, stub_words[w].stop);
		if (fs_write(file, text, strlen(text)) < 0) {
			fprintf(stderr, "%s: error: cannot write: %s\n", file, strerror(errno));
			status = EXIT_CONTENT;
		} else {
			printf("%s\n", file);
		}
		free(text);
		free(file);
		free(name);
	}
	if (!status && !cfg.file) { /* a new site: the configuration a build needs */
		char *file = fs_join(content, "site.lua");
		if (fs_write(file, SITE_STUB, strlen(SITE_STUB)) < 0) {
			fprintf(stderr, "%s: error: cannot write: %s\n", file, strerror(errno));
			status = EXIT_CONTENT;
		} else {
			printf("%s (set base_url to the site's address)\n", file);
		}
		free(file);
	}
	free(rel);
	free(dir);
	free(content);
	diag_release(&dl);
	config_release(&cfg);
	return status;
}
