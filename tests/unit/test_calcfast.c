/* calcfast.c against lua/calc.lua: thousands of random models (formulas
 * over numbers, values and every unit; labels with sources and
 * assumptions; references with every kind of format, good and bad)
 * evaluated both ways. Wherever calcfast gives a model, lua/calc.lua must
 * give the same one, field for field and bit for bit, with no diagnostic;
 * wherever calc.lua reports an error, calcfast must have declined. Then
 * the guard: an engine whose lua/ differs from the built-in copy uses Lua.
 * Run from the top of the tree (lua/ is found there). */
#include "harness.h"
#include "fixture.h"
#include "buf.h"
#include "calc.h"
#include "calceval.h"
#include "calcfast.h"
#include "config.h"
#include "content.h"
#include "zhconv.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define PICK(a) (a)[rnd(sizeof(a) / sizeof *(a))]

static const char *const names[] = { "cluster_gpus", "gpu_power", "price", "utilization", "years", "power",
	"capex", "energy", "per_year", "growth", "tokens", "share", "chips", "racks", "a", "b", "x1", "floor",
	"cost_per_token", "users" };
static const char *const unit_names[] = { "USD", "W", "kW", "MW", "GW", "Wh", "kWh", "MWh", "GWh", "TWh",
	"second", "minute", "hour", "day", "month", "year", "byte", "KB", "MB", "GB", "TB", "PB", "GPU",
	"chip", "server", "token", "user", "core", "percent" };
static const char *const numerals[] = { "2", "3", "12", "0.5", "600", "37000", "76000", "1e3", "2.5e-3",
	".25", "8760", "1000000", "0.98", "7", "1.45", "999.96", "1.", "4e9", "0.1", "66", "0.0001234",
	"123456789", "9.995", "1e15", "3e-9" };
static const char *const bad_numerals[] = { "1e400", "0" };
static const char *const weird[] = { "min(a, 2)", "a // 2", "\"x\"", "a % 3", "#a", "a .. b", "nil",
	"math.pi", "2 -- note", "@other.value", "a:to(\"GW\")", "a == b", "0x10", "3GW", "true", "a b",
	"tostring(a)", "(a", "a)", "", "unknown_name", "1e400", "1 / 0", "GW + 1", "USD ^ 0.5" };
static const char *const specs[] = { "", "", "", "int", "sig2", "sig4", ".1f", ".0f", ".2f", "sig15",
	".10f", "sig1" };
static const char *const plain_specs[] = { "pct", ".1pct", "x", "sig3x", "sig2pct", ".0x" };
static const char *const bad_specs[] = { "bad", "sig0", "sig16", ".11f", ".1fx", "f", "sig", "pctx" };
static const char *const labels[] = { "", "叢集的 GPU 數 | GPUs in the cluster", "只有中文",
	"每年 | per year | assumption", "價格 | price | source: https://example.com/report at 41:20 \"a quote\"",
	"假設 | 中 | en", "來源：/zh/briefs/x/ 「引文」 | 成本 | cost", "x |y| z", "  spaced  |  out  ",
	"source: /local", "source: https://e.com at 3:20", "assumption | source: https://e.com/x", "a|b",
	"| leading", "來源: https://e.com 「q」 | q", "source: https://e.com \"\"", "source: https://a-b.c/x \"q \" r\"",
"sources: x | y", "來源不明 | unknown source" };
static const char *const bad_labels[] = { "source: ftp://x | a | b", "a | b | source: https://e.com junk",
	"source: https://e.com at  ", "source:", "source: https://e.com at   \"q\"", "來源：https:// | x" };

/* One error of some kind in a model that has none otherwise, or none. */
enum { E_NONE, E_FORMULA, E_UNIT_NAME, E_SPEC, E_LABEL, E_REF, E_TWICE, E_LATER, E_NUMERAL, E_SUFFIX, NERR };
static int clean_model; /* E_NONE, or the one error to make */

/* A random formula over the first ndefs names. A sum's two sides are
 * the same expression but for its numerals, so that they have the same
 * dimensions (most of the time: not when a numeral was 0). */
static void gen_expr(struct buf *b, int depth, int ndefs)
{
	unsigned k = rnd(depth > 3 ? 3 : 10);
	if (k == 0) {
		buf_adds(b, clean_model == E_NUMERAL && !rnd(4) ? PICK(bad_numerals) : PICK(numerals));
	} else if (k == 1) {
		buf_adds(b, ndefs ? names[rnd((unsigned)ndefs)] : "2");
	} else if (k == 2) {
		buf_adds(b, PICK(unit_names));
	} else if (k <= 6) {
		static const char *const ops[] = { " + ", " - ", " * ", " / ", " * ", " / ", "^" };
		const char *op = PICK(ops);
		size_t at = b->len;
		gen_expr(b, depth + 1, ndefs);
		if (op[0] == '^') {
			static const char *const pw[] = { "2", "3", "1", "-1", "0", "2", "(2)", "-2", "0.5" };
			buf_adds(b, op);
			buf_adds(b, PICK(pw));
		} else if (op[1] == '+' || op[1] == '-') {
			/* (L + L'): without the parentheses a * before would take L alone */
			struct buf left = BUF_INIT;
			buf_add(&left, b->ptr + at, b->len - at);
			buf_truncate(b, at);
			buf_addch(b, '(');
			buf_add(b, left.ptr, left.len);
			buf_adds(b, op);
			/* another numeral, never an exponent's digit nor a name's */
			int power = 0, name = 0;
			for (const char *p = left.ptr; *p; p++) {
				if (*p == '^')
					power = 1;
				else if (!strchr("()-0123456789.", *p))
					power = 0;
				name = (name && (isalnum((unsigned char)*p) || *p == '_')) || isalpha((unsigned char)*p) ||
				       *p == '_';
				int num = *p >= '1' && *p <= '8' && !power && !name;
				buf_addch(b, num && !rnd(3) ? (char)(*p + 1) : *p);
			}
			buf_addch(b, ')');
			buf_release(&left);
		} else {
			buf_adds(b, op);
			gen_expr(b, depth + 1, ndefs);
		}
	} else if (k == 7) {
		buf_addch(b, '(');
		gen_expr(b, depth + 1, ndefs);
		buf_addch(b, ')');
	} else if (k == 8) {
		int paren = (int)rnd(2);
		buf_adds(b, paren ? "-(" : "- "); /* never "--", a comment */
		gen_expr(b, depth + 1, ndefs);
		if (paren)
			buf_addch(b, ')');
	} else {
		/* value times a unit: how most inputs are written */
		buf_adds(b, PICK(numerals));
		buf_adds(b, " * ");
		buf_adds(b, PICK(unit_names));
	}
}

struct model_src {
	struct calc_source src;
	struct calc_def defs[40];
	struct calc_span spans[60];
	struct page pg[3];
	struct page *pages[3];
	struct buf text[1024];
	int ntext;
};

static char *keep(struct model_src *m, struct buf *b)
{
	if (m->ntext == (int)(sizeof m->text / sizeof *m->text))
		abort(); /* a model larger than this test makes */
	m->text[m->ntext] = *b;
	*b = (struct buf)BUF_INIT;
	return m->text[m->ntext++].ptr;
}

static char *keeps(struct model_src *m, const char *s)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, s);
	return keep(m, &b);
}

static char zhf[] = "content/briefs/x/zh.md", enf[] = "content/briefs/x/en.md", hansf[] = "content/briefs/x/zh-hans.md";

static void gen_model(struct model_src *m, unsigned nlangs)
{
	memset(m, 0, sizeof *m);
	clean_model = rnd(10) < 6 ? E_NONE : 1 + (int)rnd(NERR - 1);
	m->pg[0].file = zhf;
	m->pg[1].file = enf;
	m->pg[2].file = hansf;
	for (unsigned i = 0; i < nlangs; i++)
		m->pages[i] = &m->pg[i];
	m->src.pages = m->pages;
	m->src.nlangs = nlangs;
	m->src.defs = m->defs;
	m->src.spans = m->spans;
	int nd = 1 + (int)rnd(12);
	int bad = (int)rnd((unsigned)nd); /* the definition or reference that has the error */
	for (int i = 0; i < nd; i++) {
		struct calc_def *d = &m->defs[m->src.ndefs++];
		struct buf f = BUF_INIT;
		int here = i == bad;
		if (here && clean_model == E_FORMULA)
			buf_adds(&f, PICK(weird));
		else
			gen_expr(&f, 0, here && clean_model == E_LATER ? nd : i);
		d->name = keeps(m, here && clean_model == E_UNIT_NAME ? PICK(unit_names) : names[i]);
		d->formula = keep(m, &f);
		d->label = keeps(m, here && clean_model == E_LABEL ? PICK(bad_labels) : PICK(labels));
		d->file = i % 2 ? enf : zhf;
		d->lang = (size_t)(i % 2);
		d->line = 10 + i;
		d->col = 1;
		d->fcol = 17;
	}
	/* the block again in the other file, as briefs have it: same formulas,
	 * labels or not (or, as an error, a different formula) */
	int again = rnd(3) == 0 || clean_model == E_TWICE ? nd : 0;
	for (int i = 0; i < again; i++) {
		struct calc_def *d = &m->defs[m->src.ndefs++];
		*d = m->defs[i];
		d->file = enf;
		d->lang = 1;
		d->line = 40 + i;
		if (rnd(4) == 0)
			d->label = keeps(m, PICK(labels));
		if (clean_model == E_TWICE && i == bad)
			d->formula = keeps(m, "1 + 1");
	}
	int nr = (int)rnd(40);
	for (int i = 0; i < nr; i++) {
		struct calc_span *r = &m->spans[m->src.nspans++];
		struct buf e = BUF_INIT;
		unsigned k = rnd(10);
		int here = i == bad;
		if (here && clean_model == E_REF)
			buf_adds(&e, PICK(weird));
		else if (k < 7)
			buf_adds(&e, names[rnd((unsigned)nd)]);
		else
			gen_expr(&e, 1, nd);
		if (!e.len)
			buf_adds(&e, "a");
		r->expr = keep(m, &e);
		const char *spec = PICK(specs);
		if (here && clean_model == E_SPEC)
			spec = PICK(bad_specs);
		else if (here && clean_model == E_SUFFIX)
			spec = PICK(plain_specs);
		r->spec = keeps(m, spec);
		r->lang = rnd(nlangs);
		r->file = m->pg[r->lang].file;
		r->line = 5 + i;
		r->col = 3;
	}
}

static void free_model(struct model_src *m)
{
	for (int i = 0; i < m->ntext; i++)
		buf_release(&m->text[i]);
}

static int str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int list_same(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!str_same(a[i], b[i]))
			return 0;
	return 1;
}

static int num_same(double a, double b)
{
	return !memcmp(&a, &b, sizeof a);
}

/* "" when the same, else what differs first (written into why). */
static const char *model_diff(const struct calc_model *f, const struct calc_model *l, size_t nlangs, char *why,
			      size_t n)
{
	if (f->nvalues != l->nvalues) {
		snprintf(why, n, "%zu values, Lua %zu", f->nvalues, l->nvalues);
		return why;
	}
	for (size_t i = 0; i < f->nvalues; i++) {
		const struct calc_value *a = &f->values[i], *b = &l->values[i];
		const char *what = NULL;
		if (!str_same(a->name, b->name))
			what = "name";
		else if (!str_same(a->formula, b->formula))
			what = "formula";
		else if (!list_same(a->inputs, a->ninputs, b->inputs, b->ninputs))
			what = "inputs";
		else if (!num_same(a->value, b->value))
			what = "value";
		else if (!num_same(a->base, b->base))
			what = "base";
		else if (!str_same(a->unit, b->unit))
			what = "unit";
		else if (!str_same(a->dims, b->dims))
			what = "dims";
		else if (!str_same(a->file, b->file) || a->line != b->line)
			what = "place";
		else if (!str_same(a->source_url, b->source_url) || !str_same(a->source_at, b->source_at) ||
			 !str_same(a->source_quote, b->source_quote) || a->assumption != b->assumption)
			what = "provenance";
		for (size_t k = 0; !what && k < nlangs; k++) {
			if (!str_same(a->label[k], b->label[k]))
				what = "label";
			else if (!str_same(a->display[k], b->display[k]))
				what = "display";
		}
		if (what) {
			snprintf(why, n, "value %s: %s (%s / %s)", b->name, what, a->display[1], b->display[1]);
			return why;
		}
	}
	if (f->nrefs != l->nrefs) {
		snprintf(why, n, "%zu refs, Lua %zu", f->nrefs, l->nrefs);
		return why;
	}
	for (size_t i = 0; i < f->nrefs; i++) {
		const struct calc_ref *a = &f->refs[i], *b = &l->refs[i];
		if (!str_same(a->text, b->text) || !str_same(a->name, b->name) || !str_same(a->title, b->title) ||
		    !str_same(a->formula, b->formula) || !list_same(a->inputs, a->ninputs, b->inputs, b->ninputs) ||
		    !list_same(a->cites, a->ncites, b->cites, b->ncites) || a->lang != b->lang) {
			snprintf(why, n, "ref %zu: '%s' / '%s', title '%s' / '%s'", i, a->text ? a->text : "(null)",
				 b->text ? b->text : "(null)", a->title ? a->title : "", b->title ? b->title : "");
			return why;
		}
	}
	return "";
}

/* cfg's languages: the first two are the model's own (zh and en families),
 * a third, when there is one, an edition converted from the first. Each
 * model is evaluated by lua/calc.lua alone and by an engine that uses
 * calcfast (both through calc_eval, so a converted edition's strings are
 * converted the same way); calcfast_eval alone says which it took. */
static void differential(struct config *cfg, int rounds, const char *what)
{
	struct calc_engine *lua = calc_engine_new("lua"), *fast = calc_engine_new("lua");
	calc_engine_lua_only(lua);
	int took = 0, lua_ok = 0, bad = 0, wrong_accept = 0, compared = 0;
	char first[600] = "";
	struct model_src *m = malloc(sizeof *m);
	for (int i = 0; i < rounds; i++) {
		gen_model(m, (unsigned)cfg->nlangs);
		struct diag_list dl = DIAG_LIST_INIT, fdl = DIAG_LIST_INIT;
		struct calc_model *lm = calc_eval(lua, &m->src, cfg, &dl);
		int ok = lm && dl.n == 0;
		lua_ok += ok;
		struct calc_model *probe = calcfast_eval(&m->src, cfg);
		calc_model_free(probe);
		if (getenv("CALCFAST_DEBUG") && ok && !probe) { /* what calcfast leaves to Lua */
			printf("# declined:");
			for (size_t q = 0; q < m->src.ndefs; q++)
				printf(" [%s = %s -- %s]", m->defs[q].name, m->defs[q].formula, m->defs[q].label);
			for (size_t q = 0; q < m->src.nspans; q++)
				printf(" {%s | %s}", m->spans[q].expr, m->spans[q].spec);
			printf("\n");
		}
		struct calc_model *fm = calc_eval(fast, &m->src, cfg, &fdl);
		if (probe) {
			took++;
			if (!ok) {
				wrong_accept++;
				if (!first[0])
					snprintf(first, sizeof first, "model %d: calcfast accepted what Lua reports: %s", i,
						 dl.n ? dl.items[0].msg : "(no model)");
			} else {
				char why[500];
				const char *d = fm && !fdl.n ? model_diff(fm, lm, cfg->nlangs, why, sizeof why) : "no model";
				compared++;
				if (*d) {
					bad++;
					if (!first[0])
						snprintf(first, sizeof first, "model %d (%s = %s): %s", i,
							 m->defs[0].name, m->defs[0].formula, d);
				}
			}
		}
		calc_model_free(fm);
		calc_model_free(lm);
		diag_release(&dl);
		diag_release(&fdl);
		free_model(m);
	}
	free(m);
	calc_engine_free(lua);
	calc_engine_free(fast);
	printf("# %s: %d models, Lua evaluated %d without error, calcfast took %d\n", what, rounds, lua_ok, took);
	OK(bad == 0 && wrong_accept == 0, "%s: calcfast's models are lua/calc.lua's (first difference: %s)", what,
	   first[0] ? first : "none");
	/* the comparison must have something to compare: most error-free
	 * models are taken, and the models have errors of every kind */
	OK(compared * 10 >= lua_ok * 6, "%s: calcfast took %d of the %d error-free models", what, compared, lua_ok);
	OK(lua_ok * 10 <= rounds * 9 && lua_ok * 10 >= rounds * 2, "%s: %d of %d models had errors", what,
	   rounds - lua_ok, rounds);
}

/* One brief through calc_eval: the text of its only reference. */
static char *one_ref(struct calc_engine *e, const char *formula, const char *expr)
{
	struct model_src *m = calloc(1, sizeof *m);
	char zh[] = "zh", en[] = "en";
	struct lang langs[2] = { { .code = zh }, { .code = en } };
	struct config cfg = { .langs = langs, .nlangs = 2 };
	m->pg[0].file = zhf;
	m->pg[1].file = enf;
	m->pages[0] = &m->pg[0];
	m->pages[1] = &m->pg[1];
	m->src = (struct calc_source){ .defs = m->defs, .ndefs = 1, .spans = m->spans, .nspans = 1,
		.pages = m->pages, .nlangs = 2 };
	m->defs[0] = (struct calc_def){ .name = keeps(m, "price"), .formula = keeps(m, formula), .label = keeps(m, ""),
		.file = zhf, .line = 3, .col = 1, .fcol = 9 };
	m->spans[0] = (struct calc_span){ .expr = keeps(m, expr), .spec = keeps(m, ""), .file = zhf, .line = 5,
		.col = 3, .lang = 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	struct calc_model *cm = calc_eval(e, &m->src, &cfg, &dl);
	char *r = cm && cm->nrefs && cm->refs[0].text ? strdup(cm->refs[0].text) : strdup("(none)");
	calc_model_free(cm);
	diag_release(&dl);
	free_model(m);
	free(m);
	return r;
}

static void copy_file(const char *from, const char *to, const char *old, const char *new)
{
	struct buf b = BUF_INIT;
	FILE *f = fopen(from, "rb");
	char chunk[4096];
	size_t n;
	while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (f)
		fclose(f);
	char *at = old ? strstr(b.ptr, old) : NULL;
	FILE *o = fopen(to, "wb");
	if (at) {
		fwrite(b.ptr, 1, (size_t)(at - b.ptr), o);
		fputs(new, o);
		fputs(at + strlen(old), o);
	} else {
		fwrite(b.ptr, 1, b.len, o);
	}
	fclose(o);
	buf_release(&b);
}

/* A lua/ with units.lua changed is not the one calcfast was written
 * against: the build must use it, not calcfast. */
static void guard(void)
{
	OK(calcfast_matches("lua"), "the tree's lua/ is the one built into the binary");
	char *dir = fix_tmpdir();
	const char *files[] = { "calc.lua", "numfmt.lua", "chart.lua", "template.lua", "i18n.lua" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *a = fix_fmt("lua/%s", files[i]), *b = fix_fmt("%s/%s", dir, files[i]);
		copy_file(a, b, NULL, NULL);
		free(a);
		free(b);
	}
	char *u = fix_fmt("%s/units.lua", dir);
	copy_file("lua/units.lua", u, "zh = \"美元\"", "zh = \"美金\"");
	OK(!calcfast_matches(dir), "a lua/ with units.lua changed is not");
	struct calc_engine *mine = calc_engine_new(dir), *shipped = calc_engine_new("lua");
	char *a = one_ref(mine, "37000 * USD", "price"), *b = one_ref(shipped, "37000 * USD", "price");
	STR_EQ(a, "3.7萬美金", "a build with its own units.lua shows that units.lua's words");
	STR_EQ(b, "3.7萬美元", "and one with the shipped lua/ the shipped words");
	free(a);
	free(b);
	calc_engine_free(mine);
	calc_engine_free(shipped);
	free(u);
	fix_cleanup(dir);
}

/* Models past calcfast's depth limits (a chain of 300 values, 150
 * nested parentheses, a sum of 2 000 terms) come out as Lua gives them,
 * whoever evaluates them, and nothing overflows. */
static void deep(void)
{
	char zh[] = "zh", en[] = "en";
	struct lang langs[2] = { { .code = zh }, { .code = en } };
	struct config cfg = { .langs = langs, .nlangs = 2 };
	struct calc_engine *lua = calc_engine_new("lua"), *fast = calc_engine_new("lua");
	calc_engine_lua_only(lua);
	const char *what[] = { "a chain of 300 values", "150 nested parentheses", "a sum of 2 000 terms" };
	for (int kind = 0; kind < 3; kind++) {
		struct model_src *m = calloc(1, sizeof *m);
		m->pg[0].file = zhf;
		m->pg[1].file = enf;
		m->pages[0] = &m->pg[0];
		m->pages[1] = &m->pg[1];
		struct calc_def *defs = calloc(301, sizeof *defs);
		char (*vname)[16] = calloc(301, sizeof *vname);
		struct buf f = BUF_INIT;
		size_t nd = 1;
		if (kind == 0) {
			nd = 300;
			for (size_t i = 0; i < nd; i++) {
				snprintf(vname[i], sizeof vname[i], "v%zu", i);
				buf_truncate(&f, 0);
				if (i)
					buf_addf(&f, "v%zu * 1.01 + 1 * USD", i - 1);
				else
					buf_adds(&f, "2 * USD");
				defs[i] = (struct calc_def){ .name = vname[i], .formula = keep(m, &f), .label = keeps(m, ""),
					.file = zhf, .line = (int)i + 1, .col = 1, .fcol = 8 };
			}
		} else {
			snprintf(vname[0], sizeof vname[0], "x");
			for (int i = 0; kind == 1 && i < 150; i++)
				buf_addch(&f, '(');
			buf_adds(&f, "3 * GW");
			for (int i = 0; kind == 1 && i < 150; i++)
				buf_addch(&f, ')');
			for (int i = 0; kind == 2 && i < 2000; i++)
				buf_adds(&f, " + 1 * GW");
			defs[0] = (struct calc_def){ .name = vname[0], .formula = keep(m, &f), .label = keeps(m, ""),
				.file = zhf, .line = 1, .col = 1, .fcol = 5 };
		}
		m->spans[0] = (struct calc_span){ .expr = vname[nd - 1], .spec = keeps(m, ""), .file = zhf, .line = 400,
			.col = 3, .lang = 0 };
		m->src = (struct calc_source){ .defs = defs, .ndefs = nd, .spans = m->spans, .nspans = 1,
			.pages = m->pages, .nlangs = 2 };
		struct diag_list dl = DIAG_LIST_INIT, fdl = DIAG_LIST_INIT;
		struct calc_model *lm = calc_eval(lua, &m->src, &cfg, &dl), *fm = calc_eval(fast, &m->src, &cfg, &fdl);
		char why[500] = "no model";
		const char *d = lm && fm ? model_diff(fm, lm, 2, why, sizeof why) : why;
		OK(!*d && dl.n == 0 && fdl.n == 0, "%s: the same model either way (%s)", what[kind], *d ? d : "same");
		calc_model_free(lm);
		calc_model_free(fm);
		diag_release(&dl);
		diag_release(&fdl);
		buf_release(&f);
		free_model(m);
		free(m);
		free(defs);
		free(vname);
	}
	calc_engine_free(lua);
	calc_engine_free(fast);
}

int main(void)
{
	char zh[] = "zh", en[] = "en", zhtw[] = "zh-tw", engb[] = "en-gb", hans[] = "zh-hans";
	struct lang two[2] = { { .code = zh }, { .code = en } };
	struct config cfg = { .langs = two, .nlangs = 2 };
	differential(&cfg, 6000, "zh and en");
	struct lang tags[2] = { { .code = zhtw }, { .code = engb } };
	cfg.langs = tags;
	differential(&cfg, 1500, "zh-tw and en-gb");
	char *err = NULL;
	struct zhconv *z = zhconv_new("tw2sp", NULL, NULL, 0, &err);
	if (z) {
		/* zh-hans converted from zh, between the two as site.lua has it */
		struct lang three[3] = { { .code = zh }, { .code = hans, .conv = z, .from = 0 }, { .code = en } };
		cfg.langs = three;
		cfg.nlangs = 3;
		differential(&cfg, 1500, "zh, zh-hans converted from it, and en");
		zhconv_free(z);
	} else {
		printf("not ok - OpenCC's tw2sp cannot be opened: %s\n", err ? err : "?");
		harness_failed++;
		free(err);
	}
	deep();
	guard();
	return harness_done();
}
