/* urls: percent-encoding, both ways, in the one place that does it. */
#include "harness.h"
#include "buf.h"
#include "urls.h"

#include <stdlib.h>
#include <string.h>

static void enc(const char *in, enum urls_pct how, const char *want, const char *why)
{
	struct buf b = BUF_INIT;
	urls_pct_encode(&b, in, strlen(in), how);
	STR_EQ(b.ptr ? b.ptr : "", want, "encode: %s", why);
	buf_release(&b);
}

static void dec(const char *in, const char *want, const char *why)
{
	char *got = urls_pct_decode(in, strlen(in));
	STR_EQ(got, want, "decode: %s", why);
	free(got);
}

static char *term(const char *name)
{
	struct buf b = BUF_INIT;
	urls_term_slug(name, &b);
	return buf_detach(&b, NULL);
}

/* Issue 13.7: names of only punctuation or symbols get slugs of their own. */
static void test_term_slugs(void)
{
	char *a = term("#$%^"), *b = term("😂"), *c = term("section"), *d = term("!!"), *a2 = term("#$%^");
	char *e = term("記憶體"), *f = term("HBM Memory");
	OK(!strncmp(a, "tag-", 4) && strlen(a) == 12 && strspn(a + 4, "0123456789abcdef") == 8,
	   "term: '#$%%^' gets tag- and 8 hex digits (%s)", a);
	OK(strcmp(a, b) && strcmp(a, d) && strcmp(b, d), "term: distinct symbol-only names, distinct slugs (%s %s %s)", a, b, d);
	STR_EQ(c, "section", "term: a tag named section keeps its name");
	OK(strcmp(a, c) && strcmp(b, c), "term: no symbol-only name takes 'section'");
	STR_EQ(a, a2, "term: the same name, the same slug");
	STR_EQ(e, "記憶體", "term: Han characters stay");
	STR_EQ(f, "hbm-memory", "term: Latin words lowercased, joined by '-'");
	free(a), free(b), free(c), free(d), free(a2), free(e), free(f);
}

int main(void)
{
	test_term_slugs();
	enc("/zh/briefs/a b/", URLS_PCT_IRI, "/zh/briefs/a%20b/", "IRI: a space");
	enc("/zh/tags/記憶體/", URLS_PCT_IRI, "/zh/tags/%E8%A8%98%E6%86%B6%E9%AB%94/", "IRI: Han characters, byte by byte");
	enc("/a%20b/?q=1#x", URLS_PCT_IRI, "/a%20b/?q=1#x", "IRI: '%', '?', '#' kept (an encoded url stays as it is)");
	enc("<\"{|}\\^`>", URLS_PCT_IRI, "%3C%22%7B%7C%7D%5C%5E%60%3E", "IRI: what may not appear in a URI");
	enc("/a b/%?#", URLS_PCT_PATH, "/a%20b/%25%3F%23", "path: '%', '?', '#' escaped (the request's bytes are data)");
	enc("/x-._~!$&'()*+,;=:@/", URLS_PCT_PATH, "/x-._~!$&'()*+,;=:@/", "path: unreserved and sub-delims kept");
	enc("é\r\n", URLS_PCT_PATH, "%C3%A9%0D%0A", "path: non-ASCII and line breaks (no header splitting)");
	dec("a%20b", "a b", "a space");
	dec("%E8%A8%98", "記", "UTF-8 bytes");
	dec("%41%4a%4A", "AJJ", "either case of hex digits");
	dec("%00x", "%00x", "%00 kept as written");
	dec("%zz%4", "%zz%4", "malformed escapes kept");
	dec("100%", "100%", "a trailing '%'");
	return harness_done();
}
