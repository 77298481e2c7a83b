/* render — one brief, every language. */
#include "render.h"
#include "calc.h"
#include "fsutil.h"
#include "md.h"
#include "prose.h"
#include "utf8.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

static int write_out(const char *out_dir, const char *rel, const struct buf *b, struct diag_list *dl)
{
	char *path = fs_join(out_dir, rel);
	int r = fs_write(path, b->ptr, b->len);
	if (r < 0)
		diag_error(dl, (struct srcpos){ path, 0, 0 }, "cannot write: %s", strerror(errno));
	free(path);
	return r;
}

int render_brief(struct brief *b, const struct config *cfg, struct tpl *t, const char *lua_dir,
		 const char *out_dir, pthread_mutex_t *md_lock, struct diag_list *dl)
{
	size_t nl = cfg->nlangs;
	struct md_doc **docs = xcalloc(nl, sizeof *docs);
	int r = 0;
	for (size_t i = 0; i < nl; i++) {
		struct page *p = b->pages[i];
		if (p)
			docs[i] = md_parse(p->body, p->body_len, p->body_line, md_lock);
	}
	/* The model spans every language, so it runs once all trees exist
	 * and before any of them becomes HTML. */
	struct buf json = BUF_INIT;
	int has_model = calc_brief(b, docs, cfg, lua_dir, &json, dl);
	if (has_model < 0)
		r = -1;
	if (has_model > 0) {
		char *rel = xasprintf("briefs/%s/numbers.json", b->slug);
		r = write_out(out_dir, rel, &json, dl);
		free(rel);
		b->calc = b; /* marks "has numbers.json" for the templates */
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
	for (size_t i = 0; i < nl && r == 0; i++) {
		if (!b->pages[i])
			continue;
		struct buf out = BUF_INIT;
		r = tpl_render_brief(t, b, i, &out, dl);
		if (r == 0) {
			char *rel = xasprintf("%s/briefs/%s/index.html", cfg->langs[i].code, b->slug);
			r = write_out(out_dir, rel, &out, dl);
			free(rel);
		}
		buf_release(&out);
		for (char **a = b->assets; r == 0 && *a; a++) {
			char *from = fs_join(b->dir, *a);
			char *rel = xasprintf("%s/briefs/%s/%s", cfg->langs[i].code, b->slug, *a);
			char *to = fs_join(out_dir, rel);
			if (fs_copy(from, to) < 0)
				r = diag_error(dl, (struct srcpos){ from, 0, 0 }, "cannot copy asset: %s",
					       strerror(errno));
			free(from);
			free(rel);
			free(to);
		}
	}
	for (size_t i = 0; i < nl; i++)
		md_free(docs[i]);
	free(docs);
	return r;
}
