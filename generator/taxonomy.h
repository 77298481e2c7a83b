/* taxonomy — stage 6a: category and tag terms per language (listing.c
 * renders their pages). Each language
 * has its own terms, taken from its pages' front matter, slugged with CJK
 * kept (/zh/categories/半導體/, /en/tags/reasoning/); each term page lists its
 * briefs newest first, paginated at the config's page size, and each kind
 * has an index page (/zh/categories/). A term's twin in another language
 * is the term named by the config's category_map (either direction), else
 * the term with the same slug; twins are kept only when both ends agree,
 * so the language switcher and the sitemap's alternates are reciprocal. */
#ifndef GEN_TAXONOMY_H
#define GEN_TAXONOMY_H
#include "config.h"
#include "content.h"
#include "diag.h"
#include "urls.h"

enum { TAX_CATEGORIES, TAX_TAGS, TAX_KINDS };
#define TAX_NONE ((size_t)-1)

struct tax_term {
	char *name;              /* as first written */
	char *slug;
	char *url;               /* "/zh/categories/<slug>/" */
	struct brief **briefs;   /* newest first; borrowed */
	size_t n;
	size_t *twins;           /* per language: index of the twin term, or TAX_NONE */
	const char *lastmod;     /* newest brief's date; borrowed */
	const struct brief *latest; /* that brief */
};

struct tax_list {
	struct tax_term *terms;  /* sorted by slug */
	size_t n;
	char *url;               /* index page: "/zh/categories/" */
	const char *lastmod;
	const struct brief *latest;
};

struct taxonomy {
	size_t nlangs;
	struct tax_list *lists;  /* nlangs * TAX_KINDS: [lang * TAX_KINDS + kind] */
};

/* "categories"/"tags", and "category"/"tag", by kind. */
extern const char *const taxonomy_kinds[TAX_KINDS];
extern const char *const taxonomy_kind_singular[TAX_KINDS];
/* The names a page lists under a kind (front matter), NULL-terminated or NULL. */
char *const *taxonomy_names(const struct page *p, int kind);
/* Collects the terms of every language. Borrows ct's briefs and cfg.
 * Returns 0, or -1 when two different names would share one term's URL. */
int taxonomy_build(struct taxonomy *tx, const struct config *c, const struct urls *u,
		   const struct content *ct, struct diag_list *dl);
void taxonomy_release(struct taxonomy *tx);
/* The preview's patch: b takes old's place in every term (b has the same
 * date, terms and order: content_same_outline and the same entry fields). */
void taxonomy_replace_brief(struct taxonomy *tx, const struct brief *old, struct brief *b);
struct tax_list *taxonomy_list(const struct taxonomy *tx, size_t lang, int kind);

/* Number of listing pages of a term at the config's page size. */
size_t taxonomy_pages(const struct config *c, size_t n);

#endif
