/* main — parse global flags, look the subcommand up in a table, run it.
 * The only place that prints diagnostics (through the commands) and the
 * only place that touches library-wide state (cmark-gfm's registry). */
#include "cmd.h"
#include "fsutil.h"
#include "md.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef BRIEFGEN_MIMALLOC
#include <mimalloc.h>
#endif
#include "banned.h"

#ifndef BRIEFGEN_DATADIR
#define BRIEFGEN_DATADIR "/usr/local/share/briefgen"
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **, const struct cmd_env *);
	const char *help;
} commands[] = {
	{ "build", cmd_build, "build the site into site/ (or --out DIR)" },
	{ "new", cmd_new, "scaffold a dated brief with one file per language" },
	{ "serve", cmd_serve, "preview on http://127.0.0.1:8080 with live reload" },
	{ "check", cmd_check, "build into a scratch folder and report every problem (--strict)" },
	{ "calc", cmd_calc, "print a brief's model, inputs changed with name=value (--lang CODE)" },
	{ "import", cmd_import, "lay a Jekyll or Hugo site out as briefgen content: import jekyll|hugo SRC [ROOT]" },
};

static void help(FILE *f)
{
	fprintf(f, "usage: briefgen <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n  briefgen <command> --help   options of one command\n"
		   "  briefgen --version\n");
}

/* The theme and Lua modules: $BRIEFGEN_DATADIR, else beside the binary
 * (a build tree) or in ../share/briefgen (an install, wherever its prefix),
 * else the folder compiled in. */
static char *find_datadir(void)
{
	const char *env = getenv("BRIEFGEN_DATADIR");
	if (env && *env)
		return xstrdup(env);
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* a build tree (lua/ beside the binary), or an installed
			 * PREFIX/bin with PREFIX/share/briefgen */
			static const char *const beside[] = { ".", "../share/briefgen" };
			for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
				char *dir = fs_join(exe, beside[i]);
				char *probe = fs_join(dir, "lua/template.lua");
				int ok = fs_is_file(probe);
				free(probe);
				if (ok) {
					char *clean = fs_resolve(dir); /* "/x/bin/../share/briefgen" reads badly */
					free(dir);
					return clean ? clean : xstrdup(BRIEFGEN_DATADIR);
				}
				free(dir);
			}
		}
	}
	return xstrdup(BRIEFGEN_DATADIR);
}

int main(int argc, char **argv)
{
#ifdef BRIEFGEN_MIMALLOC
	/* Pages a thread no longer uses go back to the system at once rather
	 * than after 25 ms: a build is a burst of a second or two, and keeping
	 * them cost a sixth more peak memory than glibc's malloc for no gain
	 * in time (docs/architecture.md "Memory allocator"). Set before any
	 * thread starts; the release binary's only allocator setting. */
	mi_option_set(mi_option_decommit_delay, 0);
#endif
	if (argc < 2) {
		help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("briefgen %s\n", BRIEFGEN_VERSION);
		return 0;
	}
	md_global_init();
	const char *nc = getenv("NO_COLOR");
	char *datadir = find_datadir();
	struct cmd_env env = { datadir, isatty(2) && !(nc && *nc) };
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			int r = commands[i].fn(argc - 1, argv + 1, &env);
			free(datadir);
			return r;
		}
	free(datadir);
	fprintf(stderr, "briefgen: unknown command '%s'\n\n", argv[1]);
	help(stderr);
	return EXIT_USAGE;
}
