/* cmd_serve — `briefgen serve [ROOT] [--port N] [--bind ADDR] [--drafts]`:
 * build into a private temporary folder (never site/), serve it with live
 * reload, rebuild when content/, templates/ or lua/ change.
 *
 * Each build goes to a new numbered folder beside the last good one; a good
 * build is handed to the server, which swaps folders under a lock, and the
 * old one is removed. A failed build leaves the last good one served and the
 * diagnostics go to the open pages. Every build writes the whole site, but
 * briefs whose inputs and templates did not change are written from the
 * build cache (buildcache.h) that this command keeps between builds, so an
 * edit costs the briefs it touches plus the listing pages.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP are blocked in every thread (before
 * any is started) and read from a signalfd in the main loop, next to the
 * inotify descriptor, so there is no signal handler and no global variable.
 * SIGPIPE is ignored: a client that goes away mid-response must not end
 * the server. */
#include "buildcache.h"
#include "cmd.h"
#include "fsutil.h"
#include "memo.h"
#include "outputs.h"
#include "serve.h"
#include "publish.h"
#include "sink.h"
#include "site.h"
#include "strmap.h"
#include "watch.h"
#include "xalloc.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include "banned.h"

#define DEBOUNCE_QUIET_MS 15  /* rebuild once nothing changed for this long (an editor's save is a burst of a few ms) */
#define DEBOUNCE_MAX_MS 1000  /* ... or this long after the first change */

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "briefgen serve: %s\n", msg);
	fprintf(stderr, "usage: briefgen serve [ROOT] [--port N] [--bind ADDR] [--drafts] [--mirror DIR]\n"
			"  --port N      port to listen on (default 8080; 0: any free port)\n"
			"  --bind ADDR   address to listen on (default 127.0.0.1)\n"
			"  --drafts      include briefs marked draft\n"
			"  --mirror DIR  also keep DIR a copy of the files served\n");
	return EXIT_USAGE;
}

struct preview {
	struct build_opts o; /* root, datadir, drafts; builds go to memory */
	const char *root;    /* ROOT as given, "." by default */
	const char *mirror;  /* --mirror DIR, or NULL */
	struct sitefiles *files; /* the last good build, served */
	char *base_path;     /* of the last good build */
	struct server *srv;
	struct watch *w;
	struct build_cache *cache; /* what unchanged briefs reuse from earlier builds */
	struct memo *memo;         /* listing pages, feeds, sitemap of earlier builds */
	struct build_engines engines; /* the worker pool and its Lua engines, while the theme is unchanged */
	struct outputs_scans *scans; /* the link check's page scans of earlier builds */
	char *watched[3];          /* the content, theme and lua/ folders being watched */
	struct site *last;         /* the last build, kept whole: its briefs are reused when
				      untouched, and a good one is patched (site_patch) */
	int patchable;             /* last is good and its files are the ones served */
	size_t standing;           /* warnings of last's briefs and pages, said once */
	int colour;
};

static const char *const root_names[] = { "content", "templates", "lua", NULL };

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of every thread: on a shared machine the one figure of a
 * rebuild's cost that another process's load does not inflate. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The mirror folder is written in place: only an empty one, or one a
 * mirror (or build) of briefgen's wrote, may be used. */
static int mirror_ok(struct preview *p, struct diag_list *dl)
{
	char *marker = fs_join(p->mirror, PUBLISH_MARKER);
	int ok = fs_is_empty_dir(p->mirror) || fs_is_file(marker);
	free(marker);
	if (!ok)
		return diag_error(dl, (struct srcpos){ p->mirror, 0, 0 },
				  "not empty and not written by briefgen (it has no %s); --mirror writes into "
				  "it: choose an empty folder", PUBLISH_MARKER);
	if (fs_mkdir_p(p->mirror) < 0)
		return diag_error(dl, (struct srcpos){ p->mirror, 0, 0 }, "cannot create: %s", strerror(errno));
	return 0;
}

static void print_diags(struct preview *p, struct diag_list *dl)
{
	diag_print(dl, stderr, p->colour);
	diag_release(dl);
}

/* Names the first changed file that still exists (not an editor's or
 * sed's temporary file), else the first path. */
static void describe(const struct watch_changes *ch)
{
	if (ch->overflow || !ch->n) {
		fprintf(stderr, "many files changed; ");
		return;
	}
	const char *name = ch->paths[0];
	for (size_t i = 0; i < ch->n; i++)
		if (fs_is_file(ch->paths[i])) {
			name = ch->paths[i];
			break;
		}
	if (ch->n == 1)
		fprintf(stderr, "%s changed; ", name);
	else
		fprintf(stderr, "%s and %zu more changed; ", name, ch->n - 1);
}

/* Which entries of content/briefs/ the changes touched (into dirty);
 * returns 0 when anything else under content/ changed (site.lua, an
 * unknown file), so that every brief must be read again. */
static int touched_briefs(const struct watch_changes *ch, const char *content_dir, struct strmap *dirty)
{
	if (!ch || ch->overflow)
		return 0;
	char *briefs = fs_join(content_dir, "briefs");
	size_t cl = strlen(content_dir), bl = strlen(briefs);
	int ok = 1;
	for (size_t i = 0; i < ch->n && ok; i++) {
		const char *path = ch->paths[i];
		if (!strncmp(path, briefs, bl) && path[bl] == '/' && path[bl + 1]) {
			const char *e = path + bl + 1;
			char *entry = xstrndup(e, strcspn(e, "/"));
			strmap_put(dirty, entry, NULL);
			free(entry);
		} else if (!strncmp(path, content_dir, cl) && (path[cl] == '/' || !path[cl])) {
			ok = 0; /* site.lua, or content/ itself */
		}
	}
	free(briefs);
	return ok;
}

/* What the last build said of unchanged briefs is not said again (an edit
 * to one brief must not reprint every other brief's warnings); errors are,
 * since they stop the build. Returns how many were held back. */
static size_t print_new(struct preview *p, const struct diag_list *dl)
{
	size_t held = 0;
	struct diag_list out = DIAG_LIST_INIT;
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];
		if (d->again && d->level != DIAG_ERROR)
			held++;
		else
			diag_add(&out, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
	}
	diag_print_summary(&out, stderr, p->colour, DIAG_KEEP);
	diag_release(&out);
	return held;
}

/* --mirror: the served files, also in a folder (for tools that read files,
 * and for the tests, which compare them with `briefgen build`). Only what
 * changed is written; what the build dropped is removed. */
static void mirror(struct preview *p, struct diag_list *dl)
{
	struct sink *k = sink_new(p->mirror, p->mirror);
	const char **paths = sitefiles_paths(p->files);
	int r = 0; /* the set carries the marker, as every tree briefgen writes */
	for (const char **q = paths; r == 0 && *q; q++)
		r = sink_put_blob(k, *q, sitefiles_get(p->files, *q), *q, dl);
	if (r == 0)
		sink_finish(k, dl);
	free(paths);
	sink_free(k);
}

static void report_good(struct preview *p, struct site *s, double t0, double c0, size_t held, const char *how)
{
	double ms = now_ms() - t0, cpu = cpu_ms() - c0;
	server_publish(p->srv, s->files, s->urls.base_path);
	sitefiles_unref(p->files);
	p->files = sitefiles_ref(s->files);
	free(p->base_path);
	p->base_path = xstrdup(s->urls.base_path);
	fprintf(stderr, "built %zu pages in %.0f ms (CPU %.0f ms): %zu brief%s rendered, %zu reused%s",
		s->pages_written, ms, cpu, s->briefs_rendered, s->briefs_rendered == 1 ? "" : "s", s->briefs_reused,
		how);
	if (held)
		fprintf(stderr, "; %zu earlier warning%s still stand%s", held, held == 1 ? "" : "s",
			held == 1 ? "s" : "");
	fputc('\n', stderr);
}

/* The fast path: only the pages of the briefs edited change (site_patch).
 * Returns 1 when it served the result, 0 when a full build must run. */
static int patch(struct preview *p, const struct watch_changes *ch, const struct strmap *dirty, double t0,
		 double c0)
{
	struct diag_list said = DIAG_LIST_INIT;
	size_t dropped;
	int r = site_patch(p->last, dirty, &said, &dropped);
	if (r != 0) {
		diag_release(&said);
		if (r < 0)
			p->patchable = 0;
		return 0;
	}
	p->standing = p->standing - dropped + said.warnings;
	diag_print_summary(&said, stderr, p->colour, DIAG_KEEP);
	diag_release(&said);
	describe(ch);
	report_good(p, p->last, t0, c0, p->standing - said.warnings, "; listings unchanged");
	struct diag_list dl = DIAG_LIST_INIT;
	if (p->mirror)
		mirror(p, &dl);
	print_diags(p, &dl);
	fflush(stderr);
	return 1;
}

/* One build: briefs whose files did not change are taken from the last
 * build as they are; a good build is served from then on. */
static void rebuild(struct preview *p, const struct watch_changes *ch)
{
	double t0 = now_ms(), c0 = cpu_ms();
	struct strmap dirty = STRMAP_INIT;
	char *content = fs_join(p->root, "content");
	int partial = p->last && touched_briefs(ch, !strcmp(p->root, ".") ? "content" : content, &dirty);
	free(content);
	if (partial && p->patchable && patch(p, ch, &dirty, t0, c0)) {
		strmap_release(&dirty);
		return;
	}
	struct diag_list dl = DIAG_LIST_INIT;
	struct build_opts o = p->o;
	o.memory = 1;
	o.prev = p->files;
	o.scans = p->scans;
	o.cache = p->cache;
	o.memo = p->memo;
	o.engines = &p->engines;
	struct content_reuse reuse = { p->last ? &p->last->ct : NULL, partial ? &dirty : NULL };
	o.reuse = &reuse;
	struct site *s = xmalloc(sizeof *s);
	site_init(s, &o);
	int r = site_build(s);
	s->opts.reuse = NULL; /* both were this call's */
	s->opts.prev = NULL;
	site_park_engines(s);
	if (p->last) { /* what the build did not take */
		site_release(p->last);
		free(p->last);
	}
	p->last = s;
	p->patchable = r == 0;
	p->standing = s->diags.warnings;
	strmap_release(&dirty);
	size_t held = print_new(p, &s->diags);
	if (ch)
		describe(ch);
	if (r == 0) {
		memo_sweep(p->memo); /* a failed build touched less, and keeps all */
		report_good(p, s, t0, c0, held, "");
		if (p->mirror)
			mirror(p, &dl);
	} else {
		server_fail(p->srv, &s->diags);
		fprintf(stderr, "build failed: %zu error%s; still serving the last good build\n",
			s->diags.errors, s->diags.errors == 1 ? "" : "s");
	}
	fflush(stderr);
	/* The watcher follows folders as they appear; a tree is added only when
	 * the build first reads it (the theme may come from ROOT from now on):
	 * walking every tree after every build cost more than the build. */
	const char *const dirs[] = { s->content_dir, s->tpl_dir, s->lua_dir };
	for (size_t i = 0; i < 3; i++)
		if (!p->watched[i] || strcmp(p->watched[i], dirs[i])) {
			watch_add_tree(p->w, dirs[i], &dl);
			free(p->watched[i]);
			p->watched[i] = xstrdup(dirs[i]);
		}
	print_diags(p, &dl);
}

/* Waits for changes, lets a burst settle, rebuilds; returns when a signal
 * arrives (0) or the watch breaks (-1). */
static int loop(struct preview *p, int sfd)
{
	struct pollfd fds[2] = { { .fd = sfd, .events = POLLIN }, { .fd = watch_fd(p->w), .events = POLLIN } };
	struct watch_changes ch = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	int r = 0;
	double first = 0; /* when the pending burst began */
	for (;;) {
		int timeout = -1;
		if (ch.n || ch.overflow) {
			double left = first + DEBOUNCE_MAX_MS - now_ms();
			if (left <= 0) { /* changes keep coming: build anyway */
				rebuild(p, &ch);
				watch_changes_clear(&ch);
				continue;
			}
			timeout = left < DEBOUNCE_QUIET_MS ? (int)left + 1 : DEBOUNCE_QUIET_MS;
		}
		int n = poll(fds, 2, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(&dl, (struct srcpos){ NULL, 0, 0 }, "poll: %s", strerror(errno));
			r = -1;
			break;
		}
		if (fds[0].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				fprintf(stderr, "\n%s: stopping\n", strsignal((int)si.ssi_signo));
			break;
		}
		if (n == 0) { /* quiet for long enough: build */
			rebuild(p, &ch);
			watch_changes_clear(&ch);
			continue;
		}
		int had = ch.n || ch.overflow;
		if (watch_read(p->w, &ch, &dl) < 0) {
			r = -1;
			break;
		}
		if (!had && (ch.n || ch.overflow))
			first = now_ms();
	}
	print_diags(p, &dl);
	watch_changes_clear(&ch);
	return r;
}

int cmd_serve(int argc, char **argv, const struct cmd_env *env)
{
	struct serve_opts so = { .bind = NULL, .port = 8080, .live = 1 };
	struct preview p = { .o = { .datadir = env->datadir }, .colour = env->colour };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (!strcmp(a, "--port") || !strcmp(a, "-p") || !strcmp(a, "--bind")) {
			if (i + 1 >= argc)
				return usage(strcmp(a, "--bind") ? "--port needs a number" : "--bind needs an address");
			val = argv[++i];
		} else if (!strncmp(a, "--port=", 7) || !strncmp(a, "--bind=", 7)) {
			val = a + 7;
		}
		if (val && !strncmp(a, "--bind", 6)) {
			if (!*val)
				return usage("--bind needs an address");
			so.bind = val;
		} else if (val) {
			char *end;
			long port = strtol(val, &end, 10);
			if (!*val || *end || port < 0 || port > 65535)
				return usage("--port needs a number from 0 to 65535");
			so.port = (int)port;
		} else if (!strcmp(a, "--drafts")) {
			p.o.drafts = 1;
		} else if (!strcmp(a, "--mirror")) {
			if (++i >= argc || !*argv[i])
				return usage("--mirror needs a folder");
			p.mirror = argv[i];
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(NULL);
			return 0;
		} else if (a[0] == '-') {
			fprintf(stderr, "briefgen serve: unknown option '%s'\n", a);
			return usage(NULL);
		} else if (!p.o.root) {
			p.o.root = a;
		} else {
			return usage("only one ROOT folder");
		}
	}
	p.root = p.o.root ? p.o.root : ".";

	struct diag_list dl = DIAG_LIST_INIT;
	char *content = fs_join(p.root, "content");
	int have = fs_is_dir(content);
	if (!have)
		diag_error(&dl, (struct srcpos){ !strcmp(p.root, ".") ? "content" : content, 0, 0 },
			   "no content folder here");
	free(content);
	if (!have) {
		print_diags(&p, &dl);
		return EXIT_CONTENT;
	}

	/* Before any thread exists, so every thread inherits the mask. */
	sigset_t stop, old_mask;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, &old_mask);
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);
	int sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);

	int status = EXIT_CONTENT;
	if (sfd < 0) {
		diag_error(&dl, (struct srcpos){ NULL, 0, 0 }, "signalfd: %s", strerror(errno));
		goto out;
	}
	if (p.mirror && mirror_ok(&p, &dl) < 0)
		goto out;
	p.srv = server_start(&so, &dl);
	print_diags(&p, &dl);
	if (!p.srv)
		goto out;
	p.cache = build_cache_new();
	p.memo = memo_new();
	p.scans = outputs_scans_new();
	p.w = watch_new(&dl);
	if (!p.w || watch_add_names(p.w, p.root, root_names, &dl) < 0)
		goto out;

	rebuild(&p, NULL);
	printf("serving %s at %s%s\n", p.root, server_url(p.srv), p.base_path ? p.base_path + 1 : "");
	if (p.mirror)
		printf("preview in memory, mirrored into %s (site/ is not touched); Ctrl-C stops\n", p.mirror);
	else
		printf("preview in memory (site/ is not touched); Ctrl-C stops\n");
	fflush(stdout);
	status = loop(&p, sfd) < 0 ? EXIT_CONTENT : 0;

out:
	/* A second Ctrl-C during the shutdown ends the process at once. */
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	server_stop(p.srv);
	sitefiles_unref(p.files);
	watch_free(p.w);
	build_cache_free(p.cache);
	memo_free(p.memo);
	build_engines_release(&p.engines);
	outputs_scans_free(p.scans);
	for (size_t i = 0; i < 3; i++)
		free(p.watched[i]);
	if (p.last) {
		site_release(p.last);
		free(p.last);
	}
	free(p.base_path);
	print_diags(&p, &dl);
	if (sfd >= 0)
		close(sfd);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return status;
}
