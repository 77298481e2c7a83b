/* calccheck — stage 4's warnings about how a brief uses its model (errors
 * with --strict): a value cited in one language's page but not in
 * another's, a chart or what-if block one page has and another lacks, and a number typed in prose next to 倍 × % 萬 億 兆 million
 * billion trillion, which looks like a result someone typed instead of
 * citing the model. Run on a brief whose model evaluated, before its values
 * are put into the trees (calcrender.h). */
#ifndef GEN_CALCCHECK_H
#define GEN_CALCCHECK_H
#include "calc.h"
#include "config.h"
#include "diag.h"
#include "md.h"

/* docs: src->nlangs trees, NULL where the brief has no page. */
void calccheck_brief(const struct calc_source *src, struct md_doc *const *docs, const struct config *cfg,
		     struct diag_list *dl);

/* `briefgen check`: a warning for each input of the model (a value that
 * reads no other) whose label gives neither `| source: URL` nor
 * `| assumption`, at its definition. */
struct calc_model; /* calceval.h */
void calccheck_sources(const struct calc_model *m, struct diag_list *dl);
#endif
