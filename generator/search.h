/* search — what the in-page search is made of: tokens, and the plain text
 * of a page's body. The index built from them is searchindex.h; the files
 * it writes are described in docs/search.md.
 *
 * Tokens (search_tokens, mirrored by templates/assets/search.js): runs of
 * Han and kana give character bigrams, so a query of two or more Chinese
 * characters finds the briefs that contain it; runs of letters and digits
 * give lowercased words, stemmed (a few suffix rules), so "prices" finds
 * "price". Nothing here is global; everything may run on any thread. */
#ifndef GEN_SEARCH_H
#define GEN_SEARCH_H
#include "buf.h"

#include <stddef.h>
#include <stdint.h>

/* Calls fn once per token of text[0..n), in order (tok is not
 * NUL-terminated and valid during the call only). */
typedef void search_token_fn(void *ctx, const char *tok, size_t len);
void search_tokens(const char *text, size_t n, search_token_fn *fn, void *ctx);

/* FNV-1a, 32 bits, of a token's UTF-8 bytes: which shard holds it. */
uint32_t search_hash(const char *tok, size_t len);

/* The text of a page's body as a reader sees it, from the page's tokens
 * (htmltok.h): the element that carries the attribute SEARCH_BODY (the
 * theme marks it) and what is inside, without scripts, styles, drawings,
 * heading anchors or a number's sources; a space between blocks, none
 * inside inline markup (a Chinese sentence has no spaces to add); runs of
 * white space as one. Tokens imply no end tags, so where an element ends
 * is told by counting the open elements of its name (the body's, and the
 * one left out). The caller owns text (buf_release). */
#define SEARCH_BODY "data-search-body"
struct search_body {
	struct buf text;
	size_t depth;      /* > 0: inside the body; open elements named as the marked one (it is 1) */
	size_t skip;       /* > 0: inside an element left out; open elements of its name */
	char body_tag[24]; /* the marked element's name; "": a fragment, all body */
	char skip_tag[24];
	int space;         /* a space is owed before the next character */
};
#define SEARCH_BODY_INIT { BUF_INIT, 0, 0, "", "", 0 }
/* Names in lowercase; atts is name, value, ..., NULL; s[0..n) a piece of
 * text, references decoded. */
void search_body_start(struct search_body *b, const char *tag, const char *const *atts);
void search_body_end(struct search_body *b, const char *tag);
void search_body_chars(struct search_body *b, const char *s, size_t n);

/* The same text of an HTML fragment, all of which is body. Caller frees. */
char *search_text(const char *html, size_t n);

#endif
