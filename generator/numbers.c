/* numbers — numbers.json from the C model. */
#include "numbers.h"

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
