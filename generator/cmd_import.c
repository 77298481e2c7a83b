/* cmd_import — `briefgen import jekyll|hugo SRC [ROOT]`. */
#include "cmd.h"
#include "import.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "briefgen import: %s\n", msg);
	fprintf(stderr, "usage: briefgen import jekyll|hugo SRC [ROOT]   (ROOT: a new project folder, default .)\n");
	return EXIT_USAGE;
}

int cmd_import(int argc, char **argv, const struct cmd_env *env)
{
	const char *args[3] = { NULL, NULL, NULL };
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(NULL);
			return 0;
		}
		if (argv[i][0] == '-')
			return usage("unknown option");
		if (n == 3)
			return usage("too many arguments");
		args[n++] = argv[i];
	}
	if (n < 2)
		return usage(NULL);
	struct import_opts o = { IMPORT_JEKYLL, args[1], args[2] ? args[2] : "." };
	if (!strcmp(args[0], "hugo"))
		o.kind = IMPORT_HUGO;
	else if (strcmp(args[0], "jekyll"))
		return usage("the first argument is jekyll or hugo");
	struct buf report = BUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	int r = import_site(&o, &report, &dl);
	fwrite(report.ptr ? report.ptr : "", 1, report.len, stdout);
	diag_print(&dl, stderr, env->colour);
	diag_release(&dl);
	buf_release(&report);
	return r < 0 ? EXIT_CONTENT : 0;
}
