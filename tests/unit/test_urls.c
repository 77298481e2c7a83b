/* urls: percent-encoding, both ways, in the one place that does it. */
#include "harness.h"
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

int main(void)
{
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
