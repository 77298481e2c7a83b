/* cites — one model across briefs. A calc line whose whole formula is
 * `@slug.name` takes the value `name` of the brief `slug`:
 *
 *     freed = @cpu-consolidation.power_freed -- 騰出的電力 | power freed
 *
 * The citing brief's value is that brief's value, exactly (the same number
 * in the same unit), and its row links to the cited brief's row.
 *
 * Before the briefs render, cites_plan reads every brief's calc blocks for
 * such lines (the Markdown is not parsed yet: a line scan of the fenced
 * `calc` blocks), resolves each slug to its brief and orders the briefs in
 * levels: a cited brief renders in an earlier level than the briefs citing
 * it, each level on the worker pool. A slug that names no brief, a brief
 * citing itself and a cycle across briefs are errors at the citing lines.
 *
 * A brief's values travel as its exports (cites_export): a small text the
 * render stage makes after evaluating the model, kept in struct brief (and
 * in the preview's cache), read by the citing brief's calc stage
 * (cites_resolve). Nothing here is global; the plan is the caller's. */
#ifndef GEN_CITES_H
#define GEN_CITES_H
#include "blob.h"
#include "buf.h"
#include "calc.h"
#include "calceval.h"
#include "content.h"
#include "diag.h"

struct cite {
	char *slug, *name;   /* `@slug.name` */
	const char *file;    /* borrowed from the page */
	int line, col;       /* of the '@' (col in characters) */
	struct brief *target; /* set by cites_plan; NULL when it names no brief */
};

/* Reads b's pages for citations again (b->cites, b->ncites); returns
 * b->ncites. Clears b->cited. */
size_t cites_scan(struct brief *b, size_t nlangs);
/* Frees b->cites (and b->exports). */
void cites_clear(struct brief *b);

/* The order of rendering: order[start[k] .. start[k + 1]) are the indices
 * (into ct->briefs) of level k, in brief order; nlevels + 1 starts. */
struct cites_plan {
	size_t *order, *start;
	size_t nlevels;
};

/* Scans every brief (cites_scan), resolves the slugs, marks the cited briefs
 * (b->cited) and orders them. A site without citations is one level.
 * Returns 0, or -1 with errors (every brief is still in the plan). */
int cites_plan(struct content *ct, struct cites_plan *plan, struct diag_list *dl);
void cites_plan_release(struct cites_plan *plan);

/* The values of m as exports text ("name\tbase value\tunit\n" a value). */
void cites_export(const struct calc_model *m, struct buf *out);

/* Gives each `@` definition of src its value from b's cited briefs' exports
 * (src->cited, which calc_eval passes to lua/calc.lua), or the reason it
 * has none. Release with calc_source_release as usual. */
void cites_resolve(struct calc_source *src, const struct brief *b);

/* After calc_eval: each value of m that cites another brief gets the link
 * to that brief's row in each language (calc_value cite_url, cite_title)
 * and its source (the default language's page). */
void cites_link(struct calc_model *m, const struct brief *b, size_t nlangs);

#endif
