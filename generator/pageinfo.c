/* pageinfo — URLs and dates for the output stages. */
#include "pageinfo.h"
#include "md.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *pageinfo_abs_url(const struct config *c, const char *url)
{
	struct buf b = BUF_INIT;
	const char *parts[2] = { c->base_url, url + (*url == '/') };
	for (int k = 0; k < 2; k++)
		for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
			if (*p >= 0x80 || *p <= 0x20 || strchr("\"<>\\^`{|}", *p))
				buf_addf(&b, "%%%02X", *p);
			else
				buf_addch(&b, (char)*p);
		}
	return buf_detach(&b, NULL);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

int pageinfo_instant(const char *iso, long long *out)
{
	int y, mo, d, h, mi, s, n = 0;
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 || n != 19)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	long long t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
	const char *z = iso + 19;
	if (!strcmp(z, "Z")) {
		*out = t;
		return 0;
	}
	int zh, zm, m = 0;
	if ((z[0] != '+' && z[0] != '-') || sscanf(z + 1, "%2d:%2d%n", &zh, &zm, &m) != 2 || m != 5 || z[6])
		return -1;
	long long off = zh * 3600 + zm * 60;
	*out = z[0] == '+' ? t - off : t + off;
	return 0;
}

const char *pageinfo_later(const char *a, const char *b)
{
	long long ta, tb;
	if (!b || pageinfo_instant(b, &tb) < 0)
		return a;
	if (!a || pageinfo_instant(a, &ta) < 0)
		return b;
	return tb > ta ? b : a;
}

char *pageinfo_updated(const struct page *p, const struct config *c)
{
	const char *keys[] = { "updated", "last_modified_at" };
	for (int k = 0; k < 2; k++) {
		const struct fm_node *n = fm_get(&p->fm.root, keys[k]);
		struct fm_date d;
		if (!n || n->kind != FM_SCALAR || fm_parse_date(n->str, &d) < 0)
			continue;
		char *iso = content_date_iso(&d, c->timezone);
		if (pageinfo_later(p->brief->date_iso, iso) == iso)
			return iso;
		free(iso);
		break;
	}
	return xstrdup(p->brief->date_iso);
}

void pageinfo_term_slug(const char *name, struct buf *out)
{
	md_slugify(name, out);
}

char *pageinfo_term_url(const struct config *c, size_t lang, const char *kind, const char *name)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "/%s/%s/", c->langs[lang].code, kind);
	pageinfo_term_slug(name, &b);
	buf_addch(&b, '/');
	return buf_detach(&b, NULL);
}
