/* engines — the Lua engines a worker thread renders with: its template
 * engine (template.h) and its calc engine (calceval.h), each made on first use in a pool slot (pool.h) and kept
 * there for every item and run of that slot. A slot's local pointer is an
 * engines value; pool_new(jobs, engines_free) frees them. Each engine is
 * used by one thread at a time, as a lua_State must be. */
#ifndef GEN_ENGINES_H
#define GEN_ENGINES_H
#include "calceval.h"
#include "config.h"
#include "content.h"
#include "template.h"
#include "urls.h"
#include "words.h"

/* What an engine is made from; borrowed for the engines' lifetime. */
struct engines_spec {
	const char *tpl_dir, *lua_dir;
	const struct config *cfg;
	const struct urls *urls;
	const struct words *words;
	const struct content *ct;
};

/* The slot's template engine, compiled on first use (its diagnostics are
 * dropped: the build compiled the theme once on its own thread first and
 * reported them). NULL when the theme does not compile. */
struct tpl *engines_tpl(void **local, const struct engines_spec *spec);
/* Gives a slot an engine compiled elsewhere (the build's first one), which
 * the slot then owns. */
void engines_give_tpl(void **local, struct tpl *t);
/* The slot's calc engine (lua/calc.lua and its modules loaded once), made
 * on first use; NULL when it cannot be made. */
struct calc_engine *engines_calc(void **local, const struct engines_spec *spec);
void engines_free(void *local);

#endif
