/* pageinfo — dates for the output stages. */
#include "pageinfo.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
int pageinfo_instant(const char *iso, long long *out)
{
	struct fm_date d;
	/* RFC 3339 only: a full time and a zone, as content_date_iso writes */
	if (!iso || strlen(iso) < 20 || iso[10] != 'T' || fm_parse_date(iso, &d) < 0 || !d.has_time ||
	    !d.has_tz)
		return -1;
	*out = fm_date_epoch(&d, 0);
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

