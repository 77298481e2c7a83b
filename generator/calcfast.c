/* calcfast — lua/calc.lua's evaluate, units.lua's quantities and display,
 * for the common case, in C. Functions are named after the Lua functions
 * they follow (units.lua: same_dims, combine, decompose, build, parse_unit,
 * compose, display_expr, render, try_format; calc.lua: scan, label_parts,
 * provenance, evaluate) so that the two can be read side by side. Anything
 * the Lua code would raise an error for makes the whole evaluation decline. */
#include "calcfast.h"
#include "buf.h"
#include "fsutil.h"
#include "numfmt.h"
#include "xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- the Lua modules this was written against ---------------------------
 * Built into the binary (the assembler's .incbin, from the top of the
 * tree, where make runs) so that calcfast_matches can tell them from a
 * project's own lua/. */
__asm__(".section .rodata\n"
	".global calcfast_lua_calc\n.global calcfast_lua_calc_end\n"
	"calcfast_lua_calc:\n.incbin \"lua/calc.lua\"\ncalcfast_lua_calc_end:\n"
	".global calcfast_lua_units\n.global calcfast_lua_units_end\n"
	"calcfast_lua_units:\n.incbin \"lua/units.lua\"\ncalcfast_lua_units_end:\n"
	".global calcfast_lua_numfmt\n.global calcfast_lua_numfmt_end\n"
	"calcfast_lua_numfmt:\n.incbin \"lua/numfmt.lua\"\ncalcfast_lua_numfmt_end:\n"
	".global calcfast_lua_chart\n.global calcfast_lua_chart_end\n"
	"calcfast_lua_chart:\n.incbin \"lua/chart.lua\"\ncalcfast_lua_chart_end:\n"
	".previous\n");
extern const char calcfast_lua_calc[], calcfast_lua_calc_end[];
extern const char calcfast_lua_units[], calcfast_lua_units_end[];
extern const char calcfast_lua_numfmt[], calcfast_lua_numfmt_end[];
extern const char calcfast_lua_chart[], calcfast_lua_chart_end[];

static int same_file(const char *dir, const char *name, const char *start, const char *end)
{
	char *p = fs_join(dir, name);
	struct buf b = BUF_INIT;
	int ok = fs_read(p, &b) == 0 && b.len == (size_t)(end - start) && !memcmp(b.ptr, start, b.len);
	buf_release(&b);
	free(p);
	return ok;
}

int calcfast_matches(const char *lua_dir)
{
	return same_file(lua_dir, "calc.lua", calcfast_lua_calc, calcfast_lua_calc_end) &&
	       same_file(lua_dir, "units.lua", calcfast_lua_units, calcfast_lua_units_end) &&
	       same_file(lua_dir, "numfmt.lua", calcfast_lua_numfmt, calcfast_lua_numfmt_end) &&
	       /* calc.lua loads it: a chart.lua that fails to load fails every model */
	       same_file(lua_dir, "chart.lua", calcfast_lua_chart, calcfast_lua_chart_end);
}

/* ---- units (units.lua) ---------------------------------------------------- */

/* Base dimensions in units.lua's DIMS order. */
enum { D_USD, D_W, D_BYTE, D_GPU, D_CHIP, D_SERVER, D_TOKEN, D_USER, D_CORE, D_S, NDIM };
static const char *const dim_name[NDIM] = { "USD", "W", "byte", "GPU", "chip", "server", "token", "user", "core", "s" };

/* Kinds in KIND_ORDER: the enum value is the rank. */
enum kind { K_MONEY, K_GPU, K_CHIP, K_SERVER, K_TOKEN, K_USER, K_CORE, K_DATA, K_POWER, K_ENERGY, K_TIME, NKIND };

struct unit {
	const char *name;
	double f;
	enum kind kind;
	const char *en, *en_pl, *zh, *zh_noun;
};

/* Indices into units[], in its order. */
enum { U_USD, U_W, U_KW, U_MW, U_GW, U_WH, U_KWH, U_MWH, U_GWH, U_TWH, U_SECOND, U_MINUTE, U_HOUR, U_DAY,
       U_MONTH, U_YEAR, U_BYTE, U_KB, U_MB, U_GB, U_TB, U_PB, U_GPU, U_CHIP, U_SERVER, U_TOKEN, U_USER,
       U_CORE, NUNIT };

#define HOUR 3600.0
#define YEAR (365 * 86400.0)
static const struct unit units[] = {
	{ "USD", 1, K_MONEY, "dollar", "dollars", "美元", "美元" },
	{ "W", 1, K_POWER, "W", "W", "W", "W" },
	{ "kW", 1e3, K_POWER, "kW", "kW", "kW", "kW" },
	{ "MW", 1e6, K_POWER, "MW", "MW", "MW", "MW" },
	{ "GW", 1e9, K_POWER, "GW", "GW", "GW", "GW" },
	{ "Wh", HOUR, K_ENERGY, "Wh", "Wh", "Wh", "Wh" },
	{ "kWh", 1e3 * HOUR, K_ENERGY, "kWh", "kWh", "kWh", "kWh" },
	{ "MWh", 1e6 * HOUR, K_ENERGY, "MWh", "MWh", "MWh", "MWh" },
	{ "GWh", 1e9 * HOUR, K_ENERGY, "GWh", "GWh", "GWh", "GWh" },
	{ "TWh", 1e12 * HOUR, K_ENERGY, "TWh", "TWh", "TWh", "TWh" },
	{ "second", 1, K_TIME, "second", "seconds", "秒", "秒" },
	{ "minute", 60, K_TIME, "minute", "minutes", "分鐘", "分鐘" },
	{ "hour", HOUR, K_TIME, "hour", "hours", "小時", "小時" },
	{ "day", 86400, K_TIME, "day", "days", "天", "天" },
	{ "month", 2628000, K_TIME, "month", "months", "個月", "月" }, /* YEAR // 12 */
	{ "year", YEAR, K_TIME, "year", "years", "年", "年" },
	{ "byte", 1, K_DATA, "byte", "bytes", "位元組", "位元組" },
	{ "KB", 1e3, K_DATA, "KB", "KB", "KB", "KB" },
	{ "MB", 1e6, K_DATA, "MB", "MB", "MB", "MB" },
	{ "GB", 1e9, K_DATA, "GB", "GB", "GB", "GB" },
	{ "TB", 1e12, K_DATA, "TB", "TB", "TB", "TB" },
	{ "PB", 1e15, K_DATA, "PB", "PB", "PB", "PB" },
	{ "GPU", 1, K_GPU, "GPU", "GPUs", "個 GPU", "GPU" },
	{ "chip", 1, K_CHIP, "chip", "chips", "顆晶片", "晶片" },
	{ "server", 1, K_SERVER, "server", "servers", "台伺服器", "伺服器" },
	{ "token", 1, K_TOKEN, "token", "tokens", "個 token", "token" },
	{ "user", 1, K_USER, "user", "users", "位用戶", "用戶" },
	{ "core", 1, K_CORE, "core", "cores", "個核心", "核心" },
};
#define NUNITS (sizeof units / sizeof units[0])

/* KINDS: the dims of a kind, its ladder (indices into units), whether it
 * auto-scales, and the unit after "per". */
struct kinddef {
	int d[NDIM];
	int ladder[6], nladder;
	int decimal;
	int per;
};
static const struct kinddef kinds[NKIND] = {
	[K_MONEY] = { { [D_USD] = 1 }, { U_USD }, 1, 0, U_USD },
	[K_GPU] = { { [D_GPU] = 1 }, { U_GPU }, 1, 0, U_GPU },
	[K_CHIP] = { { [D_CHIP] = 1 }, { U_CHIP }, 1, 0, U_CHIP },
	[K_SERVER] = { { [D_SERVER] = 1 }, { U_SERVER }, 1, 0, U_SERVER },
	[K_TOKEN] = { { [D_TOKEN] = 1 }, { U_TOKEN }, 1, 0, U_TOKEN },
	[K_USER] = { { [D_USER] = 1 }, { U_USER }, 1, 0, U_USER },
	[K_CORE] = { { [D_CORE] = 1 }, { U_CORE }, 1, 0, U_CORE },
	[K_DATA] = { { [D_BYTE] = 1 }, { U_BYTE, U_KB, U_MB, U_GB, U_TB, U_PB }, 6, 1, U_GB },
	[K_POWER] = { { [D_W] = 1 }, { U_W, U_KW, U_MW, U_GW }, 4, 1, U_KW },
	[K_ENERGY] = { { [D_W] = 1, [D_S] = 1 }, { U_WH, U_KWH, U_MWH, U_GWH, U_TWH }, 5, 1, U_KWH },
	[K_TIME] = { { [D_S] = 1 }, { U_SECOND, U_MINUTE, U_HOUR, U_DAY, U_YEAR }, 5, 0, U_HOUR },
};
_Static_assert(NUNITS == NUNIT, "units[] and its indices");

static const struct unit *unit_named(const char *s, size_t n)
{
	for (size_t i = 0; i < NUNITS; i++)
		if (strlen(units[i].name) == n && !memcmp(units[i].name, s, n))
			return &units[i];
	return NULL;
}

#define UNAME 128 /* a unit expression's name: at most two kinds over eleven */

/* A parsed unit expression (units.lua's {num, den, f, d, name}). */
struct uexpr {
	const struct unit *num[NKIND * 2], *den[NKIND * 2];
	int nnum, nden;
	double f;
	int d[NDIM];
	char name[UNAME];
};

/* A value of a formula: a plain number, or a quantity (units.lua's Q) with
 * its value in base units, dims and display unit name ("" for none). No
 * quantity here is ever pinned: only q:to(), units.new and cited values
 * pin one, and those are declined. */
struct val {
	int q;
	double v;
	int d[NDIM];
	char u[UNAME];
};

/* Evaluation state: set no and every step after it gives up. */
struct fast {
	int no;
};

static int dims_empty(const int *d)
{
	for (int k = 0; k < NDIM; k++)
		if (d[k])
			return 0;
	return 1;
}

static int same_dims(const int *a, const int *b)
{
	return !memcmp(a, b, NDIM * sizeof *a);
}

static void sort_units(const struct unit **u, int n)
{
	for (int i = 1; i < n; i++) /* insertion: the kinds of a result are distinct */
		for (int j = i; j > 0 && u[j - 1]->kind > u[j]->kind; j--) {
			const struct unit *t = u[j];
			u[j] = u[j - 1];
			u[j - 1] = t;
		}
}

/* build(num, den): sorts them, multiplies the factor, names it. 0, or -1
 * when the name would not fit. */
static int build(struct uexpr *e)
{
	sort_units(e->num, e->nnum);
	sort_units(e->den, e->nden);
	double f = 1;
	memset(e->d, 0, sizeof e->d);
	struct buf nm = BUF_INIT;
	for (int i = 0; i < e->nnum; i++) {
		f = f * e->num[i]->f;
		for (int k = 0; k < NDIM; k++)
			e->d[k] += kinds[e->num[i]->kind].d[k];
		if (i)
			buf_addch(&nm, '*');
		buf_adds(&nm, e->num[i]->name);
	}
	if (!e->nnum)
		buf_addch(&nm, '1');
	for (int i = 0; i < e->nden; i++) {
		f = f / e->den[i]->f;
		for (int k = 0; k < NDIM; k++)
			e->d[k] -= kinds[e->den[i]->kind].d[k];
		buf_addch(&nm, '/');
		buf_adds(&nm, e->den[i]->name);
	}
	e->f = f;
	int ok = nm.len < UNAME;
	if (ok)
		memcpy(e->name, nm.ptr, nm.len + 1);
	buf_release(&nm);
	return ok ? 0 : -1;
}

static int is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* parse_unit(s): "GW", "USD/GPU/hour", "GPU*hour", "1/hour". */
static int parse_unit(const char *s, struct uexpr *e)
{
	memset(e, 0, sizeof *e);
	int first = 1;
	const char *seg = s;
	for (;;) {
		const char *slash = strchr(seg, '/');
		const char *send = slash ? slash : seg + strlen(seg);
		const char *part = seg;
		for (;;) {
			const char *star = memchr(part, '*', (size_t)(send - part));
			const char *pend = star ? star : send;
			const char *a = part, *b = pend;
			while (a < b && is_space((unsigned char)*a))
				a++;
			while (b > a && is_space((unsigned char)b[-1]))
				b--;
			const struct unit *u = unit_named(a, (size_t)(b - a));
			if (u) {
				if ((first ? e->nnum : e->nden) >= NKIND * 2)
					return -1;
				if (first)
					e->num[e->nnum++] = u;
				else
					e->den[e->nden++] = u;
			} else if (!(first && b - a == 1 && *a == '1')) {
				return -1;
			}
			if (!star)
				break;
			part = star + 1;
		}
		first = 0;
		if (!slash)
			break;
		seg = slash + 1;
	}
	return build(e);
}

/* decompose(d): the kinds of the numerator and denominator, sorted; 0, or
 * -1 when the dims have no readable shape. */
static int decompose(const int *d, enum kind *num, int *nn, enum kind *den, int *nd)
{
	*nn = *nd = 0;
	static const enum kind of[NDIM] = { K_MONEY, 0, K_DATA, K_GPU, K_CHIP, K_SERVER, K_TOKEN, K_USER, K_CORE, 0 };
	for (int k = 0; k < NDIM; k++) {
		if (!d[k] || k == D_W || k == D_S)
			continue;
		if (d[k] == 1)
			num[(*nn)++] = of[k];
		else if (d[k] == -1)
			den[(*nd)++] = of[k];
		else
			return -1;
	}
	int w = d[D_W], s = d[D_S];
	if (w) {
		enum kind kd = K_POWER;
		if (w == s)
			s = 0, kd = K_ENERGY;
		if (w == 1)
			num[(*nn)++] = kd;
		else if (w == -1)
			den[(*nd)++] = kd;
		else
			return -1;
	}
	if (s == 1)
		num[(*nn)++] = K_TIME;
	else if (s == -1)
		den[(*nd)++] = K_TIME;
	else if (s)
		return -1;
	for (int i = 1; i < *nn; i++)
		for (int j = i; j > 0 && num[j - 1] > num[j]; j--) {
			enum kind t = num[j];
			num[j] = num[j - 1], num[j - 1] = t;
		}
	for (int i = 1; i < *nd; i++)
		for (int j = i; j > 0 && den[j - 1] > den[j]; j--) {
			enum kind t = den[j];
			den[j] = den[j - 1], den[j - 1] = t;
		}
	if (*nn > 2 || (*nn == 2 && !(num[0] >= K_GPU && num[0] <= K_CORE && num[1] == K_TIME)))
		return -1;
	return 0;
}

/* compose(ua, ub, d, divide): the unit name of a * or / of two named
 * quantities when it is exactly the readable shape of d, else "". */
static void compose(const char *ua, const char *ub, const int *d, int divide, char *out)
{
	out[0] = '\0';
	struct uexpr a, b, e;
	if (!*ua || !*ub || parse_unit(ua, &a) < 0 || parse_unit(ub, &b) < 0)
		return;
	if (a.nnum + a.nden + b.nnum + b.nden > NKIND * 2)
		return;
	memset(&e, 0, sizeof e);
	for (int i = 0; i < a.nnum; i++)
		e.num[e.nnum++] = a.num[i];
	for (int i = 0; i < a.nden; i++)
		e.den[e.nden++] = a.den[i];
	for (int i = 0; i < b.nnum; i++) {
		if (divide)
			e.den[e.nden++] = b.num[i];
		else
			e.num[e.nnum++] = b.num[i];
	}
	for (int i = 0; i < b.nden; i++) {
		if (divide)
			e.num[e.nnum++] = b.den[i];
		else
			e.den[e.nden++] = b.den[i];
	}
	enum kind kn[NDIM + 1], kd[NDIM + 1];
	int nn, nd;
	if (decompose(d, kn, &nn, kd, &nd) < 0 || nn != e.nnum || nd != e.nden)
		return;
	if (build(&e) < 0)
		return;
	for (int i = 0; i < e.nnum; i++)
		if (e.num[i]->kind != kn[i])
			return;
	for (int i = 0; i < e.nden; i++)
		if (e.den[i]->kind != kd[i])
			return;
	memcpy(out, e.name, strlen(e.name) + 1);
}

/* make(v, d, u): a quantity, or v itself when d is dimensionless. */
static void make(struct val *r, double v, const int *d, const char *u)
{
	r->v = v;
	r->q = !dims_empty(d);
	if (d != r->d)
		memcpy(r->d, d, sizeof r->d);
	if (!r->q)
		r->u[0] = '\0';
	else if (u != r->u)
		memmove(r->u, u, strlen(u) + 1);
}

/* The arithmetic of Q's metamethods (and of plain numbers): r = a op b. */
static void arith(struct fast *F, int op, const struct val *a, const struct val *b, struct val *r)
{
	if (!a->q && !b->q) {
		double x = a->v, y = b->v, z;
		switch (op) {
		case '+': z = x + y; break;
		case '-': z = x - y; break;
		case '*': z = x * y; break;
		case '/': z = x / y; break;
		default: z = y == 2 ? x * x : pow(x, y); break; /* luai_numpow */
		}
		r->q = 0;
		r->v = z;
		r->u[0] = '\0';
		memset(r->d, 0, sizeof r->d);
		return;
	}
	int d[NDIM];
	char u[UNAME];
	switch (op) {
	case '+':
	case '-':
		if (!a->q || !b->q || !same_dims(a->d, b->d)) {
			F->no = 1;
			return;
		}
		make(r, op == '+' ? a->v + b->v : a->v - b->v, a->d, a->u[0] ? a->u : b->u);
		return;
	case '*':
		if (!a->q) {
			make(r, a->v * b->v, b->d, b->u);
			return;
		}
		if (!b->q) {
			make(r, a->v * b->v, a->d, a->u);
			return;
		}
		for (int k = 0; k < NDIM; k++)
			d[k] = a->d[k] + b->d[k];
		if (dims_empty(d)) {
			make(r, a->v * b->v, d, "");
			return;
		}
		compose(a->u, b->u, d, 0, u);
		make(r, a->v * b->v, d, u);
		return;
	case '/':
		if (!b->q) {
			make(r, a->v / b->v, a->d, a->u);
			return;
		}
		if (!a->q) {
			for (int k = 0; k < NDIM; k++)
				d[k] = -b->d[k];
			compose("1", b->u, d, 1, u);
			make(r, a->v / b->v, d, u);
			return;
		}
		for (int k = 0; k < NDIM; k++)
			d[k] = a->d[k] - b->d[k];
		if (dims_empty(d)) {
			make(r, a->v / b->v, d, "");
			return;
		}
		compose(a->u, b->u, d, 1, u);
		make(r, a->v / b->v, d, u);
		return;
	default: /* '^': a quantity to a plain power */
		if (!a->q || b->q) {
			F->no = 1;
			return;
		}
		for (int k = 0; k < NDIM; k++) {
			double n = a->d[k] * b->v;
			if (n != floor(n) || n > 64 || n < -64) { /* math.tointeger, MAX_EXP */
				F->no = 1;
				return;
			}
			d[k] = (int)n;
		}
		double y = b->v;
		make(r, y == 2 ? a->v * a->v : pow(a->v, y), d, y == 1 ? a->u : "");
		return;
	}
}

/* ---- formulas (calc.lua's scan, Lua's expression grammar) ----------------
 * A formula is parsed into nodes once; its names give the dependencies and
 * the nodes are evaluated once the names' values are known. */

enum { N_NUM, N_NAME, N_NEG, N_BIN };
struct node {
	int kind, op;
	double num;
	const char *name;
	size_t namelen;
	int a, b; /* operands: node indices */
};

struct formula {
	struct node *nodes;
	int n, cap, root;
};

struct lexer {
	const char *p;
	int tok; /* 'n' number, 'a' name, an operator's byte, 0 the end, -1 anything else */
	double num;
	const char *name;
	size_t namelen;
};

static const char *const keywords[] = { "and", "break", "do", "else", "elseif", "end", "false", "for",
	"function", "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true",
	"until", "while" };

static int is_keyword(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
		if (strlen(keywords[i]) == n && !memcmp(keywords[i], s, n))
			return 1;
	return 0;
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static void next(struct lexer *lx)
{
	const char *p = lx->p;
	while (is_space((unsigned char)*p))
		p++;
	int c = (unsigned char)*p;
	if (!c) {
		lx->tok = 0;
	} else if (is_alpha(c)) {
		const char *s = p;
		while (is_alpha((unsigned char)*p) || is_digit((unsigned char)*p))
			p++;
		lx->name = s;
		lx->namelen = (size_t)(p - s);
		lx->tok = is_keyword(s, lx->namelen) ? -1 : 'a';
		lx->p = p;
		return;
	} else if (is_digit(c) || (c == '.' && is_digit((unsigned char)p[1]))) {
		/* digits [. digits] [e [sign] digits], or . digits [...]: what
		 * scan makes a float and Lua reads as strtod does; anything
		 * longer (hex, a letter or dot touching it) is declined */
		const char *s = p;
		while (is_digit((unsigned char)*p))
			p++;
		if (*p == '.') {
			p++;
			while (is_digit((unsigned char)*p))
				p++;
		}
		if (*p == 'e' || *p == 'E') {
			p++;
			if (*p == '+' || *p == '-')
				p++;
			if (!is_digit((unsigned char)*p)) {
				lx->tok = -1;
				return;
			}
			while (is_digit((unsigned char)*p))
				p++;
		}
		if (is_alpha((unsigned char)*p) || is_digit((unsigned char)*p) || *p == '.') {
			lx->tok = -1;
			return;
		}
		char tmp[64];
		if ((size_t)(p - s) >= sizeof tmp) {
			lx->tok = -1;
			return;
		}
		memcpy(tmp, s, (size_t)(p - s));
		tmp[p - s] = '\0';
		char *end;
		lx->num = strtod(tmp, &end);
		lx->tok = *end ? -1 : 'n';
		lx->p = p;
		return;
	} else if (strchr("+*/^()", c) || (c == '-' && p[1] != '-')) {
		/* "//" is floor division, "--" a comment: declined */
		lx->tok = c == '/' && p[1] == '/' ? -1 : c;
		lx->p = p + 1;
		return;
	} else {
		lx->tok = -1;
	}
	lx->p = p;
}

static int add_node(struct formula *f, struct node n)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->nodes = xrealloc(f->nodes, (size_t)f->cap * sizeof *f->nodes);
	}
	f->nodes[f->n] = n;
	return f->n++;
}

static int subexpr(struct lexer *lx, struct formula *f, int limit, int depth);

/* simpleexp: a numeral, a name or a parenthesised expression */
static int simple(struct lexer *lx, struct formula *f, int depth)
{
	if (lx->tok == 'n') {
		int i = add_node(f, (struct node){ .kind = N_NUM, .num = lx->num });
		next(lx);
		return i;
	}
	if (lx->tok == 'a') {
		int i = add_node(f, (struct node){ .kind = N_NAME, .name = lx->name, .namelen = lx->namelen });
		next(lx);
		if (lx->tok == '(') /* a call */
			return -1;
		return i;
	}
	if (lx->tok == '(') {
		next(lx);
		int i = subexpr(lx, f, 0, depth + 1);
		if (i < 0 || lx->tok != ')')
			return -1;
		next(lx);
		return i;
	}
	return -1;
}

/* Lua's priorities: + - 10, * / 11, ^ 14 left 13 right, unary 12. */
static int left_pri(int op)
{
	return op == '+' || op == '-' ? 10 : op == '*' || op == '/' ? 11 : op == '^' ? 14 : -1;
}

static int right_pri(int op)
{
	return op == '^' ? 13 : left_pri(op);
}

/* Lua's subexpr: (simpleexp | unop subexpr) { binop subexpr } with each
 * binop of priority above limit. */
static int subexpr(struct lexer *lx, struct formula *f, int limit, int depth)
{
	if (depth > 100)
		return -1;
	int l;
	if (lx->tok == '-') {
		next(lx);
		int a = subexpr(lx, f, 12, depth + 1);
		if (a < 0)
			return -1;
		l = add_node(f, (struct node){ .kind = N_NEG, .a = a });
	} else {
		l = simple(lx, f, depth);
		if (l < 0)
			return -1;
	}
	while (lx->tok > 0 && left_pri(lx->tok) > limit) {
		int op = lx->tok;
		next(lx);
		int r = subexpr(lx, f, right_pri(op), depth + 1);
		if (r < 0)
			return -1;
		l = add_node(f, (struct node){ .kind = N_BIN, .op = op, .a = l, .b = r });
	}
	return l;
}

static int parse_formula(const char *src, struct formula *f)
{
	memset(f, 0, sizeof *f);
	struct lexer lx = { .p = src };
	next(&lx);
	f->root = subexpr(&lx, f, 0, 0);
	return f->root < 0 || lx.tok != 0 ? -1 : 0;
}

/* ---- the model ----------------------------------------------------------- */

struct def {
	const struct calc_def *d;  /* the first definition of the name */
	const char *label;         /* its label, or a later one's when it has none */
	struct formula f;
	int *deps, ndeps;          /* indices of the names it reads, first use first */
	int state;                 /* 0 new, 1 being evaluated, 2 done */
	struct val v;
};

struct model {
	struct def *defs;          /* sorted by name */
	int n;
	const char **langs;        /* the languages labels are split for (no converted edition) */
	size_t *lang_cfg;          /* their index in the configuration */
	int nlangs;
};

static int find_def(const struct model *m, const char *s, size_t n)
{
	int lo = 0, hi = m->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const char *k = m->defs[mid].d->name;
		int c = strncmp(k, s, n);
		if (!c)
			c = k[n] ? 1 : 0;
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* A unit constant or `percent` (units.constant). */
static int constant(const char *s, size_t n, struct val *r)
{
	memset(r, 0, sizeof *r);
	if (n == 7 && !memcmp(s, "percent", 7)) {
		r->v = 0.01;
		return 0;
	}
	const struct unit *u = unit_named(s, n);
	if (!u)
		return -1;
	r->q = 1;
	r->v = u->f;
	memcpy(r->d, kinds[u->kind].d, sizeof r->d);
	memcpy(r->u, u->name, strlen(u->name) + 1);
	return 0;
}

static void eval_def(struct fast *F, struct model *m, int i, int depth);

static void eval_node(struct fast *F, struct model *m, const struct formula *f, int i, struct val *r, int depth)
{
	if (F->no || depth > 400) { /* deeper than any model needs: calc.lua's */
		F->no = 1;
		return;
	}
	const struct node *n = &f->nodes[i];
	switch (n->kind) {
	case N_NUM:
		memset(r, 0, sizeof *r);
		r->v = n->num;
		return;
	case N_NAME: {
		int k = find_def(m, n->name, n->namelen);
		if (k >= 0) {
			eval_def(F, m, k, depth + 1);
			if (!F->no)
				*r = m->defs[k].v;
		} else if (constant(n->name, n->namelen, r) < 0) {
			F->no = 1;
		}
		return;
	}
	case N_NEG:
		eval_node(F, m, f, n->a, r, depth + 1);
		r->v = -r->v;
		return;
	default: {
		struct val a, b;
		eval_node(F, m, f, n->a, &a, depth + 1);
		eval_node(F, m, f, n->b, &b, depth + 1);
		if (!F->no)
			arith(F, n->op, &a, &b, r);
		return;
	}
	}
}

static int finite_val(const struct val *v)
{
	return isfinite(v->v);
}

/* Values in dependency order, each once; a cycle is an error. */
static void eval_def(struct fast *F, struct model *m, int i, int depth)
{
	struct def *d = &m->defs[i];
	if (F->no || d->state == 2)
		return;
	if (d->state == 1) {
		F->no = 1;
		return;
	}
	d->state = 1;
	eval_node(F, m, &d->f, d->f.root, &d->v, depth);
	if (!F->no && !finite_val(&d->v))
		F->no = 1;
	d->state = 2;
}

/* The names of f's model values, first use first (calc.lua: d.deps), and
 * unknown names (neither the model's nor a unit's): -1. */
static int deps_of(const struct model *m, const struct formula *f, int **out, int *nout, int unique)
{
	*out = NULL;
	*nout = 0;
	for (int i = 0; i < f->n; i++) {
		/* nodes are made in source order of their names */
		const struct node *n = &f->nodes[i];
		if (n->kind != N_NAME)
			continue;
		int k = find_def(m, n->name, n->namelen);
		if (k < 0) {
			struct val c;
			if (constant(n->name, n->namelen, &c) < 0)
				return -1;
			continue;
		}
		int seen = 0;
		for (int j = 0; unique && j < *nout; j++)
			seen |= (*out)[j] == k;
		if (!seen) {
			*out = xrealloc(*out, (size_t)(*nout + 1) * sizeof **out);
			(*out)[(*nout)++] = k;
		}
	}
	return 0;
}

/* ---- display (units.lua) --------------------------------------------------- */

static int letter(int b)
{
	return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

/* zh_join(a, b) into a (a buf), b a string */
static void zh_join(struct buf *a, const char *b)
{
	if (a->len && *b && (letter((unsigned char)a->ptr[a->len - 1]) || letter((unsigned char)*b)))
		buf_addch(a, ' ');
	buf_adds(a, b);
}

static void dims_string(const int *d, struct buf *out)
{
	struct buf num = BUF_INIT, den = BUF_INIT;
	int nden = 0;
	for (int k = 0; k < NDIM; k++) {
		int e = d[k];
		if (!e)
			continue;
		struct buf *t = e > 0 ? &num : &den;
		if (t->len)
			buf_adds(t, "·");
		buf_adds(t, dim_name[k]);
		if (abs(e) != 1)
			buf_addf(t, "^%d", abs(e));
		nden += e < 0;
	}
	buf_adds(out, num.len ? num.ptr : "1");
	if (nden == 1)
		buf_addf(out, "/%s", den.ptr);
	else if (nden)
		buf_addf(out, "/(%s)", den.ptr);
	buf_release(&num);
	buf_release(&den);
}

/* ladder_pick: the rung to show x in (a unit index). */
static int ladder_pick(const struct kinddef *kd, double x, int zh, const struct numfmt_spec *sp)
{
	int i = 0;
	double a = fabs(x);
	for (int j = 1; j < kd->nladder; j++)
		if (a >= units[kd->ladder[j]].f)
			i = j;
	if (i < kd->nladder - 1) {
		const struct unit *cur = &units[kd->ladder[i]], *nxt = &units[kd->ladder[i + 1]];
		double r;
		numfmt_show(x / cur->f, zh, sp, NULL, &r);
		if (fabs(r) >= nxt->f / cur->f)
			return kd->ladder[i + 1];
	}
	return kd->ladder[i];
}

/* display_expr: 1 with the unit expression in ex, 0 when the dims are
 * unreadable, -1 when the value is too large for its unit. */
static int display_expr(const struct val *q, int zh, const struct numfmt_spec *sp, struct uexpr *ex)
{
	struct uexpr own;
	if (q->u[0] && parse_unit(q->u, &own) == 0 && same_dims(own.d, q->d)) {
		const struct kinddef *kd = own.nnum == 1 ? &kinds[own.num[0]->kind] : NULL;
		if (!(kd && kd->decimal)) {
			*ex = own;
			return 1;
		}
		struct uexpr den = own;
		den.nnum = 0;
		double x = q->v;
		if (own.nden) {
			if (build(&den) < 0)
				return -1;
			x = q->v / den.f;
		}
		if (!isfinite(x))
			return -1;
		int u = ladder_pick(kd, x, zh, sp);
		den.num[0] = &units[u];
		den.nnum = 1;
		*ex = den;
		return build(ex) < 0 ? -1 : 1;
	}
	enum kind kn[NDIM + 1], kdn[NDIM + 1];
	int nn, nd;
	if (decompose(q->d, kn, &nn, kdn, &nd) < 0)
		return 0;
	memset(ex, 0, sizeof *ex);
	for (int i = 0; i < nd; i++)
		ex->den[i] = &units[kinds[kdn[i]].per];
	ex->nden = nd;
	double perf = 1;
	if (nd) {
		if (build(ex) < 0)
			return -1;
		perf = ex->f;
	}
	if (nn == 1) {
		double x = q->v / perf;
		if (!isfinite(x))
			return -1;
		ex->num[0] = &units[ladder_pick(&kinds[kn[0]], x, zh, sp)];
		ex->nnum = 1;
		return build(ex) < 0 ? -1 : 1;
	}
	for (int i = 0; i < nn; i++)
		ex->num[i] = &units[kinds[kn[i]].per];
	ex->nnum = nn;
	return build(ex) < 0 ? -1 : 1;
}

/* render: the text of q in ex; -1 when it is not finite there. */
static int render(const struct val *q, const struct uexpr *ex, int zh, const struct numfmt_spec *sp,
		  struct buf *out)
{
	double x = q->v / ex->f;
	if (!isfinite(x))
		return -1;
	struct buf t = BUF_INIT;
	numfmt_show(x, zh, sp, &t, NULL);
	int plural = strcmp(t.ptr, "1") && strcmp(t.ptr, "-1");
	if (!zh) {
		if (ex->nnum == 1 && ex->num[0]->kind == K_MONEY) {
			if (t.ptr[0] == '-')
				buf_addf(out, "-$%s", t.ptr + 1);
			else
				buf_addf(out, "$%s", t.ptr);
		} else {
			buf_add(out, t.ptr, t.len);
			for (int i = 0; i < ex->nnum; i++) {
				const struct unit *u = ex->num[i];
				buf_addch(out, i ? '-' : ' ');
				buf_adds(out, i == ex->nnum - 1 && plural ? u->en_pl : u->en);
			}
		}
		for (int i = 0; i < ex->nden; i++) {
			buf_adds(out, i ? "-" : " per ");
			buf_adds(out, ex->den[i]->en);
		}
		buf_release(&t);
		return 0;
	}
	for (int i = 0; i < ex->nnum; i++)
		zh_join(&t, ex->nnum == 1 ? ex->num[i]->zh : ex->num[i]->zh_noun);
	struct buf per = BUF_INIT;
	for (int i = 0; i < ex->nden; i++) {
		struct buf one = BUF_INIT;
		buf_adds(&one, "每");
		zh_join(&one, ex->den[i]->zh);
		zh_join(&per, one.ptr);
		buf_release(&one);
	}
	zh_join(&per, t.ptr);
	buf_add(out, per.ptr, per.len);
	buf_release(&per);
	buf_release(&t);
	return 0;
}

/* try_format(x, lang, sp): text into out, and the unit name (into unit,
 * when not NULL) and value in that unit; -1 where try_format gives nil. */
static int try_format(const struct val *x, int zh, const struct numfmt_spec *sp, struct buf *out, struct buf *unit,
		      double *value)
{
	if (!x->q) {
		numfmt_show(x->v, zh, sp, out, NULL);
		*value = x->v;
		return 0;
	}
	if (sp->suffix != NUMFMT_PLAIN)
		return -1; /* a percentage or multiple needs a plain number */
	struct uexpr ex;
	int r = display_expr(x, zh, sp, &ex);
	if (r < 0)
		return -1;
	if (r == 0) {
		numfmt_show(x->v, zh, sp, out, NULL);
		buf_addch(out, ' ');
		size_t at = out->len;
		dims_string(x->d, out);
		if (unit)
			buf_adds(unit, out->ptr + at);
		*value = x->v;
		return 0;
	}
	if (render(x, &ex, zh, sp, out) < 0)
		return -1;
	if (unit)
		buf_adds(unit, ex.name);
	*value = x->v / ex.f;
	return 0;
}

/* ---- labels (calc.lua) ------------------------------------------------------ */

/* provenance(part): 0 a plain label, 1 provenance (into v), -1 an error. */
static int provenance(const char *p, size_t n, struct calc_value *v)
{
	if ((n == 10 && !memcmp(p, "assumption", 10)) || (n == 6 && !memcmp(p, "假設", 6))) {
		v->assumption = 1;
		free(v->source_url), free(v->source_at), free(v->source_quote);
		v->source_url = v->source_at = v->source_quote = NULL;
		return 1;
	}
	const char *rest = NULL, *end = p + n;
	if (n >= 7 && !memcmp(p, "source:", 7))
		rest = p + 7;
	else if (n >= 9 && !memcmp(p, "來源：", 9))
		rest = p + 9;
	else if (n >= 7 && !memcmp(p, "來源:", 7))
		rest = p + 7;
	if (!rest)
		return 0;
	while (rest < end && is_space((unsigned char)*rest))
		rest++;
	/* url: the first run of non-spaces; after: the rest, its spaces skipped */
	const char *u = rest, *ue = rest;
	while (ue < end && !is_space((unsigned char)*ue))
		ue++;
	if (ue == u)
		return -1;
	int http = (ue - u > 7 && !memcmp(u, "http://", 7)) || (ue - u > 8 && !memcmp(u, "https://", 8));
	if (http) {
		const char *h = u + (u[4] == 's' ? 8 : 7);
		int c = (unsigned char)*h;
		http = h < ue && (letter(c) || is_digit(c) || c == '-' || c == '.');
	}
	if (!http && *u != '/')
		return -1;
	const char *a = ue;
	while (a < end && is_space((unsigned char)*a))
		a++;
	size_t alen = (size_t)(end - a);
	/* ^(.-)%s*"(.*)"$ or the same in 「」 */
	const char *at = a, *ate = end, *qs = NULL, *qe = NULL;
	if (alen >= 2 && end[-1] == '"') {
		const char *k = memchr(a, '"', alen);
		if (k && k < end - 1)
			qs = k + 1, qe = end - 1, ate = k;
	}
	if (!qs && alen >= 6 && !memcmp(end - 3, "」", 3)) {
		for (const char *k = a; k + 3 <= end - 3; k++)
			if (!memcmp(k, "「", 3)) {
				qs = k + 3, qe = end - 3, ate = k;
				break;
			}
	}
	if (qs)
		while (ate > at && is_space((unsigned char)ate[-1]))
			ate--;
	/* ^at%s+(.+)$ */
	const char *loc = NULL, *loce = ate;
	if (ate - at >= 3 && at[0] == 'a' && at[1] == 't' && is_space((unsigned char)at[2])) {
		const char *l = at + 2;
		while (l < ate && is_space((unsigned char)*l))
			l++;
		if (l < ate)
			loc = l;
		else if (ate - (at + 2) >= 2)
			loc = ate - 1; /* (.+) takes the last space back */
	}
	if (ate > at && !loc)
		return -1;
	v->assumption = 0;
	free(v->source_url), free(v->source_at), free(v->source_quote);
	v->source_url = xstrndup(u, (size_t)(ue - u));
	v->source_at = loc ? xstrndup(loc, (size_t)(loce - loc)) : NULL;
	v->source_quote = qs && qe > qs ? xstrndup(qs, (size_t)(qe - qs)) : NULL;
	return 1;
}

/* label_parts: the parts of label for v->label (per language of m), the
 * provenance part into v. -1 on a provenance error. */
static int label_parts(const char *label, const struct model *m, const struct config *cfg, struct calc_value *v)
{
	const char *parts[64];
	size_t lens[64];
	int np = 0;
	struct buf s = BUF_INIT;
	buf_adds(&s, label);
	buf_adds(&s, " | ");
	size_t from = 0;
	int bad = 0;
	for (;;) {
		size_t bar = from;
		while (bar + 1 < s.len && !(s.ptr[bar] == '|' && is_space((unsigned char)s.ptr[bar + 1])))
			bar++;
		if (bar + 1 >= s.len)
			break;
		size_t a = from;
		while (a < s.len && is_space((unsigned char)s.ptr[a]))
			a++;
		size_t e = bar;
		while (e > a && is_space((unsigned char)s.ptr[e - 1]))
			e--;
		if (a >= bar)
			e = a;
		from = bar + 2;
		while (from < s.len && is_space((unsigned char)s.ptr[from]))
			from++;
		int pv = provenance(s.ptr + a, e - a, v);
		if (pv < 0) {
			bad = 1;
		} else if (pv == 0) {
			if (np == 64) {
				bad = 1;
				break;
			}
			parts[np] = s.ptr + a, lens[np] = e - a, np++;
		}
	}
	if (!bad) {
		v->label = xcalloc(cfg->nlangs, sizeof *v->label);
		for (size_t i = 0; i < cfg->nlangs; i++)
			v->label[i] = xstrdup("");
		for (int i = 0; i < m->nlangs && np; i++) {
			int k = i < np ? i : np - 1;
			free(v->label[m->lang_cfg[i]]);
			v->label[m->lang_cfg[i]] = xstrndup(parts[k], lens[k]);
		}
	}
	buf_release(&s);
	return bad ? -1 : 0;
}

/* numfmt.family: "zh" 1, "en" 0, else -1. */
static int family(const char *code)
{
	const char *p = code;
	while (letter((unsigned char)*p))
		p++;
	size_t n = (size_t)(p - code);
	if ((n != 2 && n != 3) || (*p && *p != '-'))
		return -1;
	char lo[4] = { 0 };
	for (size_t i = 0; i < n; i++)
		lo[i] = (char)(code[i] | 0x20);
	return !strcmp(lo, "zh") ? 1 : !strcmp(lo, "en") ? 0 : -1;
}

/* ---- evaluate ------------------------------------------------------------- */

static int cmp_def(const void *a, const void *b)
{
	return strcmp(((const struct def *)a)->d->name, ((const struct def *)b)->d->name);
}

static char **names_of(const struct model *m, const int *idx, int n)
{
	char **v = xcalloc((size_t)n + 1, sizeof *v);
	for (int i = 0; i < n; i++)
		v[i] = xstrdup(m->defs[idx[i]].d->name);
	return v;
}

/* The text model value k shows in language i (of m->langs), or "?". */
static const char *shown_text(const struct calc_model *cm, const struct model *m, int k, int i)
{
	return cm->values[k].display[m->lang_cfg[i]];
}

/* One line "name = text" of a reference's title, after a newline but the first. */
static void title_line(struct buf *t, const char *name, const char *text)
{
	if (t->len)
		buf_addch(t, '\n');
	buf_adds(t, name);
	buf_adds(t, " = ");
	buf_adds(t, text);
}

static int simple_model(const struct calc_source *src)
{
	return !src->ncharts && !src->nwhatifs;
}

struct calc_model *calcfast_eval(const struct calc_source *src, const struct config *cfg)
{
	if (!simple_model(src))
		return NULL;
	struct fast F = { 0 };
	struct model m = { 0 };
	struct calc_model *cm = NULL;
	struct buf tb = BUF_INIT, ub = BUF_INIT;
	m.langs = xcalloc(cfg->nlangs + 1, sizeof *m.langs);
	m.lang_cfg = xcalloc(cfg->nlangs + 1, sizeof *m.lang_cfg);
	for (size_t i = 0; i < cfg->nlangs; i++)
		if (!cfg->langs[i].conv) {
			if (family(cfg->langs[i].code) < 0)
				F.no = 1;
			m.lang_cfg[m.nlangs] = i;
			m.langs[m.nlangs++] = cfg->langs[i].code;
		}
	/* the names, each once; a name given two formulas, or a unit's, is an error */
	m.defs = xcalloc(src->ndefs + 1, sizeof *m.defs);
	for (size_t i = 0; i < src->ndefs && !F.no; i++) {
		const struct calc_def *d = &src->defs[i];
		struct val c;
		if (constant(d->name, strlen(d->name), &c) == 0 || is_keyword(d->name, strlen(d->name))) {
			F.no = 1;
			break;
		}
		int k = 0;
		while (k < m.n && strcmp(m.defs[k].d->name, d->name))
			k++;
		if (k == m.n) {
			m.defs[m.n].d = d;
			m.defs[m.n++].label = d->label;
		} else if (strcmp(m.defs[k].d->formula, d->formula)) {
			F.no = 1;
		} else if (d->label[0] && !m.defs[k].label[0]) {
			m.defs[k].label = d->label;
		}
	}
	if (F.no)
		goto out;
	qsort(m.defs, (size_t)m.n, sizeof *m.defs, cmp_def);
	for (int i = 0; i < m.n && !F.no; i++) {
		struct def *d = &m.defs[i];
		if (parse_formula(d->d->formula, &d->f) < 0 || deps_of(&m, &d->f, &d->deps, &d->ndeps, 1) < 0)
			F.no = 1;
	}
	for (int i = 0; i < m.n && !F.no; i++)
		eval_def(&F, &m, i, 0);
	if (F.no)
		goto out;

	/* the format of the first reference to just a name, per language */
	size_t nl = (size_t)m.nlangs;
	struct numfmt_spec *first = xcalloc((size_t)m.n * nl + 1, sizeof *first);
	const char **first_src = xcalloc((size_t)m.n * nl + 1, sizeof *first_src);
	int *ref_lang = xcalloc(src->nspans + 1, sizeof *ref_lang);
	for (size_t i = 0; i < src->nspans && !F.no; i++) {
		const struct calc_span *r = &src->spans[i];
		size_t src_lang = config_source_lang(cfg, r->lang);
		int li = 0;
		while (li < m.nlangs && m.lang_cfg[li] != src_lang)
			li++;
		if (li == m.nlangs) {
			F.no = 1;
			break;
		}
		ref_lang[i] = li;
		struct numfmt_spec sp;
		if (r->spec[0] && numfmt_parse_spec(r->spec, &sp) < 0) {
			F.no = 1; /* an unknown format: an error */
			break;
		}
		int k = r->spec[0] ? find_def(&m, r->expr, strlen(r->expr)) : -1;
		if (k >= 0 && !first_src[(size_t)k * nl + (size_t)li]) {
			first[(size_t)k * nl + (size_t)li] = sp;
			first_src[(size_t)k * nl + (size_t)li] = r->spec;
		}
	}
	if (F.no)
		goto out_first;

	cm = xcalloc(1, sizeof *cm);
	cm->nlangs = cfg->nlangs;
	cm->values = xcalloc((size_t)m.n + 1, sizeof *cm->values);
	/* shown_with: whether value k's text in a language was made with its first format */
	char *with = xcalloc((size_t)m.n * nl + 1, 1);
	for (int k = 0; k < m.n && !F.no; k++) {
		struct def *d = &m.defs[k];
		struct calc_value *v = &cm->values[cm->nvalues++];
		v->name = xstrdup(d->d->name);
		v->formula = xstrdup(d->d->formula);
		v->inputs = names_of(&m, d->deps, d->ndeps);
		v->ninputs = (size_t)d->ndeps;
		v->file = xstrdup(d->d->file);
		v->line = d->d->line;
		v->display = xcalloc(cfg->nlangs, sizeof *v->display);
		for (size_t i = 0; i < cfg->nlangs; i++)
			v->display[i] = xstrdup("");
		if (label_parts(d->label, &m, cfg, v) < 0) {
			F.no = 1;
			break;
		}
		int have_en = 0;
		double en_value = 0;
		char *en_unit = NULL;
		for (int i = 0; i < m.nlangs; i++) {
			const char *code = m.langs[i];
			int zh = family(code);
			size_t fi = (size_t)k * nl + (size_t)i;
			struct numfmt_spec sp = { NUMFMT_SIG, 3, NUMFMT_PLAIN };
			if (first_src[fi]) {
				sp = first[fi];
				with[fi] = 1;
			}
			buf_truncate(&tb, 0);
			buf_truncate(&ub, 0);
			double val;
			if (try_format(&d->v, zh, &sp, &tb, &ub, &val) < 0) {
				F.no = 1; /* a format the value cannot take is the reference's error */
				break;
			}
			free(v->display[m.lang_cfg[i]]);
			v->display[m.lang_cfg[i]] = xstrdup(tb.ptr);
			if (!strcmp(code, "en") && !have_en) {
				have_en = 1;
				en_value = val;
				en_unit = xstrdup(ub.ptr);
			}
		}
		if (F.no) {
			free(en_unit);
			break;
		}
		if (d->v.q) {
			if (!have_en) {
				struct numfmt_spec sp = { NUMFMT_SIG, 3, NUMFMT_PLAIN };
				struct uexpr ex;
				int r = display_expr(&d->v, 0, &sp, &ex);
				if (r < 0) {
					F.no = 1;
					break;
				}
				buf_truncate(&ub, 0);
				if (r == 0) {
					dims_string(d->v.d, &ub);
					en_value = d->v.v;
				} else {
					buf_adds(&ub, ex.name);
					en_value = d->v.v / ex.f;
				}
				en_unit = xstrdup(ub.ptr);
			}
			v->value = en_value;
			v->unit = en_unit;
			buf_truncate(&ub, 0);
			dims_string(d->v.d, &ub);
			v->dims = xstrdup(ub.ptr);
			v->base = d->v.v;
		} else {
			free(en_unit);
			v->value = v->base = d->v.v;
			v->unit = xstrdup("");
			v->dims = xstrdup("");
		}
	}
	if (F.no)
		goto out_with;

	/* inline references */
	cm->refs = xcalloc(src->nspans + 1, sizeof *cm->refs);
	for (size_t i = 0; i < src->nspans && !F.no; i++) {
		const struct calc_span *r = &src->spans[i];
		struct calc_ref *o = &cm->refs[cm->nrefs++];
		o->lang = r->lang;
		int li = ref_lang[i];
		int zh = family(m.langs[li]);
		struct numfmt_spec sp = { NUMFMT_SIG, 3, NUMFMT_PLAIN };
		if (r->spec[0])
			numfmt_parse_spec(r->spec, &sp);
		int just = find_def(&m, r->expr, strlen(r->expr));
		int *cited = NULL, ncited = 0;
		struct formula f = { 0 };
		struct val v;
		buf_truncate(&tb, 0);
		if (just >= 0) {
			cited = xcalloc(1, sizeof *cited);
			cited[ncited++] = just;
			size_t fi = (size_t)just * nl + (size_t)li;
			if (!r->spec[0] || (with[fi] && !strcmp(first_src[fi], r->spec))) {
				buf_adds(&tb, cm->values[just].display[m.lang_cfg[li]]);
			} else {
				double val;
				if (try_format(&m.defs[just].v, zh, &sp, &tb, NULL, &val) < 0)
					F.no = 1;
			}
		} else {
			double val;
			if (parse_formula(r->expr, &f) < 0 || deps_of(&m, &f, &cited, &ncited, 0) < 0)
				F.no = 1;
			else
				eval_node(&F, &m, &f, f.root, &v, 0);
			if (!F.no && (!finite_val(&v) || try_format(&v, zh, &sp, &tb, NULL, &val) < 0))
				F.no = 1;
		}
		free(f.nodes);
		if (F.no) {
			free(cited);
			break;
		}
		o->text = xstrdup(tb.ptr);
		o->name = ncited ? xstrdup(m.defs[cited[0]].d->name) : NULL; /* cites no value: links nowhere */
		o->cites = names_of(&m, cited, ncited);
		o->ncites = (size_t)ncited;
		/* the formula of a single name, or the expression */
		int single = just >= 0;
		if (!single && ncited == 1) {
			const char *p = r->expr;
			while (is_space((unsigned char)*p))
				p++;
			const char *s = p;
			if (is_alpha((unsigned char)*p))
				while (is_alpha((unsigned char)*p) || is_digit((unsigned char)*p))
					p++;
			size_t n = (size_t)(p - s);
			while (is_space((unsigned char)*p))
				p++;
			single = n && !*p && find_def(&m, s, n) == cited[0];
		}
		struct buf title = BUF_INIT;
		if (single) {
			const struct def *d = &m.defs[cited[0]];
			o->formula = xstrdup(d->d->formula);
			o->inputs = names_of(&m, d->deps, d->ndeps);
			o->ninputs = (size_t)d->ndeps;
			title_line(&title, d->d->name, d->d->formula);
			for (int j = 0; j < d->ndeps; j++)
				title_line(&title, m.defs[d->deps[j]].d->name, shown_text(cm, &m, d->deps[j], li));
		} else {
			o->formula = xstrdup(r->expr);
			o->inputs = names_of(&m, cited, ncited);
			o->ninputs = (size_t)ncited;
			buf_adds(&title, r->expr);
			for (int j = 0; j < ncited; j++)
				title_line(&title, m.defs[cited[j]].d->name, shown_text(cm, &m, cited[j], li));
		}
		o->title = buf_detach(&title, NULL);
		free(cited);
	}

out_with:
	free(with);
out_first:
	free(first);
	free(first_src);
	free(ref_lang);
out:
	for (int i = 0; i < m.n; i++) {
		free(m.defs[i].f.nodes);
		free(m.defs[i].deps);
	}
	free(m.defs);
	free(m.langs);
	free(m.lang_cfg);
	buf_release(&tb);
	buf_release(&ub);
	if (F.no) {
		calc_model_free(cm);
		return NULL;
	}
	return cm;
}
