/* luastr — the string library a sandbox offers to code it does not trust
 * (templates, content/site.lua): Lua's own functions, except that a
 * pattern call (find, match, gmatch, gsub) runs only when a bound on its
 * steps, known before the call from the pattern and the string's length
 * (luapat.h), is small. Lua's matcher backtracks in C, where neither the
 * instruction budget nor the time limit of luaenv can stop it. Also: find
 * of plain text in linear time, rep of nothing without its loop, and no
 * dump, pack, packsize or unpack. */
#ifndef GEN_LUASTR_H
#define GEN_LUASTR_H
#include "diag.h"
#include "luaenv.h"

/* Makes the bounded library the string metatable's __index in e's state,
 * so every string's methods are the bounded ones; code loaded before that
 * keeps the functions it captured (the host modules of lua/). max_steps:
 * the most steps one pattern call may take (a step is ~1-7 ns). Leaves the
 * library (a table) on the stack, for a sandbox that offers it as `string`.
 * [-0, +1] on success; on error appends a diagnostic at `where`, pushes
 * nothing and returns -1. */
int luastr_install(struct luaenv *e, double max_steps, struct srcpos where, struct diag_list *dl);

#endif
