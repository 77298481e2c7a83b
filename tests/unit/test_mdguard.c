/* The Markdown limits (mdguard): each count at its limit passes and one
 * more fails with its message at its line; what cmark-gfm cannot see as
 * the shape (a blank line between, no table, no web address) is not
 * counted against it; positions are file lines whatever the line ends. */
#include "harness.h"
#include "buf.h"
#include "diag.h"
#include "mdguard.h"

#include <stdlib.h>
#include "banned.h"

/* The diagnostics of checking text (the body starting at file line 5),
 * one per line; "" when it passes. Caller frees. */
static char *check(const char *text, size_t len)
{
	struct diag_list dl = DIAG_LIST_INIT;
	int r = mdguard_check(text, len, "b.md", 5, &dl);
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < dl.n; i++) {
		char *line = diag_format(&dl.items[i]);
		buf_adds(&out, line);
		buf_addch(&out, '\n');
		free(line);
	}
	if ((r < 0) != (dl.n > 0))
		buf_adds(&out, "(return value and diagnostics disagree)\n");
	diag_release(&dl);
	return buf_detach(&out, NULL);
}

static void expect(struct buf *text, const char *want, const char *name)
{
	char *got = check(text->ptr, text->len);
	STR_EQ(got, want, "%s", name);
	free(got);
	buf_release(text);
}

static void rep(struct buf *b, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		buf_adds(b, s);
}

static void depth(void)
{
	struct buf b = BUF_INIT;
	rep(&b, ">", 100);
	buf_adds(&b, " a\n");
	expect(&b, "", "depth: 100 nested block quotes pass");
	buf_adds(&b, "text\n\n");
	rep(&b, ">", 101);
	buf_adds(&b, " a\n");
	expect(&b, "b.md:7: error: 101 nested block quotes; the limit is 100\n",
	       "depth: 101 nested block quotes fail at their line");
	rep(&b, "- ", 100);
	buf_adds(&b, "x\n");
	expect(&b, "", "depth: 100 list markers on a line pass");
	rep(&b, "> - ", 50);
	buf_adds(&b, "[^n]: x\n");
	expect(&b,
	       "b.md:5: error: 101 nested block quotes, list items and footnotes (each '>', list marker, "
	       "'[^note]:' and two columns of indentation before one is one); the limit is 100\n",
	       "depth: quotes, list items and a footnote definition count alike");
	for (int x = 0; x <= 100; x++) {
		rep(&b, "  ", x);
		buf_adds(&b, "- a\n");
	}
	expect(&b,
	       "b.md:105: error: 101 nested block quotes, list items and footnotes (each '>', list marker, "
	       "'[^note]:' and two columns of indentation before one is one); the limit is 100\n",
	       "depth: a list nested by indentation, two columns a level");
	rep(&b, "\t", 50);
	buf_adds(&b, "- a\n");
	char *got = check(b.ptr, b.len);
	OK(strstr(got, "error: 101 nested") != NULL, "depth: a tab is four columns");
	free(got);
	buf_release(&b);
	rep(&b, " ", 300);
	buf_adds(&b, "code, indented 300 columns\n");
	rep(&b, "-", 300);
	buf_adds(&b, "\n");
	rep(&b, "*", 300);
	buf_adds(&b, "\n");
	expect(&b, "", "depth: indentation without a marker, and rules, open nothing");
}

static void block_counts(void)
{
	struct buf b = BUF_INIT;
	rep(&b, "![[]()", 2500);
	expect(&b, "", "brackets: 5000 '[' in one block pass");
	rep(&b, "![[]()", 2500);
	buf_adds(&b, "\n[");
	expect(&b,
	       "b.md:5: error: 5001 '[' in one block (lines 5-6, no blank line between); the limit is 5000\n",
	       "brackets: 5001 fail, at the block's first line");
	rep(&b, "[a ", 3000);
	buf_adds(&b, "\n \t\n");
	rep(&b, "[a ", 3000);
	expect(&b, "", "brackets: a line of blanks separates blocks");
	rep(&b, "[a ", 3000);
	buf_adds(&b, "\r\r");
	rep(&b, "[a ", 3000);
	expect(&b, "", "brackets: so does an empty line ended by CR alone");

	rep(&b, "*t ", 1250);
	rep(&b, "_t**_ ", 1250);
	expect(&b, "", "emphasis: 5000 runs of '*' and '_' pass ('**' is one run)");
	rep(&b, "*t ", 1250);
	rep(&b, "_t**_ ", 1250);
	buf_adds(&b, "_");
	expect(&b,
	       "b.md:5: error: 5001 runs of '*' and '_' in one block (lines 5-5, no blank line between); "
	       "the limit is 5000\n",
	       "emphasis: 5001 runs fail");
	buf_adds(&b, "~e");
	rep(&b, ",z~~", 2000);
	expect(&b,
	       "b.md:5: error: 2001 runs of '~' in one block (lines 5-5, no blank line between); the limit "
	       "is 2000\n",
	       "strikethrough: 2001 runs of '~' fail");
	buf_adds(&b, "-1");
	rep(&b, "<?x", 100);
	rep(&b, "<![CDATA[", 100);
	expect(&b, "", "html: 200 '<?' and '<![' pass");
	buf_adds(&b, "-1");
	rep(&b, "<?x", 100);
	rep(&b, "<![CDATA[", 101);
	expect(&b,
	       "b.md:5: error: 201 '<?' and '<![' in one block (lines 5-5, no blank line between); the limit "
	       "is 200\n",
	       "html: 201 fail");
	rep(&b, "<a href=\"x\">", 1000);
	expect(&b, "", "html: tags and comments are not counted");
}

static void tables(void)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "Text before the table.\n| a | b |\n| - | - |\n| 1 | 2 |\n");
	expect(&b, "", "tables: a table after a paragraph passes");
	/* CVE-2023-22483: each delimiter-like line reads the paragraph again */
	rep(&b, "|-\nt>|-\n", 1200);
	char *got = check(b.ptr, b.len);
	OK(strstr(got, "make the parser read") != NULL,
	   "tables: 1 200 delimiter-like lines in a paragraph fail");
	free(got);
	buf_release(&b);
	/* ... and each cell looks back to the last '|' (none here) */
	buf_adds(&b, ":-\n");
	rep(&b, ":\n", 3000);
	buf_adds(&b, ":-\n");
	got = check(b.ptr, b.len);
	OK(strstr(got, "b.md:3006: error: lines like a table's delimiter row (|---|) make the parser read") !=
	           NULL,
	   "tables: a delimiter row after 3 000 lines without '|' fails at its line");
	free(got);
	buf_release(&b);
	buf_adds(&b, ":-\n");
	rep(&b, ":\n", 3000);
	buf_adds(&b, "\n:-\n");
	expect(&b, "", "tables: a blank line before it passes");

	buf_adds(&b, "|");
	rep(&b, "x|", 9);
	buf_adds(&b, "\n|");
	rep(&b, "-|", 9);
	buf_adds(&b, "\n");
	struct buf rows = BUF_INIT;
	buf_add(&rows, b.ptr, b.len);
	rep(&b, "a\n", 18181);
	expect(&b, "", "tables: 11 columns and 18 181 rows pass (199 991 cells)");
	buf_add(&b, rows.ptr, rows.len);
	rep(&b, "a\n", 18182);
	expect(&b,
	       "b.md:5: error: tables of up to 200002 cells (columns times rows, to the next blank line) "
	       "up to line 18188; the limit is 200000 in all\n",
	       "tables: 18 182 rows fail");
	buf_release(&rows);

	buf_adds(&b, "| a |\n|---|\n");
	rep(&b, "|", 500);
	buf_adds(&b, "\n");
	expect(&b, "", "tables: a row of 500 '|' passes");
	buf_adds(&b, "| a |\n|---|\n");
	rep(&b, "|", 501);
	buf_adds(&b, "\n");
	expect(&b, "b.md:7: error: a table row of 501 '|'; the limit is 500\n",
	       "tables: a row of 501 '|' fails");
	rep(&b, "|", 501);
	buf_adds(&b, "\n");
	expect(&b, "", "tables: 501 '|' on a line of a block that cannot be a table pass");
}

static void links(void)
{
	struct buf b = BUF_INIT;
	rep(&b, "z_www.", 100);
	buf_adds(&b, "\n");
	rep(&b, "<http://s", 100);
	expect(&b, "", "web addresses: 100 in a run of text without spaces pass");
	buf_adds(&b, "x\n");
	rep(&b, "z_www.", 50);
	rep(&b, "<http://s", 51);
	expect(&b,
	       "b.md:6: error: 101 web addresses ('www.' or '://') in one run of text without spaces; "
	       "the limit is 100\n",
	       "web addresses: 101 fail");
	rep(&b, "z_www. ", 1000);
	expect(&b, "", "web addresses: runs of text end at a space");
	buf_adds(&b, "www.a");
	rep(&b, ")", 1000);
	buf_adds(&b, "\nhttp://a");
	rep(&b, ")", 1001);
	buf_adds(&b, "\n");
	rep(&b, ")", 5000);
	expect(&b,
	       "b.md:6: error: 1001 ')' in one run of text without spaces that holds a web address; "
	       "the limit is 1000\n",
	       "web addresses: 1 001 ')' after one fail, without one they do not count");
}

static void refs(void)
{
	/* CVE-2023-22483: a title may span the paragraph (here past an escaped
	 * quote), and every ']' may be a use */
	struct buf def = BUF_INIT, b = BUF_INIT;
	buf_adds(&def, "[f]: /u \"\\\"");
	rep(&def, "a", 9990);
	buf_adds(&def, "\"\n"); /* from ']' to the closing '"': 10 000 bytes */
	buf_add(&b, def.ptr, def.len);
	rep(&b, "[f]\n", 799); /* 800 ']' */
	expect(&b, "", "references: 800 uses of a 10 000-byte definition pass");
	buf_add(&b, def.ptr, def.len);
	rep(&b, "[f]\n", 800);
	expect(&b,
	       "b.md:5: error: 801 possible uses of a link reference could each copy this 10000-byte "
	       "definition "
	       "(8010000 bytes); the limit is 8000000 bytes\n",
	       "references: 801 fail");
	buf_adds(&b, "[f]: /u \"");
	rep(&b, "a", 9986);
	buf_adds(&b, "\n\n\"\n");
	rep(&b, "[f]\n", 5000);
	expect(&b, "", "references: a title ends at a blank line");
	buf_release(&def);
}

static void positions(void)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "a\r\nb\rc\n\r\n");
	rep(&b, ">", 101);
	expect(&b, "b.md:9: error: 101 nested block quotes; the limit is 100\n",
	       "positions: CR LF and CR alone end lines, as cmark counts them");
}

int main(void)
{
	depth();
	block_counts();
	tables();
	links();
	refs();
	positions();
	return harness_done();
}
