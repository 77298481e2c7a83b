/* listing — stage 6b: every page that lists briefs, through one renderer:
 * each language's home and each taxonomy term (newest first, paginated at
 * the config's page size: /zh/, /zh/page/2/, /zh/tags/x/page/2/ ...), and
 * each taxonomy's index of terms (/zh/tags/). A home's alternates are the
 * same page number in the other languages (every home lists every brief);
 * a term's are its twin's first page (the twin may be shorter). */
#ifndef GEN_LISTING_H
#define GEN_LISTING_H
#include "config.h"
#include "content.h"
#include "diag.h"
#include "engines.h"
#include "hash.h"
#include "taxonomy.h"
#include "template.h"
#include "urls.h"

struct sink; /* sink.h */
struct memo; /* memo.h */
struct pool; /* pool.h */

/* How a build renders its listing pages: on its pool, each slot with its
 * engine; with the preview's memo (NULL in a full build), a page whose
 * inputs hash as before (seed: the build-wide inputs and template
 * versions, then everything the page shows) is put from the memo instead
 * of rendered. */
struct listing_run {
	struct pool *pool;
	const struct engines_spec *spec;
	struct sink *out;
	struct memo *memo;
	struct hash128 seed;
};

/* Renders and puts every listing page; adds their number to *written.
 * A theme without a "taxonomy" template gets no taxonomy pages. Returns 0
 * or -1 with diagnostics (those of the pages up to the first that failed,
 * in page order). */
int listing_render_all(const struct listing_run *run, const struct config *c, const struct urls *u,
		       const struct content *ct, const struct taxonomy *tx, size_t *written, struct diag_list *dl);

#endif
