/* mdguard — stage 3, before md_parse: Markdown that cmark-gfm 0.29.0.gfm.6
 * (Debian 12's) parses in more than linear time — the shapes of its
 * advisories of 2023, fixed in later gfm releases — is refused with an
 * error at its line before cmark sees it. One pass over the body, linear
 * in its length, counts what each shape needs (nesting, '[', emphasis and
 * '~' runs, unclosed '<?' and '<![', table delimiter rows, cells and
 * columns, web addresses, link definitions and their uses), a block at a
 * time (lines without a blank line between: no paragraph spans a blank
 * line, so a block's count is at least its paragraphs'). Each limit is far
 * above what a brief needs, and low enough that a body at every limit
 * parses in about the time of any other body of its size:
 * docs/security.md, "Markdown limits", has the shapes and the figures. */
#ifndef GEN_MDGUARD_H
#define GEN_MDGUARD_H
#include "diag.h"
#include <stddef.h>

/* Checks text (len bytes), a brief's body whose first line is line
 * body_line of file; appends an error (file:line) for each shape over its
 * limit and returns -1 when there was one, else 0. file is borrowed (see
 * struct srcpos). */
int mdguard_check(const char *text, size_t len, const char *file, int body_line, struct diag_list *dl);

#endif
