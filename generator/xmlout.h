/* xmlout — the one way this program writes XML (feeds, sitemap): a
 * libxml2 text writer into memory, indented two spaces, UTF-8, whose buffer
 * grows by doubling (libxml2's default grows it exactly, which made long
 * feeds quadratic). Text and attribute values lose the C0 controls that
 * XML 1.0 forbids even escaped. Write errors are folded into one flag and
 * reported once, by xmlout_finish. Owns its writer until xmlout_finish. */
#ifndef GEN_XMLOUT_H
#define GEN_XMLOUT_H
#include "buf.h"
#include "diag.h"

struct xmlout;

/* Starts a document. NULL when libxml2 cannot start a writer. */
struct xmlout *xmlout_new(void);
void xmlout_start(struct xmlout *x, const char *name);
/* An element in a declared namespace prefix: xmlout_start_ns(x, "xhtml", "link"). */
void xmlout_start_ns(struct xmlout *x, const char *prefix, const char *name);
void xmlout_end(struct xmlout *x);
void xmlout_attr(struct xmlout *x, const char *name, const char *value);
void xmlout_text(struct xmlout *x, const char *text);
/* <name>text</name> */
void xmlout_elem(struct xmlout *x, const char *name, const char *text);
/* Ends the document, appends it to out and frees x. Returns 0, or -1 with
 * an error naming `where` ("cannot write <what>") when any write failed. */
int xmlout_finish(struct xmlout *x, struct buf *out, const char *where, const char *what,
		  struct diag_list *dl);

#endif
