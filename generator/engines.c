/* engines — per-slot engines, made lazily. */
#include "engines.h"
#include "xalloc.h"

#include <stdlib.h>
#include "banned.h"

struct engines {
	struct tpl *tpl;
	int tpl_tried; /* a theme that did not compile is not compiled again */
	struct calc_engine *calc;
	int calc_tried;
};

static struct engines *mine(void **local)
{
	if (!*local)
		*local = xcalloc(1, sizeof(struct engines));
	return *local;
}

struct tpl *engines_tpl(void **local, const struct engines_spec *spec)
{
	struct engines *e = mine(local);
	if (!e->tpl_tried) {
		struct diag_list quiet = DIAG_LIST_INIT;
		e->tpl = tpl_new(spec->tpl_dir, spec->lua_dir, spec->cfg, spec->urls, spec->words, spec->ct, &quiet);
		diag_release(&quiet);
		e->tpl_tried = 1;
	}
	return e->tpl;
}

void engines_give_tpl(void **local, struct tpl *t)
{
	struct engines *e = mine(local);
	tpl_free(e->tpl);
	e->tpl = t;
	e->tpl_tried = 1;
}

struct calc_engine *engines_calc(void **local, const struct engines_spec *spec)
{
	struct engines *e = mine(local);
	if (!e->calc_tried) {
		e->calc = calc_engine_new(spec->lua_dir);
		e->calc_tried = 1;
	}
	return e->calc;
}

void engines_free(void *local)
{
	struct engines *e = local;
	if (!e)
		return;
	tpl_free(e->tpl);
	calc_engine_free(e->calc);
	free(e);
}
