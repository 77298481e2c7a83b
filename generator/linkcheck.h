/* linkcheck — stage 7: after every file of the site is in its folder,
 * parse each written .html page with libxml2's HTML parser and check that
 * every internal link (href, src, srcset, poster, data, and a refresh
 * target) names a file of the site, or a folder holding index.html, and
 * that a #fragment names an id (or an <a name>) on the target page.
 * Internal means root-relative under the site's base path, relative, or
 * absolute under the base URL. A broken link is an error naming the
 * source file the link came from: the brief's Markdown file (with the line
 * and column where the URL is written, when it can be found) when the link
 * is in the page's body, else the theme (once per distinct link). */
#ifndef GEN_LINKCHECK_H
#define GEN_LINKCHECK_H
#include "diag.h"
#include <stddef.h>

/* A page whose body came from a source file. Strings borrowed. */
struct linkcheck_page {
	const char *rel;      /* output path under dir: "en/briefs/a/index.html" */
	const char *url;      /* site-relative URL, for messages: "/en/briefs/a/" */
	const char *file;     /* source file: "content/briefs/2024-12-13-a/en.md" */
	const char *src;      /* the Markdown body, to find a link's line; may be NULL */
	size_t src_len;
	int src_line;         /* file line of src's first line */
	const char *body;     /* the body HTML: links in it are the source file's */
};

struct linkcheck_opts {
	const char *dir;      /* the written site */
	const char *base_url; /* configured base URL, ending in '/' */
	const char *theme;    /* what to name for links from templates: "templates" */
	const struct linkcheck_page *pages;
	size_t npages;
	int jobs;             /* threads parsing pages; 0: one per core */
};

/* Checks every page under o->dir. Returns 0, or -1 when a link is broken
 * (one error each, in page path order). When external is not NULL it
 * receives the sorted, distinct http(s) links that point off the site
 * (NULL-terminated; free with linkcheck_free_list). */
int linkcheck_run(const struct linkcheck_opts *o, char ***external, struct diag_list *dl);
void linkcheck_free_list(char **list);

/* Resolves a link found on page `rel` to an output path under the site
 * (no leading '/') and a fragment (percent-decoded, without '#'); the
 * pieces are NULL when absent. Returns 1 for an internal link, 0 for an
 * external one or one to skip (mailto:, data: ...), -1 for an internal
 * link that leaves the site (outside the base path or above its root).
 * Exposed for tests. */
int linkcheck_resolve(const char *base_url, const char *rel, const char *link, char **path,
		      char **frag);

#endif
