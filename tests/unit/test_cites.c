/* cites: which lines of a brief are citations of another brief's value
 * (cites_scan, before any Markdown is parsed), and the order cites_plan
 * gives a chain of briefs. */
#include "harness.h"
#include "cites.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A brief of one page (language 0) whose body is text, its first line 5. */
static struct brief *brief_of(const char *slug, const char *text)
{
	struct brief *b = xcalloc(1, sizeof *b);
	b->slug = xstrdup(slug);
	b->pages = xcalloc(1, sizeof *b->pages);
	struct page *p = xcalloc(1, sizeof *p);
	p->file = xstrdup(slug);
	p->body = text;
	p->body_len = strlen(text);
	p->body_line = 5;
	p->brief = b;
	b->pages[0] = p;
	return b;
}

static void brief_drop(struct brief *b)
{
	cites_clear(b);
	free(b->pages[0]->file);
	free(b->pages[0]);
	free(b->pages);
	free(b->slug);
	free(b);
}

static void test_scan(void)
{
	struct brief *b = brief_of("x",
		"Text with an address a@b.c and `x = @a.b` in code.\n"
		"```calc\n"
		"freed = @cpu-consolidation.power_freed -- 騰出 | freed\n"
		"  gpus=@v1.2-brief.gpus_per_server\r\n" /* a Windows line end */
		"twice = @cpu-consolidation.power_freed\r\n"
		"sum = @a.b + 1\n"
		"plain = 3 * W -- mail me@example.org\n"
		"```\n"
		"```python\n"
		"y = @not.this\n"
		"```\n"
		"~~~ calc\n"
		"z = @tilde.fence\n"
		"~~~\n");
	INT_EQ((long long)cites_scan(b, 1), 3, "scan: three distinct citations, each once");
	STR_EQ(b->cites[0].slug, "cpu-consolidation", "scan: the slug");
	STR_EQ(b->cites[0].name, "power_freed", "scan: the value's name");
	INT_EQ(b->cites[0].line, 7, "scan: its line in the file");
	INT_EQ(b->cites[0].col, 9, "scan: its column, at the '@'");
	STR_EQ(b->cites[1].slug, "v1.2-brief", "scan: a slug with dots ends at the last '.'");
	STR_EQ(b->cites[1].name, "gpus_per_server", "scan: ... before the name");
	STR_EQ(b->cites[2].slug, "tilde", "scan: a ~~~ calc fence counts; a python fence and prose do not");
	brief_drop(b);
}

static void test_plan(void)
{
	/* newest first, as content orders them: gamma cites beta, beta cites alpha */
	struct brief *v[3] = {
		brief_of("gamma", "```calc\ng = @beta.b\n```\n"),
		brief_of("beta", "```calc\nb = @alpha.a\n```\n"),
		brief_of("alpha", "```calc\na = 1\n```\n"),
	};
	struct content ct = { v, 3, 1, NULL, 0 };
	struct cites_plan plan = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(cites_plan(&ct, &plan, &dl), 0, "plan: a chain is no error");
	INT_EQ((long long)plan.nlevels, 3, "plan: three levels");
	OK(plan.order[0] == 2 && plan.order[1] == 1 && plan.order[2] == 0, "plan: alpha, then beta, then gamma");
	OK(v[2]->cited && v[1]->cited && !v[0]->cited, "plan: the cited briefs are marked");
	cites_plan_release(&plan);
	diag_release(&dl);

	/* alpha now cites gamma: a cycle, named once, at the citation that closes it */
	brief_drop(v[2]);
	v[2] = brief_of("alpha", "```calc\na = @gamma.g\n```\n");
	dl = (struct diag_list)DIAG_LIST_INIT;
	INT_EQ(cites_plan(&ct, &plan, &dl), -1, "cycle: an error");
	INT_EQ((long long)dl.errors, 1, "cycle: one error");
	OK(dl.n && strstr(dl.items[0].msg, "briefs cite each other in a cycle: ") &&
	   strstr(dl.items[0].msg, "-> gamma"), "cycle: the message names the briefs on it");
	cites_plan_release(&plan);
	diag_release(&dl);
	for (int i = 0; i < 3; i++)
		brief_drop(v[i]);
}

int main(void)
{
	test_scan();
	test_plan();
	return harness_done();
}
