/* numfmt — lua/numfmt.lua's core in C. Each function below is the Lua
 * function of the same name, step for step, so that the two can be read
 * side by side; tests/unit/test_numfmt.c checks that they agree. */
#include "numfmt.h"
#include "buf.h"

#include <lauxlib.h>
#include <lua.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* A decimal: digits dg[0..len) without leading or trailing zeros, the
 * first at 10^e. Zero is len 0, neg 0, e 0. At most 19 digits come in (an
 * integer's) and rounding only shortens them. */
struct dec {
	int neg, len, e;
	char dg[24];
};

static const struct dec zero;

/* Digits of u, trailing zeros dropped; e is the count less one. */
static void from_unsigned(struct dec *d, unsigned long long u)
{
	char s[24], *p = s + sizeof s;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	int n = (int)(s + sizeof s - p);
	memmove(s, p, (size_t)n);
	d->e = n - 1;
	while (n > 1 && s[n - 1] == '0')
		n--;
	memcpy(d->dg, s, (size_t)n);
	d->len = n;
}

/* The powers of ten that are exact doubles. */
static const double tens[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
				1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* Whether s, a%.<p>e of a, reads back as a: strtod, or for a mantissa
 * below 2^53 and a power of ten within 10^±22 (both exact doubles) one
 * multiplication or division, which IEEE rounds correctly as strtod does. */
static int reads_back(const char *s, int p, double a)
{
	unsigned long long m = (unsigned long long)(s[0] - '0');
	for (int i = 0; i < p; i++)
		m = m * 10 + (unsigned long long)(s[2 + i] - '0');
	int k = atoi(s + 3 + p) - p; /* s is d.ddd…e±xx: a = m·10^k, read back */
	if (m <= 9007199254740992ull && k >= -22 && k <= 22)
		return (k >= 0 ? (double)m * tens[k] : (double)m / tens[-k]) == a;
	return strtod(s, NULL) == a;
}

/* The shortest of %.14e, %.15e, %.16e that reads back (numfmt.lua's
 * to_decimal); whole floats below 2^53 use their integer's digits. */
static void from_double(double n, struct dec *d)
{
	*d = zero;
	if (n == 0)
		return;
	int neg = n < 0;
	double a = neg ? -n : n;
	if (a < 9007199254740992.0 && a == floor(a)) {
		from_unsigned(d, (unsigned long long)a);
		d->neg = neg;
		return;
	}
	/* Most values shown are short decimals (0.66, 37.5, 1.45e-3): when a
	 * is the double nearest x / 10^p for an integer x below 10^15, its
	 * %.14e is x's digits (a is within half an ulp, 1.1e-16 of it, of a
	 * decimal on the 15-digit grid, whose points are at least 5e-16 of it
	 * apart), and that reads back: the result of the loop below without
	 * formatting a three times. The smallest p gives x without trailing
	 * zeros. */
	if (a < 1e15 && a >= 1e-7) {
		for (int p = 1; p <= 22; p++) {
			double x = nearbyint(a * tens[p]);
			if (x >= 1e15)
				break;
			if (x / tens[p] == a) {
				from_unsigned(d, (unsigned long long)x);
				d->e -= p;
				d->neg = neg;
				return;
			}
		}
	}
	char s[48];
	for (int p = 14; p <= 16; p++) {
		snprintf(s, sizeof s, "%.*e", p, a);
		if (p == 16 || reads_back(s, p, a)) /* 17 digits always read back */
			break;
	}
	/* "d.ddd…e±xx" */
	char *ep = strchr(s, 'e');
	int n_ = 0;
	d->dg[n_++] = s[0];
	for (const char *p = s + 2; p < ep; p++)
		d->dg[n_++] = *p;
	while (n_ > 1 && d->dg[n_ - 1] == '0')
		n_--;
	d->len = n_;
	d->e = atoi(ep + 1);
	d->neg = neg;
}

/* The Lua number at idx: an integer uses its exact digits. */
static void to_decimal(lua_State *L, int idx, struct dec *d)
{
	*d = zero;
	if (!lua_isinteger(L, idx)) {
		from_double(lua_tonumber(L, idx), d);
		return;
	}
	lua_Integer i = lua_tointeger(L, idx);
	if (i == 0)
		return;
	unsigned long long u = (unsigned long long)i;
	from_unsigned(d, i < 0 ? 0 - u : u);
	d->neg = i < 0;
}

/* Keeps the digits down to 10^place, half away from zero. */
static void round_at(struct dec *d, int place)
{
	long keep = (long)d->e - place + 1;
	if (d->len <= keep)
		return;
	if (keep < 0) {
		*d = zero;
		return;
	}
	int n = (int)keep;
	if (d->dg[n] >= '5') {
		int i = n;
		while (i >= 1 && d->dg[i - 1] == '9')
			i--;
		if (i == 0) {
			d->dg[0] = '1';
			n = 1;
			d->e++;
		} else {
			d->dg[i - 1]++;
			n = i;
		}
	}
	while (n > 0 && d->dg[n - 1] == '0')
		n--;
	if (n == 0) {
		*d = zero;
		return;
	}
	d->len = n;
}

struct scale {
	int pow;
	const char *text;
};

static const struct scale scales_en[] = { { 0, "" }, { 6, " million" }, { 9, " billion" }, { 12, " trillion" } };
static const struct scale scales_zh[] = { { 0, "" }, { 4, "萬" }, { 8, "億" }, { 12, "兆" } };
static const struct scale noscale[] = { { 0, "" } };

static const struct scale *pick(const struct scale *s, int n, int e)
{
	if (n == 1 || e < s[1].pow)
		return &s[0];
	for (int i = n - 1; i >= 2; i--)
		if (e >= s[i].pow)
			return &s[i];
	return &s[1];
}

#define SIG NUMFMT_SIG
#define FIXED NUMFMT_FIXED
#define INT NUMFMT_INT
#define NONE NUMFMT_PLAIN
#define PCT NUMFMT_PCT
#define TIMES NUMFMT_TIMES
#define spec numfmt_spec

static int place_for(const struct spec *sp, int e, int pow)
{
	if (sp->kind == SIG)
		return e - sp->n + 1;
	if (sp->kind == FIXED)
		return pow - sp->n;
	return 0;
}

static void add_zeros(struct buf *b, long n)
{
	for (; n > 0; n--)
		buf_addch(b, '0');
}

/* The integer part, grouped by threes: digits dg[0..len) then z zeros. */
static void add_grouped(struct buf *b, const char *dg, long len, long z)
{
	long total = len + z;
	for (long i = 0; i < total; i++) {
		if (i && (total - i) % 3 == 0)
			buf_addch(b, ',');
		buf_addch(b, i < len ? dg[i] : '0');
	}
}

/* numfmt.lua's render: the digits with the leading one at 10^e. */
static void render(struct buf *b, const struct dec *d, long e, long mindec)
{
	long fraclen = 0;
	if (d->neg && d->len)
		buf_addch(b, '-');
	if (!d->len) {
		buf_addch(b, '0');
	} else if (e < 0) {
		buf_addch(b, '0');
		fraclen = -e - 1 + d->len;
	} else if (d->len <= e + 1) {
		add_grouped(b, d->dg, d->len, e + 1 - d->len);
	} else {
		add_grouped(b, d->dg, e + 1, 0);
		fraclen = d->len - (e + 1);
	}
	long pad = mindec > fraclen ? mindec - fraclen : 0;
	if (fraclen + pad == 0)
		return;
	buf_addch(b, '.');
	if (d->len && e < 0) {
		add_zeros(b, -e - 1);
		buf_add(b, d->dg, (size_t)d->len);
	} else if (fraclen) {
		buf_add(b, d->dg + e + 1, (size_t)fraclen);
	}
	add_zeros(b, pad);
}

static void put_text(struct buf *b, const struct dec *d, const struct scale *s, int sci, int zh,
		     const struct spec *sp)
{
	if (sci) {
		if (d->neg)
			buf_addch(b, '-');
		buf_addch(b, d->dg[0]);
		if (d->len > 1) {
			buf_addch(b, '.');
			buf_add(b, d->dg + 1, (size_t)d->len - 1);
		}
		buf_addf(b, "e%d", d->e);
	} else {
		render(b, d, (long)d->e - s->pow, sp->kind == FIXED ? sp->n : 0);
		buf_adds(b, s->text);
	}
	if (sp->suffix == PCT)
		buf_addch(b, '%');
	else if (sp->suffix == TIMES)
		buf_adds(b, zh ? "倍" : "×");
}

/* numfmt.lua's number_of: the shown value, in the units of n. */
static double number_of(const struct dec *d, const struct spec *sp)
{
	if (!d->len)
		return 0;
	char s[64];
	snprintf(s, sizeof s, "%s%c.%.*s0e%d", d->neg ? "-" : "", d->dg[0], d->len - 1, d->dg + 1,
		 d->e - (sp->suffix == PCT ? 2 : 0));
	return strtod(s, NULL);
}

/* numfmt.lua's core: d rounded for display (into r), its scale and
 * whether it is written in scientific notation. */
static const struct scale *shape(const struct dec *d0, int zh, const struct spec *sp, struct dec *r, int *sci)
{
	struct dec d = *d0;
	if (sp->suffix == PCT)
		d.e += 2;
	const struct scale *sc = zh ? scales_zh : scales_en;
	int nsc = 4;
	if (sp->kind == INT || sp->suffix == PCT) {
		sc = noscale;
		nsc = 1;
	}
	const struct scale *s = pick(sc, nsc, d.e);
	*r = d;
	round_at(r, place_for(sp, d.e, s->pow));
	if (r->len && r->e != d.e && pick(sc, nsc, r->e) != s) {
		s = pick(sc, nsc, r->e);
		*r = d;
		round_at(r, place_for(sp, d.e, s->pow));
	}
	*sci = sp->kind == SIG && r->len && r->e < -6;
	return s;
}

void numfmt_show(double n, int zh, const struct numfmt_spec *sp, struct buf *text, double *shown)
{
	struct dec d, r;
	int sci;
	from_double(n, &d);
	const struct scale *s = shape(&d, zh, sp, &r, &sci);
	if (text)
		put_text(text, &r, s, sci, zh, sp);
	if (shown)
		*shown = number_of(&r, sp);
}

void numfmt_fixed(struct buf *out, double v, int decimals)
{
	static const double scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };
	double y = v * scale[decimals], r = nearbyint(y);
	/* y is v·10^d within |y|·2^-53 (< 1.2e-4 below 1e12): when it is more
	 * than 1e-3 from a tie, so is the exact product printf rounds, and
	 * both round to r */
	if (!(fabs(y) < 1e12) || fabs(y - r) > 0.5 - 1e-3) {
		char s[400];
		int n = snprintf(s, sizeof s, "%.*f", decimals, v);
		buf_add(out, s, n > 0 && (size_t)n < sizeof s ? (size_t)n : 0);
		return;
	}
	if (signbit(v)) /* printf writes -0.00 for what rounds to zero from below */
		buf_addch(out, '-');
	unsigned long long a = (unsigned long long)fabs(r);
	unsigned long long ip = a, fp = 0;
	for (int i = 0; i < decimals; i++)
		ip /= 10;
	fp = a - ip * (unsigned long long)scale[decimals];
	buf_addu(out, ip);
	if (decimals) {
		char f[8];
		for (int i = decimals - 1; i >= 0; i--, fp /= 10)
			f[i] = (char)('0' + fp % 10);
		buf_addch(out, '.');
		buf_add(out, f, (size_t)decimals);
	}
}

/* A string of digits (at least one) as an int, or -1 past max. */
static int digits(const char *p, const char *end, int max)
{
	if (p == end)
		return -2;
	long v = 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -2;
		if (v <= max)
			v = v * 10 + (*p - '0');
	}
	return v > max ? -1 : (int)v;
}

int numfmt_parse_spec(const char *s, struct numfmt_spec *sp)
{
	*sp = (struct numfmt_spec){ SIG, 3, NONE };
	size_t len = strlen(s);
	if (!len)
		return 0;
	if (!strcmp(s, "int")) {
		sp->kind = INT;
		sp->n = 0;
		return 0;
	}
	const char *end = s + len;
	if (len >= 3 && !memcmp(end - 3, "pct", 3)) {
		sp->suffix = PCT;
		end -= 3;
	} else if (end[-1] == 'x') {
		sp->suffix = TIMES;
		end--;
	}
	if (end - s >= 3 && !memcmp(s, "sig", 3)) {
		int n = digits(s + 3, end, 15);
		sp->n = n;
		return n >= 1 ? 0 : -1;
	}
	if (end > s && s[0] == '.') {
		const char *stop = sp->suffix ? end : end - 1;
		if (sp->suffix || (stop > s && *stop == 'f')) {
			int n = digits(s + 1, stop, 10);
			sp->kind = FIXED;
			sp->n = n;
			return n >= 0 ? 0 : -1;
		}
	}
	if (sp->suffix && end == s)
		return 0;
	return -1;
}

/* The spec table at idx, when it is one this core knows. */
static int read_spec(lua_State *L, int idx, struct spec *sp)
{
	if (!lua_istable(L, idx))
		return 0;
	*sp = (struct spec){ SIG, 0, NONE };
	int ok = 1;
	lua_getfield(L, idx, "kind");
	const char *k = lua_tostring(L, -1);
	if (lua_type(L, -1) != LUA_TSTRING)
		ok = 0;
	else if (!strcmp(k, "sig"))
		sp->kind = SIG;
	else if (!strcmp(k, "fixed"))
		sp->kind = FIXED;
	else if (!strcmp(k, "int"))
		sp->kind = INT;
	else
		ok = 0;
	lua_getfield(L, idx, "n");
	int isint;
	lua_Integer n = lua_tointegerx(L, -1, &isint);
	sp->n = (int)n;
	if (sp->kind != INT && (!isint || n < 0 || n > 40))
		ok = 0;
	lua_getfield(L, idx, "suffix");
	const char *sx = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	if (lua_isnil(L, -1))
		sp->suffix = NONE;
	else if (sx && !strcmp(sx, "pct"))
		sp->suffix = PCT;
	else if (sx && !strcmp(sx, "x"))
		sp->suffix = TIMES;
	else
		ok = 0;
	lua_pop(L, 3);
	return ok;
}

/* core(n, lang, spec, mode): see numfmt.h. */
static int l_core(lua_State *L)
{
	if (lua_type(L, 1) != LUA_TNUMBER || lua_type(L, 2) != LUA_TSTRING)
		return 0;
	const char *lang = lua_tostring(L, 2);
	int zh = !strcmp(lang, "zh");
	if (!zh && strcmp(lang, "en"))
		return 0;
	if (!lua_isinteger(L, 1) && !isfinite(lua_tonumber(L, 1)))
		return 0;
	struct spec sp;
	if (!read_spec(L, 3, &sp))
		return 0;
	lua_Integer mode = luaL_optinteger(L, 4, 0);

	struct dec d, r;
	int sci;
	to_decimal(L, 1, &d);
	const struct scale *s = shape(&d, zh, &sp, &r, &sci);
	if (mode != 1) {
		struct buf b = BUF_INIT;
		put_text(&b, &r, s, sci, zh, &sp);
		lua_pushlstring(L, b.ptr, b.len);
		buf_release(&b);
	}
	if (mode != 0) {
		if (r.len)
			lua_pushnumber(L, number_of(&r, &sp));
		else
			lua_pushinteger(L, 0);
	}
	return mode == 2 ? 2 : 1;
}

int numfmt_open(lua_State *L)
{
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, l_core);
	lua_setfield(L, -2, "core");
	return 1;
}
