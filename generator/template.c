/* template — Lua templates: compile once, render many. */
#include "template.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "hash.h"
#include "luaenv.h"
#include "luastr.h"
#include "taxonomy.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include "banned.h"

/* Registry keys of this state. */
#define K_ENGINE "briefgen.engine"
#define K_I18N "briefgen.i18n"
#define K_SITE "briefgen.site"
#define K_T "briefgen.t"
#define K_STRINGS "briefgen.strings" /* the string functions templates see (luastr.h) */
#define K_TABLE "briefgen.table"     /* the table functions templates see */

/* What one call into the engine (a page, a compile) may take, in CPU
 * seconds of its thread: far beyond a real page, which takes milliseconds,
 * for work done inside C, which the instruction budget cannot see. */
#define TPL_SECONDS 10
/* The most steps (luapat.h) one pattern call of a template may take: a
 * second or so at worst, and room for a linear pattern over a whole page. */
#define TPL_PATTERN_STEPS 5e8

struct tpl {
	struct luaenv *env;
	const struct config *cfg;
	const struct urls *urls;
	const struct words *words;
	const struct content *ct;
};

/* Leaves out of `table` what loops inside C on a few instructions:
 * table.move({}, 1, 1 << 50, 1) turns 2^50 times. Runs in a protected
 * call. [-0, +0] */
static int bound_table(lua_State *L)
{
	static const char *const keep[] = { "concat", "insert", "pack", "remove", "sort", "unpack", NULL };
	lua_getglobal(L, "table");
	lua_createtable(L, 0, 6);
	for (const char *const *k = keep; *k; k++) {
		lua_getfield(L, -2, *k);
		lua_setfield(L, -2, *k);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, K_TABLE);
	lua_pop(L, 1);
	return 0;
}

/* The entity for an HTML-special byte, else NULL. */
static const char *special(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* What a template prints for the value at 1 (lua/template.lua's tostr):
 * nil and false as "", numbers and true as tostring does, a string as it
 * is; any other type is an error at the template's line. Leaves that text
 * on the top of the stack (the string at 1 itself) and returns it. */
static const char *printed(lua_State *L, size_t *n)
{
	int ty = lua_type(L, 1);
	lua_settop(L, 1);
	if (ty == LUA_TSTRING)
		return lua_tolstring(L, 1, n);
	if (ty == LUA_TNIL || (ty == LUA_TBOOLEAN && !lua_toboolean(L, 1))) {
		lua_pushliteral(L, "");
		return lua_tolstring(L, -1, n);
	}
	if (ty != LUA_TNUMBER && ty != LUA_TBOOLEAN)
		luaL_error(L, "cannot print a %s value", luaL_typename(L, 1));
	return luaL_tolstring(L, 1, n);
}

/* escape(v): lua/template.lua's escape, in C. Every value a template
 * prints goes through it, and Lua's gsub over a bracket class was 12 % of
 * a build's CPU (summaries and descriptions are long). Same results:
 * nil and false print as "", numbers and booleans as tostring does, other
 * types are an error at the template's line. [-1, +1] */
static int l_escape(lua_State *L)
{
	size_t n, i = 0;
	const char *s = printed(L, &n);
	if (lua_type(L, 1) != LUA_TSTRING) /* "", or a number or true as text: nothing to escape */
		return 1;
	while (i < n && !special(s[i]))
		i++;
	if (i == n) /* the usual case: the string itself, no copy */
		return 1;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	size_t from = 0;
	for (; i < n; i++) {
		const char *ent = special(s[i]);
		if (!ent)
			continue;
		luaL_addlstring(&b, s + from, i - from);
		luaL_addstring(&b, ent);
		from = i + 1;
	}
	luaL_addlstring(&b, s + from, n - from);
	luaL_pushresult(&b);
	return 1;
}

/* json(v): v as a JSON string literal that is also safe inside <script>:
 * control characters, '"', '\\', '<', '>' and '&' as \u00XX; the rest,
 * UTF-8 included, as it is. Printing rules as escape (nil and false are
 * ""). A template could do this with gsub, which cost about as much as the
 * rest of the JSON-LD block of a brief's page. [-1, +1] */
static int l_json(lua_State *L)
{
	size_t n;
	const char *s = printed(L, &n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	luaL_addchar(&b, '"');
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
			continue;
		luaL_addlstring(&b, s + from, i - from);
		char esc[8];
		snprintf(esc, sizeof esc, "\\u%04x", c);
		luaL_addstring(&b, esc);
		from = i + 1;
	}
	luaL_addlstring(&b, s + from, n - from);
	luaL_addchar(&b, '"');
	luaL_pushresult(&b);
	return 1;
}

/* Compiles one template file into the engine. [-0, +0] */
static int add_template(struct tpl *t, const char *key, const char *file, struct diag_list *dl)
{
	lua_State *L = luaenv_state(t->env);
	struct buf src = BUF_INIT;
	if (fs_read(file, &src) < 0) {
		buf_release(&src);
		return diag_error(dl, (struct srcpos){ file, 0, 0 }, "cannot read template");
	}
	lua_getfield(L, LUA_REGISTRYINDEX, K_ENGINE);
	lua_getfield(L, -1, "add");
	lua_insert(L, -2);
	lua_pushstring(L, key);
	lua_pushlstring(L, src.ptr, src.len);
	lua_pushstring(L, file);
	buf_release(&src);
	if (luaenv_pcall(t->env, 4, 2, (struct srcpos){ file, 0, 0 }, dl) < 0)
		return -1;
	int r = 0;
	if (!lua_toboolean(L, -2))
		luaenv_error_to_diag(t->env, lua_tostring(L, -1), (struct srcpos){ file, 0, 0 }, dl), r = -1;
	lua_pop(L, 2);
	return r;
}

/* Appends the templates of one folder: dir/<name>.html as prefix + name. */
static void list_dir(const char *dir, const char *prefix, char ***keys, char ***paths, size_t *n)
{
	char **names = fs_list(dir);
	for (char **nm = names; nm && *nm; nm++) {
		size_t l = strlen(*nm);
		if (l < 6 || strcmp(*nm + l - 5, ".html"))
			continue;
		*keys = xrealloc(*keys, (*n + 2) * sizeof **keys);
		*paths = xrealloc(*paths, (*n + 2) * sizeof **paths);
		(*keys)[*n] = xasprintf("%s%.*s", prefix, (int)(l - 5), *nm);
		(*paths)[*n] = fs_join(dir, *nm);
		(*n)++;
		(*keys)[*n] = (*paths)[*n] = NULL;
	}
	fs_list_free(names);
}

void tpl_sources(const char *tpl_dir, char ***keys, char ***paths)
{
	size_t n = 0;
	*keys = xcalloc(1, sizeof **keys);
	*paths = xcalloc(1, sizeof **paths);
	list_dir(tpl_dir, "", keys, paths, &n);
	char *partials = fs_join(tpl_dir, "partials");
	list_dir(partials, "partials/", keys, paths, &n);
	free(partials);
}

/* t[k] = v for strings; nil is left out. [-0, +0] */
static void set_str(lua_State *L, const char *k, const char *v)
{
	if (!v)
		return;
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static void push_strlist(lua_State *L, char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 0; v && v[i]; i++) {
		lua_pushstring(L, v[i]);
		lua_rawseti(L, -2, i + 1);
	}
}

/* The front matter tree as Lua values, so templates reach unknown keys. */
static void push_fm(lua_State *L, const struct fm_node *n)
{
	switch (n->kind) {
	case FM_SCALAR:
		if (n->plain && (!strcmp(n->str, "true") || !strcmp(n->str, "false")))
			lua_pushboolean(L, n->str[0] == 't');
		else
			lua_pushstring(L, n->str);
		return;
	case FM_SEQ:
		lua_createtable(L, (int)n->n, 0);
		for (size_t i = 0; i < n->n; i++) {
			push_fm(L, &n->items[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		return;
	case FM_MAP:
		lua_createtable(L, 0, (int)n->n);
		for (size_t i = 0; i < n->n; i++) {
			push_fm(L, &n->items[i]);
			lua_setfield(L, -2, n->keys[i]);
		}
		return;
	}
}

/* A language's own URLs, as data: the templates never build URLs.
 * [-0, +1] */
static void push_lang_urls(struct tpl *t, size_t lang)
{
	lua_State *L = luaenv_state(t->env);
	char *v[] = { urls_home(t->urls, lang), urls_feed(t->urls, lang),
		      urls_kind(t->urls, lang, taxonomy_kinds[TAX_CATEGORIES]),
		      urls_kind(t->urls, lang, taxonomy_kinds[TAX_TAGS]) };
	static const char *const k[] = { "home", "feed", "categories", "tags" };
	lua_createtable(L, 0, 5);
	for (size_t i = 0; i < 4; i++) {
		set_str(L, k[i], v[i]);
		free(v[i]);
	}
	if (t->cfg->search) { /* the search page and its index (searchindex.h) */
		char *search = urls_kind(t->urls, lang, "search");
		set_str(L, "search", search);
		free(search);
	}
}

static void push_site(struct tpl *t)
{
	lua_State *L = luaenv_state(t->env);
	const struct config *c = t->cfg;
	lua_newtable(L);
	set_str(L, "base_url", c->base_url);
	set_str(L, "base_path", t->urls->base_path);
	set_str(L, "default_language", c->langs[c->def].code);
	char *home = urls_home(t->urls, c->def);
	set_str(L, "home_url", home); /* the default language's home */
	free(home);
	lua_newtable(L);
	for (size_t i = 0; i < c->nlangs; i++) {
		lua_newtable(L);
		set_str(L, "code", c->langs[i].code);
		set_str(L, "hreflang", c->langs[i].hreflang);
		set_str(L, "og_locale", c->langs[i].og_locale);
		set_str(L, "name", c->langs[i].name);
		set_str(L, "title", c->langs[i].title);
		set_str(L, "description", c->langs[i].description);
		push_lang_urls(t, i);
		lua_setfield(L, -2, "urls");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "languages");
	lua_newtable(L);
	char *style = urls_asset(t->urls, "style.css");
	set_str(L, "style", style);
	free(style);
	char *script = urls_asset(t->urls, "calc.js");
	set_str(L, "calc_script", script);
	free(script);
	if (c->search) {
		char *js = urls_asset(t->urls, "search.js");
		set_str(L, "search_script", js);
		free(js);
	}
	lua_setfield(L, -2, "urls");
	push_strlist(L, c->authors);
	lua_setfield(L, -2, "authors");
	set_str(L, "generator", "briefgen " BRIEFGEN_VERSION);
	lua_setfield(L, LUA_REGISTRYINDEX, K_SITE);
}

/* __newindex of a builtin library seen by templates; upvalue 1 is its
 * name. luaL_error names the template's line: level 1 is the function that
 * assigned. */
static int l_readonly(lua_State *L)
{
	const char *lib = lua_tostring(L, lua_upvalueindex(1));
	if (lua_type(L, 2) == LUA_TSTRING)
		return luaL_error(L, "cannot change '%s.%s': builtins are read-only in templates", lib,
				  lua_tostring(L, 2));
	return luaL_error(L, "cannot change '%s': builtins are read-only in templates", lib);
}

/* Replaces the table on the top with a read-only view of it. Every page a
 * worker renders shares the builtins, so a write (`math.n = math.n + 1`)
 * would make a page depend on the pages rendered before it on that worker.
 * [-1, +1] */
static void push_readonly(lua_State *L, const char *name)
{
	lua_newtable(L); /* the view */
	lua_createtable(L, 0, 3);
	lua_rotate(L, -3, -1); /* view, meta, lib */
	lua_setfield(L, -2, "__index");
	lua_pushstring(L, name);
	lua_pushcclosure(L, l_readonly, 1);
	lua_setfield(L, -2, "__newindex");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
}

/* Pushes a copy of the table at idx and of every table in it: a render
 * context's tables are the page's own, so what a template writes to them
 * is gone with the page. Plain data only (no cycles, no metatables).
 * [-0, +1] */
static void push_copy(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	luaL_checkstack(L, 4, "nested too deep");
	/* sized from the source: a table grown key by key rehashes at every
	 * power of two, and this runs for every page */
	int narr = (int)lua_rawlen(L, idx), nall = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		nall++;
	}
	lua_createtable(L, narr, nall > narr ? nall - narr : 0);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -1) == LUA_TTABLE) {
			push_copy(L, -1);
			lua_replace(L, -2);
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
}

/* registry[K_I18N][code] = { key = text } from the word catalogue. */
static void push_i18n(struct tpl *t)
{
	lua_State *L = luaenv_state(t->env);
	lua_newtable(L);
	for (size_t i = 0; i < t->cfg->nlangs; i++) {
		const char **keys = words_keys(t->words, i);
		lua_newtable(L);
		for (const char **k = keys; *k; k++) {
			lua_pushstring(L, words_get(t->words, i, *k));
			lua_setfield(L, -2, *k);
		}
		free(keys);
		lua_setfield(L, -2, t->cfg->langs[i].code);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, K_I18N);
}

/* registry[K_T][code] = i18n.translator(strings, code) for each language,
 * each made in a protected call. */
static int make_translators(struct tpl *t, struct diag_list *dl)
{
	lua_State *L = luaenv_state(t->env);
	lua_newtable(L);
	for (size_t i = 0; i < t->cfg->nlangs; i++) {
		const char *code = t->cfg->langs[i].code;
		lua_getfield(L, LUA_REGISTRYINDEX, "briefgen.i18nmod");
		lua_getfield(L, -1, "translator");
		lua_remove(L, -2);
		lua_getfield(L, LUA_REGISTRYINDEX, K_I18N);
		lua_getfield(L, -1, code);
		lua_remove(L, -2);
		lua_pushstring(L, code);
		if (luaenv_pcall(t->env, 2, 1, (struct srcpos){ "i18n.lua", 0, 0 }, dl) < 0) {
			lua_pop(L, 1);
			return -1;
		}
		lua_setfield(L, -2, code);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, K_T);
	return 0;
}

void tpl_rebind(struct tpl *t, const struct config *cfg, const struct urls *u, const struct words *w,
		const struct content *ct)
{
	t->cfg = cfg;
	t->urls = u;
	t->words = w;
	t->ct = ct;
}

struct tpl *tpl_new(const char *tpl_dir, const char *lua_dir, const struct config *cfg,
		    const struct urls *u, const struct words *w, const struct content *ct, struct diag_list *dl)
{
	struct tpl *t = xcalloc(1, sizeof *t);
	t->cfg = cfg;
	t->words = w;
	t->urls = u;
	t->ct = ct;
	t->env = luaenv_new(lua_dir, (struct luaenv_limits){ 512u << 20, 50000000, TPL_SECONDS, 0, 1 });
	if (!t->env) {
		diag_error(dl, (struct srcpos){ lua_dir, 0, 0 }, "cannot start Lua");
		tpl_free(t);
		return NULL;
	}
	lua_State *L = luaenv_state(t->env);
	lua_gc(L, LUA_GCGEN, 0, 0); /* a page's tables die young, compiled templates live on */
	if (luaenv_require(t->env, "template", dl) < 0 || luaenv_require(t->env, "i18n", dl) < 0) {
		tpl_free(t);
		return NULL;
	}
	/* A replaced lua/ folder may return anything: indexing a non-table
	 * outside a protected call would abort the process. */
	if (!lua_istable(L, -2) || !lua_istable(L, -1)) {
		diag_error(dl, (struct srcpos){ lua_dir, 0, 0 },
			   "lua/template.lua and lua/i18n.lua must each return a table");
		tpl_free(t);
		return NULL;
	}
	/* After the host modules captured the real string functions: a
	 * template's own strings never meet Lua's pattern matcher unchecked. */
	if (luastr_install(t->env, TPL_PATTERN_STEPS, (struct srcpos){ lua_dir, 0, 0 }, dl) < 0) {
		tpl_free(t);
		return NULL;
	}
	lua_setfield(L, LUA_REGISTRYINDEX, K_STRINGS);
	lua_pushcfunction(L, bound_table);
	if (luaenv_pcall(t->env, 0, 0, (struct srcpos){ lua_dir, 0, 0 }, dl) < 0) {
		tpl_free(t);
		return NULL;
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, "briefgen.i18nmod");
	push_i18n(t);
	lua_getfield(L, -2, "new");
	if (!lua_isfunction(L, -1)) {
		diag_error(dl, (struct srcpos){ lua_dir, 0, 0 }, "lua/template.lua has no function 'new'");
		tpl_free(t);
		return NULL;
	}
	lua_newtable(L); /* builtins: what every template may use */
	static const char *const pass[] = { "pairs", "ipairs", "tostring", "tonumber", "type", "select",
		"next", "error", NULL };
	for (const char *const *g = pass; *g; g++) {
		lua_getglobal(L, *g);
		lua_setfield(L, -2, *g);
	}
	static const char *const libs[][2] = { { "string", K_STRINGS }, { "table", K_TABLE },
		{ "math", NULL }, { "utf8", NULL } };
	for (size_t i = 0; i < sizeof libs / sizeof *libs; i++) {
		if (libs[i][1])
			lua_getfield(L, LUA_REGISTRYINDEX, libs[i][1]);
		else
			lua_getglobal(L, libs[i][0]);
		push_readonly(L, libs[i][0]);
		lua_setfield(L, -2, libs[i][0]);
	}
	/* stack: template module, i18n module, new, builtins */
	lua_pushcfunction(L, l_json);
	lua_setfield(L, -2, "json");
	lua_pushcfunction(L, l_escape); /* the engine's and the templates' escape */
	lua_pushvalue(L, -1);
	lua_setfield(L, -6, "escape");
	lua_setfield(L, -2, "escape");
	lua_getfield(L, -3, "date_formatter");
	lua_getfield(L, LUA_REGISTRYINDEX, K_I18N);
	if (luaenv_pcall(t->env, 1, 1, (struct srcpos){ "i18n.lua", 0, 0 }, dl) < 0) {
		tpl_free(t);
		return NULL;
	}
	lua_setfield(L, -2, "format_date");
	lua_getfield(L, -4, "url_helpers");
	lua_pushstring(L, u->base_path);
	lua_pushstring(L, cfg->base_url);
	if (luaenv_pcall(t->env, 2, 2, (struct srcpos){ "template.lua", 0, 0 }, dl) < 0) {
		tpl_free(t);
		return NULL;
	}
	lua_setfield(L, -3, "abs_url");
	lua_setfield(L, -2, "url");
	if (luaenv_pcall(t->env, 1, 1, (struct srcpos){ "template.lua", 0, 0 }, dl) < 0) {
		tpl_free(t);
		return NULL;
	}
	if (lua_istable(L, -1)) {
		lua_newtable(L);
		lua_setfield(L, -2, "used"); /* see tpl_take_used() */
	}
	lua_setfield(L, LUA_REGISTRYINDEX, K_ENGINE);
	lua_pop(L, 2);
	char **keys, **files;
	tpl_sources(tpl_dir, &keys, &files);
	int r = 0;
	for (size_t i = 0; keys[i]; i++)
		r |= add_template(t, keys[i], files[i], dl);
	fs_list_free(keys);
	fs_list_free(files);
	if (r == 0)
		r = make_translators(t, dl);
	push_site(t);
	if (r) {
		tpl_free(t);
		return NULL;
	}
	return t;
}

void tpl_free(struct tpl *t)
{
	if (!t)
		return;
	luaenv_free(t->env);
	free(t);
}

/* Pushes a fresh render context for language lang: site, lang, t, date,
 * url helpers. [-0, +1] */
static void push_ctx(struct tpl *t, size_t lang)
{
	lua_State *L = luaenv_state(t->env);
	const struct lang *lg = &t->cfg->langs[lang];
	lua_createtable(L, 0, 6); /* site, lang, t, translations, page, content */
	lua_getfield(L, LUA_REGISTRYINDEX, K_SITE);
	push_copy(L, -1);
	lua_remove(L, -2);
	lua_pushstring(L, lg->title);
	lua_setfield(L, -2, "title");
	lua_pushstring(L, lg->description);
	lua_setfield(L, -2, "description");
	lua_setfield(L, -2, "site");
	lua_createtable(L, 0, 7);
	set_str(L, "code", lg->code);
	set_str(L, "hreflang", lg->hreflang);
	set_str(L, "og_locale", lg->og_locale);
	set_str(L, "name", lg->name);
	set_str(L, "title", lg->title);
	push_lang_urls(t, lang);
	lua_setfield(L, -2, "urls");
	/* the standalone pages of this language, for the footer: { {title=, url=}, ... } */
	lua_newtable(L);
	for (size_t k = 0, i = 0; t->ct && k < t->ct->nspages; k++) {
		const struct page *sp = t->ct->spages[k]->pages[lang];
		if (!sp)
			continue;
		/* Hugo's linkTitle: the short name a link uses */
		const struct fm_node *lt = fm_get(&sp->fm.root, "linktitle");
		lua_createtable(L, 0, 2);
		set_str(L, "title", lt && lt->kind == FM_SCALAR && lt->str && *lt->str ? lt->str : sp->title);
		set_str(L, "url", sp->url);
		lua_rawseti(L, -2, (lua_Integer)++i);
	}
	lua_setfield(L, -2, "pages");
	lua_setfield(L, -2, "lang");
	/* t(key), made once per language by make_translators */
	lua_getfield(L, LUA_REGISTRYINDEX, K_T);
	lua_getfield(L, -1, lg->code);
	lua_setfield(L, -3, "t");
	lua_pop(L, 1);
	/* translations: filled by the caller */
}

/* Calls engine:page(key, ctx) with ctx on the top of the stack and appends
 * the result (a list of pieces, or a string) to out. [-1, +0] */
static int render(struct tpl *t, const char *key, struct buf *out, struct diag_list *dl)
{
	lua_State *L = luaenv_state(t->env);
	lua_getfield(L, LUA_REGISTRYINDEX, K_ENGINE);
	lua_getfield(L, -1, "page");
	lua_insert(L, -3);
	lua_insert(L, -2); /* page, engine, ctx */
	lua_pushstring(L, key);
	lua_insert(L, -2); /* page, engine, key, ctx */
	char *where = xasprintf("templates/%s.html", key);
	int r = luaenv_pcall(t->env, 3, 1, (struct srcpos){ where, 0, 0 }, dl);
	free(where);
	if (r < 0)
		return -1;
	/* the layout's pieces (lua/template.lua, Engine:page), or a string
	 * from an engine of a replaced lua/ folder */
	size_t n;
	if (lua_istable(L, -1)) {
		lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, -1, i);
			const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) : NULL;
			if (s)
				buf_add(out, s, n);
			lua_pop(L, 1);
		}
	} else {
		const char *s = lua_tolstring(L, -1, &n);
		if (s)
			buf_add(out, s, n);
	}
	lua_pop(L, 1);
	return 0;
}

/* What a listing shows of one brief in one language. push_entry hands it
 * to the templates and tpl_entry_hash hashes it: the one list of fields
 * both read, so the preview's memo of listing pages (listing.c) can never
 * miss a field the templates see. */
struct entry_fields {
	const char *title, *url, *slug, *date_iso, *summary, *description, *lang, *hreflang;
	int reading_minutes, untranslated;
	char *const *categories, *const *tags;
};

static void entry_fields(const struct config *cfg, const struct brief *b, size_t lang, struct entry_fields *f)
{
	const struct page *p = b->pages[lang];
	f->untranslated = 0;
	if (!p) { /* shown in the other language with a note */
		for (size_t k = 0; k < cfg->nlangs && !p; k++)
			p = b->pages[(cfg->def + k) % cfg->nlangs];
		f->untranslated = 1;
	}
	f->title = p->title;
	f->url = p->url;
	f->slug = b->slug;
	f->date_iso = b->date_iso;
	f->summary = p->summary;
	f->description = p->fm.meta.description;
	f->lang = cfg->langs[p->lang].code;
	f->hreflang = cfg->langs[p->lang].hreflang;
	f->reading_minutes = p->reading_minutes;
	f->categories = p->fm.meta.categories;
	f->tags = p->fm.meta.tags;
}

static void hash_list(struct hasher *h, char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	hash_u64(h, v ? n : UINT64_MAX);
	for (size_t i = 0; i < n; i++)
		hash_str(h, v[i]);
}

void tpl_entry_hash(const struct config *cfg, const struct brief *b, size_t lang, struct hasher *h)
{
	struct entry_fields f;
	entry_fields(cfg, b, lang, &f);
	const char *const strs[] = { f.title, f.url, f.slug, f.date_iso, f.summary, f.description, f.lang,
				     f.hreflang };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		hash_str(h, strs[i]);
	hash_u64(h, (uint64_t)f.reading_minutes);
	hash_u64(h, (uint64_t)f.untranslated);
	hash_list(h, f.categories);
	hash_list(h, f.tags);
}

/* Entry describing one brief in one language (for lists and switchers),
 * with room for `more` fields the caller adds. */
static void push_entry(struct tpl *t, const struct brief *b, size_t lang, int more)
{
	lua_State *L = luaenv_state(t->env);
	struct entry_fields f;
	entry_fields(t->cfg, b, lang, &f);
	lua_createtable(L, 0, 12 + more);
	set_str(L, "title", f.title);
	set_str(L, "url", f.url);
	set_str(L, "slug", f.slug);
	set_str(L, "date_iso", f.date_iso);
	set_str(L, "summary", f.summary);
	set_str(L, "description", f.description);
	set_str(L, "lang", f.lang);
	set_str(L, "hreflang", f.hreflang);
	set_int(L, "reading_minutes", f.reading_minutes);
	lua_pushboolean(L, f.untranslated);
	lua_setfield(L, -2, "untranslated");
	push_strlist(L, f.categories);
	lua_setfield(L, -2, "categories");
	push_strlist(L, f.tags);
	lua_setfield(L, -2, "tags");
}

/* translations = { {code, hreflang, name, title, url, current}, ... } for every
 * language; url is the twin page, or that language's home when none. */
static void push_translations(struct tpl *t, const char *const *urls, size_t lang)
{
	lua_State *L = luaenv_state(t->env);
	lua_createtable(L, (int)t->cfg->nlangs, 0);
	for (size_t i = 0; i < t->cfg->nlangs; i++) {
		const struct lang *lg = &t->cfg->langs[i];
		lua_createtable(L, 0, 7);
		set_str(L, "code", lg->code);
		set_str(L, "hreflang", lg->hreflang);
		set_str(L, "name", lg->name);
		set_str(L, "title", lg->title);
		lua_pushboolean(L, i == lang);
		lua_setfield(L, -2, "current");
		lua_pushboolean(L, urls[i] != NULL);
		lua_setfield(L, -2, "exists");
		char *home = urls_home(t->urls, i);
		set_str(L, "url", urls[i] ? urls[i] : home);
		free(home);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "translations");
}

/* { {name=, url=}, ... }: the taxonomy pages of a page's terms. [-0, +1] */
static void push_term_links(struct tpl *t, size_t lang, const char *kind, char *const *names)
{
	lua_State *L = luaenv_state(t->env);
	lua_newtable(L);
	lua_Integer i = 0;
	for (char *const *n = names; n && *n; n++) {
		if (!**n)
			continue;
		char *url = urls_term(t->urls, lang, kind, *n);
		lua_createtable(L, 0, 2);
		set_str(L, "name", *n);
		set_str(L, "url", url);
		lua_rawseti(L, -2, ++i);
		free(url);
	}
}

int tpl_render_brief(struct tpl *t, const struct brief *b, size_t lang, struct buf *out,
		     struct diag_list *dl)
{
	lua_State *L = luaenv_state(t->env);
	const struct page *p = b->pages[lang];
	push_ctx(t, lang);
	push_entry(t, b, lang, 16); /* what a brief's page adds, below */
	set_str(L, "kind", "brief");
	set_str(L, "content", p->html);
	set_str(L, "toc", p->toc);
	set_str(L, "source", p->fm.meta.source);
	char *nums = urls_numbers(t->urls, b->slug);
	set_str(L, "numbers_url", b->has_numbers ? nums : NULL);
	free(nums);
	push_strlist(L, p->fm.meta.authors && p->fm.meta.authors[0] ? p->fm.meta.authors : t->cfg->authors);
	lua_setfield(L, -2, "authors");
	push_fm(L, &p->fm.root);
	lua_setfield(L, -2, "params");
	set_str(L, "updated_iso", p->updated_iso);
	push_term_links(t, lang, taxonomy_kinds[TAX_CATEGORIES], p->fm.meta.categories);
	lua_setfield(L, -2, "category_links");
	push_term_links(t, lang, taxonomy_kinds[TAX_TAGS], p->fm.meta.tags);
	lua_setfield(L, -2, "tag_links");
	lua_setfield(L, -2, "page");
	const char **urls = xcalloc(t->cfg->nlangs, sizeof *urls);
	for (size_t i = 0; i < t->cfg->nlangs; i++)
		urls[i] = b->pages[i] ? b->pages[i]->url : NULL;
	push_translations(t, urls, lang);
	free(urls);
	return render(t, "brief", out, dl);
}

/* Pushes the context of a listing page and its page table, without
 * setting ctx.page yet. [-0, +2] */
static void push_list(struct tpl *t, const struct tpl_list *l, size_t lang)
{
	lua_State *L = luaenv_state(t->env);
	push_ctx(t, lang);
	lua_createtable(L, 0, 12);
	set_str(L, "kind", l->kind);
	set_str(L, "term", l->term);
	set_str(L, "url", l->url);
	set_str(L, "prev_url", l->prev_url);
	set_str(L, "next_url", l->next_url);
	set_int(L, "page_number", (lua_Integer)l->page);
	set_int(L, "page_count", (lua_Integer)l->pages);
	lua_createtable(L, (int)l->n, 0);
	for (size_t i = 0; i < l->n; i++) {
		push_entry(t, l->briefs[i], lang, 0);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "briefs");
}

int tpl_render_list(struct tpl *t, const struct tpl_list *l, size_t lang, struct buf *out,
		    struct diag_list *dl)
{
	lua_State *L = luaenv_state(t->env);
	push_list(t, l, lang);
	set_str(L, "index_url", l->index_url);
	if (l->terms) {
		lua_createtable(L, (int)l->nterms, 0);
		for (size_t i = 0; i < l->nterms; i++) {
			lua_createtable(L, 0, 3);
			set_str(L, "name", l->terms[i].name);
			set_str(L, "url", l->terms[i].url);
			set_int(L, "count", (lua_Integer)l->terms[i].count);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, "terms");
	}
	lua_setfield(L, -2, "page");
	push_translations(t, (const char *const *)l->alt_urls, lang);
	return render(t, l->template, out, dl);
}

int tpl_has(struct tpl *t, const char *key)
{
	lua_State *L = luaenv_state(t->env);
	lua_getfield(L, LUA_REGISTRYINDEX, K_ENGINE);
	int has = 0;
	if (lua_getfield(L, -1, "fns") == LUA_TTABLE) {
		has = lua_getfield(L, -1, key) == LUA_TFUNCTION;
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	return has;
}

int tpl_render_special(struct tpl *t, const char *name, size_t lang, struct buf *out,
		       struct diag_list *dl)
{
	lua_State *L = luaenv_state(t->env);
	push_ctx(t, lang);
	lua_newtable(L);
	set_str(L, "kind", name);
	int search = !strcmp(name, "search"); /* a page per language: /<lang>/search/ */
	char *url = !strcmp(name, "404") ? xstrdup("/404.html")
		    : search     ? urls_kind(t->urls, lang, "search")
				 : xasprintf("/");
	set_str(L, "url", url);
	free(url);
	lua_setfield(L, -2, "page");
	const char **urls = xcalloc(t->cfg->nlangs, sizeof *urls);
	char **own = xcalloc(t->cfg->nlangs, sizeof *own);
	for (size_t i = 0; search && i < t->cfg->nlangs; i++)
		urls[i] = own[i] = urls_kind(t->urls, i, "search");
	push_translations(t, urls, lang);
	for (size_t i = 0; i < t->cfg->nlangs; i++)
		free(own[i]);
	free(own);
	free(urls);
	return render(t, name, out, dl);
}

int tpl_render_page(struct tpl *t, const struct brief *sp, size_t lang, const char *html, const char *toc,
		    struct buf *out, struct diag_list *dl)
{
	lua_State *L = luaenv_state(t->env);
	const struct page *p = sp->pages[lang];
	push_ctx(t, lang);
	lua_newtable(L);
	set_str(L, "kind", "page");
	set_str(L, "url", p->url);
	set_str(L, "title", p->title);
	if (p->fm.meta.description && *p->fm.meta.description)
		set_str(L, "description", p->fm.meta.description);
	set_str(L, "content", html);
	if (toc)
		set_str(L, "toc", toc);
	lua_setfield(L, -2, "page");
	const char **urls = xcalloc(t->cfg->nlangs, sizeof *urls);
	for (size_t i = 0; i < t->cfg->nlangs; i++)
		urls[i] = sp->pages[i] ? sp->pages[i]->url : NULL;
	push_translations(t, urls, lang);
	free(urls);
	return render(t, "page", out, dl);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **tpl_take_used(struct tpl *t)
{
	lua_State *L = luaenv_state(t->env);
	lua_getfield(L, LUA_REGISTRYINDEX, K_ENGINE);
	char **v = NULL;
	size_t n = 0;
	if (lua_getfield(L, -1, "used") == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (lua_type(L, -2) == LUA_TSTRING) {
				v = xrealloc(v, (n + 2) * sizeof *v);
				v[n++] = xstrdup(lua_tostring(L, -2));
			}
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	if (lua_istable(L, -1)) {
		lua_newtable(L);
		lua_setfield(L, -2, "used");
	}
	lua_pop(L, 1);
	if (!n)
		return NULL;
	qsort(v, n, sizeof *v, cmp_key);
	v[n] = NULL;
	return v;
}
