/* htmltok — reads a page the way a browser's tokenizer does (WHATWG HTML,
 * "Tokenization"), for the readers of what a build wrote: the link check
 * (links and ids) and the search index (the body's text).
 *
 * Tokens only: no tree is built, so no end tag is implied and a void
 * element (<br>, <img>) has no end. A start tag's name and attribute names
 * come in lowercase, its attribute values with character references
 * decoded (libxml2's table of HTML entities); of a repeated attribute the
 * first counts, as in a browser; an attribute without a value has "".
 * script, style, xmp, iframe, noembed and noframes hold raw text, title and
 * textarea text without tags, plaintext the rest of the page; comments,
 * doctypes and processing instructions are skipped. Inside svg and math a
 * self-closing tag (<path/>) is followed by its end, and <![CDATA[ ]]> is
 * text. Never fails: any input reads as some tokens.
 *
 * Why not libxml2's HTML parser, which the link check used before: it
 * decodes text a character at a time and checks a table of implied ends at
 * every tag, which made it 25-30 % of a full build's CPU; this reads the
 * same pages about ten times faster (docs/architecture.md, "Reading pages"). */
#ifndef GEN_HTMLTOK_H
#define GEN_HTMLTOK_H
#include <stddef.h>

/* What a reader hears. Strings are borrowed for the call only. Attribute
 * lists are name, value, ..., NULL. text gets pieces (not NUL-terminated)
 * with references decoded; NULL: text is neither decoded nor reported. */
struct htmltok_sink {
	void *ctx;
	void (*start)(void *ctx, const char *tag, const char *const *atts);
	void (*end)(void *ctx, const char *tag);
	void (*text)(void *ctx, const char *s, size_t n);
};

/* Reads html[0..len) and tells s of each token, in order. */
void htmltok_read(const char *html, size_t len, const struct htmltok_sink *s);

#endif
