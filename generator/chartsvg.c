/* chartsvg — charts as inline SVG. */
#include "chartsvg.h"
#include "numfmt.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* The drawing's width in SVG units: a phone's column. Wider screens scale
 * it up to the figure's max-width (style.css), text with it. */
#define W 360.0
#define FONT 12.5     /* the text size the widths below assume */
#define BAR 16.0
#define GBAR 15.0     /* one bar of a group */

/* The width of the character at p, estimated: CJK (and '×', full width in
 * the CJK fonts the theme puts first) one em, anything else 0.62 em. */
static double char_w(const unsigned char *p)
{
	return *p >= 0xE2 || (p[0] == 0xC3 && p[1] == 0x97) ? FONT : 0.62 * FONT;
}

/* A text's width, estimated: enough to leave room for it; the SVG never
 * measures. */
static double text_w(const char *s)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w += char_w(p);
	return w;
}

/* Numbers written with a fixed, locale-free form: two decimals, no "-0". */
static void num(struct buf *b, double v)
{
	if (fabs(v) < 0.005)
		v = 0;
	size_t at = b->len;
	numfmt_fixed(b, v, 2); /* "%.2f", trailing zeros then a bare point dropped */
	size_t n = b->len;
	while (n > at + 1 && b->ptr[n - 1] == '0')
		n--;
	if (b->ptr[n - 1] == '.')
		n--;
	buf_truncate(b, n);
}

static void html(struct buf *b, const char *s)
{
	buf_add_html(b, s, strlen(s));
}

/* text at (x, y), anchored, in class cls; cut to max width with "…". */
static void text_at(struct buf *b, double x, double y, const char *anchor, const char *cls, const char *s,
		    double max)
{
	buf_adds(b, "<text x=\"");
	num(b, x);
	buf_adds(b, "\" y=\"");
	num(b, y);
	buf_adds(b, "\"");
	/* always written: a figure keeps the same elements and attributes
	 * in every what-if scenario (chartsvg_slots) */
	buf_addf(b, " text-anchor=\"%s\"", anchor ? anchor : "start");
	if (cls)
		buf_addf(b, " class=\"%s\"", cls);
	buf_adds(b, ">");
	if (max > 0 && text_w(s) > max) {
		/* whole characters up to the width, then "…" */
		double w = 0;
		size_t n = 0;
		for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
			if ((*p & 0xC0) == 0x80)
				continue;
			double cw = char_w(p);
			if (w + cw > max - FONT)
				break;
			w += cw;
		}
		buf_add_html(b, s, n);
		buf_adds(b, "…");
	} else {
		html(b, s);
	}
	buf_adds(b, "</text>");
}

static void rect(struct buf *b, double x, double y, double w, double h, const char *cls)
{
	if (w < 0)
		x += w, w = -w;
	buf_adds(b, "<rect x=\"");
	num(b, x);
	buf_adds(b, "\" y=\"");
	num(b, y);
	buf_adds(b, "\" width=\"");
	num(b, w < 0.5 ? 0.5 : w);
	buf_adds(b, "\" height=\"");
	num(b, h);
	buf_addf(b, "\" class=\"%s\"/>", cls);
}

static void line_at(struct buf *b, double x1, double y1, double x2, double y2, const char *cls)
{
	buf_adds(b, "<line x1=\"");
	num(b, x1);
	buf_adds(b, "\" y1=\"");
	num(b, y1);
	buf_adds(b, "\" x2=\"");
	num(b, x2);
	buf_adds(b, "\" y2=\"");
	num(b, y2);
	buf_addf(b, "\" class=\"%s\"/>", cls);
}

/* <a> to a value's row, with its hover text, in the layer of links laid
 * over the drawing (chartsvg_render): tabindex -1, as the data table's links
 * are the keyboard's way. */
static void link_open(struct buf *b, const char *name, const char *hover)
{
	buf_adds(b, "<a href=\"#calc-");
	html(b, name);
	buf_adds(b, "\" tabindex=\"-1\"><title>");
	html(b, hover);
	buf_adds(b, "</title>");
}

static double scale(double v, double lo, double hi, double a, double z)
{
	return hi > lo ? a + (v - lo) / (hi - lo) * (z - a) : a;
}

/* Every how many ticks one is labelled, so that labels spaced `gap` apart
 * never touch: 1, 2, 3... */
static size_t label_every(const struct chart_tick *t, size_t n, double gap)
{
	double widest = 0;
	for (size_t i = 0; i < n; i++)
		if (text_w(t[i].text) > widest)
			widest = text_w(t[i].text);
	size_t k = 1;
	while (k < n && gap * (double)k < widest + 8)
		k++;
	return k;
}

/* Tick labels under a horizontal value axis, and the grid lines. */
static void value_ticks(struct buf *b, const struct chart_data *d, double x0, double x1, double top, double bottom)
{
	size_t every = d->nticks > 1 ? label_every(d->ticks, d->nticks, (x1 - x0) / (double)(d->nticks - 1)) : 1;
	for (size_t i = 0; i < d->nticks; i++) {
		double x = scale(d->ticks[i].v, d->lo, d->hi, x0, x1);
		line_at(b, x, top, x, bottom, d->ticks[i].v == 0 ? "chart-axis" : "chart-grid");
		double half = text_w(d->ticks[i].text) * 11 / FONT / 2; /* ticks are 11px */
		const char *anchor = x - half < 0 ? "start" : x + half > W ? "end" : "middle";
		text_at(b, x, bottom + 14, anchor, "chart-tick", i % every ? "" : d->ticks[i].text, 0);
	}
}

static double widest_mark(const struct chart_data *d)
{
	double w = 0;
	for (size_t i = 0; i < d->ncats; i++) {
		for (size_t k = 0; k < d->cats[i].nmarks; k++)
			if (text_w(d->cats[i].marks[k].text) > w)
				w = text_w(d->cats[i].marks[k].text);
		if (d->cats[i].total && text_w(d->cats[i].total) > w)
			w = text_w(d->cats[i].total);
	}
	return w;
}

static void svg_open(struct buf *b, const char *id, double h)
{
	buf_adds(b, "<svg class=\"chart-svg\" viewBox=\"0 0 ");
	num(b, W);
	buf_adds(b, " ");
	num(b, h);
	buf_addf(b, "\" role=\"img\" aria-labelledby=\"%s-t %s-d\">", id, id);
}

static void title_desc(struct buf *b, const char *id, const struct chart_data *d, const char *desc)
{
	buf_addf(b, "<title id=\"%s-t\">", id);
	html(b, *d->title ? d->title : chart_kind_name(d->kind));
	buf_addf(b, "</title><desc id=\"%s-d\">", id);
	html(b, desc);
	buf_adds(b, "</desc>");
}

/* Bars, grouped and stacked bars, the ladder: a label line above each
 * category's bars, values after them. */
static double draw_cats(struct buf *b, struct buf *hit, const struct chart_data *d, const char *id,
			const struct chart_words *w)
{
	int grouped = d->kind == CHART_GROUPED, stacked = d->kind == CHART_STACKED, ladder = d->kind == CHART_LADDER;
	double room = widest_mark(d) + 6;
	if (room > W / 2)
		room = W / 2;
	double x0 = 1, x1 = W - room;
	double bars_h = grouped ? (double)(d->nseries ? d->nseries : 1) * (GBAR + 3) - 3 : BAR;
	double row = 20 + bars_h + 10;
	double top = 2, bottom = top + row * (double)d->ncats;
	double h = bottom + 20;
	struct buf desc = BUF_INIT;
	for (size_t i = 0; i < d->ncats; i++) {
		const struct chart_cat *c = &d->cats[i];
		if (i)
			buf_adds(&desc, w->sep);
		buf_adds(&desc, c->label);
		buf_adds(&desc, w->colon);
		for (size_t k = 0; k < c->nmarks; k++) {
			if (k)
				buf_adds(&desc, ", ");
			if (d->nseries > k && (grouped || stacked))
				buf_addf(&desc, "%s %s", d->series[k], c->marks[k].text);
			else
				buf_adds(&desc, c->marks[k].text);
		}
		if (c->step)
			buf_addf(&desc, " (%s)", c->step);
	}
	svg_open(b, id, h);
	title_desc(b, id, d, desc.ptr);
	buf_release(&desc);
	value_ticks(b, d, x0, x1, top, bottom);
	for (size_t i = 0; i < d->ncats; i++) {
		const struct chart_cat *c = &d->cats[i];
		double y = top + row * (double)i;
		struct buf lab = BUF_INIT;
		buf_adds(&lab, c->label);
		if (c->step)
			buf_addf(&lab, " · %s", c->step);
		text_at(b, x0, y + 13, "start", "chart-label", lab.ptr, W);
		buf_release(&lab);
		double by = y + 20;
		double acc = 0;
		for (size_t k = 0; k < c->nmarks; k++) {
			const struct chart_mark *m = &c->marks[k];
			double a, z;
			if (stacked)
				a = acc, z = acc + m->v, acc = z;
			else if (ladder)
				a = i ? d->cats[i - 1].marks[0].v : 0, z = m->v;
			else
				a = 0, z = m->v;
			double xa = scale(a, d->lo, d->hi, x0, x1), xz = scale(z, d->lo, d->hi, x0, x1);
			double yk = grouped ? by + (GBAR + 3) * (double)k : by;
			double hk = grouped ? GBAR : BAR;
			char cls[48];
			snprintf(cls, sizeof cls, "chart-mark chart-s%zu", (grouped || stacked ? k : 0) % 6 + 1);
			struct buf hover = BUF_INIT;
			if ((grouped || stacked) && k < d->nseries)
				buf_addf(&hover, "%s, %s%s%s", c->label, d->series[k], w->colon, m->text);
			else
				buf_addf(&hover, "%s%s%s", c->label, w->colon, m->text);
			link_open(hit, m->name, hover.ptr);
			buf_release(&hover);
			rect(hit, fabs(xz - xa) < 8 ? xa - 4 : xa, yk - 1, fabs(xz - xa) < 8 ? 8 : xz - xa, hk + 2, "chart-hit");
			buf_adds(hit, "</a>");
			rect(b, xa, yk, xz - xa, hk, cls);
			if (ladder && i)
				line_at(b, xa, yk - 30 + BAR, xa, yk, "chart-step");
			if (!stacked)
				text_at(b, (xz > xa ? xz : xa) + 4, yk + hk - 3.5, "start", "chart-value", m->text, 0);
		}
		if (stacked && c->total)
			text_at(b, scale(acc, d->lo, d->hi, x0, x1) + 4, by + BAR - 3.5, "start", "chart-value", c->total, 0);
	}
	buf_adds(b, "</svg>");
	return h;
}

/* A line over the swept input: y ticks on the left, x ticks below, the
 * published point marked. */
static double draw_line(struct buf *b, struct buf *hit, const struct chart_data *d, const char *id,
			const struct chart_words *w)
{
	double left = 0;
	for (size_t i = 0; i < d->nticks; i++)
		if (text_w(d->ticks[i].text) > left)
			left = text_w(d->ticks[i].text);
	left += 8;
	if (left > W / 3)
		left = W / 3;
	/* one line: its label names the value axis, above it (several: the legend does) */
	int ylabel = d->nlines == 1;
	double right = W - 10, top = ylabel ? 30 : 12, bottom = ylabel ? 200 : 182, h = bottom + 40;
	struct buf desc = BUF_INIT;
	for (size_t i = 0; i < d->nlines; i++) {
		const struct chart_line *l = &d->lines[i];
		if (i)
			buf_adds(&desc, w->sep);
		buf_addf(&desc, w->from_to, l->label, l->texts[0], d->xtexts[0], l->texts[d->nx - 1], d->xtexts[d->nx - 1]);
	}
	svg_open(b, id, h);
	title_desc(b, id, d, desc.ptr);
	buf_release(&desc);
	if (ylabel)
		text_at(b, 0, 15, "start", "chart-label", d->lines[0].label, W);
	for (size_t i = 0; i < d->nticks; i++) {
		double y = scale(d->ticks[i].v, d->lo, d->hi, bottom, top);
		line_at(b, left, y, right, y, d->ticks[i].v == 0 ? "chart-axis" : "chart-grid");
		text_at(b, left - 5, y + 4, "end", "chart-tick", d->ticks[i].text, 0);
	}
	double xgap = d->nxticks > 1 ? scale(d->xticks[1].v, d->xlo, d->xhi, left, right) -
					  scale(d->xticks[0].v, d->xlo, d->xhi, left, right) : right - left;
	size_t every = label_every(d->xticks, d->nxticks, xgap);
	for (size_t i = 0; i < d->nxticks; i++) {
		double x = scale(d->xticks[i].v, d->xlo, d->xhi, left, right);
		line_at(b, x, bottom, x, bottom + 4, "chart-axis");
		const char *anchor = x - left < 12 ? "start" : right - x < 12 ? "end" : "middle";
		text_at(b, x, bottom + 16, anchor, "chart-tick", i % every ? "" : d->xticks[i].text, 0);
	}
	text_at(b, (left + right) / 2, bottom + 34, "middle", "chart-label", d->xlabel, right - left);
	/* the published values' labels, kept a line apart (top to bottom in
	 * the order of the points) */
	double *ly = xcalloc(d->nlines + 1, sizeof *ly);
	size_t *order = xcalloc(d->nlines + 1, sizeof *order);
	for (size_t i = 0; i < d->nlines; i++) {
		ly[i] = scale(d->lines[i].at, d->lo, d->hi, bottom, top) - 7;
		order[i] = i;
		for (size_t j = i; j > 0 && ly[order[j - 1]] > ly[order[j]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1], order[j - 1] = t;
		}
	}
	for (size_t j = 1; j < d->nlines; j++)
		if (ly[order[j]] < ly[order[j - 1]] + 18)
			ly[order[j]] = ly[order[j - 1]] + 18;
	for (size_t i = 0; i < d->nlines; i++) {
		const struct chart_line *l = &d->lines[i];
		char cls[48];
		snprintf(cls, sizeof cls, "chart-line chart-s%zu", i % 6 + 1);
		struct buf hover = BUF_INIT;
		buf_addf(&hover, "%s%s%s", l->label, w->colon, l->at_text);
		struct buf pts = BUF_INIT;
		for (size_t k = 0; k < d->nx; k++) {
			if (k)
				buf_adds(&pts, " ");
			num(&pts, scale(d->xs[k], d->xlo, d->xhi, left, right));
			buf_adds(&pts, ",");
			num(&pts, scale(l->ys[k], d->lo, d->hi, bottom, top));
		}
		buf_addf(b, "<polyline class=\"%s\" points=\"%s\"/>", cls, pts.ptr);
		link_open(hit, l->name, hover.ptr);
		buf_release(&hover);
		buf_addf(hit, "<polyline class=\"chart-hit-line\" points=\"%s\"/>", pts.ptr);
		buf_release(&pts);
		double px = scale(d->xat, d->xlo, d->xhi, left, right), py = scale(l->at, d->lo, d->hi, bottom, top);
		/* the published point; drawn empty when the published input lies
		 * outside the sweep (the elements stay, see text_at) */
		int inside = d->xat >= d->xlo && d->xat <= d->xhi;
		snprintf(cls, sizeof cls, "chart-point chart-s%zu", i % 6 + 1);
		buf_adds(b, "<circle cx=\"");
		num(b, inside ? px : left);
		buf_adds(b, "\" cy=\"");
		num(b, inside ? py : bottom);
		buf_addf(b, "\" r=\"%d\" class=\"%s\"/>", inside ? 4 : 0, cls);
		buf_adds(hit, "</a>");
		int rightward = px < (left + right) / 2;
		text_at(b, inside ? px + (rightward ? 7 : -7) : left, inside ? ly[i] : bottom, rightward ? "start" : "end",
			"chart-value", inside ? l->at_text : "", 0);
	}
	free(ly);
	free(order);
	buf_adds(b, "</svg>");
	return h;
}

static void legend(struct buf *b, char **labels, size_t n)
{
	buf_adds(b, "<ul class=\"chart-legend\">");
	for (size_t k = 0; k < n; k++) {
		buf_addf(b, "<li><span class=\"chart-key chart-s%zu\" aria-hidden=\"true\"></span>", k % 6 + 1);
		html(b, labels[k]);
		buf_adds(b, "</li>");
	}
	buf_adds(b, "</ul>");
}

static void cell_link(struct buf *b, const char *name, const char *text)
{
	buf_adds(b, "<a href=\"#calc-");
	html(b, name);
	buf_adds(b, "\">");
	html(b, text);
	buf_adds(b, "</a>");
}

/* The numbers as a table: what a screen reader reads, what anyone can copy. */
static void data_table(struct buf *b, const struct chart_data *d, const struct chart_words *w)
{
	buf_adds(b, "<details class=\"chart-data\"><summary>");
	html(b, w->data);
	buf_adds(b, "</summary><table><thead><tr>");
	if (d->kind == CHART_LINE) {
		buf_adds(b, "<th scope=\"col\">");
		html(b, d->xlabel);
		buf_adds(b, "</th>");
		for (size_t i = 0; i < d->nlines; i++) {
			buf_adds(b, "<th scope=\"col\">");
			cell_link(b, d->lines[i].name, d->lines[i].label);
			buf_adds(b, "</th>");
		}
		buf_adds(b, "</tr></thead><tbody>");
		for (size_t k = 0; k < d->nx; k++) {
			buf_adds(b, "<tr><th scope=\"row\">");
			html(b, d->xtexts[k]);
			buf_adds(b, "</th>");
			for (size_t i = 0; i < d->nlines; i++) {
				buf_adds(b, "<td>");
				html(b, d->lines[i].texts[k]);
				buf_adds(b, "</td>");
			}
			buf_adds(b, "</tr>");
		}
	} else {
		int multi = d->kind == CHART_GROUPED || d->kind == CHART_STACKED;
		buf_adds(b, "<td></td>");
		if (multi) {
			for (size_t k = 0; k < d->nseries; k++) {
				buf_adds(b, "<th scope=\"col\">");
				html(b, d->series[k]);
				buf_adds(b, "</th>");
			}
		} else {
			buf_adds(b, "<th scope=\"col\">");
			html(b, *d->title ? d->title : w->data);
			buf_adds(b, "</th>");
		}
		buf_adds(b, "</tr></thead><tbody>");
		for (size_t i = 0; i < d->ncats; i++) {
			const struct chart_cat *c = &d->cats[i];
			buf_adds(b, "<tr><th scope=\"row\">");
			html(b, c->label);
			buf_adds(b, "</th>");
			for (size_t k = 0; k < c->nmarks; k++) {
				buf_adds(b, "<td>");
				cell_link(b, c->marks[k].name, c->marks[k].text);
				if (c->step && !multi) {
					buf_adds(b, " <span>(");
					html(b, c->step);
					buf_adds(b, ")</span>");
				}
				buf_adds(b, "</td>");
			}
			buf_adds(b, "</tr>");
		}
	}
	buf_adds(b, "</tbody></table></details>");
}

void chartsvg_render(struct buf *out, const struct chart_data *d, const char *id, const struct chart_words *w)
{
	buf_addf(out, "<figure class=\"chart chart-%s\" id=\"%s\">", chart_kind_name(d->kind), id);
	if (*d->title) {
		buf_adds(out, "<figcaption>");
		html(out, d->title);
		buf_adds(out, "</figcaption>");
	}
	if ((d->kind == CHART_GROUPED || d->kind == CHART_STACKED) && d->nseries)
		legend(out, d->series, d->nseries);
	if (d->kind == CHART_LINE && d->nlines > 1) {
		char **labels = xcalloc(d->nlines, sizeof *labels);
		for (size_t i = 0; i < d->nlines; i++)
			labels[i] = d->lines[i].label;
		legend(out, labels, d->nlines);
		free(labels);
	}
	/* The drawing is an image (role="img": its title and description are
	 * what assistive technology reads); the links of its marks lie in a
	 * second SVG over it, hidden from that technology, since an image may
	 * hold nothing interactive. */
	struct buf hit = BUF_INIT;
	buf_adds(out, "<div class=\"chart-plot\">");
	double h = d->kind == CHART_LINE ? draw_line(out, &hit, d, id, w) : draw_cats(out, &hit, d, id, w);
	buf_adds(out, "<svg class=\"chart-hits\" viewBox=\"0 0 ");
	num(out, W);
	buf_adds(out, " ");
	num(out, h);
	buf_adds(out, "\" aria-hidden=\"true\">");
	buf_add(out, hit.ptr, hit.len);
	buf_adds(out, "</svg></div>");
	buf_release(&hit);
	if (d->kind == CHART_LINE) {
		buf_adds(out, "<p class=\"chart-note\"><span class=\"chart-key-point\" aria-hidden=\"true\">●</span> ");
		html(out, w->published);
		buf_adds(out, "</p>");
	}
	data_table(out, d, w);
	buf_adds(out, "</figure>\n");
}

/* ---- reading a figure back ----------------------------------------------- */

struct tok {
	long elem;          /* -1: the figure itself */
	const char *attr;   /* NULL: text of an element without child elements;
			       "\x01": text of one with them (never changed); borrowed */
	char *value;
};

struct toks {
	struct tok *v;
	size_t n, cap;
	char *names[32];    /* the attribute names seen, each once */
	size_t nnames;
};

static const char *intern(struct toks *t, const char *s, size_t n)
{
	for (size_t i = 0; i < t->nnames; i++)
		if (strlen(t->names[i]) == n && !strncmp(t->names[i], s, n))
			return t->names[i];
	if (t->nnames == sizeof t->names / sizeof *t->names)
		return "?"; /* never: this file writes a dozen names */
	return t->names[t->nnames++] = xstrndup(s, n);
}

static void tok_add(struct toks *t, long elem, const char *attr, const char *value, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	/* undo buf_add_html, in place (decoding only shortens) */
	static const struct { const char *ent; size_t n; char c; } ents[] = {
		{ "&amp;", 5, '&' }, { "&lt;", 4, '<' }, { "&gt;", 4, '>' }, { "&quot;", 6, '"' }, { "&#39;", 5, '\'' },
	};
	char *v = xstrndup(value, len), *o = v;
	for (const char *p = v; *p;) {
		size_t k = sizeof ents / sizeof *ents;
		if (*p == '&')
			for (k = 0; k < sizeof ents / sizeof *ents && strncmp(p, ents[k].ent, ents[k].n); k++)
				;
		if (k < sizeof ents / sizeof *ents)
			*o++ = ents[k].c, p += ents[k].n;
		else
			*o++ = *p++;
	}
	*o = '\0';
	/* attribute names are a few fixed strings: kept as given (borrowed) */
	t->v[t->n++] = (struct tok){ elem, attr, v };
}

static void toks_release(struct toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].value);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->v);
}

/* The attributes and texts of markup this file wrote (double-quoted
 * attributes, no comments, void elements closed with "/>"). */
static void tokenise(const char *s, struct toks *t)
{
	struct open { long elem; size_t kids; struct buf text; } stack[64];
	size_t depth = 0;
	long next = -1;
	for (size_t i = 0; s[i];) {
		if (s[i] != '<') {
			size_t j = i;
			while (s[j] && s[j] != '<')
				j++;
			if (depth)
				buf_add(&stack[depth - 1].text, s + i, j - i);
			i = j;
			continue;
		}
		if (s[i + 1] == '/') { /* an end tag */
			if (depth) {
				struct open *o = &stack[--depth];
				tok_add(t, o->elem, o->kids ? "\x01" : NULL, o->text.ptr, o->text.len);
				buf_release(&o->text);
			}
			while (s[i] && s[i] != '>')
				i++;
			i += s[i] == '>';
			continue;
		}
		long elem = next++;
		if (depth)
			stack[depth - 1].kids++;
		i++;
		while (s[i] && s[i] != ' ' && s[i] != '>' && s[i] != '/')
			i++;
		int closed = 0;
		for (;;) {
			while (s[i] == ' ')
				i++;
			if (!s[i] || s[i] == '>') {
				i += s[i] == '>';
				break;
			}
			if (s[i] == '/') {
				closed = 1;
				while (s[i] && s[i] != '>')
					i++;
				i += s[i] == '>';
				break;
			}
			size_t ns = i;
			while (s[i] && s[i] != '=' && s[i] != ' ' && s[i] != '>' && s[i] != '/')
				i++;
			const char *name = intern(t, s + ns, i - ns);
			if (s[i] == '=' && s[i + 1] == '"') {
				size_t vs = i + 2, ve = vs;
				while (s[ve] && s[ve] != '"')
					ve++;
				tok_add(t, elem, name, s + vs, ve - vs);
				i = ve + (s[ve] == '"');
			} else {
				tok_add(t, elem, name, "", 0);
			}
		}
		if (!closed && depth < sizeof stack / sizeof *stack) {
			stack[depth] = (struct open){ elem, 0, BUF_INIT };
			depth++;
		}
	}
	while (depth)
		buf_release(&stack[--depth].text);
}

static int same_slot(const struct tok *a, const struct tok *b)
{
	if (a->elem != b->elem)
		return 0;
	if (!a->attr || !b->attr)
		return !a->attr && !b->attr;
	return !strcmp(a->attr, b->attr);
}

struct chartsvg_slot *chartsvg_slots(const struct chart_data *d, const char *id, const struct chart_words *w,
				     size_t *n)
{
	*n = 0;
	struct buf b = BUF_INIT;
	chartsvg_render(&b, d, id, w);
	struct toks pub = { 0 };
	tokenise(b.ptr, &pub);
	struct toks *sc = xcalloc(d->nscen + 1, sizeof *sc);
	int ok = 1;
	for (size_t k = 0; k < d->nscen && ok; k++) {
		buf_truncate(&b, 0);
		chartsvg_render(&b, d->scen[k], id, w);
		tokenise(b.ptr, &sc[k]);
		ok = sc[k].n == pub.n;
		for (size_t j = 0; ok && j < pub.n; j++)
			ok = same_slot(&pub.v[j], &sc[k].v[j]) &&
			     !(pub.v[j].attr && !strcmp(pub.v[j].attr, "\x01") && strcmp(pub.v[j].value, sc[k].v[j].value)) &&
			     !(pub.v[j].elem < 0 && strcmp(pub.v[j].value, sc[k].v[j].value));
	}
	buf_release(&b);
	struct chartsvg_slot *out = NULL;
	if (ok) {
		out = xcalloc(pub.n + 1, sizeof *out);
		for (size_t j = 0; j < pub.n; j++) {
			size_t k = 0;
			while (k < d->nscen && !strcmp(sc[k].v[j].value, pub.v[j].value))
				k++;
			if (k == d->nscen)
				continue;
			struct chartsvg_slot *sl = &out[(*n)++];
			sl->elem = (size_t)pub.v[j].elem;
			sl->attr = xstrdup(pub.v[j].attr ? pub.v[j].attr : "");
			sl->values = xcalloc(d->nscen + 1, sizeof *sl->values);
			for (k = 0; k < d->nscen; k++)
				sl->values[k] = xstrdup(sc[k].v[j].value);
		}
	}
	for (size_t k = 0; k < d->nscen; k++)
		toks_release(&sc[k]);
	free(sc);
	toks_release(&pub);
	return out;
}

void chartsvg_slots_free(struct chartsvg_slot *s, size_t n, size_t nscen)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].attr);
		for (size_t k = 0; k < nscen; k++)
			free(s[i].values[k]);
		free(s[i].values);
	}
	free(s);
}
