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
#include "urls.h"
#include "words.h"

struct tpl;

/* Compiles every template under tpl_dir (every .html file, and those in
 * partials/); t(key) reads the word catalogue w. Returns NULL with
 * diagnostics on error. Free with tpl_free(). Borrows cfg, u, w and ct
 * until tpl_free. */
struct tpl *tpl_new(const char *tpl_dir, const char *lua_dir, const struct config *cfg,
		    const struct urls *u, const struct words *w, const struct content *ct, struct diag_list *dl);
void tpl_free(struct tpl *t);
/* Points a compiled engine at another build's values, made from the same
 * inputs (theme, lua/, configuration: what the engine compiled and copied
 * into Lua at tpl_new is then the same); the preview keeps its engines from
 * build to build so. */
void tpl_rebind(struct tpl *t, const struct config *cfg, const struct urls *u, const struct words *w,
		const struct content *ct);

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

/* One term of a taxonomy index page. Strings borrowed. */
struct tpl_term {
	const char *name;
	const char *url;
	size_t count;              /* briefs under the term */
};

/* A listing page (listing.c): briefs of one language (translated or not),
 * one page of them, or a taxonomy's index of terms. Strings borrowed. */
struct tpl_list {
	const char *template;      /* "home" or "taxonomy" */
	const char *kind;          /* "home", "category", "tag", "categories", "tags" */
	const char *term;          /* a term's listing: its name; else NULL */
	const char *url;           /* this page's URL */
	struct brief *const *briefs;
	size_t n;
	size_t page, pages;        /* 1-based page number and count */
	const char *prev_url, *next_url;
	const char *const *alt_urls; /* per language: its twin listing, or NULL */
	const char *index_url;     /* taxonomy pages: the kind's index; else NULL */
	const struct tpl_term *terms; /* an index page: its terms; else NULL */
	size_t nterms;
};

/* Adds to h everything a listing's templates see of brief b in language
 * lang (its entry), so equal hashes mean equal entries. */
struct hasher;
void tpl_entry_hash(const struct config *cfg, const struct brief *b, size_t lang, struct hasher *h);

/* Each appends the page's HTML to out; returns 0 or -1 with diagnostics. */
int tpl_render_brief(struct tpl *t, const struct brief *b, size_t lang, struct buf *out,
		     struct diag_list *dl);
int tpl_render_list(struct tpl *t, const struct tpl_list *l, size_t lang, struct buf *out,
		    struct diag_list *dl);
/* 1 when the theme has a template under this key ("taxonomy"). */
int tpl_has(struct tpl *t, const char *key);
/* A standalone page (content.h spages) in language lang, its body already
 * HTML (html, toc or NULL): templates/page.html. */
int tpl_render_page(struct tpl *t, const struct brief *sp, size_t lang, const char *html, const char *toc,
		    struct buf *out, struct diag_list *dl);
int tpl_render_special(struct tpl *t, const char *name, size_t lang, struct buf *out,
		       struct diag_list *dl);

#endif
