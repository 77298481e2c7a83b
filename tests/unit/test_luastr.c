/* luastr: the bounded string library gives what Lua's own gives wherever
 * the cost check lets a call through (find's plain search by memmem with
 * every form of init, patterns, rep, methods of strings, numbers as
 * strings), stops a costly pattern at the caller's line, and leaves the
 * caller's line on errors of the functions it hands over to. */
#include "harness.h"
#include "diag.h"
#include "luaenv.h"
#include "luastr.h"

#include <stdlib.h>
#include <string.h>

#include <lua.h>

/* Runs code (chunk "@page.html") in a state with the bounded library at
 * max_steps, with the library as `...`; returns the first diagnostic or
 * the string the chunk returned. Caller frees. */
static char *run(const char *code, double max_steps)
{
	struct luaenv *e = luaenv_new(NULL, (struct luaenv_limits){ 64u << 20, 10000000, 0, 0, 0 });
	struct diag_list dl = DIAG_LIST_INIT;
	char *got = NULL;
	if (luastr_install(e, max_steps, (struct srcpos){ "setup", 0, 0 }, &dl) == 0 &&
	    luaenv_load(e, code, strlen(code), "page.html", &dl) == 0) {
		lua_State *L = luaenv_state(e);
		lua_rotate(L, -2, 1); /* chunk, library */
		if (luaenv_pcall(e, 1, 1, (struct srcpos){ "fallback", 0, 0 }, &dl) == 0) {
			got = strdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "(not a string)");
			lua_pop(L, 1);
		}
	}
	if (!got)
		got = dl.n ? diag_format(&dl.items[0]) : strdup("(nothing)");
	diag_release(&dl);
	luaenv_free(e);
	return got;
}

/* Compares the bounded library (lib) with Lua's own (the global string,
 * which install leaves alone) call by call; returns "same" or the first
 * difference. */
static const char same_code[] =
	"local lib = ...\n"
	"local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end return table.concat(t, ',') end\n"
	"local function same(name, ...)\n"
	"  local a, b = show(lib[name](...)), show(string[name](...))\n"
	"  if a ~= b then error(name .. '(' .. show(...) .. '): ' .. a .. ' against ' .. b, 0) end\n"
	"end\n"
	"local s = 'hello world, hello moon'\n"
	"for _, p in ipairs({ 'o', 'hello', 'moon', '', 'x', 'd, h', 'lo w' }) do\n"
	"  for _, init in ipairs({ -100, -24, -23, -5, -1, 0, 1, 2, 5, 22, 23, 24, 25, 100 }) do\n"
	"    same('find', s, p, init) same('find', s, p, init, true)\n"
	"  end\n"
	"  same('find', s, p) same('find', s, p, nil, true)\n"
	"end\n"
	"same('find', s, 'o.', 3, true) same('find', s, 'o.', 3) same('find', s, '%a+', 7)\n"
	"same('find', 1234512345, 345, 5) same('find', '', '') same('find', '', '', 2)\n"
	"same('match', s, '(%a+) (%a+)') same('match', s, '^hello') same('match', s, 'l+', -6)\n"
	"same('gsub', s, 'o', '0') same('gsub', s, '%a+', string.upper, 2) same('gsub', s, '', '.')\n"
	"same('gsub', s, '(%a+)', { hello = 'bye' }) same('gsub', s, '^h', 'H')\n"
	"local a, b = {}, {}\n"
	"for w in lib.gmatch(s, '%a+') do a[#a + 1] = w end\n"
	"for w in string.gmatch(s, '%a+') do b[#b + 1] = w end\n"
	"if table.concat(a, ' ') ~= table.concat(b, ' ') then error('gmatch', 0) end\n"
	"same('rep', 'ab', 3) same('rep', 'ab', 3, ',') same('rep', '', 3, ',') same('rep', 'x', 0) same('rep', 'x', -1)\n"
	"if lib.rep('', math.maxinteger) ~= '' or lib.rep('', 1 << 53, '') ~= '' then error('rep of nothing', 0) end\n"
	"if (''):rep(math.maxinteger) ~= '' then error('rep of nothing as a method', 0) end\n"
	"for _, f in ipairs({ 'byte', 'char', 'format', 'len', 'lower', 'upper', 'reverse', 'sub' }) do\n"
	"  if lib[f] ~= string[f] then error(f .. ' is not Lua\\'s own', 0) end\n"
	"end\n"
	"for _, f in ipairs({ 'dump', 'pack', 'packsize', 'unpack' }) do\n"
	"  if lib[f] ~= nil then error(f .. ' is offered', 0) end\n"
	"end\n"
	"if ('abc'):find('b', 1, true) ~= 2 or ('a.c'):find('.', 1, true) ~= 2 then error('methods', 0) end\n"
	"if getmetatable('').__index ~= lib then error('strings do not have the library as methods', 0) end\n"
	"return 'same'\n";

static void test_same_as_lua(void)
{
	char *got = run(same_code, 1e9);
	STR_EQ(got, "same", "every call the check lets through gives what Lua's own gives");
	free(got);
}

static void test_stops(void)
{
	char *got = run("local s = ('1'):rep(10000)\nreturn s:match('(%d+)px')\n", 1e6);
	STR_EQ(got, "page.html:2: error: pattern '(%d+)px' may take 9e+08 steps on a string of 10000 bytes, "
		    "more than the 1e+06 allowed: anchor it with '^' or repeat fewer items",
	       "a quadratic pattern over a long string stops at the caller's line");
	free(got);
	got = run("local lib = ...\nlocal s = ('1'):rep(10000)\n\nreturn lib.gsub(s, '(%d+)px', '')\n", 1e6);
	STR_EQ(got, "page.html:4: error: pattern '(%d+)px' may take 9e+08 steps on a string of 10000 bytes, "
		    "more than the 1e+06 allowed: anchor it with '^' or repeat fewer items",
	       "... called through the library too");
	free(got);
	got = run("local s = ('1'):rep(10000)\nreturn tostring(#s:gsub('%d+', 'x'))\n", 1e6);
	STR_EQ(got, "1", "a linear pattern over the same string runs");
	free(got);
	got = run("local s = ('é'):rep(30)\nreturn s:find('a' .. s .. '.*x')\n", 1e3);
	OK(strstr(got, "pattern 'a" "ééééééééééééééééééé" "...' may take") != NULL,
	   "a long pattern is cut at a character boundary (got %s)", got);
	free(got);
	got = run("\nreturn (''):find(('a*'):rep(20) .. 'b')\n", 1e6);
	STR_EQ(got, "(not a string)", "an empty string costs little whatever the pattern");
	free(got);
}

static void test_errors_name_the_caller(void)
{
	char *got = run("\n\nreturn ('x'):rep({})\n", 1e9); /* a tail call, too */
	STR_EQ(got, "page.html:3: error: bad argument #1 to 'rep' (number expected, got table)",
	       "rep's own error names the caller's line, and the method");
	free(got);
	got = run("\nreturn ('x'):find('(')\n", 1e9);
	STR_EQ(got, "page.html:2: error: unfinished capture", "find's own error names the caller's line");
	free(got);
	got = run("\nreturn ('x'):gsub('x', '%2')\n", 1e9);
	STR_EQ(got, "page.html:2: error: invalid capture index %2",
	       "gsub's own error names the caller's line");
	free(got);
}

int main(void)
{
	test_same_as_lua();
	test_stops();
	test_errors_name_the_caller();
	return harness_done();
}
