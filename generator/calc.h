/* calc — stage 4, first step: what the brief's Markdown trees say about
 * its model. Collects every `calc` fenced block (one definition a line) and
 * every inline `= expr | spec` code span of all language files of a brief,
 * with their places, as plain data for calceval.c; keeps the tree nodes
 * (borrowed) so that calcrender.c can put the results where they stood.
 *
 * The calc stage as a whole, called by render.c for one brief:
 *   calc_collect → calc_eval (calceval.h) → calccheck_brief (calccheck.h)
 *   → calcrender_page per language (calcrender.h) → numbers_json (numbers.h) */
#ifndef GEN_CALC_H
#define GEN_CALC_H
#include "chart.h"
#include "config.h"
#include "content.h"
#include "diag.h"
#include "md.h"

/* One line `name = formula -- label` of a calc block. */
struct calc_def {
	char *name, *formula, *label; /* label: the whole comment, "" when none */
	const char *file;             /* borrowed from the page */
	int line, col, fcol;          /* file line; byte columns of name and formula */
	size_t lang;                  /* language of the file it stands in */
	size_t block;                 /* index into calc_source.blocks */
};

/* One inline span `= expr | spec`. */
struct calc_span {
	char *expr, *spec;            /* trimmed; spec "" when none */
	const char *file;             /* borrowed from the page */
	int line, col;                /* file line; byte column of expr */
	size_t lang;
	void *node;                   /* its cmark code node, borrowed from the tree */
};

/* What a definition `name = @slug.value` cites (cites.h): the value, or
 * why there is none. Owned by the source. */
struct calc_cited {
	char *name;                   /* the definition's name */
	double base;                  /* the cited value in base units */
	char *unit;                   /* the unit it is shown in, "" for a plain number */
	char *err;                    /* NULL, or why it has no value */
};

struct calc_block {
	void *node;                   /* the fenced code node, borrowed from the tree */
	size_t lang;
};

struct calc_source {
	struct calc_def *defs;        /* document order, language after language */
	size_t ndefs;
	struct calc_span *spans;
	size_t nspans;
	struct calc_block *blocks;
	size_t nblocks;
	struct chart_spec *charts;    /* `chart` blocks, document order, language after language */
	size_t ncharts;
	struct whatif_spec *whatifs;  /* `whatif` blocks: at most one per language */
	size_t nwhatifs;
	struct page *const *pages;    /* borrowed: nlangs entries, NULL where untranslated */
	size_t nlangs;
	struct calc_cited *cited;     /* cites_resolve; NULL: the model is evaluated alone */
	size_t ncited;
};

/* Collects from docs (nlangs entries, NULL where the brief has no page;
 * pages are the brief's). Errors (a malformed calc line, an empty `=`
 * span) go to dl and make it return -1; what was collected is kept either
 * way. Release with calc_source_release(). */
int calc_collect(struct calc_source *src, struct md_doc *const *docs, struct page *const *pages,
		 size_t nlangs, struct diag_list *dl);
void calc_source_release(struct calc_source *src);

/* Forgets the charts and what-if blocks (their tree nodes stay as they
 * are): the model alone, for `briefgen calc`, whose inputs given on the
 * command line may lie outside a control's positions. */
void calc_source_model_only(struct calc_source *src);

/* 1 when the brief has calc blocks, inline spans or charts. */
int calc_source_any(const struct calc_source *src);

/* The column an author counts (characters, as an editor shows them) of a
 * byte column on a line of file, one of the source's pages; bytecol when
 * file is none of them. */
int calc_source_col(const struct calc_source *src, const char *file, int line, int bytecol);

#endif
