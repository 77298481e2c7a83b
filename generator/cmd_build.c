/* cmd_build — `briefgen build [ROOT] [--out DIR] [--drafts] [--jobs N]`. */
#include "cmd.h"
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "banned.h"

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "briefgen build: %s\n", msg);
	fprintf(stderr, "usage: briefgen build [ROOT] [--out DIR] [--base-url URL] [--force] [--drafts] [--jobs N] [--strict] [--quiet] [--verbose] [--timings]\n");
	return EXIT_USAGE;
}

/* "rendering briefs 120/1000" on one terminal line; called from workers,
 * so it writes one whole line per call and only every percent or so. */
static void show_progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	size_t step = total / 100 ? total / 100 : 1;
	if (done % step == 0 || done == total)
		fprintf(stderr, "\r\033[Krendering briefs %zu/%zu", done, total);
}

int cmd_build(int argc, char **argv, const struct cmd_env *env)
{
	struct build_opts o = { .root = NULL, .datadir = env->datadir, .need_base_url = 1 };
	int quiet = 0, verbose = 0, timings = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--out") || !strcmp(a, "-o")) {
			if (++i >= argc)
				return usage("--out needs a folder");
			o.out = argv[i];
		} else if (!strncmp(a, "--out=", 6)) {
			o.out = a + 6;
		} else if (!strcmp(a, "--base-url")) {
			if (++i >= argc)
				return usage("--base-url needs the site's address");
			o.base_url = argv[i];
		} else if (!strncmp(a, "--base-url=", 11)) {
			o.base_url = a + 11;
		} else if (!strcmp(a, "--drafts")) {
			o.drafts = 1;
		} else if (!strcmp(a, "--force")) {
			o.force = 1;
		} else if (!strcmp(a, "--strict")) {
			o.strict = 1;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			verbose = 1;
		} else if (!strcmp(a, "--timings")) {
			timings = 1;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = 1;
		} else if (!strcmp(a, "--jobs") || !strcmp(a, "-j")) {
			char *end;
			if (++i >= argc || (o.jobs = (int)strtol(argv[i], &end, 10)) < 1 || *end)
				return usage("--jobs needs a positive number");
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(NULL);
			return 0;
		} else if (a[0] == '-') {
			fprintf(stderr, "briefgen build: unknown option '%s'\n", a);
			return usage(NULL);
		} else if (!o.root) {
			o.root = a;
		} else {
			return usage("only one ROOT folder");
		}
	}
	/* Progress only where someone watches it: a terminal. */
	if (!quiet && isatty(2))
		o.progress = show_progress;
	struct site s;
	site_init(&s, &o);
	int r = site_build(&s);
	if (o.progress && s.ct.n)
		fprintf(stderr, "\r\033[K");
	diag_print_summary(&s.diags, stderr, env->colour, verbose ? 0 : DIAG_KEEP);
	int refused = s.refused;
	if (refused)
		;
	else if (r == 0 && !quiet)
		fprintf(stderr, "built %zu page%s, %zu brief%s into %s\n", s.pages_written, s.pages_written == 1 ? "" : "s",
			s.ct.n, s.ct.n == 1 ? "" : "s", s.out_dir);
	else if (r < 0 && o.strict && !s.diags.errors)
		fprintf(stderr, "build failed: %zu warning%s with --strict; %s left as it was\n",
			s.diags.warnings, s.diags.warnings == 1 ? "" : "s", s.out_dir);
	else if (r < 0)
		fprintf(stderr, "build failed: %zu error%s; %s left as it was\n", s.diags.errors,
			s.diags.errors == 1 ? "" : "s", s.out_dir);
	for (size_t i = 0; timings && i < s.nstages; i++)
		fprintf(stderr, "%-40s %8.1f ms wall %8.1f ms CPU\n", s.stages[i].name, s.stages[i].wall_ms,
			s.stages[i].cpu_ms);
	site_release(&s);
	return refused ? EXIT_USAGE : r == 0 ? 0 : EXIT_CONTENT;
}
