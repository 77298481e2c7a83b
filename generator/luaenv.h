/* luaenv — owns one lua_State: only the safe standard libraries, a memory
 * cap enforced by the allocator, an instruction budget and a CPU-time limit
 * enforced by a count hook, and a module loader that resolves names only
 * inside one `lua/` folder. Each thread that runs Lua owns its own luaenv (a
 * lua_State is not thread-safe). Lua errors become diagnostics with
 * file:line. */
#ifndef GEN_LUAENV_H
#define GEN_LUAENV_H
#include "diag.h"
#include <stddef.h>

struct lua_State;
struct luaenv;

/* The budget counts Lua instructions only; the time limit also bounds work
 * done inside C functions between two of them (operations on long strings
 * in a loop), which the budget cannot see. It is CPU time of the calling
 * thread, so that a loaded machine fails no input. A limit that runs out
 * names the place of the sandboxed code that was running (see
 * luaenv_check_time). */
struct luaenv_limits {
	size_t mem_bytes;     /* 0 = no cap */
	long long steps;      /* instruction budget per luaenv_pcall; 0 = none */
	int seconds;          /* CPU seconds per luaenv_pcall; 0 = none */
	/* The budget and the time limit watch only code called through the
	 * global `sandboxed(f, ...)` (pcall's contract), which this adds for
	 * host modules: the sandboxed code is the author's, the rest is ours
	 * and bounded by its input. A count hook makes every VM instruction
	 * pay (~25% of calc's Lua time), so the host's own code runs without
	 * one. Budget and time are still per luaenv_pcall, summed over its
	 * sandboxed calls. */
	int scoped;
	/* The count hook is set only once a call has run LAZY_MS of its
	 * thread's CPU time (a timer's signal sets it, as lua.c's Ctrl-C
	 * does): a call that ends sooner runs without it, and every VM
	 * instruction pays while it is set. The budget then counts from that
	 * moment; the time limit from the call's start, as without. */
	int lazy;
};

/* lua_dir: folder that require() may load from (NULL: no require).
 * Free with luaenv_free(). */
struct luaenv *luaenv_new(const char *lua_dir, struct luaenv_limits lim);
void luaenv_free(struct luaenv *e);
struct lua_State *luaenv_state(struct luaenv *e);

/* Calls the function under nargs arguments on the stack with the budget
 * and the time limit reset (a call made from inside another runs under the
 * outer one's time limit), like lua_pcall. On error appends a diagnostic
 * (luaenv_error_to_diag), pops the message and returns -1:
 * [-(nargs+1), +(nres|0)]. With dl NULL it leaves the message (a string) on
 * the stack instead, for a caller that knows where the error belongs:
 * [-(nargs+1), +(nres|1)]. */
int luaenv_pcall(struct luaenv *e, int nargs, int nres, struct srcpos fallback,
		 struct diag_list *dl);

/* For a C function that may do much work in one call (a pattern match),
 * called from Lua under luaenv_pcall: raises the time-limit error when the
 * call's time is up, else returns. The error, as the count hook's, names
 * the first function up the stack that is the sandboxed code: neither a
 * module of lua_dir nor host glue (a C function, a chunk named "=...").
 * With none, it has no place and the caller's fallback names the input. */
void luaenv_check_time(struct lua_State *L);

/* Loads Lua text (never bytecode) as a function under chunkname "@name".
 * [-0, +1] on success; on error appends a diagnostic and pushes nothing. */
int luaenv_load(struct luaenv *e, const char *text, size_t len, const char *name,
		struct diag_list *dl);

/* Runs lua_dir/<module>.lua through require and leaves its value on the
 * stack. [-0, +1] on success. */
int luaenv_require(struct luaenv *e, const char *module, struct diag_list *dl);

/* A Lua error message as a diagnostic: "<chunk>:<line>: text" at that file
 * and line when <chunk> is how Lua names a chunk this state loaded from a
 * file (luaenv_load, require, the host's load with "@file") or is
 * fallback's file, else the whole message at `fallback`. Positions are
 * matched against those names, never guessed from the text: a file name
 * may hold ":7: ". */
void luaenv_error_to_diag(const struct luaenv *e, const char *msg, struct srcpos fallback,
			  struct diag_list *dl);

#endif
