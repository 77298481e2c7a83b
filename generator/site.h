/* site — the whole build as one value passed down the pipeline:
 * config -> content -> per-brief render (parallel) -> listings and special
 * pages -> link check -> commit. Output goes through a sink into the
 * staging folder beside the output folder, which becomes the output only
 * when nothing failed (publish.h). */
#ifndef GEN_SITE_H
#define GEN_SITE_H
#include "cites.h"
#include "config.h"
#include "content.h"
#include "diag.h"
#include "engines.h"
#include "hash.h"
#include "publish.h"
#include "taxonomy.h"
#include "urls.h"
#include "words.h"

struct build_cache; /* buildcache.h */
struct sink;        /* sink.h */
struct memo;        /* memo.h */
struct sitefiles;   /* sink.h */
struct pool;        /* pool.h */
struct outputs_scans; /* outputs.h */

/* The preview's worker pool, kept from build to build with its slots'
 * engines (pool.h, engines.h): a build takes it when its seed (theme,
 * lua/, configuration, drafts: build_cache_seed) is the one the engines
 * were made for, else makes a new one; it is handed back at site_release.
 * Compiling the theme and loading lua/calc.lua for every slot cost more
 * than rendering the one brief an edit changed. Owned by the caller. */
struct build_engines {
	struct pool *pool;    /* NULL: none kept */
	struct hash128 seed;
};
void build_engines_release(struct build_engines *e);

struct build_opts {
	const char *root;     /* folder holding content/ */
	const char *out;      /* output folder; NULL: root/site */
	const char *datadir;  /* where the default theme and lua/ live */
	int drafts;
	int force;            /* replace an output folder briefgen did not write */
	int jobs;             /* worker threads; 0: one per core */
	int strict;           /* warnings fail the build too */
	int external;         /* collect the links that point off the site */
	int lint;             /* `briefgen check`: also the checks a build skips (config.h) */
	const char *base_url; /* `--base-url`: replaces site.lua's; NULL: site.lua's */
	int need_base_url;    /* build, check: no base URL is an error (serve makes do with "/") */
	/* Called from worker threads after each brief (done of total), at
	 * most once per brief; NULL for none. Must be thread-safe. */
	void (*progress)(void *arg, size_t done, size_t total);
	void *progress_arg;
	/* The preview server's memory of earlier builds (buildcache.h): briefs
	 * whose inputs and templates are unchanged are not rendered again, and
	 * the cache is updated. Owned by the caller; NULL renders everything.
	 * The output is the same either way. */
	struct build_cache *cache;
	/* The preview's memo of listing pages, feeds, sitemap (memo.h); NULL
	 * renders them all. Owned by the caller. */
	struct memo *memo;
	/* The preview's previous content and what changed since (content.h);
	 * NULL reads every brief. */
	const struct content_reuse *reuse;
	/* The preview: build into memory (struct site's files) instead of the
	 * output folder; prev is the last good build's files (sink.h), whose
	 * unchanged files are shared. */
	int memory;
	const struct sitefiles *prev;
	struct outputs_scans *scans; /* the preview's kept page scans (outputs.h), or NULL */
	struct build_engines *engines; /* with cache: the preview's kept engines, or NULL */
};

struct site {
	struct build_opts opts;
	char *root, *content_dir, *tpl_dir, *lua_dir, *out_dir;
	struct publish pub;      /* the output folder, while the build runs */
	struct pool *pool;       /* the worker threads and their engines (pool.h, engines.h) */
	struct engines_spec spec;
	struct sink *sink;       /* every file of the build goes through it */
	struct outputs_put_scans *put_scans; /* into a folder: the pages' scans, made as they are put */
	struct search_index *search;         /* with search on: filled as pages are put */
	struct config cfg;
	struct urls urls;
	struct words words;      /* interface words per language */
	struct content ct;
	struct cites_plan plan;  /* the order briefs render in (cites.h) */
	struct taxonomy tx;
	struct hash128 seed;     /* with opts.memo: the build-wide inputs and template versions */
	struct diag_list diags;  /* everything the build reported, in a stable order */
	int refused;             /* the output folder must not be written (a usage error) */
	struct sitefiles *files; /* opts.memory: what a good build made (one reference, the caller's to take) */
	size_t pages_written;
	size_t briefs_rendered;  /* parsed, calculated and templated in this build */
	size_t briefs_reused;    /* written from opts.cache instead */
	char **external;         /* with opts.external: sorted distinct off-site links, NULL-terminated */
	struct site_stage {      /* wall and CPU time of each stage that ran, in order (--timings) */
		const char *name;
		double wall_ms, cpu_ms;
	} stages[12];
	size_t nstages;
	double stage_wall, stage_cpu; /* when the current stage began */
};

void site_init(struct site *s, const struct build_opts *o);
/* Runs the build; returns 0 when the site was written, -1 otherwise (the
 * previous output is then untouched; s->refused when the output folder was
 * refused before anything was read). Diagnostics are in s->diags. */
int site_build(struct site *s);
void site_release(struct site *s);
/* Hands the worker pool to opts.engines (with a cache) for the next build
 * to take; site_release does it too. A preview that keeps a built site
 * (for site_patch) parks its engines first. */
void site_park_engines(struct site *s);

/* The preview's fast path, on s, the last good build (kept whole, its
 * engines parked): when the entries in dirty (names in content/briefs/) are
 * briefs of s whose files changed and nothing of them that another page
 * shows did (title, date, summary, terms, URLs, ids, numbers.json, links
 * that resolve), renders just them and puts their pages, and the feeds
 * that carry them, into a new s->files; the rest of s is what a full build
 * would make of the same files (tests/incremental.sh compares the two byte
 * for byte). The patched briefs' diagnostics go to said; *dropped is the
 * count of warnings they had before. Returns 0 when patched, 1 when the
 * change needs a full build (s unchanged), -1 when a step failed midway (s
 * holds the new briefs but not their files: build in full, and patch no
 * more from s). */
struct strmap; /* strmap.h */
int site_patch(struct site *s, const struct strmap *dirty, struct diag_list *said, size_t *dropped);

/* The project's own folder `name` of root (templates, lua) when it holds
 * probe, else the shipped one of datadir (with a warning when root has the
 * folder without probe). The caller frees the result. */
char *site_pick_dir(const char *root, const char *datadir, const char *name, const char *probe,
		    struct diag_list *dl);

#endif
