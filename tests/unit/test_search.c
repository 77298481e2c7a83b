/* search: the tokens the index is made of (search.js cuts a query the
 * same way) and the hash that picks a token's shard. */
#include "harness.h"
#include "search.h"

#include <stdlib.h>
#include <string.h>

static void add(void *ctx, const char *tok, size_t len)
{
	struct buf *b = ctx;
	if (b->len)
		buf_addch(b, '|');
	buf_add(b, tok, len);
}

static void tokens_eq(const char *text, const char *want, const char *what)
{
	struct buf b = BUF_INIT;
	search_tokens(text, strlen(text), add, &b);
	STR_EQ(b.ptr, want, "%s", what);
	buf_release(&b);
}

int main(void)
{
	tokens_eq("記憶體", "記憶|憶體", "Chinese: character pairs");
	tokens_eq("HBM 記憶體", "hbm|記憶|憶體", "mixed: a lowercased word, then pairs");
	tokens_eq("記", "", "one Chinese character gives no token (a query needs two)");
	tokens_eq("prices priced pricing price", "pric|pric|pric|pric", "English: one stem for plural, -ed and -ing");
	tokens_eq("1,764 GPUs at 1.8 kW.", "1764|gpu|at|1.8|kw", "numbers: ',' inside dropped, '.' kept; a final '.' ends the word");
	tokens_eq("NVIDIA的H100伺服器", "nvidia|h100|伺服|服器", "words and Chinese without spaces between");
	tokens_eq("カタカナ", "カタ|タカ|カナ", "kana as Chinese");
	INT_EQ(search_hash("a", 1), 0xe40c292cu, "FNV-1a 32 of \"a\" (search.js computes the same)");
	INT_EQ(search_hash("", 0), 0x811c9dc5u, "of nothing: the offset basis");
	const char *html = "<p>一<em>二</em>三</p><p>four</p><script>x()</script><a class=\"anchor\" href=\"#a\">#</a>";
	char *t = search_text(html, strlen(html));
	STR_EQ(t, "一二三 four", "plain text: no space inside inline markup, one between blocks; scripts and anchors left out");
	free(t);
	return harness_done();
}
