/* content — stage 2: walk content/briefs and turn it into briefs and pages.
 * A brief is a folder `YYYY-MM-DD-slug/` holding one `<lang>.md` per
 * language plus assets, or a single Jekyll post `YYYY-MM-DD-slug.md`
 * (language from front matter `lang`, a `name.<lang>.md` suffix, or the
 * default). Front matter is parsed here; Markdown is left for md.c. */
#ifndef GEN_CONTENT_H
#define GEN_CONTENT_H
#include "blob.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "frontmatter.h"
#include "hash.h"

struct urls;   /* urls.h */
struct strmap; /* strmap.h */

struct brief;

struct page {
	struct brief *brief;     /* owner */
	size_t lang;             /* index into config langs */
	char *file;              /* source path, as diagnostics print it */
	struct buf src;          /* the whole file */
	struct frontmatter fm;
	const char *body;        /* points into src */
	size_t body_len;
	int body_line;           /* file line of the body's first line */
	struct hash128 body_hash; /* of body[0..body_len), for the preview's memos */
	const char *title;       /* borrowed from fm */
	char *url;               /* site-relative: "/zh/briefs/slug/" */
	char *updated_iso;       /* last changed: front matter `updated` (or Jekyll's
				    `last_modified_at`) when later than the brief's date, else the date */
	long long updated_epoch; /* the same instant */
	/* filled by the render stage */
	const char *html;        /* body HTML: html_blob's bytes */
	struct blob *html_blob;  /* one reference; shared with the preview's cache */
	struct hash128 html_hash; /* of html, for the preview's memos */
	char *summary;           /* plain text */
	char *toc;               /* HTML list, or NULL */
	int reading_minutes;
	int cjk_chars, words;
	int converted;           /* made from another language's file (config.h: conv); what
				    is said of that file is not said again for this page */
	int src_is_file;         /* src holds the file's bytes as read (no control character
				    removed, no template tag rewritten, not converted): a
				    later stage may read the file again instead */
};

struct brief {
	char *dir;               /* bundle folder, or NULL for a single-file post */
	char *name;              /* folder or file name, for messages */
	char *slug;
	struct fm_date date;
	char *date_iso;          /* RFC 3339 in the site's zone */
	long long epoch;         /* the same instant, for ordering */
	struct page **pages;     /* nlangs entries; NULL where untranslated */
	char **assets;           /* bundle-relative file names, NULL-terminated */
	size_t index;            /* position in the sorted brief list */
	char *entry;             /* its name in content/briefs/ (folder or file) */
	struct diag_list scan_diags; /* what reading it reported, said again when it is reused */
	int reused;              /* moved from the previous scan (content_reuse), not read again */
	int has_numbers;         /* set by the render stage: briefs/<slug>/numbers.json is written */
	struct blob *numbers;    /* that file's bytes (a reference the brief owns), or NULL */
	struct blob *numbers_csv; /* its rows of the site's numbers.csv (numbers.h), or NULL */
	struct blob *numbers_part; /* numbers as the site's numbers.json holds it, made from it by
				      numbers_site and kept while numbers is the same; or NULL */
	/* one model across briefs (cites.h), set before rendering: */
	struct cite *cites;      /* its `name = @slug.value` lines */
	size_t ncites;
	int cited;               /* another brief cites one of its values */
	struct blob *exports;    /* its values for those briefs (render stage), or NULL */
};

struct content {
	struct brief **briefs;   /* newest first, then by slug */
	size_t n;
	size_t nlangs;
	/* Standalone pages (Hugo's and Zola's): content/pages/NAME/<lang>.md,
	 * published at /<lang>/NAME/ and in the sitemap, listed in every page's
	 * footer, never in listings or feeds. Held as briefs (slug = NAME, no
	 * date, no assets), by name. */
	struct brief **spages;
	size_t nspages;
};

/* What a scan may take from the previous one (the preview): every brief of
 * prev whose entry in content/briefs/ is not in dirty is moved into the new
 * scan as it is (reused = 1; its scan diagnostics are reported again)
 * instead of being read again. dirty maps entry names ("2024-12-13-x",
 * "2024-12-13-y.md"); NULL dirty reads everything again. The caller keeps
 * prev and releases it after the scan (moved briefs are no longer in it). */
struct content_reuse {
	struct content *prev;
	const struct strmap *dirty;
};

/* Scans content_dir/briefs. Errors (bad front matter, duplicate slugs)
 * are collected; returns -1 if there were any. Drafts are skipped unless
 * drafts is set. reuse may be NULL. Entries are read on `jobs` threads
 * (0: one per core) when there are many; the result and the messages are
 * the same for any jobs. */
int content_scan(struct content *ct, const struct config *cfg, const struct urls *u,
		 const char *content_dir, int drafts, const struct content_reuse *reuse, int jobs,
		 struct diag_list *dl);
void content_release(struct content *ct);

/* The preview's patch (site.h): reads ct->briefs[i]'s entry again, as a
 * scan would (its URLs and index set, its scan diagnostics kept in it and
 * added to dl). NULL when the entry is no longer a brief or failed to read
 * (reported). The caller owns the result: content_replace takes it,
 * content_brief_free frees it. */
struct brief *content_reload(const struct content *ct, size_t i, const struct config *cfg, const struct urls *u,
			     const char *content_dir, int drafts, struct diag_list *dl);
/* 1 when b stands where a stood: the same entry, files, slug, date, URLs,
 * `updated`, languages and assets, so that nothing outside its own pages
 * can see a difference between them but what its pages render to. */
int content_same_outline(const struct brief *a, const struct brief *b, size_t nlangs);
/* Frees ct->briefs[i] and puts b (taken) in its place. Whoever borrowed the
 * old brief must be told first (taxonomy_replace_brief). */
void content_replace(struct content *ct, size_t i, struct brief *b);
void content_brief_free(struct brief *b, size_t nlangs);
/* Frees the bytes of b's files (page.src; body becomes NULL) once its pages
 * are rendered, in a build without the preview's cache (whose keys are those
 * bytes): about a sixth of a calc build's peak memory on the bench site.
 * Only a page whose src_is_file: the link check reads the file again to
 * place a broken link (linkcheck.h). Everything else of b stays. */
void content_drop_sources(struct brief *b, size_t nlangs);

/* Parses the `YYYY-MM-DD-` prefix of a name; returns the rest (the slug)
 * or NULL when there is no date prefix. */
const char *content_split_dated(const char *name, struct fm_date *date);
/* 1 when s is usable as a URL path segment: letters, digits, '-', '_',
 * '.' and UTF-8 text beyond ASCII (no C1 control), not starting with '.'
 * or '-'. `briefgen new` holds its SLUG to the same rule. */
int content_slug_ok(const char *s);
/* RFC 3339 form of a date, in zone tz ("+08:00", "Asia/Taipei": see zone.h)
 * when it has none. Caller frees. */
char *content_date_iso(const struct fm_date *d, const char *tz);

#endif
