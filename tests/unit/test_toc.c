/* Heading anchors and the table of contents: readable ids for Chinese,
 * English and mixed headings, suffixes for duplicates, a TOC only with two
 * or more sections. */
#include "harness.h"
#include "buf.h"
#include "md.h"

#include <stdlib.h>

static void slug(const char *text, const char *want)
{
	struct buf b = BUF_INIT;
	md_slugify(text, &b);
	STR_EQ(b.ptr, want, "slug of '%s'", text);
	buf_release(&b);
}

static void render(const char *md, struct buf *html, struct buf *toc)
{
	struct md_doc *d = md_parse(md, strlen(md), 1, NULL);
	md_render(d, html, toc);
	md_free(d);
}

int main(void)
{
	md_global_init();
	slug("Background", "background");
	slug("Cost per Query (USD)", "cost-per-query-usd");
	slug("背景", "背景");
	slug("推理模型的代價：token 變多", "推理模型的代價-token-變多");
	slug("GPU 與 HBM 記憶體", "gpu-與-hbm-記憶體");
	slug("「引號」與、標點。", "引號-與-標點");
	slug("Café & naïve", "café-naïve");
	slug("!!!", "section");

	struct buf html = BUF_INIT, toc = BUF_INIT;
	render("## 背景\n\nA\n\n## Analysis\n\nB\n\n### 細節 details\n\nC\n\n## 背景\n\nD\n\n## 背景\n", &html, &toc);
	OK(strstr(html.ptr, "<h2 id=\"背景\">") != NULL, "toc: Chinese heading keeps a readable id");
	OK(strstr(html.ptr, "<h2 id=\"analysis\">") != NULL, "toc: English heading id lowercased");
	OK(strstr(html.ptr, "<h3 id=\"細節-details\">") != NULL, "toc: mixed heading id");
	OK(strstr(html.ptr, "<h2 id=\"背景-1\">") && strstr(html.ptr, "<h2 id=\"背景-2\">"),
	   "toc: duplicate headings get -1, -2");
	OK(strstr(html.ptr, "<a class=\"anchor\" href=\"#背景-1\"") != NULL, "toc: each heading links to itself");
	OK(strstr(toc.ptr, "<a href=\"#細節-details\">細節 details</a>") != NULL, "toc: h3 listed under its h2");
	OK(strstr(toc.ptr, "<a href=\"#背景-2\">") != NULL, "toc: duplicates listed with their suffix");
	buf_release(&html);
	buf_release(&toc);

	/* The heading node is freed when it becomes its anchored block: text
	 * cmark-gfm keeps in the heading's buffer (inline HTML) went with it
	 * (a use after free under ASan, found by tests/fuzz). */
	render("## Cost <em>now</em> &amp; [a <b>link</b>](/x \"t\") `code`\n\nText.\n", &html, &toc);
	OK(strstr(html.ptr, ">Cost <em>now</em> &amp; <a href=\"/x\" title=\"t\">a <b>link</b></a> <code>code</code> <a class=\"anchor\""),
	   "heading: inline HTML, links and code survive the heading's replacement");
	buf_release(&html);
	buf_release(&toc);

	render("Intro.\n\n## Only one section\n\nText.\n", &html, &toc);
	INT_EQ((long long)toc.len, 0, "toc: none for a single section");
	buf_release(&html);
	buf_release(&toc);
	/* Headings inside lists and quotes get ids too, but stay out of the TOC;
	 * more than 512 headings all get ids. */
	buf_release(&html);
	buf_release(&toc);
	render("## One\n\n## Two\n\n> ## Quoted\n\n- ## In a list\n", &html, &toc);
	OK(strstr(html.ptr, "<h2 id=\"quoted\">") != NULL, "nested: a heading in a quote has an id");
	OK(strstr(html.ptr, "<h2 id=\"in-a-list\">") != NULL, "nested: a heading in a list item has an id");
	OK(strstr(toc.ptr, "#quoted") == NULL && strstr(toc.ptr, "#two") != NULL,
	   "nested: the TOC lists only the document's own sections");
	buf_release(&html);
	buf_release(&toc);
	/* The heading's inlines outlive the heading node they came from: text of
	 * an autolink and raw HTML point into its buffer (freed too early, they
	 * were read after free: AddressSanitizer in make test). */
	render("## See https://example.com/x and <b>bold</b>\n\nText with <i>html</i>.\n", &html, &toc);
	STR_EQ(html.ptr,
	       "<h2 id=\"see-https-example-com-x-and-bold\">See <a href=\"https://example.com/x\">https://example.com/x</a>"
	       " and <b>bold</b> <a class=\"anchor\" href=\"#see-https-example-com-x-and-bold\" aria-label=\"#\">#</a></h2>\n"
	       "<p>Text with <i>html</i>.</p>\n",
	       "heading: an autolink and raw HTML in a heading are rendered as written");
	buf_release(&html);
	buf_release(&toc);
	struct buf many = BUF_INIT;
	for (int i = 0; i < 600; i++)
		buf_addf(&many, "### h\n\n");
	render(many.ptr, &html, &toc);
	OK(strstr(html.ptr, "<h3 id=\"h-599\">") != NULL, "many: the 600th heading still gets an id");
	buf_release(&many);
	buf_release(&html);
	buf_release(&toc);
	return harness_done();
}
