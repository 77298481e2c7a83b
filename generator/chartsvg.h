/* chartsvg — stage 4: one chart's data (chart.h) as HTML: a <figure> with
 * the title as its caption, a legend when there are series, an inline SVG
 * (role="img", <title> and <desc>) and the numbers as a table. Colours,
 * fonts and sizes are the theme's (CSS classes, variables in style.css), so
 * dark mode and print follow. Every mark links to its value's row in the
 * calculation table (#calc-NAME). Texts are the ones the model formatted;
 * nothing here formats a number that a reader sees. Same data, same bytes. */
#ifndef GEN_CHARTSVG_H
#define GEN_CHARTSVG_H
#include "buf.h"
#include "chart.h"

struct chart_words {
	const char *data;        /* the table's toggle: "Data" */
	const char *published;   /* line charts, after the marker: "published value" */
	const char *sep;         /* between items of the description: "; " */
	const char *colon;       /* between a label and its value: ": " */
	const char *from_to;     /* a line's description: printf %s x4: "%s: %s at %s to %s at %s" */
};

/* Appends the figure for d to out; id names it on the page ("chart-2"). */
void chartsvg_render(struct buf *out, const struct chart_data *d, const char *id, const struct chart_words *w);

#endif
