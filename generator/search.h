/* search — stage 6d: the index the in-page search reads, one per language
 * edition, as static files under /<lang>/search/ (docs/search.md):
 *
 *   meta.json     {"v":1,"shards":S,"chunk":C,"docs":[[url,title,date],...]}
 *   s-<k>.json    the postings of the tokens whose hash is k mod S:
 *                 {"token":[doc,weight,doc,weight,...],...}
 *   t-<k>.json    the plain text of docs k*C .. k*C+C-1, for snippets
 *
 * Tokens (search_tokens, mirrored by templates/assets/search.js): runs of
 * Han and kana give character bigrams, so a query of two or more Chinese
 * characters finds the briefs that contain it; runs of letters and digits
 * give lowercased words, stemmed (a few suffix rules), so "prices" finds
 * "price". What is indexed: a page's title (weight 5), description (2) and
 * body text, calculation tables (labels, displayed values) included.
 * Briefs newest first, then standalone pages; a brief's doc id is its
 * position. Nothing here is global. */
#ifndef GEN_SEARCH_H
#define GEN_SEARCH_H
#include "config.h"
#include "content.h"
#include "diag.h"

#include <stddef.h>
#include <stdint.h>

struct sink; /* sink.h */

/* Puts every language's index into out. Returns 0, or -1 with diagnostics. */
int search_write(const struct config *cfg, const struct content *ct, struct sink *out, struct diag_list *dl);

/* Calls fn once per token of text[0..n), in order (tok is not
 * NUL-terminated and valid during the call only). */
typedef void search_token_fn(void *ctx, const char *tok, size_t len);
void search_tokens(const char *text, size_t n, search_token_fn *fn, void *ctx);

/* The plain text of an HTML fragment as a reader sees it: no scripts,
 * styles or drawings, runs of white space as one space. Caller frees. */
char *search_text(const char *html, size_t n);

/* FNV-1a, 32 bits, of a token's UTF-8 bytes: which shard holds it. */
uint32_t search_hash(const char *tok, size_t len);

#endif
