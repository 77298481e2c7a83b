/* luaenv — a sandboxed, budgeted Lua state. */
#include "luaenv.h"
#include "buf.h"
#include "fsutil.h"
#include "numfmt.h"
#include "strmap.h"
#include "xalloc.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include "banned.h"


/* Instructions between two calls of the count hook. A loop whose body
 * works in C (an operation on a long string: milliseconds) runs few
 * instructions per turn, so the time is looked at soon enough only when
 * this is small. Against 1000: a tight Lua loop runs ~8% slower (a hook of
 * any period costs it ~70%), a build of the 300-brief bench site executes
 * 0.03% more instructions (callgrind); the clock read itself is a coarse
 * clock's memory load (~6 ns). */
#define HOOK_EVERY 100

/* luaenv_limits.lazy: how much of its thread's CPU a call runs before the
 * count hook is set, and the signal that sets it. A template's page takes
 * about 0.1 ms; the hook cost them 5-7 % of a build's instructions. */
#define LAZY_MS 50
#define LAZY_SIGNAL (SIGRTMIN + 4)

struct luaenv {
	lua_State *L;
	char *lua_dir;
	size_t mem_used, mem_cap;
	long long steps_left, steps;
	int over_budget;
	int seconds;        /* the time limit of a call; 0 = none */
	int scoped;         /* limits watch only `sandboxed` calls (luaenv_limits) */
	int lazy;           /* the hook waits for the timer (luaenv_limits) */
	int depth;          /* luaenv_pcall calls running */
	timer_t timer;      /* lazy: on the CPU clock of thread timer_tid, when has_timer */
	int has_timer;
	pid_t timer_tid;
	volatile sig_atomic_t armed; /* lazy: the timer may set the hook */
	int hooked;         /* depth of `sandboxed` calls running */
	int timed;          /* inside luaenv_pcall with a time limit */
	double cpu_end;     /* the thread's CPU clock at which the call stops */
	double wall_next;   /* before this monotonic time, cpu_end cannot have come */
	struct strmap chunks;   /* files loaded as "@file": the name Lua gives them in messages -> file */
};

/* The name Lua puts before a message raised in the chunk "@file" (its
 * luaO_chunkid): the file, or "..." and its end when it is long. */
static char *short_src(const char *file)
{
	size_t n = strlen(file);
	if (n + 1 <= LUA_IDSIZE)
		return xstrdup(file);
	return xasprintf("...%s", file + n - (LUA_IDSIZE - 4));
}

/* Notes a chunk name, so that a message Lua raises in that chunk can be
 * placed in its file: file names (content folders) may hold anything, even
 * ":7: ", so positions are never guessed from a message's text. */
static void note_chunk(struct luaenv *e, const char *chunkname)
{
	if (!chunkname || chunkname[0] != '@')
		return;
	char *key = short_src(chunkname + 1);
	int added;
	struct strmap_slot *slot = strmap_put(&e->chunks, key, &added);
	if (added)
		slot->value = xstrdup(chunkname + 1);
	free(key);
}

/* Every allocation goes through here, so a formula asking for a huge
 * string gets a Lua memory error instead of taking the machine down. */
static void *lalloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct luaenv *e = ud;
	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		e->mem_used -= osize;
		return NULL;
	}
	if (e->mem_cap && nsize > osize && e->mem_used + (nsize - osize) > e->mem_cap)
		return NULL;
	void *p = realloc(ptr, nsize);
	if (!p)
		return NULL;
	e->mem_used += nsize - osize;
	return p;
}

/* Whether a chunk name ("@path") is a module of lua_dir. */
static int in_lua_dir(const struct luaenv *e, const char *source)
{
	size_t n = e->lua_dir ? strlen(e->lua_dir) : 0;
	return n && source[0] == '@' && !strncmp(source + 1, e->lua_dir, n) && source[n + 1] == '/';
}

/* Raises `what` (the message of a limit) at the author's code that was
 * running: from the running function up, the first Lua function that is
 * neither a module of lua_dir nor host glue (chunk names starting with '=',
 * C functions among them). With one, its line and "endless loop?"; with
 * none (a module of lua/ ran out on the input as a whole), no place, since
 * the module's path means nothing to the author, and the caller's fallback
 * (the brief, the template) is used. Looking past host code keeps the place
 * the same wherever in a loop the limit runs out: in the formula, or in
 * the lua/ module it calls (calc.lua's string.rep). */
static void limit_error(lua_State *L, struct luaenv *e, const char *what)
{
	lua_Debug ar;
	for (int level = 0; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "S", &ar) || ar.source[0] == '=' || in_lua_dir(e, ar.source))
			continue;
		luaL_where(L, level);
		lua_pushfstring(L, "%s (endless loop?)", what);
		lua_concat(L, 2);
		lua_error(L);
	}
	lua_pushfstring(L, "%s (too much to compute)", what);
	lua_error(L);
}

static double clock_s(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether the running call has used its seconds. The thread's CPU clock is
 * a system call, but it never runs ahead of the monotonic clock, whose
 * coarse form (a few ms fine) is a plain memory read: so the CPU clock is
 * read only once the monotonic one says the time may be up. */
static int over_time(struct luaenv *e)
{
	if (!e->timed)
		return 0;
	double now = clock_s(CLOCK_MONOTONIC_COARSE);
	if (now < e->wall_next)
		return 0;
	double left = e->cpu_end - clock_s(CLOCK_THREAD_CPUTIME_ID);
	if (left <= 0)
		return 1;
	e->wall_next = now + left;
	return 0;
}

static void time_error(lua_State *L, struct luaenv *e)
{
	lua_pushfstring(L, "time limit of %d seconds exceeded", e->seconds);
	limit_error(L, e, lua_tostring(L, -1));
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	struct luaenv *e = *(struct luaenv **)lua_getextraspace(L);
	if (e->steps && (e->steps_left -= HOOK_EVERY) < 0) {
		e->over_budget = 1;
		lua_pushfstring(L, "instruction budget of %I steps exceeded", (lua_Integer)e->steps);
		limit_error(L, e, lua_tostring(L, -1));
	}
	if (over_time(e))
		time_error(L, e);
}

/* The lazy timer's signal, on the thread of the call that armed it (the
 * timer counts that thread's CPU time): sets the count hook, which Lua
 * allows from a signal handler (ldebug.c, lua_sethook). */
static void on_lazy_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	struct luaenv *e = si->si_value.sival_ptr;
	if (e && e->armed)
		lua_sethook(e->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

/* Starts an outer call of a lazy state: arms a one-shot timer on this
 * thread's CPU clock. The timer is kept from call to call while the state
 * runs on the same thread (making and deleting one per page cost more
 * system time than arming it), and made again on another thread, or when
 * arming fails because the thread whose clock it counts has ended (a new
 * thread may have the old one's number). When no timer can be had, the
 * hook is set at once: the limits hold either way. */
static void lazy_start(struct luaenv *e)
{
	pid_t tid = gettid();
	if (e->has_timer && e->timer_tid != tid) {
		timer_delete(e->timer);
		e->has_timer = 0;
	}
	struct itimerspec its = { .it_value = { 0, LAZY_MS * 1000000L } };
	for (int tries = 0; tries < 2; tries++) {
		if (!e->has_timer) {
			struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = LAZY_SIGNAL };
			sev.sigev_value.sival_ptr = e;
			sev._sigev_un._tid = tid; /* sigev_notify_thread_id; glibc 2.36 does not name it */
			if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &e->timer) != 0)
				break;
			e->has_timer = 1;
			e->timer_tid = tid;
		}
		e->armed = 1;
		if (timer_settime(e->timer, 0, &its, NULL) == 0)
			return;
		e->armed = 0;
		timer_delete(e->timer);
		e->has_timer = 0;
	}
	lua_sethook(e->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

/* Ends it. A signal already due is handled before timer_settime returns
 * (signals are delivered on the way out of a system call, on this thread,
 * the timer's), so none comes after the call. */
static void lazy_end(struct luaenv *e)
{
	if (e->armed) {
		struct itimerspec off = { 0 };
		timer_settime(e->timer, 0, &off, NULL);
		e->armed = 0;
	}
	lua_sethook(e->L, NULL, 0, 0);
}

void luaenv_check_time(lua_State *L)
{
	struct luaenv *e = *(struct luaenv **)lua_getextraspace(L);
	if (over_time(e))
		time_error(L, e);
}

/* require(name): only plain module names, only from lua_dir, text only. */
static int l_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	struct luaenv *e = *(struct luaenv **)lua_getextraspace(L);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return luaL_error(L, "module name '%s' is not allowed", name);
	lua_getfield(L, LUA_REGISTRYINDEX, "briefgen.loaded");
	lua_getfield(L, -1, name);
	if (!lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	if (!e->lua_dir)
		return luaL_error(L, "module '%s' not found", name);
	char *rel = xasprintf("%s.lua", name);
	char *path = fs_join(e->lua_dir, rel);
	free(rel);
	struct buf src = BUF_INIT;
	int rd = fs_read(path, &src);
	lua_pushfstring(L, "@%s", path);
	free(path);
	note_chunk(e, lua_tostring(L, -1));
	if (rd < 0) {
		buf_release(&src);
		return luaL_error(L, "module '%s' not found", name);
	}
	int st = luaL_loadbufferx(L, src.ptr, src.len, lua_tostring(L, -1), "t");
	buf_release(&src);
	if (st != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -4, name); /* briefgen.loaded[name] = value */
	return 1;
}

/* load(text, chunkname, mode, env) as in Lua, but text only whatever mode
 * says: never bytecode. Host modules (the
 * template compiler, the calc evaluator) compile with it; sandboxed code
 * never sees it. [-0, +1 or +2] */
static int l_load_text(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "=(load)");
	int has_env = !lua_isnone(L, 4);
	note_chunk(*(struct luaenv **)lua_getextraspace(L), name);
	if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
		luaL_pushfail(L);
		lua_insert(L, -2);
		return 2;
	}
	if (has_env) {
		lua_pushvalue(L, 4);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
	}
	return 1;
}

/* sandboxed(f, ...): pcall(f, ...) with the count hook on, so that the
 * budget and the time limit watch f and what it calls. */
static int l_sandboxed(lua_State *L)
{
	struct luaenv *e = *(struct luaenv **)lua_getextraspace(L);
	luaL_checkany(L, 1);
	if (e->hooked++ == 0 && (e->steps || e->seconds))
		lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
	int st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	if (--e->hooked == 0)
		lua_sethook(L, NULL, 0, 0);
	lua_pushboolean(L, st == LUA_OK);
	lua_insert(L, 1);
	return lua_gettop(L);
}

static const char *const unsafe_globals[] = {
	"dofile", "loadfile", "load", "loadstring", "require", "collectgarbage", NULL
};

/* Runs inside a protected call so a memory error during setup unwinds
 * cleanly (lua.c pmain). */
static int setup(lua_State *L)
{
	struct luaenv *e = lua_touserdata(L, 1);
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },       { LUA_STRLIBNAME, luaopen_string },
		{ LUA_MATHLIBNAME, luaopen_math }, { LUA_TABLIBNAME, luaopen_table },
		{ LUA_UTF8LIBNAME, luaopen_utf8 }, { NULL, NULL },
	};
	for (const luaL_Reg *l = libs; l->func; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	for (const char *const *g = unsafe_globals; *g; g++) {
		lua_pushnil(L);
		lua_setglobal(L, *g);
	}
	lua_pushcfunction(L, l_load_text);
	lua_setglobal(L, "load");
	lua_getglobal(L, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_getglobal(L, "math");
	lua_pushnil(L); /* a seeded generator would make builds differ */
	lua_setfield(L, -2, "random");
	lua_pushnil(L);
	lua_setfield(L, -2, "randomseed");
	lua_pop(L, 1);
	if (e->scoped) {
		lua_pushcfunction(L, l_sandboxed);
		lua_setglobal(L, "sandboxed");
	}
	lua_newtable(L);
	numfmt_open(L); /* lua/numfmt.lua's core in C (numfmt.h) */
	lua_setfield(L, -2, "numfmt_core");
	lua_setfield(L, LUA_REGISTRYINDEX, "briefgen.loaded");
	if (e->lua_dir) {
		/* Host modules may require each other; sandboxed code runs in
		 * its own environment table that never sees this global. */
		lua_pushcfunction(L, l_require);
		lua_pushvalue(L, -1);
		lua_setglobal(L, "require");
		lua_setfield(L, LUA_REGISTRYINDEX, "briefgen.require");
	}
	return 0;
}

struct luaenv *luaenv_new(const char *lua_dir, struct luaenv_limits lim)
{
	struct luaenv *e = xcalloc(1, sizeof *e);
	e->lua_dir = lua_dir ? xstrdup(lua_dir) : NULL;
	e->mem_cap = lim.mem_bytes;
	e->steps = lim.steps;
	e->seconds = lim.seconds;
	e->scoped = lim.scoped;
	e->lazy = lim.lazy && !lim.scoped && (lim.steps || lim.seconds);
	if (e->lazy) { /* the process's handler of the lazy timer's signal; the same every time */
		struct sigaction sa = { .sa_sigaction = on_lazy_timer, .sa_flags = SA_SIGINFO | SA_RESTART };
		sigemptyset(&sa.sa_mask);
		if (sigaction(LAZY_SIGNAL, &sa, NULL) != 0)
			e->lazy = 0; /* then the hook is always on */
	}
	e->L = lua_newstate(lalloc, e);
	if (!e->L) {
		free(e->lua_dir);
		free(e);
		return NULL;
	}
	*(struct luaenv **)lua_getextraspace(e->L) = e;
	lua_pushcfunction(e->L, setup);
	lua_pushlightuserdata(e->L, e);
	if (lua_pcall(e->L, 1, 0, 0) != LUA_OK) {
		luaenv_free(e);
		return NULL;
	}
	if ((e->steps || e->seconds) && !e->scoped && !e->lazy)
		lua_sethook(e->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
	return e;
}

void luaenv_free(struct luaenv *e)
{
	if (!e)
		return;
	if (e->has_timer)
		timer_delete(e->timer);
	if (e->L)
		lua_close(e->L);
	free(e->lua_dir);
	for (size_t i = 0; i < e->chunks.cap; i++)
		free(e->chunks.slots[i].value);
	strmap_release(&e->chunks);
	free(e);
}

struct lua_State *luaenv_state(struct luaenv *e)
{
	return e->L;
}

/* Whether msg begins with "<name>:<line>: ", name longer than *best: then
 * notes the line, the text after it and the length of name. */
static int stands_at(const char *msg, const char *name, size_t *best, int *line, const char **text)
{
	size_t n = strlen(name);
	if (n <= *best || strncmp(msg, name, n) || msg[n] != ':' || !isdigit((unsigned char)msg[n + 1]))
		return 0;
	const char *q = msg + n + 1;
	int l = 0;
	while (isdigit((unsigned char)*q) && l < 100000000)
		l = l * 10 + (*q++ - '0');
	if (q[0] != ':' || q[1] != ' ')
		return 0;
	*best = n, *line = l, *text = q + 2;
	return 1;
}

void luaenv_error_to_diag(const struct luaenv *e, const char *msg, struct srcpos fallback,
			  struct diag_list *dl)
{
	/* Lua's form is "<chunk>:<line>: message". The longest name that
	 * stands there, of a chunk this state loaded or of the caller's file
	 * (host code such as the template compiler writes that form itself),
	 * gives the file. */
	const char *file = NULL, *text = msg;
	size_t best = 0;
	int line = 0;
	if (fallback.file && stands_at(msg, fallback.file, &best, &line, &text))
		file = fallback.file;
	for (size_t i = 0; i < e->chunks.cap; i++) {
		const struct strmap_slot *s = &e->chunks.slots[i];
		if (s->key && stands_at(msg, s->key, &best, &line, &text))
			file = s->value;
	}
	if (file)
		diag_add(dl, DIAG_ERROR, (struct srcpos){ file, line, 0 }, text);
	else
		diag_add(dl, DIAG_ERROR, fallback, msg);
}

static int traceback_first(lua_State *L)
{
	/* Keep just the message: positions are already in it, and a stack
	 * trace of the template engine helps no author. */
	if (!lua_isstring(L, 1)) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			return 1;
		lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	return 1;
}

int luaenv_pcall(struct luaenv *e, int nargs, int nres, struct srcpos fallback,
		 struct diag_list *dl)
{
	lua_State *L = e->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, traceback_first);
	lua_insert(L, base);
	e->steps_left = e->steps;
	e->over_budget = 0;
	int outer = e->timed;
	if (e->seconds && !outer) {
		e->cpu_end = clock_s(CLOCK_THREAD_CPUTIME_ID) + e->seconds;
		e->wall_next = clock_s(CLOCK_MONOTONIC_COARSE) + e->seconds;
		e->timed = 1;
	}
	if (e->lazy && e->depth == 0)
		lazy_start(e);
	e->depth++;
	int st = lua_pcall(L, nargs, nres, base);
	if (--e->depth == 0 && e->lazy)
		lazy_end(e);
	e->timed = outer;
	lua_remove(L, base);
	if (st == LUA_OK)
		return 0;
	const char *msg = lua_tostring(L, -1);
	if (st == LUA_ERRMEM)
		msg = "memory limit exceeded";
	if (!dl) { /* the caller places the message */
		lua_pushstring(L, msg ? msg : "unknown Lua error");
		lua_remove(L, -2);
		return -1;
	}
	luaenv_error_to_diag(e, msg ? msg : "unknown Lua error", fallback, dl);
	lua_pop(L, 1);
	return -1;
}

int luaenv_load(struct luaenv *e, const char *text, size_t len, const char *name,
		struct diag_list *dl)
{
	char *chunk = xasprintf("@%s", name);
	note_chunk(e, chunk);
	int st = luaL_loadbufferx(e->L, text, len, chunk, "t");
	free(chunk);
	if (st == LUA_OK)
		return 0;
	const char *msg = lua_tostring(e->L, -1);
	luaenv_error_to_diag(e, msg ? msg : "cannot load", (struct srcpos){ name, 0, 0 }, dl);
	lua_pop(e->L, 1);
	return -1;
}

int luaenv_require(struct luaenv *e, const char *module, struct diag_list *dl)
{
	lua_State *L = e->L;
	lua_getfield(L, LUA_REGISTRYINDEX, "briefgen.require");
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return diag_error(dl, (struct srcpos){ module, 0, 0 }, "no Lua module folder");
	}
	lua_pushstring(L, module);
	return luaenv_pcall(e, 1, 1, (struct srcpos){ module, 0, 0 }, dl);
}
