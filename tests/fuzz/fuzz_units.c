/* fuzz_units — one libFuzzer harness for the pure stages that take bytes:
 * the first input byte picks the target, the rest is the input.
 *   0 fm_parse (then fm_parse_date on the date scalar)   1 md_parse + md_render
 *   2 prose_cut / prose_summary                         3 linkcheck_resolve
 *   4 fm_parse_date
 * Built and run by tests/fuzz/run.sh; not part of `make test`. */
#include "frontmatter.h"
#include "linkcheck.h"
#include "md.h"
#include "prose.h"
#include "utf8.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

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
	unsigned target = data[0] % 5;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	char *z = malloc(n + 1); /* NUL-terminated copy */
	memcpy(z, s, n);
	z[n] = '\0';
	switch (target) {
	case 0: {
		struct frontmatter fm;
		struct diag_list dl = DIAG_LIST_INIT;
		fm_parse(&fm, "f.md", z, n, &dl);
		for (size_t i = 0; i < dl.n; i++)
			free(diag_format(&dl.items[i]));
		fm_release(&fm);
		diag_release(&dl);
		break;
	}
	case 1: {
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
	}
	free(z);
	return 0;
}
