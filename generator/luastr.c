/* luastr — bounded string functions for a sandboxed Lua state. */
#include "luastr.h"
#include "luapat.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "banned.h"

/* Each function of the library is a C closure over Lua's own function
 * (upvalue 1) and the most steps a pattern call may take (upvalue 2). It
 * checks, then calls Lua's own function in its own frame: so whatever that
 * function reports (a bad argument, an invalid capture) names the line of
 * the sandboxed code that called, exactly as without the wrapper, and no
 * Lua code of the host's stands between them. */
static int call_own(lua_State *L)
{
	return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* Lets a pattern call go ahead, or stops it at the caller's line when it
 * may take more than the steps of upvalue 2 (luapat.h); it applies
 * luaenv's time limit too, since one call may take a second. mode: 0
 * gmatch, 1 match and gsub, 2 find. Returns 1 when find is to search for
 * plain text. Arguments that are not strings are left for Lua's own
 * function to report. */
static int check(lua_State *L, int mode)
{
	luaenv_check_time(L);
	if (!lua_isstring(L, 1) || !lua_isstring(L, 2))
		return 0;
	size_t n, lp;
	lua_tolstring(L, 1, &n);
	const char *p = lua_tolstring(L, 2, &lp);
	if (mode == 2 && (lua_toboolean(L, 4) || luapat_plain(p, lp)))
		return 1;
	double max_steps = lua_tonumber(L, lua_upvalueindex(2));
	double cost = luapat_cost(p, lp, n, mode != 0);
	if (cost <= max_steps)
		return 0;
	char steps[32], limit[32];
	if (isfinite(cost))
		snprintf(steps, sizeof steps, "%.0e", cost);
	else
		snprintf(steps, sizeof steps, "more than %.0e", 1e308);
	snprintf(limit, sizeof limit, "%.0e", max_steps);
	size_t cut = lp > 40 ? 40 : lp;
	while (cut < lp && cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
		cut--; /* not inside a UTF-8 character */
	luaL_where(L, 1);
	lua_pushlstring(L, p, cut);
	lua_pushfstring(L, "pattern '%s%s' may take %s steps on a string of %I bytes, more than the %s allowed: "
			"anchor it with '^' or repeat fewer items",
			lua_tostring(L, -1), cut < lp ? "..." : "", steps, (lua_Integer)n, limit);
	lua_remove(L, -2);
	lua_concat(L, 2);
	return lua_error(L);
}

/* string.find(s, p, init, true) with memmem, whose
 * time is linear in the lengths; Lua's own plain search may take their
 * product. [-0, +1|2] */
static int find_plain(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	lua_Integer pos = luaL_optinteger(L, 3, 1);
	/* lstrlib.c posrelatI: 0 and before the start are 1 */
	size_t init = pos > 0 ? (size_t)pos : pos == 0 || pos < -(lua_Integer)ls ? 1 : ls + (size_t)pos + 1;
	if (--init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	const char *at = memmem(s + init, ls - init, p, lp);
	if (!at) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushinteger(L, at - s + 1);
	lua_pushinteger(L, at - s + (lua_Integer)lp);
	return 2;
}

static int l_find(lua_State *L)
{
	return check(L, 2) ? find_plain(L) : call_own(L);
}

static int l_match(lua_State *L)
{
	check(L, 1);
	return call_own(L);
}

static int l_gsub(lua_State *L)
{
	check(L, 1);
	return call_own(L);
}

static int l_gmatch(lua_State *L)
{
	check(L, 0);
	return call_own(L);
}

/* rep of an empty string (and separator) answers without Lua's loop of up
 * to 2^63 turns that append nothing. */
static int l_rep(lua_State *L)
{
	int whole;
	if (lua_type(L, 1) == LUA_TSTRING && lua_rawlen(L, 1) == 0 &&
	    (lua_isnoneornil(L, 3) || (lua_type(L, 3) == LUA_TSTRING && lua_rawlen(L, 3) == 0)) &&
	    (lua_tointegerx(L, 2, &whole), whole)) {
		lua_pushliteral(L, "");
		return 1;
	}
	return call_own(L);
}

/* install(max_steps): builds the library and puts it behind every string.
 * Runs in a protected call. [-1, +1] */
static int install(lua_State *L)
{
	/* Lua's own: not dump, pack, packsize, unpack (no use here, and dump
	 * would hand out bytecode) */
	static const char *const same[] = { "byte", "char", "format", "len", "lower", "reverse", "sub", "upper", NULL };
	static const luaL_Reg bounded[] = { { "find", l_find },   { "match", l_match }, { "gmatch", l_gmatch },
					    { "gsub", l_gsub },   { "rep", l_rep },     { NULL, NULL } };
	double max_steps = lua_tonumber(L, 1);
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
	int own = lua_gettop(L);
	lua_createtable(L, 0, 13);
	for (const char *const *k = same; *k; k++) {
		lua_getfield(L, own, *k);
		lua_setfield(L, -2, *k);
	}
	for (const luaL_Reg *r = bounded; r->name; r++) {
		lua_getfield(L, own, r->name);
		if (!lua_tocfunction(L, -1))
			return luaL_error(L, "string.%s is not Lua's own", r->name);
		lua_pushnumber(L, max_steps);
		lua_pushcclosure(L, r->func, 2);
		lua_setfield(L, -2, r->name);
	}
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 2);
	return 1;
}

int luastr_install(struct luaenv *e, double max_steps, struct srcpos where, struct diag_list *dl)
{
	lua_State *L = luaenv_state(e);
	lua_pushcfunction(L, install);
	lua_pushnumber(L, max_steps);
	return luaenv_pcall(e, 1, 1, where, dl);
}
