/* render — one brief, every language. */
#include "render.h"
#include "calc.h"
#include "calccheck.h"
#include "calceval.h"
#include "calcrender.h"
#include "numbers.h"
#include "fsutil.h"
#include "md.h"
#include "mdguard.h"
#include "prose.h"
#include "sink.h"
#include "utf8.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* A listing's summary: the front matter description, else the text before
 * `<!--more-->` as written, else the first paragraph, cut to the configured
 * budget (characters for CJK, words for Latin) with "…" when cut. */
static char *summary_of(const struct page *p, struct md_doc *doc, const struct config *cfg)
{
	struct buf text = BUF_INIT;
	if (p->fm.meta.description && *p->fm.meta.description)
		buf_adds(&text, p->fm.meta.description);
	else if (md_summary_more(doc, &text))
		return buf_detach(&text, NULL);
	else
		md_first_paragraph(doc, &text);
	char *s = prose_summary(text.ptr, text.len, cfg->summary_chars, cfg->summary_words);
	buf_release(&text);
	return s;
}

/* One language's page and the bundle's assets beside it. */
static int write_page(const struct brief *b, const struct config *cfg, size_t lang, const struct buf *page,
		      struct sink *out, struct diag_list *dl)
{
	char *rel = xasprintf("%s/briefs/%s/index.html", cfg->langs[lang].code, b->slug);
	int r = sink_put(out, rel, page->ptr, page->len, b->pages[lang]->file, dl);
	free(rel);
	for (char **a = b->assets; r == 0 && *a; a++) {
		char *from = fs_join(b->dir, *a);
		rel = xasprintf("%s/briefs/%s/%s", cfg->langs[lang].code, b->slug, *a);
		r = sink_copy(out, rel, from, dl);
		free(from);
		free(rel);
	}
	return r;
}

/* Header words of the calculation table. Until the theme's word catalogue
 * reaches this stage: Chinese for "zh", English for every other language. */
static const struct calc_words table_words_zh = { "名稱", "說明", "公式", "數值" };
static const struct calc_words table_words_en = { "Name", "Meaning", "Formula", "Value" };

static const struct calc_words *table_words(const char *lang)
{
	return !strcmp(lang, "zh") ? &table_words_zh : &table_words_en;
}

/* The calc stage over every language's tree: the model, its warnings, the
 * values into the trees and numbers.json's bytes into json. Returns 1 when
 * the brief has a model, 0 when it has no calc at all, -1 on error. */
static int calc_stage(struct brief *b, struct md_doc **docs, const struct config *cfg,
		      struct calc_engine *ce, struct buf *json, struct diag_list *dl)
{
	struct calc_source src;
	int r = calc_collect(&src, docs, b->pages, cfg->nlangs, dl);
	if (r == 0 && calc_source_any(&src)) {
		struct calc_model *m = calc_eval(ce, &src, cfg, dl);
		if (m) {
			calccheck_brief(&src, docs, cfg, dl);
			for (size_t i = 0; i < cfg->nlangs; i++)
				if (docs[i])
					calcrender_page(docs[i], &src, m, i, table_words(cfg->langs[i].code));
			numbers_json(m, b, cfg, json);
			r = 1;
		} else {
			r = -1;
		}
		calc_model_free(m);
	}
	calc_source_release(&src);
	return r;
}

static int write_numbers(const struct brief *b, const struct buf *json, struct sink *out,
			 struct diag_list *dl)
{
	char *rel = xasprintf("briefs/%s/numbers.json", b->slug);
	int r = sink_put(out, rel, json->ptr, json->len, "numbers.json", dl);
	free(rel);
	return r;
}

/* Appends copies of src's diagnostics from index `from` on to dst. */
static void diag_copy(struct diag_list *dst, const struct diag_list *src, size_t from)
{
	for (size_t i = from; i < src->n; i++) {
		const struct diag *d = &src->items[i];
		diag_add(dst, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void brief_result_free(struct brief_result *r)
{
	if (!r)
		return;
	buf_release(&r->json);
	for (size_t i = 0; r->pages && i < r->nlangs; i++) {
		struct page_result *p = &r->pages[i];
		free(p->html);
		free(p->summary);
		free(p->toc);
		buf_release(&p->file);
	}
	free(r->pages);
	fs_list_free(r->templates);
	diag_release(&r->diags);
	free(r);
}

int render_brief(struct brief *b, const struct config *cfg, struct tpl *t, struct calc_engine *ce,
		 struct sink *sink, pthread_mutex_t *md_lock, struct brief_result *keep,
		 struct diag_list *dl)
{
	size_t nl = cfg->nlangs, dl_from = dl->n;
	struct md_doc **docs = xcalloc(nl, sizeof *docs);
	int r = 0;
	if (keep) {
		keep->nlangs = nl;
		keep->pages = xcalloc(nl, sizeof *keep->pages);
		for (size_t i = 0; i < nl; i++)
			buf_init(&keep->pages[i].file);
		buf_init(&keep->json);
	}
	/* Every language is checked before any is parsed: a body over a
	 * Markdown limit is never given to cmark-gfm (mdguard.h). */
	for (size_t i = 0; i < nl; i++) {
		struct page *p = b->pages[i];
		if (p && mdguard_check(p->body, p->body_len, p->file, p->body_line, dl) < 0)
			r = -1;
	}
	if (r < 0) {
		free(docs);
		return r;
	}
	for (size_t i = 0; i < nl; i++) {
		struct page *p = b->pages[i];
		if (p)
			docs[i] = md_parse(p->body, p->body_len, p->body_line, md_lock);
	}
	/* The model spans every language, so it runs once all trees exist
	 * and before any of them becomes HTML. */
	struct buf json = BUF_INIT;
	int has_model = calc_stage(b, docs, cfg, ce, &json, dl);
	if (has_model < 0)
		r = -1;
	if (has_model > 0) {
		r = write_numbers(b, &json, sink, dl);
		b->has_numbers = 1;
		if (keep) {
			keep->has_model = 1;
			keep->json = json;
			buf_init(&json);
		}
	}
	buf_release(&json);
	for (size_t i = 0; i < nl && r == 0; i++) {
		struct page *p = b->pages[i];
		if (!p)
			continue;
		struct buf html = BUF_INIT, toc = BUF_INIT;
		p->summary = summary_of(p, docs[i], cfg);
		md_count(docs[i], &p->cjk_chars, &p->words);
		double minutes = (double)p->cjk_chars / cfg->cjk_per_minute +
				 (double)p->words / cfg->words_per_minute;
		p->reading_minutes = minutes < 1 ? 1 : (int)(minutes + 0.5);
		md_render(docs[i], &html, &toc);
		p->html = buf_detach(&html, NULL);
		p->toc = toc.len ? buf_detach(&toc, NULL) : NULL;
		buf_release(&toc);
	}
	if (keep && r == 0)
		fs_list_free(tpl_take_used(t)); /* the record starts with this brief's pages */
	for (size_t i = 0; i < nl && r == 0; i++) {
		if (!b->pages[i])
			continue;
		struct buf out = BUF_INIT;
		r = tpl_render_brief(t, b, i, &out, dl);
		if (r == 0)
			r = write_page(b, cfg, i, &out, sink, dl);
		if (keep) {
			keep->pages[i].file = out;
			buf_init(&out);
		}
		buf_release(&out);
	}
	if (keep && r == 0) {
		keep->templates = tpl_take_used(t);
		for (size_t i = 0; i < nl; i++) {
			const struct page *p = b->pages[i];
			struct page_result *k = &keep->pages[i];
			if (!p)
				continue;
			k->present = 1;
			k->html = dup_or_null(p->html);
			k->summary = dup_or_null(p->summary);
			k->toc = dup_or_null(p->toc);
			k->reading_minutes = p->reading_minutes;
			k->cjk_chars = p->cjk_chars;
			k->words = p->words;
		}
		diag_copy(&keep->diags, dl, dl_from);
	}
	for (size_t i = 0; i < nl; i++)
		md_free(docs[i]);
	free(docs);
	return r;
}

int render_reuse(struct brief *b, const struct config *cfg, const struct brief_result *kept,
		 struct sink *out, struct diag_list *dl)
{
	diag_copy(dl, &kept->diags, 0);
	int r = 0;
	if (kept->has_model) {
		r = write_numbers(b, &kept->json, out, dl);
		b->has_numbers = 1;
	}
	for (size_t i = 0; i < cfg->nlangs && i < kept->nlangs; i++) {
		struct page *p = b->pages[i];
		const struct page_result *k = &kept->pages[i];
		if (!p || !k->present)
			continue;
		p->html = dup_or_null(k->html);
		p->summary = dup_or_null(k->summary);
		p->toc = dup_or_null(k->toc);
		p->reading_minutes = k->reading_minutes;
		p->cjk_chars = k->cjk_chars;
		p->words = k->words;
	}
	for (size_t i = 0; i < cfg->nlangs && i < kept->nlangs && r == 0; i++)
		if (b->pages[i] && kept->pages[i].present)
			r = write_page(b, cfg, i, &kept->pages[i].file, out, dl);
	return r;
}
