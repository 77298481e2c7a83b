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
 * The same core is open to C (calcfast.c): numfmt_parse_spec and
 * numfmt_show.
 *
 * Pure functions, no state: safe in any number of Lua states and threads. */
#ifndef GEN_NUMFMT_H
#define GEN_NUMFMT_H

struct lua_State;
struct buf;

/* A parsed format (numfmt.lua's parse_spec): "" is sig 3. */
enum { NUMFMT_SIG, NUMFMT_FIXED, NUMFMT_INT };
enum { NUMFMT_PLAIN, NUMFMT_PCT, NUMFMT_TIMES };
struct numfmt_spec {
	int kind, n, suffix;
};

/* s as numfmt.lua's parse_spec reads it: 0, or -1 when it is not a format
 * (numfmt.lua words the error). */
int numfmt_parse_spec(const char *s, struct numfmt_spec *sp);

/* The finite n shown as sp says, in Chinese (zh) or English: its text
 * appended to text, and the number the text shows (numfmt.round) in
 * *shown; either may be NULL. */
void numfmt_show(double n, int zh, const struct numfmt_spec *sp, struct buf *text, double *shown);

/* What snprintf("%.<decimals>f", v) writes (decimals 0 to 6), appended to
 * out: the same bytes, read off an integer when v·10^decimals is not near
 * a tie, by snprintf when it is (chart coordinates: ~2 000 instructions a
 * number through printf). */
void numfmt_fixed(struct buf *out, double v, int decimals);

/* Pushes the module table. [-0, +1] */
int numfmt_open(struct lua_State *L);

#endif
