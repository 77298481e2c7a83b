/* calccheck — cross-language citations and typed results. */
#include "calccheck.h"
#include "calceval.h"

#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include "banned.h"

/* After a number and any spaces. */
static const struct {
	const char *s;
	size_t n;
} result_words[] = {
	{ "倍", sizeof "倍" - 1 }, { "×", sizeof "×" - 1 }, { "%", 1 }, { "％", sizeof "％" - 1 },
	{ "萬", sizeof "萬" - 1 }, { "億", sizeof "億" - 1 }, { "兆", sizeof "兆" - 1 },
	{ "billion", 7 }, { "million", 7 }, { "trillion", 8 },
};

/* Prose numbers next to a multiplier, percent or scale word look like
 * results someone typed instead of citing the model. */
static void literal_numbers(struct md_doc *doc, const struct page *p, struct diag_list *dl)
{
	int off = md_line_offset(doc);
	cmark_iter *it = cmark_iter_new(md_root(doc));
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT)
			continue;
		const char *t = cmark_node_get_literal(n);
		/* from digit to digit: most of the text has none */
		for (size_t i = strcspn(t, "0123456789"); t[i]; i += strcspn(t + i, "0123456789")) {
			if (i && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == '-')) {
				i++;
				continue;
			}
			size_t s = i;
			while (isdigit((unsigned char)t[i]) || ((t[i] == ',' || t[i] == '.') && isdigit((unsigned char)t[i + 1])))
				i++;
			size_t k = i;
			while (t[k] == ' ')
				k++;
			for (size_t w = 0; w < sizeof result_words / sizeof *result_words; w++) {
				const char *word = result_words[w].s;
				size_t wl = result_words[w].n;
				if (t[k] != word[0] || strncmp(t + k, word, wl) ||
				    (isalpha((unsigned char)word[0]) && isalnum((unsigned char)t[k + wl])))
					continue;
				diag_warning(dl, (struct srcpos){ p->file, cmark_node_get_start_line(n) + off, 0 },
					     "'%.*s' looks like a computed result typed as a literal; cite a calc value "
					     "(`= name`) instead", (int)(k + wl - s), t + s);
				break;
			}
		}
	}
	cmark_iter_free(it);
}

/* A page of the brief's own: not a converted edition's copy of another
 * (config.h), of which every check would only say again what it says of
 * the original. */
static int own(const struct calc_source *src, size_t l)
{
	return src->pages[l] && !src->pages[l]->converted;
}

/* Names cited on one language's page but not on another's. */
static void cited_everywhere(const struct calc_source *src, const struct config *cfg, struct diag_list *dl)
{
	for (size_t i = 0; i < src->nspans; i++) {
		const struct calc_span *r = &src->spans[i];
		int first = 1;
		for (size_t k = 0; k < i && first; k++)
			first = !(src->spans[k].lang == r->lang && !strcmp(src->spans[k].expr, r->expr));
		if (!first)
			continue;
		for (size_t l = 0; l < src->nlangs; l++) {
			if (l == r->lang || !own(src, l) || !own(src, r->lang))
				continue;
			int found = 0;
			for (size_t k = 0; k < src->nspans && !found; k++)
				found = src->spans[k].lang == l && !strcmp(src->spans[k].expr, r->expr);
			if (!found)
				diag_warning(dl, (struct srcpos){ r->file, r->line,
								  calc_source_col(src, r->file, r->line, r->col) },
					     "'%s' is cited in '%s' but not in '%s'", r->expr,
					     cfg->langs[r->lang].code, cfg->langs[l].code);
		}
	}
}

/* Charts and what-if controls stand in every language of the brief (the
 * same block, or one per language): a page with more than another says
 * which have no counterpart there. Counted, not compared: a chart may be
 * worded differently in each language. */
static void blocks_everywhere(const struct calc_source *src, const struct config *cfg, struct diag_list *dl)
{
	for (size_t l = 0; l < src->nlangs; l++) {
		if (!own(src, l))
			continue;
		size_t charts = 0, wis = 0;
		for (size_t i = 0; i < src->ncharts; i++)
			charts += src->charts[i].lang == l;
		for (size_t i = 0; i < src->nwhatifs; i++)
			wis += src->whatifs[i].lang == l;
		for (size_t k = 0; k < src->nlangs; k++) {
			if (k == l || !own(src, k))
				continue;
			size_t seen = 0;
			for (size_t i = 0; i < src->ncharts; i++)
				if (src->charts[i].lang == k && ++seen > charts)
					diag_warning(dl, (struct srcpos){ src->charts[i].file, src->charts[i].line, src->charts[i].col },
						     "this chart has no counterpart in '%s' (%zu chart%s there, %zu here)",
						     cfg->langs[l].code, charts, charts == 1 ? "" : "s", seen);
			seen = 0;
			for (size_t i = 0; i < src->nwhatifs; i++)
				if (src->whatifs[i].lang == k && ++seen > wis)
					diag_warning(dl, (struct srcpos){ src->whatifs[i].file, src->whatifs[i].line - 1,
									  src->whatifs[i].col },
						     "these what-if controls have no counterpart in '%s'", cfg->langs[l].code);
		}
	}
}

void calccheck_brief(const struct calc_source *src, struct md_doc *const *docs, const struct config *cfg,
		     struct diag_list *dl)
{
	cited_everywhere(src, cfg, dl);
	blocks_everywhere(src, cfg, dl);
	for (size_t i = 0; i < src->nlangs; i++)
		if (docs[i] && own(src, i))
			literal_numbers(docs[i], src->pages[i], dl);
}

static int by_place(const void *a, const void *b)
{
	const struct calc_value *x = *(const struct calc_value *const *)a, *y = *(const struct calc_value *const *)b;
	int c = strcmp(x->file, y->file);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

void calccheck_sources(const struct calc_model *m, struct diag_list *dl)
{
	const struct calc_value **v = xcalloc(m->nvalues + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < m->nvalues; i++)
		if (CALC_IS_INPUT(&m->values[i]) && !m->values[i].source_url && !m->values[i].assumption)
			v[n++] = &m->values[i];
	qsort(v, n, sizeof *v, by_place); /* in the order the author reads them */
	for (size_t i = 0; i < n; i++)
		diag_warning(dl, (struct srcpos){ v[i]->file, v[i]->line, 1 },
			     "input '%s' has no source: end its label with '| source: URL' (or '| assumption')",
			     v[i]->name);
	free(v);
}
