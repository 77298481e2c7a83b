/* cmd_check — `briefgen check [ROOT] [--strict] [--drafts]`: run the whole
 * build into a scratch folder (never touching site/) and report every
 * diagnostic: content errors, calc errors, and the cross-language warnings
 * (names cited in one language only, literal numbers that look computed).
 * Exit 1 on errors, or on warnings with --strict. --external lists the
 * links that leave the site on stdout, one per line, without fetching them. */
#include "cmd.h"
#include "fsutil.h"
#include "site.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

int cmd_check(int argc, char **argv, const struct cmd_env *env)
{
	struct build_opts o = { .datadir = env->datadir, .lint = 1, .need_base_url = 1 };
	int verbose = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--strict")) {
			o.strict = 1;
		} else if (!strcmp(argv[i], "--external")) {
			o.external = 1;
		} else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
			verbose = 1;
		} else if (!strcmp(argv[i], "--drafts")) {
			o.drafts = 1;
		} else if (!strcmp(argv[i], "--base-url") && i + 1 < argc) {
			o.base_url = argv[++i];
		} else if (!strncmp(argv[i], "--base-url=", 11)) {
			o.base_url = argv[i] + 11;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: briefgen check [ROOT] [--strict] [--external] [--drafts] [--base-url URL] [--verbose]\n");
			return !strcmp(argv[i], "--help") ? 0 : EXIT_USAGE;
		} else if (!o.root) {
			o.root = argv[i];
		} else {
			fprintf(stderr, "usage: briefgen check [ROOT] [--strict] [--external] [--drafts] [--base-url URL] [--verbose]\n");
			return EXIT_USAGE;
		}
	}
	char tmpl[] = "/tmp/briefgen-check-XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("briefgen check");
		return EXIT_CONTENT;
	}
	char *out = fs_join(tmpl, "site");
	o.out = out;
	struct site s;
	site_init(&s, &o);
	int r = site_build(&s);
	diag_print_summary(&s.diags, stderr, env->colour, verbose ? 0 : DIAG_KEEP);
	for (char **l = s.external; l && *l; l++)
		printf("%s\n", *l);
	fprintf(stderr, "%zu error%s, %zu warning%s\n", s.diags.errors, s.diags.errors == 1 ? "" : "s",
		s.diags.warnings, s.diags.warnings == 1 ? "" : "s");
	site_release(&s);
	fs_rm_rf(tmpl);
	free(out);
	return r == 0 ? 0 : EXIT_CONTENT;
}
