/* template — stage 5: render pages through the Lua templates of the theme.
 * One struct tpl per thread: it owns a Lua state with the template compiler
 * (lua/template.lua) and every template of the theme compiled once. Page
 * data is handed to Lua as plain tables built from our structs. */
#ifndef GEN_TEMPLATE_H
#define GEN_TEMPLATE_H
#include "buf.h"
#include "config.h"
#include "content.h"
#include "diag.h"

struct tpl;

/* Compiles every template under tpl_dir (every .html file, and those in partials/) and
 * loads the i18n tables tpl_dir/i18n/<lang>.lua. Returns NULL with
 * diagnostics on error. Free with tpl_free(). Borrows cfg and ct until
 * tpl_free. */
struct tpl *tpl_new(const char *tpl_dir, const char *lua_dir, const struct config *cfg,
		    const struct content *ct, struct diag_list *dl);
void tpl_free(struct tpl *t);

/* The template files tpl_new compiles: tpl_dir/<name>.html under the key
 * "<name>" and tpl_dir/partials/<name>.html under "partials/<name>", in
 * that order, sorted within each folder. Both arrays are NULL-terminated
 * and parallel; free each with fs_list_free(). */
void tpl_sources(const char *tpl_dir, char ***keys, char ***paths);

/* The keys of the templates rendered (pages, the layout, partials) since
 * tpl_new or the last call, sorted, each once, NULL-terminated; the record
 * starts again empty. NULL when nothing was recorded, which is also what an
 * engine (lua/template.lua) that does not keep the record gives. Caller
 * frees with fs_list_free(). */
char **tpl_take_used(struct tpl *t);

/* A listing: the briefs of one language (translated or not), a page of them. */
struct tpl_list {
	const char *kind;          /* "home", "category", "tag" */
	const char *term;          /* taxonomy term, or NULL */
	const char *url;           /* this listing's URL */
	struct brief *const *briefs;
	size_t n;
	size_t page, pages;        /* 1-based page number and count */
	const char *prev_url, *next_url;
	const char *const *alt_urls; /* per language: its twin listing, or NULL */
};

/* Each appends the page's HTML to out; returns 0 or -1 with diagnostics. */
int tpl_render_brief(struct tpl *t, const struct brief *b, size_t lang, struct buf *out,
		     struct diag_list *dl);
int tpl_render_list(struct tpl *t, const struct tpl_list *l, size_t lang, struct buf *out,
		    struct diag_list *dl);
/* One term of a taxonomy index page. Strings borrowed. */
struct tpl_term {
	const char *name;
	const char *url;
	size_t count;              /* briefs under the term */
};
/* A taxonomy page through the "taxonomy" template: a term's briefs (terms
 * NULL; l->kind "category" or "tag", l->term its name) or the index of a
 * kind's terms (l->kind "categories" or "tags"). index_url is the kind's
 * index page. */
int tpl_render_taxonomy(struct tpl *t, const struct tpl_list *l, const char *index_url,
			const struct tpl_term *terms, size_t nterms, size_t lang, struct buf *out,
			struct diag_list *dl);
/* 1 when the theme has a template under this key ("taxonomy"). */
int tpl_has(struct tpl *t, const char *key);
int tpl_render_special(struct tpl *t, const char *name, size_t lang, struct buf *out,
		       struct diag_list *dl);

#endif
