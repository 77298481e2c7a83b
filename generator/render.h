/* render — stages 3 to 6 for one brief: Markdown to a tree for every
 * language, the calc model over all of them, HTML, the page template, and
 * the files written under the output folder. Briefs are independent, so
 * render_brief runs on worker threads, each with its own struct tpl. */
#ifndef GEN_RENDER_H
#define GEN_RENDER_H
#include "config.h"
#include "content.h"
#include "diag.h"
#include "template.h"

#include <pthread.h>

/* Fills each page's html, toc, summary and counts, renders the pages and
 * copies bundle assets into out_dir. Returns 0 or -1 with diagnostics. */
int render_brief(struct brief *b, const struct config *cfg, struct tpl *t, const char *lua_dir,
		 const char *out_dir, pthread_mutex_t *md_lock, struct diag_list *dl);

#endif
