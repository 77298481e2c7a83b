/* urls — the URL scheme. */
#include "urls.h"
#include "hash.h"
#include "md.h"
#include "xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "banned.h"

char *urls_base_path(const char *base_url)
{
	const char *p = base_url ? strstr(base_url, "://") : NULL;
	p = p ? strchr(p + 3, '/') : base_url;
	return xstrdup(p && *p == '/' ? p : "/");
}

void urls_init(struct urls *u, const struct config *cfg)
{
	u->cfg = cfg;
	u->base_path = urls_base_path(cfg->base_url);
}

void urls_release(struct urls *u)
{
	free(u->base_path);
	memset(u, 0, sizeof *u);
}

static const char *code(const struct urls *u, size_t lang)
{
	return u->cfg->langs[lang].code;
}

char *urls_home(const struct urls *u, size_t lang)
{
	return xasprintf("/%s/", code(u, lang));
}

char *urls_brief(const struct urls *u, size_t lang, const char *slug)
{
	return xasprintf("/%s/briefs/%s/", code(u, lang), slug);
}

char *urls_kind(const struct urls *u, size_t lang, const char *kind)
{
	return xasprintf("/%s/%s/", code(u, lang), kind);
}

void urls_term_slug(const char *name, struct buf *out)
{
	size_t start = out->len;
	md_slugify(name, out);
	/* A name of only punctuation or symbols (`#$%^`, an emoji) keeps
	 * nothing, and md_slugify gives it the fallback 'section', which a real
	 * tag may be called: such a name gets a stable slug of its own, 'tag-'
	 * and 8 hex digits of its hash (distinct names, distinct URLs; a clash
	 * is taxonomy.c's error). */
	if (strcmp(out->ptr + start, "section"))
		return;
	for (const char *p = name; *p; p++)
		if (!strncasecmp(p, "section", 7))
			return;
	buf_truncate(out, start);
	struct hasher *h = hash_new();
	hash_str(h, name);
	struct hash128 v = hash_done(h);
	buf_addf(out, "tag-%08" PRIx32, (uint32_t)(v.lo >> 32));
}

char *urls_term(const struct urls *u, size_t lang, const char *kind, const char *name)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "/%s/%s/", code(u, lang), kind);
	urls_term_slug(name, &b);
	buf_addch(&b, '/');
	return buf_detach(&b, NULL);
}

char *urls_feed(const struct urls *u, size_t lang)
{
	return xasprintf("/%s/feed.xml", code(u, lang));
}

char *urls_numbers(const struct urls *u, const char *slug)
{
	(void)u;
	return xasprintf("/briefs/%s/numbers.json", slug);
}

char *urls_asset(const struct urls *u, const char *file)
{
	(void)u;
	return xasprintf("/assets/%s", file);
}

char *urls_paged(const char *first, size_t page)
{
	return page <= 1 ? xstrdup(first) : xasprintf("%spage/%zu/", first, page);
}

char *urls_file(const char *url)
{
	size_t n = strlen(url);
	if (n && url[n - 1] == '/')
		return xasprintf("%sindex.html", url + 1);
	return xstrdup(url + (*url == '/'));
}

char *urls_abs(const struct urls *u, const char *url)
{
	struct buf b = BUF_INIT;
	const char *parts[2] = { u->cfg->base_url, url + (*url == '/') };
	for (int k = 0; k < 2; k++)
		urls_pct_encode(&b, parts[k], strlen(parts[k]), URLS_PCT_IRI);
	return buf_detach(&b, NULL);
}

void urls_pct_encode(struct buf *b, const char *s, size_t n, enum urls_pct how)
{
	static const char keep[] = "-._~!$&'()*+,;=:@/";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		int esc = how == URLS_PCT_IRI ? ch >= 0x80 || ch <= 0x20 || strchr("\"<>\\^`{|}", ch)
					      : !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
						   (ch >= '0' && ch <= '9') || (ch && strchr(keep, ch)));
		if (esc)
			buf_addf(b, "%%%02X", ch);
		else
			buf_addch(b, (char)ch);
	}
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

char *urls_pct_decode(const char *s, size_t n)
{
	char *o = xmalloc(n + 1), *w = o;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = hexval((unsigned char)s[i + 2])) >= 0 && (h || l)) {
			*w++ = (char)(h * 16 + l);
			i += 2;
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return o;
}
