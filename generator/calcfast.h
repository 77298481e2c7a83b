/* calcfast — stage 4: a brief's model evaluated in C, for the models that
 * need nothing but arithmetic on numbers, values and unit constants.
 *
 * lua/calc.lua (with units.lua and numfmt.lua) stays the definition of
 * what a model means and of every error it can have; this module does the
 * same work, step for step, for the common case, about ten times cheaper:
 * formulas of numerals, names, + - * / ^, unary minus and parentheses;
 * labels; inline references with formats; no charts, what-if blocks,
 * cited values or overridden inputs. It declines (returns NULL) whatever
 * else it meets — a function call, a string, any error the Lua code would
 * report — and calceval.c then runs lua/calc.lua, which finds and words
 * the error. tests/unit/test_calcfast.c holds the two to the same results.
 *
 * Only the lua/ it was written against may be replaced by it: calceval.c
 * compares the lua/ folder a build uses with the copy built into the
 * binary (calcfast_matches) and uses the Lua modules alone when they
 * differ. */
#ifndef GEN_CALCFAST_H
#define GEN_CALCFAST_H
#include "calc.h"
#include "calceval.h"
#include "config.h"

/* The model of src as calc_eval would give it before a converted edition's
 * strings are converted, or NULL when this module declines. No
 * diagnostics: a model with any error is declined. Free with
 * calc_model_free(). */
struct calc_model *calcfast_eval(const struct calc_source *src, const struct config *cfg);

/* 1 when lua_dir's calc.lua, units.lua, numfmt.lua and chart.lua (which
 * calc.lua loads) are byte for byte the ones this binary was built with. */
int calcfast_matches(const char *lua_dir);

#endif
