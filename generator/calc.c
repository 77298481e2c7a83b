/* calc — collect, evaluate (in Lua), substitute. */
#include "calc.h"
#include "luaenv.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>

#define CALC_MEM (64u << 20)
#define CALC_STEPS 20000000

struct def {
	char *name, *formula, *label;
	const char *file;
	int line, col, fcol;
	size_t lang;
	cmark_node *block;   /* the fenced block it came from */
};

struct ref {
	char *expr, *spec;
	const char *file;
	int line, col;
	size_t lang;
	cmark_node *node;
};

struct model {
	struct def *defs;
	size_t ndefs;
	struct ref *refs;
	size_t nrefs;
	cmark_node **blocks; /* calc blocks, in order */
	size_t *block_lang;
	size_t nblocks;
};

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
static int parse_line(struct model *m, const char *s, size_t n, const char *file, int line, int col0,
		      size_t lang, cmark_node *block, struct diag_list *dl)
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
	m->defs = xrealloc(m->defs, (m->ndefs + 1) * sizeof *m->defs);
	struct def *d = &m->defs[m->ndefs++];
	d->name = xstrndup(s + ns, ne - ns);
	d->formula = formula;
	d->label = c < n ? trim(s + c + 2, n - c - 2) : xstrdup("");
	d->file = file;
	d->line = line;
	d->col = col0 + (int)ns;
	d->fcol = col0 + (int)fs;
	d->lang = lang;
	d->block = block;
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

static int is_calc_block(cmark_node *n)
{
	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
		return 0;
	const char *info = cmark_node_get_fence_info(n);
	if (!info)
		return 0;
	while (*info == ' ')
		info++;
	return !strncmp(info, "calc", 4) && (info[4] == '\0' || isspace((unsigned char)info[4]));
}

static int collect(struct model *m, struct md_doc *doc, const struct page *p, size_t lang,
		   struct diag_list *dl)
{
	int off = md_line_offset(doc), r = 0;
	cmark_iter *it = cmark_iter_new(md_root(doc));
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (is_calc_block(n)) {
			m->blocks = xrealloc(m->blocks, (m->nblocks + 1) * sizeof *m->blocks);
			m->block_lang = xrealloc(m->block_lang, (m->nblocks + 1) * sizeof *m->block_lang);
			m->blocks[m->nblocks] = n;
			m->block_lang[m->nblocks++] = lang;
			const char *lit = cmark_node_get_literal(n);
			int line = cmark_node_get_start_line(n) + off + 1;
			int col0 = cmark_node_get_start_column(n);
			for (const char *s = lit; *s; line++) {
				const char *e = strchr(s, '\n');
				size_t len = e ? (size_t)(e - s) : strlen(s);
				if (len && s[len - 1] == '\r')
					len--;
				r |= parse_line(m, s, len, p->file, line, col0, lang, n, dl);
				s = e ? e + 1 : s + strlen(s);
			}
		} else if (cmark_node_get_type(n) == CMARK_NODE_CODE) {
			const char *lit = cmark_node_get_literal(n);
			if (lit[0] != '=')
				continue;
			const char *bar = strrchr(lit, '|');
			size_t el = bar ? (size_t)(bar - lit) : strlen(lit);
			m->refs = xrealloc(m->refs, (m->nrefs + 1) * sizeof *m->refs);
			struct ref *rf = &m->refs[m->nrefs++];
			rf->expr = trim(lit + 1, el - 1);
			rf->spec = bar ? trim(bar + 1, strlen(bar + 1)) : xstrdup("");
			rf->file = p->file;
			rf->line = cmark_node_get_start_line(n) + off;
			size_t lead = 1;
			while (lit[lead] == ' ')
				lead++;
			/* cmark's inline columns are not exact; find the span's '=' */
			int bc = cmark_node_get_start_column(n);
			const char *ls = line_start(p, rf->line);
			if (ls) {
				const char *eq = strstr(ls, "`=");
				const char *nl = strchr(ls, '\n');
				while (eq && (!nl || eq < nl) && (int)(eq - ls) + 1 < bc - 1) {
					const char *nx = strstr(eq + 1, "`=");
					if (!nx || (nl && nx > nl))
						break;
					eq = nx;
				}
				if (eq && (!nl || eq < nl))
					bc = (int)(eq - ls) + 2;
			}
			rf->col = bc + (int)lead;
			rf->lang = lang;
			rf->node = n;
			if (!*rf->expr)
				r |= diag_error(dl, (struct srcpos){ rf->file, rf->line, rf->col },
						"empty calc reference (write `= name`)");
		}
	}
	cmark_iter_free(it);
	return r;
}

static void model_release(struct model *m)
{
	for (size_t i = 0; i < m->ndefs; i++) {
		free(m->defs[i].name);
		free(m->defs[i].formula);
		free(m->defs[i].label);
	}
	for (size_t i = 0; i < m->nrefs; i++) {
		free(m->refs[i].expr);
		free(m->refs[i].spec);
	}
	free(m->defs);
	free(m->refs);
	free(m->blocks);
	free(m->block_lang);
}

/* ---- Lua side ---------------------------------------------------------- */

static void push_defs(lua_State *L, const struct model *m)
{
	lua_createtable(L, (int)m->ndefs, 0);
	for (size_t i = 0; i < m->ndefs; i++) {
		const struct def *d = &m->defs[i];
		lua_createtable(L, 0, 7);
		lua_pushstring(L, d->name), lua_setfield(L, -2, "name");
		lua_pushstring(L, d->formula), lua_setfield(L, -2, "formula");
		lua_pushstring(L, d->label), lua_setfield(L, -2, "label");
		lua_pushstring(L, d->file), lua_setfield(L, -2, "file");
		lua_pushinteger(L, d->line), lua_setfield(L, -2, "line");
		lua_pushinteger(L, d->col), lua_setfield(L, -2, "col");
		lua_pushinteger(L, d->fcol), lua_setfield(L, -2, "fcol");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_refs(lua_State *L, const struct model *m, const struct config *cfg)
{
	lua_createtable(L, (int)m->nrefs, 0);
	for (size_t i = 0; i < m->nrefs; i++) {
		const struct ref *r = &m->refs[i];
		lua_createtable(L, 0, 6);
		lua_pushstring(L, r->expr), lua_setfield(L, -2, "expr");
		lua_pushstring(L, r->spec), lua_setfield(L, -2, "spec");
		lua_pushstring(L, r->file), lua_setfield(L, -2, "file");
		lua_pushinteger(L, r->line), lua_setfield(L, -2, "line");
		lua_pushinteger(L, r->col), lua_setfield(L, -2, "col");
		lua_pushstring(L, cfg->langs[r->lang].code), lua_setfield(L, -2, "lang");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static const char *field_str(lua_State *L, int t, const char *k)
{
	lua_getfield(L, t, k);
	const char *s = lua_tostring(L, -1);
	lua_pop(L, 1); /* still referenced by the table, so s stays valid */
	return s;
}

/* Headers of the calculation table; the theme's i18n strings live in
 * template.c's state, so the few words needed here are kept here. */
static const char *const table_words[][5] = {
	{ "zh", "名稱", "說明", "公式", "數值" },
	{ "en", "Name", "Meaning", "Formula", "Value" },
};

static const char *word(const char *lang, int i)
{
	for (size_t k = 0; k < sizeof table_words / sizeof *table_words; k++)
		if (!strcmp(table_words[k][0], lang))
			return table_words[k][i];
	return table_words[1][i];
}

struct rowset { /* names already given a row (and id) on one page */
	char **names;
	size_t n;
};

static int row_seen(struct rowset *s, const char *name, int add)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return 1;
	if (add) {
		s->names = xrealloc(s->names, (s->n + 1) * sizeof *s->names);
		s->names[s->n++] = xstrdup(name);
	}
	return 0;
}

static void table_open(struct buf *h, const char *lang)
{
	buf_addf(h, "<table class=\"calc-table\">\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
		 word(lang, 1), word(lang, 2), word(lang, 3), word(lang, 4));
}

/* One row; model entry e is on the top of the stack. */
static void table_row(lua_State *L, struct buf *h, const char *lang, struct rowset *rows)
{
	int e = lua_gettop(L);
	const char *name = field_str(L, e, "name");
	lua_getfield(L, e, "labels");
	const char *label = field_str(L, -1, lang);
	lua_getfield(L, e, "display");
	const char *value = field_str(L, -1, lang);
	if (!row_seen(rows, name, 1)) {
		buf_adds(h, "<tr id=\"calc-");
		buf_add_html(h, name, strlen(name));
		buf_adds(h, "\">");
	} else {
		buf_adds(h, "<tr>");
	}
	buf_adds(h, "<td><code>");
	buf_add_html(h, name, strlen(name));
	buf_adds(h, "</code></td><td class=\"label\">");
	if (label)
		buf_add_html(h, label, strlen(label));
	buf_adds(h, "</td><td><code>");
	const char *f = field_str(L, e, "formula");
	buf_add_html(h, f, strlen(f));
	buf_adds(h, "</code></td><td class=\"num\">");
	if (value)
		buf_add_html(h, value, strlen(value));
	buf_adds(h, "</td></tr>\n");
	lua_pop(L, 2);
}

static void replace_with_html(cmark_node *n, const char *html, int block)
{
	cmark_node *h = cmark_node_new(block ? CMARK_NODE_HTML_BLOCK : CMARK_NODE_HTML_INLINE);
	cmark_node_set_literal(h, html);
	cmark_node_replace(n, h);
	cmark_node_free(n);
}

/* Rewrites one language's tree; the result table of calc.evaluate is on
 * the top of the stack. */
static void substitute(lua_State *L, struct model *m, size_t lang, struct md_doc *doc,
		       const struct config *cfg)
{
	int res = lua_gettop(L);
	const char *code = cfg->langs[lang].code;
	lua_getfield(L, res, "model");
	int model = lua_gettop(L);
	struct rowset rows = { NULL, 0 };
	for (size_t b = 0; b < m->nblocks; b++) {
		if (m->block_lang[b] != lang)
			continue;
		struct buf h = BUF_INIT;
		table_open(&h, code);
		for (size_t i = 0; i < m->ndefs; i++) {
			if (m->defs[i].block != m->blocks[b])
				continue;
			if (lua_getfield(L, model, m->defs[i].name) == LUA_TTABLE)
				table_row(L, &h, code, &rows);
			lua_pop(L, 1);
		}
		buf_adds(&h, "</tbody>\n</table>\n");
		replace_with_html(m->blocks[b], h.ptr, 1);
		buf_release(&h);
	}
	lua_getfield(L, res, "refs");
	int refs = lua_gettop(L);
	struct rowset missing = { NULL, 0 };
	for (size_t i = 0; i < m->nrefs; i++) {
		struct ref *r = &m->refs[i];
		if (r->lang != lang)
			continue;
		lua_geti(L, refs, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		const char *text = field_str(L, t, "text");
		const char *name = field_str(L, t, "name");
		if (text) {
			struct buf h = BUF_INIT;
			buf_adds(&h, "<a class=\"calc-value\"");
			if (name) {
				buf_adds(&h, " href=\"#calc-");
				buf_add_html(&h, name, strlen(name));
				buf_adds(&h, "\" data-calc=\"");
				buf_add_html(&h, name, strlen(name));
				buf_adds(&h, "\"");
				if (!row_seen(&rows, name, 0))
					row_seen(&missing, name, 1);
			}
			const char *title = field_str(L, t, "title");
			const char *formula = field_str(L, t, "formula");
			const char *inputs = field_str(L, t, "data_inputs");
			buf_adds(&h, " title=\"");
			buf_add_html(&h, title, strlen(title));
			buf_adds(&h, "\" data-formula=\"");
			buf_add_html(&h, formula, strlen(formula));
			buf_adds(&h, "\" data-inputs=\"");
			buf_add_html(&h, inputs, strlen(inputs));
			buf_adds(&h, "\">");
			buf_add_html(&h, text, strlen(text));
			buf_adds(&h, "</a>");
			replace_with_html(r->node, h.ptr, 0);
			buf_release(&h);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	if (missing.n) {
		/* Values cited here but defined only in another language's file
		 * still get a row on this page, so every link lands. */
		struct buf h = BUF_INIT;
		table_open(&h, code);
		for (size_t i = 0; i < missing.n; i++) {
			if (lua_getfield(L, model, missing.names[i]) == LUA_TTABLE)
				table_row(L, &h, code, &rows);
			lua_pop(L, 1);
		}
		buf_adds(&h, "</tbody>\n</table>\n");
		cmark_node *blk = cmark_node_new(CMARK_NODE_HTML_BLOCK);
		cmark_node_set_literal(blk, h.ptr);
		cmark_node_append_child(md_root(doc), blk);
		buf_release(&h);
	}
	for (size_t i = 0; i < rows.n; i++)
		free(rows.names[i]);
	for (size_t i = 0; i < missing.n; i++)
		free(missing.names[i]);
	free(rows.names);
	free(missing.names);
	lua_pop(L, 1);
}

/* numbers.json: the model as data, sorted by name, with the pages citing
 * each value. Paths are kept from "content/" on so the bytes do not depend
 * on where the site was built. */
static void write_json(lua_State *L, const struct model *m, const struct brief *b,
		       const struct config *cfg, struct buf *out)
{
	int res = lua_gettop(L);
	json_t *root = json_object();
	json_object_set_new(root, "brief", json_string(b->slug));
	json_t *values = json_array();
	lua_getfield(L, res, "model");
	int model = lua_gettop(L);
	lua_getfield(L, res, "refs");
	int refs = lua_gettop(L);
	lua_Integer n = luaL_len(L, model);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, model, i);
		int e = lua_gettop(L);
		json_t *v = json_object();
		const char *name = field_str(L, e, "name");
		json_object_set_new(v, "name", json_string(name));
		json_t *labels = json_object(), *display = json_object();
		lua_getfield(L, e, "labels");
		lua_getfield(L, e, "display");
		for (size_t k = 0; k < cfg->nlangs; k++) {
			const char *lb = field_str(L, -2, cfg->langs[k].code);
			const char *ds = field_str(L, -1, cfg->langs[k].code);
			json_object_set_new(labels, cfg->langs[k].code, json_string(lb ? lb : ""));
			json_object_set_new(display, cfg->langs[k].code, json_string(ds ? ds : ""));
		}
		lua_pop(L, 2);
		json_object_set_new(v, "label", labels);
		json_object_set_new(v, "formula", json_string(field_str(L, e, "formula")));
		json_t *inputs = json_array();
		lua_getfield(L, e, "inputs");
		lua_Integer ni = luaL_len(L, -1);
		for (lua_Integer k = 1; k <= ni; k++) {
			lua_geti(L, -1, k);
			json_array_append_new(inputs, json_string(lua_tostring(L, -1)));
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		json_object_set_new(v, "inputs", inputs);
		lua_getfield(L, e, "value");
		json_object_set_new(v, "value", json_real(lua_tonumber(L, -1)));
		lua_pop(L, 1);
		json_object_set_new(v, "unit", json_string(field_str(L, e, "unit")));
		json_object_set_new(v, "dimensions", json_string(field_str(L, e, "dims")));
		json_object_set_new(v, "display", display);
		const char *file = field_str(L, e, "file");
		const char *rel = strstr(file, "content/");
		json_object_set_new(v, "file", json_string(rel ? rel : file));
		lua_getfield(L, e, "line");
		json_object_set_new(v, "line", json_integer(lua_tointeger(L, -1)));
		lua_pop(L, 1);
		json_t *cited = json_array();
		for (size_t k = 0; k < cfg->nlangs; k++) {
			const struct page *p = b->pages[k];
			int found = 0;
			for (size_t r = 0; p && r < m->nrefs && !found; r++) {
				if (m->refs[r].lang != k)
					continue;
				lua_geti(L, refs, (lua_Integer)r + 1);
				lua_getfield(L, -1, "cited");
				if (lua_istable(L, -1)) {
					lua_Integer nc = luaL_len(L, -1);
					for (lua_Integer c = 1; c <= nc && !found; c++) {
						lua_geti(L, -1, c);
						found = !strcmp(lua_tostring(L, -1), name);
						lua_pop(L, 1);
					}
				}
				lua_pop(L, 2);
			}
			if (found)
				json_array_append_new(cited, json_string(p->url));
		}
		json_object_set_new(v, "cited_by", cited);
		json_array_append_new(values, v);
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	json_object_set_new(root, "values", values);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	buf_adds(out, s);
	buf_addch(out, '\n');
	free(s);
	json_decref(root);
}

/* ---- cross-language check ------------------------------------------------ */

static const char *const result_words[] = { "倍", "×", "%", "％", "萬", "億", "兆", " billion",
	" million", " trillion", "billion", "million", "trillion", NULL };

/* Prose numbers next to a multiplier, percent or scale word look like
 * results someone typed instead of citing the model. */
static void literal_numbers(struct md_doc *doc, const struct page *p, struct diag_list *dl)
{
	int off = md_line_offset(doc);
	cmark_iter *it = cmark_iter_new(md_root(doc));
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT)
			continue;
		const char *t = cmark_node_get_literal(n);
		for (size_t i = 0; t[i];) {
			if (!isdigit((unsigned char)t[i]) || (i && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == '-'))) {
				i++;
				continue;
			}
			size_t s = i;
			while (isdigit((unsigned char)t[i]) || ((t[i] == ',' || t[i] == '.') && isdigit((unsigned char)t[i + 1])))
				i++;
			size_t k = i;
			while (t[k] == ' ')
				k++;
			for (const char *const *w = result_words; *w; w++) {
				const char *word = *w[0] == ' ' ? *w + 1 : *w;
				size_t wl = strlen(word);
				if (strncmp(t + k, word, wl) || (isalpha((unsigned char)word[0]) && isalnum((unsigned char)t[k + wl])))
					continue;
				diag_warning(dl, (struct srcpos){ p->file, cmark_node_get_start_line(n) + off, 0 },
					     "'%.*s' looks like a computed result typed as a literal; cite a calc value "
					     "(`= name`) instead", (int)(k + wl - s), t + s);
				break;
			}
		}
	}
	cmark_iter_free(it);
}

/* Names cited on one language's page but not on another's. */
static void cited_everywhere(const struct model *m, const struct brief *b, const struct config *cfg,
			     struct diag_list *dl)
{
	for (size_t i = 0; i < m->nrefs; i++) {
		const struct ref *r = &m->refs[i];
		int first = 1;
		for (size_t k = 0; k < i && first; k++)
			first = !(m->refs[k].lang == r->lang && !strcmp(m->refs[k].expr, r->expr));
		if (!first)
			continue;
		for (size_t l = 0; l < cfg->nlangs; l++) {
			if (l == r->lang || !b->pages[l])
				continue;
			int found = 0;
			for (size_t k = 0; k < m->nrefs && !found; k++)
				found = m->refs[k].lang == l && !strcmp(m->refs[k].expr, r->expr);
			if (!found)
				diag_warning(dl, (struct srcpos){ r->file, r->line,
								  char_col(b->pages[r->lang], r->line, r->col) },
					     "'%s' is cited in '%s' but not in '%s'", r->expr,
					     cfg->langs[r->lang].code, cfg->langs[l].code);
		}
	}
}

static void push_errors_as_diags(lua_State *L, const char *key, enum diag_level lv, const struct brief *b,
				 size_t b_nlangs, struct diag_list *dl)
{
	lua_getfield(L, -1, key);
	lua_Integer n = luaL_len(L, -1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, -1, i);
		lua_getfield(L, -1, "line");
		int line = (int)lua_tointeger(L, -1);
		lua_getfield(L, -2, "col");
		int col = (int)lua_tointeger(L, -1);
		lua_pop(L, 2);
		const char *file = field_str(L, -1, "file");
		const char *msg = field_str(L, -1, "msg");
		for (size_t k = 0; k < b_nlangs && col > 0; k++)
			if (b->pages[k] && !strcmp(b->pages[k]->file, file)) {
				col = char_col(b->pages[k], line, col);
				break;
			}
		diag_add(dl, lv, (struct srcpos){ file, line, col }, msg);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

int calc_brief(struct brief *b, struct md_doc **docs, const struct config *cfg,
	       const char *lua_dir, struct buf *json, struct diag_list *dl)
{
	struct model m = { 0 };
	int r = 0;
	for (size_t i = 0; i < cfg->nlangs; i++)
		if (docs[i])
			r |= collect(&m, docs[i], b->pages[i], i, dl);
	if (r < 0 || (m.ndefs == 0 && m.nrefs == 0)) {
		model_release(&m);
		return r < 0 ? -1 : 0;
	}
	struct luaenv *e = luaenv_new(lua_dir, (struct luaenv_limits){ CALC_MEM, CALC_STEPS });
	if (!e) {
		model_release(&m);
		return diag_error(dl, (struct srcpos){ lua_dir, 0, 0 }, "cannot start Lua");
	}
	lua_State *L = luaenv_state(e);
	const struct page *first = NULL;
	for (size_t i = 0; i < cfg->nlangs && !first; i++)
		first = b->pages[i];
	struct srcpos at = { first->file, 0, 0 };
	if (luaenv_require(e, "calc", dl) < 0) {
		luaenv_free(e);
		model_release(&m);
		return -1;
	}
	lua_getfield(L, -1, "evaluate");
	push_defs(L, &m);
	push_refs(L, &m, cfg);
	lua_createtable(L, (int)cfg->nlangs, 0);
	for (size_t i = 0; i < cfg->nlangs; i++) {
		lua_pushstring(L, cfg->langs[i].code);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if (luaenv_pcall(e, 3, 1, at, dl) < 0) {
		luaenv_free(e);
		model_release(&m);
		return -1;
	}
	size_t before = dl->errors;
	push_errors_as_diags(L, "errors", DIAG_ERROR, b, cfg->nlangs, dl);
	push_errors_as_diags(L, "warnings", DIAG_WARNING, b, cfg->nlangs, dl);
	if (dl->errors == before) {
		cited_everywhere(&m, b, cfg, dl);
		for (size_t i = 0; i < cfg->nlangs; i++)
			if (docs[i])
				literal_numbers(docs[i], b->pages[i], dl);
		for (size_t i = 0; i < cfg->nlangs; i++)
			if (docs[i])
				substitute(L, &m, i, docs[i], cfg);
		write_json(L, &m, b, cfg, json);
		r = 1;
	} else {
		r = -1;
	}
	luaenv_free(e);
	model_release(&m);
	return r;
}
