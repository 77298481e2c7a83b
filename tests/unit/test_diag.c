/* diag: the one error type. Formatting with and without line and column,
 * counts per level, order kept, diag_move, and that a position's file name
 * is copied (callers pass temporaries). */
#include "harness.h"
#include "diag.h"

#include <stdlib.h>

static char *fmt_at(const struct diag_list *dl, size_t i)
{
	return i < dl->n ? diag_format(&dl->items[i]) : NULL;
}

static void expect(const struct diag_list *dl, size_t i, const char *want, const char *name)
{
	char *s = fmt_at(dl, i);
	STR_EQ(s, want, "%s", name);
	free(s);
}

static void test_format(void)
{
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(diag_error(&dl, (struct srcpos){ "content/briefs/x/zh.md", 12, 5 }, "unknown name '%s'", "bil"),
	       -1, "error: returns -1");
	diag_warning(&dl, (struct srcpos){ "content/site.lua", 3, 0 }, "no column");
	diag_note(&dl, (struct srcpos){ "templates", 0, 7 }, "a column without a line is not shown");
	diag_error(&dl, (struct srcpos){ NULL, 4, 2 }, "no file");
	diag_add(&dl, DIAG_WARNING, (struct srcpos){ "a.md", 1, 1 }, "100% literal, not a format");
	expect(&dl, 0, "content/briefs/x/zh.md:12:5: error: unknown name 'bil'", "format: file:line:col");
	expect(&dl, 1, "content/site.lua:3: warning: no column", "format: file:line");
	expect(&dl, 2, "templates: note: a column without a line is not shown", "format: file only");
	expect(&dl, 3, "briefgen: error: no file", "format: no file names the program");
	expect(&dl, 4, "a.md:1:1: warning: 100% literal, not a format", "format: diag_add takes the message as is");
	INT_EQ((long long)dl.n, 5, "count: five diagnostics");
	INT_EQ((long long)dl.errors, 2, "count: errors");
	INT_EQ((long long)dl.warnings, 2, "count: warnings (notes are neither)");

	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	diag_print(&dl, f, 0);
	fclose(f);
	STR_EQ(mem,
	       "content/briefs/x/zh.md:12:5: error: unknown name 'bil'\n"
	       "content/site.lua:3: warning: no column\n"
	       "templates: note: a column without a line is not shown\n"
	       "briefgen: error: no file\n"
	       "a.md:1:1: warning: 100% literal, not a format\n",
	       "print: one line each, in the order added");
	free(mem);
	f = open_memstream(&mem, &len);
	diag_print(&dl, f, 1);
	fclose(f);
	OK(strstr(mem, "content/site.lua:3: \033[1;35mwarning:\033[0m no column\n") != NULL,
	   "print: colour only around the level");
	free(mem);
	diag_release(&dl);
	OK(dl.n == 0 && dl.items == NULL && dl.errors == 0 && dl.warnings == 0, "release: the list is empty again");
}

static void test_owned_copies(void)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char file[32], msg[32];
	strcpy(file, "temp.md");
	strcpy(msg, "first");
	diag_add(&dl, DIAG_ERROR, (struct srcpos){ file, 2, 3 }, msg);
	strcpy(file, "XXXXXXX");
	strcpy(msg, "XXXXX");
	expect(&dl, 0, "temp.md:2:3: error: first", "copies: file name and message are the list's own");
	/* growth keeps every item */
	for (int i = 0; i < 100; i++)
		diag_error(&dl, (struct srcpos){ "f.md", i + 1, 1 }, "e%d", i);
	expect(&dl, 100, "f.md:100:1: error: e99", "growth: the 101st diagnostic");
	expect(&dl, 1, "f.md:1:1: error: e0", "growth: the first kept in place");
	char big[2000];
	memset(big, 'm', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	diag_error(&dl, (struct srcpos){ "f.md", 1, 1 }, "%s", big);
	OK(strlen(dl.items[dl.n - 1].msg) == sizeof big - 1, "format: a long message is kept whole");
	diag_release(&dl);
}

static void test_move(void)
{
	struct diag_list a = DIAG_LIST_INIT, b = DIAG_LIST_INIT;
	diag_error(&a, (struct srcpos){ "a.md", 1, 1 }, "a1");
	diag_warning(&b, (struct srcpos){ "b.md", 2, 0 }, "b1");
	diag_note(&b, (struct srcpos){ "b.md", 3, 0 }, "b2");
	diag_error(&b, (struct srcpos){ "b.md", 4, 4 }, "b3");
	diag_move(&a, &b);
	INT_EQ((long long)a.n, 4, "move: all of src appended");
	expect(&a, 0, "a.md:1:1: error: a1", "move: dst keeps its own first");
	expect(&a, 1, "b.md:2: warning: b1", "move: src's in their order (1)");
	expect(&a, 2, "b.md:3: note: b2", "move: src's in their order (2)");
	expect(&a, 3, "b.md:4:4: error: b3", "move: src's in their order (3)");
	INT_EQ((long long)a.errors, 2, "move: error count adds up");
	INT_EQ((long long)a.warnings, 1, "move: warning count adds up");
	OK(b.n == 0 && b.errors == 0 && b.warnings == 0 && b.items == NULL, "move: src is left empty");
	diag_move(&a, &b);
	INT_EQ((long long)a.n, 4, "move: an empty src adds nothing");
	diag_release(&a);
	diag_release(&b);
}

int main(void)
{
	test_format();
	test_owned_copies();
	test_move();
	return harness_done();
}
