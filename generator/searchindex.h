/* searchindex — stage 6d: the index the in-page search reads, one per
 * language edition, as static files under /<lang>/search/ (docs/search.md):
 *
 *   meta.json     {"v":1,"shards":S,"chunk":C,"docs":[[url,title,date],...]}
 *   s-<k>.json    the postings of the tokens whose hash is k mod S:
 *                 {"token":[doc,weight,doc,weight,...],...}
 *   t-<k>.json    the plain text of docs k*C .. k*C+C-1, for snippets
 *
 * What is indexed: a page's title (weight 5), description (2) and body
 * text (search.h), calculation tables (labels, displayed values) included.
 * Briefs newest first, then standalone pages; a doc's id is its position.
 *
 * As pages are written, the worker that writes one reads its body from
 * the link check's parser events (linkcheck_scan_html_hear), so the page
 * is parsed once for both, and keeps the text. After the last indexed
 * page, one thread per language, below the build's own threads, cuts the
 * texts into tokens, merges them and writes the files while the build
 * goes on (search_write_start).
 *
 * Ownership: the index borrows cfg and ct, which must outlive it; it owns
 * everything else and frees it in search_index_free. Nothing is global. */
#ifndef GEN_SEARCHINDEX_H
#define GEN_SEARCHINDEX_H
#include "config.h"
#include "content.h"
#include "diag.h"

#include <stddef.h>

struct sink; /* sink.h */
struct search_index;

struct search_index *search_index_new(const struct config *cfg, const struct content *ct);
void search_index_free(struct search_index *x);

/* A reader for site file rel, or NULL when rel is not an indexed page.
 * Feed it one page's parser events (the three functions take the reader
 * as ctx, as linkcheck_hear wants them), then finish it: that keeps the
 * page's text in x and frees the reader. Readers of different pages may
 * run at once, on any threads. */
struct search_reader;
struct search_reader *search_reader_new(struct search_index *x, const char *rel);
void search_reader_start(void *reader, const char *tag, const char *const *atts);
void search_reader_end(void *reader, const char *tag);
void search_reader_text(void *reader, const char *s, size_t n);
void search_reader_finish(struct search_reader *r);

/* After the last indexed page is put: makes and puts every language's
 * index into out (a page never written is indexed by its title and
 * description), each language on a thread of its own when background is
 * set, so the build goes on meanwhile; else before returning. Wait with
 * search_write_finish before out is finished and before x is freed: it
 * returns 0, or -1 with diagnostics, and frees the writing. */
struct search_writing;
struct search_writing *search_write_start(struct search_index *x, struct sink *out, int background);
int search_write_finish(struct search_writing *w, struct diag_list *dl);

#endif
