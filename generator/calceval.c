/* calceval — lua/calc.lua in a per-worker Lua state, results as C data. */
#include "calceval.h"
#include "calcfast.h"
#include "luaenv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include "banned.h"

#define CALC_MEM (64u << 20)
#define CALC_STEPS 20000000
/* CPU seconds per evaluation: a bench brief takes ~30 ms. The budget counts
 * only Lua instructions; this bounds a loop whose turns work in C
 * (`string.rep("a", 1e7)` ~ 5 ms: 20 M steps of it would be hours). Each C
 * function a formula can reach (string rep, format, sub, upper, lower, byte,
 * math) does work linear in its arguments and result, all under CALC_MEM,
 * so one call takes milliseconds and the time is looked at soon after. */
#define CALC_SECONDS 5

struct calc_engine {
	char *lua_dir;               /* a copy: a kept engine outlives the build that made it */
	struct luaenv *env;          /* NULL until the first evaluation, or when setup failed */
	int tried;                   /* setup was attempted */
	struct diag_list setup_diags;/* why setup failed, reported again for every brief */
	int evaluate;                /* registry reference to calc.evaluate */
	int checked;                 /* fast is known */
	int fast;                    /* calcfast may evaluate: lua_dir has the Lua it was written against */
	int lua_only;                /* calc_engine_lua_only */
};

struct calc_engine *calc_engine_new(const char *lua_dir)
{
	struct calc_engine *e = xcalloc(1, sizeof *e);
	e->lua_dir = xstrdup(lua_dir);
	e->setup_diags = (struct diag_list)DIAG_LIST_INIT;
	e->evaluate = LUA_NOREF;
	return e;
}

void calc_engine_lua_only(struct calc_engine *e)
{
	e->lua_only = 1;
	e->checked = 1;
	e->fast = 0;
}

void calc_engine_free(struct calc_engine *e)
{
	if (!e)
		return;
	luaenv_free(e->env);
	diag_release(&e->setup_diags);
	free(e->lua_dir);
	free(e);
}

/* Makes the state and loads lua/calc.lua (which loads units and numfmt)
 * once; a failure is kept and reported for every brief. */
static int setup(struct calc_engine *e, struct diag_list *dl)
{
	if (!e->tried) {
		e->tried = 1;
		e->env = luaenv_new(e->lua_dir, (struct luaenv_limits){ CALC_MEM, CALC_STEPS, CALC_SECONDS, 1, 0 });
		if (!e->env) {
			diag_error(&e->setup_diags, (struct srcpos){ e->lua_dir, 0, 0 }, "cannot start Lua");
		} else if (luaenv_require(e->env, "calc", &e->setup_diags) < 0) {
			luaenv_free(e->env);
			e->env = NULL;
		} else {
			lua_State *L = luaenv_state(e->env);
			if (lua_istable(L, -1))
				lua_getfield(L, -1, "evaluate");
			else
				lua_pushnil(L); /* calling it reports the problem per brief */
			e->evaluate = luaL_ref(L, LUA_REGISTRYINDEX);
			/* An evaluation's tables die young, the modules live on:
			 * generational collection (~4 % of a calc build's CPU) */
			lua_gc(L, LUA_GCGEN, 0, 0);
			lua_settop(L, 0);
		}
	}
	if (e->env)
		return 0;
	for (size_t i = 0; i < e->setup_diags.n; i++) {
		const struct diag *d = &e->setup_diags.items[i];
		diag_add(dl, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
	}
	return -1;
}

/* ---- C to Lua ------------------------------------------------------------ */

/* The language Lua formats for: a converted edition's is its source's,
 * and its strings are converted afterwards (convert_model). */
static const char *lua_lang(const struct config *cfg, size_t lang)
{
	return cfg->langs[config_source_lang(cfg, lang)].code;
}

/* What a converted edition's spans, charts and what-if blocks are placed
 * at: their file's name after this byte. Lua reports their problems as it
 * reports the source page's, at the same line of the same file, and
 * report() leaves them out: the source page's say it once. */
#define QUIET '\x01'

static void push_file(lua_State *L, const struct config *cfg, size_t lang, const char *file)
{
	if (cfg->langs[lang].conv)
		lua_pushfstring(L, "%c%s", QUIET, file);
	else
		lua_pushstring(L, file);
}

static void push_defs(lua_State *L, const struct calc_source *src)
{
	lua_createtable(L, (int)src->ndefs, 0);
	for (size_t i = 0; i < src->ndefs; i++) {
		const struct calc_def *d = &src->defs[i];
		lua_createtable(L, 0, 12); /* and calc.lua's deps, seen, code, fn, cite */
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

static void push_refs(lua_State *L, const struct calc_source *src, const struct config *cfg)
{
	lua_createtable(L, (int)src->nspans, 0);
	for (size_t i = 0; i < src->nspans; i++) {
		const struct calc_span *r = &src->spans[i];
		lua_createtable(L, 0, 6);
		lua_pushstring(L, r->expr), lua_setfield(L, -2, "expr");
		lua_pushstring(L, r->spec), lua_setfield(L, -2, "spec");
		push_file(L, cfg, r->lang, r->file), lua_setfield(L, -2, "file");
		lua_pushinteger(L, r->line), lua_setfield(L, -2, "line");
		lua_pushinteger(L, r->col), lua_setfield(L, -2, "col");
		lua_pushstring(L, lua_lang(cfg, r->lang)), lua_setfield(L, -2, "lang");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_strings(lua_State *L, char **v, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushstring(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_charts(lua_State *L, const struct calc_source *src, const struct config *cfg)
{
	lua_createtable(L, (int)src->ncharts, 0);
	for (size_t i = 0; i < src->ncharts; i++) {
		const struct chart_spec *c = &src->charts[i];
		lua_createtable(L, 0, 12);
		lua_pushstring(L, chart_kind_name(c->kind)), lua_setfield(L, -2, "kind");
		lua_pushstring(L, c->title), lua_setfield(L, -2, "title");
		lua_pushstring(L, c->format), lua_setfield(L, -2, "format");
		lua_pushinteger(L, c->format_line), lua_setfield(L, -2, "format_line");
		lua_pushinteger(L, c->format_col), lua_setfield(L, -2, "format_col");
		push_file(L, cfg, c->lang, c->file), lua_setfield(L, -2, "file");
		lua_pushinteger(L, c->line), lua_setfield(L, -2, "line");
		lua_pushinteger(L, c->col), lua_setfield(L, -2, "col");
		lua_pushstring(L, lua_lang(cfg, c->lang)), lua_setfield(L, -2, "lang");
		push_strings(L, c->series, c->nseries), lua_setfield(L, -2, "series");
		lua_createtable(L, (int)c->nitems, 0);
		for (size_t k = 0; k < c->nitems; k++) {
			const struct chart_item *it = &c->items[k];
			lua_createtable(L, 0, 4);
			push_strings(L, it->names, it->nnames), lua_setfield(L, -2, "names");
			lua_createtable(L, (int)it->nnames, 0);
			for (size_t q = 0; q < it->nnames; q++) {
				lua_pushinteger(L, it->cols[q]);
				lua_rawseti(L, -2, (lua_Integer)q + 1);
			}
			lua_setfield(L, -2, "cols");
			lua_pushstring(L, it->label), lua_setfield(L, -2, "label");
			lua_pushinteger(L, it->line), lua_setfield(L, -2, "line");
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		lua_setfield(L, -2, "items");
		if (c->sweep) {
			lua_createtable(L, 0, 6);
			lua_pushstring(L, c->sweep), lua_setfield(L, -2, "name");
			lua_pushnumber(L, c->from), lua_setfield(L, -2, "from");
			lua_pushnumber(L, c->to), lua_setfield(L, -2, "to");
			lua_pushnumber(L, c->step), lua_setfield(L, -2, "step");
			lua_pushinteger(L, c->sweep_line), lua_setfield(L, -2, "line");
			lua_pushinteger(L, c->sweep_col), lua_setfield(L, -2, "col");
			lua_setfield(L, -2, "sweep");
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static void push_whatifs(lua_State *L, const struct calc_source *src, const struct config *cfg)
{
	lua_createtable(L, (int)src->nwhatifs, 0);
	for (size_t i = 0; i < src->nwhatifs; i++) {
		const struct whatif_spec *w = &src->whatifs[i];
		lua_createtable(L, 0, 5);
		lua_pushstring(L, lua_lang(cfg, w->lang)), lua_setfield(L, -2, "lang");
		push_file(L, cfg, w->lang, w->file), lua_setfield(L, -2, "file");
		lua_pushinteger(L, w->line), lua_setfield(L, -2, "line");
		lua_pushinteger(L, w->col), lua_setfield(L, -2, "col");
		lua_createtable(L, (int)w->ncontrols, 0);
		for (size_t k = 0; k < w->ncontrols; k++) {
			const struct whatif_control *c = &w->controls[k];
			lua_createtable(L, 0, 6);
			lua_pushstring(L, c->name), lua_setfield(L, -2, "name");
			lua_pushnumber(L, c->from), lua_setfield(L, -2, "from");
			lua_pushnumber(L, c->to), lua_setfield(L, -2, "to");
			lua_pushnumber(L, c->step), lua_setfield(L, -2, "step");
			lua_pushinteger(L, c->line), lua_setfield(L, -2, "line");
			lua_pushinteger(L, c->col), lua_setfield(L, -2, "col");
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		lua_setfield(L, -2, "controls");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* extra.cites: definition name -> { base, unit } or { err } */
static void push_cited(lua_State *L, const struct calc_source *src)
{
	lua_createtable(L, 0, (int)src->ncited);
	for (size_t i = 0; i < src->ncited; i++) {
		const struct calc_cited *c = &src->cited[i];
		lua_createtable(L, 0, 2);
		if (c->err) {
			lua_pushstring(L, c->err), lua_setfield(L, -2, "err");
		} else {
			lua_pushnumber(L, c->base), lua_setfield(L, -2, "base");
			lua_pushstring(L, c->unit), lua_setfield(L, -2, "unit");
		}
		lua_setfield(L, -2, c->name);
	}
}

static void push_overrides(lua_State *L, const struct calc_override *ov, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 5);
		lua_pushstring(L, ov[i].name), lua_setfield(L, -2, "name");
		lua_pushstring(L, ov[i].text), lua_setfield(L, -2, "text");
		lua_pushstring(L, ov[i].at.file), lua_setfield(L, -2, "file");
		lua_pushinteger(L, ov[i].at.line), lua_setfield(L, -2, "line");
		lua_pushinteger(L, ov[i].at.col), lua_setfield(L, -2, "col");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* ---- Lua to C ------------------------------------------------------------ *
 * These run inside a protected call (read_result), so a result of the wrong
 * shape (a lua/calc.lua of the author's own) raises a Lua error instead of
 * taking the process down; everything allocated is already linked into the
 * model, which the caller frees. */

/* t[k] as a new C string, or NULL when absent. [-0, +0] */
static char *field_dup(lua_State *L, int t, const char *k)
{
	lua_getfield(L, t, k);
	const char *s = lua_tostring(L, -1);
	char *r = s ? xstrdup(s) : NULL;
	lua_pop(L, 1);
	return r;
}

static char *field_dup_or_empty(lua_State *L, int t, const char *k)
{
	char *s = field_dup(L, t, k);
	return s ? s : xstrdup("");
}

/* The list t[k] of strings into *out (*n entries). [-0, +0] */
static void field_list(lua_State *L, int t, const char *k, char ***out, size_t *n)
{
	lua_getfield(L, t, k);
	if (lua_istable(L, -1)) {
		lua_Integer len = luaL_len(L, -1);
		*out = xcalloc((size_t)len + 1, sizeof **out);
		for (lua_Integer i = 1; i <= len; i++) {
			lua_geti(L, -1, i);
			const char *s = lua_tostring(L, -1);
			(*out)[(*n)++] = xstrdup(s ? s : "");
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* Per-language strings t[k][code] into a fresh array. [-0, +0] */
static char **field_per_lang(lua_State *L, int t, const char *k, const struct config *cfg)
{
	char **v = xcalloc(cfg->nlangs, sizeof *v);
	lua_getfield(L, t, k);
	for (size_t i = 0; i < cfg->nlangs; i++) {
		char *s = lua_istable(L, -1) ? field_dup(L, lua_gettop(L), cfg->langs[i].code) : NULL;
		v[i] = s ? s : xstrdup("");
	}
	lua_pop(L, 1);
	return v;
}

/* t[k] as a number (0 when absent). [-0, +0] */
static double field_num(lua_State *L, int t, const char *k)
{
	lua_getfield(L, t, k);
	double v = lua_tonumber(L, -1);
	lua_pop(L, 1);
	return v;
}

/* The list t[k] of { v, text } into *out (*n entries). [-0, +0] */
static void field_ticks(lua_State *L, int t, const char *k, struct chart_tick **out, size_t *n)
{
	lua_getfield(L, t, k);
	if (lua_istable(L, -1)) {
		int lt = lua_gettop(L);
		lua_Integer len = luaL_len(L, lt);
		*out = xcalloc((size_t)len + 1, sizeof **out);
		for (lua_Integer i = 1; i <= len; i++, (*n)++) {
			lua_geti(L, lt, i);
			luaL_checktype(L, -1, LUA_TTABLE);
			(*out)[*n].v = field_num(L, lua_gettop(L), "v");
			(*out)[*n].text = field_dup_or_empty(L, lua_gettop(L), "text");
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* The list t[k] of numbers into a fresh array of want entries. [-0, +0] */
static double *field_nums(lua_State *L, int t, const char *k, size_t want)
{
	double *v = xcalloc(want + 1, sizeof *v);
	lua_getfield(L, t, k);
	luaL_checktype(L, -1, LUA_TTABLE);
	for (size_t i = 0; i < want; i++) {
		lua_geti(L, -1, (lua_Integer)i + 1);
		v[i] = lua_tonumber(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return v;
}

/* The list t[k] of strings, exactly want of them ("" where missing). */
static char **field_strs(lua_State *L, int t, const char *k, size_t want)
{
	char **v = xcalloc(want + 1, sizeof *v);
	lua_getfield(L, t, k);
	int lt = lua_gettop(L);
	for (size_t i = 0; i < want; i++) {
		const char *s = NULL;
		if (lua_istable(L, lt)) {
			lua_geti(L, lt, (lua_Integer)i + 1);
			s = lua_tostring(L, -1);
		}
		v[i] = xstrdup(s ? s : "");
		if (lua_istable(L, lt))
			lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return v;
}

static size_t field_len(lua_State *L, int t, const char *k)
{
	lua_getfield(L, t, k);
	size_t n = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
	lua_pop(L, 1);
	return n;
}

/* One chart's data (the table at t) into d, already linked into the model. */
static void read_chart(lua_State *L, int t, struct chart_data *d)
{
	size_t ns = field_len(L, t, "scen");
	if (ns) {
		d->scen = xcalloc(ns + 1, sizeof *d->scen);
		lua_getfield(L, t, "scen");
		int st = lua_gettop(L);
		for (size_t i = 0; i < ns; i++, d->nscen++) {
			lua_geti(L, st, (lua_Integer)i + 1);
			luaL_checktype(L, -1, LUA_TTABLE);
			d->scen[i] = xcalloc(1, sizeof **d->scen);
			d->scen[i]->kind = d->kind;
			read_chart(L, lua_gettop(L), d->scen[i]);
			lua_settop(L, st);
		}
		lua_pop(L, 1);
	}
	d->title = field_dup_or_empty(L, t, "title");
	field_ticks(L, t, "ticks", &d->ticks, &d->nticks);
	d->lo = field_num(L, t, "lo");
	d->hi = field_num(L, t, "hi");
	d->nseries = field_len(L, t, "series");
	d->series = field_strs(L, t, "series", d->nseries);
	size_t ncats = field_len(L, t, "cats");
	d->cats = xcalloc(ncats + 1, sizeof *d->cats);
	lua_getfield(L, t, "cats");
	int cats = lua_gettop(L);
	for (size_t i = 0; i < ncats; i++, d->ncats++) {
		struct chart_cat *c = &d->cats[i];
		lua_geti(L, cats, (lua_Integer)i + 1);
		int ct = lua_gettop(L);
		luaL_checktype(L, ct, LUA_TTABLE);
		c->label = field_dup_or_empty(L, ct, "label");
		c->total = field_dup(L, ct, "total");
		c->step = field_dup(L, ct, "step");
		size_t nm = field_len(L, ct, "marks");
		c->marks = xcalloc(nm + 1, sizeof *c->marks);
		lua_getfield(L, ct, "marks");
		for (size_t k = 0; k < nm; k++, c->nmarks++) {
			lua_geti(L, -1, (lua_Integer)k + 1);
			int mt = lua_gettop(L);
			luaL_checktype(L, mt, LUA_TTABLE);
			c->marks[k].name = field_dup_or_empty(L, mt, "name");
			c->marks[k].v = field_num(L, mt, "v");
			c->marks[k].text = field_dup_or_empty(L, mt, "text");
			lua_pop(L, 1);
		}
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	d->nx = field_len(L, t, "xs");
	if (d->nx) {
		d->xname = field_dup_or_empty(L, t, "xname");
		d->xlabel = field_dup_or_empty(L, t, "xlabel");
		d->xs = field_nums(L, t, "xs", d->nx);
		d->xtexts = field_strs(L, t, "xtexts", d->nx);
		field_ticks(L, t, "xticks", &d->xticks, &d->nxticks);
		d->xlo = field_num(L, t, "xlo");
		d->xhi = field_num(L, t, "xhi");
		d->xat = field_num(L, t, "xat");
		size_t nl = field_len(L, t, "lines");
		d->lines = xcalloc(nl + 1, sizeof *d->lines);
		lua_getfield(L, t, "lines");
		for (size_t i = 0; i < nl; i++, d->nlines++) {
			struct chart_line *l = &d->lines[i];
			lua_geti(L, -1, (lua_Integer)i + 1);
			int lt = lua_gettop(L);
			luaL_checktype(L, lt, LUA_TTABLE);
			l->name = field_dup_or_empty(L, lt, "name");
			l->label = field_dup_or_empty(L, lt, "label");
			l->texts = field_strs(L, lt, "texts", d->nx);
			l->ys = field_nums(L, lt, "ys", d->nx);
			l->at = field_num(L, lt, "at");
			l->at_text = field_dup_or_empty(L, lt, "at_text");
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
}

/* One what-if grid (the table at t) into d, already linked into the model. */
static void read_whatif(lua_State *L, int t, struct whatif_data *d)
{
	d->count = (size_t)field_num(L, t, "count");
	size_t nc = field_len(L, t, "controls");
	d->controls = xcalloc(nc + 1, sizeof *d->controls);
	lua_getfield(L, t, "controls");
	for (size_t i = 0; i < nc; i++, d->ncontrols++) {
		struct whatif_ctl *c = &d->controls[i];
		lua_geti(L, -1, (lua_Integer)i + 1);
		int ct = lua_gettop(L);
		luaL_checktype(L, ct, LUA_TTABLE);
		c->name = field_dup_or_empty(L, ct, "name");
		c->label = field_dup_or_empty(L, ct, "label");
		c->n = field_len(L, ct, "xs");
		c->xs = field_nums(L, ct, "xs", c->n);
		c->texts = field_strs(L, ct, "texts", c->n);
		c->k = (size_t)field_num(L, ct, "k");
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	size_t nr = field_len(L, t, "refs"), nw = field_len(L, t, "rows");
	d->targets = xcalloc(nr + nw + 1, sizeof *d->targets);
	const char *lists[] = { "refs", "rows" };
	for (int li = 0; li < 2; li++) {
		size_t n = li ? nw : nr;
		lua_getfield(L, t, lists[li]);
		for (size_t i = 0; i < n; i++, d->ntargets++) {
			struct whatif_target *g = &d->targets[d->ntargets];
			lua_geti(L, -1, (lua_Integer)i + 1);
			int gt = lua_gettop(L);
			luaL_checktype(L, gt, LUA_TTABLE);
			g->ref = li ? (size_t)-1 : (size_t)field_num(L, gt, "index") - 1;
			g->name = li ? field_dup_or_empty(L, gt, "name") : NULL;
			g->texts = field_strs(L, gt, "texts", d->count);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
}

struct reading {
	struct calc_model *m;
	const struct calc_source *src;
	const struct config *cfg;
};

/* [-0, +0]; the result table is at index 2. */
static int read_result(lua_State *L)
{
	struct reading *rd = lua_touserdata(L, 1);
	struct calc_model *m = rd->m;
	const struct config *cfg = rd->cfg;
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_getfield(L, 2, "model");
	int model = lua_gettop(L);
	luaL_checktype(L, model, LUA_TTABLE);
	lua_Integer n = luaL_len(L, model);
	m->values = xcalloc((size_t)n + 1, sizeof *m->values);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, model, i);
		int t = lua_gettop(L);
		luaL_checktype(L, t, LUA_TTABLE);
		struct calc_value *v = &m->values[m->nvalues++];
		v->name = field_dup_or_empty(L, t, "name");
		v->label = field_per_lang(L, t, "labels", cfg);
		v->display = field_per_lang(L, t, "display", cfg);
		v->formula = field_dup_or_empty(L, t, "formula");
		field_list(L, t, "inputs", &v->inputs, &v->ninputs);
		lua_getfield(L, t, "value");
		v->value = lua_tonumber(L, -1);
		lua_pop(L, 1);
		lua_getfield(L, t, "base");
		v->base = lua_tonumber(L, -1);
		lua_pop(L, 1);
		v->unit = field_dup_or_empty(L, t, "unit");
		v->dims = field_dup_or_empty(L, t, "dims");
		v->file = field_dup_or_empty(L, t, "file");
		v->source_url = field_dup(L, t, "source_url");
		v->source_at = field_dup(L, t, "source_at");
		v->source_quote = field_dup(L, t, "source_quote");
		lua_getfield(L, t, "assumption");
		v->assumption = lua_toboolean(L, -1);
		lua_pop(L, 1);
		lua_getfield(L, t, "line");
		v->line = (int)lua_tointeger(L, -1);
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	lua_getfield(L, 2, "refs");
	int refs = lua_gettop(L);
	luaL_checktype(L, refs, LUA_TTABLE);
	m->refs = xcalloc(rd->src->nspans + 1, sizeof *m->refs);
	for (size_t i = 0; i < rd->src->nspans; i++) {
		struct calc_ref *r = &m->refs[m->nrefs++];
		r->lang = rd->src->spans[i].lang;
		lua_geti(L, refs, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		if (lua_istable(L, t) && (r->text = field_dup(L, t, "text"))) {
			r->name = field_dup(L, t, "name");
			r->title = field_dup_or_empty(L, t, "title");
			r->formula = field_dup_or_empty(L, t, "formula");
			field_list(L, t, "inputs", &r->inputs, &r->ninputs);
			field_list(L, t, "cited", &r->cites, &r->ncites);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	lua_getfield(L, 2, "whatif");
	int wis = lua_gettop(L);
	m->whatifs = xcalloc(rd->src->nwhatifs + 1, sizeof *m->whatifs);
	for (size_t i = 0; i < rd->src->nwhatifs; i++, m->nwhatifs++) {
		if (lua_istable(L, wis) && lua_geti(L, wis, (lua_Integer)i + 1) == LUA_TTABLE) {
			struct whatif_data *d = xcalloc(1, sizeof *d);
			m->whatifs[i] = d;
			read_whatif(L, lua_gettop(L), d);
		}
		lua_settop(L, wis);
	}
	lua_pop(L, 1);
	lua_getfield(L, 2, "charts");
	int charts = lua_gettop(L);
	m->charts = xcalloc(rd->src->ncharts + 1, sizeof *m->charts);
	for (size_t i = 0; i < rd->src->ncharts; i++, m->ncharts++) {
		if (lua_geti(L, charts, (lua_Integer)i + 1) == LUA_TTABLE) {
			struct chart_data *d = xcalloc(1, sizeof *d);
			d->kind = rd->src->charts[i].kind;
			m->charts[i] = d;
			read_chart(L, lua_gettop(L), d);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return 0;
}

/* result.errors or result.warnings as diagnostics. [-0, +0] */
static void report(lua_State *L, int res, const char *key, enum diag_level lv,
		   const struct calc_source *src, struct diag_list *dl)
{
	if (!lua_istable(L, res) || lua_getfield(L, res, key) != LUA_TTABLE) {
		lua_pop(L, lua_istable(L, res) ? 1 : 0);
		return;
	}
	lua_Integer n = luaL_len(L, -1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, -1, i);
		int t = lua_gettop(L);
		lua_getfield(L, t, "line");
		int line = (int)lua_tointeger(L, -1);
		lua_getfield(L, t, "col");
		int col = (int)lua_tointeger(L, -1);
		lua_getfield(L, t, "file");
		const char *file = lua_tostring(L, -1);
		lua_getfield(L, t, "msg");
		const char *msg = lua_tostring(L, -1);
		if (file && msg && file[0] != QUIET)
			diag_add(dl, lv, (struct srcpos){ file, line, calc_source_col(src, file, line, col) }, msg);
		lua_settop(L, t - 1);
	}
	lua_pop(L, 1);
}

/* The evaluation ended with the error on the top of the stack (the budget
 * or the memory cap ran out, or lua/calc.lua failed): the errors found
 * before, then one diagnostic at the definition or span it was working on,
 * whatever the message says (a file name in it may hold anything).
 * [-0, +0] */
static void failed(lua_State *L, int progress, const char *first, const struct calc_source *src,
		   struct diag_list *dl)
{
	report(L, progress, "errors", DIAG_ERROR, src, dl);
	const char *msg = lua_tostring(L, -1);
	struct srcpos at = { first, 0, 0 };
	if (lua_rawgeti(L, progress, 1) == LUA_TTABLE) {
		lua_getfield(L, -1, "file");
		lua_getfield(L, -2, "line");
		if (lua_type(L, -2) == LUA_TSTRING && lua_isinteger(L, -1)) {
			at.file = lua_tostring(L, -2);
			at.line = (int)lua_tointeger(L, -1);
			if (at.file[0] == QUIET)
				at.file++;
		}
	}
	diag_add(dl, DIAG_ERROR, at, msg ? msg : "calc failed");
	lua_settop(L, progress);
}

static void conv_list(struct zhconv *z, char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		zhconv_inplace(z, &v[i]);
}

static void convert_chart(struct zhconv *z, struct chart_data *d)
{
	for (size_t i = 0; i < d->nscen; i++)
		convert_chart(z, d->scen[i]);
	zhconv_inplace(z, &d->title);
	for (size_t i = 0; i < d->nticks; i++)
		zhconv_inplace(z, &d->ticks[i].text);
	conv_list(z, d->series, d->nseries);
	for (size_t i = 0; i < d->ncats; i++) {
		struct chart_cat *c = &d->cats[i];
		zhconv_inplace(z, &c->label);
		zhconv_inplace(z, &c->total);
		zhconv_inplace(z, &c->step);
		for (size_t k = 0; k < c->nmarks; k++)
			zhconv_inplace(z, &c->marks[k].text);
	}
	zhconv_inplace(z, &d->xlabel);
	conv_list(z, d->xtexts, d->nx);
	for (size_t i = 0; i < d->nxticks; i++)
		zhconv_inplace(z, &d->xticks[i].text);
	for (size_t i = 0; i < d->nlines; i++) {
		zhconv_inplace(z, &d->lines[i].label);
		conv_list(z, d->lines[i].texts, d->nx);
		zhconv_inplace(z, &d->lines[i].at_text);
	}
}

/* A converted edition's strings (config.h): Lua made them in its source
 * language (lua_lang); the model's labels and shown values are its
 * source's, converted. */
static void convert_model(struct calc_model *m, const struct calc_source *src, const struct config *cfg)
{
	for (size_t k = 0; k < cfg->nlangs; k++) {
		struct zhconv *z = cfg->langs[k].conv;
		if (!z)
			continue;
		size_t from = cfg->langs[k].from;
		for (size_t i = 0; i < m->nvalues; i++) {
			struct calc_value *v = &m->values[i];
			zhconv_replace(z, &v->label[k], v->label[from]);
			zhconv_replace(z, &v->display[k], v->display[from]);
		}
		for (size_t i = 0; i < m->nrefs; i++)
			if (m->refs[i].lang == k) {
				zhconv_inplace(z, &m->refs[i].text);
				zhconv_inplace(z, &m->refs[i].title);
			}
		for (size_t i = 0; i < m->ncharts; i++)
			if (m->charts[i] && src->charts[i].lang == k)
				convert_chart(z, m->charts[i]);
		for (size_t i = 0; i < m->nwhatifs; i++) {
			struct whatif_data *d = m->whatifs[i];
			if (!d || src->whatifs[i].lang != k)
				continue;
			for (size_t c = 0; c < d->ncontrols; c++) {
				zhconv_inplace(z, &d->controls[c].label);
				conv_list(z, d->controls[c].texts, d->controls[c].n);
			}
			for (size_t t = 0; t < d->ntargets; t++)
				conv_list(z, d->targets[t].texts, d->count);
		}
	}
}

struct calc_model *calc_eval(struct calc_engine *e, const struct calc_source *src,
			     const struct config *cfg, struct diag_list *dl)
{
	return calc_eval_with(e, src, cfg, NULL, 0, dl);
}

struct calc_model *calc_eval_with(struct calc_engine *e, const struct calc_source *src,
				  const struct config *cfg, const struct calc_override *ov, size_t nov,
				  struct diag_list *dl)
{
	/* The Lua state is made only for the first model calcfast declines:
	 * most workers never need it. */
	if (!e->checked) {
		e->checked = 1;
		e->fast = !e->lua_only && calcfast_matches(e->lua_dir);
	}
	if (e->fast && !nov) {
		struct calc_model *m = calcfast_eval(src, cfg);
		if (m) {
			convert_model(m, src, cfg);
			return m;
		}
	}
	if (setup(e, dl) < 0)
		return NULL;
	lua_State *L = luaenv_state(e->env);
	const char *first = NULL;
	for (size_t i = 0; i < src->nlangs && !first; i++)
		if (src->pages[i])
			first = src->pages[i]->file;
	lua_createtable(L, 1, 0); /* progress: evaluate keeps [1] at what it works on */
	int progress = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->evaluate);
	push_defs(L, src);
	push_refs(L, src, cfg);
	lua_createtable(L, (int)cfg->nlangs, 0); /* the languages labels are split for */
	for (size_t i = 0, k = 0; i < cfg->nlangs; i++)
		if (!cfg->langs[i].conv) {
			lua_pushstring(L, cfg->langs[i].code);
			lua_rawseti(L, -2, (lua_Integer)++k);
		}
	lua_pushvalue(L, progress);
	lua_createtable(L, 0, 2); /* extra */
	if (src->ncharts) {
		push_charts(L, src, cfg);
		lua_setfield(L, -2, "charts");
	}
	if (src->nwhatifs) {
		push_whatifs(L, src, cfg);
		lua_setfield(L, -2, "whatif");
	}
	if (src->cited) {
		push_cited(L, src);
		lua_setfield(L, -2, "cites");
	}
	if (nov) {
		push_overrides(L, ov, nov);
		lua_setfield(L, -2, "overrides");
	}
	if (luaenv_pcall(e->env, 5, 1, (struct srcpos){ first, 0, 0 }, NULL) < 0) {
		failed(L, progress, first, src, dl);
		lua_settop(L, 0);
		return NULL;
	}
	int res = lua_gettop(L);
	size_t before = dl->errors;
	report(L, res, "errors", DIAG_ERROR, src, dl);
	report(L, res, "warnings", DIAG_WARNING, src, dl);
	struct calc_model *m = NULL;
	if (dl->errors == before) {
		m = xcalloc(1, sizeof *m);
		m->nlangs = cfg->nlangs;
		struct reading rd = { m, src, cfg };
		lua_pushcfunction(L, read_result);
		lua_pushlightuserdata(L, &rd);
		lua_pushvalue(L, res);
		if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
			const char *msg = lua_tostring(L, -1);
			diag_error(dl, (struct srcpos){ first, 0, 0 }, "lua/calc.lua gave a result of the wrong shape: %s",
				   msg ? msg : "?");
			calc_model_free(m);
			m = NULL;
		} else {
			convert_model(m, src, cfg);
		}
	}
	lua_settop(L, 0);
	return m;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void calc_model_free(struct calc_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nvalues; i++) {
		struct calc_value *v = &m->values[i];
		free(v->name);
		free_list(v->label, v->label ? m->nlangs : 0);
		free_list(v->display, v->display ? m->nlangs : 0);
		free(v->formula);
		free_list(v->inputs, v->ninputs);
		free(v->unit);
		free(v->dims);
		free(v->file);
		free(v->source_url);
		free(v->source_at);
		free(v->source_quote);
		free(v->cite_slug);
		free(v->cite_name);
		free_list(v->cite_url, v->cite_url ? m->nlangs : 0);
		free_list(v->cite_title, v->cite_title ? m->nlangs : 0);
	}
	for (size_t i = 0; i < m->nrefs; i++) {
		struct calc_ref *r = &m->refs[i];
		free(r->text);
		free(r->name);
		free(r->title);
		free(r->formula);
		free_list(r->inputs, r->ninputs);
		free_list(r->cites, r->ncites);
	}
	for (size_t i = 0; i < m->ncharts; i++)
		chart_data_free(m->charts[i]);
	for (size_t i = 0; i < m->nwhatifs; i++)
		whatif_data_free(m->whatifs[i]);
	free(m->whatifs);
	free(m->charts);
	free(m->values);
	free(m->refs);
	free(m);
}

const struct calc_value *calc_model_find(const struct calc_model *m, const char *name)
{
	for (size_t i = 0; i < m->nvalues; i++)
		if (!strcmp(m->values[i].name, name))
			return &m->values[i];
	return NULL;
}
