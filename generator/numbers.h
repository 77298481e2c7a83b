/* numbers — stage 4's data product: a brief's evaluated model as
 * briefs/<slug>/numbers.json (jansson): every value sorted by name with its
 * label per language, formula, inputs, value in its display unit, unit,
 * dimensions, display text per language, where it is defined, and the pages
 * citing it. */
#ifndef GEN_NUMBERS_H
#define GEN_NUMBERS_H
#include "buf.h"
#include "calceval.h"
#include "config.h"
#include "content.h"

/* Appends the JSON text (and a final newline) to out. File paths are kept
 * from "content/" on, so the bytes do not depend on where the build ran. */
void numbers_json(const struct calc_model *m, const struct brief *b, const struct config *cfg,
		  struct buf *out);

#endif
