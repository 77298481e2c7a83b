/* xmlout — libxml2's xmlTextWriter, set up once. */
#include "xmlout.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include "banned.h"

struct xmlout {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int err;
};

struct xmlout *xmlout_new(void)
{
	struct xmlout *x = xcalloc(1, sizeof *x);
	x->buf = xmlBufferCreate();
	if (x->buf)
		xmlBufferSetAllocationScheme(x->buf, XML_BUFFER_ALLOC_DOUBLEIT);
	x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
	if (!x->w) {
		if (x->buf)
			xmlBufferFree(x->buf);
		free(x);
		return NULL;
	}
	x->err |= xmlTextWriterSetIndent(x->w, 1) < 0;
	x->err |= xmlTextWriterSetIndentString(x->w, (const xmlChar *)"  ") < 0;
	x->err |= xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0;
	return x;
}

/* XML 1.0 forbids most C0 controls even escaped: drop them. Caller frees. */
static xmlChar *clean(const char *s)
{
	size_t n = strlen(s);
	char *o = xmalloc(n + 1), *w = o;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
			*w++ = (char)*p;
	*w = '\0';
	return (xmlChar *)o;
}

void xmlout_start(struct xmlout *x, const char *name)
{
	x->err |= xmlTextWriterStartElement(x->w, (const xmlChar *)name) < 0;
}

void xmlout_start_ns(struct xmlout *x, const char *prefix, const char *name)
{
	x->err |= xmlTextWriterStartElementNS(x->w, (const xmlChar *)prefix, (const xmlChar *)name, NULL) < 0;
}

void xmlout_end(struct xmlout *x)
{
	x->err |= xmlTextWriterEndElement(x->w) < 0;
}

void xmlout_attr(struct xmlout *x, const char *name, const char *value)
{
	xmlChar *v = clean(value);
	x->err |= xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name, v) < 0;
	free(v);
}

void xmlout_text(struct xmlout *x, const char *text)
{
	xmlChar *v = clean(text);
	x->err |= xmlTextWriterWriteString(x->w, v) < 0;
	free(v);
}

void xmlout_elem(struct xmlout *x, const char *name, const char *text)
{
	xmlout_start(x, name);
	xmlout_text(x, text);
	xmlout_end(x);
}

int xmlout_finish(struct xmlout *x, struct buf *out, const char *where, const char *what,
		  struct diag_list *dl)
{
	x->err |= xmlTextWriterEndDocument(x->w) < 0;
	xmlFreeTextWriter(x->w); /* flushes into the buffer */
	int r = 0;
	if (x->err)
		r = diag_error(dl, (struct srcpos){ where, 0, 0 }, "cannot write %s", what);
	else
		buf_add(out, xmlBufferContent(x->buf), (size_t)xmlBufferLength(x->buf));
	xmlBufferFree(x->buf);
	free(x);
	return r;
}
