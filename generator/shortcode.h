/* shortcode — stage 2, after a page is read: the template tags Jekyll
 * (Liquid) and Hugo authors leave in their posts, carried over or named.
 *
 *   {% raw %}…{% endraw %}           the text between, as it is (no tag in it is read)
 *   {% comment %}…{% endcomment %}   nothing (its line breaks stay)
 *   {% highlight LANG %}…{% endhighlight %}, {{< highlight LANG >}}…{{< /highlight >}}
 *                                    a fenced code block
 *   {% include NAME %}               the file _includes/NAME of the project (an error
 *                                    when there is none)
 *   {% post_url NAME %}, {% link PATH %}, {{< ref "PATH" >}}, {{< relref "PATH" >}}
 *                                    the URL of that brief in the page's language
 *   {{< figure src="…" alt="…" caption="…" >}}   <figure> with <img> and <figcaption>
 *   {{< note >}}…{{< /note >}} (also tip, warning, caution, important, info)
 *                                    <aside class="admonition KIND">, Markdown inside
 *   any other {% … %}, {{< … >}}, {{% … %}}: removed, with a warning at its place
 *
 * Tags are read everywhere in the body, code blocks too, as Jekyll and Hugo
 * read them (which is why `raw` exists). Lines keep their count where a tag
 * spans several, so positions after it stay right. */
#ifndef GEN_SHORTCODE_H
#define GEN_SHORTCODE_H
#include "buf.h"
#include "diag.h"

struct shortcode_ctx {
	const char *file;             /* for messages */
	int first_line;               /* file line of body[0] */
	const char *lang;             /* the page's language code: URLs of other briefs */
	const char *includes;         /* the project's _includes folder (may not exist) */
};

/* 1 when body holds something that looks like a tag (a quick test). */
int shortcode_any(const char *body, size_t len);

/* Writes body with its tags carried over into out. Errors and warnings go
 * to dl; returns -1 after an error. */
int shortcode_apply(const char *body, size_t len, const struct shortcode_ctx *c, struct buf *out,
		    struct diag_list *dl);

#endif
