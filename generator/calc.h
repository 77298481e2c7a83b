/* calc — stage 4: the brief's model. Collects every `calc` fenced block and
 * every inline `= expr | spec` code span of all language files of a brief,
 * evaluates them together in a fresh sandboxed Lua state (lua/calc.lua:
 * dependency order, units, per-language formatting), then rewrites the
 * Markdown trees: blocks become calculation tables, inline spans become the
 * formatted value with its provenance. Also produces numbers.json. */
#ifndef GEN_CALC_H
#define GEN_CALC_H
#include "buf.h"
#include "config.h"
#include "content.h"
#include "diag.h"
#include "md.h"

/* docs has cfg->nlangs entries (NULL where the brief has no such page).
 * On success, when the brief has a model, appends numbers.json's bytes to
 * json and returns 1; returns 0 when the brief has no calc at all; -1 with
 * diagnostics on error. Cross-language warnings go to dl as warnings. */
int calc_brief(struct brief *b, struct md_doc **docs, const struct config *cfg,
	       const char *lua_dir, struct buf *json, struct diag_list *dl);

#endif
