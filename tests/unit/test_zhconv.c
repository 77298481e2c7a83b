/* zhconv: OpenCC's tw2sp with the site's phrases first, and what a
 * converted Markdown file keeps as written. Uses Debian's OpenCC data. */
#include "harness.h"
#include "zhconv.h"

#include <stdlib.h>
#include <string.h>

static struct zhconv *z;

static void md_eq(const char *in, const char *want, const char *what)
{
	struct buf b = BUF_INIT;
	zhconv_markdown(z, in, strlen(in), "/zh/", "/zh-hans/", &b);
	STR_EQ(b.ptr, want, "%s", what);
	buf_release(&b);
}

static void text_eq(const char *in, const char *want, const char *what)
{
	char *s = zhconv_dup(z, in);
	STR_EQ(s, want, "%s", what);
	free(s);
}

static void test_text(void)
{
	text_eq("記憶體與伺服器的軟體", "内存与服务器的软件", "tw2sp: phrases of Taiwan become the mainland's");
	text_eq("140萬，3.2億", "140万，3.2亿", "number words");
	text_eq("這份簡報的推論成本", "这份简报的推理成本", "the site's phrases win over OpenCC's (演示文稿, 推论)");
	text_eq("輝達與台積電", "英伟达与台积电", "a longer site phrase and OpenCC around it");
	text_eq("plain ASCII, 1,764 GPUs", "plain ASCII, 1,764 GPUs", "ASCII as it is");
	text_eq("", "", "empty");
	OK(zhconv_dup(z, NULL) == NULL, "NULL stays NULL");
}

static void test_markdown(void)
{
	md_eq("---\ntitle: \"記憶體的價格\"\nslug: 記憶體\ntags: [伺服器, 軟體]\nredirect_from:\n  - /舊/網址/\n---\n\n正文\n",
	      "---\ntitle: \"内存的价格\"\nslug: 記憶體\ntags: [服务器, 软件]\nredirect_from:\n  - /舊/網址/\n---\n\n正文\n",
	      "front matter: words converted, places kept");
	md_eq("伺服器 `= gpu_count | 萬` 與 ``a `記憶體` b`` 之後\n",
	      "服务器 `= gpu_count | 萬` 与 ``a `記憶體` b`` 之后\n", "inline code kept (a calc reference too)");
	md_eq("見[上一篇簡報](/zh/briefs/記憶體/#記憶體價格 \"記憶體\")與[外部](https://例子.tw/記憶體)\n",
	      "见[上一篇简报](/zh-hans/briefs/記憶體/#内存价格 \"内存\")与[外部](https://例子.tw/記憶體)\n",
	      "links: to this edition, fragment and title converted, other URLs kept");
	md_eq("見 https://x.tw/記憶體。\n", "见 https://x.tw/内存。\n",
	      "a bare URL ends where cmark-gfm's autolink does, before CJK");
	md_eq("```calc\nx = 3 * GPU -- 伺服器 | servers\n```\n\n```\n記憶體\n```\n~~~~\n```\n記憶體\n~~~~\n後\n",
	      "```calc\nx = 3 * GPU -- 伺服器 | servers\n```\n\n```\n記憶體\n```\n~~~~\n```\n記憶體\n~~~~\n后\n",
	      "fenced blocks kept (the model's labels are converted with the model)");
	md_eq("<span title=\"記憶體\">記憶體</span> <!-- 記憶體 --> https://x.tw/a_b?q=1 與 {{< fig 記憶體 >}}\n",
	      "<span title=\"記憶體\">内存</span> <!-- 記憶體 --> https://x.tw/a_b?q=1 与 {{< fig 記憶體 >}}\n",
	      "tags, comments, bare URLs and shortcodes kept");
	md_eq("段落\n\n    記憶體 = 1\n\n\t伺服器\n\n後\n", "段落\n\n    記憶體 = 1\n\n\t伺服器\n\n后\n",
	      "an indented code block kept, across a blank line");
	md_eq("段落\n    記憶體\n", "段落\n    内存\n", "indented lines of a paragraph are prose");
	md_eq("- 項目\n\n    記憶體\n\n後\n", "- 项目\n\n    内存\n\n后\n", "a list item's indented paragraph is prose");
	md_eq("[記憶體]: /zh/briefs/a/#記憶體\n\n第一行\n第二行\n",
	      "[内存]: /zh-hans/briefs/a/#内存\n\n第一行\n第二行\n", "a reference definition; lines kept");
}

static int nleft;
static char left[256];

static void on_left(void *ctx, int line, const char *word)
{
	(void)ctx;
	nleft++;
	size_t l = strlen(left);
	snprintf(left + l, sizeof left - l, "%d:%s ", line, word);
}

static void test_leftovers(void)
{
	const char *md = "---\ntitle: 记忆\n---\n简体\n仍有繁體字與`記憶體`\n```\n記憶體\n```\n";
	size_t n = zhconv_leftovers(z, md, strlen(md), on_left, NULL);
	INT_EQ((long long)n, 2, "two runs left Traditional");
	STR_EQ(left, "5:體 5:與 ", "the characters, with their lines; code is not looked at");
}

int main(void)
{
	const char *from[] = { "簡報", "推論", "輝達" }, *to[] = { "简报", "推理", "英伟达" };
	char *err = NULL;
	z = zhconv_new("tw2sp", from, to, 3, &err);
	OK(z != NULL, "opens tw2sp (%s)", err ? err : "");
	if (!z)
		return harness_done();
	test_text();
	test_markdown();
	test_leftovers();
	zhconv_free(z);
	struct zhconv *bad = zhconv_new("no-such-config", NULL, NULL, 0, &err);
	OK(!bad && err && strstr(err, "no-such-config.json"), "a missing configuration: %s", err ? err : "");
	free(err);
	return harness_done();
}
