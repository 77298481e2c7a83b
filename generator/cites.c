/* cites — which brief cites which, the order they render in, and the values
 * that travel between them. */
#include "cites.h"
#include "strmap.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

static int is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Characters, as an editor counts them, before byte column `bytes`. */
static int char_col(const char *line, size_t bytes)
{
	int col = 1;
	for (size_t i = 0; i < bytes; i++)
		col += ((unsigned char)line[i] & 0xC0) != 0x80;
	return col;
}

/* A fence line: up to three spaces, then three or more ` or ~. Returns
 * the run's length (its character in *ch), 0 when it is no fence. */
static size_t fence(const char *s, size_t n, char *ch, size_t *after)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	size_t k = i;
	while (k < n && s[k] == s[i])
		k++;
	if (k - i < 3)
		return 0;
	*ch = s[i];
	*after = k;
	return k - i;
}

/* `name = @slug.value` (then spaces, or a `--` comment) on line s[0..n):
 * adds it to b. The slug ends at the last '.' before the value's name. */
static void cite_line(struct brief *b, const struct page *p, const char *s, size_t n, int line)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || !is_ident_start(s[i]))
		return;
	while (i < n && is_ident(s[i]))
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '=')
		return;
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '@')
		return;
	size_t at = i++, end = i;
	while (end < n && s[end] != ' ' && s[end] != '\t' && s[end] != '\r' &&
	       !(s[end] == '-' && end + 1 < n && s[end + 1] == '-'))
		end++;
	const char *dot = NULL;
	for (size_t k = i; k < end; k++)
		if (s[k] == '.')
			dot = s + k;
	if (!dot || dot == s + i || dot + 1 == s + end)
		return; /* not a citation: lua/calc.lua says why */
	for (const char *q = dot + 1; q < s + end; q++)
		if (!is_ident(*q))
			return;
	size_t rest = end; /* only a comment may follow: `@a.b + 1` is lua/calc.lua's to reject */
	while (rest < n && (s[rest] == ' ' || s[rest] == '\t' || s[rest] == '\r'))
		rest++;
	if (rest < n && !(s[rest] == '-' && rest + 1 < n && s[rest + 1] == '-'))
		return;
	size_t sl = (size_t)(dot - (s + i)), nl = (size_t)(s + end - dot - 1);
	for (size_t k = 0; k < b->ncites; k++) /* the same line in another language: once */
		if (strlen(b->cites[k].slug) == sl && !memcmp(b->cites[k].slug, s + i, sl) &&
		    strlen(b->cites[k].name) == nl && !memcmp(b->cites[k].name, dot + 1, nl))
			return;
	b->cites = xrealloc(b->cites, (b->ncites + 1) * sizeof *b->cites);
	b->cites[b->ncites++] = (struct cite){
		.slug = xstrndup(s + i, (size_t)(dot - (s + i))),
		.name = xstrndup(dot + 1, (size_t)(s + end - dot - 1)),
		.file = p->file, .line = line, .col = char_col(s, at),
	};
}

static void scan_page(struct brief *b, const struct page *p)
{
	const char *s = p->body, *end = s + p->body_len;
	if (!memchr(s, '@', p->body_len))
		return;
	int line = p->body_line, in_calc = 0;
	char open_ch = 0;
	size_t open_len = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char ch = 0;
		size_t after = 0, len = fence(s, n, &ch, &after);
		if (!in_calc && len) {
			while (after < n && s[after] == ' ')
				after++;
			if (n - after >= 4 && !memcmp(s + after, "calc", 4) && (n - after == 4 || !is_ident(s[after + 4])))
				in_calc = 1, open_ch = ch, open_len = len;
		} else if (in_calc && len >= open_len && ch == open_ch) {
			in_calc = 0;
		} else if (in_calc) {
			cite_line(b, p, s, n, line);
		}
		s += n + (nl != NULL);
		line++;
	}
}

void cites_clear(struct brief *b)
{
	for (size_t i = 0; i < b->ncites; i++) {
		free(b->cites[i].slug);
		free(b->cites[i].name);
	}
	free(b->cites);
	b->cites = NULL;
	b->ncites = 0;
	blob_unref(b->exports);
	b->exports = NULL;
}

size_t cites_scan(struct brief *b, size_t nlangs)
{
	cites_clear(b);
	b->cited = 0;
	for (size_t l = 0; l < nlangs; l++)
		if (b->pages[l])
			scan_page(b, b->pages[l]);
	return b->ncites;
}

/* ---- the order -------------------------------------------------------- */

enum { UNSEEN, ACTIVE, DONE };

struct planner {
	struct content *ct;
	int *state;
	size_t *level;
	struct diag_list *dl;
	int failed;
};

/* Depth first over what brief i cites; a brief met again while active
 * closes a cycle, reported at the citation that closes it with every
 * citation on it. stack holds (brief, citation) pairs. */
static size_t visit(struct planner *pl, size_t i, size_t *stack_b, size_t *stack_c, size_t depth)
{
	if (pl->state[i] == DONE)
		return pl->level[i];
	struct brief *b = pl->ct->briefs[i];
	pl->state[i] = ACTIVE;
	size_t lv = 0;
	for (size_t c = 0; c < b->ncites; c++) {
		struct brief *t = b->cites[c].target;
		if (!t)
			continue;
		stack_b[depth] = i, stack_c[depth] = c;
		if (pl->state[t->index] == ACTIVE) {
			struct buf msg = BUF_INIT;
			size_t from = 0;
			for (size_t k = 0; k <= depth; k++)
				if (stack_b[k] == t->index)
					from = k;
			buf_adds(&msg, "briefs cite each other in a cycle: ");
			for (size_t k = from; k <= depth; k++) {
				const struct cite *ck = &pl->ct->briefs[stack_b[k]]->cites[stack_c[k]];
				buf_addf(&msg, "%s (%s:%d:%d) -> ", pl->ct->briefs[stack_b[k]]->slug, ck->file, ck->line, ck->col);
			}
			buf_adds(&msg, t->slug);
			const struct cite *here = &b->cites[c];
			diag_error(pl->dl, (struct srcpos){ here->file, here->line, here->col }, "%s", msg.ptr);
			buf_release(&msg);
			pl->failed = 1;
			continue;
		}
		size_t tl = visit(pl, t->index, stack_b, stack_c, depth + 1);
		if (tl + 1 > lv)
			lv = tl + 1;
	}
	pl->state[i] = DONE;
	pl->level[i] = lv;
	return lv;
}

/* Edit distance of a and b (insert, delete, replace: one each), for a
 * mistyped slug's "did you mean". Slugs are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

/* The slug of ct nearest to s, when it is near enough to be a typo. */
static const char *nearest_slug(const struct content *ct, const char *s)
{
	const char *best = NULL;
	size_t bd = (size_t)-1, limit = (strlen(s) + 2) / 3 > 1 ? (strlen(s) + 2) / 3 : 1;
	for (size_t i = 0; i < ct->n; i++) {
		size_t d = distance(s, ct->briefs[i]->slug);
		if (d <= limit && d < bd)
			bd = d, best = ct->briefs[i]->slug;
	}
	return best;
}

int cites_plan(struct content *ct, struct cites_plan *plan, struct diag_list *dl)
{
	size_t n = ct->n, errors = dl->errors, any = 0;
	struct strmap slugs = STRMAP_BORROWED;
	for (size_t i = 0; i < n; i++) {
		ct->briefs[i]->index = i;
		any += cites_scan(ct->briefs[i], ct->nlangs);
		strmap_put(&slugs, ct->briefs[i]->slug, NULL)->value = ct->briefs[i];
	}
	struct planner pl = { ct, xcalloc(n + 1, sizeof *pl.state), xcalloc(n + 1, sizeof *pl.level), dl, 0 };
	for (size_t i = 0; any && i < n; i++) {
		struct brief *b = ct->briefs[i];
		for (size_t c = 0; c < b->ncites; c++) {
			struct cite *x = &b->cites[c];
			struct strmap_slot *s = strmap_find(&slugs, x->slug);
			struct srcpos at = { x->file, x->line, x->col };
			const char *hint = s ? NULL : nearest_slug(ct, x->slug);
			if (!s)
				diag_error(dl, at, "'@%s.%s': no brief has the slug '%s'%s%s%s", x->slug, x->name, x->slug,
					   hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
			else if (s->value == b)
				diag_error(dl, at, "'@%s.%s' cites this brief itself; write '%s' instead", x->slug, x->name,
					   x->name);
			else {
				x->target = s->value;
				x->target->cited = 1;
			}
		}
	}
	size_t *stack_b = xcalloc(n + 1, sizeof *stack_b), *stack_c = xcalloc(n + 1, sizeof *stack_c);
	size_t nlevels = 1;
	for (size_t i = 0; any && i < n; i++) {
		size_t lv = visit(&pl, i, stack_b, stack_c, 0);
		if (lv + 1 > nlevels)
			nlevels = lv + 1;
	}
	plan->nlevels = nlevels;
	plan->order = xcalloc(n + 1, sizeof *plan->order);
	plan->start = xcalloc(nlevels + 1, sizeof *plan->start);
	size_t at = 0;
	for (size_t l = 0; l < nlevels; l++) {
		plan->start[l] = at;
		for (size_t i = 0; i < n; i++)
			if (pl.level[i] == l)
				plan->order[at++] = i;
	}
	plan->start[nlevels] = at;
	free(stack_b);
	free(stack_c);
	free(pl.state);
	free(pl.level);
	strmap_release(&slugs);
	return dl->errors > errors ? -1 : 0;
}

void cites_plan_release(struct cites_plan *plan)
{
	free(plan->order);
	free(plan->start);
	memset(plan, 0, sizeof *plan);
}

/* ---- the values ------------------------------------------------------- */

void cites_export(const struct calc_model *m, struct buf *out)
{
	for (size_t i = 0; i < m->nvalues; i++)
		buf_addf(out, "%s\t%.17g\t%s\n", m->values[i].name, m->values[i].base, m->values[i].unit);
}

/* Steps over the exports text from *s (before end): the line's name is
 * [*name, *name + *nlen), its value and unit follow at *rest, it ends at
 * *eol. Returns 0 past the last line. */
static int export_line(const char **s, const char *end, const char **name, size_t *nlen, const char **rest,
		       const char **eol)
{
	for (; *s && *s < end;) {
		const char *nl = memchr(*s, '\n', (size_t)(end - *s));
		if (!nl)
			return 0;
		const char *tab = memchr(*s, '\t', (size_t)(nl - *s));
		const char *at = *s;
		*s = nl + 1;
		if (tab) {
			*name = at, *nlen = (size_t)(tab - at), *rest = tab + 1, *eol = nl;
			return 1;
		}
	}
	return 0;
}

/* The exports line of name in e: 1 with its value and unit (caller frees). */
static int exported(const struct blob *e, const char *name, double *base, char **unit)
{
	size_t nlen = strlen(name), ln;
	const char *s = e ? e->data : NULL, *n, *rest, *eol;
	while (e && export_line(&s, e->data + e->len, &n, &ln, &rest, &eol))
		if (ln == nlen && !memcmp(n, name, nlen)) {
			char *after;
			*base = strtod(rest, &after);
			const char *u = after + (*after == '\t');
			*unit = xstrndup(u, (size_t)(eol - u));
			return 1;
		}
	return 0;
}

/* The exported name nearest to name, when near enough to be a typo;
 * caller frees. */
static char *nearest_export(const struct blob *e, const char *name)
{
	char *best = NULL;
	size_t bd = (size_t)-1, limit = (strlen(name) + 2) / 3 > 1 ? (strlen(name) + 2) / 3 : 1, ln;
	const char *s = e->data, *n, *rest, *eol;
	while (export_line(&s, e->data + e->len, &n, &ln, &rest, &eol)) {
		char *cand = xstrndup(n, ln);
		size_t d = distance(name, cand);
		if (d <= limit && d < bd) {
			free(best);
			best = cand, bd = d;
		} else {
			free(cand);
		}
	}
	return best;
}

static const struct cite *cite_of(const struct brief *b, const char *formula)
{
	for (size_t i = 0; i < b->ncites; i++) {
		const struct cite *c = &b->cites[i];
		size_t sl = strlen(c->slug);
		if (formula[0] == '@' && !strncmp(formula + 1, c->slug, sl) && formula[1 + sl] == '.' &&
		    !strcmp(formula + 2 + sl, c->name))
			return c;
	}
	return NULL;
}

void cites_resolve(struct calc_source *src, const struct brief *b)
{
	src->cited = xcalloc(src->ndefs + 1, sizeof *src->cited);
	for (size_t i = 0; i < src->ndefs; i++) {
		const struct calc_def *d = &src->defs[i];
		if (d->formula[0] != '@')
			continue;
		int dup = 0;
		for (size_t k = 0; k < src->ncited && !dup; k++)
			dup = !strcmp(src->cited[k].name, d->name);
		if (dup)
			continue;
		const struct cite *c = cite_of(b, d->formula);
		struct calc_cited *x = &src->cited[src->ncited++];
		x->name = xstrdup(d->name);
		if (!c) /* lua/calc.lua tells what is wrong with the formula */
			x->err = xasprintf("'%s = %s' is not a citation of another brief's value ('@brief.name')",
					   d->name, d->formula);
		else if (!c->target) /* reported by the plan */
			x->err = xasprintf("'%s' cites no brief of this site", d->name);
		else if (!c->target->exports)
			x->err = xasprintf("'%s' cites '%s', which has no values (it has no calc model, or it failed)",
					   d->name, c->target->slug);
		else if (!exported(c->target->exports, c->name, &x->base, &x->unit)) {
			char *hint = nearest_export(c->target->exports, c->name);
			x->err = xasprintf("'%s' cites '%s.%s': brief '%s' has no value '%s'%s%s%s", d->name, c->slug,
					   c->name, c->slug, c->name, hint ? " (did you mean '" : "", hint ? hint : "",
					   hint ? "'?)" : "");
			free(hint);
		}
	}
}

void cites_link(struct calc_model *m, const struct brief *b, size_t nlangs)
{
	for (size_t i = 0; i < m->nvalues; i++) {
		struct calc_value *v = &m->values[i];
		const struct cite *c = cite_of(b, v->formula);
		if (!c || !c->target)
			continue;
		const struct brief *t = c->target;
		v->cite_slug = xstrdup(c->slug);
		v->cite_name = xstrdup(c->name);
		v->cite_url = xcalloc(nlangs, sizeof *v->cite_url);
		v->cite_title = xcalloc(nlangs, sizeof *v->cite_title);
		const struct page *first = NULL;
		for (size_t l = 0; l < nlangs && !first; l++)
			first = t->pages[l];
		for (size_t l = 0; l < nlangs; l++) {
			const struct page *p = t->pages[l] ? t->pages[l] : first;
			v->cite_url[l] = xasprintf("%s#calc-%s", p->url, c->name);
			v->cite_title[l] = xstrdup(p->title ? p->title : t->slug);
		}
		free(v->source_url);
		v->source_url = xstrdup(v->cite_url[0]);
	}
}
