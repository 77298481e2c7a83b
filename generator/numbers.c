/* numbers — numbers.json from the C model. */
#include "numbers.h"
#include "xalloc.h"
#include "fsutil.h"
#include "blob.h"
#include "sink.h"
#include "jsonout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	struct jsonout w;
	jsonout_init(&w, out, 2, 15);
	jsonout_object(&w);
	jsonout_key(&w, "brief");
	jsonout_string(&w, b->slug);
	jsonout_key(&w, "values");
	jsonout_array(&w);
	for (size_t i = 0; i < m->nvalues; i++) {
		const struct calc_value *cv = &m->values[i];
		jsonout_object(&w);
		jsonout_key(&w, "name");
		jsonout_string(&w, cv->name);
		jsonout_key(&w, "label");
		jsonout_object(&w);
		for (size_t k = 0; k < cfg->nlangs; k++) {
			jsonout_key(&w, cfg->langs[k].code);
			jsonout_string(&w, cv->label[k]);
		}
		jsonout_end(&w);
		jsonout_key(&w, "kind");
		jsonout_string(&w, CALC_IS_INPUT(cv) ? "input" : "derived");
		jsonout_key(&w, "formula");
		jsonout_string(&w, cv->formula);
		jsonout_key(&w, "inputs");
		jsonout_array(&w);
		for (size_t k = 0; k < cv->ninputs; k++)
			jsonout_string(&w, cv->inputs[k]);
		jsonout_end(&w);
		if (isfinite(cv->value)) { /* always, in a model (calc.lua); as jansson would otherwise */
			jsonout_key(&w, "value");
			jsonout_real(&w, cv->value);
		}
		jsonout_key(&w, "unit");
		jsonout_string(&w, cv->unit);
		jsonout_key(&w, "dimensions");
		jsonout_string(&w, cv->dims);
		jsonout_key(&w, "display");
		jsonout_object(&w);
		for (size_t k = 0; k < cfg->nlangs; k++) {
			jsonout_key(&w, cfg->langs[k].code);
			jsonout_string(&w, cv->display[k]);
		}
		jsonout_end(&w);
		if (cv->source_url) {
			jsonout_key(&w, "source");
			jsonout_object(&w);
			jsonout_key(&w, "url");
			jsonout_string(&w, cv->source_url);
			if (cv->cite_slug) { /* another brief's value (cites.h) */
				jsonout_key(&w, "brief");
				jsonout_string(&w, cv->cite_slug);
				jsonout_key(&w, "name");
				jsonout_string(&w, cv->cite_name);
			}
			if (cv->source_at) {
				jsonout_key(&w, "at");
				jsonout_string(&w, cv->source_at);
			}
			if (cv->source_quote) {
				jsonout_key(&w, "quote");
				jsonout_string(&w, cv->source_quote);
			}
			jsonout_end(&w);
		}
		if (CALC_IS_INPUT(cv)) {
			jsonout_key(&w, "assumption");
			jsonout_bool(&w, cv->assumption);
		}
		const char *rel = strstr(cv->file, "content/");
		jsonout_key(&w, "file");
		jsonout_string(&w, rel ? rel : cv->file);
		jsonout_key(&w, "line");
		jsonout_int(&w, cv->line);
		jsonout_key(&w, "cited_by");
		jsonout_array(&w);
		for (size_t k = 0; k < cfg->nlangs; k++)
			if (b->pages[k] && cited_in(m, k, cv->name))
				jsonout_string(&w, b->pages[k]->url);
		jsonout_end(&w);
		jsonout_end(&w);
	}
	jsonout_end(&w);
	jsonout_end(&w);
	buf_addch(out, '\n');
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

/* A brief's document as the site's numbers.json holds it: indented one
 * level more, without its final newline. */
static void indent_into(struct buf *j, const char *d, size_t len)
{
	while (len && d[len - 1] == '\n')
		len--;
	for (const char *e = d + len; d < e;) { /* a line at a time */
		const char *nl = memchr(d, '\n', (size_t)(e - d));
		size_t ln = nl ? (size_t)(nl - d) + 1 : (size_t)(e - d);
		buf_add(j, d, ln);
		if (nl)
			buf_add(j, "    ", 4);
		d += ln;
	}
}

int numbers_site(const struct config *cfg, struct content *ct, struct sink *out, struct diag_list *dl)
{
	struct buf j = BUF_INIT, c = BUF_INIT;
	/* A preview keeps each brief's part and its CSV rows: the files are
	 * sized once and filled by copying (tens of megabytes at 10 000
	 * briefs, remade after an edit of a model). */
	size_t jsize = 64 + 2 * strlen(cfg->base_url), csize = 512;
	for (size_t i = 0; i < ct->n; i++) {
		struct brief *b = ct->briefs[i];
		if (b->has_numbers && b->numbers && !b->numbers_part) {
			struct buf part = BUF_INIT;
			indent_into(&part, b->numbers->data, b->numbers->len);
			b->numbers_part = blob_take(&part);
		}
		jsize += b->numbers_part ? b->numbers_part->len + 8 : 0;
		csize += b->has_numbers && b->numbers_csv ? b->numbers_csv->len : 0;
	}
	buf_reserve(&j, jsize);
	buf_reserve(&c, csize);
	buf_adds(&j, "{\n  \"site\": ");
	jsonout_quote(&j, cfg->base_url);
	buf_adds(&j, ",\n  \"briefs\": [");
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
		buf_adds(&j, n++ ? ",\n    " : "\n    ");
		if (b->numbers_part) {
			buf_add(&j, b->numbers_part->data, b->numbers_part->len);
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
			indent_into(&j, back.ptr, back.len);
		}
		if (b->numbers_csv && b->numbers_csv->len) /* set with numbers (render.c) */
			buf_add(&c, b->numbers_csv->data, b->numbers_csv->len);
	}
	buf_release(&back);
	buf_adds(&j, n ? "\n  ]\n}\n" : "]\n}\n");
	/* handed over, not copied */
	struct blob *jb = blob_take(&j), *cb = blob_take(&c);
	if (r == 0)
		r = sink_put_blob(out, "numbers.json", jb, "numbers.json", dl);
	if (r == 0)
		r = sink_put_blob(out, "numbers.csv", cb, "numbers.csv", dl);
	blob_unref(jb);
	blob_unref(cb);
	return r;
}
