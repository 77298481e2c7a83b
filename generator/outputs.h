/* outputs — stage 6c: what a published site needs beyond its pages: an
 * Atom feed per language, sitemap.xml and robots.txt; and stage 7, the link
 * check over the finished tree. Inputs are explicit: no stage here sees the
 * build as a whole. */
#ifndef GEN_OUTPUTS_H
#define GEN_OUTPUTS_H
#include "config.h"
#include "content.h"
#include "diag.h"
#include "hash.h"
#include "taxonomy.h"
#include "urls.h"

struct sink; /* sink.h */
struct memo; /* memo.h */
struct sitefiles; /* sink.h */

/* Puts the feeds, sitemap.xml and robots.txt into out. With a memo (the
 * preview), a feed or sitemap whose inputs hash as before (seed first) is
 * put from it instead of rendered. Returns 0, or -1 with diagnostics. */
int outputs_write(const struct config *c, const struct urls *u, const struct content *ct,
		  const struct taxonomy *tx, struct sink *out, struct memo *memo, struct hash128 seed,
		  struct diag_list *dl);

/* The preview's link-check memory (linkcheck.h), kept between builds: a
 * page whose bytes are the same blob as last time is not scanned again, and
 * is not checked again unless a file it links to changed. */
struct outputs_scans;
struct outputs_scans *outputs_scans_new(void);
void outputs_scans_free(struct outputs_scans *sc);
/* The kept scan of page rel, made from the bytes it had when the set it
 * belongs to was last checked in full (*found: 0 when none is kept).
 * Borrowed from sc. */
struct linkcheck_scan;
const struct linkcheck_scan *outputs_scans_get(const struct outputs_scans *sc, const char *rel, int *found);
/* Puts lang's feed into out, rendered (no memo): the preview's patch. */
int outputs_write_feed(const struct config *c, const struct urls *u, const struct content *ct, size_t lang,
		       struct sink *out, struct diag_list *dl);

/* Scans of the pages a build writes into a folder, made as each is put
 * (sink_on_put, on the putting thread), so that the link check reads no
 * page back: at 10 000 briefs that was 34 000 opens and 400 MB read. */
struct outputs_put_scans;
/* search (or NULL): each page is read into that index too (search.h),
 * from the same parse. */
struct search_index;
struct outputs_put_scans *outputs_put_scans_new(struct search_index *search);
void outputs_put_scans_free(struct outputs_put_scans *ps);
/* A sink_put_fn (sink.h); ctx is the outputs_put_scans. */
void outputs_put_scan(void *ctx, const char *rel, const void *data, size_t n);

struct outputs_links {
	const struct config *c;
	const struct content *ct;  /* its pages' sources name broken links in their bodies */
	const char *dir;           /* the finished tree on disk, or NULL: */
	const char *const *dir_files; /* with dir: its files, site-relative (NULL: walk dir) */
	size_t ndir_files;
	struct outputs_put_scans *put_scans; /* scans made as pages were put, or NULL (with files:
					       those the check needs are taken from it) */
	const struct sitefiles *files; /* the finished set in memory (sink.h) */
	struct outputs_scans *scans;   /* with files: the preview's kept scans, or NULL */
	const char *theme;         /* named for links that come from templates */
	int jobs;
	char ***external;          /* when not NULL: receives the off-site links (linkcheck.h) */
};

/* Checks every internal link and anchor of the finished tree. Returns 0, or
 * -1 with one error per broken link. */
int outputs_check_links(const struct outputs_links *o, struct diag_list *dl);

#endif
