/* luapat — the worst case of Lua's pattern matcher, from a pattern's shape.
 *
 * How Lua 5.4 matches (lstrlib.c do_match): items run left to right; a
 * single-character item, %f, %b and a back-reference continue in one way;
 * a repetition (* + -) tries the rest of the pattern after each of up to
 * n + 1 lengths, and '?' after two. So one attempt follows at most
 * 2^q (n + 1)^r paths (q '?' items, r repetitions), each doing O(m) fixed
 * work for a pattern of m bytes, plus a scan of up to n bytes where it meets
 * %b or a back-reference. An unanchored find, match, gsub or gmatch makes
 * an attempt at each of n + 1 places. Hence
 *
 *     steps <= 2^q * (m + 2) * (n + 1)^d + 2 (n + 1),
 *     d = r + (unanchored) + (any %b or back-reference).
 *
 * One refinement keeps the everyday patterns linear: a repetition followed
 * by nothing that can fail (only captures' ends, position captures, '?'
 * items, or the end) is not retried: its first choice succeeds. Its scan, up to n bytes, ends the attempt with a match,
 * and gsub and gmatch go on after the match, so all such scans together
 * read each byte at most once: the 2 (n + 1) term. So `%s+`, `^%a[%w+.-]*:`,
 * `[%c"<>&]` cost (m + 2) (n + 1), while `(%d+)px` (unanchored, a
 * repetition then more) is quadratic and `a*a*a*b` quartic.
 *
 * gsub and gmatch may try one place twice (again after an empty match
 * there), so for them the bound holds within a factor of 2, well inside
 * what a step's time varies anyway. */
#include "luapat.h"

#include <math.h>
#include <string.h>

#include "banned.h"

/* The end of the single-character class at p (lstrlib.c classEnd), or NULL
 * where Lua stops with "malformed pattern". */
static const char *class_end(const char *p, const char *end)
{
	if (*p == '%')
		return p + 1 < end ? p + 2 : NULL;
	if (*p != '[')
		return p + 1;
	p++;
	if (p < end && *p == '^')
		p++;
	do { /* the first character is part of the set, even ']' */
		if (p == end)
			return NULL;
		if (*p++ == '%' && p < end)
			p++;
	} while (p == end || *p != ']');
	return p + 1;
}

double luapat_cost(const char *p, size_t lp, size_t n, int anchorable)
{
	const char *end = p + lp;
	int unanchored = !(anchorable && lp && *p == '^');
	if (!unanchored)
		p++;
	double reps = 0, maybes = 0;
	int scans = 0;   /* %b or a back-reference seen */
	int pending = 0; /* a repetition with nothing that can fail after it yet */
	while (p < end) {
		int can_fail = 1;
		if (*p == '(' || *p == ')') { /* captures: always go on */
			p++;
			continue;
		}
		if (*p == '$' && p + 1 == end) {
			p++;
		} else if (*p == '%' && p + 1 < end && p[1] == 'b') {
			if (end - p < 4)
				break; /* missing arguments to '%b' */
			p += 4;
			scans = 1;
		} else if (*p == '%' && p + 1 < end && p[1] == 'f') {
			p += 2;
			if (p == end || *p != '[' || !(p = class_end(p, end)))
				break;
		} else if (*p == '%' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
			p += 2;
			scans = 1;
		} else {
			const char *ep = class_end(p, end);
			if (!ep)
				break;
			if (ep < end && (*ep == '*' || *ep == '+' || *ep == '-')) {
				reps += pending; /* the one before is retried now */
				pending = 1;
				p = ep + 1;
				continue;
			}
			if (ep < end && *ep == '?') {
				maybes++;
				can_fail = 0;
				ep++;
			}
			p = ep;
		}
		if (can_fail) {
			reps += pending;
			pending = 0;
		}
	}
	/* A malformed rest (p < end) costs nothing more: the first path that
	 * reaches it ends the call with Lua's error. */
	double d = reps + unanchored + scans;
	return pow(2, maybes) * ((double)lp + 2) * pow((double)n + 1, d) + 2 * ((double)n + 1);
}

int luapat_plain(const char *p, size_t lp)
{
	static const char specials[] = "^$*+?.([%-";
	for (size_t i = 0; i < lp; i++)
		if (memchr(specials, p[i], sizeof specials - 1))
			return 0;
	return 1;
}
