/* utf8: validation (RFC 3629: no overlongs, no surrogates, nothing past
 * U+10FFFF, no cut sequences) and decoding of 1- to 4-byte characters. */
#include "harness.h"
#include "utf8.h"

#define BAD(s, at, name) INT_EQ((long long)utf8_invalid_at(s, sizeof s - 1), at, "invalid: %s", name)
#define GOOD(s, name) INT_EQ((long long)utf8_invalid_at(s, sizeof s - 1), -1, "valid: %s", name)

static void test_valid(void)
{
	GOOD("", "empty");
	GOOD("plain ASCII\n\t", "ASCII");
	GOOD("\0", "a NUL byte is ASCII");
	GOOD("café", "2-byte é");
	GOOD("中文。", "3-byte CJK and punctuation");
	GOOD("𠮷", "4-byte extension B");
	GOOD("\xC2\x80", "U+0080, the smallest 2-byte");
	GOOD("\xE0\xA0\x80", "U+0800, the smallest 3-byte");
	GOOD("\xED\x9F\xBF", "U+D7FF, just below the surrogates");
	GOOD("\xEE\x80\x80", "U+E000, just above the surrogates");
	GOOD("\xEF\xBF\xBF", "U+FFFF");
	GOOD("\xF0\x90\x80\x80", "U+10000, the smallest 4-byte");
	GOOD("\xF4\x8F\xBF\xBF", "U+10FFFF, the largest");
	GOOD("\xEF\xBB\xBFtitle", "a byte order mark is a valid character");
}

static void test_invalid(void)
{
	BAD("\x80", 0, "a lone continuation byte");
	BAD("ab\xBF", 2, "a continuation byte after ASCII, at its offset");
	BAD("\xC0\xAF", 0, "overlong '/' (2 bytes)");
	BAD("\xC1\xBF", 0, "overlong U+007F");
	BAD("\xE0\x80\xAF", 0, "overlong '/' (3 bytes)");
	BAD("\xE0\x9F\xBF", 0, "overlong U+07FF");
	BAD("\xF0\x8F\xBF\xBF", 0, "overlong U+FFFF (4 bytes)");
	BAD("\xED\xA0\x80", 0, "surrogate U+D800");
	BAD("\xED\xBF\xBF", 0, "surrogate U+DFFF");
	BAD("\xF4\x90\x80\x80", 0, "U+110000, past the last code point");
	BAD("\xF5\x80\x80\x80", 0, "lead byte F5");
	BAD("\xF8\x88\x80\x80\x80", 0, "5-byte form");
	BAD("\xFE", 0, "byte FE");
	BAD("\xFF", 0, "byte FF");
	BAD("中\xE6\x96", 3, "a character cut at the end");
	BAD("x\xE4\xB8" "a", 1, "a character cut by ASCII");
	BAD("\xC3" "é", 0, "a lead byte followed by a lead byte");
	BAD("ok 中文 \xF0\x9F\x98", 10, "offset counts bytes, not characters");
	/* only the first n bytes are looked at */
	INT_EQ((long long)utf8_invalid_at("ab\xFF", 2), -1, "invalid: bytes past n are not read");
	INT_EQ((long long)utf8_invalid_at("中", 2), 0, "invalid: a character longer than n is cut");
}

static void decode(const char *s, unsigned want, size_t want_len, const char *name)
{
	size_t len = 99;
	unsigned cp = utf8_decode(s, strlen(s), &len);
	INT_EQ(cp, want, "decode %s: code point", name);
	INT_EQ((long long)len, (long long)want_len, "decode %s: length", name);
}

static void test_decode(void)
{
	decode("A", 'A', 1, "ASCII");
	decode("é!", 0xE9, 2, "2-byte");
	decode("中文", 0x4E2D, 3, "3-byte, first only");
	decode("𠮷", 0x20BB7, 4, "4-byte");
	decode("\xF4\x8F\xBF\xBF", 0x10FFFF, 4, "the last code point");
	size_t len;
	utf8_decode("中", 2, &len);
	INT_EQ((long long)len, 2, "decode: never reads past n");
	/* walking a string visits every character once */
	const char *s = "a中é𠮷。";
	size_t n = strlen(s), count = 0;
	for (size_t i = 0; i < n; i += len, count++)
		utf8_decode(s + i, n - i, &len);
	INT_EQ((long long)count, 5, "decode: a walk counts 5 characters");
}

int main(void)
{
	test_valid();
	test_invalid();
	test_decode();
	return harness_done();
}
