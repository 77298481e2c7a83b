/* config — read content/site.lua. */
#include "config.h"
#include "buf.h"
#include "fsutil.h"
#include "langtag.h"
#include "luaenv.h"
#include "luastr.h"
#include "xalloc.h"
#include "zone.h"
#include "utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include "banned.h"

static void set_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->base_url = xstrdup("/");
	c->nlangs = 2;
	c->langs = xcalloc(2, sizeof *c->langs);
	c->langs[0] = (struct lang){ xstrdup("zh"), xstrdup("zh-Hant"), xstrdup("zh_TW"), xstrdup("中文"),
				     xstrdup("簡報"), xstrdup(""), NULL, 0 };
	c->langs[1] = (struct lang){ xstrdup("en"), xstrdup("en"), xstrdup("en_US"), xstrdup("English"),
				     xstrdup("Briefs"), xstrdup(""), NULL, 0 };
	c->authors = xcalloc(1, sizeof *c->authors);
	c->summary_chars = 120;
	c->summary_words = 80; /* as long as 120 CJK characters read: a paragraph whole in one
				  language is whole in the other */
	c->cjk_per_minute = 400;
	c->words_per_minute = 230;
	c->page_size = 10;
	c->feed_full = 1;
	c->feed_limit = 20;
	c->timezone = xstrdup("+00:00");
}

void config_release(struct config *c)
{
	free(c->base_url);
	for (size_t i = 0; i < c->nlangs; i++) {
		free(c->langs[i].code);
		free(c->langs[i].hreflang);
		free(c->langs[i].og_locale);
		free(c->langs[i].name);
		free(c->langs[i].title);
		free(c->langs[i].description);
		zhconv_free(c->langs[i].conv);
	}
	free(c->langs);
	for (char **a = c->authors; a && *a; a++)
		free(*a);
	free(c->authors);
	for (size_t i = 0; i < c->ncats; i++) {
		free(c->cats[i].a);
		free(c->cats[i].b);
	}
	free(c->cats);
	free(c->timezone);
	free(c->file);
	memset(c, 0, sizeof *c);
}

int config_lang(const struct config *c, const char *code)
{
	for (size_t i = 0; i < c->nlangs; i++)
		if (!strcmp(c->langs[i].code, code))
			return (int)i;
	return -1;
}

/* a and b equal as language tags: any case, '_' for '-'; n: bytes of a to compare (-1: all). */
static int same_tag(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	for (; i < n && a[i] && b[i]; i++) {
		char x = a[i] == '_' ? '-' : (char)tolower((unsigned char)a[i]);
		char y = b[i] == '_' ? '-' : (char)tolower((unsigned char)b[i]);
		if (x != y)
			return 0;
	}
	return i == n ? (b[i] == '\0' || b[i] == '-' || b[i] == '_') : a[i] == b[i];
}

size_t config_source_lang(const struct config *c, size_t i)
{
	return c->langs[i].conv ? c->langs[i].from : i;
}

int config_lang_tag(const struct config *c, const char *tag)
{
	for (size_t i = 0; i < c->nlangs; i++)
		if (same_tag(tag, c->langs[i].code, (size_t)-1) ||
		    (c->langs[i].hreflang && same_tag(tag, c->langs[i].hreflang, (size_t)-1)))
			return (int)i;
	size_t p = strcspn(tag, "-_");
	int hit = -1;
	for (size_t i = 0; i < c->nlangs; i++)
		if (!c->langs[i].conv && same_tag(tag, c->langs[i].code, p)) { /* a converted
			edition is never a guess: its files are made from another's */
			if (hit >= 0)
				return -1; /* two languages share it: no guess */
			hit = (int)i;
		}
	return hit;
}

/* Reads t[key] as a string into *out (replacing it). [-0, +0] */
static int get_str(lua_State *L, int t, const char *key, char **out, const char *file,
		   struct diag_list *dl)
{
	int ty = lua_getfield(L, t, key);
	int r = 0;
	if (ty == LUA_TSTRING) {
		free(*out);
		*out = xstrdup(lua_tostring(L, -1));
	} else if (ty != LUA_TNIL) {
		r = diag_error(dl, (struct srcpos){ file, 0, 0 }, "'%s' must be a string, not a %s", key,
			       lua_typename(L, ty));
	}
	lua_pop(L, 1);
	return r;
}

/* Reads t[key] as a whole number from min to 999999 into *out. A boolean
 * counts as 0 or 1 only where 0 is allowed: a reading rate of 0 would
 * divide by zero. [-0, +0] */
static int get_int(lua_State *L, int t, const char *key, int *out, int min, const char *file,
		   struct diag_list *dl)
{
	int ty = lua_getfield(L, t, key);
	int r = 0;
	if (ty == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= min &&
	    lua_tointeger(L, -1) < 1000000)
		*out = (int)lua_tointeger(L, -1);
	else if (ty == LUA_TBOOLEAN && min == 0)
		*out = lua_toboolean(L, -1);
	else if (ty != LUA_TNIL && min > 0)
		r = diag_error(dl, (struct srcpos){ file, 0, 0 }, "'%s' must be a whole number from %d to 999999",
			       key, min);
	else if (ty != LUA_TNIL)
		r = diag_error(dl, (struct srcpos){ file, 0, 0 }, "'%s' must be a whole number", key);
	lua_pop(L, 1);
	return r;
}

static struct srcpos key_pos(const char *file, const char *src, size_t len, const char *key, const char *value);

/* Checks a language's code or hreflang as a BCP 47 tag; -1 with an error
 * at its place in site.lua. */
static int check_tag(const char *key, const char *tag, const char *file, const char *src, size_t len,
		     struct diag_list *dl)
{
	const char *why = langtag_problem(tag);
	if (!why)
		return 0;
	struct srcpos at = key_pos(file, src, len, key, tag);
	if (strchr(tag, '_')) {
		char *fix = xstrdup(tag);
		for (char *p = fix; *p; p++)
			if (*p == '_')
				*p = '-';
		int r = diag_error(dl, at, "%s '%s' is not a BCP 47 language tag: it %s ('%s')", key, tag, why, fix);
		free(fix);
		return r;
	}
	return diag_error(dl, at, "%s '%s' is not a BCP 47 language tag: it %s", key, tag, why);
}

/* A language's `convert`, `opencc` and `phrases`, read before the
 * languages they name are all known. */
struct conversion {
	char *convert, *opencc;
	char **from, **to;
	size_t n;
	int title_set, description_set;
};

static void conversions_free(struct conversion *cv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(cv[i].convert);
		free(cv[i].opencc);
		for (size_t k = 0; k < cv[i].n; k++) {
			free(cv[i].from[k]);
			free(cv[i].to[k]);
		}
		free(cv[i].from);
		free(cv[i].to);
	}
	free(cv);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* t.convert, t.opencc and t.phrases (a table of strings to strings). */
static int read_conversion(struct conversion *cv, lua_State *L, int t, const char *file, const char *src,
			   size_t len, struct diag_list *dl)
{
	int r = get_str(L, t, "convert", &cv->convert, file, dl);
	r |= get_str(L, t, "opencc", &cv->opencc, file, dl);
	int ty = lua_getfield(L, t, "phrases");
	if (ty != LUA_TNIL && ty != LUA_TTABLE) {
		r = diag_error(dl, key_pos(file, src, len, "phrases", NULL),
			       "'phrases' must be a table of { [\"繁體\"] = \"简体\" }, not a %s", lua_typename(L, ty));
	} else if (ty == LUA_TTABLE) {
		int pt = lua_gettop(L);
		lua_pushnil(L);
		while (lua_next(L, pt)) {
			if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
				r = diag_error(dl, key_pos(file, src, len, "phrases", NULL),
					       "'phrases' maps strings to strings (\"%s\" = a %s)",
					       lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?",
					       lua_typename(L, lua_type(L, -1)));
			} else {
				cv->from = xrealloc(cv->from, (cv->n + 1) * sizeof *cv->from);
				cv->to = xrealloc(cv->to, (cv->n + 1) * sizeof *cv->to);
				cv->from[cv->n] = xstrdup(lua_tostring(L, -2));
				cv->to[cv->n++] = xstrdup(lua_tostring(L, -1));
			}
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	if (!r && !cv->convert && (cv->opencc || cv->n))
		r = diag_error(dl, key_pos(file, src, len, cv->opencc ? "opencc" : "phrases", NULL),
			       "'%s' is for a converted edition: add convert = \"zh\" (the language it is made from)",
			       cv->opencc ? "opencc" : "phrases");
	return r;
}

/* Resolves each `convert` to a language of its own and opens its
 * converter. A converted edition's title and description default to its
 * source's, converted. */
static int make_conversions(struct lang *langs, size_t n, struct conversion *cv, const char *file,
			    const char *src, size_t len, struct diag_list *dl)
{
	int r = 0;
	for (size_t i = 0; i < n && !r; i++) {
		if (!cv[i].convert)
			continue;
		struct srcpos at = key_pos(file, src, len, "convert", cv[i].convert);
		size_t j = 0;
		while (j < n && strcmp(langs[j].code, cv[i].convert))
			j++;
		if (j == n)
			return diag_error(dl, at, "language '%s' converts from '%s', which is not one of the languages",
					  langs[i].code, cv[i].convert);
		if (j == i)
			return diag_error(dl, at, "language '%s' cannot be converted from itself", langs[i].code);
		if (cv[j].convert)
			return diag_error(dl, at, "language '%s' converts from '%s', which is converted itself; "
					  "convert from '%s'", langs[i].code, cv[i].convert, cv[j].convert);
		/* phrases in a fixed order: a Lua table's is not */
		size_t np = cv[i].n;
		char **order = xcalloc(np + 1, sizeof *order);
		for (size_t k = 0; k < np; k++)
			order[k] = cv[i].from[k];
		qsort(order, np, sizeof *order, cmp_str);
		const char **from = xcalloc(np + 1, sizeof *from), **to = xcalloc(np + 1, sizeof *to);
		for (size_t k = 0; k < np; k++)
			for (size_t q = 0; q < np; q++)
				if (cv[i].from[q] == order[k]) {
					from[k] = cv[i].from[q];
					to[k] = cv[i].to[q];
				}
		char *err = NULL;
		langs[i].conv = zhconv_new(cv[i].opencc ? cv[i].opencc : "tw2sp", from, to, np, &err);
		langs[i].from = j;
		free(order);
		free(from);
		free(to);
		if (!langs[i].conv) {
			r = diag_error(dl, cv[i].opencc ? key_pos(file, src, len, "opencc", cv[i].opencc) : at, "%s", err);
			free(err);
			break;
		}
		if (!cv[i].title_set)
			zhconv_replace(langs[i].conv, &langs[i].title, langs[j].title);
		if (!cv[i].description_set)
			zhconv_replace(langs[i].conv, &langs[i].description, langs[j].description);
	}
	return r;
}

static int read_langs(struct config *c, lua_State *L, int t, const char *file, const char *src, size_t len,
		      struct diag_list *dl)
{
	int ty = lua_getfield(L, t, "languages");
	if (ty == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	if (ty != LUA_TTABLE || luaL_len(L, -1) < 1) {
		lua_pop(L, 1);
		return diag_error(dl, (struct srcpos){ file, 0, 0 },
				  "'languages' must be a list of { code = ..., hreflang = ..., title = ... }");
	}
	size_t n = (size_t)luaL_len(L, -1);
	struct lang *langs = xcalloc(n, sizeof *langs);
	struct conversion *cv = xcalloc(n, sizeof *cv);
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		lua_geti(L, -1, (lua_Integer)i + 1);
		int lt = lua_gettop(L);
		if (!lua_istable(L, lt)) {
			r = diag_error(dl, (struct srcpos){ file, 0, 0 }, "languages[%zu] must be a table", i + 1);
		} else {
			r |= read_conversion(&cv[i], L, lt, file, src, len, dl);
			cv[i].title_set = lua_getfield(L, lt, "title") != LUA_TNIL;
			cv[i].description_set = lua_getfield(L, lt, "description") != LUA_TNIL;
			lua_pop(L, 2);
			r |= get_str(L, lt, "code", &langs[i].code, file, dl);
			r |= get_str(L, lt, "hreflang", &langs[i].hreflang, file, dl);
			r |= get_str(L, lt, "title", &langs[i].title, file, dl);
			r |= get_str(L, lt, "description", &langs[i].description, file, dl);
			r |= get_str(L, lt, "og_locale", &langs[i].og_locale, file, dl);
			r |= get_str(L, lt, "name", &langs[i].name, file, dl);
			if (!r && !langs[i].code)
				r = diag_error(dl, (struct srcpos){ file, 0, 0 }, "languages[%zu] has no 'code'", i + 1);
			if (!r)
				r = check_tag("code", langs[i].code, file, src, len, dl);
			if (!r && strspn(langs[i].code, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(langs[i].code)) {
				char *low = xstrdup(langs[i].code);
				for (char *p = low; *p; p++)
					*p = (char)tolower((unsigned char)*p);
				r = diag_error(dl, key_pos(file, src, len, "code", langs[i].code),
					       "language code '%s' names folders and files: write it in lowercase "
					       "('%s'; hreflang keeps the usual case)", langs[i].code, low);
				free(low);
			}
			if (!r && langs[i].hreflang)
				r = check_tag("hreflang", langs[i].hreflang, file, src, len, dl);
			if (!r && langs[i].og_locale &&
			    (strlen(langs[i].og_locale) < 2 ||
			     strspn(langs[i].og_locale, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") !=
				     strlen(langs[i].og_locale)))
				r = diag_error(dl, key_pos(file, src, len, "og_locale", langs[i].og_locale),
					       "og_locale '%s' must be language_TERRITORY, such as 'zh_TW' or 'en_GB'",
					       langs[i].og_locale);
			for (size_t k = 0; !r && k < i; k++)
				if (!strcmp(langs[k].code, langs[i].code))
					r = diag_error(dl, (struct srcpos){ file, 0, 0 },
						       "language '%s' is listed twice", langs[i].code);
		}
		if (!r) {
			char *tag = langtag_canon(langs[i].hreflang ? langs[i].hreflang : langs[i].code);
			free(langs[i].hreflang);
			langs[i].hreflang = tag;
			if (!langs[i].og_locale)
				langs[i].og_locale = langtag_og_locale(tag);
			if (!langs[i].name)
				langs[i].name = xstrdup(langtag_name(tag));
			if (!langs[i].title)
				langs[i].title = xstrdup("Briefs");
			if (!langs[i].description)
				langs[i].description = xstrdup("");
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	if (!r)
		r = make_conversions(langs, n, cv, file, src, len, dl);
	conversions_free(cv, n);
	/* Swap the defaults for the configured list; free whichever loses. */
	struct lang *old = c->langs;
	size_t oldn = c->nlangs;
	if (!r) {
		c->langs = langs;
		c->nlangs = n;
	} else {
		old = langs;
		oldn = n;
	}
	for (size_t i = 0; i < oldn; i++) {
		free(old[i].code);
		free(old[i].hreflang);
		free(old[i].og_locale);
		free(old[i].name);
		free(old[i].title);
		free(old[i].description);
		zhconv_free(old[i].conv);
	}
	free(old);
	return r;
}

/* Where `key =` (with value: `key = "value"`) is first written in site.lua, outside comments and
 * strings: the values are only seen after the chunk ran, so this lexical
 * look is how a message about a value finds its line. {file, 0, 0} when
 * the key is not written as a plain name (a computed key). Columns count
 * characters. */
static struct srcpos key_pos(const char *file, const char *src, size_t len, const char *key, const char *value)
{
	size_t vl = value ? strlen(value) : 0;
	size_t kl = strlen(key);
	int line = 1, col = 1;
	for (size_t i = 0; i < len;) {
		char ch = src[i];
		/* a long bracket [[ ]], [==[ ]==]: in a comment or a string */
		size_t lvl = 0, j = i + 1;
		int is_comment = ch == '-' && i + 1 < len && src[i + 1] == '-';
		size_t at = is_comment ? i + 2 : i;
		if (at < len && src[at] == '[') {
			for (j = at + 1; j < len && src[j] == '='; j++)
				lvl++;
		}
		int long_bracket = at < len && src[at] == '[' && j < len && src[j] == '[';
		size_t end = i + 1;
		if (long_bracket) {
			end = len;
			for (size_t k = j + 1; k < len; k++) {
				if (src[k] != ']' || k + lvl + 1 >= len || src[k + lvl + 1] != ']')
					continue;
				size_t e = 0;
				while (e < lvl && src[k + 1 + e] == '=')
					e++;
				if (e == lvl) {
					end = k + lvl + 2;
					break;
				}
			}
		} else if (is_comment) {
			for (end = i; end < len && src[end] != '\n';)
				end++;
		} else if (ch == '"' || ch == '\'') {
			for (end = i + 1; end < len && src[end] != ch && src[end] != '\n'; end++)
				if (src[end] == '\\' && end + 1 < len)
					end++;
			if (end < len && src[end] == ch)
				end++;
		} else if (isalpha((unsigned char)ch) || ch == '_') {
			for (end = i; end < len && (isalnum((unsigned char)src[end]) || src[end] == '_');)
				end++;
			size_t e = end;
			while (e < len && (src[e] == ' ' || src[e] == '\t'))
				e++;
			if (end - i == kl && !memcmp(src + i, key, kl) && e < len && src[e] == '=' &&
			    (e + 1 >= len || src[e + 1] != '=')) {
				size_t v = e + 1; /* with a value: `key = "value"` written so */
				while (v < len && (src[v] == ' ' || src[v] == '\t'))
					v++;
				if (!value || (v + vl + 1 < len && (src[v] == '"' || src[v] == '\'') &&
					       !memcmp(src + v + 1, value, vl) && src[v + vl + 1] == src[v]))
					return (struct srcpos){ file, line, col };
			}
		}
		utf8_advance(src + i, end - i, &line, &col);
		i = end;
	}
	return (struct srcpos){ file, 0, 0 };
}

/* Why url cannot be the site's address, or NULL: the sitemap, the feeds'
 * ids and og:url are absolute URLs made by appending paths to it. */
static const char *base_url_problem(const char *url)
{
	const char *host = !strncmp(url, "https://", 8) ? url + 8 : !strncmp(url, "http://", 7) ? url + 7 : NULL;
	if (!host)
		return "must be an absolute http:// or https:// address, such as 'https://example.org/'";
	size_t hl = strcspn(host, "/");
	if (!hl)
		return "has no host name after its scheme";
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '\\' || *p == '"' || *p == '<' || *p == '>')
			return "may not contain spaces, quotes, angle brackets or backslashes (percent-encode them)";
	if (strpbrk(url, "?#"))
		return "may not have a query or a fragment ('?', '#')";
	for (const char *p = host; p < host + hl; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]_%@", *p) && !((unsigned char)*p & 0x80))
			return "has a character that cannot be in a host name";
	return NULL;
}

int config_set_base_url(struct config *c, const char *url, struct srcpos where, struct diag_list *dl)
{
	const char *why = base_url_problem(url);
	if (why)
		return diag_error(dl, where, "base_url '%s' %s", url, why);
	size_t n = strlen(url);
	free(c->base_url);
	c->base_url = n && url[n - 1] == '/' ? xstrdup(url) : xasprintf("%s/", url);
	c->base_url_set = 1;
	return 0;
}

static int read_config(struct config *c, lua_State *L, const char *file,
		       const char *src, size_t len, struct diag_list *dl)
{
	int t = lua_gettop(L);
	int r = read_langs(c, L, t, file, src, len, dl);
	char *base = NULL;
	if (get_str(L, t, "base_url", &base, file, dl) < 0)
		r = -1;
	else if (base)
		r |= config_set_base_url(c, base, key_pos(file, src, len, "base_url", NULL), dl);
	free(base);
	char *tz = NULL;
	if (get_str(L, t, "timezone", &tz, file, dl) < 0) {
		r = -1;
	} else if (tz && !zone_valid(tz)) {
		r = diag_error(dl, key_pos(file, src, len, "timezone", NULL),
			       "timezone '%s' is neither a tz database name (such as 'Asia/Taipei') nor an "
			       "offset ('+08:00', 'Z', 'UTC')", tz);
	} else if (tz) {
		free(c->timezone);
		c->timezone = tz;
		tz = NULL;
	}
	free(tz);
	r |= get_int(L, t, "summary_chars", &c->summary_chars, 0, file, dl);
	r |= get_int(L, t, "summary_words", &c->summary_words, 0, file, dl);
	r |= get_int(L, t, "cjk_chars_per_minute", &c->cjk_per_minute, 1, file, dl);
	r |= get_int(L, t, "words_per_minute", &c->words_per_minute, 1, file, dl);
	r |= get_int(L, t, "page_size", &c->page_size, 0, file, dl);
	r |= get_int(L, t, "feed_full_content", &c->feed_full, 0, file, dl);
	r |= get_int(L, t, "feed_limit", &c->feed_limit, 0, file, dl);
	r |= get_int(L, t, "search", &c->search, 0, file, dl);
	if (c->search > 1)
		r = diag_error(dl, key_pos(file, src, len, "search", NULL), "'search' is true or false");
	char *def = NULL;
	r |= get_str(L, t, "default_language", &def, file, dl);
	if (r == 0 && def) {
		int i = config_lang(c, def);
		if (i < 0)
			r = diag_error(dl, (struct srcpos){ file, 0, 0 },
				       "default_language '%s' is not one of the languages", def);
		else
			c->def = (size_t)i;
	}
	free(def);
	if (lua_getfield(L, t, "authors") == LUA_TTABLE) {
		size_t n = (size_t)luaL_len(L, -1);
		free(c->authors);
		c->authors = xcalloc(n + 1, sizeof *c->authors);
		for (size_t i = 0; i < n; i++) {
			lua_geti(L, -1, (lua_Integer)i + 1);
			c->authors[i] = xstrdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	if (lua_getfield(L, t, "category_map") == LUA_TTABLE) {
		/* Sorted so the order never depends on Lua's hash iteration. */
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
				c->cats = xrealloc(c->cats, (c->ncats + 1) * sizeof *c->cats);
				c->cats[c->ncats].a = xstrdup(lua_tostring(L, -2));
				c->cats[c->ncats].b = xstrdup(lua_tostring(L, -1));
				c->ncats++;
			} else {
				r = diag_error(dl, (struct srcpos){ file, 0, 0 },
					       "category_map must map strings to strings");
			}
			lua_pop(L, 1);
		}
		for (size_t i = 1; i < c->ncats; i++)
			for (size_t k = i; k > 0 && strcmp(c->cats[k - 1].a, c->cats[k].a) > 0; k--) {
				struct catpair tmp = c->cats[k];
				c->cats[k] = c->cats[k - 1];
				c->cats[k - 1] = tmp;
			}
	}
	lua_pop(L, 1);
	return r;
}

/* site.lua is data: ~1 ms of work. What it may take, in CPU seconds, and
 * the most steps (luapat.h) one of its pattern calls may take. */
#define CONFIG_SECONDS 2
#define CONFIG_PATTERN_STEPS 1e8

int config_load(struct config *c, const char *content_dir, struct diag_list *dl)
{
	set_defaults(c);
	char *file = fs_join(content_dir, "site.lua");
	struct buf src = BUF_INIT;
	if (fs_read(file, &src) < 0) {
		free(file);
		buf_release(&src);
		return 0;
	}
	c->file = file;
	struct luaenv *e = luaenv_new(NULL, (struct luaenv_limits){ 8u << 20, 1000000, CONFIG_SECONDS, 0, 0 });
	if (!e) {
		buf_release(&src);
		return diag_error(dl, (struct srcpos){ file, 0, 0 }, "cannot start Lua");
	}
	lua_State *L = luaenv_state(e);
	/* The chunk's environment is empty, but its strings still reach their
	 * methods through the string metatable: the bounded ones (luastr.h). */
	int r = luastr_install(e, CONFIG_PATTERN_STEPS, (struct srcpos){ file, 0, 0 }, dl);
	if (r == 0) {
		lua_pop(L, 1);
		r = luaenv_load(e, src.ptr, src.len, file, dl);
	}
	if (r == 0) {
		/* Data only: the chunk sees an empty environment. */
		lua_newtable(L);
		lua_setupvalue(L, -2, 1);
		r = luaenv_pcall(e, 0, 1, (struct srcpos){ file, 0, 0 }, dl);
	}
	if (r == 0) {
		if (!lua_istable(L, -1))
			r = diag_error(dl, (struct srcpos){ file, 0, 0 }, "site.lua must return a table");
		else
			r = read_config(c, L, file, src.ptr, src.len, dl);
		lua_pop(L, 1);
	}
	buf_release(&src);
	luaenv_free(e);
	return r;
}
