/* chart — `chart` fenced blocks: what an author wrote (chart_parse), and
 * what the model made of it (struct chart_data, filled by calceval.c from
 * lua/chart.lua). Drawing is chartsvg.h's.
 *
 * A block, the same text in any language's file:
 *
 *     ```chart
 *     bars: 每次查詢的成本 | Cost per query      kind, then an optional title
 *     chat_cost                                 one line per bar: value names,
 *     reasoning_cost -- 推理模型 | reasoning     then an optional label
 *     format: sig2                              optional: how numbers show
 *     ```
 *
 * Kinds: bars, grouped, stacked (each line a category, one name per
 * series; a `series: a | A, b | B` line names the series), ladder (each
 * line a step: plain numbers, the multiplier so far), line (`sweep: NAME
 * from A to B [step S]`, each line a value plotted against that input).
 * Titles, labels and series names are `中文 | English`, as calc labels. */
#ifndef GEN_CHART_H
#define GEN_CHART_H
#include "diag.h"
#include <stddef.h>

enum chart_kind { CHART_BARS, CHART_GROUPED, CHART_STACKED, CHART_LADDER, CHART_LINE };

/* One line naming values. */
struct chart_item {
	char **names;                 /* nnames value names */
	int *cols;                    /* the column (characters) of each */
	size_t nnames;
	char *label;                  /* after "--", "" when none */
	int line;
};

struct chart_spec {
	enum chart_kind kind;
	char *title;                  /* "" when none */
	char *format;                 /* a calc format ("sig2", "pct"), "" when none */
	int format_line, format_col;
	char **series;                /* labels of the series */
	size_t nseries;
	struct chart_item *items;
	size_t nitems;
	char *sweep;                  /* line: the swept input, else NULL */
	double from, to, step;        /* step 0: 25 points */
	int sweep_line, sweep_col;
	const char *file;             /* borrowed */
	int line, col;                /* of the kind line */
	size_t lang;
	void *node;                   /* the fenced code node, borrowed from the tree */
};

/* Reads a chart block's text (lit, the block's literal) whose first line is
 * file line `line`, the fence's content starting at column col0. Errors go
 * to dl; returns 0 or -1 (spec then holds what was read and must still be
 * released). */
int chart_parse(struct chart_spec *spec, const char *lit, const char *file, int line, int col0,
		struct diag_list *dl);
void chart_spec_release(struct chart_spec *spec);
const char *chart_kind_name(enum chart_kind k);

/* ---- `whatif` blocks --------------------------------------------------------
 *
 *     ```whatif
 *     gpu_price from 20000 to 50000 step 1000     an input, its range and step, in
 *     batch_shrink from 2 to 8 step 0.5           the unit it is shown in
 *     ```
 *
 * The page gets a control per line where the block stands; the build
 * evaluates the model at every position of them together (docs/charts.md). */
struct whatif_control {
	char *name;
	double from, to, step;
	int line, col;
};

struct whatif_spec {
	struct whatif_control *controls;
	size_t ncontrols;
	const char *file;             /* borrowed */
	int line, col;                /* of the block's first line */
	size_t lang;
	void *node;                   /* the fenced code node, borrowed from the tree */
};

int whatif_parse(struct whatif_spec *w, const char *lit, const char *file, int line, int col0,
		 struct diag_list *dl);
void whatif_spec_release(struct whatif_spec *w);

/* What the build computed for a whatif block, in its page's language:
 * scenario s is the mixed-radix number of the controls' positions, the
 * last control fastest. */
struct whatif_ctl {
	char *name, *label;
	double *xs;                   /* the positions, in the unit the input is shown in */
	char **texts;                 /* each shown as the page shows numbers */
	size_t n, k;                  /* positions; the published one */
};

struct whatif_target {
	size_t ref;                   /* a span: its index in calc_source.spans; else (size_t)-1 */
	char *name;                   /* a table row's value: the name; else NULL */
	char **texts;                 /* one per scenario */
};

struct whatif_data {
	size_t count;                 /* scenarios */
	struct whatif_ctl *controls;
	size_t ncontrols;
	struct whatif_target *targets;
	size_t ntargets;
};

void whatif_data_free(struct whatif_data *d);

/* ---- what the model made of a chart block (one language) ------------------ */

struct chart_tick {
	double v;                     /* on the axis, in the axis unit */
	char *text;
};

struct chart_mark {
	char *name;                   /* the value (its calc table row) */
	double v;                     /* in the axis unit */
	char *text;                   /* as the page shows it */
};

struct chart_cat {
	char *label;
	struct chart_mark *marks;     /* one per series (bars, ladder: one) */
	size_t nmarks;
	char *total;                  /* stacked: the sum's text, else NULL */
	char *step;                   /* ladder: the multiplier from the step before, else NULL */
};

struct chart_line {
	char *name, *label;
	double *ys;                   /* one per point, in the axis unit */
	char **texts;
	double at;                    /* the published value, at the input's published value */
	char *at_text;
};

struct chart_data {
	enum chart_kind kind;
	char *title;
	struct chart_tick *ticks;     /* the value axis */
	size_t nticks;
	double lo, hi;                /* the value axis' range (first and last tick) */
	char **series;
	size_t nseries;
	struct chart_cat *cats;       /* bars, grouped, stacked, ladder */
	size_t ncats;
	/* line */
	char *xname, *xlabel;         /* the swept input */
	double *xs;                   /* the points */
	char **xtexts;
	size_t nx;
	struct chart_tick *xticks;
	size_t nxticks;
	double xlo, xhi, xat;         /* the sweep's range; the input's published value */
	struct chart_line *lines;
	size_t nlines;
	/* on a page with what-if controls that move it: the chart in every
	 * scenario (whatif_data's order), on the same axis as this one */
	struct chart_data **scen;
	size_t nscen;
};

void chart_data_free(struct chart_data *d);

#endif
