/* calcrender — the model into the trees as custom nodes over text. */
#include "calcrender.h"
#include <jansson.h>
#include "buf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include "banned.h"

static cmark_node *custom(cmark_node_type type, const char *enter, const char *exit)
{
	cmark_node *n = cmark_node_new(type);
	cmark_node_set_on_enter(n, enter);
	cmark_node_set_on_exit(n, exit);
	return n;
}

static cmark_node *literal(cmark_node_type type, const char *s)
{
	cmark_node *n = cmark_node_new(type);
	cmark_node_set_literal(n, s);
	return n;
}

/* A table cell: <open>child</close>, the child a text or code node. */
static void add_cell(cmark_node *row, const char *open, const char *close, cmark_node_type type,
		     const char *s)
{
	cmark_node *c = custom(CMARK_NODE_CUSTOM_INLINE, open, close);
	if (s && *s)
		cmark_node_append_child(c, literal(type, s));
	cmark_node_append_child(row, c);
}

/* A line of the table: a custom block that only ends the line (cmark puts
 * a line break after a block) around the custom inline holding the line. */
static cmark_node *add_line(cmark_node *parent, const char *open, const char *close)
{
	cmark_node *blk = custom(CMARK_NODE_CUSTOM_BLOCK, "", "");
	cmark_node *in = custom(CMARK_NODE_CUSTOM_INLINE, open, close);
	cmark_node_append_child(blk, in);
	cmark_node_append_child(parent, blk);
	return in;
}

struct rowset { /* names already given a row (and id) on one page */
	const char **names;
	size_t n;
};

/* How many spans of one page cite each name, so that its row can link back
 * to each (calc-cite-NAME-K, K from 1 in page order). */
struct cites {
	const char **names;
	size_t *count, n;
};

static size_t *cite_slot(struct cites *c, const char *name, int add)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->names[i], name))
			return &c->count[i];
	if (!add)
		return NULL;
	c->names = xrealloc(c->names, (c->n + 1) * sizeof *c->names);
	c->count = xrealloc(c->count, (c->n + 1) * sizeof *c->count);
	c->names[c->n] = name;
	c->count[c->n] = 0;
	return &c->count[c->n++];
}

static int row_seen(const struct rowset *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return 1;
	return 0;
}

static void row_add(struct rowset *s, const char *name)
{
	s->names = xrealloc(s->names, (s->n + 1) * sizeof *s->names);
	s->names[s->n++] = name;
}

/* <table class="calc-table"> with its header line. */
static cmark_node *table_new(const struct calc_words *w)
{
	cmark_node *t = custom(CMARK_NODE_CUSTOM_BLOCK, "<table class=\"calc-table\">", "</table>");
	cmark_node *head = add_line(t, "<thead><tr>", "</tr></thead>");
	add_cell(head, "<th scope=\"col\">", "</th>", CMARK_NODE_TEXT, w->quantity);
	add_cell(head, "<th scope=\"col\" class=\"num\">", "</th>", CMARK_NODE_TEXT, w->value);
	add_cell(head, "<th scope=\"col\">", "</th>", CMARK_NODE_TEXT, w->basis);
	return t;
}

/* A row group (inputs or derived values) with its heading row; rows go
 * into the returned block. */
static cmark_node *group_new(cmark_node *table, const char *cls, const char *title)
{
	struct buf open = BUF_INIT;
	buf_addf(&open, "<tbody class=\"%s\">", cls);
	cmark_node *body = custom(CMARK_NODE_CUSTOM_BLOCK, open.ptr, "</tbody>");
	buf_release(&open);
	cmark_node_append_child(table, body);
	cmark_node *row = add_line(body, "<tr class=\"calc-group\">", "</tr>");
	add_cell(row, "<th scope=\"rowgroup\" colspan=\"3\">", "</th>", CMARK_NODE_TEXT, title);
	return body;
}

static void attr(struct buf *b, const char *name, const char *value);

/* A cell's opening tag with the header word small screens show beside it. */
static char *cell_open(const char *cls, const char *label)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "<td");
	if (cls)
		attr(&b, "class", cls);
	attr(&b, "data-label", label);
	buf_addch(&b, '>');
	return buf_detach(&b, NULL);
}

/* <a class="calc-source" href="href">text</a> */
static cmark_node *source_link(const char *href, const char *text)
{
	struct buf open = BUF_INIT;
	buf_adds(&open, "<a class=\"calc-source\"");
	attr(&open, "href", href);
	buf_addch(&open, '>');
	cmark_node *a = custom(CMARK_NODE_CUSTOM_INLINE, open.ptr, "</a>");
	buf_release(&open);
	cmark_node_append_child(a, literal(CMARK_NODE_TEXT, text));
	return a;
}

/* Where an input comes from: a link to its source (with where in it and
 * the words quoted), or the word for an assumption. */
static void basis_of_input(cmark_node *cell, const struct calc_value *v, size_t lang, const struct calc_words *w)
{
	if (v->cite_url) { /* another brief's value: its row there, in this language */
		cmark_node_append_child(cell, literal(CMARK_NODE_TEXT, w->from_open));
		cmark_node_append_child(cell, source_link(v->cite_url[lang], v->cite_title[lang]));
		cmark_node_append_child(cell, literal(CMARK_NODE_TEXT, w->from_close));
	} else if (v->source_url) {
		cmark_node_append_child(cell, source_link(v->source_url, w->source));
		struct buf more = BUF_INIT;
		if (v->source_at)
			buf_addf(&more, "%s%s%s", w->at_open, v->source_at, w->at_close);
		if (v->source_quote)
			buf_addf(&more, "%s%s%s", w->quote_open, v->source_quote, w->quote_close);
		if (more.len)
			cmark_node_append_child(cell, literal(CMARK_NODE_TEXT, more.ptr));
		buf_release(&more);
	} else if (v->assumption) {
		cmark_node *em = custom(CMARK_NODE_CUSTOM_INLINE, "<span class=\"calc-assumption\">", "</span>");
		cmark_node_append_child(em, literal(CMARK_NODE_TEXT, w->assumption));
		cmark_node_append_child(cell, em);
	}
}

/* One row: the label (the name below it, small), the value as the prose
 * shows it, then the formula of a derived value or where an input comes
 * from. The first row of a name on the page carries its id. */
static void table_row(cmark_node *body, const struct calc_value *v, const char *shown, size_t lang,
		      const struct calc_words *w, struct rowset *rows, struct cites *cites, long target)
{
	struct buf open = BUF_INIT;
	int first_row_of_page_done = row_seen(rows, v->name); /* back-links go on the row with the id */
	if (!first_row_of_page_done) {
		row_add(rows, v->name);
		buf_adds(&open, "<tr id=\"calc-");
		buf_add_html(&open, v->name, strlen(v->name));
		buf_adds(&open, "\">");
	} else {
		buf_adds(&open, "<tr>");
	}
	cmark_node *row = add_line(body, open.ptr, "</tr>");
	buf_release(&open);
	const char *label = v->label[lang] && *v->label[lang] ? v->label[lang] : NULL;
	cmark_node *head = custom(CMARK_NODE_CUSTOM_INLINE, "<th scope=\"row\">", "</th>");
	if (label) /* else the name alone */
		cmark_node_append_child(head, literal(CMARK_NODE_TEXT, label));
	cmark_node *name = custom(CMARK_NODE_CUSTOM_INLINE, label ? " <code class=\"calc-name\">" : "<code class=\"calc-name\">",
				  "</code>");
	cmark_node_append_child(name, literal(CMARK_NODE_TEXT, v->name));
	cmark_node_append_child(head, name);
	size_t *nc = cites ? cite_slot(cites, v->name, 0) : NULL;
	if (nc && *nc && !first_row_of_page_done) {
		/* the places in the text that cite it, each a link back */
		cmark_node *back = custom(CMARK_NODE_CUSTOM_INLINE, " <span class=\"calc-cites\">", "</span>");
		cmark_node_append_child(back, literal(CMARK_NODE_TEXT, w->cited));
		for (size_t k = 1; k <= *nc; k++) {
			struct buf a = BUF_INIT;
			buf_adds(&a, " <a href=\"#calc-cite-");
			buf_add_html(&a, v->name, strlen(v->name));
			buf_addch(&a, '-');
			size_t at = a.len;
			buf_addu(&a, k);
			char num[24];
			memcpy(num, a.ptr + at, a.len - at + 1);
			buf_adds(&a, "\" aria-label=\"");
			buf_addf(&a, w->cite_label, k, *nc);
			buf_adds(&a, "\">");
			cmark_node *link = custom(CMARK_NODE_CUSTOM_INLINE, a.ptr, "</a>");
			buf_release(&a);
			cmark_node_append_child(link, literal(CMARK_NODE_TEXT, num));
			cmark_node_append_child(back, link);
		}
		cmark_node_append_child(head, back);
	}
	cmark_node_append_child(row, head);
	char *num = cell_open("num", w->value);
	cmark_node *value = custom(CMARK_NODE_CUSTOM_INLINE, num, "</td>");
	free(num);
	char wi[64] = "<span class=\"calc-num\">";
	if (target >= 0) /* a what-if control changes it (whatif_page) */
		snprintf(wi, sizeof wi, "<span class=\"calc-num\" data-wi=\"%ld\">", target);
	cmark_node *span = custom(CMARK_NODE_CUSTOM_INLINE, wi, "</span>");
	cmark_node_append_child(span, literal(CMARK_NODE_TEXT, shown));
	cmark_node_append_child(value, span);
	cmark_node_append_child(row, value);
	char *how = cell_open("calc-basis", w->basis);
	cmark_node *basis = custom(CMARK_NODE_CUSTOM_INLINE, how, "</td>");
	free(how);
	if (CALC_IS_INPUT(v))
		basis_of_input(basis, v, lang, w);
	else
		cmark_node_append_child(basis, literal(CMARK_NODE_CODE, v->formula));
	cmark_node_append_child(row, basis);
}

/* How the page's prose shows a value: the text of the first span in this
 * language that cites just that name with a format (`= share | pct`), so
 * the table says 66% where the sentence does; else the default display. */
const char *calcrender_shown(const struct calc_source *src, const struct calc_model *m, size_t lang,
			     const struct calc_value *v)
{
	for (size_t i = 0; i < src->nspans && i < m->nrefs; i++) {
		const struct calc_span *sp = &src->spans[i];
		const struct calc_ref *r = &m->refs[i];
		if (sp->lang == lang && r->text && sp->spec && *sp->spec && r->name && !strcmp(sp->expr, v->name))
			return r->text;
	}
	return v->display[lang];
}

/* A table of the named values: inputs first, then derived values, each
 * group in the order given. */
/* The what-if target showing name's row on the page, or -1. */
static long row_target(const struct whatif_data *wd, const char *name)
{
	for (size_t i = 0; wd && i < wd->ntargets; i++)
		if (wd->targets[i].name && !strcmp(wd->targets[i].name, name))
			return (long)i;
	return -1;
}

static cmark_node *table_of(const char *const *names, size_t n, const struct calc_source *src,
			    const struct calc_model *m, size_t lang, const struct calc_words *w, struct rowset *rows,
			    struct cites *cites, const struct whatif_data *wd)
{
	cmark_node *t = table_new(w);
	for (int input = 1; input >= 0; input--) {
		cmark_node *body = NULL;
		for (size_t i = 0; i < n; i++) {
			const struct calc_value *v = calc_model_find(m, names[i]);
			if (!v || CALC_IS_INPUT(v) != input)
				continue;
			if (!body)
				body = group_new(t, input ? "calc-inputs" : "calc-derived", input ? w->inputs : w->derived);
			table_row(body, v, calcrender_shown(src, m, lang, v), lang, w, rows, cites, row_target(wd, v->name));
		}
	}
	return t;
}

static void attr(struct buf *b, const char *name, const char *value)
{
	buf_addch(b, ' ');
	buf_adds(b, name);
	buf_adds(b, "=\"");
	buf_add_html(b, value, strlen(value));
	buf_addch(b, '"');
}

/* The opening tag of one span's value: a link to its row, with the formula
 * and its inputs on hover (title) and for scripts (data-*); inside the text
 * of a link, where a link may not nest, a span with the same data. */
static void value_open(struct buf *open, const struct calc_ref *r, const struct calc_model *m, int in_link, long target,
		       size_t cite)
{
	struct buf inputs = BUF_INIT;
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct calc_value *v = calc_model_find(m, r->inputs[i]);
		if (i)
			buf_adds(&inputs, "; ");
		buf_adds(&inputs, r->inputs[i]);
		buf_addch(&inputs, '=');
		buf_adds(&inputs, v ? v->display[r->lang] : "?");
	}
	buf_adds(open, in_link ? "<span class=\"calc-value\"" : "<a class=\"calc-value\"");
	if (r->name && cite) {
		buf_adds(open, " id=\"calc-cite-");
		buf_adds(open, r->name);
		buf_addch(open, '-');
		buf_addu(open, cite);
		buf_addch(open, '"');
	}
	if (r->name) {
		if (!in_link) {
			buf_adds(open, " href=\"#calc-");
			buf_add_html(open, r->name, strlen(r->name));
			buf_addch(open, '"');
		}
		attr(open, "data-calc", r->name);
	}
	if (target >= 0) {
		char t[24];
		snprintf(t, sizeof t, "%ld", target);
		attr(open, "data-wi", t);
	}
	attr(open, "data-formula", r->formula);
	attr(open, "data-inputs", inputs.ptr);
	buf_addch(open, '>');
	buf_release(&inputs);
}

/* Puts the value of span in place of its code node: a custom inline over
 * a text node. A GFM table cell takes no custom inline (cmark-gfm's table
 * extension), so there the text node stands between the two tags as raw
 * inline HTML. */
static int inside(cmark_node *n, cmark_node_type type)
{
	for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
		if (cmark_node_get_type(p) == type)
			return 1;
	return 0;
}

static int in_link(cmark_node *n)
{
	return inside(n, CMARK_NODE_LINK);
}

/* A value in an image's description is alt text: no element, no id. */
static int citable(const struct calc_span *sp)
{
	return !inside(sp->node, CMARK_NODE_IMAGE);
}

static void put_value(const struct calc_span *span, const struct calc_ref *r, const struct calc_model *m,
		      size_t cite, long target)
{
	cmark_node *code = span->node;
	int link = in_link(code);
	const char *close = link ? "</span>" : "</a>";
	struct buf open = BUF_INIT;
	value_open(&open, r, m, link, target, cite);
	cmark_node *text = literal(CMARK_NODE_TEXT, r->text);
	cmark_node *n = custom(CMARK_NODE_CUSTOM_INLINE, open.ptr, close);
	cmark_node_append_child(n, text);
	if (cmark_node_replace(code, n)) {
		md_mark_value(n, span->expr);
	} else {
		cmark_node_unlink(text);
		cmark_node_free(n);
		cmark_node_insert_before(code, literal(CMARK_NODE_HTML_INLINE, open.ptr));
		cmark_node_insert_before(code, text);
		cmark_node_insert_before(code, literal(CMARK_NODE_HTML_INLINE, close));
		md_mark_value(text, span->expr);
		cmark_node_unlink(code);
	}
	cmark_node_free(code);
	buf_release(&open);
}

/* Numbers in attributes and JSON: shortest round-trip form, no locale. */
static void num_attr(struct buf *b, double v)
{
	char s[32];
	snprintf(s, sizeof s, "%.15g", v);
	buf_adds(b, s);
}

/* The what-if panel: a control per input (a slider over the positions, a
 * number field in the unit the input is shown in, the value as the page
 * shows it), a reset, and the grid as JSON for calc.js. Hidden until the
 * script shows it: without JavaScript the page is the published page. The
 * JSON holds each text once (strings) and, per target (an element with
 * data-wi="T"), the index of its text in every scenario. */
/* A chart that moves with the controls: what changes, per scenario. */
struct figure_slots {
	char id[32];
	struct chartsvg_slot *slots;
	size_t n, nscen;
};

/* The index of text in strings, adding it the first time (index: text -> place). */
static json_t *string_at(json_t *strings, json_t *index, const char *text)
{
	json_t *at = json_object_get(index, text);
	if (!at) {
		at = json_integer((json_int_t)json_array_size(strings));
		json_object_set_new(index, text, at);
		json_array_append_new(strings, json_string(text));
	}
	return at;
}

static void whatif_panel(struct buf *b, const struct whatif_data *d, const struct calc_words *w,
			 const struct figure_slots *figs, size_t nfigs)
{
	buf_adds(b, CALCRENDER_PAGE_ONLY "<div class=\"whatif\" id=\"whatif\" hidden><fieldset><legend>");
	buf_add_html(b, w->wi_legend, strlen(w->wi_legend));
	buf_adds(b, "</legend>");
	for (size_t i = 0; i < d->ncontrols; i++) {
		const struct whatif_ctl *c = &d->controls[i];
		double step = c->n > 1 ? (c->xs[c->n - 1] - c->xs[0]) / (double)(c->n - 1) : 1;
		buf_addf(b, "<div class=\"whatif-control\"><label for=\"wi-%zu\" id=\"wi-%zu-name\">", i, i);
		buf_add_html(b, c->label, strlen(c->label));
		buf_addf(b, "</label><input type=\"range\" id=\"wi-%zu\" min=\"0\" max=\"%zu\" step=\"1\" value=\"%zu\" "
			    "aria-valuetext=\"", i, c->n - 1, c->k);
		buf_add_html(b, c->texts[c->k], strlen(c->texts[c->k]));
		buf_addf(b, "\"><input type=\"number\" id=\"wi-%zu-n\" aria-labelledby=\"wi-%zu-name\" min=\"", i, i);
		num_attr(b, c->xs[0]);
		buf_adds(b, "\" max=\"");
		num_attr(b, c->xs[c->n - 1]);
		buf_adds(b, "\" step=\"");
		num_attr(b, step);
		buf_adds(b, "\" value=\"");
		num_attr(b, c->xs[c->k]);
		buf_addf(b, "\"><output id=\"wi-%zu-l\" for=\"wi-%zu wi-%zu-n\">", i, i, i);
		buf_add_html(b, c->texts[c->k], strlen(c->texts[c->k]));
		buf_adds(b, "</output></div>");
	}
	buf_adds(b, "<p class=\"whatif-actions\"><button type=\"button\" class=\"whatif-reset\" disabled>");
	buf_add_html(b, w->wi_reset, strlen(w->wi_reset));
	buf_adds(b, "</button></p><p class=\"whatif-note\" role=\"status\" data-note=\"");
	buf_add_html(b, w->wi_note, strlen(w->wi_note));
	buf_adds(b, "\"></p></fieldset></div>\n");

	json_t *root = json_object(), *ctls = json_array(), *strings = json_array(), *targets = json_array();
	json_t *index = json_object(); /* text -> its place in strings */
	for (size_t i = 0; i < d->ncontrols; i++) {
		const struct whatif_ctl *c = &d->controls[i];
		json_t *o = json_object(), *xs = json_array(), *texts = json_array();
		for (size_t k = 0; k < c->n; k++) {
			json_array_append_new(xs, json_real(c->xs[k]));
			json_array_append_new(texts, json_string(c->texts[k]));
		}
		json_object_set_new(o, "name", json_string(c->name));
		json_object_set_new(o, "xs", xs);
		json_object_set_new(o, "texts", texts);
		json_object_set_new(o, "k", json_integer((json_int_t)c->k));
		json_array_append_new(ctls, o);
	}
	for (size_t t = 0; t < d->ntargets; t++) {
		json_t *row = json_array();
		for (size_t s = 0; s < d->count; s++)
			json_array_append(row, string_at(strings, index, d->targets[t].texts[s]));
		json_array_append_new(targets, row);
	}
	json_t *figures = json_array();
	for (size_t f = 0; f < nfigs; f++) {
		json_t *fig = json_object(), *slots = json_array();
		for (size_t k = 0; k < figs[f].n; k++) {
			const struct chartsvg_slot *sl = &figs[f].slots[k];
			json_t *slot = json_array(), *vals = json_array();
			json_array_append_new(slot, json_integer((json_int_t)sl->elem));
			json_array_append_new(slot, json_string(sl->attr));
			for (size_t s = 0; s < figs[f].nscen; s++)
				json_array_append(vals, string_at(strings, index, sl->values[s]));
			json_array_append_new(slot, vals);
			json_array_append_new(slots, slot);
		}
		json_object_set_new(fig, "id", json_string(figs[f].id));
		json_object_set_new(fig, "slots", slots);
		json_array_append_new(figures, fig);
	}
	json_object_set_new(root, "controls", ctls);
	json_object_set_new(root, "strings", strings);
	json_object_set_new(root, "targets", targets);
	json_object_set_new(root, "figures", figures);
	char *js = json_dumps(root, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	buf_adds(b, "<script type=\"application/json\" id=\"whatif-data\">");
	buf_adds(b, js ? js : "{}");
	buf_adds(b, "</script>" CALCRENDER_PAGE_ONLY_END "\n");
	free(js);
	json_decref(index);
	json_decref(root);
}

void calcrender_page(struct md_doc *doc, const struct calc_source *src, const struct calc_model *m,
		     size_t lang, const struct calc_words *words)
{
	const struct whatif_data *wd = NULL;
	for (size_t i = 0; i < src->nwhatifs && i < m->nwhatifs; i++)
		if (src->whatifs[i].lang == lang && m->whatifs[i])
			wd = m->whatifs[i];
	struct rowset rows = { NULL, 0 }, missing = { NULL, 0 };
	struct cites cites = { NULL, NULL, 0 };
	for (size_t i = 0; i < src->nspans && i < m->nrefs; i++)
		if (src->spans[i].lang == lang && m->refs[i].text && m->refs[i].name && citable(&src->spans[i]))
			++*cite_slot(&cites, m->refs[i].name, 1);
	const char **names = xcalloc(src->ndefs + 1, sizeof *names);
	for (size_t b = 0; b < src->nblocks; b++) {
		if (src->blocks[b].lang != lang)
			continue;
		size_t n = 0;
		for (size_t i = 0; i < src->ndefs; i++)
			if (src->defs[i].block == b)
				names[n++] = src->defs[i].name;
		cmark_node *t = table_of(names, n, src, m, lang, words, &rows, &cites, wd);
		cmark_node_replace(src->blocks[b].node, t);
		cmark_node_free(src->blocks[b].node);
	}
	free(names);
	struct cites seen_cites = { NULL, NULL, 0 }; /* the K of each span's id */
	for (size_t i = 0; i < src->nspans && i < m->nrefs; i++) {
		const struct calc_ref *r = &m->refs[i];
		if (src->spans[i].lang != lang || !r->text)
			continue;
		if (r->name && !row_seen(&rows, r->name) && !row_seen(&missing, r->name))
			row_add(&missing, r->name);
		size_t *seen = r->name && citable(&src->spans[i]) ? cite_slot(&seen_cites, r->name, 1) : NULL;
		long target = -1;
		for (size_t t = 0; wd && t < wd->ntargets && target < 0; t++)
			if (wd->targets[t].ref == i)
				target = (long)t;
		put_value(&src->spans[i], r, m, seen ? ++*seen : 0, target);
	}
	free(seen_cites.names);
	free(seen_cites.count);
	size_t nth = 0, nfigs = 0;
	struct figure_slots *figs = xcalloc(src->ncharts + 1, sizeof *figs);
	for (size_t i = 0; i < src->ncharts && i < m->ncharts; i++) {
		const struct chart_data *d = m->charts[i];
		if (src->charts[i].lang != lang || !d)
			continue;
		/* every mark links to its value's row: the row must be here */
		for (size_t c = 0; c < d->ncats; c++)
			for (size_t k = 0; k < d->cats[c].nmarks; k++) {
				const char *n = d->cats[c].marks[k].name;
				if (!row_seen(&rows, n) && !row_seen(&missing, n))
					row_add(&missing, n);
			}
		for (size_t l = 0; l < d->nlines; l++)
			if (!row_seen(&rows, d->lines[l].name) && !row_seen(&missing, d->lines[l].name))
				row_add(&missing, d->lines[l].name);
		struct buf fig = BUF_INIT;
		char id[32];
		snprintf(id, sizeof id, "chart-%zu", ++nth);
		chartsvg_render(&fig, d, id, &words->chart);
		if (wd && d->nscen == wd->count) {
			/* NULL (the figures differ in their elements) leaves the
			 * chart as published; chartsvg.c keeps them alike */
			struct figure_slots *fs = &figs[nfigs];
			fs->slots = chartsvg_slots(d, id, &words->chart, &fs->n);
			fs->nscen = d->nscen;
			snprintf(fs->id, sizeof fs->id, "%s", id);
			if (fs->slots)
				nfigs++;
		}
		/* a custom block, not raw HTML: GFM's tagfilter would escape the
		 * SVG's <title> */
		cmark_node *html = custom(CMARK_NODE_CUSTOM_BLOCK, fig.ptr, "");
		buf_release(&fig);
		cmark_node_replace(src->charts[i].node, html);
		cmark_node_free(src->charts[i].node);
	}
	for (size_t i = 0; i < src->nwhatifs; i++) {
		if (src->whatifs[i].lang != lang)
			continue;
		struct buf panel = BUF_INIT;
		if (wd)
			whatif_panel(&panel, wd, words, figs, nfigs);
		cmark_node *html = custom(CMARK_NODE_CUSTOM_BLOCK, panel.ptr, "");
		buf_release(&panel);
		cmark_node_replace(src->whatifs[i].node, html);
		cmark_node_free(src->whatifs[i].node);
	}
	for (size_t f = 0; f < nfigs; f++)
		chartsvg_slots_free(figs[f].slots, figs[f].n, figs[f].nscen);
	free(figs);
	if (missing.n) {
		/* Values cited here but defined only in another language's file
		 * still get a row on this page, so every link lands. */
		cmark_node *t = table_of(missing.names, missing.n, src, m, lang, words, &rows, &cites, wd);
		cmark_node_append_child(md_root(doc), t);
	}
	free(rows.names);
	free(missing.names);
	free(cites.names);
	free(cites.count);
}
