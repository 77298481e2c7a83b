/* fmtoml — Hugo's TOML front matter (`+++` … `+++`) into the same tree a
 * YAML block gives (frontmatter.h), so a post written either way reads the
 * same. Debian 12 packages no TOML library for C, so this reads TOML 1.0
 * as front matter uses it: key/value pairs with bare, quoted and dotted
 * keys; basic, literal and multi-line strings; integers, floats, booleans,
 * dates and times (kept as their text, like unquoted YAML scalars); arrays
 * (over several lines, trailing comma allowed); inline tables; [tables]
 * and [[arrays of tables]]. A key given twice, an unclosed string or
 * bracket, or anything else outside that grammar is an error at its
 * file:line:col; nesting and size are capped as for YAML. */
#ifndef GEN_FMTOML_H
#define GEN_FMTOML_H
#include "diag.h"
#include "frontmatter.h"
#include <stddef.h>

/* Parses src[0..len) (the lines between the `+++` fences; line: the file's
 * line of its first byte) into root, an empty FM_MAP. Returns 0, or -1 with
 * one error in dl; root is then partly filled and is freed with the rest of
 * the front matter (fm_release). Strings in the tree are owned by it. */
int fmtoml_parse(const char *file, int line, const char *src, size_t len, struct fm_node *root,
		 struct diag_list *dl);

#endif
