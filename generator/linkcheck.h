/* linkcheck — stage 7: after every file of the site is in its folder,
 * check that every internal link of every .html page (href, src, srcset,
 * poster, data, and a refresh target) names a file of the site, or a folder
 * holding index.html, and that a #fragment names an id (or an <a name>) on
 * the target page. Internal means root-relative under the site's base path,
 * relative, or absolute under the base URL. A broken link is an error naming
 * the source file the link came from: the brief's Markdown file (with the
 * line and column where the URL is written, when it can be found) when the
 * link is in the page's body, else the theme (once per distinct link).
 *
 * Two steps, so that a caller can keep the first between builds:
 *   scanning  one page's bytes -> its ids and links (linkcheck_scan_html),
 *             a value that depends on nothing else;
 *   checking  the site's file list + the scans of its pages -> diagnostics
 *             (linkcheck_check), a function of its arguments only.
 * linkcheck_run does both over a written folder. */
#ifndef GEN_LINKCHECK_H
#define GEN_LINKCHECK_H
#include "buf.h"
#include "diag.h"
#include "hash.h"
#include <stddef.h>

/* What one page holds for the check: its ids (id attributes and <a name>)
 * and its link values (as written, entities decoded, in document order).
 * Owns its memory; free with linkcheck_scan_free. Read-only once made, so
 * several threads may read one. */
struct linkcheck_scan;

/* Scans one page. Never fails: any bytes read as a browser's tokenizer
 * reads them (htmltok.h), at any nesting depth; empty input has nothing.
 * Threads may scan at once. */
struct linkcheck_scan *linkcheck_scan_html(const char *html, size_t len);
/* The same, telling `hear` the page's tokens too (htmltok.h: no implied
 * end tags), so that another reader of the page (the search index's) needs
 * no second reading. Attribute lists are name, value, ..., NULL; text is
 * in pieces, not NUL-terminated, references decoded. */
struct linkcheck_hear {
	void *ctx;
	void (*start)(void *ctx, const char *tag, const char *const *atts);
	void (*end)(void *ctx, const char *tag);
	void (*text)(void *ctx, const char *s, size_t n);
};
struct linkcheck_scan *linkcheck_scan_html_hear(const char *html, size_t len, const struct linkcheck_hear *hear);
void linkcheck_scan_free(struct linkcheck_scan *s);
size_t linkcheck_scan_nlinks(const struct linkcheck_scan *s);
/* The i-th link value; borrowed from s. */
const char *linkcheck_scan_link(const struct linkcheck_scan *s, size_t i);
int linkcheck_scan_has_id(const struct linkcheck_scan *s, const char *id);
/* <meta name=LINKCHECK_STAND_IN> marks a page put in place of one that did
 * not render (`briefgen check` goes on after content errors): it has every
 * id, so links into it are not blamed for its failure. */
#define LINKCHECK_STAND_IN "briefgen-stand-in"

/* Appends the bytes of site file `rel` to out. Returns 0, or -1 when it
 * cannot be read. Called from several threads at once. */
typedef int linkcheck_read_fn(void *ctx, const char *rel, struct buf *out);

/* A linkcheck_read_fn reading from a folder: ctx is its path. */
int linkcheck_read_file(void *dir, const char *rel, struct buf *out);

/* Pages are the files whose name ends in ".html". */
int linkcheck_is_page(const char *rel);

/* Scans the pages among files[0..n) on `jobs` threads (0: one per core):
 * scans[i] receives files[i]'s scan (caller frees each), NULL for a file
 * that is not a page and for a page that cannot be read, which is an
 * error "cannot read page" (in files order). A scans[i] already set on
 * entry is kept and its page not read. Returns 0 or -1. */
int linkcheck_scan_pages(const char *const *files, size_t n, linkcheck_read_fn *read, void *ctx,
			 int jobs, struct linkcheck_scan **scans, struct diag_list *dl);

/* A page whose body came from a source file. Strings borrowed. */
struct linkcheck_page {
	const char *rel;      /* output path: "en/briefs/a/index.html" */
	const char *url;      /* site-relative URL, for messages: "/en/briefs/a/" */
	const char *file;     /* source file: "content/briefs/2024-12-13-a/en.md" */
	const char *src;      /* the Markdown body, to find a link's line; may be NULL */
	size_t src_len;
	int src_line;         /* file line of src's first line */
	size_t src_off;       /* where the body starts in file: with src NULL, a page with a
				 broken link reads file again and, when its body still hashes to
				 src_hash, finds the link's line there */
	const char *body;     /* the body HTML: links in it are the source file's */
	struct hash128 src_hash, body_hash; /* of src and body: a preview's memo compares these */
};

/* The site as the check sees it. Everything borrowed. */
struct linkcheck_site {
	const char *base_url;  /* configured base URL, ending in '/' */
	const char *theme;     /* what to name for links from templates: "templates" */
	const char *const *files;                 /* every file of the site, site-relative, distinct, any order */
	const struct linkcheck_scan *const *scans; /* scans[i]: files[i]'s scan when it is a page (NULL: no ids, no links) */
	size_t nfiles;
	const struct linkcheck_page *pages;       /* pages with a source file, any order */
	size_t npages;
};

/* What a preview keeps between checks (NULL in a one-off build): per page,
 * what its check found and the files it looked for. A page is checked again
 * only when its scan or its source changed, or a file it looked for
 * appeared, went away or was scanned again; the others' findings are
 * reported as kept. The report is the same as a full check's. */
struct linkcheck_memo;
struct linkcheck_memo *linkcheck_memo_new(void);
void linkcheck_memo_free(struct linkcheck_memo *m);
/* Pages checked and pages whose findings were reused by the last check. */
void linkcheck_memo_stats(const struct linkcheck_memo *m, size_t *checked, size_t *reused);

/* Checks every link of every page. Errors come in page path order, then
 * link order; the cost is linear in files, ids, links and errors (with a
 * memo: in what changed, plus one pass over the pages). Returns 0, or -1
 * when a link is broken. When external is not NULL it receives the sorted,
 * distinct http(s) links that point off the site (NULL-terminated; free
 * with linkcheck_free_list); a memo is then cleared and not used. */
int linkcheck_check(const struct linkcheck_site *s, struct linkcheck_memo *memo, char ***external,
		    struct diag_list *dl);
void linkcheck_free_list(char **list);

/* The preview's patch: is a file of the site; *scan receives its scan when
 * it is a page (NULL: none). */
typedef int linkcheck_look_fn(void *ctx, const char *rel, const struct linkcheck_scan **scan);
/* How many links of the page rel (whose scan is scan) are broken, the site
 * being what look says. Nothing is reported: a caller that finds one
 * checks the whole site, which names it. */
size_t linkcheck_count_broken(const char *base_url, const char *rel, const struct linkcheck_scan *scan,
			      linkcheck_look_fn *look, void *ctx);
/* 1 when both scans hold the same ids (a NULL scan holds none). */
int linkcheck_scan_same_ids(const struct linkcheck_scan *a, const struct linkcheck_scan *b);

/* Both steps over a written folder. */
struct linkcheck_opts {
	const char *dir;      /* the written site; pages are read from it */
	const char *const *files; /* its files, site-relative; NULL: every file under dir */
	size_t nfiles;
	const char *base_url;
	const char *theme;
	const struct linkcheck_page *pages;
	size_t npages;
	int jobs;             /* threads scanning pages; 0: one per core */
	/* a page's scan made when it was written (borrowed), or NULL: read it */
	const struct linkcheck_scan *(*given)(void *ctx, const char *rel);
	void *given_ctx;
};
int linkcheck_run(const struct linkcheck_opts *o, char ***external, struct diag_list *dl);

/* Resolves a link found on page `rel` to an output path under the site
 * (no leading '/') and a fragment (percent-decoded, without '#'); the
 * pieces are NULL when absent. Returns 1 for an internal link, 0 for an
 * external one or one to skip (mailto:, data: ...), -1 for an internal
 * link that leaves the site (outside the base path or above its root).
 * Exposed for tests. */
int linkcheck_resolve(const char *base_url, const char *rel, const char *link, char **path,
		      char **frag);

#endif
