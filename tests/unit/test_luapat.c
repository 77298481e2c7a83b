/* luapat: the worst-case cost of Lua patterns, as the degree in the
 * subject's length and the doubling of '?' items, for the shapes Lua's
 * matcher treats differently (anchors, trailing repetitions, captures,
 * %b, %f, back-references, sets, gmatch's literal '^', malformed
 * patterns); and which patterns find searches as plain text. */
#include "harness.h"
#include "luapat.h"

#include <math.h>
#include <string.h>

/* cost must be 2^q (m + 2) (n + 1)^d + 2 (n + 1) (luapat.c). */
static void degree(const char *p, size_t lp, int anchorable, int d, int q)
{
	const size_t n = 1000;
	double want = pow(2, q) * ((double)lp + 2) * pow(n + 1.0, d) + 2 * (n + 1.0);
	double got = luapat_cost(p, lp, n, anchorable);
	OK(got == want, "'%.*s'%s: degree %d, %d doubling(s) (got %g, want %g)", (int)lp, p,
	   anchorable ? "" : " in gmatch", d, q, got, want);
}
#define DEG(p, d, q) degree(p, sizeof p - 1, 1, d, q)
#define DEG_GMATCH(p, d, q) degree(p, sizeof p - 1, 0, d, q)

static void test_linear(void)
{
	DEG("", 1, 0);
	DEG("abc", 1, 0);
	DEG("^abc", 0, 0);
	DEG("[%c\"\\<>&]", 1, 0);         /* the shipped theme's JSON escape */
	DEG("^%a[%w+.-]*:", 1, 0);        /* the shipped theme's URL scheme test */
	DEG("%s+", 1, 0);                 /* a trailing repetition is never retried */
	DEG("%s*", 1, 0);
	DEG("%s-", 1, 0);
	DEG("(%d+)", 1, 0);               /* ... inside a capture */
	DEG("%d+()", 1, 0);               /* ... before a position capture */
	DEG("x%d+y?", 1, 1);              /* ... before a '?' */
	DEG("%f[%w]%w+", 1, 0);           /* a frontier is one test */
	DEG("[]]*", 1, 0);                /* ']' first in a set is a member */
	DEG("[^]]*", 1, 0);
	DEG("a$b", 1, 0);                 /* '$' inside is a character */
	DEG("^(%d%d%d%d)-(%d%d)-(%d%d)", 0, 0);
	DEG("^a*b", 1, 0);                /* anchored: one retried repetition is linear */
	DEG("^%s*$", 1, 0);
}

static void test_worse(void)
{
	DEG("a*b", 2, 0);                 /* retried at every start */
	DEG("(%d+)px", 2, 0);
	DEG("%s+$", 2, 0);                /* the end anchor can fail */
	DEG("a-b", 2, 0);
	DEG("a+b", 2, 0);
	DEG("^(%d+)-(%d+)$", 2, 0);
	DEG("a*b*", 2, 0);                /* a repetition after another counts it */
	DEG("[%]]*x", 2, 0);              /* an escaped ']' does not end the set */
	DEG("https?://", 1, 1);           /* '?' doubles */
	DEG("a?a?a?aaa", 1, 3);
	DEG("%b()", 2, 0);                /* a scan at every start */
	DEG("^%b()", 1, 0);
	DEG("(a)%1", 2, 0);               /* a back-reference scans the capture */
	DEG(".-.-.-.-x", 5, 0);
	char p[81];
	for (int i = 0; i < 40; i++)
		memcpy(p + 2 * i, "a*", 2);
	p[80] = 'b';
	degree(p, 81, 1, 41, 0);
	OK(luapat_cost(p, 81, 40, 1) > 1e60, "40 repetitions on 40 bytes: more than 1e60 steps");
	DEG_GMATCH("^a*b", 2, 0);         /* gmatch: '^' is a character, not an anchor */
	DEG_GMATCH("%s+", 1, 0);
}

static void test_malformed(void)
{
	/* costed up to where Lua stops: the first path to get there ends the call */
	DEG("a*b%", 2, 0);
	DEG("a*[b", 1, 0);
	DEG("a*%b(", 1, 0);
	DEG("a*%f", 1, 0);
	DEG("a*%fx", 1, 0);
	DEG("x?%", 1, 1);
}

static void test_plain(void)
{
	OK(luapat_plain("abc", 3), "plain: letters");
	OK(luapat_plain("", 0), "plain: the empty pattern");
	OK(luapat_plain("a\0b", 3), "plain: a NUL is a character");
	OK(luapat_plain("<table>", 7), "plain: markup");
	static const char *const special[] = { "^a", "a$", "a*", "a+", "a?", "a.b", "(a)", "[a]", "%a", "a-b" };
	for (size_t i = 0; i < sizeof special / sizeof *special; i++)
		OK(!luapat_plain(special[i], strlen(special[i])), "not plain: '%s'", special[i]);
	OK(!luapat_plain("a\0%", 3), "not plain: a special after a NUL");
}

int main(void)
{
	test_linear();
	test_worse();
	test_malformed();
	test_plain();
	return harness_done();
}
