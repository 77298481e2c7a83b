/* buf: the invariants (ptr never NULL, always NUL-terminated, the shared
 * empty string never written), growth, detach, and HTML escaping. */
#include "harness.h"
#include "buf.h"

#include <stdlib.h>

/* ptr[len] is NUL and, once grown, len < cap; an empty buffer points at
 * the shared empty string. */
static int sound(const struct buf *b)
{
	if (!b->ptr || b->ptr[b->len] != '\0')
		return 0;
	if (b->cap == 0)
		return b->ptr == buf_empty && b->len == 0;
	return b->len < b->cap;
}

static void test_empty(void)
{
	struct buf b = BUF_INIT;
	OK(b.ptr == buf_empty && b.len == 0 && b.cap == 0, "init: BUF_INIT is the shared empty string");
	buf_add(&b, "x", 0);
	buf_adds(&b, "");
	buf_addf(&b, "%s", "");
	buf_truncate(&b, 0);
	OK(b.ptr == buf_empty && b.cap == 0, "empty: adding nothing allocates nothing");
	OK(buf_empty[0] == '\0', "empty: the shared empty string is still empty");
	buf_release(&b);
	OK(b.ptr == buf_empty && b.len == 0 && b.cap == 0, "release: an empty buffer stays initialised");
	struct buf c;
	c.ptr = NULL, c.len = 5, c.cap = 7;
	buf_init(&c);
	OK(c.ptr == buf_empty && c.len == 0 && c.cap == 0, "init: buf_init equals BUF_INIT");
}

static void test_growth(void)
{
	struct buf b = BUF_INIT;
	int ok = 1, pow2 = 1;
	for (int i = 0; i < 10000; i++) {
		buf_addch(&b, (char)('a' + i % 26));
		if (!sound(&b) || b.len != (size_t)i + 1)
			ok = 0;
		if (b.cap & (b.cap - 1))
			pow2 = 0;
	}
	OK(ok, "growth: invariants hold after each of 10000 appends");
	OK(pow2 && b.cap >= 64, "growth: capacity doubles from 64");
	int same = 1;
	for (int i = 0; i < 10000; i++)
		if (b.ptr[i] != (char)('a' + i % 26))
			same = 0;
	OK(same, "growth: every byte kept across reallocations");
	buf_release(&b);
	OK(sound(&b) && b.cap == 0, "release: back to the empty string");

	buf_grow(&b, 100);
	OK(b.cap >= 101 && b.len == 0 && b.ptr[0] == '\0' && b.ptr != buf_empty,
	   "grow: room for 100 bytes and the NUL, still empty");
	size_t cap = b.cap;
	char *ptr = b.ptr;
	buf_grow(&b, 100);
	OK(b.cap == cap && b.ptr == ptr, "grow: no reallocation while there is room");
	buf_release(&b);

	/* binary data: NUL bytes count and are kept */
	buf_add(&b, "a\0b", 3);
	OK(b.len == 3 && !memcmp(b.ptr, "a\0b", 4), "add: embedded NUL bytes are data");
	buf_release(&b);
}

static void test_addf_truncate(void)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "n=");
	buf_addf(&b, "%d, %s", 42, "x");
	STR_EQ(b.ptr, "n=42, x", "addf: appends after what is there");
	char big[300];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_addf(&b, "[%s]", big);
	OK(b.len == 7 + 301 && sound(&b) && b.ptr[b.len - 1] == ']' && b.ptr[8] == 'z',
	   "addf: output longer than the capacity grows the buffer");
	buf_truncate(&b, 4);
	STR_EQ(b.ptr, "n=42", "truncate: cuts and terminates");
	buf_truncate(&b, 100);
	OK(b.len == 4 && sound(&b), "truncate: a longer length changes nothing");
	buf_release(&b);
}

static void test_detach(void)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "owned");
	char *p = b.ptr;
	size_t len = 0;
	char *s = buf_detach(&b, &len);
	OK(s == p && len == 5 && !strcmp(s, "owned"), "detach: hands over the bytes and their length");
	OK(b.ptr == buf_empty && b.len == 0 && b.cap == 0, "detach: the buffer is left empty");
	buf_adds(&b, "again");
	OK(b.ptr != s && !strcmp(s, "owned"), "detach: the buffer no longer writes the detached bytes");
	free(s);
	buf_release(&b);
	s = buf_detach(&b, &len);
	OK(s != buf_empty && len == 0 && s[0] == '\0', "detach: an empty buffer gives a fresh \"\"");
	free(s); /* must be the caller's to free: ASan checks this */
	s = buf_detach(&b, NULL);
	OK(s && !*s, "detach: the length is optional");
	free(s);
}

static void html(const char *in, size_t n, const char *want, const char *name)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "<");
	buf_add_html(&b, in, n);
	OK(sound(&b), "html %s: invariants hold", name);
	STR_EQ(b.ptr + 1, want, "html %s", name);
	buf_release(&b);
}

static void test_html(void)
{
	html("", 0, "", "nothing");
	html("plain text", 10, "plain text", "no special characters");
	html("&<>\"'", 5, "&amp;&lt;&gt;&quot;&#39;", "all five");
	html("<a href=\"x\">Tom & Jerry's</a>", 29,
	     "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;", "a tag");
	html("a<b", 2, "a&lt;", "only the first n bytes");
	html("中文&日本語", strlen("中文&日本語"), "中文&amp;日本語", "UTF-8 untouched");
	html("&amp;", 5, "&amp;amp;", "an entity is escaped again");
}

int main(void)
{
	test_empty();
	test_growth();
	test_addf_truncate();
	test_detach();
	test_html();
	return harness_done();
}
