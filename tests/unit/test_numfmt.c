/* numfmt: the C core (generator/numfmt.c) shows every number exactly as
 * lua/numfmt.lua's own code does. lua/numfmt.lua is loaded twice in one
 * plain Lua state: once without numfmt_core (all Lua, the definition) and
 * once with it; both are asked the same questions (format, round,
 * format_round, for numbers drawn over the whole range of doubles and
 * integers, every kind of format and some that are wrong, known languages
 * and others), and the C core is also called directly so that a decline
 * (nil) cannot hide behind the Lua fallback. */
#include "harness.h"
#include "buf.h"
#include "numfmt.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int opened;

static int open_core(lua_State *L)
{
	opened++;
	return numfmt_open(L);
}

static const char chunk[] =
	"local pure, mod, core = ...\n"
	"local vals = { 0, -0.0, 1, -1, 0.5, 1.45, 2.5, -2.5, 9999.4, 9999.5, 9999.6, 99999.5, 999999.5,\n"
	"  0.1 + 0.2, 1 / 3, 2 / 3, 123456789, 1234567890123, 12345678901234567, 2^53, 2^53 + 1, 2^53 - 1,\n"
	"  2^63, -2^63, 1e15, 1e16, 1e21, 1e22, 1e300, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,\n"
	"  1e-6, 1e-7, 9.99995e-7, 0.000123456, 0.00099999, 0.0995, 0.995, 0.9995, 4.35, 0.045, 1.005,\n"
	"  math.maxinteger, math.mininteger, math.maxinteger - 1, 10, 100, 1000, 10000, 100000000,\n"
	"  999999999999, 1000000000000, 99995, 95, 9.5, 0.95, 7e4, 76000, 600, 37000, 0.66, 0.1234,\n"
	"  0/0, 1/0, -1/0, 'text', true }\n"
	"local seed = 12345\n"
	"local function rnd(m) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % m end\n"
	"for _ = 1, 400 do\n"
	"  local mant = (rnd(1000000) * 1000000 + rnd(1000000)) / 1e12\n"
	"  local x = mant * 10.0 ^ (rnd(640) - 325)\n"
	"  if rnd(2) == 1 then x = -x end\n"
	"  vals[#vals + 1] = x\n"
	"  local digits = rnd(6) + 1\n"
	"  local y = (rnd(10 ^ digits) + rnd(10) / 10 + rnd(2) * 0.05) * 10 ^ (rnd(16) - 4)\n"
	"  vals[#vals + 1] = rnd(3) == 0 and -y or y\n"
	"  vals[#vals + 1] = rnd(2) == 0 and rnd(1000000000) * (rnd(2) == 0 and 1 or -1) or (rnd(100000) * 10 ^ rnd(14) // 1)\n"
	/* decimals of up to 16 digits at every place, and products of short
	 * ones, as models make them (numfmt.c reads short decimals its own way) */
	"  local k = rnd(1000000000) * 10 ^ rnd(8) + rnd(100000000)\n"
	"  vals[#vals + 1] = k / 10.0 ^ rnd(24)\n"
	"  vals[#vals + 1] = (rnd(100000) / 10.0 ^ rnd(6)) * (rnd(100000) / 10.0 ^ rnd(6))\n"
	"  vals[#vals + 1] = (rnd(2000) * 2 + 1) / 2 / 10.0 ^ rnd(12)\n"
	"end\n"
	"local specs = { '', 'int', 'pct', 'x', 'sig0', 'sig16', '.11f', 'bogus', '.2', 'sigx', 'pctx', 5 }\n"
	"for n = 1, 15 do specs[#specs + 1] = 'sig' .. n end\n"
	"for n = 0, 10 do specs[#specs + 1] = '.' .. n .. 'f'; specs[#specs + 1] = '.' .. n .. 'pct';\n"
	"  specs[#specs + 1] = '.' .. n .. 'x' end\n"
	"for n = 1, 6 do specs[#specs + 1] = 'sig' .. n .. 'pct'; specs[#specs + 1] = 'sig' .. n .. 'x' end\n"
	"local parsed = {}\n"
	"for i = 1, #specs do local sp = pure.parse_spec(specs[i]); if sp then parsed[#parsed + 1] = sp end end\n"
	"local langs = { 'zh', 'en', 'zh-TW', 'en-GB', 'fr', 3 }\n"
	"local same, differ, direct, first = 0, 0, 0, nil\n"
	"local function tell(what, a, b)\n"
	"  differ = differ + 1\n"
	"  if not first then first = what .. ': Lua ' .. tostring(a) .. ', C ' .. tostring(b) end\n"
	"end\n"
	"local function eq(a, b) return a == b and math.type(a) == math.type(b) end\n"
	"local function compare(what, f, g, ...)\n"
	"  local ra = table.pack(pcall(f, ...))\n"
	"  local rb = table.pack(pcall(g, ...))\n"
	"  for k = 1, math.max(ra.n, rb.n) do\n"
	"    if not eq(ra[k], rb[k]) then return tell(what, ra[k], rb[k]) end\n"
	"  end\n"
	"  same = same + 1\n"
	"end\n"
	"for _, v in ipairs(vals) do\n"
	"  local shown = string.format('%.17g', type(v) == 'number' and v or 0)\n"
	"  for _, l in ipairs(langs) do\n"
	"    for _, s in ipairs((l == 'zh' or l == 'en') and specs or { '', 'bogus' }) do\n"
	"      local w = shown .. ' ' .. tostring(l) .. ' ' .. tostring(s)\n"
	"      compare('format ' .. w, pure.format, mod.format, v, l, s)\n"
	"      compare('round ' .. w, pure.round, mod.round, v, l, s)\n"
	"      compare('format_round ' .. w, pure.format_round, mod.format_round, v, l, s)\n"
	"    end\n"
	"  end\n"
	"  if type(v) == 'number' and v == v and v ~= 1/0 and v ~= -1/0 then\n"
	"    for _, l in ipairs({ 'zh', 'en' }) do\n"
	"      for _, sp in ipairs(parsed) do\n"
	"        local w = shown .. ' ' .. l .. ' ' .. sp.src\n"
	"        local t, r = core(v, l, sp, 2)\n"
	"        local pt, pr = pure.format_round(v, l, sp)\n"
	"        if t == nil then tell('core declined ' .. w, pt, nil)\n"
	"        elseif t ~= pt then tell('core text ' .. w, pt, t)\n"
	"        elseif not eq(r, pr) then tell('core number ' .. w, pr, r)\n"
	"        elseif core(v, l, sp, 0) ~= pt or not eq(core(v, l, sp, 1), pr) then tell('core modes ' .. w, pt, t)\n"
	"        else direct = direct + 1 end\n"
	"      end\n"
	"    end\n"
	"  end\n"
	"end\n"
	"-- what the core declines\n"
	"local sig3 = pure.parse_spec('')\n"
	"for _, c in ipairs({ { 0/0, 'en', sig3 }, { 1/0, 'zh', sig3 }, { 1, 'fr', sig3 }, { '1', 'en', sig3 },\n"
	"    { 1, 'en', 'sig3' }, { 1, 'en', { kind = 'odd', n = 1 } }, { 1, 'en', { kind = 'sig', n = 1.5 } },\n"
	"    { 1, 'en', { kind = 'sig', n = 3, suffix = 'y' } }, { 1, 'en', { kind = 'sig', n = 99 } } }) do\n"
	"  if core(c[1], c[2], c[3], 0) ~= nil then tell('core took ' .. tostring(c[1]) .. ' ' .. tostring(c[2]), nil, 'text') end\n"
	"end\n"
	"return same, differ, direct, first\n";

/* numfmt_fixed against snprintf("%.Nf"): ties of every kind (0.125, 2.5,
 * 0.005, 1.005), negatives and their zeros, every magnitude, and random
 * coordinates as charts make them. Returns how many differ; *first the
 * first. */
static int fixed_differ(long *calls, char *first, size_t n)
{
	static const double edge[] = { 0, -0.0, 0.125, -0.125, 2.5, -2.5, 0.005, -0.005, 1.005, 0.015, 0.045,
		1e-7, -1e-7, 0.4999999, 123.455, 1e11, 1e12, 999999999999.995, -1e15, 1e300, 5e-324 };
	uint64_t x = 88172645463325252u;
	int bad = 0;
	for (long i = 0; i < 400000 + (long)(sizeof edge / sizeof *edge); i++) {
		double v;
		if (i < (long)(sizeof edge / sizeof *edge)) {
			v = edge[i];
		} else {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			switch (x % 4) {
			case 0: v = (double)(x >> 11) / 9007199254740992.0 * 1000.0; break;      /* a coordinate */
			case 1: v = (double)((long long)(x >> 40) - (1 << 23)) / 1000.0; break; /* thousandths, ties */
			case 2: v = (double)((x >> 20) % 2000001) / 400.0 - 2500.0; break;       /* quarters of cents */
			default: v = ldexp((double)(x >> 12), (int)(x % 120) - 100) * ((x >> 3) & 1 ? 1 : -1); break;
			}
		}
		for (int d = 0; d <= 6; d++) {
			char want[512];
			snprintf(want, sizeof want, "%.*f", d, v);
			struct buf got = BUF_INIT;
			numfmt_fixed(&got, v, d);
			(*calls)++;
			if (strcmp(got.ptr, want)) {
				if (!bad++)
					snprintf(first, n, "%.17g with %d decimals: %s, snprintf %s", v, d, got.ptr, want);
			}
			buf_release(&got);
		}
	}
	return bad;
}

int main(void)
{
	long fixed_calls = 0;
	char fixed_first[600] = "none";
	int fixed_bad = fixed_differ(&fixed_calls, fixed_first, sizeof fixed_first);
	OK(fixed_bad == 0, "numfmt_fixed writes what snprintf %%.Nf does, %ld calls (first difference: %s)", fixed_calls,
	   fixed_first);
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	OK(luaL_dostring(L, "package.path = 'lua/?.lua'; package.cpath = ''") == LUA_OK, "plain Lua state");

	lua_getglobal(L, "require");
	lua_pushstring(L, "numfmt");
	OK(lua_pcall(L, 1, 1, 0) == LUA_OK, "numfmt.lua alone loads: %s", lua_tostring(L, -1));
	int pure = lua_gettop(L);
	INT_EQ(opened, 0, "numfmt.lua alone runs without numfmt_core");

	OK(luaL_dostring(L, "package.loaded.numfmt = nil") == LUA_OK, "forget numfmt");
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "preload");
	lua_pushcfunction(L, open_core);
	lua_setfield(L, -2, "numfmt_core");
	lua_pop(L, 2);
	lua_getglobal(L, "require");
	lua_pushstring(L, "numfmt");
	OK(lua_pcall(L, 1, 1, 0) == LUA_OK, "numfmt.lua with numfmt_core loads: %s", lua_tostring(L, -1));
	int mod = lua_gettop(L);
	INT_EQ(opened, 1, "numfmt.lua asks for numfmt_core once");

	numfmt_open(L);
	lua_getfield(L, -1, "core");
	int core = lua_gettop(L);

	OK(luaL_loadstring(L, chunk) == LUA_OK, "comparison chunk compiles: %s", lua_tostring(L, -1));
	lua_pushvalue(L, pure);
	lua_pushvalue(L, mod);
	lua_pushvalue(L, core);
	int st = lua_pcall(L, 3, 4, 0);
	OK(st == LUA_OK, "comparison runs: %s", st == LUA_OK ? "" : lua_tostring(L, -1));
	if (st == LUA_OK) {
		long long same = lua_tointeger(L, -4), differ = lua_tointeger(L, -3), direct = lua_tointeger(L, -2);
		const char *first = lua_tostring(L, -1);
		INT_EQ(differ, 0, "C and Lua agree on every call (first difference: %s)", first ? first : "none");
		OK(same > 400000, "%lld calls through numfmt.lua compared", same);
		OK(direct > 100000, "%lld calls of the C core itself compared", direct);
	}
	lua_close(L);
	return harness_done();
}
