/* htmltok: the tokens of hand-written cases (attributes, references, raw
 * text, comments, foreign content, the page ending anywhere), and the links
 * and ids of every page of the golden trees read both by htmltok and by
 * libxml2's HTML parser, which the link check used before: the same. */
#include "harness.h"
#include "buf.h"
#include "fsutil.h"
#include "htmltok.h"

#include <stdlib.h>

#include <libxml/HTMLparser.h>

#ifndef BRIEFGEN_DATADIR
#error "the Makefile passes BRIEFGEN_DATADIR: the repository, which holds tests/golden"
#endif

/* ---- tokens as text: <name a="v">, </name>, [text] ------------------------ */

static void d_start(void *ctx, const char *tag, const char *const *atts)
{
	struct buf *b = ctx;
	buf_addf(b, "<%s", tag);
	for (; atts[0]; atts += 2)
		buf_addf(b, " %s=\"%s\"", atts[0], atts[1]);
	buf_adds(b, ">");
}

static void d_end(void *ctx, const char *tag)
{
	buf_addf(ctx, "</%s>", tag);
}

static void d_text(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;
	buf_adds(b, "[");
	buf_add(b, s, n);
	buf_adds(b, "]");
}

static void tokens(const char *html, const char *want, const char *what)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "");
	htmltok_read(html, strlen(html), &(struct htmltok_sink){ &b, d_start, d_end, d_text });
	STR_EQ(b.ptr, want, "tokens: %s", what);
	buf_release(&b);
}

static void test_tokens(void)
{
	tokens("<p class=x>Hi &amp; bye</p>", "<p class=\"x\">[Hi & bye]</p>", "a start tag, text, an end tag");
	tokens("<A HREF='/a' Href=\"/b\" data-x checked id = \"i\"\n\tclass=c>",
	       "<a href=\"/a\" data-x=\"\" checked=\"\" id=\"i\" class=\"c\">",
	       "names in lowercase, the first of a repeated one, values in any quotes or none");
	tokens("<a href=/x/>t</a>", "<a href=\"/x/\">[t]</a>", "an unquoted value keeps its slashes");
	tokens("<div/>x<br/>", "<div>[x]<br>", "a self-closing slash on an HTML element means nothing");
	tokens("<svg viewBox=\"0 0 1 1\"><path d=\"M0\"/><style>a<b></style></svg><p/>",
	       "<svg viewbox=\"0 0 1 1\"><path d=\"M0\"></path><style>[a]<b></style></svg><p>",
	       "inside svg: self-closing tags end, style is markup");
	tokens("<svg/><p>", "<svg></svg><p>", "a self-closing svg is no open drawing");
	tokens("<script>if (a<b) x=\"</scrip\"</script ><p>", "<script>[if (a<b) x=\"</scrip\"]</script><p>",
	       "script holds raw text up to its end tag");
	tokens("<STYLE>a { b: url(</style>) }</STYLE>", "<style>[a { b: url(]</style>[) }]</style>",
	       "style's raw text ends at the first </style, in any case");
	tokens("<title>A &lt;b&gt; <i>x</i></title>", "<title>[A <b> <i>x</i>]</title>",
	       "title holds text with references and no tags");
	tokens("<!DOCTYPE html><!-- <a href=x> --><!--><!---><?xml x?>t<!-- a --!><p>", "[t]<p>",
	       "doctype, comments (also <!--> and --!>) and processing instructions are skipped");
	tokens("a < b <3 <> x", "[a < b <3 <> x]", "a '<' not starting a tag is text");
	tokens("&#x41;&#66;&#0;&bogus;&amp&lt;&#x110000;", "[AB\xef\xbf\xbd&bogus;&amp<\xef\xbf\xbd]",
	       "references: numeric, named with ';', the rest as written, no character as U+FFFD");
	tokens("<a title=\"&quot;x&#39;&eacute;\">", "<a title=\"\"x'\xc3\xa9\">", "references in values");
	tokens("<p>ok<a href=\"/x", "<p>[ok]", "a page ending inside a tag drops the tag");
	tokens("<p>ok<a href=", "<p>[ok]", "or inside an attribute");
	tokens("<![CDATA[x]]>y", "[y]", "CDATA outside svg is a bogus comment up to its first '>'");
	tokens("<svg><![CDATA[a<b]]></svg>", "<svg>[a<b]</svg>", "CDATA inside svg is text");
	tokens("</p class=\"a>b\">x</>y</ z>w", "</p>[x][y][w]", "end tags' attributes, </> and </ z> skipped");
	tokens("<plaintext><a>", "<plaintext>[<a>]", "plaintext: the rest is text");
	tokens("x</", "[x</]", "the page ending after </");
	tokens("<textarea>&amp;</textarea>", "<textarea>[&]</textarea>", "textarea decodes references");
	tokens("", "", "nothing");

	/* no text reader: references are not decoded, nothing is said */
	struct buf b = BUF_INIT;
	buf_adds(&b, "");
	const char *h = "a &amp; <i>b</i> <title>t</title>";
	htmltok_read(h, strlen(h), &(struct htmltok_sink){ &b, d_start, d_end, NULL });
	STR_EQ(b.ptr, "<i></i><title></title>", "tokens: without a text reader only tags");
	buf_release(&b);
}

/* ---- against libxml2: links and ids of the golden trees' pages ----------- */

/* What the link check takes from one start tag (linkcheck.c), as
 * "link:v" and "id:v" lines. */
static void take(struct buf *b, const char *tag, const char *const *atts)
{
	static const char *const links[] = { "href", "src", "poster", "data", "srcset", NULL };
	for (const char *const *k = links; *k; k++)
		for (const char *const *a = atts; a && a[0]; a += 2)
			if (!strcmp(a[0], *k)) {
				buf_addf(b, "link:%s\n", a[1] ? a[1] : "");
				break;
			}
	for (const char *const *a = atts; a && a[0]; a += 2)
		if (!strcmp(a[0], "id") || (!strcmp(a[0], "name") && !strcmp(tag, "a"))) {
			buf_addf(b, "id:%s\n", a[1] ? a[1] : "");
			break;
		}
}

struct ref {
	struct buf out;
	int skip; /* inside script or style */
};

static void x_start(void *ctx, const xmlChar *tag, const xmlChar **atts)
{
	struct ref *r = ctx;
	if (r->skip) {
		r->skip++;
		return;
	}
	if (!strcmp((const char *)tag, "script") || !strcmp((const char *)tag, "style"))
		r->skip = 1;
	take(&r->out, (const char *)tag, (const char *const *)atts);
}

static void x_end(void *ctx, const xmlChar *tag)
{
	struct ref *r = ctx;
	(void)tag;
	if (r->skip)
		r->skip--;
}

static char *by_libxml2(const char *html, size_t n)
{
	struct ref r = { BUF_INIT, 0 };
	buf_adds(&r.out, "");
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	memset(ctxt->sax, 0, sizeof *ctxt->sax);
	ctxt->sax->startElement = x_start;
	ctxt->sax->endElement = x_end;
	ctxt->userData = &r;
	htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html, (int)n, NULL, "UTF-8",
					    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
						    XML_PARSE_HUGE | HTML_PARSE_IGNORE_ENC);
	xmlFreeDoc(doc);
	htmlFreeParserCtxt(ctxt);
	return buf_detach(&r.out, NULL);
}

static void t_start(void *ctx, const char *tag, const char *const *atts)
{
	take(ctx, tag, atts);
}

static char *by_htmltok(const char *html, size_t n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "");
	htmltok_read(html, n, &(struct htmltok_sink){ &b, t_start, NULL, NULL });
	return buf_detach(&b, NULL);
}

static void compare_tree(const char *dir, size_t *pages, size_t *same)
{
	char **names = fs_list(dir);
	for (char **e = names; e && *e; e++) {
		char *path = fs_join(dir, *e);
		size_t len = strlen(path);
		if (fs_is_dir(path)) {
			compare_tree(path, pages, same);
		} else if (len > 5 && !strcmp(path + len - 5, ".html")) {
			struct buf html = BUF_INIT;
			if (fs_read(path, &html) == 0) {
				char *a = by_libxml2(html.ptr, html.len), *b = by_htmltok(html.ptr, html.len);
				(*pages)++;
				if (!strcmp(a, b))
					(*same)++;
				else
					STR_EQ(b, a, "against libxml2: %s", path);
				free(a);
				free(b);
			}
			buf_release(&html);
		}
		free(path);
	}
	fs_list_free(names);
}

static void test_against_libxml2(void)
{
	size_t pages = 0, same = 0;
	compare_tree(BRIEFGEN_DATADIR "/tests/golden", &pages, &same);
	OK(pages >= 100, "against libxml2: the golden trees hold pages (%zu)", pages);
	INT_EQ(same, pages, "against libxml2: every page's links and ids are the same");
	/* and where the two read HTML differently on purpose: script's end */
	const char *h = "<script>document.write('<a href=\"/in-script/\">')</script><a href=\"/after/\">";
	char *b = by_htmltok(h, strlen(h));
	STR_EQ(b, "link:/after/\n", "a link written inside a script is not one of the page's");
	free(b);
}

int main(void)
{
	xmlInitParser();
	test_tokens();
	test_against_libxml2();
	return harness_done();
}
