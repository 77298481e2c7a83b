/* Inputs that once hung, crashed or misreported (found by tests/fuzz):
 * fs_read on a FIFO or device, YAML aliases repeating a long scalar, and an
 * instruction budget running out inside a module of lua/ rather than in the
 * author's own code. */
#include "harness.h"
#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "luaenv.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

static void test_fs_read_special(const char *tmp)
{
	char *fifo = fs_join(tmp, "pipe.md");
	struct buf b = BUF_INIT;
	OK(mkfifo(fifo, 0600) == 0, "fs_read: test FIFO made");
	/* Used to block in open() until a writer came: forever. */
	INT_EQ(fs_read(fifo, &b), -1, "fs_read: a FIFO is refused, not waited on");
	INT_EQ(fs_read("/dev/zero", &b), -1, "fs_read: a device that never ends is refused");
	INT_EQ(fs_read(tmp, &b), -1, "fs_read: a folder is refused");
	INT_EQ(errno, EISDIR, "fs_read: a folder says EISDIR");
	INT_EQ((long long)b.len, 0, "fs_read: nothing appended on refusal");
	buf_release(&b);
	unlink(fifo);
	free(fifo);
}

static char *run_out_of_budget(const char *lua_dir, const char *user_code)
{
	struct luaenv *e = luaenv_new(lua_dir, (struct luaenv_limits){ 8u << 20, 100000, 0, 0, 0 });
	struct diag_list dl = DIAG_LIST_INIT;
	char *got = NULL;
	if (user_code) {
		/* glue(): host glue, as the chunk name "=..." marks it */
		lua_State *L = luaenv_state(e);
		static const char glue[] = "return function() while true do end end";
		if (luaL_loadbufferx(L, glue, sizeof glue - 1, "=(glue)", "t") == LUA_OK) {
			lua_call(L, 0, 1);
			lua_setglobal(L, "glue");
		}
		if (luaenv_load(e, user_code, strlen(user_code), "content/briefs/x/en.md", &dl) == 0)
			luaenv_pcall(e, 0, 0, (struct srcpos){ "fallback.md", 0, 0 }, &dl);
	} else if (luaenv_require(e, "spin", &dl) == 0) {
		lua_State *L = luaenv_state(e);
		lua_getfield(L, -1, "run");
		luaenv_pcall(e, 0, 0, (struct srcpos){ "content/briefs/x/zh.md", 0, 0 }, &dl);
	}
	got = dl.n ? diag_format(&dl.items[0]) : strdup("(none)");
	diag_release(&dl);
	luaenv_free(e);
	return got;
}

static void test_budget_position(const char *tmp)
{
	char *mod = fs_join(tmp, "spin.lua");
	const char *src = "local M = {}\nfunction M.run()\n  local n = 0\n  while true do n = n + 1 end\nend\nreturn M\n";
	OK(fs_write(mod, src, strlen(src)) == 0, "budget: module written");
	/* The module's absolute path meant nothing to an author; the brief does. */
	char *got = run_out_of_budget(tmp, NULL);
	STR_EQ(got, "content/briefs/x/zh.md: error: instruction budget of 100000 steps exceeded (too much to compute)",
	       "budget: running out in a lua/ module names the caller's file");
	free(got);
	got = run_out_of_budget(tmp, "local n = 0\nwhile true do\n  n = n + 1\nend\n");
	STR_EQ(got, "content/briefs/x/en.md:3: error: instruction budget of 100000 steps exceeded (endless loop?)",
	       "budget: running out in the author's code names its line");
	free(got);
	/* wherever in a loop the budget runs out, in the author's code or in
	 * what it calls, the place is the author's line */
	got = run_out_of_budget(tmp, "local spin = require('spin')\n\nspin.run()\n");
	STR_EQ(got, "content/briefs/x/en.md:3: error: instruction budget of 100000 steps exceeded (endless loop?)",
	       "budget: running out in a lua/ module called by the author's code names the author's line");
	free(got);
	got = run_out_of_budget(tmp, "\nglue()\n");
	STR_EQ(got, "content/briefs/x/en.md:2: error: instruction budget of 100000 steps exceeded (endless loop?)",
	       "budget: running out in host glue called by the author's code names the author's line");
	free(got);
	unlink(mod);
	free(mod);
}

/* A 1 MB scalar under 99000 aliases: the node cap alone let the copy
 * reach 100 GB (out of memory, abort). */
static void test_alias_text_bomb(void)
{
	struct buf t = BUF_INIT;
	buf_adds(&t, "---\ntitle: T\na: &a \"");
	for (int i = 0; i < (1 << 20); i++)
		buf_addch(&t, 'x');
	buf_adds(&t, "\"\nb: [*a");
	for (int i = 1; i < 99000; i++)
		buf_adds(&t, ", *a");
	buf_adds(&t, "]\n---\nBody\n");
	struct frontmatter fm;
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(fm_parse(&fm, "t.md", t.ptr, t.len, &dl), -1, "alias text bomb: fails");
	char *got = dl.n ? diag_format(&dl.items[0]) : strdup("(none)");
	STR_EQ(got, "t.md:3:4: error: front matter is too large (aliases repeat more than 1048576 bytes of text)",
	       "alias text bomb: diagnostic");
	free(got);
	fm_release(&fm);
	diag_release(&dl);
	buf_release(&t);
}

int main(void)
{
	char tmp[] = "/tmp/briefgen-test-limits-XXXXXX";
	if (!mkdtemp(tmp))
		return 1;
	test_fs_read_special(tmp);
	test_budget_position(tmp);
	test_alias_text_bomb();
	rmdir(tmp);
	return harness_done();
}
