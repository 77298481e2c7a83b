/* outputs — stage 6b: what a published site needs beyond pages: Atom feeds,
 * sitemap.xml, robots.txt, taxonomy pages, and the link check over every
 * written page. Runs after all pages are in the temporary output folder. */
#ifndef GEN_OUTPUTS_H
#define GEN_OUTPUTS_H
#include "site.h"

/* Writes taxonomy pages, feeds, sitemap and robots.txt through s->sink.
 * Returns 0, or -1 with diagnostics in s->diags. */
int outputs_write(struct site *s);
/* Checks the links of every page in the finished folder of s->sink. */
int outputs_check_links(struct site *s);

#endif
