/* calcrender — stage 4, last step: puts a brief's evaluated model into one
 * language's Markdown tree, through cmark-gfm's own extension points. Each
 * inline span becomes a custom inline node whose on_enter/on_exit are the
 * element carrying the value's provenance and whose child is a text node
 * holding the formatted value; each calc block becomes a custom block (the
 * calculation table) whose cells hold text and code nodes. So everything a
 * reader sees stays text in the tree: headings, the table of contents and
 * summaries read it as they read any other text (md.h). */
#ifndef GEN_CALCRENDER_H
#define GEN_CALCRENDER_H
#include "calc.h"
#include "calceval.h"
#include "chartsvg.h"
#include "md.h"

/* The words of a calculation table in one language. Borrowed. */
struct calc_words {
	const char *quantity, *value, *basis;  /* column headers */
	const char *inputs, *derived;          /* row group headings */
	const char *source, *assumption;       /* an input's basis */
	const char *at_open, *at_close;        /* around where in the source */
	const char *quote_open, *quote_close;  /* around the words quoted */
	const char *from_open, *from_close;    /* around the title of the brief a value is cited from */
	const char *cited;                     /* before the links back to the text */
	const char *cite_label;                /* a link back's name: printf, %zu of %zu */
	struct chart_words chart;              /* the words of charts */
	/* what-if controls: the panel's legend, the reset button, what the
	 * page says while it shows a scenario */
	const char *wi_legend, *wi_reset, *wi_note;
};

/* Rewrites doc, the tree of language lang: its calc blocks become
 * calculation tables (header words from words), its chart blocks figures
 * (chartsvg.h), its spans the values of
 * m; values cited but not defined in this language's file get rows in one
 * more table at the end, so that every link to a row lands. src and m are
 * the brief's (calc_collect, calc_eval). */
void calcrender_page(struct md_doc *doc, const struct calc_source *src, const struct calc_model *m,
		     size_t lang, const struct calc_words *words);

/* How the page of language lang shows value v: the text of the first span
 * there citing just that name with a format (`= share | pct` -> 77.5%), so
 * the table says what the sentence says; else the model's default display.
 * Borrowed from m. */
const char *calcrender_shown(const struct calc_source *src, const struct calc_model *m, size_t lang,
			     const struct calc_value *v);

/* Around what belongs to the page alone (the what-if panel and its data):
 * feeds leave it out (feed.c), as a reader there has no script to run it. */
#define CALCRENDER_PAGE_ONLY "<!--page-only-->"
#define CALCRENDER_PAGE_ONLY_END "<!--/page-only-->"

#endif
