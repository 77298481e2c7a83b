/* luaenv's Lua errors as diagnostics (issue 10.25): a position is taken
 * from a message only where a chunk this state loaded stands, never guessed
 * from the text, since a file name (a content folder, the project's path)
 * may hold anything, ":7: " included, and Lua cuts a long one short. */
#include "harness.h"
#include "diag.h"
#include "luaenv.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>

/* Loads code as the chunk of file `name`, runs it, and gives the first
 * diagnostic as printed (NULL: none). */
static char *run(struct luaenv *e, const char *name, const char *code)
{
	struct diag_list dl = DIAG_LIST_INIT;
	if (luaenv_load(e, code, strlen(code), name, &dl) == 0)
		luaenv_pcall(e, 0, 0, (struct srcpos){ "fallback.md", 0, 0 }, &dl);
	char *got = dl.n ? diag_format(&dl.items[0]) : NULL;
	diag_release(&dl);
	return got;
}

static void check(struct luaenv *e, const char *name, const char *code, const char *want, const char *what)
{
	char *got = run(e, name, code);
	if (!want)
		STR_EQ(got ? got : "(no error)", "(no error)", "%s", what);
	else
		STR_EQ(got, want, "error position: %s", what);
	free(got);
}

/* Runs an endless loop in e on a thread of its own (the check's report is
 * the test). */
static void *endless_on_thread(void *arg)
{
	check(arg, "t.md", "while true do end",
	      "t.md:1: error: instruction budget of 100000 steps exceeded (endless loop?)",
	      "lazy: an endless loop on another thread runs out of the budget too");
	return NULL;
}

/* hook_mask(): the state's count hook mask now. */
static int hook_mask(lua_State *L)
{
	lua_pushinteger(L, lua_gethookmask(L));
	return 1;
}

int main(void)
{
	struct luaenv *e = luaenv_new(NULL, (struct luaenv_limits){ 8u << 20, 100000, 0, 0, 0 });
	check(e, "content/site.lua", "local x\nx = x + 1\n",
	      "content/site.lua:2: error: attempt to perform arithmetic on a nil value (local 'x')",
	      "a runtime error at its file and line");
	check(e, "r:7: x/content/site.lua", "local x\nx = x + 1\n",
	      "r:7: x/content/site.lua:2: error: attempt to perform arithmetic on a nil value (local 'x')",
	      "a file name holding ':7: ' is not taken for a position");
	check(e, "r", "local x\n\n\nx = x .. 1\n",
	      "r:4: error: attempt to concatenate a nil value (local 'x')",
	      "a chunk whose name begins another's");
	check(e, "r:7: x/content/site.lua", "error('r:9: not from here')",
	      "r:7: x/content/site.lua:1: error: r:9: not from here",
	      "with both loaded, the longest name that stands there wins");
	const char *longname = "content/briefs/2024-12-13-a-folder-name-long-enough-that-lua-cuts-it-short/zh.md";
	check(e, longname, "\nlocal x = nil + 1\n",
	      "content/briefs/2024-12-13-a-folder-name-long-enough-that-lua-cuts-it-short/zh.md:2: error: "
	      "attempt to perform arithmetic on a nil value",
	      "a name longer than Lua keeps in messages is the whole file name");
	check(e, "a.md", "error('elsewhere.md:3: looks like a position', 0)",
	      "fallback.md: error: elsewhere.md:3: looks like a position",
	      "text shaped like a position of no chunk loaded here is text");
	check(e, "b.md", "error({})", "fallback.md: error: (error object is a table value)",
	      "an error that is not a string");
	check(e, "c.md", "x = (", "c.md:1: error: unexpected symbol near <eof>", "a syntax error at its file");

	/* With no diagnostics list the caller gets the message to place. */
	lua_State *L = luaenv_state(e);
	struct diag_list dl = DIAG_LIST_INIT;
	const char *code = "local t = nil; return t.x";
	if (luaenv_load(e, code, strlen(code), "d:7: e.md", &dl) == 0) {
		int top = lua_gettop(L) - 1;
		INT_EQ(luaenv_pcall(e, 0, 1, (struct srcpos){ "fallback.md", 0, 0 }, NULL), -1,
		       "pcall without a list: fails");
		INT_EQ(lua_gettop(L), top + 1, "pcall without a list: leaves one value");
		STR_EQ(lua_tostring(L, -1), "d:7: e.md:1: attempt to index a nil value (local 't')",
		       "pcall without a list: the message, as Lua made it");
		lua_settop(L, top);
	}
	INT_EQ((long long)dl.n, 0, "pcall without a list: no diagnostic");
	diag_release(&dl);
	check(e, "g.md", "assert(sandboxed == nil)", NULL, "an unscoped state has no sandboxed()");
	luaenv_free(e);

	/* A scoped state: the budget watches only sandboxed() calls, summed
	 * over one luaenv_pcall. */
	e = luaenv_new(NULL, (struct luaenv_limits){ 8u << 20, 100000, 0, 1, 0 });
	check(e, "h.md", "for i = 1, 1000000 do end", NULL, "scoped: the host's own loop runs unbudgeted");
	check(e, "i.md", "local ok, a, b = sandboxed(function(x, y) return x + y, 'z' end, 1, 2)\n"
	      "assert(ok == true and a == 3 and b == 'z')", NULL, "scoped: sandboxed() returns as pcall");
	check(e, "j.md", "local ok, m = sandboxed(function() for i = 1, 1000000 do end end)\nassert(not ok)\nerror(m, 0)",
	      "j.md:1: error: instruction budget of 100000 steps exceeded (endless loop?)",
	      "scoped: a loop inside sandboxed() runs out, at its line");
	check(e, "k.md", "local f = function() for i = 1, 40000 do end end\n"
	      "assert(sandboxed(f))\nfor i = 1, 1000000 do end\nassert(sandboxed(f))\nlocal ok, m = sandboxed(f)\nerror(m, 0)",
	      "k.md:1: error: instruction budget of 100000 steps exceeded (endless loop?)",
	      "scoped: the budget sums over the calls of one evaluation, and the host's loop between them is free");
	check(e, "l.md", "local f = function() for i = 1, 40000 do end end\n"
	      "assert(sandboxed(f))\nassert(sandboxed(f))", NULL, "scoped: the budget is reset for each evaluation");
	luaenv_free(e);

	/* A lazy state: no hook while a call is short; once a call has run a
	 * while, the budget stops it all the same, and the hook is gone after. */
	e = luaenv_new(NULL, (struct luaenv_limits){ 8u << 20, 100000, 5, 0, 1 });
	L = luaenv_state(e);
	lua_pushcfunction(L, hook_mask);
	lua_setglobal(L, "hook_mask");
	check(e, "m.md", "assert(hook_mask() == 0, 'a hook in a short call')", NULL,
	      "lazy: a short call runs without the count hook");
	check(e, "n.md", "for i = 1, 300000 do end", NULL,
	      "lazy: a short call's instructions (9 times the budget) are not counted");
	check(e, "o.md", "while true do end",
	      "o.md:1: error: instruction budget of 100000 steps exceeded (endless loop?)",
	      "lazy: an endless loop runs out of the budget once the timer has set the hook");
	INT_EQ(lua_gethookmask(L), 0, "lazy: the hook is gone after the call");
	check(e, "p.md", "local set = false\nfor i = 1, 1e9 do if hook_mask() ~= 0 then set = true break end end\n"
	      "assert(set, 'no hook after 1e9 turns')\nfor i = 1, 1000 do end",
	      NULL, "lazy: the hook is set within the call that runs long (and a short tail fits the budget)");
	check(e, "q.md", "assert(hook_mask() == 0, 'a hook left from the call before')", NULL,
	      "lazy: the next call starts without it");
	/* kept from build to build, a state runs on other threads: its timer
	 * must count the thread that runs the call */
	for (int k = 0; k < 2; k++) {
		pthread_t th;
		OK(pthread_create(&th, NULL, endless_on_thread, e) == 0, "lazy: thread %d starts", k + 1);
		pthread_join(th, NULL);
	}
	check(e, "r.md", "while true do end",
	      "r.md:1: error: instruction budget of 100000 steps exceeded (endless loop?)",
	      "lazy: and again on the first thread, after the others ended");
	luaenv_free(e);
	return harness_done();
}
