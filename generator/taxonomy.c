/* taxonomy — category and tag pages. */
#include "taxonomy.h"
#include "strmap.h"
#include "urls.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "banned.h"

const char *const taxonomy_kinds[TAX_KINDS] = { "categories", "tags" };
const char *const taxonomy_kind_singular[TAX_KINDS] = { "category", "tag" };

struct tax_list *taxonomy_list(const struct taxonomy *tx, size_t lang, int kind)
{
	return &tx->lists[lang * TAX_KINDS + (size_t)kind];
}

char *const *taxonomy_names(const struct page *p, int kind)
{
	return kind == TAX_CATEGORIES ? p->fm.meta.categories : p->fm.meta.tags;
}

static int cmp_term(const void *x, const void *y)
{
	return strcmp(((const struct tax_term *)x)->slug, ((const struct tax_term *)y)->slug);
}

/* The term with this slug in a collected (sorted) list. */
static size_t find_slug(const struct tax_list *l, const char *slug)
{
	struct tax_term key = { .slug = (char *)slug };
	const struct tax_term *t = l->n ? bsearch(&key, l->terms, l->n, sizeof key, cmp_term) : NULL;
	return t ? (size_t)(t - l->terms) : TAX_NONE;
}

/* Two spellings of one term (any ASCII case) share its page; two different
 * names whose slugs are equal ("C" and "C++") would share a URL, which is
 * an error. Returns -1 after reporting it. */
static int collect(struct tax_list *l, const struct config *c, const struct urls *u,
		   const struct content *ct, size_t lang, int kind, struct diag_list *dl)
{
	struct strmap index = STRMAP_INIT; /* slug -> term index + 1 */
	int r = 0;
	l->url = urls_kind(u, lang, taxonomy_kinds[kind]);
	for (size_t i = 0; i < ct->n; i++) {
		struct brief *b = ct->briefs[i];
		const struct page *p = b->pages[lang];
		if (!p)
			continue;
		for (char *const *nm = taxonomy_names(p, kind); nm && *nm; nm++) {
			if (!**nm)
				continue;
			struct buf slug = BUF_INIT;
			urls_term_slug(*nm, &slug);
			const struct strmap_slot *at = strmap_find(&index, slug.ptr);
			size_t k = at ? (size_t)(uintptr_t)at->value - 1 : TAX_NONE;
			if (k != TAX_NONE && strcasecmp(l->terms[k].name, *nm)) {
				r = diag_error(dl, (struct srcpos){ p->file, 0, 0 },
					       "%s '%s' and '%s' would share one page (%s); rename one of them",
					       taxonomy_kinds[kind], l->terms[k].name, *nm, l->terms[k].url);
				buf_release(&slug);
				continue;
			}
			if (k == TAX_NONE) {
				l->terms = xrealloc(l->terms, (l->n + 1) * sizeof *l->terms);
				k = l->n++;
				strmap_put(&index, slug.ptr, NULL)->value = (void *)(uintptr_t)(k + 1);
				struct tax_term *t = &l->terms[k];
				memset(t, 0, sizeof *t);
				t->name = xstrdup(*nm);
				t->url = urls_term(u, lang, taxonomy_kinds[kind], *nm);
				t->slug = buf_detach(&slug, NULL);
				t->twins = xcalloc(c->nlangs, sizeof *t->twins);
				for (size_t j = 0; j < c->nlangs; j++)
					t->twins[j] = TAX_NONE;
			}
			buf_release(&slug);
			struct tax_term *t = &l->terms[k];
			if (t->n && t->briefs[t->n - 1] == b)
				continue; /* the same term twice on one page */
			t->briefs = xrealloc(t->briefs, (t->n + 1) * sizeof *t->briefs);
			t->briefs[t->n++] = b;
			if (!t->latest || b->epoch > t->latest->epoch)
				t->latest = b, t->lastmod = b->date_iso;
			if (!l->latest || b->epoch > l->latest->epoch)
				l->latest = b, l->lastmod = b->date_iso;
		}
	}
	strmap_release(&index);
	if (l->n > 1)
		qsort(l->terms, l->n, sizeof *l->terms, cmp_term);
	return r;
}

/* The term in list `to` that `name` maps to: through category_map first,
 * then by its own slug. */
static size_t twin_of(const struct config *c, int kind, const char *name, const struct tax_list *to)
{
	struct buf slug = BUF_INIT;
	size_t k = TAX_NONE;
	for (size_t i = 0; kind == TAX_CATEGORIES && i < c->ncats && k == TAX_NONE; i++) {
		const char *other = !strcmp(c->cats[i].a, name) ? c->cats[i].b
				    : !strcmp(c->cats[i].b, name) ? c->cats[i].a
								  : NULL;
		if (!other)
			continue;
		buf_truncate(&slug, 0);
		urls_term_slug(other, &slug);
		k = find_slug(to, slug.ptr);
	}
	if (k == TAX_NONE) {
		buf_truncate(&slug, 0);
		urls_term_slug(name, &slug);
		k = find_slug(to, slug.ptr);
	}
	buf_release(&slug);
	return k;
}

/* The twin of term name (language i) in language j when either is a
 * converted edition (config.h): the same term converted, and through the
 * source's twin for a third language. */
static size_t twin_conv(struct taxonomy *tx, const struct config *c, int kind, size_t i, const char *name, size_t j)
{
	const struct lang *li = &c->langs[i], *lj = &c->langs[j];
	if (li->conv) { /* find the source's term that converts to name */
		const struct tax_list *src = taxonomy_list(tx, li->from, kind);
		size_t t = TAX_NONE;
		for (size_t q = 0; q < src->n && t == TAX_NONE; q++) {
			char *cv = zhconv_dup(li->conv, src->terms[q].name);
			if (!strcmp(cv, name))
				t = q;
			free(cv);
		}
		if (t == TAX_NONE || j == li->from)
			return t;
		return twin_conv(tx, c, kind, li->from, src->terms[t].name, j);
	}
	if (lj->conv) { /* the twin in j's source, converted */
		const char *in_src = name;
		if (i != lj->from) {
			const struct tax_list *s = taxonomy_list(tx, lj->from, kind);
			size_t t = twin_of(c, kind, name, s);
			if (t == TAX_NONE)
				return TAX_NONE;
			in_src = s->terms[t].name;
		}
		char *cv = zhconv_dup(lj->conv, in_src);
		struct buf slug = BUF_INIT;
		urls_term_slug(cv, &slug);
		size_t k = find_slug(taxonomy_list(tx, j, kind), slug.ptr);
		buf_release(&slug);
		free(cv);
		return k;
	}
	return twin_of(c, kind, name, taxonomy_list(tx, j, kind));
}

int taxonomy_build(struct taxonomy *tx, const struct config *c, const struct urls *u,
		   const struct content *ct, struct diag_list *dl)
{
	int r = 0;
	tx->nlangs = c->nlangs;
	tx->lists = xcalloc(c->nlangs * TAX_KINDS, sizeof *tx->lists);
	for (size_t l = 0; l < c->nlangs; l++)
		for (int k = 0; k < TAX_KINDS; k++)
			r |= collect(taxonomy_list(tx, l, k), c, u, ct, l, k, dl);
	for (int k = 0; k < TAX_KINDS; k++)
		for (size_t i = 0; i < c->nlangs; i++) {
			struct tax_list *from = taxonomy_list(tx, i, k);
			for (size_t j = 0; j < c->nlangs; j++)
				for (size_t t = 0; j != i && t < from->n; t++)
					from->terms[t].twins[j] = twin_conv(tx, c, k, i, from->terms[t].name, j);
		}
	/* Keep only twins that point back. Clearing a one-sided pointer never
	 * breaks a mutual pair, so one pass in any order suffices. */
	for (int k = 0; k < TAX_KINDS; k++)
		for (size_t i = 0; i < c->nlangs; i++) {
			struct tax_list *from = taxonomy_list(tx, i, k);
			for (size_t t = 0; t < from->n; t++)
				for (size_t j = 0; j < c->nlangs; j++) {
					size_t o = from->terms[t].twins[j];
					if (o != TAX_NONE && taxonomy_list(tx, j, k)->terms[o].twins[i] != t)
						from->terms[t].twins[j] = TAX_NONE;
				}
		}
	return r;
}

void taxonomy_release(struct taxonomy *tx)
{
	for (size_t i = 0; tx->lists && i < tx->nlangs * TAX_KINDS; i++) {
		struct tax_list *l = &tx->lists[i];
		for (size_t t = 0; t < l->n; t++) {
			free(l->terms[t].name);
			free(l->terms[t].slug);
			free(l->terms[t].url);
			free(l->terms[t].briefs);
			free(l->terms[t].twins);
		}
		free(l->terms);
		free(l->url);
	}
	free(tx->lists);
	memset(tx, 0, sizeof *tx);
}

size_t taxonomy_pages(const struct config *c, size_t n)
{
	if (c->page_size <= 0 || n == 0)
		return 1;
	return (n + (size_t)c->page_size - 1) / (size_t)c->page_size;
}

void taxonomy_replace_brief(struct taxonomy *tx, const struct brief *old, struct brief *b)
{
	for (size_t i = 0; tx->lists && i < tx->nlangs * TAX_KINDS; i++) {
		struct tax_list *l = &tx->lists[i];
		if (l->latest == old)
			l->latest = b, l->lastmod = b->date_iso;
		for (size_t t = 0; t < l->n; t++) {
			struct tax_term *term = &l->terms[t];
			if (term->latest == old)
				term->latest = b, term->lastmod = b->date_iso;
			for (size_t k = 0; k < term->n; k++)
				if (term->briefs[k] == old)
					term->briefs[k] = b;
		}
	}
}
