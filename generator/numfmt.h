/* numfmt — the rounding and writing core of lua/numfmt.lua, in C.
 *
 * lua/numfmt.lua stays the definition of how calc values are shown (and
 * runs alone under plain lua5.4); this module does the same arithmetic on
 * decimal digit strings for the common case, about ten times cheaper than
 * the Lua functions (formatting was ~40 % of a brief's calc evaluation).
 * numfmt.lua asks for it with require("numfmt_core") and falls back to its
 * own code when that fails or when the core declines a call.
 *
 * Lua API of the module table:
 *   core(n, lang, spec, mode) -> text            (mode 0)
 *                             -> number          (mode 1)
 *                             -> text, number    (mode 2)
 *   where n is a number, lang "zh" or "en" and spec a parsed spec table
 *   ({kind = "sig"|"fixed"|"int", n = digits, suffix = nil|"pct"|"x"}).
 *   It returns nothing (nil) for anything else: NaN or infinity, another
 *   language, a spec string, a spec it does not know; numfmt.lua then
 *   checks the call and reports the error as before.
 *
 * Pure functions, no state: safe in any number of Lua states. */
#ifndef GEN_NUMFMT_H
#define GEN_NUMFMT_H

struct lua_State;

/* Pushes the module table. [-0, +1] */
int numfmt_open(struct lua_State *L);

#endif
