/* diag — collected diagnostics. */
#include "diag.h"
#include "buf.h"
#include "strmap.h"
#include "utf8.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

void diag_add(struct diag_list *dl, enum diag_level lv, struct srcpos pos, const char *msg)
{
	if (dl->n == dl->cap) {
		dl->cap = dl->cap ? dl->cap * 2 : 8;
		dl->items = xrealloc(dl->items, dl->cap * sizeof *dl->items);
	}
	struct diag *d = &dl->items[dl->n++];
	d->level = lv;
	d->file = pos.file ? xstrdup(pos.file) : NULL;
	d->line = pos.line;
	d->col = pos.col;
	d->msg = xstrdup(msg);
	d->again = 0;
	if (lv == DIAG_ERROR)
		dl->errors++;
	else if (lv == DIAG_WARNING)
		dl->warnings++;
}

static void vadd(struct diag_list *dl, enum diag_level lv, struct srcpos pos,
		 const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	buf_grow(&b, (size_t)n);
	vsnprintf(b.ptr, (size_t)n + 1, fmt, ap);
	b.len = (size_t)n;
	diag_add(dl, lv, pos, b.ptr);
	buf_release(&b);
}

int diag_error(struct diag_list *dl, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(dl, DIAG_ERROR, pos, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warning(struct diag_list *dl, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(dl, DIAG_WARNING, pos, fmt, ap);
	va_end(ap);
}

void diag_note(struct diag_list *dl, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(dl, DIAG_NOTE, pos, fmt, ap);
	va_end(ap);
}

void diag_mark_again(struct diag_list *dl, size_t from)
{
	for (size_t i = from; i < dl->n; i++)
		dl->items[i].again = 1;
}

void diag_move(struct diag_list *dst, struct diag_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		struct diag *d = &src->items[i];
		struct srcpos pos = { d->file, d->line, d->col };
		diag_add(dst, d->level, pos, d->msg);
		dst->items[dst->n - 1].again = d->again;
	}
	diag_release(src);
}

static const char *const level_name[] = { "error", "warning", "note" };

void diag_escape(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c == '\n')
				buf_adds(b, "\\n");
			else if (c == '\r')
				buf_adds(b, "\\r");
			else if (c == '\t')
				buf_adds(b, "\\t");
			else if (c < 0x20 || c == 0x7F)
				buf_addf(b, "\\x%02X", c);
			else
				buf_addch(b, (char)c);
			i++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (len > n - i || utf8_invalid_at(s + i, len) != (size_t)-1) {
			buf_addf(b, "\\x%02X", c); /* not UTF-8: this byte alone */
			i++;
			continue;
		}
		size_t l;
		unsigned cp = utf8_decode(s + i, len, &l);
		if (cp >= 0x80 && cp <= 0x9F)
			buf_addf(b, "\\u%04X", cp);
		else
			buf_add(b, s + i, len);
		i += len;
	}
}

static void add_prefix(struct buf *b, const struct diag *d)
{
	if (d->file) {
		diag_escape(b, d->file);
		if (d->line > 0) {
			buf_addf(b, ":%d", d->line);
			if (d->col > 0)
				buf_addf(b, ":%d", d->col);
		}
		buf_adds(b, ": ");
	} else {
		buf_adds(b, "briefgen: ");
	}
}

char *diag_format(const struct diag *d)
{
	struct buf b = BUF_INIT;
	add_prefix(&b, d);
	buf_addf(&b, "%s: ", level_name[d->level]);
	diag_escape(&b, d->msg);
	return buf_detach(&b, NULL);
}

void diag_print(const struct diag_list *dl, FILE *f, int colour)
{
	static const char *const col[] = { "\033[1;31m", "\033[1;35m", "\033[1;36m" };
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];
		struct buf b = BUF_INIT;
		add_prefix(&b, d);
		if (colour)
			buf_addf(&b, "%s%s:\033[0m ", col[d->level], level_name[d->level]);
		else
			buf_addf(&b, "%s: ", level_name[d->level]);
		diag_escape(&b, d->msg);
		fprintf(f, "%s\n", b.ptr);
		buf_release(&b);
	}
}

void diag_release(struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		free(dl->items[i].file);
		free(dl->items[i].msg);
	}
	free(dl->items);
	memset(dl, 0, sizeof *dl);
}

/* What makes two messages "the same thing": the text with every quoted
 * part ('x', "x") replaced by one mark. Caller frees. */
static char *kind_of(const struct diag *d)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, (char)('0' + d->level));
	for (const char *m = d->msg; *m; m++) {
		char q = *m;
		const char *end = (q == '\'' || q == '"') ? strchr(m + 1, q) : NULL;
		if (end) {
			buf_adds(&b, "\x01");
			m = end;
		} else {
			buf_addch(&b, *m);
		}
	}
	return buf_detach(&b, NULL);
}

void diag_print_summary(const struct diag_list *dl, FILE *f, int colour, size_t keep)
{
	if (!keep) {
		diag_print(dl, f, colour);
		return;
	}
	struct strmap kinds = STRMAP_INIT; /* kind -> count, then printed so far, as (total << 32 | shown) */
	char **kind = xcalloc(dl->n + 1, sizeof *kind);
	for (size_t i = 0; i < dl->n; i++) {
		kind[i] = kind_of(&dl->items[i]);
		struct strmap_slot *s = strmap_put(&kinds, kind[i], NULL);
		s->value = (void *)((uintptr_t)s->value + ((uintptr_t)1 << 32));
	}
	struct diag_list out = DIAG_LIST_INIT;
	for (size_t i = 0; i < dl->n; i++) {
		if (dl->items[i].level == DIAG_NOTE) /* what the build decided by itself: --verbose shows it */
			continue;
		struct strmap_slot *s = strmap_find(&kinds, kind[i]);
		uintptr_t v = (uintptr_t)s->value, total = v >> 32, shown = v & 0xffffffffu;
		if (shown >= keep)
			continue;
		s->value = (void *)(v + 1);
		const struct diag *d = &dl->items[i];
		diag_add(&out, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
		if (shown + 1 == keep && total > keep)
			diag_note(&out, (struct srcpos){ NULL, 0, 0 }, "... and %zu more like this; --verbose lists all",
				  (size_t)(total - keep));
	}
	diag_print(&out, f, colour);
	diag_release(&out);
	for (size_t i = 0; i < dl->n; i++)
		free(kind[i]);
	free(kind);
	strmap_release(&kinds);
}
