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

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "briefgen new: %s\n", msg);
	fprintf(stderr, "usage: briefgen new SLUG [ROOT] [--date YYYY-MM-DD]\n");
	return EXIT_USAGE;
}

static const char *const stub_zh =
	"---\n"
	"title: \"%s\"\n"
	"description: \"\"\n"
	"categories: []\n"
	"tags: []\n"
	"draft: true\n"
	"---\n\n"
	"（一句話說明結論。）\n\n"
	"## 重點數字\n\n"
	"```calc\n"
	"example = 2 * 3   -- 範例 | example\n"
	"```\n\n"
	"結果是 `= example`。\n";

static const char *const stub_en =
	"---\n"
	"title: \"%s\"\n"
	"description: \"\"\n"
	"categories: []\n"
	"tags: []\n"
	"draft: true\n"
	"---\n\n"
	"(One sentence stating the finding.)\n\n"
	"## Key numbers\n\n"
	"```calc\n"
	"example = 2 * 3   -- 範例 | example\n"
	"```\n\n"
	"The result is `= example`.\n";

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
	if (!content_slug_ok(slug))
		return usage("SLUG may hold letters, digits, '-' and '_' only");
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
		char *name = xasprintf("%s.md", cfg.langs[i].code);
		char *file = fs_join(dir, name);
		const char *stub = !strcmp(cfg.langs[i].code, "zh") ? stub_zh : stub_en;
		char *text = xasprintf(stub, slug);
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
	free(rel);
	free(dir);
	free(content);
	diag_release(&dl);
	config_release(&cfg);
	return status;
}
