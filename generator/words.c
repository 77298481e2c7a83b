/* words — i18n/<code>.lua into C. */
#include "words.h"
#include "langtag.h"
#include "fsutil.h"
#include "luaenv.h"
#include "luastr.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include "banned.h"

/* A file of interface words is data, as site.lua is (config.c): the same
 * limits, CPU seconds and the most steps of one pattern call (luapat.h). */
#define WORDS_SECONDS 2
#define WORDS_PATTERN_STEPS 1e8

/* Runs one data chunk and copies its string fields into m. */
static int load_file(struct strmap *m, const char *file, const struct buf *src, struct diag_list *dl)
{
	struct luaenv *e = luaenv_new(NULL, (struct luaenv_limits){ 8u << 20, 1000000, WORDS_SECONDS, 0, 0 });
	if (!e)
		return diag_error(dl, (struct srcpos){ file, 0, 0 }, "cannot start Lua");
	lua_State *L = luaenv_state(e);
	/* its strings reach their methods through the string metatable */
	int r = luastr_install(e, WORDS_PATTERN_STEPS, (struct srcpos){ file, 0, 0 }, dl);
	if (r == 0) {
		lua_pop(L, 1);
		r = luaenv_load(e, src->ptr, src->len, file, dl);
	}
	if (r == 0) {
		lua_newtable(L); /* data only: the chunk sees an empty environment */
		lua_setupvalue(L, -2, 1);
		r = luaenv_pcall(e, 0, 1, (struct srcpos){ file, 0, 0 }, dl);
	}
	if (r == 0 && !lua_istable(L, -1))
		r = diag_error(dl, (struct srcpos){ file, 0, 0 }, "must return a table of strings");
	if (r == 0) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
				r = diag_error(dl, (struct srcpos){ file, 0, 0 },
					       "must return a table of strings (key '%s' is a %s)",
					       lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?",
					       luaL_typename(L, -1));
				lua_pop(L, 2);
				break;
			}
			struct strmap_slot *s = strmap_put(m, lua_tostring(L, -2), NULL);
			free(s->value);
			s->value = xstrdup(lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	}
	luaenv_free(e);
	return r;
}

int words_load(struct words *w, const char *tpl_dir, const struct config *c, struct diag_list *dl)
{
	memset(w, 0, sizeof *w);
	w->nlangs = c->nlangs;
	w->by_lang = xcalloc(c->nlangs, sizeof *w->by_lang);
	w->files = xcalloc(c->nlangs, sizeof *w->files);
	int r = 0;
	for (size_t i = 0; i < c->nlangs; i++) {
		/* the code, the tag, its language ("zh-cn": zh.lua), else English */
		char *tag = xstrdup(c->langs[i].hreflang), primary[9];
		for (char *p = tag; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		langtag_primary(tag, primary);
		const char *const tries[] = { c->langs[i].code, tag, primary, "en" };
		/* a converted edition: its own file, else its source's words
		 * converted (below) */
		size_t ntries = c->langs[i].conv ? 2 : sizeof tries / sizeof *tries;
		struct buf src = BUF_INIT;
		for (size_t k = 0; k < ntries && !w->files[i]; k++) {
			if (!*tries[k])
				continue;
			char *rel = xasprintf("i18n/%s.lua", tries[k]);
			char *file = fs_join(tpl_dir, rel);
			free(rel);
			if (fs_read(file, &src) == 0 || (k == ntries - 1 && !c->langs[i].conv))
				w->files[i] = file;
			else
				free(file);
		}
		free(tag);
		if (!w->files[i])
			continue;
		if (!src.len && !fs_is_file(w->files[i]))
			r |= diag_error(dl, (struct srcpos){ w->files[i], 0, 0 }, "cannot read interface strings");
		else
			r |= load_file(&w->by_lang[i], w->files[i], &src, dl);
		buf_release(&src);
	}
	for (size_t i = 0; i < c->nlangs; i++) {
		size_t from = c->langs[i].from;
		if (w->files[i] || !c->langs[i].conv || !w->files[from])
			continue;
		w->files[i] = xstrdup(w->files[from]);
		const char **keys = words_keys(w, from);
		for (const char **k = keys; *k; k++)
			strmap_put(&w->by_lang[i], *k, NULL)->value =
				zhconv_dup(c->langs[i].conv, words_get(w, from, *k));
		free(keys);
	}
	return r;
}

void words_release(struct words *w)
{
	for (size_t i = 0; i < w->nlangs; i++) {
		struct strmap *m = &w->by_lang[i];
		for (size_t k = 0; k < m->cap; k++)
			free(m->slots[k].value);
		strmap_release(m);
		free(w->files[i]);
	}
	free(w->by_lang);
	free(w->files);
	memset(w, 0, sizeof *w);
}

const char *words_get(const struct words *w, size_t lang, const char *key)
{
	if (lang >= w->nlangs)
		return NULL;
	const struct strmap_slot *s = strmap_find(&w->by_lang[lang], key);
	return s ? s->value : NULL;
}

void words_format(const struct words *w, size_t lang, const char *key, const char *const *args,
		  size_t nargs, struct buf *out)
{
	const char *s = words_get(w, lang, key);
	if (!s) {
		buf_adds(out, key);
		return;
	}
	for (; *s; s++) {
		if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}' && (size_t)(s[1] - '1') < nargs) {
			buf_adds(out, args[s[1] - '1']);
			s += 2;
		} else {
			buf_addch(out, *s);
		}
	}
}

const char **words_keys(const struct words *w, size_t lang)
{
	return strmap_sorted_keys(&w->by_lang[lang]);
}
