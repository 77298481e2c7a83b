/* calc — collect the model's definitions and citations from the trees. */
#include "calc.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include "banned.h"

/* Room for element n of an array whose capacity is the smallest power of
 * two holding its n elements: it doubles, so adding 20 000 spans does not
 * copy the array 20 000 times (ASan's realloc always copies). */
static void *grow(void *v, size_t n, size_t size)
{
	if (n & (n - 1))
		return v;
	return xrealloc(v, (n ? 2 * n : 1) * size);
}

static char *trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Finds "--" outside a quoted string; returns its offset or n. */
static size_t comment_at(const char *s, size_t n)
{
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		if (q) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
			return i;
		}
	}
	return n;
}

/* One line of a calc block: `name = expression -- label`. */
static int parse_line(struct calc_source *m, const char *s, size_t n, const char *file, int line,
		      int col0, size_t lang, struct diag_list *dl)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || (i + 1 < n && s[i] == '-' && s[i + 1] == '-'))
		return 0; /* blank or comment */
	size_t ns = i;
	if (!(isalpha((unsigned char)s[i]) || s[i] == '_'))
		return diag_error(dl, (struct srcpos){ file, line, col0 + (int)i },
				  "expected 'name = expression' in calc block");
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	size_t ne = i;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '=' || (i + 1 < n && s[i + 1] == '='))
		return diag_error(dl, (struct srcpos){ file, line, col0 + (int)i },
				  "expected '=' after '%.*s' in calc block", (int)(ne - ns), s + ns);
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t fs = i;
	size_t c = fs + comment_at(s + fs, n - fs);
	char *formula = trim(s + fs, c - fs);
	if (!*formula) {
		free(formula);
		return diag_error(dl, (struct srcpos){ file, line, col0 + (int)fs },
				  "'%.*s' has no formula", (int)(ne - ns), s + ns);
	}
	m->defs = grow(m->defs, m->ndefs, sizeof *m->defs);
	struct calc_def *d = &m->defs[m->ndefs++];
	d->name = xstrndup(s + ns, ne - ns);
	d->formula = formula;
	d->label = c < n ? trim(s + c + 2, n - c - 2) : xstrdup("");
	d->file = file;
	d->line = line;
	d->col = col0 + (int)ns;
	d->fcol = col0 + (int)fs;
	d->lang = lang;
	d->block = m->nblocks - 1;
	return 0;
}

/* Start of a file line inside the page's source, or NULL. */
static const char *line_start(const struct page *p, int line)
{
	const char *s = p->src.ptr, *end = s + p->src.len;
	for (int l = 1; l < line && s < end; l++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			return NULL;
		s = nl + 1;
	}
	return s < end ? s : NULL;
}

/* Columns are counted in characters, as an author counts them in an editor,
 * not in bytes (cmark reports bytes). */
static int char_col(const struct page *p, int line, int bytecol)
{
	const char *s = line_start(p, line);
	if (!s || bytecol <= 0)
		return bytecol;
	int col = 1;
	for (int i = 0; i < bytecol - 1 && s[i] && s[i] != '\n'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

int calc_source_col(const struct calc_source *src, const char *file, int line, int bytecol)
{
	for (size_t k = 0; k < src->nlangs && bytecol > 0; k++)
		if (src->pages[k] && !strcmp(src->pages[k]->file, file))
			return char_col(src->pages[k], line, bytecol);
	return bytecol;
}

/* Whether n is a fenced block whose info string's first word is word. */
static int fence_is(cmark_node *n, const char *word)
{
	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
		return 0;
	const char *info = cmark_node_get_fence_info(n);
	if (!info)
		return 0;
	while (*info == ' ')
		info++;
	size_t l = strlen(word);
	return !strncmp(info, word, l) && (info[l] == '\0' || isspace((unsigned char)info[l]));
}

static int add_chart(struct calc_source *m, cmark_node *n, const struct page *p, int off, size_t lang,
		     struct diag_list *dl)
{
	m->charts = grow(m->charts, m->ncharts, sizeof *m->charts);
	struct chart_spec *c = &m->charts[m->ncharts++];
	int r = chart_parse(c, cmark_node_get_literal(n), p->file, cmark_node_get_start_line(n) + off + 1,
			    cmark_node_get_start_column(n), dl);
	c->lang = lang;
	c->node = n;
	return r;
}

static int add_whatif(struct calc_source *m, cmark_node *n, const struct page *p, int off, size_t lang,
		      struct diag_list *dl)
{
	int line = cmark_node_get_start_line(n) + off;
	for (size_t i = 0; i < m->nwhatifs; i++)
		if (m->whatifs[i].lang == lang)
			return diag_error(dl, (struct srcpos){ p->file, line, cmark_node_get_start_column(n) },
					  "a page has one whatif block (the first is at line %d)", m->whatifs[i].line - 1);
	m->whatifs = grow(m->whatifs, m->nwhatifs, sizeof *m->whatifs);
	struct whatif_spec *w = &m->whatifs[m->nwhatifs++];
	int r = whatif_parse(w, cmark_node_get_literal(n), p->file, line + 1, cmark_node_get_start_column(n), dl);
	w->lang = lang;
	w->node = n;
	return r;
}

static int add_block(struct calc_source *m, cmark_node *n, const struct page *p, int off, size_t lang,
		     struct diag_list *dl)
{
	int r = 0;
	m->blocks = grow(m->blocks, m->nblocks, sizeof *m->blocks);
	m->blocks[m->nblocks++] = (struct calc_block){ n, lang };
	const char *lit = cmark_node_get_literal(n);
	int line = cmark_node_get_start_line(n) + off + 1;
	int col0 = cmark_node_get_start_column(n);
	for (const char *s = lit; *s; line++) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len && s[len - 1] == '\r')
			len--;
		r |= parse_line(m, s, len, p->file, line, col0, lang, dl);
		s = e ? e + 1 : s + strlen(s);
	}
	return r;
}

/* Where the line of the last span began. Spans come in document order, so
 * each one's line is found from the last one's, at the cost of the text in
 * between: from the top of the page each time, 20 000 spans on their own
 * lines took seconds. */
struct line_cursor {
	const struct page *p;
	int line;
	const char *s;
};

/* line_start(p, line), walking on from the cursor. */
static const char *line_from(struct line_cursor *c, const struct page *p, int line)
{
	const char *end = p->src.ptr + p->src.len;
	if (c->p != p || line < c->line)
		*c = (struct line_cursor){ p, 1, p->src.ptr };
	while (c->line < line) {
		const char *nl = memchr(c->s, '\n', (size_t)(end - c->s));
		if (!nl)
			return NULL;
		c->s = nl + 1;
		c->line++;
	}
	return c->s < end ? c->s : NULL;
}

static int add_span(struct calc_source *m, cmark_node *n, const struct page *p, int off, size_t lang,
		    struct line_cursor *cur, struct diag_list *dl)
{
	const char *lit = cmark_node_get_literal(n);
	const char *bar = strrchr(lit, '|');
	size_t el = bar ? (size_t)(bar - lit) : strlen(lit);
	m->spans = grow(m->spans, m->nspans, sizeof *m->spans);
	struct calc_span *rf = &m->spans[m->nspans++];
	rf->expr = trim(lit + 1, el - 1);
	rf->spec = bar ? trim(bar + 1, strlen(bar + 1)) : xstrdup("");
	rf->file = p->file;
	rf->line = cmark_node_get_start_line(n) + off;
	size_t lead = 1;
	while (lit[lead] == ' ')
		lead++;
	/* cmark's inline columns are not exact; find the span's '=' */
	int bc = cmark_node_get_start_column(n);
	const char *ls = line_from(cur, p, rf->line);
	if (ls) {
		/* searched within the line only: strstr would look (under ASan,
		 * measure) to the end of the page for every span */
		const char *end = p->src.ptr + p->src.len;
		const char *nl = memchr(ls, '\n', (size_t)(end - ls));
		size_t len = (size_t)((nl ? nl : end) - ls);
		const char *eq = memmem(ls, len, "`=", 2);
		while (eq && (int)(eq - ls) + 1 < bc - 1) {
			const char *nx = memmem(eq + 1, len - (size_t)(eq + 1 - ls), "`=", 2);
			if (!nx)
				break;
			eq = nx;
		}
		if (eq)
			bc = (int)(eq - ls) + 2;
	}
	rf->col = bc + (int)lead;
	rf->lang = lang;
	rf->node = n;
	if (!*rf->expr)
		return diag_error(dl, (struct srcpos){ rf->file, rf->line, rf->col },
				  "empty calc reference (write `= name`)");
	return 0;
}

int calc_collect(struct calc_source *src, struct md_doc *const *docs, struct page *const *pages,
		 size_t nlangs, struct diag_list *dl)
{
	memset(src, 0, sizeof *src);
	src->pages = pages;
	src->nlangs = nlangs;
	int r = 0;
	struct line_cursor cur = { NULL, 0, NULL };
	for (size_t lang = 0; lang < nlangs; lang++) {
		if (!docs[lang])
			continue;
		int off = md_line_offset(docs[lang]);
		cmark_iter *it = cmark_iter_new(md_root(docs[lang]));
		for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
			cmark_node *n = cmark_iter_get_node(it);
			if (ev != CMARK_EVENT_ENTER)
				continue;
			if (fence_is(n, "calc"))
				r |= add_block(src, n, pages[lang], off, lang, dl);
			else if (fence_is(n, "chart"))
				r |= add_chart(src, n, pages[lang], off, lang, dl);
			else if (fence_is(n, "whatif"))
				r |= add_whatif(src, n, pages[lang], off, lang, dl);
			else if (cmark_node_get_type(n) == CMARK_NODE_CODE && cmark_node_get_literal(n)[0] == '=')
				r |= add_span(src, n, pages[lang], off, lang, &cur, dl);
		}
		cmark_iter_free(it);
	}
	return r < 0 ? -1 : 0;
}

void calc_source_model_only(struct calc_source *src)
{
	for (size_t i = 0; i < src->ncharts; i++)
		chart_spec_release(&src->charts[i]);
	for (size_t i = 0; i < src->nwhatifs; i++)
		whatif_spec_release(&src->whatifs[i]);
	src->ncharts = src->nwhatifs = 0;
}

int calc_source_any(const struct calc_source *src)
{
	return src->ndefs || src->nspans || src->ncharts || src->nwhatifs;
}

void calc_source_release(struct calc_source *src)
{
	for (size_t i = 0; i < src->ndefs; i++) {
		free(src->defs[i].name);
		free(src->defs[i].formula);
		free(src->defs[i].label);
	}
	for (size_t i = 0; i < src->nspans; i++) {
		free(src->spans[i].expr);
		free(src->spans[i].spec);
	}
	for (size_t i = 0; i < src->ncharts; i++)
		chart_spec_release(&src->charts[i]);
	for (size_t i = 0; i < src->nwhatifs; i++)
		whatif_spec_release(&src->whatifs[i]);
	for (size_t i = 0; i < src->ncited; i++) {
		free(src->cited[i].name);
		free(src->cited[i].unit);
		free(src->cited[i].err);
	}
	free(src->cited);
	free(src->whatifs);
	free(src->defs);
	free(src->spans);
	free(src->blocks);
	free(src->charts);
	memset(src, 0, sizeof *src);
}
