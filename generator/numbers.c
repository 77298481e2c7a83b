/* numbers — numbers.json from the C model. */
#include "numbers.h"
#include "xalloc.h"
#include "fsutil.h"
#include "blob.h"
#include "sink.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include "banned.h"

/* Whether a span of language lang cites name. */
static int cited_in(const struct calc_model *m, size_t lang, const char *name)
{
	for (size_t r = 0; r < m->nrefs; r++) {
		if (m->refs[r].lang != lang)
			continue;
		for (size_t c = 0; c < m->refs[r].ncites; c++)
			if (!strcmp(m->refs[r].cites[c], name))
				return 1;
	}
	return 0;
}

void numbers_json(const struct calc_model *m, const struct brief *b, const struct config *cfg,
		  struct buf *out)
{
	json_t *root = json_object();
	json_object_set_new(root, "brief", json_string(b->slug));
	json_t *values = json_array();
	for (size_t i = 0; i < m->nvalues; i++) {
		const struct calc_value *cv = &m->values[i];
		json_t *v = json_object();
		json_object_set_new(v, "name", json_string(cv->name));
		json_t *labels = json_object(), *display = json_object();
		for (size_t k = 0; k < cfg->nlangs; k++) {
			json_object_set_new(labels, cfg->langs[k].code, json_string(cv->label[k]));
			json_object_set_new(display, cfg->langs[k].code, json_string(cv->display[k]));
		}
		json_object_set_new(v, "label", labels);
		json_object_set_new(v, "kind", json_string(CALC_IS_INPUT(cv) ? "input" : "derived"));
		json_object_set_new(v, "formula", json_string(cv->formula));
		json_t *inputs = json_array();
		for (size_t k = 0; k < cv->ninputs; k++)
			json_array_append_new(inputs, json_string(cv->inputs[k]));
		json_object_set_new(v, "inputs", inputs);
		json_object_set_new(v, "value", json_real(cv->value));
		json_object_set_new(v, "unit", json_string(cv->unit));
		json_object_set_new(v, "dimensions", json_string(cv->dims));
		json_object_set_new(v, "display", display);
		if (cv->source_url) {
			json_t *src = json_object();
			json_object_set_new(src, "url", json_string(cv->source_url));
			if (cv->cite_slug) { /* another brief's value (cites.h) */
				json_object_set_new(src, "brief", json_string(cv->cite_slug));
				json_object_set_new(src, "name", json_string(cv->cite_name));
			}
			if (cv->source_at)
				json_object_set_new(src, "at", json_string(cv->source_at));
			if (cv->source_quote)
				json_object_set_new(src, "quote", json_string(cv->source_quote));
			json_object_set_new(v, "source", src);
		}
		if (CALC_IS_INPUT(cv))
			json_object_set_new(v, "assumption", json_boolean(cv->assumption));
		const char *rel = strstr(cv->file, "content/");
		json_object_set_new(v, "file", json_string(rel ? rel : cv->file));
		json_object_set_new(v, "line", json_integer(cv->line));
		json_t *cited = json_array();
		for (size_t k = 0; k < cfg->nlangs; k++)
			if (b->pages[k] && cited_in(m, k, cv->name))
				json_array_append_new(cited, json_string(b->pages[k]->url));
		json_object_set_new(v, "cited_by", cited);
		json_array_append_new(values, v);
	}
	json_object_set_new(root, "values", values);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	buf_adds(out, s);
	buf_addch(out, '\n');
	free(s);
	json_decref(root);
}

static void csv_field(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_addch(b, ',');
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(b, '"');
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

void numbers_csv(const struct calc_model *m, const struct brief *b, const struct config *cfg, struct buf *out)
{
	for (size_t i = 0; i < m->nvalues; i++) {
		const struct calc_value *cv = &m->values[i];
		char num[64], line[24];
		/* as numbers_csv_rows prints what numbers.json holds: 15 figures */
		snprintf(num, sizeof num, "%.15g", cv->value);
		snprintf(line, sizeof line, "%d", cv->line);
		struct buf inputs = BUF_INIT;
		for (size_t k = 0; k < cv->ninputs; k++)
			buf_addf(&inputs, "%s%s", k ? " " : "", cv->inputs[k]);
		buf_addch(&inputs, '\0');
		const char *rel = strstr(cv->file, "content/");
		csv_field(out, b->slug, 1);
		csv_field(out, cv->name, 0);
		csv_field(out, CALC_IS_INPUT(cv) ? "input" : "derived", 0);
		csv_field(out, num, 0);
		csv_field(out, cv->unit, 0);
		csv_field(out, cv->dims, 0);
		csv_field(out, cv->formula, 0);
		csv_field(out, inputs.ptr, 0);
		for (size_t k = 0; k < cfg->nlangs; k++)
			csv_field(out, cv->label[k], 0);
		for (size_t k = 0; k < cfg->nlangs; k++)
			csv_field(out, cv->display[k], 0);
		csv_field(out, CALC_IS_INPUT(cv) ? (cv->assumption ? "yes" : "no") : "", 0);
		csv_field(out, cv->source_url, 0);
		csv_field(out, cv->source_url ? cv->source_at : NULL, 0);
		csv_field(out, cv->source_url ? cv->source_quote : NULL, 0);
		csv_field(out, rel ? rel : cv->file, 0);
		csv_field(out, line, 0);
		buf_adds(out, "\r\n");
		buf_release(&inputs);
	}
}

int numbers_site(const struct config *cfg, const struct content *ct, struct sink *out, struct diag_list *dl)
{
	struct buf j = BUF_INIT, c = BUF_INIT;
	json_t *site = json_string(cfg->base_url);
	char *shown = json_dumps(site, JSON_ENCODE_ANY);
	buf_addf(&j, "{\n  \"site\": %s,\n  \"briefs\": [", shown);
	free(shown);
	json_decref(site);
	buf_adds(&c, "\xEF\xBB\xBF"); /* UTF-8, for spreadsheets */
	static const char *const head[] = { "brief", "name", "kind", "value", "unit", "dimensions", "formula", "inputs" };
	for (size_t i = 0; i < sizeof head / sizeof *head; i++)
		csv_field(&c, head[i], i == 0);
	for (size_t k = 0; k < cfg->nlangs; k++)
		buf_addf(&c, ",label_%s", cfg->langs[k].code);
	for (size_t k = 0; k < cfg->nlangs; k++)
		buf_addf(&c, ",display_%s", cfg->langs[k].code);
	buf_adds(&c, ",assumption,source_url,source_at,source_quote,file,line\r\n");
	size_t n = 0;
	int r = 0;
	struct buf back = BUF_INIT;
	for (size_t i = 0; i < ct->n && r == 0; i++) {
		const struct brief *b = ct->briefs[i];
		if (!b->has_numbers)
			continue;
		const char *d;
		size_t len;
		if (b->numbers) {
			d = b->numbers->data, len = b->numbers->len;
		} else { /* a build into a folder wrote it and kept no copy (render.c): read it back */
			char *rel = xasprintf("briefs/%s/numbers.json", b->slug);
			char *path = sink_dir(out) ? fs_join(sink_dir(out), rel) : NULL;
			back.len = 0;
			if (!path || fs_read(path, &back) < 0)
				r = diag_error(dl, (struct srcpos){ rel, 0, 0 }, "cannot read back what this build wrote");
			free(path);
			free(rel);
			if (r < 0)
				break;
			d = back.ptr, len = back.len;
		}
		/* each document as it is, indented one level more */
		buf_adds(&j, n++ ? ",\n    " : "\n    ");
		while (len && d[len - 1] == '\n')
			len--;
		for (const char *e = d + len; d < e;) { /* a line at a time */
			const char *nl = memchr(d, '\n', (size_t)(e - d));
			size_t ln = nl ? (size_t)(nl - d) + 1 : (size_t)(e - d);
			buf_add(&j, d, ln);
			if (nl)
				buf_adds(&j, "    ");
			d += ln;
		}
		if (b->numbers_csv && b->numbers_csv->len) /* set with numbers (render.c) */
			buf_add(&c, b->numbers_csv->data, b->numbers_csv->len);
	}
	buf_release(&back);
	buf_adds(&j, n ? "\n  ]\n}\n" : "]\n}\n");
	if (r == 0)
		r = sink_put(out, "numbers.json", j.ptr, j.len, "numbers.json", dl);
	if (r == 0)
		r = sink_put(out, "numbers.csv", c.ptr, c.len, "numbers.csv", dl);
	buf_release(&j);
	buf_release(&c);
	return r;
}
