/* zhconv — Chinese script conversion for a language edition made at build
 * time (Traditional → Simplified: `convert = "zh"` in a language of
 * content/site.lua, docs/zh-hans.md). OpenCC does the conversion with one of
 * its configurations (phrase level, "tw2sp": 記憶體 → 内存); the site's
 * phrase table is applied first and wins where OpenCC chooses wrongly
 * (簡報 → 简报, not 演示文稿). OpenCC changes only CJK characters and keeps
 * every newline, so a converted Markdown file has the line numbers of its
 * original and diagnostics can point at it.
 *
 * A converter is made once per build and shared by every thread: each call
 * borrows one of its OpenCC handles (another is opened when all are busy),
 * so no handle is used by two threads at once. It owns its handles and
 * copies of the phrases; free it with zhconv_free. */
#ifndef GEN_ZHCONV_H
#define GEN_ZHCONV_H
#include "buf.h"
#include <stddef.h>

struct zhconv;

/* config: an OpenCC configuration name ("tw2sp", or a .json path);
 * from[i] → to[i], n phrases. NULL with *err (malloc'd) when OpenCC cannot
 * open it. */
struct zhconv *zhconv_new(const char *config, const char *const *from, const char *const *to, size_t n,
			  char **err);
void zhconv_free(struct zhconv *z);

/* Appends s[0..n) converted: plain text, every character a candidate. */
void zhconv_text(struct zhconv *z, const char *s, size_t n, struct buf *out);
/* s converted, malloc'd; NULL stays NULL. */
char *zhconv_dup(struct zhconv *z, const char *s);
/* Converts *s in place of itself (frees the old string). */
void zhconv_inplace(struct zhconv *z, char **s);
/* *dst (freed) becomes src converted. */
void zhconv_replace(struct zhconv *z, char **dst, const char *src);

/* Appends a Markdown file (front matter and body) converted, except what
 * must stay as written: fenced and inline code (in a ```calc block only the
 * labels after `--`), link destinations and URLs, HTML tags, shortcodes,
 * and the front matter values of keys that name places (slug, url, aliases,
 * redirect_from, date...). A link to the source edition (`/zh/…`) is turned
 * to the same page of this one (`/zh-hans/…`, from_prefix → to_prefix) and
 * its fragment converted as the heading it names is. */
void zhconv_markdown(struct zhconv *z, const char *src, size_t n, const char *from_prefix, const char *to_prefix,
		     struct buf *out);

/* For `briefgen check`: calls fn(ctx, line, word) for each run of
 * characters in text (a converted file, lines counted from 1) that still
 * reads as Traditional Chinese — that a Traditional → Simplified conversion
 * of the characters alone (OpenCC's "t2s") would change. Returns how many.
 * Protected parts are skipped as zhconv_markdown skips them. */
size_t zhconv_leftovers(struct zhconv *z, const char *text, size_t n,
			void (*fn)(void *ctx, int line, const char *word), void *ctx);

#endif
