/* outputs — stage 6b: what a published site needs beyond pages: Atom feeds,
 * sitemap.xml, robots.txt, taxonomy pages, and the link check over every
 * written page. Runs after all pages are in the temporary output folder. */
#ifndef GEN_OUTPUTS_H
#define GEN_OUTPUTS_H
#include "site.h"

/* Writes feeds, sitemap and robots.txt into s->tmp_dir, then checks links.
 * Returns 0, or -1 with diagnostics in s->diags. */
int outputs_write(struct site *s);

#endif
