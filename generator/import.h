/* import — `briefgen import jekyll|hugo SRC [ROOT]`: lays a Jekyll (with or
 * without jekyll-polyglot) or Hugo (multilingual: bundles, per-language
 * files or per-language content folders) site out as briefgen's content:
 * one bundle per post, content/briefs/YYYY-MM-DD-slug/CODE.md, its
 * translations paired by the rules those tools use; site.lua from the
 * site's configuration; the site's static files into content/static/, its
 * _includes/ beside content/; a redirect from each post's old URL (front
 * matter `redirect_from`, which the build turns into a page). The source is
 * only read. The report says, per source file, what it became and what of
 * it could not be carried over, at its file:line:col. Same source, same
 * bytes written, same report. Details: docs/import.md. */
#ifndef GEN_IMPORT_H
#define GEN_IMPORT_H
#include "buf.h"
#include "diag.h"

enum import_kind { IMPORT_JEKYLL, IMPORT_HUGO };

struct import_opts {
	enum import_kind kind;
	const char *src;  /* the site to read */
	const char *root; /* the briefgen project to write (its content/ must not exist, or be empty) */
};

/* Imports; the report (lines, paths relative to src and root) is appended
 * to report. Returns 0, or -1 with errors in dl (nothing is written when
 * the source cannot be read as a site; a failure while writing leaves what
 * was written). */
int import_site(const struct import_opts *o, struct buf *report, struct diag_list *dl);

#endif
