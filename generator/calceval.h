/* calceval — stage 4: evaluates a brief's model (lua/calc.lua: dependency
 * order, units, per-language formatting) and returns it as plain C data.
 * The only C code that talks to lua/calc.lua; no Lua type leaves it.
 *
 * A struct calc_engine is one worker thread's: one Lua state (luaenv.h)
 * with lua/calc.lua, units.lua and numfmt.lua loaded once, at its first
 * evaluation, and used for every brief that worker renders. Each brief's
 * formulas run in an environment built afresh for that evaluation (unit
 * constants, read-only math and string), under the limits of a state of its
 * own: 64 MiB for the whole state, 20 M instructions and 5 s of CPU time
 * per evaluation. A model calcfast.h can evaluate (most) is evaluated
 * there, in C, when the engine's lua/ is the one it was written against. */
#ifndef GEN_CALCEVAL_H
#define GEN_CALCEVAL_H
#include "calc.h"
#include "config.h"
#include "diag.h"

#include <stddef.h>

struct calc_engine;

/* One named value of the model. Strings are owned by the model. */
struct calc_value {
	char *name;
	char **label;       /* per language (config order): that language's part of the label, or "" */
	char *formula;
	char **inputs;      /* names the formula reads, in order of first use */
	size_t ninputs;
	double value;       /* in the display unit */
	char *unit;         /* display unit ("USD", "GW"), "" for a plain number */
	char *dims;         /* dimensions ("USD/chip"), "" for a plain number */
	char **display;     /* per language: the formatted value */
	char *file;         /* where it is defined */
	int line;
	/* where an input comes from: the label's `source: URL [at WHERE] ["QUOTE"]`
	 * part (NULL when absent), or its `assumption` part */
	char *source_url, *source_at, *source_quote;
	int assumption;
	double base;        /* the value in base units (the exports, cites.h) */
	/* a value citing another brief (`@slug.name`): NULL otherwise; per
	 * language the link to its row there and that brief's title (cites_link) */
	char *cite_slug, *cite_name;
	char **cite_url, **cite_title;
};
/* An input reads no other value of the model (`years = 6`, `price = 3e4 * USD`). */
#define CALC_IS_INPUT(v) ((v)->ninputs == 0)

/* What one inline span became; refs[i] belongs to the source's spans[i]. */
struct calc_ref {
	char *text;         /* formatted in the span's language; NULL when it could not be evaluated */
	char *name;         /* the value it links to (the first name it cites), or NULL */
	char *title;        /* the formula and its inputs with their values, one a line */
	char *formula;      /* the formula of a single name, else the expression */
	char **inputs;      /* the inputs of that formula (or the names the expression cites) */
	size_t ninputs;
	char **cites;       /* every model name the expression reads */
	size_t ncites;
	size_t lang;        /* the span's language */
};

struct calc_model {
	size_t nlangs;
	struct chart_data **charts; /* one per source chart (calc_source.charts), in its page's language */
	size_t ncharts;
	struct whatif_data **whatifs; /* one per source whatif block, in its page's language */
	size_t nwhatifs;
	struct calc_value *values; /* sorted by name */
	size_t nvalues;
	struct calc_ref *refs;     /* one per source span */
	size_t nrefs;
};

/* A worker's engine; no Lua state is made until its first evaluation.
 * lua_dir is borrowed and must outlive it. Free with calc_engine_free(). */
struct calc_engine *calc_engine_new(const char *lua_dir);
void calc_engine_free(struct calc_engine *e);
/* Every model through lua/calc.lua, none through calcfast.h (the tests
 * that hold the two together). */
void calc_engine_lua_only(struct calc_engine *e);

/* Evaluates src (which has definitions or spans: calc_source_any); labels
 * are split in the order of cfg's languages. Errors and warnings of
 * the model go to dl (columns in characters); returns the model, or NULL
 * when there was an error. Free with calc_model_free(). */
struct calc_model *calc_eval(struct calc_engine *e, const struct calc_source *src,
			     const struct config *cfg, struct diag_list *dl);

/* An input given another value (`briefgen calc BRIEF name=value`): a
 * formula (`25000 * USD`), or a bare number in the unit the input is shown
 * in. Errors name `at` (file "command line", say). */
struct calc_override {
	const char *name, *text;
	struct srcpos at;
};
/* calc_eval with inputs overridden: the model as published but for them. */
struct calc_model *calc_eval_with(struct calc_engine *e, const struct calc_source *src,
				  const struct config *cfg, const struct calc_override *ov, size_t nov,
				  struct diag_list *dl);
void calc_model_free(struct calc_model *m);

/* The value named name, or NULL. Borrowed from m. */
const struct calc_value *calc_model_find(const struct calc_model *m, const char *name);

#endif
