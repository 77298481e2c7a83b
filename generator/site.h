/* site — the whole build as one value passed down the pipeline:
 * config -> content -> per-brief render (parallel) -> listings and special
 * pages -> commit. Output goes to a fresh temporary folder beside the
 * output folder and is swapped into place only when nothing failed. */
#ifndef GEN_SITE_H
#define GEN_SITE_H
#include "config.h"
#include "content.h"
#include "diag.h"

struct build_cache; /* buildcache.h */

struct build_opts {
	const char *root;     /* folder holding content/ */
	const char *out;      /* output folder; NULL: root/site */
	const char *datadir;  /* where the default theme and lua/ live */
	int drafts;
	int jobs;             /* worker threads; 0: one per core */
	int strict;           /* warnings fail the build too */
	int external;         /* collect the links that point off the site */
	/* Called from worker threads after each brief (done of total), at
	 * most once per brief; NULL for none. Must be thread-safe. */
	void (*progress)(void *arg, size_t done, size_t total);
	void *progress_arg;
	/* The preview server's memory of earlier builds (buildcache.h): briefs
	 * whose inputs and templates are unchanged are not rendered again, and
	 * the cache is updated. Owned by the caller; NULL renders everything.
	 * The output is the same either way. */
	struct build_cache *cache;
};

struct site {
	struct build_opts opts;
	char *content_dir, *tpl_dir, *lua_dir, *out_dir, *tmp_dir;
	struct config cfg;
	struct content ct;
	struct diag_list diags;  /* everything the build reported, in a stable order */
	size_t pages_written;
	size_t briefs_rendered;  /* parsed, calculated and templated in this build */
	size_t briefs_reused;    /* written from opts.cache instead */
	char **external;         /* with opts.external: sorted distinct off-site links, NULL-terminated */
};

void site_init(struct site *s, const struct build_opts *o);
/* Runs the build; returns 0 when the site was written, -1 otherwise (the
 * previous output is then untouched). Diagnostics are in s->diags. */
int site_build(struct site *s);
void site_release(struct site *s);

#endif
