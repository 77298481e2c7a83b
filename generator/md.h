/* md — stage 3: Markdown to a cmark-gfm tree (GFM tables, strikethrough,
 * autolinks, task lists, footnotes, tagfilter), then the tree to HTML. The
 * only module besides the calc modules (calc.c, calcrender.c, calccheck.c)
 * that sees cmark-gfm types. Raw HTML passes through: authors are trusted.
 * Text is read from the tree's text nodes, whatever node holds them: calc
 * values and tables are custom nodes over text (calcrender.h). */
#ifndef GEN_MD_H
#define GEN_MD_H
#include "buf.h"
#include <pthread.h>
#include <stddef.h>

struct md_doc;

/* Call once from main before any thread parses (cmark-gfm keeps its
 * extension registry in a library global). */
void md_global_init(void);

/* Parses text; node lines are shifted so they are file lines (body_line is
 * the file line of text's first line). Free with md_free().
 * cmark-gfm 0.29 keeps the table of special inline characters in a library
 * global that every parser edits while it parses inlines (extensions add
 * ':' and 'w' for autolinks, then remove them), so parsers on different
 * threads must not overlap: callers on worker threads pass the build's
 * parse lock; a single-threaded caller may pass NULL. */
struct md_doc *md_parse(const char *text, size_t len, int body_line, pthread_mutex_t *lock);
void md_free(struct md_doc *d);
/* The file lines of kramdown attribute lists (`{: .class}` on their own
 * line, or ending a paragraph) taken out of the tree: briefgen applies no
 * classes or attributes. *lines is borrowed from d. */
size_t md_dropped_ials(const struct md_doc *d, const int **lines);
/* The cmark_node root, for the calc modules. Borrowed. */
void *md_root(struct md_doc *d);
int md_line_offset(const struct md_doc *d);

/* HTML of the whole document; headings get ids (md_slugify of their text,
 * computed values written as their id text: md_mark_value) and the table of
 * contents of h2/h3 headings is stored in toc when there are at least two
 * sections (else toc is left empty). */
void md_render(struct md_doc *d, struct buf *html, struct buf *toc);
/* Plain text of the first paragraph, for summaries. */
void md_first_paragraph(struct md_doc *d, struct buf *out);
/* When the document holds a `<!--more-->` marker (on its own line or at
 * the end of a paragraph's text), appends the plain text before it (blocks
 * joined by one space) to out and returns 1; else leaves out alone and
 * returns 0. */
int md_summary_more(struct md_doc *d, struct buf *out);
/* Counts CJK characters and Latin words of the document's prose (see
 * prose_count); code blocks, raw HTML, custom blocks and computed values
 * (md_mark_value) are not prose. */
void md_count(struct md_doc *d, int *cjk, int *words);

/* Marks node, a cmark node holding the text of a computed value (a custom
 * inline over a text node, or the text node itself where cmark allows no
 * custom inline), as such: prose (md_count, md_summary_more) leaves it out
 * as it leaves raw HTML out, and a heading's id reads id_text in its place
 * (the value's expression), so the id stays when the number changes; the
 * table of contents shows the number. id_text is copied and kept with the
 * node. */
void md_mark_value(void *node, const char *id_text);

/* Heading id: ASCII letters lowercased, CJK and other letters kept, runs of
 * anything else become one '-'. */
void md_slugify(const char *text, struct buf *out);

#endif
