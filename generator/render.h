/* render — stages 3 to 6 for one brief: Markdown to a tree for every
 * language, the calc model over all of them, HTML, the page template, and
 * the files written under the output folder. Briefs are independent, so
 * render_brief runs on worker threads, each with its own struct tpl and
 * struct calc_engine (its own Lua states), used for brief after brief. */
#ifndef GEN_RENDER_H
#define GEN_RENDER_H
#include "config.h"
#include "content.h"
#include "diag.h"
#include "template.h"

#include <pthread.h>

struct sink;        /* sink.h */
struct calc_engine; /* calceval.h */

/* What rendering one brief produced, kept by the preview server's build
 * cache (buildcache.h) so that an unchanged brief costs no parsing, calc or
 * templating in the next build: the bytes of its files, the fields of each
 * page that listings, feeds and the link check read, the templates its
 * pages used, and what it reported. */
struct page_result {
	int present;               /* the brief has this language */
	struct blob *html;         /* the page's body HTML (page.html_blob) */
	struct hash128 html_hash;
	char *summary, *toc;
	int reading_minutes, cjk_chars, words;
	struct blob *file;         /* <lang>/briefs/<slug>/index.html */
};

struct brief_result {
	size_t nlangs;
	int has_model;
	struct blob *json;         /* briefs/<slug>/numbers.json, when has_model */
	struct blob *exports;      /* its values for citing briefs (cites.h), when has_model */
	struct blob *csv;          /* its rows of numbers.csv, when has_model */
	struct page_result *pages; /* nlangs entries */
	char **templates;          /* template keys the pages used, sorted, NULL-terminated;
				      NULL: not known, so any template change counts */
	struct diag_list diags;    /* what rendering reported (a brief that failed is not kept) */
	size_t nbody_diags;        /* the first of them, from the body stage (Markdown, calc),
				      which no template affects */
};

void brief_result_free(struct brief_result *r);

/* Fills each page's html, toc, summary and counts, renders the pages and
 * puts them and the bundle's assets into out; the model is evaluated with
 * ce. Returns 0 or -1 with diagnostics.
 * keep, when not NULL, receives what was produced (see brief_result). */
int render_brief(struct brief *b, const struct config *cfg, struct tpl *t, struct calc_engine *ce,
		 struct sink *sink, pthread_mutex_t *md_lock, struct brief_result *keep,
		 struct diag_list *dl);

/* The same as render_brief for a brief whose inputs are those of `body`,
 * an earlier render_brief's result under another theme: the bodies, calc
 * and numbers.json are taken from it (no template takes part in them), the
 * pages go through the templates again. A theme edit costs the templates,
 * not Markdown and calc, of every brief. */
int render_retemplate(struct brief *b, const struct config *cfg, struct tpl *t, const struct brief_result *body,
		      struct sink *sink, struct brief_result *keep, struct diag_list *dl);

/* The same files and page fields as render_brief, from what an earlier
 * render_brief of the same inputs kept; its diagnostics are reported again.
 * Bundle assets are copied from the bundle as always, so an edited asset
 * reaches the output although its brief was not rendered. */
int render_reuse(struct brief *b, const struct config *cfg, const struct brief_result *kept,
		 struct sink *out, struct diag_list *dl);

/* Evaluates b's model alone, for the briefs citing it: b->exports (cites.h)
 * is set, no page is rendered and nothing is written (`briefgen calc`). The
 * briefs b cites must have their exports. Returns 0 or -1. */
int render_exports(struct brief *b, const struct config *cfg, struct calc_engine *ce, struct diag_list *dl);

/* Copies the bundle's assets beside each of its pages, as the three above
 * do: the preview's patch of a brief whose text did not change. */
int render_assets(const struct brief *b, const struct config *cfg, struct sink *out, struct diag_list *dl);
#endif
