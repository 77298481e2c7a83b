/* render — one brief, every language. */
#include "render.h"
#include "cites.h"
#include "langtag.h"
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
#include "urls.h"
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

static int copy_assets(const struct brief *b, const struct config *cfg, size_t lang, struct sink *out,
		       struct diag_list *dl)
{
	int r = 0;
	for (char **a = b->assets; r == 0 && *a; a++) {
		char *from = fs_join(b->dir, *a);
		char *rel = xasprintf("%s/briefs/%s/%s", cfg->langs[lang].code, b->slug, *a);
		r = sink_copy(out, rel, from, dl);
		free(from);
		free(rel);
	}
	return r;
}

/* One language's page and the bundle's assets beside it. */
/* The file an old path is served from ("/2017/02/05/x/" ->
 * "2017/02/05/x/index.html", "/old.html" as it is), percent-decoded as a
 * server decodes it; NULL when decoding makes it no plain path (an escaped
 * '/', '\\', NUL or other control character). */
static char *redirect_file(const char *path)
{
	while (*path == '/')
		path++;
	if (strstr(path, "%2f") || strstr(path, "%2F") || strstr(path, "%00"))
		return NULL;
	char *d = urls_pct_decode(path, strlen(path));
	for (const char *p = d; *p; p++)
		if ((unsigned char)*p < ' ' || *p == '\\' || *p == 0x7f) {
			free(d);
			return NULL;
		}
	size_t n = strlen(d);
	const char *last = strrchr(d, '/');
	last = last ? last + 1 : d;
	char *f = !n || d[n - 1] == '/' ? xasprintf("%sindex.html", d)
		  : !strchr(last, '.')  ? xasprintf("%s/index.html", d)
					: xstrdup(d);
	free(d);
	return f;
}

/* The part of the site's own pages that rel (a site file) falls in, or
 * NULL: a redirect there would take a page's place. */
static const char *own_path(const struct config *cfg, const char *rel)
{
	static const char *const top[] = { "index.html", "404.html", "robots.txt", "sitemap.xml", "numbers.json",
					   "numbers.csv", "assets/", "briefs/" };
	static const char *const in_lang[] = { "index.html", "feed.xml", "briefs/", "tags/", "categories/", "page/" };
	for (size_t i = 0; i < sizeof top / sizeof *top; i++)
		if (!strncmp(rel, top[i], strlen(top[i])) && (strchr(top[i], '/') || !rel[strlen(top[i])]))
			return top[i];
	for (size_t l = 0; l < cfg->nlangs; l++) {
		size_t n = strlen(cfg->langs[l].code);
		if (strncmp(rel, cfg->langs[l].code, n) || rel[n] != '/')
			continue;
		const char *r = rel + n + 1;
		for (size_t i = 0; i < sizeof in_lang / sizeof *in_lang; i++)
			if (!strncmp(r, in_lang[i], strlen(in_lang[i])) && (strchr(in_lang[i], '/') || !r[strlen(in_lang[i])]))
				return in_lang[i];
	}
	return NULL;
}

/* A page at each of the page's old paths (front matter: permalink,
 * aliases, redirect_from) sending readers on to it: a refresh for
 * browsers, a canonical link for search engines, a link for everyone. */
static int write_redirects(const struct brief *b, const struct config *cfg, size_t lang, struct sink *out,
			   struct diag_list *dl)
{
	const struct page *p = b->pages[lang];
	int r = 0;
	for (size_t i = 0; i < p->fm.meta.nredirects && r == 0; i++) {
		const struct fm_redirect *from = &p->fm.meta.redirects[i];
		struct srcpos at = { p->file, from->line, from->col };
		char *rel = redirect_file(from->path);
		if (!rel) {
			diag_warning(dl, at, "'%s' is not carried over: it decodes to no plain path", from->path);
			continue;
		}
		const char *taken = own_path(cfg, rel);
		if (taken) {
			r = diag_error(dl, at, "cannot redirect from '%s': the site's own pages use that path (%s)",
				       from->path, taken);
			free(rel);
			break;
		}
		char *to = xasprintf("%s%s/briefs/%s/", cfg->base_url, cfg->langs[lang].code, b->slug);
		struct buf h = BUF_INIT;
		buf_addf(&h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
			 cfg->langs[lang].hreflang);
		buf_add_html(&h, p->title, strlen(p->title));
		buf_adds(&h, "</title>\n<link rel=\"canonical\" href=\"");
		buf_add_html(&h, to, strlen(to));
		buf_adds(&h, "\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
		buf_add_html(&h, to, strlen(to));
		buf_adds(&h, "\">\n</head>\n<body>\n<p><a href=\"");
		buf_add_html(&h, to, strlen(to));
		buf_adds(&h, "\">");
		buf_add_html(&h, p->title, strlen(p->title));
		buf_adds(&h, "</a></p>\n</body>\n</html>\n");
		r = sink_put(out, rel, h.ptr, h.len, p->file, dl);
		buf_release(&h);
		free(to);
		free(rel);
	}
	return r;
}

static int write_page(const struct brief *b, const struct config *cfg, size_t lang, struct blob *page,
		      struct sink *out, struct diag_list *dl)
{
	char *rel = xasprintf("%s/briefs/%s/index.html", cfg->langs[lang].code, b->slug);
	int r = sink_put_blob(out, rel, page, b->pages[lang]->file, dl);
	free(rel);
	if (r == 0)
		r = write_redirects(b, cfg, lang, out, dl);
	return r == 0 ? copy_assets(b, cfg, lang, out, dl) : r;
}

int render_assets(const struct brief *b, const struct config *cfg, struct sink *out, struct diag_list *dl)
{
	int r = 0;
	for (size_t l = 0; l < cfg->nlangs && r == 0; l++)
		if (b->pages[l])
			r = copy_assets(b, cfg, l, out, dl);
	return r;
}

/* Header words of the calculation table. Until the theme's word catalogue
 * reaches this stage: Chinese for "zh" ("zh-cn", ...), English for every other language. */
static const struct calc_words table_words_zh = {
	"項目", "數值", "公式或來源", "輸入", "推導", "來源", "假設", "（", "）", "：「", "」",
	"取自簡報「", "」", "文中：", "文中第 %zu 處（共 %zu 處）",
	{ "資料", "為發布的數值（其餘各點由建置時以同一模型算出）", "；", "：",
	  "%s：從 %s（%s）到 %s（%s）" },
	"假如……", "回到發布的數值",
	"本頁目前顯示的是假設情境：標示的數字是建置時以同一模型、依上列輸入算出的結果，不是發布的分析。",
};
static const struct calc_words table_words_en = {
	"Quantity", "Value", "Formula or source", "Inputs", "Derived", "source", "assumption", " (at ", ")",
	": “", "”", "from the brief “", "”", "in the text:", "mention %zu of %zu",
	{ "Data", "is the published value (the build computed every other point with the same model)", "; ", ": ",
	  "%s: from %s at %s to %s at %s" },
	"What if…", "Back to the published values",
	"This page now shows a scenario: the highlighted numbers are the build's own results for the inputs above, "
	"from the same model, not the published analysis.",
};

static const struct calc_words *table_words(const char *lang)
{
	char primary[9];
	langtag_primary(lang, primary);
	return !strcmp(primary, "zh") ? &table_words_zh : &table_words_en;
}

/* A converted edition's table words: its source's, converted (config.h). */
struct conv_words {
	struct calc_words w;
	char *own[32];
	size_t n;
};

static void conv_words(struct conv_words *c, const struct calc_words *from, struct zhconv *z)
{
	c->w = *from;
	c->n = 0;
#define CONV(f) (c->w.f = c->own[c->n++] = zhconv_dup(z, from->f))
	CONV(quantity), CONV(value), CONV(basis), CONV(inputs), CONV(derived), CONV(source);
	CONV(assumption), CONV(at_open), CONV(at_close), CONV(quote_open), CONV(quote_close);
	CONV(from_open), CONV(from_close), CONV(cited), CONV(cite_label), CONV(chart.data);
	CONV(chart.published), CONV(chart.sep), CONV(chart.colon), CONV(chart.from_to);
	CONV(wi_legend), CONV(wi_reset), CONV(wi_note);
#undef CONV
}

static void conv_words_release(struct conv_words *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->own[i]);
}

/* The calc stage over every language's tree: the model, its warnings, the
 * values into the trees, numbers.json's bytes into json, its numbers.csv
 * rows into csv and, when exports
 * is not NULL, the values for citing briefs (cites.h) into it. Returns 1
 * when the brief has a model, 0 when it has no calc at all, -1 on error. */
static int calc_stage(struct brief *b, struct md_doc **docs, const struct config *cfg,
		      struct calc_engine *ce, struct buf *json, struct buf *csv, struct buf *exports,
		      struct diag_list *dl)
{
	struct calc_source src;
	int r = calc_collect(&src, docs, b->pages, cfg->nlangs, dl);
	if (r == 0 && calc_source_any(&src)) {
		if (b->ncites)
			cites_resolve(&src, b);
		struct calc_model *m = calc_eval(ce, &src, cfg, dl);
		if (m) {
			cites_link(m, b, cfg->nlangs);
			calccheck_brief(&src, docs, cfg, dl);
			if (cfg->lint)
				calccheck_sources(m, dl);
			for (size_t i = 0; i < cfg->nlangs; i++) {
				if (!docs[i])
					continue;
				const struct lang *l = &cfg->langs[i];
				if (!l->conv) {
					calcrender_page(docs[i], &src, m, i, table_words(l->code));
					continue;
				}
				struct conv_words cw;
				conv_words(&cw, table_words(cfg->langs[l->from].code), l->conv);
				calcrender_page(docs[i], &src, m, i, &cw.w);
				conv_words_release(&cw);
			}
			numbers_json(m, b, cfg, json);
			numbers_csv(m, b, cfg, csv);
			if (exports)
				cites_export(m, exports);
			r = 1;
		} else {
			r = -1;
		}
		calc_model_free(m);
	}
	calc_source_release(&src);
	return r;
}

static int write_numbers(const struct brief *b, struct blob *json, struct sink *out,
			 struct diag_list *dl)
{
	char *rel = xasprintf("briefs/%s/numbers.json", b->slug);
	int r = sink_put_blob(out, rel, json, "numbers.json", dl);
	free(rel);
	return r;
}

/* Appends copies of src's diagnostics [from, to) to dst. */
static void diag_copy(struct diag_list *dst, const struct diag_list *src, size_t from, size_t to)
{
	for (size_t i = from; i < to && i < src->n; i++) {
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
	blob_unref(r->json);
	blob_unref(r->exports);
	blob_unref(r->csv);
	for (size_t i = 0; r->pages && i < r->nlangs; i++) {
		struct page_result *p = &r->pages[i];
		blob_unref(p->html);
		free(p->summary);
		free(p->toc);
		blob_unref(p->file);
	}
	free(r->pages);
	fs_list_free(r->templates);
	diag_release(&r->diags);
	free(r);
}

/* The page fields the body stage makes, from what an earlier render kept. */
static void take_body(struct brief *b, const struct config *cfg, const struct brief_result *kept)
{
	for (size_t i = 0; i < cfg->nlangs && i < kept->nlangs; i++) {
		struct page *p = b->pages[i];
		const struct page_result *k = &kept->pages[i];
		if (!p || !k->present)
			continue;
		p->html_blob = blob_ref(k->html);
		p->html = p->html_blob ? p->html_blob->data : NULL;
		p->html_hash = k->html_hash;
		p->summary = dup_or_null(k->summary);
		p->toc = dup_or_null(k->toc);
		p->reading_minutes = k->reading_minutes;
		p->cjk_chars = k->cjk_chars;
		p->words = k->words;
	}
}

/* b has numbers.json: its bytes (NULL: none kept) and its numbers.csv
 * rows. The part of the site's numbers.json made from other bytes goes. */
static void set_numbers(struct brief *b, struct blob *json, struct blob *csv)
{
	b->has_numbers = 1;
	if (!json || b->numbers != json) {
		blob_unref(b->numbers_part);
		b->numbers_part = NULL;
	}
	struct blob *was = b->numbers, *was_csv = b->numbers_csv;
	b->numbers = blob_ref(json);
	b->numbers_csv = blob_ref(csv);
	blob_unref(was);
	blob_unref(was_csv);
}

/* The theme's part, once the pages have their bodies: numbers.json, each
 * page through its template, and (keep) what a later build may reuse; the
 * diagnostics from dl_from on are the brief's, the first nbody of them
 * from the body stage. */
static int finish(struct brief *b, const struct config *cfg, struct tpl *t, struct sink *sink, struct blob *json,
		  struct blob *csv,
		  struct brief_result *keep, size_t dl_from, size_t nbody, struct diag_list *dl)
{
	size_t nl = cfg->nlangs;
	int r = 0;
	if (json) {
		r = write_numbers(b, json, sink, dl);
		/* into a folder the file is there to read back for the site's
		 * numbers.json (numbers_site): no copy kept, 6 KiB a brief */
		set_numbers(b, sink_dir(sink) ? NULL : json, csv);
		if (keep) {
			keep->has_model = 1;
			keep->json = blob_ref(json);
			keep->csv = blob_ref(b->numbers_csv);
		}
	}
	if (keep && r == 0)
		fs_list_free(tpl_take_used(t)); /* the record starts with this brief's pages */
	for (size_t i = 0; i < nl && r == 0; i++) {
		if (!b->pages[i])
			continue;
		struct buf out = BUF_INIT;
		r = tpl_render_brief(t, b, i, &out, dl);
		struct blob *page = blob_take(&out);
		if (r == 0)
			r = write_page(b, cfg, i, page, sink, dl);
		if (keep)
			keep->pages[i].file = blob_ref(page);
		blob_unref(page);
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
			k->html = blob_ref(p->html_blob);
			k->html_hash = p->html_hash;
			k->summary = dup_or_null(p->summary);
			k->toc = dup_or_null(p->toc);
			k->reading_minutes = p->reading_minutes;
			k->cjk_chars = p->cjk_chars;
			k->words = p->words;
		}
		diag_copy(&keep->diags, dl, dl_from, dl->n);
		keep->nbody_diags = nbody;
	}
	return r;
}

static void keep_init(struct brief_result *keep, size_t nl)
{
	if (keep) {
		keep->nlangs = nl;
		keep->pages = xcalloc(nl, sizeof *keep->pages);
	}
}

int render_brief(struct brief *b, const struct config *cfg, struct tpl *t, struct calc_engine *ce,
		 struct sink *sink, pthread_mutex_t *md_lock, struct brief_result *keep,
		 struct diag_list *dl)
{
	size_t nl = cfg->nlangs, dl_from = dl->n;
	/* Every language is checked before any is parsed: a body over a
	 * Markdown limit is never given to cmark-gfm (mdguard.h). */
	int bad = 0;
	for (size_t i = 0; i < nl; i++) {
		struct page *p = b->pages[i];
		if (p && mdguard_check(p->body, p->body_len, p->file, p->body_line, dl) < 0)
			bad = 1;
	}
	if (bad)
		return -1;
	struct md_doc **docs = xcalloc(nl, sizeof *docs);
	keep_init(keep, nl);
	for (size_t i = 0; i < nl; i++) {
		struct page *p = b->pages[i];
		if (!p)
			continue;
		docs[i] = md_parse(p->body, p->body_len, p->body_line, md_lock);
		const int *ial;
		for (size_t k = 0, n = md_dropped_ials(docs[i], &ial); k < n; k++)
			diag_note(dl, (struct srcpos){ p->file, ial[k], 1 },
				  "kramdown attribute list dropped: briefgen sets no classes or attributes from '{: …}'");
	}
	/* The model spans every language, so it runs once all trees exist
	 * and before any of them becomes HTML. */
	struct buf json = BUF_INIT, csv = BUF_INIT, exports = BUF_INIT;
	int has_model = calc_stage(b, docs, cfg, ce, &json, &csv, b->cited || keep ? &exports : NULL, dl);
	struct blob *jb = has_model > 0 ? blob_take(&json) : NULL, *cb = has_model > 0 ? blob_take(&csv) : NULL;
	buf_release(&json);
	buf_release(&csv);
	blob_unref(b->exports);
	b->exports = has_model > 0 && (b->cited || keep) ? blob_take(&exports) : NULL;
	buf_release(&exports);
	if (keep)
		keep->exports = blob_ref(b->exports);
	for (size_t i = 0; i < nl && has_model >= 0; i++) {
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
		p->html_blob = blob_take(&html);
		p->html = p->html_blob->data;
		struct hasher *h = hash_new();
		hash_bytes(h, p->html_blob->data, p->html_blob->len);
		p->html_hash = hash_done(h);
		p->toc = toc.len ? buf_detach(&toc, NULL) : NULL;
		buf_release(&toc);
	}
	int r = has_model < 0 ? -1 : finish(b, cfg, t, sink, jb, cb, keep, dl_from, dl->n - dl_from, dl);
	blob_unref(jb);
	blob_unref(cb);
	for (size_t i = 0; i < nl; i++)
		md_free(docs[i]);
	free(docs);
	return r;
}

int render_exports(struct brief *b, const struct config *cfg, struct calc_engine *ce, struct diag_list *dl)
{
	size_t nl = cfg->nlangs;
	struct md_doc **docs = xcalloc(nl, sizeof *docs);
	for (size_t i = 0; i < nl; i++)
		if (b->pages[i])
			docs[i] = md_parse(b->pages[i]->body, b->pages[i]->body_len, b->pages[i]->body_line, NULL);
	struct calc_source src;
	int r = calc_collect(&src, docs, b->pages, nl, dl);
	blob_unref(b->exports);
	b->exports = NULL;
	if (r == 0 && calc_source_any(&src)) {
		calc_source_model_only(&src);
		if (b->ncites)
			cites_resolve(&src, b);
		struct calc_model *m = calc_eval(ce, &src, cfg, dl);
		struct buf out = BUF_INIT;
		if (m)
			cites_export(m, &out);
		b->exports = m ? blob_take(&out) : NULL;
		buf_release(&out);
		r = m ? 0 : -1;
		calc_model_free(m);
	}
	calc_source_release(&src);
	for (size_t i = 0; i < nl; i++)
		md_free(docs[i]);
	free(docs);
	return r;
}

int render_retemplate(struct brief *b, const struct config *cfg, struct tpl *t, const struct brief_result *body,
		      struct sink *sink, struct brief_result *keep, struct diag_list *dl)
{
	size_t dl_from = dl->n;
	diag_copy(dl, &body->diags, 0, body->nbody_diags);
	take_body(b, cfg, body);
	keep_init(keep, cfg->nlangs);
	blob_unref(b->exports);
	b->exports = blob_ref(body->exports);
	if (keep)
		keep->exports = blob_ref(body->exports);
	return finish(b, cfg, t, sink, body->has_model ? body->json : NULL, body->has_model ? body->csv : NULL, keep,
		      dl_from, body->nbody_diags, dl);
}

int render_reuse(struct brief *b, const struct config *cfg, const struct brief_result *kept,
		 struct sink *out, struct diag_list *dl)
{
	diag_copy(dl, &kept->diags, 0, kept->diags.n);
	int r = 0;
	blob_unref(b->exports);
	b->exports = blob_ref(kept->exports);
	if (kept->has_model) {
		r = write_numbers(b, kept->json, out, dl);
		set_numbers(b, kept->json, kept->csv);
	}
	take_body(b, cfg, kept);
	for (size_t i = 0; i < cfg->nlangs && i < kept->nlangs && r == 0; i++)
		if (b->pages[i] && kept->pages[i].present)
			r = write_page(b, cfg, i, kept->pages[i].file, out, dl);
	return r;
}
