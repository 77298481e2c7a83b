/* The calc stage from Markdown to HTML without the rest of a build:
 * collect, evaluate (lua/ of this tree), check, put the values into the
 * trees, render. Values and tables are cmark nodes over text, wherever the
 * value stands. Run from the top of the tree (lua/ is found there). */
#include "harness.h"
#include "buf.h"
#include "calc.h"
#include "calccheck.h"
#include "calceval.h"
#include "calcrender.h"
#include "config.h"
#include "content.h"
#include "md.h"

#include <stdlib.h>
#include <string.h>

static const struct calc_words words = {
	"Quantity", "Value", "Basis", "Inputs", "Derived", "source", "assumption", " (at ", ")", ": \"", "\"", "from \"", "\"",
	"cited:", "mention %zu of %zu",
	{ "Data", "published", "; ", ": ", "%s: %s at %s to %s at %s" },
	"What if", "Reset", "A scenario.",
};

struct brief_text {
	const char *zh, *en; /* Markdown bodies; NULL: no such page */
};

struct rendered {
	struct buf html[2], toc[2], first[2];
	int cjk[2], words[2];
	struct diag_list dl;
	int ok;
};

static void rendered_release(struct rendered *r)
{
	for (int i = 0; i < 2; i++) {
		buf_release(&r->html[i]);
		buf_release(&r->toc[i]);
		buf_release(&r->first[i]);
	}
	diag_release(&r->dl);
}

/* Renders one brief with engine e (a fresh one when e is NULL). */
static void render(struct calc_engine *e, struct brief_text t, struct rendered *out)
{
	char zh[] = "zh", en[] = "en";
	struct lang langs[2] = { { .code = zh }, { .code = en } };
	struct config cfg = { .langs = langs, .nlangs = 2 };
	const char *text[2] = { t.zh, t.en };
	char zhf[] = "content/briefs/x/zh.md", enf[] = "content/briefs/x/en.md";
	char *files[2] = { zhf, enf };
	struct page pg[2];
	struct page *pages[2] = { NULL, NULL };
	struct md_doc *docs[2] = { NULL, NULL };
	memset(out, 0, sizeof *out);
	memset(pg, 0, sizeof pg);
	for (int i = 0; i < 2; i++) {
		buf_init(&out->html[i]);
		buf_init(&out->toc[i]);
		buf_init(&out->first[i]);
		if (!text[i])
			continue;
		pages[i] = &pg[i];
		pg[i].file = files[i];
		buf_init(&pg[i].src);
		buf_adds(&pg[i].src, text[i]);
		pg[i].body = pg[i].src.ptr;
		pg[i].body_len = pg[i].src.len;
		pg[i].body_line = 1;
		docs[i] = md_parse(pg[i].body, pg[i].body_len, 1, NULL);
	}
	struct calc_engine *mine = e ? NULL : calc_engine_new("lua");
	struct calc_source src;
	out->ok = calc_collect(&src, docs, pages, 2, &out->dl) == 0;
	if (out->ok && calc_source_any(&src)) {
		struct calc_model *m = calc_eval(e ? e : mine, &src, &cfg, &out->dl);
		out->ok = m != NULL;
		if (m) {
			calccheck_brief(&src, docs, &cfg, &out->dl);
			for (int i = 0; i < 2; i++)
				if (docs[i])
					calcrender_page(docs[i], &src, m, (size_t)i, &words);
		}
		calc_model_free(m);
	}
	calc_source_release(&src);
	for (int i = 0; i < 2; i++) {
		if (!docs[i])
			continue;
		md_first_paragraph(docs[i], &out->first[i]);
		md_count(docs[i], &out->cjk[i], &out->words[i]);
		md_render(docs[i], &out->html[i], &out->toc[i]);
		md_free(docs[i]);
		buf_release(&pg[i].src);
	}
	calc_engine_free(mine);
}

static int has(const struct buf *b, const char *s)
{
	return strstr(b->ptr, s) != NULL;
}

static void test_nodes(void)
{
	struct rendered r;
	render(NULL, (struct brief_text){ NULL,
		"The bill is `= bill`.\n\n"
		"## Cost `= bill` today\n\n## Other\n\n"
		"| what | value |\n|---|---|\n| bill | `= bill` |\n| chips | **`= chips`** |\n\n"
		"![a bill of `= bill`](x.png)\n\n"
		"```calc\nchips = 400000 * chip -- 晶片 | the chips' count\nchip_price = 5000 * USD / chip\n"
		"bill = chips * chip_price\n```\n" }, &r);
	OK(r.ok && r.dl.errors == 0, "nodes: the brief evaluates");
	const struct buf *h = &r.html[1];
	OK(has(h, "<p>The bill is <a class=\"calc-value\" id=\"calc-cite-bill-1\" href=\"#calc-bill\" data-calc=\"bill\" "
		  "data-formula=\"chips * chip_price\" "
		  "data-inputs=\"chips=400,000 chips; chip_price=$5,000 per chip\">$2 billion</a>.</p>"),
	   "nodes: an inline value is a link to its row with its provenance, and a place its row links back to");
	OK(has(h, "<td><a class=\"calc-value\" id=\"calc-cite-bill-3\" href=\"#calc-bill\"") && has(h, "$2 billion</a></td>"),
	   "nodes: a value standing alone in a GFM table cell is rendered");
	OK(has(h, "<td><strong><a class=\"calc-value\" id=\"calc-cite-chips-1\" href=\"#calc-chips\"") &&
	   has(h, ">400,000 chips</a></strong></td>"),
	   "nodes: a value inside emphasis in a table cell is rendered");
	OK(has(h, "alt=\"a bill of $2 billion\""), "nodes: in an image's alt text a value is its text, no markup");
	OK(has(h, "<table class=\"calc-table\">\n<thead><tr><th scope=\"col\">Quantity</th><th scope=\"col\" class=\"num\">"
		  "Value</th><th scope=\"col\">Basis</th></tr></thead>\n<tbody class=\"calc-inputs\">\n"
		  "<tr class=\"calc-group\"><th scope=\"rowgroup\" colspan=\"3\">Inputs</th></tr>\n"
		  "<tr id=\"calc-chips\"><th scope=\"row\">the chips' count <code class=\"calc-name\">chips</code> "
		  "<span class=\"calc-cites\">cited: <a href=\"#calc-cite-chips-1\" aria-label=\"mention 1 of 1\">1</a></span></th>"
		  "<td class=\"num\" data-label=\"Value\"><span class=\"calc-num\">400,000 chips</span></td>"
		  "<td class=\"calc-basis\" data-label=\"Basis\"></td></tr>\n"),
	   "nodes: a calc block is a table with the caller's words: label, value, basis; inputs first");
	OK(has(h, "<tr id=\"calc-chip_price\"><th scope=\"row\"><code class=\"calc-name\">chip_price</code></th>"),
	   "nodes: a value without a label is shown by its name alone");
	OK(has(h, "<tbody class=\"calc-derived\">\n<tr class=\"calc-group\"><th scope=\"rowgroup\" colspan=\"3\">Derived</th></tr>\n"
		  "<tr id=\"calc-bill\"><th scope=\"row\"><code class=\"calc-name\">bill</code> <span class=\"calc-cites\">"
		  "cited: <a href=\"#calc-cite-bill-1\" aria-label=\"mention 1 of 3\">1</a> "
		  "<a href=\"#calc-cite-bill-2\" aria-label=\"mention 2 of 3\">2</a> "
		  "<a href=\"#calc-cite-bill-3\" aria-label=\"mention 3 of 3\">3</a></span></th>"),
	   "nodes: a derived value's row links back to every place citing it, the image's alt text not among them");
	OK(has(&r.toc[1], ">Cost $2 billion today</a>"), "nodes: the TOC shows a heading's value as text");
	STR_EQ(r.first[1].ptr, "The bill is $2 billion.", "nodes: the first paragraph reads the value's text");
	rendered_release(&r);
	render(NULL, (struct brief_text){ "成本是 `= bill`。\n", "The bill is `= bill` today.\n\n```calc\nbill = 2 -- 帳單 | bill\n```\n" }, &r);
	INT_EQ(r.words[1], 4, "nodes: values and calculation tables are not counted as prose (en)");
	INT_EQ(r.cjk[0], 3, "nodes: values are not counted as prose (zh)");
	rendered_release(&r);
	render(NULL, (struct brief_text){ NULL, "| a | b |\n|---|---|\n| x | `= bill` |\n\n```calc\nbill = 2\n```\n" }, &r);
	INT_EQ(r.words[1], 3, "nodes: nor is a value standing alone in a table cell");
	rendered_release(&r);
}

/* The same bytes, diagnostics and all, for a brief rendered by e and by a
 * fresh engine. */
static int same_as_fresh(struct calc_engine *e, struct brief_text t)
{
	struct rendered a, b;
	render(e, t, &a);
	render(NULL, t, &b);
	int same = a.ok == b.ok && a.dl.n == b.dl.n;
	for (int i = 0; i < 2 && same; i++)
		same = !strcmp(a.html[i].ptr, b.html[i].ptr) && !strcmp(a.toc[i].ptr, b.toc[i].ptr);
	for (size_t i = 0; i < a.dl.n && same; i++)
		same = !strcmp(a.dl.items[i].msg, b.dl.items[i].msg) && a.dl.items[i].line == b.dl.items[i].line;
	rendered_release(&a);
	rendered_release(&b);
	return same;
}

/* One error, whose message holds want. */
static void fails_with(struct calc_engine *e, const char *calc, const char *want, const char *what)
{
	struct buf md = BUF_INIT;
	buf_addf(&md, "Text.\n\n```calc\n%s\n```\n", calc);
	struct rendered r;
	render(e, (struct brief_text){ NULL, md.ptr }, &r);
	OK(!r.ok && r.dl.errors == 1 && strstr(r.dl.items[0].msg, want), "reuse: %s fails (%s)", what,
	   r.dl.n ? r.dl.items[0].msg : "no error");
	rendered_release(&r);
	buf_release(&md);
}

/* One engine (one Lua state) serves brief after brief: whatever a brief's
 * formulas do, the next brief sees what a fresh state would show it. */
static void test_reuse(void)
{
	const struct brief_text b = { "帳單 `= bill`，功率 `= power`，比例 `= share | pct`。\n",
		"Bill `= bill`, per chip `= per_chip`, power `= power`, share `= share | pct`.\n\n"
		"```calc\nchips = 400000 * chip -- 晶片數 | chips\nper_chip = 5000 * USD / chip\n"
		"bill = chips * per_chip\npower = 2 * GW\nshare = 70 * percent\n```\n" };
	struct calc_engine *e = calc_engine_new("lua");
	OK(same_as_fresh(e, b), "reuse: the first brief of an engine is as in a fresh one");
	/* Quantities are immutable and unit names reserved: a formula cannot
	 * make a chip worth 7 dollars, in its brief or any other. */
	struct rendered r;
	fails_with(e, "x = (function() chip.v = 7; return 1 end)()", "cannot set field 'v' of chip", "changing a constant");
	fails_with(e, "x = (function() chip.u = 'USD'; return 1 end)()", "cannot set field 'u' of chip", "renaming a constant");
	fails_with(e, "x = (function() GW.d.W = 2; return 1 end)()", "attempt to index a nil value (field 'd')",
		   "reaching a constant's dimensions");
	fails_with(e, "USD = 3", "'USD' is a unit", "a definition taking a unit's name");
	OK(same_as_fresh(e, b), "reuse: the next brief sees the units as they are");
	fails_with(e, "x = (function() math.pi = 3 return 1 end)()", "cannot change math.pi", "writing math");
	fails_with(e, "x = (function() string.format = nil return 1 end)()", "cannot change string.format", "writing string");
	fails_with(e, "x = (function() GW = 1 return 1 end)()", "cannot assign to 'GW'", "assigning a global");
	fails_with(e, "x = (function() _ENV.chip = 1 return 1 end)()", "unknown name '_ENV'", "reaching _ENV");
	fails_with(e, "x = (function() (\"\").rep = nil return 1 end)()", "attempt to index a string value", "writing a string's methods");
	fails_with(e, "x = getmetatable('').__index", "unknown name 'getmetatable'", "the string metatable");
	OK(same_as_fresh(e, b), "reuse: the brief after the failed attempts is as in a fresh state");
	/* Limits are per brief: two briefs of 12 M instructions each both
	 * finish under a 20 M budget; one that runs away does not starve the
	 * next. (The loop variable is named after a unit: formulas may read
	 * only names the model or the sandbox defines.) */
	const char *spin = "x = (function() for GW = 1, 12000000 do end return 1 end)()";
	for (int k = 0; k < 2; k++) {
		struct buf md = BUF_INIT;
		buf_addf(&md, "`= x`\n\n```calc\n%s\n```\n", spin);
		render(e, (struct brief_text){ NULL, md.ptr }, &r);
		OK(r.ok, "reuse: brief %d of 12 M instructions has a whole budget of its own", k + 1);
		rendered_release(&r);
		buf_release(&md);
	}
	fails_with(e, "x = (function() while true do end end)()", "instruction budget of 20000000 steps exceeded", "an endless loop");
	fails_with(e, "x = string.len(string.rep('a', 2^30))", "memory limit of the calc sandbox exceeded", "a huge string");
	for (int k = 0; k < 2; k++) {
		render(e, (struct brief_text){ NULL, "`= x`\n\n```calc\nx = string.len(string.rep('ab', 10 * 2^20))\n```\n" }, &r);
		OK(r.ok && has(&r.html[1], ">21 million</a>"), "reuse: brief %d may use 40 MiB of its own", k + 1);
		rendered_release(&r);
	}
	OK(same_as_fresh(e, b), "reuse: the brief after hitting both limits is as in a fresh state");
	calc_engine_free(e);
}

/* Issue 10.24: the budget running out is one error, at the line of the
 * definition or span being evaluated, wherever the steps were spent. */
static void test_budget_errors(void)
{
	struct calc_engine *e = calc_engine_new("lua");
	struct rendered r;
	/* Spent in lua/units.lua's addition: the error used to have no line. */
	render(e, (struct brief_text){ NULL, "Text.\n\n```calc\na = 1\n"
		"x = (function(W) for chip = 1, 1e9 do W = W + GW end return W end)(GW)\n```\n" }, &r);
	OK(!r.ok && r.dl.errors == 1 && r.dl.items[0].line == 5 && strstr(r.dl.items[0].msg, "instruction budget"),
	   "budget: spent in a module of lua/, the error names the formula's line (%d: %s)",
	   r.dl.n ? r.dl.items[0].line : -1, r.dl.n ? r.dl.items[0].msg : "no error");
	rendered_release(&r);
	/* Spent while running references: each one after the first failed
	 * too, and each failure was reported (12 401 of them). y leaves ~200k
	 * of the 20 M steps (two a turn); each reference runs unit arithmetic
	 * in lua/units.lua, which counts, as it is called from the formula. */
	struct buf md = BUF_INIT;
	buf_adds(&md, "```calc\na = 1\ny = (function(W) W = 0 for chip = 1, 9900000 do W = W + 1 end return W end)()\n```\n");
	for (int i = 1; i <= 20000; i++)
		buf_addf(&md, "\n`= a * GW + %d * GW | sig2`\n", i);
	render(e, (struct brief_text){ NULL, md.ptr }, &r);
	OK(!r.ok && r.dl.errors == 1 && r.dl.items[0].line > 5 && strstr(r.dl.items[0].msg, "instruction budget"),
	   "budget: spent among 20 000 references, one error at the line of one (%zu errors, line %d)",
	   r.dl.errors, r.dl.n ? r.dl.items[0].line : -1);
	rendered_release(&r);
	buf_release(&md);
	/* Errors found before the budget ran out are reported with it. */
	render(e, (struct brief_text){ NULL, "```calc\na = math.missing + 1\nb = (function() while true do end end)()\n```\n" }, &r);
	OK(!r.ok && r.dl.errors == 2 && r.dl.items[0].line == 2 && r.dl.items[1].line == 3 &&
	   strstr(r.dl.items[1].msg, "(endless loop?)"),
	   "budget: the errors before it, then the runaway formula's line");
	rendered_release(&r);
	calc_engine_free(e);
}

/* Item 21: a value cited inside link text must not nest a link in a link;
 * a heading citing a value keeps its id when the number changes. */
static void test_links_and_ids(void)
{
	const char *md = "See [the bill, `= bill`](https://example.com/x) and [ref `= bill`][r].\n\n"
			 "[r]: https://example.com/r\n\n"
			 "## Bill: `= bill`\n\n## Ratio `= bill / chips | sig2`\n\n"
			 "```calc\nchips = %d * chip\nbill = chips * 5000 * USD / chip\n```\n";
	struct buf a = BUF_INIT, b = BUF_INIT;
	buf_addf(&a, md, 400000);
	buf_addf(&b, md, 500000);
	struct rendered r, s;
	render(NULL, (struct brief_text){ NULL, a.ptr }, &r);
	render(NULL, (struct brief_text){ NULL, b.ptr }, &s);
	const struct buf *h = &r.html[1];
	OK(has(h, "<a href=\"https://example.com/x\">the bill, <span class=\"calc-value\" id=\"calc-cite-bill-1\" "
		  "data-calc=\"bill\" data-formula=\"chips * 5000 * USD / chip\" "
		  "data-inputs=\"chips=400,000 chips\">$2 billion</span></a>"),
	   "links: a value in link text is a span carrying the same data, not a link in a link");
	OK(has(h, "<a href=\"https://example.com/r\">ref <span class=\"calc-value\" id=\"calc-cite-bill-2\" data-calc=\"bill\""),
	   "links: also in the text of a reference link");
	OK(has(h, "<h2 id=\"bill-bill\">Bill: <a class=\"calc-value\" id=\"calc-cite-bill-3\" href=\"#calc-bill\""),
	   "ids: a heading citing a value takes the value's name into its id, not its number");
	OK(has(&r.toc[1], "<a href=\"#bill-bill\">Bill: $2 billion</a>"), "ids: the TOC still shows the number");
	OK(has(h, "<h2 id=\"ratio-bill-chips\">"), "ids: an expression stands as written, without its format");
	OK(has(&s.html[1], "<h2 id=\"bill-bill\">") && has(&s.toc[1], "Bill: $2.5 billion</a>"),
	   "ids: another number, the same id");
	rendered_release(&r);
	rendered_release(&s);
	buf_release(&a);
	buf_release(&b);
}

int main(void)
{
	md_global_init();
	test_nodes();
	test_reuse();
	test_budget_errors();
	test_links_and_ids();
	return harness_done();
}
