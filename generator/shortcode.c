/* shortcode — Jekyll's and Hugo's template tags in a post's body. */
#include "shortcode.h"
#include "content.h"
#include "fsutil.h"
#include "utf8.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

int shortcode_any(const char *body, size_t len)
{
	for (const char *p = memchr(body, '{', len); p && p + 1 < body + len;
	     p = memchr(p + 1, '{', (size_t)(body + len - p - 1)))
		if (p[1] == '%' || (p[1] == '{' && p + 2 < body + len && (p[2] == '<' || p[2] == '%')))
			return 1;
	return 0;
}

/* One tag as read: its kind, name and arguments, where it ends. */
struct tag {
	int hugo;                     /* {{< … >}} or {{% … %}} */
	int closing;                  /* Hugo's {{< /name >}} */
	char name[64];
	char *args;                   /* trimmed, owned */
	size_t len;                   /* bytes of the tag */
};

/* Reads a tag at s (which starts with "{%", "{{<" or "{{%"); 0 when it is
 * not one (no end). */
static int read_tag(const char *s, const char *end, struct tag *t)
{
	memset(t, 0, sizeof *t);
	const char *open, *close;
	if (s[1] == '%') {
		open = s + 2, close = "%}";
	} else {
		t->hugo = 1;
		open = s + 3, close = s[2] == '<' ? ">}}" : "%}}";
	}
	size_t cl = strlen(close);
	const char *e = NULL;
	for (const char *q = open; q + cl <= end; q++)
		if (!memcmp(q, close, cl)) {
			e = q;
			break;
		} else if (*q == '\n' && q > open && q[-1] == '\n') {
			return 0; /* a blank line inside: not a tag */
		}
	if (!e)
		return 0;
	const char *a = open;
	while (a < e && (isspace((unsigned char)*a) || *a == '-'))
		a++;
	if (t->hugo && a < e && *a == '/') {
		t->closing = 1;
		a++;
		while (a < e && isspace((unsigned char)*a))
			a++;
	}
	size_t n = 0;
	while (a < e && !isspace((unsigned char)*a) && n + 1 < sizeof t->name)
		t->name[n++] = *a++;
	const char *z = e;
	while (z > a && (isspace((unsigned char)z[-1]) || z[-1] == '-'))
		z--;
	while (a < z && isspace((unsigned char)*a))
		a++;
	t->args = xstrndup(a, (size_t)(z - a));
	t->len = (size_t)(e + cl - s);
	return 1;
}

/* The next tag named name (Liquid: `{% name %}`; Hugo: `{{< /name >}}`) at
 * or after s, or NULL; *len receives its length. */
static const char *find_end(const char *s, const char *end, int hugo, const char *name, size_t *len)
{
	for (const char *p = s; p + 2 < end; p++) {
		if (p[0] != '{' || !(p[1] == '%' || (p[1] == '{' && (p[2] == '<' || p[2] == '%'))))
			continue;
		struct tag t;
		if (!read_tag(p, end, &t))
			continue;
		int hit = t.hugo == hugo && !strcmp(t.name, name) && (!hugo || t.closing);
		free(t.args);
		if (hit) {
			*len = t.len;
			return p;
		}
	}
	return NULL;
}

/* The value of key="…" (or key=…) in Hugo arguments, or NULL. Caller frees. */
static char *arg_value(const char *args, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = args; (p = strstr(p, key)); p++) {
		if ((p != args && !isspace((unsigned char)p[-1])) || p[kl] != '=')
			continue;
		const char *v = p + kl + 1;
		if (*v == '"' || *v == '\'') {
			const char *e = strchr(v + 1, *v);
			return e ? xstrndup(v + 1, (size_t)(e - v - 1)) : NULL;
		}
		return xstrndup(v, strcspn(v, " \t"));
	}
	return NULL;
}

/* The first argument, unquoted. Caller frees. */
static char *first_arg(const char *args)
{
	if (*args == '"' || *args == '\'') {
		const char *e = strchr(args + 1, *args);
		return xstrndup(args + 1, e ? (size_t)(e - args - 1) : strlen(args + 1));
	}
	return xstrndup(args, strcspn(args, " \t"));
}

/* The URL of the brief a post name or path names ("2010-07-21-name",
 * "_posts/2016-07-26-name.md", "posts/name/index.en.md"). */
static void brief_url(struct buf *out, const char *path, const char *lang)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);
	while (n && p[n - 1] == '/')
		p[--n] = '\0';
	char *base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
	if (!strncmp(base, "index.", 6) || !strcmp(base, "index") || !strncmp(base, "_index", 6)) {
		*base = '\0'; /* a bundle: its folder names it */
		n = strlen(p);
		while (n && p[n - 1] == '/')
			p[--n] = '\0';
		base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
	}
	char *dot = strchr(base, '.');
	if (dot)
		*dot = '\0';
	struct fm_date d;
	const char *slug = content_split_dated(base, &d);
	buf_addf(out, "/%s/briefs/%s/", lang, slug ? slug : base);
	free(p);
}

/* A fence longer than any run of backticks in s[0..n). */
static void fence(struct buf *out, const char *s, size_t n)
{
	size_t run = 0, most = 0;
	for (size_t i = 0; i < n; i++)
		run = s[i] == '`' ? run + 1 : 0, most = run > most ? run : most;
	for (size_t i = 0; i < (most >= 3 ? most + 1 : 3); i++)
		buf_addch(out, '`');
}

static void code_block(struct buf *out, const char *lang, const char *s, size_t n)
{
	while (n && (*s == '\n' || *s == '\r'))
		s++, n--; /* the newline after the opening tag */
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (out->len && out->ptr[out->len - 1] != '\n')
		buf_addch(out, '\n');
	fence(out, s, n);
	buf_adds(out, lang);
	buf_addch(out, '\n');
	buf_add(out, s, n);
	buf_addch(out, '\n');
	fence(out, s, n);
}

static void attr(struct buf *out, const char *name, const char *v)
{
	buf_addf(out, " %s=\"", name);
	buf_add_html(out, v, strlen(v));
	buf_addch(out, '"');
}

static const char *const admonitions[] = { "note", "tip", "warning", "caution", "important", "info", NULL };

static int is_admonition(const char *name)
{
	for (const char *const *a = admonitions; *a; a++)
		if (!strcmp(*a, name))
			return 1;
	return 0;
}

int shortcode_apply(const char *body, size_t len, const struct shortcode_ctx *c, struct buf *out,
		    struct diag_list *dl)
{
	const char *s = body, *end = body + len, *done = body;
	int line = c->first_line, col = 1, r = 0;
	while (s + 2 < end) {
		if (s[0] != '{' || !(s[1] == '%' || (s[1] == '{' && (s[2] == '<' || s[2] == '%')))) {
			s++;
			continue;
		}
		struct tag t;
		if (!read_tag(s, end, &t)) {
			s++;
			continue;
		}
		buf_add(out, done, (size_t)(s - done));
		utf8_advance(done, (size_t)(s - done), &line, &col);
		struct srcpos at = { c->file, line, col };
		const char *next = s + t.len; /* where reading goes on */
		size_t el;
		const char *e;
		if (!t.hugo && !strcmp(t.name, "raw")) {
			if (!(e = find_end(next, end, 0, "endraw", &el))) {
				r = diag_error(dl, at, "'{%% raw %%}' without '{%% endraw %%}'");
			} else {
				buf_add(out, next, (size_t)(e - next));
				next = e + el;
			}
		} else if (!t.hugo && !strcmp(t.name, "comment")) {
			/* Liquid's comment: nothing of it is shown; its lines stay */
			if (!(e = find_end(next, end, 0, "endcomment", &el))) {
				r = diag_error(dl, at, "'{%% comment %%}' without '{%% endcomment %%}'");
			} else {
				for (const char *q = next; q < e; q++)
					if (*q == '\n')
						buf_addch(out, '\n');
				next = e + el;
			}
		} else if (!strcmp(t.name, "highlight") && !t.closing) {
			char *lang = first_arg(t.args);
			if (!(e = find_end(next, end, t.hugo, t.hugo ? "highlight" : "endhighlight", &el))) {
				r = diag_error(dl, at, "'%s' without its end tag", t.hugo ? "{{< highlight >}}" : "{% highlight %}");
			} else {
				code_block(out, lang, next, (size_t)(e - next));
				next = e + el;
			}
			free(lang);
		} else if (!t.hugo && !strcmp(t.name, "include")) {
			char *name = first_arg(t.args);
			char *path = c->includes && !strstr(name, "..") && name[0] != '/' ? fs_join(c->includes, name) : NULL;
			struct buf text = BUF_INIT;
			if (path && fs_is_file(path) && fs_read(path, &text) == 0)
				buf_add(out, text.ptr, text.len);
			else
				r = diag_error(dl, at, "'{%% include %s %%}': no file _includes/%s in the project "
					       "(briefgen has no theme includes: put the file there or paste its text)", name, name);
			buf_release(&text);
			free(path);
			free(name);
		} else if ((!t.hugo && (!strcmp(t.name, "post_url") || !strcmp(t.name, "link"))) ||
			   (t.hugo && (!strcmp(t.name, "ref") || !strcmp(t.name, "relref")))) {
			char *target = first_arg(t.args);
			brief_url(out, target, c->lang);
			free(target);
		} else if (t.hugo && !strcmp(t.name, "figure")) {
			char *src = arg_value(t.args, "src"), *alt = arg_value(t.args, "alt");
			char *cap = arg_value(t.args, "caption"), *title = arg_value(t.args, "title");
			if (!src) {
				r = diag_error(dl, at, "'{{< figure >}}' without src=");
			} else {
				buf_adds(out, "<figure><img");
				attr(out, "src", src);
				attr(out, "alt", alt ? alt : cap ? cap : title ? title : "");
				buf_adds(out, ">");
				if (cap || title) {
					buf_adds(out, "<figcaption>");
					buf_add_html(out, cap ? cap : title, strlen(cap ? cap : title));
					buf_adds(out, "</figcaption>");
				}
				buf_adds(out, "</figure>");
			}
			free(src), free(alt), free(cap), free(title);
		} else if (t.hugo && is_admonition(t.name)) {
			/* blank lines around: the tags are HTML blocks, the text between is Markdown */
			if (t.closing)
				buf_adds(out, "\n\n</aside>");
			else
				buf_addf(out, "<aside class=\"admonition %s\">\n\n", t.name);
		} else {
			diag_warning(dl, at, "template tag '%s%s%s' is not carried over (removed)",
				     t.hugo ? (s[2] == '<' ? "{{< " : "{{% ") : "{% ", t.name,
				     t.hugo ? (s[2] == '<' ? " >}}" : " %}}") : " %}");
		}
		free(t.args);
		utf8_advance(s, (size_t)(next - s), &line, &col);
		done = s = next;
	}
	buf_add(out, done, (size_t)(end - done));
	return r;
}
