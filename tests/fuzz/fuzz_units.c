/* fuzz_units — one libFuzzer harness for the pure stages that take bytes:
 * the first input byte picks the target, the rest is the input.
 *   0 fm_parse (the tree: no control character, no key twice in a map)
 *   1 mdguard_check (its messages visible text), then, when it passes,
 *     md_parse + md_render and the summaries and counts
 *   2 prose_cut / prose_summary 3 linkcheck_resolve
 *   4 fm_parse_date
 *   5 diag_escape, diag_format (visible text only: no control character,
 *     valid UTF-8)
 *   6 zone_valid + zone_offset, content_slug_ok (an accepted slug is UTF-8)
 *   7 htmltok: a page's link-check scan with the search's body reader
 *     listening (every link and id readable), and search_text
 * Built and run by tests/fuzz/libfuzzer.sh (long runs) and
 * tests/fuzz/short.sh (a fixed number of runs, part of `make test`). */
#include "content.h"
#include "frontmatter.h"
#include "htmltok.h"
#include "linkcheck.h"
#include "md.h"
#include "mdguard.h"
#include "prose.h"
#include "search.h"
#include "utf8.h"
#include "buf.h"
#include "zone.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void hear_start(void *ctx, const char *tag, const char *const *atts)
{
	search_body_start(ctx, tag, atts);
}

static void hear_end(void *ctx, const char *tag)
{
	search_body_end(ctx, tag);
}

static void hear_text(void *ctx, const char *s, size_t n)
{
	search_body_chars(ctx, s, n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Aborts (a finding) when fm_parse's tree breaks what it promises. */
static void check_tree(const struct fm_node *n)
{
	if (n->kind == FM_SCALAR) {
		for (const unsigned char *p = (const unsigned char *)n->str; *p; p++)
			if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F ||
			    (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
				abort();
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == FM_MAP)
			for (size_t k = 0; k < i; k++)
				if (!strcmp(n->keys[k], n->keys[i]))
					abort();
		check_tree(&n->items[i]);
	}
}

/* Aborts unless s is valid UTF-8 without C0 (but none at all), DEL or C1. */
static void check_visible(const char *s)
{
	size_t n = strlen(s);
	if (utf8_invalid_at(s, n) != (size_t)-1)
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || (c == 0xC2 && (unsigned char)s[i + 1] <= 0x9F))
			abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	md_global_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned target = data[0] % 8;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	char *z = malloc(n + 1); /* NUL-terminated copy */
	memcpy(z, s, n);
	z[n] = '\0';
	switch (target) {
	case 0: {
		struct frontmatter fm;
		struct diag_list dl = DIAG_LIST_INIT;
		if (fm_parse(&fm, "f.md", z, n, &dl) == 0)
			check_tree(&fm.root);
		for (size_t i = 0; i < dl.n; i++) {
			char *line = diag_format(&dl.items[i]);
			check_visible(line);
			free(line);
		}
		fm_release(&fm);
		diag_release(&dl);
		break;
	}
	case 1: {
		/* as render.c: what is over a Markdown limit is never parsed */
		struct diag_list dl = DIAG_LIST_INIT;
		int refused = mdguard_check(z, n, "f.md", 3, &dl) < 0;
		for (size_t i = 0; i < dl.n; i++) {
			char *line = diag_format(&dl.items[i]);
			check_visible(line);
			free(line);
		}
		diag_release(&dl);
		if (refused)
			break;
		struct md_doc *d = md_parse(z, n, 3, NULL);
		struct buf html = BUF_INIT, toc = BUF_INIT, para = BUF_INIT, more = BUF_INIT;
		md_render(d, &html, &toc);
		md_first_paragraph(d, &para);
		md_summary_more(d, &more);
		int cjk, words;
		md_count(d, &cjk, &words);
		buf_release(&html);
		buf_release(&toc);
		buf_release(&para);
		buf_release(&more);
		md_free(d);
		break;
	}
	case 2: {
		/* prose assumes valid UTF-8 (content.c checks it first) */
		if (n < 2 || utf8_invalid_at(z + 2, n - 2) != (size_t)-1)
			break;
		int mc = (signed char)z[0], mw = (signed char)z[1];
		size_t cut = prose_cut(z + 2, n - 2, mc, mw);
		if (cut > n - 2)
			abort();
		free(prose_summary(z + 2, n - 2, mc, mw));
		break;
	}
	case 3: {
		/* three NUL-free strings separated by '\n': base_url, rel, link */
		char *a = z, *b = strchr(a, '\n');
		if (!b)
			break;
		*b++ = '\0';
		char *c = strchr(b, '\n');
		if (!c)
			break;
		*c++ = '\0';
		char *path, *frag;
		linkcheck_resolve(a, b, c, &path, &frag);
		free(path);
		free(frag);
		break;
	}
	case 4: {
		struct fm_date dt;
		fm_parse_date(z, &dt);
		break;
	}
	case 5: {
		struct buf b = BUF_INIT;
		diag_escape(&b, z);
		check_visible(b.ptr);
		buf_release(&b);
		struct diag_list dl = DIAG_LIST_INIT;
		diag_error(&dl, (struct srcpos){ z, 1, 1 }, "'%s'", z);
		char *line = diag_format(&dl.items[0]);
		check_visible(line);
		free(line);
		diag_release(&dl);
		break;
	}
	case 6: {
		if (zone_valid(z))
			zone_offset(z, 2024, 3, 10, 2, 30, 0);
		if (content_slug_ok(z) && utf8_invalid_at(z, strlen(z)) != (size_t)-1)
			abort();
		break;
	}
	case 7: {
		struct search_body body = SEARCH_BODY_INIT;
		struct linkcheck_hear hear = { &body, hear_start, hear_end, hear_text };
		struct linkcheck_scan *sc = linkcheck_scan_html_hear(s, n, &hear);
		/* a decoded value is never longer than what it was written as */
		for (size_t i = 0; i < linkcheck_scan_nlinks(sc); i++)
			if (strlen(linkcheck_scan_link(sc, i)) > n)
				abort();
		linkcheck_scan_free(sc);
		buf_release(&body.text);
		free(search_text(s, n));
		break;
	}
	}
	free(z);
	return 0;
}
