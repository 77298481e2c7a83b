/* diag: what a diagnostic prints is one line of visible text whatever the
 * content put in it (slugs, titles, folder names, link text): C0 controls,
 * DEL, C1 controls and invalid UTF-8 bytes become visible escapes; valid
 * UTF-8 text (CJK included) is kept as it is. */
#include "harness.h"
#include "diag.h"
#include "buf.h"

#include <stdlib.h>

static void expect(const char *file, const char *msg, const char *want, const char *name)
{
	struct diag_list dl = DIAG_LIST_INIT;
	diag_error(&dl, (struct srcpos){ file, 3, 5 }, "%s", msg);
	char *got = diag_format(&dl.items[0]);
	STR_EQ(got, want, "diag_format: %s", name);
	free(got);
	/* diag_print writes the same line, and only one */
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	diag_print(&dl, f, 0);
	fclose(f);
	size_t wl = strlen(want);
	OK(len == wl + 1 && !memcmp(mem, want, wl) && mem[wl] == '\n', "diag_print: %s", name);
	free(mem);
	mem = NULL;
	f = open_memstream(&mem, &len);
	diag_print(&dl, f, 1);
	fclose(f);
	size_t esc = 0;
	for (size_t i = 0; i < len; i++)
		esc += mem[i] == '\033';
	INT_EQ((long long)esc, 2, "diag_print in colour: only its own two escapes: %s", name);
	free(mem);
	diag_release(&dl);
}

int main(void)
{
	expect("a.md", "title 'x\033[2Jy'", "a.md:3:5: error: title 'x\\x1B[2Jy'", "ESC (clear screen)");
	expect("a.md", "a\nb.md:1:1: error: forged", "a.md:3:5: error: a\\nb.md:1:1: error: forged",
	       "newline (a forged second line)");
	expect("a.md", "cr\rtab\tbell\a", "a.md:3:5: error: cr\\rtab\\tbell\\x07", "CR, tab, BEL");
	expect("a.md", "del\x7f", "a.md:3:5: error: del\\x7F", "DEL");
	expect("a.md", "c1 \xc2\x9b" "2J", "a.md:3:5: error: c1 \\u009B2J", "C1 CSI (U+009B)");
	expect("a.md", "nel \xc2\x85", "a.md:3:5: error: nel \\u0085", "C1 NEL");
	expect("a.md", "bad \xff\xfe end", "a.md:3:5: error: bad \\xFF\\xFE end", "invalid bytes");
	expect("a.md", "cut \xe4\xb8", "a.md:3:5: error: cut \\xE4\\xB8", "truncated sequence");
	expect("a.md", "overlong \xc0\xaf", "a.md:3:5: error: overlong \\xC0\\xAF", "overlong");
	expect("a.md", "surrogate \xed\xa0\x80", "a.md:3:5: error: surrogate \\xED\\xA0\\x80", "surrogate");
	expect("a.md", "中文 ü é \xf0\x9f\x98\x80 \xc2\xa0", "a.md:3:5: error: 中文 ü é \xf0\x9f\x98\x80 \xc2\xa0",
	       "valid UTF-8 kept (CJK, Latin, emoji, U+00A0)");
	expect("content/briefs/2024-12-13-a\033]0;owned\a/en.md", "x",
	       "content/briefs/2024-12-13-a\\x1B]0;owned\\x07/en.md:3:5: error: x", "file name escaped too");
	expect("a.md", "back\\slash kept", "a.md:3:5: error: back\\slash kept", "backslash kept");

	struct buf b = BUF_INIT;
	diag_escape(&b, "x\ty\xff");
	STR_EQ(b.ptr, "x\\ty\\xFF", "diag_escape for commands that print content themselves");
	buf_release(&b);
	return harness_done();
}
