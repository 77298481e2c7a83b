/* chart — reading `chart` blocks. */
#include "chart.h"
#include "xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

static const char *const kinds[] = { "bars", "grouped", "stacked", "ladder", "line" };

const char *chart_kind_name(enum chart_kind k)
{
	return kinds[k];
}

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static int is_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static int is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of ':' or '：' at s, else 0. */
static size_t colon_at(const char *s)
{
	if (*s == ':')
		return 1;
	if (!strncmp(s, "\xef\xbc\x9a", 3))
		return 3;
	return 0;
}

/* When the line s (n bytes) is `word:` (word exactly, any spaces before the
 * colon), the offset just past the colon, else 0. */
static size_t keyword(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	if (n < w || strncmp(s, word, w))
		return 0;
	size_t i = w;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t c = i < n ? colon_at(s + i) : 0;
	return c ? i + c : 0;
}

/* Splits text at ',' (or '，') into trimmed parts. */
static char **split_commas(const char *s, size_t n, size_t *count)
{
	char **v = NULL;
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t c = i == n ? 1 : s[i] == ',' ? 1 : !strncmp(s + i, "\xef\xbc\x8c", 3) && i + 3 <= n ? 3 : 0;
		if (!c)
			continue;
		v = xrealloc(v, (k + 1) * sizeof *v);
		v[k++] = trimmed(s + start, i - start);
		start = i + c;
		i += c - 1;
	}
	*count = k;
	return v;
}

static int number(const char **p, const char *end, double *out)
{
	const char *s = *p;
	while (s < end && *s == ' ')
		s++;
	char tmp[64];
	size_t n = 0;
	while (s + n < end && n < sizeof tmp - 1 && (isdigit((unsigned char)s[n]) || strchr("+-.eE_", s[n])))
		n++;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			tmp[k++] = s[i];
	tmp[k] = '\0';
	char *e;
	double v = k ? strtod(tmp, &e) : 0;
	if (!k || *e || !isfinite(v))
		return -1;
	*out = v;
	*p = s + n;
	return 0;
}

/* `NAME from A to B [step S]` at s (n bytes; col: its column): the name,
 * the numbers, where the name stands. what: the syntax, for messages. */
static int parse_range(const char *file, const char *s, size_t n, int line, int col, const char *what,
		       int need_step, char **name, double *from, double *to, double *step, int *name_col,
		       struct diag_list *dl)
{
	const char *p = s, *end = s + n;
	while (p < end && *p == ' ')
		p++;
	const char *ns = p;
	while (p < end && is_ident(*p))
		p++;
	if (p == ns || !is_ident_start(*ns))
		return diag_error(dl, (struct srcpos){ file, line, col + (int)(ns - s) }, "expected '%s'", what);
	*name = xstrndup(ns, (size_t)(p - ns));
	*name_col = col + (int)(ns - s);
	const char *words[] = { "from", "to", "step" };
	double *vals[] = { from, to, step };
	for (int w = 0; w < 3; w++) {
		while (p < end && *p == ' ')
			p++;
		size_t wl = strlen(words[w]);
		if (w == 2 && p == end && !need_step)
			break;
		if ((size_t)(end - p) < wl + 1 || strncmp(p, words[w], wl) || p[wl] != ' ' ||
		    (p += wl, number(&p, end, vals[w]) < 0))
			return diag_error(dl, (struct srcpos){ file, line, col + (int)(p - s) },
					  "expected '%s' (numbers in the unit the input is shown in)", what);
	}
	while (p < end && *p == ' ')
		p++;
	if (p != end)
		return diag_error(dl, (struct srcpos){ file, line, col + (int)(p - s) }, "unexpected text after '%s'", what);
	if (*step < 0 || (need_step && *step == 0))
		return diag_error(dl, (struct srcpos){ file, line, col }, "a step is a positive number");
	return 0;
}

static int parse_sweep(struct chart_spec *c, const char *s, size_t n, int line, int col, struct diag_list *dl)
{
	c->sweep_line = line;
	return parse_range(c->file, s, n, line, col, "sweep: NAME from A to B [step S]", 0, &c->sweep, &c->from,
			   &c->to, &c->step, &c->sweep_col, dl);
}

/* A line of value names, then an optional `-- label`. */
static int parse_item(struct chart_spec *c, const char *s, size_t n, int line, int col0, struct diag_list *dl)
{
	struct chart_item it = { 0 };
	it.line = line;
	size_t i = 0;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n || !is_ident_start(s[i])) {
			for (size_t k = 0; k < it.nnames; k++)
				free(it.names[k]);
			free(it.names);
			free(it.cols);
			return diag_error(dl, (struct srcpos){ c->file, line, col0 + (int)i },
					  "expected a value name (a chart line names values: 'a, b -- label')");
		}
		size_t st = i;
		while (i < n && is_ident(s[i]))
			i++;
		it.names = xrealloc(it.names, (it.nnames + 1) * sizeof *it.names);
		it.cols = xrealloc(it.cols, (it.nnames + 1) * sizeof *it.cols);
		it.names[it.nnames] = xstrndup(s + st, i - st);
		it.cols[it.nnames++] = col0 + (int)st;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == ',') {
			i++;
			continue;
		}
		if (i + 3 <= n && !strncmp(s + i, "\xef\xbc\x8c", 3)) {
			i += 3;
			continue;
		}
		break;
	}
	if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
		it.label = trimmed(s + i + 2, n - i - 2);
		i = n;
	}
	if (!it.label)
		it.label = xstrdup("");
	c->items = xrealloc(c->items, (c->nitems + 1) * sizeof *c->items);
	c->items[c->nitems++] = it;
	if (i < n)
		return diag_error(dl, (struct srcpos){ c->file, line, col0 + (int)i },
				  "expected ',' or '-- label' after a value name");
	return 0;
}

int chart_parse(struct chart_spec *c, const char *lit, const char *file, int line, int col0,
		struct diag_list *dl)
{
	memset(c, 0, sizeof *c);
	c->file = file;
	c->line = line;
	c->col = col0;
	int r = 0, have_kind = 0;
	for (const char *s = lit; *s; line++) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len && s[len - 1] == '\r')
			len--;
		size_t i = 0;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		const char *t = s + i;
		size_t tl = len - i;
		int col = col0 + (int)i;
		size_t k;
		if (!tl || (tl >= 2 && t[0] == '-' && t[1] == '-')) {
			/* blank or comment */
		} else if (!have_kind) {
			size_t w = 0;
			while (w < tl && isalpha((unsigned char)t[w]))
				w++;
			int kind = -1;
			for (size_t q = 0; q < sizeof kinds / sizeof *kinds; q++)
				if (w == strlen(kinds[q]) && !strncmp(t, kinds[q], w))
					kind = (int)q;
			size_t after = w;
			while (after < tl && t[after] == ' ')
				after++;
			size_t cl = after < tl ? colon_at(t + after) : 0;
			if (kind < 0 || (after < tl && !cl)) {
				r = diag_error(dl, (struct srcpos){ file, line, col },
					       "a chart begins with its kind: bars, grouped, stacked, ladder or line "
					       "(then ': title')");
				break;
			}
			have_kind = 1;
			c->kind = (enum chart_kind)kind;
			c->line = line;
			c->col = col;
			c->title = cl ? trimmed(t + after + cl, tl - after - cl) : xstrdup("");
		} else if ((k = keyword(t, tl, "series"))) {
			for (size_t q = 0; q < c->nseries; q++)
				free(c->series[q]);
			free(c->series);
			c->series = split_commas(t + k, tl - k, &c->nseries);
		} else if ((k = keyword(t, tl, "format"))) {
			free(c->format);
			c->format = trimmed(t + k, tl - k);
			c->format_line = line;
			c->format_col = col + (int)k;
			while (c->format_col < col + (int)tl && t[c->format_col - col] == ' ')
				c->format_col++;
		} else if ((k = keyword(t, tl, "sweep"))) {
			if (c->sweep) {
				r = diag_error(dl, (struct srcpos){ file, line, col }, "a chart sweeps one input");
			} else if (c->kind != CHART_LINE) {
				r = diag_error(dl, (struct srcpos){ file, line, col },
					       "only a line chart sweeps an input (this one is '%s')", kinds[c->kind]);
			} else {
				r |= parse_sweep(c, t + k, tl - k, line, col + (int)k, dl);
			}
		} else {
			r |= parse_item(c, t, tl, line, col, dl);
		}
		s = e ? e + 1 : s + strlen(s);
	}
	if (!have_kind && r == 0)
		r = diag_error(dl, (struct srcpos){ file, c->line, col0 },
			       "empty chart: begin with its kind (bars, grouped, stacked, ladder or line)");
	if (!c->title)
		c->title = xstrdup("");
	if (!c->format)
		c->format = xstrdup("");
	return r < 0 ? -1 : 0;
}

void chart_spec_release(struct chart_spec *c)
{
	free(c->title);
	free(c->format);
	for (size_t i = 0; i < c->nseries; i++)
		free(c->series[i]);
	free(c->series);
	for (size_t i = 0; i < c->nitems; i++) {
		for (size_t k = 0; k < c->items[i].nnames; k++)
			free(c->items[i].names[k]);
		free(c->items[i].names);
		free(c->items[i].cols);
		free(c->items[i].label);
	}
	free(c->items);
	free(c->sweep);
	memset(c, 0, sizeof *c);
}

static void free_ticks(struct chart_tick *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].text);
	free(t);
}

void chart_data_free(struct chart_data *d)
{
	if (!d)
		return;
	free(d->title);
	free_ticks(d->ticks, d->nticks);
	for (size_t i = 0; i < d->nseries; i++)
		free(d->series[i]);
	free(d->series);
	for (size_t i = 0; i < d->ncats; i++) {
		struct chart_cat *c = &d->cats[i];
		free(c->label);
		for (size_t k = 0; k < c->nmarks; k++) {
			free(c->marks[k].name);
			free(c->marks[k].text);
		}
		free(c->marks);
		free(c->total);
		free(c->step);
	}
	free(d->cats);
	free(d->xname);
	free(d->xlabel);
	free(d->xs);
	for (size_t i = 0; i < d->nx; i++)
		free(d->xtexts[i]);
	free(d->xtexts);
	free_ticks(d->xticks, d->nxticks);
	for (size_t i = 0; i < d->nlines; i++) {
		struct chart_line *l = &d->lines[i];
		free(l->name);
		free(l->label);
		free(l->ys);
		for (size_t k = 0; k < d->nx; k++)
			free(l->texts[k]);
		free(l->texts);
		free(l->at_text);
	}
	free(d->lines);
	for (size_t i = 0; i < d->nscen; i++)
		chart_data_free(d->scen[i]);
	free(d->scen);
	free(d);
}

int whatif_parse(struct whatif_spec *w, const char *lit, const char *file, int line, int col0,
		 struct diag_list *dl)
{
	memset(w, 0, sizeof *w);
	w->file = file;
	w->line = line;
	w->col = col0;
	int r = 0;
	for (const char *s = lit; *s; line++) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len && s[len - 1] == '\r')
			len--;
		size_t i = 0;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && !(len - i >= 2 && s[i] == '-' && s[i + 1] == '-')) {
			struct whatif_control c = { 0 };
			c.line = line;
			if (parse_range(file, s + i, len - i, line, col0 + (int)i, "NAME from A to B step S", 1, &c.name,
					&c.from, &c.to, &c.step, &c.col, dl) < 0) {
				free(c.name);
				r = -1;
			} else {
				w->controls = xrealloc(w->controls, (w->ncontrols + 1) * sizeof *w->controls);
				w->controls[w->ncontrols++] = c;
			}
		}
		s = e ? e + 1 : s + strlen(s);
	}
	return r;
}

void whatif_spec_release(struct whatif_spec *w)
{
	for (size_t i = 0; i < w->ncontrols; i++)
		free(w->controls[i].name);
	free(w->controls);
	memset(w, 0, sizeof *w);
}

void whatif_data_free(struct whatif_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ncontrols; i++) {
		struct whatif_ctl *c = &d->controls[i];
		free(c->name);
		free(c->label);
		free(c->xs);
		for (size_t k = 0; k < c->n; k++)
			free(c->texts[k]);
		free(c->texts);
	}
	free(d->controls);
	for (size_t i = 0; i < d->ntargets; i++) {
		free(d->targets[i].name);
		for (size_t k = 0; k < d->count; k++)
			free(d->targets[i].texts[k]);
		free(d->targets[i].texts);
	}
	free(d->targets);
	free(d);
}
