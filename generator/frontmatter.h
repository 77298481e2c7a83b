/* frontmatter — stage 2: split the leading `---` block off a Markdown file
 * (or Hugo's `+++` TOML block, read by fmtoml.h into the same tree)
 * and parse it with libyaml (event by event, so nesting and size caps stop
 * a hostile document early) into a small tree, then read the keys briefgen
 * knows (Jekyll compatible) into struct meta. Every node keeps its line so
 * later stages can point at it. Unknown keys stay in the tree. YAML merge
 * keys (`<<: *base`) are applied; a key given twice, a control character
 * (raw or from an escape such as "\0") and CR-only line endings are errors;
 * a key set to null (`title:`, `~`, `null`) counts as not set. */
#ifndef GEN_FRONTMATTER_H
#define GEN_FRONTMATTER_H
#include "diag.h"
#include <stddef.h>

enum fm_kind { FM_SCALAR, FM_SEQ, FM_MAP };

struct fm_node {
	enum fm_kind kind;
	char *str;      /* scalar text (FM_SCALAR) */
	int plain;      /* scalar was unquoted: may be a bool, number or date */
	int line, col;  /* position in the Markdown file, 1-based */
	size_t n;       /* children (FM_SEQ, FM_MAP) */
	char **keys;    /* FM_MAP: n keys */
	struct fm_node *items; /* n children */
};

struct fm_date {
	int y, mo, d, h, mi, s;
	int has_time;
	int has_tz;
	int tz_min; /* offset east of UTC in minutes, when has_tz */
};

struct meta {
	const char *title;       /* borrowed from the tree, or NULL */
	const char *description;
	const char *slug;
	const char *source;
	const char *lang;
	int has_date;
	struct fm_date date;
	int date_line;
	int draft;
	char **categories;       /* owned array of borrowed strings, NULL-terminated */
	char **tags;
	char **authors;
	struct fm_redirect {     /* old paths of the page ('permalink', 'url', 'aliases',
				    'redirect_from'), each made a redirect to it */
		const char *path; /* borrowed from the tree */
		int line, col;
	} *redirects;            /* owned */
	size_t nredirects;
	int title_line;
};

struct frontmatter {
	struct fm_node root;     /* FM_MAP (empty when the file has none) */
	struct meta meta;
	int body_line;           /* line of the file where the Markdown body starts */
	size_t body_off;         /* byte offset of the body */
};

/* Parses the front matter at the start of text. On error appends a
 * diagnostic naming file and line and returns -1. fm is always safe to
 * release. Strings in fm->meta borrow from fm->root. */
int fm_parse(struct frontmatter *fm, const char *file, const char *text, size_t len,
	     struct diag_list *dl);
void fm_release(struct frontmatter *fm);

/* Seconds since 1970-01-01T00:00:00Z of a date; a date without a zone is
 * taken in tz_min (minutes east of UTC). */
long long fm_date_epoch(const struct fm_date *d, int tz_min);

/* A whole configuration file (Jekyll's _config.yml, Hugo's hugo.toml or
 * config.yaml: TOML when the name ends in .toml, else YAML) into root, which
 * is made an FM_MAP; the same reader and limits as front matter. Returns
 * 0, or -1 with diagnostics; free root with fm_node_release either way. */
int fm_parse_config(const char *file, const char *text, size_t len, struct fm_node *root, struct diag_list *dl);
void fm_node_release(struct fm_node *n);

/* Looks a key up in a map node; NULL when absent. */
const struct fm_node *fm_get(const struct fm_node *map, const char *key);

/* Parses a Jekyll date: `2024-12-13`, `2024-12-13 10:30[:00]`,
 * `2024-12-13T10:30:00Z`, with an optional zone `+08:00`, `+0800` or `Z`.
 * Returns 0 or -1. */
int fm_parse_date(const char *s, struct fm_date *out);

#endif
