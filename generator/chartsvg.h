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

/* What a page's script changes to show d in each of its scenarios
 * (d->scen): the figure of every scenario is drawn by chartsvg_render as
 * the published one is, then both are read back as their elements'
 * attributes and texts, in document order. A slot is one of those that
 * differs in some scenario: element elem (its index among the figure's
 * descendants, as querySelectorAll('*') counts them), its attribute attr or
 * its text (attr ""), and its value in every scenario (unescaped). Returns
 * the slots (free with chartsvg_slots_free), or NULL and sets *n to 0 when
 * the figures differ in their elements (a bug, reported by the caller). */
struct chartsvg_slot {
	size_t elem;
	char *attr;
	char **values;                /* d->nscen */
};
struct chartsvg_slot *chartsvg_slots(const struct chart_data *d, const char *id, const struct chart_words *w,
				     size_t *n);
void chartsvg_slots_free(struct chartsvg_slot *s, size_t n, size_t nscen);

#endif
