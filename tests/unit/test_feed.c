/* Feeds, sitemap and taxonomy twins over a small site written to a
 * temporary folder: RFC 4287 rules the grammar misses (an author on every
 * entry, a zone on every date, updated = newest entry), hreflang pairs
 * listed from both ends, category_map twins, percent-encoded URLs. */
#include "harness.h"
#include "buf.h"
#include "config.h"
#include "content.h"
#include "feed.h"
#include "fsutil.h"
#include "sitemap.h"
#include "taxonomy.h"
#include "xalloc.h"

#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = fs_join(dir, rel);
	fs_write(p, text, strlen(text));
	free(p);
}

static int count(xmlXPathContextPtr x, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, x);
	int n = o && o->nodesetval ? o->nodesetval->nodeNr : -1;
	if (o && o->type == XPATH_NUMBER)
		n = (int)o->floatval;
	xmlXPathFreeObject(o);
	return n;
}

static char *str(xmlXPathContextPtr x, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, x);
	char *s = o ? (char *)xmlXPathCastToString(o) : NULL;
	xmlXPathFreeObject(o);
	return s;
}

static xmlDocPtr parse(const struct buf *b, xmlXPathContextPtr *x)
{
	xmlDocPtr d = xmlReadMemory(b->ptr, (int)b->len, "t.xml", NULL, XML_PARSE_NONET);
	*x = d ? xmlXPathNewContext(d) : NULL;
	if (*x) {
		xmlXPathRegisterNs(*x, (const xmlChar *)"a", (const xmlChar *)"http://www.w3.org/2005/Atom");
		xmlXPathRegisterNs(*x, (const xmlChar *)"s",
				   (const xmlChar *)"http://www.sitemaps.org/schemas/sitemap/0.9");
		xmlXPathRegisterNs(*x, (const xmlChar *)"x", (const xmlChar *)"http://www.w3.org/1999/xhtml");
	}
	return d;
}

static int has_zone(const char *d)
{
	size_t n = d ? strlen(d) : 0;
	return n >= 20 && (d[n - 1] == 'Z' || (n >= 6 && (d[n - 6] == '+' || d[n - 6] == '-') && d[n - 3] == ':'));
}

static void test_feed(const struct config *c, const struct urls *u, struct content *ct)
{
	for (size_t l = 0; l < c->nlangs; l++) {
		struct buf b = BUF_INIT;
		struct diag_list dl = DIAG_LIST_INIT;
		INT_EQ(feed_render(c, u, ct, l, &b, "feed.xml", &dl), 0, "feed %s: renders", c->langs[l].code);
		xmlXPathContextPtr x;
		xmlDocPtr d = parse(&b, &x);
		OK(d != NULL, "feed %s: well-formed XML", c->langs[l].code);
		if (!d)
			continue;
		int entries = count(x, "/a:feed/a:entry");
		INT_EQ(entries, l == 0 ? 2 : 3, "feed %s: one entry per translated brief", c->langs[l].code);
		INT_EQ(count(x, "/a:feed/a:entry[a:author/a:name]"), entries, "feed %s: every entry has an author",
		       c->langs[l].code);
		INT_EQ(count(x, "/a:feed/a:author/a:name"), 1, "feed %s: the feed names the site's author",
		       c->langs[l].code);
		int zones = 1, n = count(x, "//a:updated | //a:published");
		for (int i = 1; i <= n; i++) {
			char e[80];
			snprintf(e, sizeof e, "string((//a:updated | //a:published)[%d])", i);
			char *v = str(x, e);
			zones &= has_zone(v);
			xmlFree(v);
		}
		OK(zones && n > 0, "feed %s: every date carries a zone", c->langs[l].code);
		char *up = str(x, "string(/a:feed/a:updated)");
		STR_EQ(up, l == 0 ? "2024-12-21T08:00:00+08:00" : "2024-12-20T00:00:00Z",
		       "feed %s: updated is the newest entry's change, by instant", c->langs[l].code);
		xmlFree(up);
		char *self = str(x, "string(/a:feed/a:link[@rel='self']/@href)");
		char *want = xasprintf("https://example.org/b/%s/feed.xml", c->langs[l].code);
		STR_EQ(self, want, "feed %s: rel=self is absolute", c->langs[l].code);
		free(want);
		xmlFree(self);
		if (l == 0) {
			char *cat = str(x, "string(//a:entry[1]/a:category[1]/@term)");
			STR_EQ(cat, "半導體", "feed zh: category term kept as written");
			xmlFree(cat);
			INT_EQ(count(x, "//a:entry[1]/a:content[@type='html']"), 1, "feed zh: full HTML content");
			char *id = str(x, "string(//a:entry[a:title='Z only']/a:id)");
			STR_EQ(id, "https://example.org/b/zh/briefs/z%E4%B8%AD/", "feed zh: ids percent-encoded");
			xmlFree(id);
		}
		xmlXPathFreeContext(x);
		xmlFreeDoc(d);
		buf_release(&b);
		diag_release(&dl);
	}
	/* feed_limit: the newest entries only (en has three) */
	struct config lim = *c;
	lim.feed_limit = 2;
	struct buf b = BUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(feed_render(&lim, u, ct, 1, &b, "feed.xml", &dl), 0, "feed_limit 2: renders");
	xmlXPathContextPtr x;
	xmlDocPtr d = parse(&b, &x);
	if (d) {
		INT_EQ(count(x, "/a:feed/a:entry"), 2, "feed_limit 2: two entries");
		char *first = str(x, "string(//a:entry[1]/a:title)");
		STR_EQ(first, "B", "feed_limit 2: the newest first");
		xmlFree(first);
		xmlXPathFreeContext(x);
		xmlFreeDoc(d);
	}
	buf_release(&b);
	diag_release(&dl);
}

static void test_taxonomy_and_sitemap(const struct config *c, const struct urls *us, struct content *ct)
{
	struct taxonomy tx;
	struct diag_list tdl = DIAG_LIST_INIT;
	INT_EQ(taxonomy_build(&tx, c, us, ct, &tdl), 0, "taxonomy: builds");
	diag_release(&tdl);
	const struct tax_list *zc = taxonomy_list(&tx, 0, TAX_CATEGORIES), *ec = taxonomy_list(&tx, 1, TAX_CATEGORIES);
	INT_EQ(zc->n, 1, "taxonomy: zh has one category");
	INT_EQ(ec->n, 2, "taxonomy: en has two categories (Semiconductor, semiconductor merged)");
	STR_EQ(zc->terms[0].url, "/zh/categories/半導體/", "taxonomy: CJK slug kept");
	size_t tw = zc->terms[0].twins[1];
	OK(tw != TAX_NONE && !strcmp(ec->terms[tw].url, "/en/categories/semiconductor/"),
	   "taxonomy: category_map twin 半導體 -> Semiconductor");
	OK(tw != TAX_NONE && ec->terms[tw].twins[0] == 0, "taxonomy: and back");
	INT_EQ(ec->terms[tw].n, 2, "taxonomy: Semiconductor lists two briefs");
	OK(ec->terms[tw].n == 2 && ec->terms[tw].briefs[0]->index < ec->terms[tw].briefs[1]->index,
	   "taxonomy: newest first");
	size_t other = tw == 0 ? 1 : 0;
	OK(ec->terms[other].twins[0] == TAX_NONE, "taxonomy: a term without a twin has none");
	const struct tax_list *zt = taxonomy_list(&tx, 0, TAX_TAGS), *et = taxonomy_list(&tx, 1, TAX_TAGS);
	OK(zt->n == 1 && et->n == 1 && zt->terms[0].twins[1] == 0, "taxonomy: same-slug tags are twins");

	/* sitemap: two groups and a loner; every pair listed from both ends */
	struct sitemap_url u[] = {
		{ "/zh/", "2024-12-20T00:00:00Z", 0, 0 },
		{ "/zh/briefs/a/", NULL, 0, 1 },
		{ "/en/", NULL, 1, 0 },
		{ "/en/briefs/a/", NULL, 1, 1 },
		{ "/en/briefs/only/", NULL, 1, SITEMAP_NO_GROUP },
	};
	struct buf b = BUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(sitemap_render(c, us, u, 5, &b, "sitemap.xml", &dl), 0, "sitemap: renders");
	xmlXPathContextPtr x;
	xmlDocPtr d = parse(&b, &x);
	OK(d != NULL, "sitemap: well-formed XML");
	if (d) {
		INT_EQ(count(x, "/s:urlset/s:url"), 5, "sitemap: every page listed");
		INT_EQ(count(x, "//s:url[s:loc='https://example.org/b/en/briefs/only/']/x:link"), 0,
		       "sitemap: a page without translations has no alternates");
		INT_EQ(count(x, "//s:url[s:loc='https://example.org/b/en/briefs/a/']/x:link[@hreflang='x-default']"
				"[@href='https://example.org/b/zh/briefs/a/']"), 1,
		       "sitemap: x-default is the default language's page");
		/* reciprocity: for every (loc, href) alternate there is (href, loc) */
		int pairs = count(x, "//x:link[@hreflang!='x-default']"), back = 0;
		for (int i = 1; i <= pairs; i++) {
			char e[200];
			snprintf(e, sizeof e, "string((//x:link[@hreflang!='x-default'])[%d]/../s:loc)", i);
			char *loc = str(x, e);
			snprintf(e, sizeof e, "string((//x:link[@hreflang!='x-default'])[%d]/@href)", i);
			char *href = str(x, e);
			char *q = xasprintf("//s:url[s:loc='%s']/x:link[@hreflang!='x-default'][@href='%s']", href, loc);
			back += count(x, q) == 1;
			free(q);
			xmlFree(loc);
			xmlFree(href);
		}
		OK(pairs == 8 && back == pairs, "sitemap: every alternate pair is reciprocal (%d/%d)", back, pairs);
		xmlXPathFreeContext(x);
		xmlFreeDoc(d);
	}
	buf_release(&b);
	sitemap_robots(us, &b);
	STR_EQ(b.ptr, "User-agent: *\nAllow: /\n\nSitemap: https://example.org/b/sitemap.xml\n",
	       "robots.txt points at the sitemap");
	buf_release(&b);
	diag_release(&dl);
	taxonomy_release(&tx);
}

int main(void)
{
	char tmpl[] = "/tmp/briefgen-test-feed-XXXXXX";
	if (!mkdtemp(tmpl))
		return 1;
	char *content = fs_join(tmpl, "content");
	put(content, "site.lua",
	    "return { base_url = 'https://example.org/b', timezone = '+08:00',\n"
	    "  authors = { 'Site Desk' }, category_map = { ['半導體'] = 'Semiconductor' } }\n");
	put(content, "briefs/2024-12-13-a/zh.md",
	    "---\ntitle: 甲\ncategories: [半導體]\ntags: [GPU]\nupdated: 2024-12-21 08:00\n---\n正文。\n");
	put(content, "briefs/2024-12-13-a/en.md",
	    "---\ntitle: A\ncategories: [Semiconductor, semiconductor]\ntags: [gpu]\nauthors: [Ann]\n---\nBody.\n");
	put(content, "briefs/2024-12-20-b/en.md",
	    "---\ntitle: B\ndate: 2024-12-20T00:00:00Z\ncategories: [Semiconductor, Other]\n---\nBody.\n");
	put(content, "briefs/2024-12-01-z中.md", "---\ntitle: Z only\n---\n中文。\n");
	put(content, "briefs/2024-11-01-old/en.md", "---\ntitle: Old\n---\nOld.\n");
	struct config c;
	struct content ct;
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(config_load(&c, content, &dl), 0, "fixture: config loads");
	struct urls u;
	urls_init(&u, &c);
	INT_EQ(content_scan(&ct, &c, &u, content, 0, NULL, 0, &dl), 0, "fixture: content scans");
	for (size_t i = 0; i < ct.n; i++)
		for (size_t l = 0; l < c.nlangs; l++)
			if (ct.briefs[i]->pages[l]) {
				struct page *pg = ct.briefs[i]->pages[l];
				pg->html_blob = blob_new("<p>Body &amp; more</p>\n", strlen("<p>Body &amp; more</p>\n"));
				pg->html = pg->html_blob->data;
				pg->summary = xstrdup("Body");
			}
	test_feed(&c, &u, &ct);
	test_taxonomy_and_sitemap(&c, &u, &ct);
	urls_release(&u);
	content_release(&ct);
	config_release(&c);
	diag_release(&dl);
	fs_rm_rf(tmpl);
	free(content);
	return harness_done();
}
