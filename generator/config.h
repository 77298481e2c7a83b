/* config — stage 1: the site configuration. content/site.lua is a
 * data-only Lua chunk returning a table; it runs in an empty sandbox with a
 * small budget (its strings offer only bounded-time methods), and its fields
 * are copied into struct config. Without the file the defaults apply:
 * languages zh (zh-Hant) and en, default zh. */
#ifndef GEN_CONFIG_H
#define GEN_CONFIG_H
#include "diag.h"
#include "zhconv.h"
#include <stddef.h>

struct lang {
	char *code;        /* "zh": folder name and file name; a BCP 47 tag in lowercase */
	char *hreflang;    /* "zh-Hant": <html lang>, hreflang; BCP 47 in its usual case
			      (langtag.h); the code when site.lua gives none */
	char *og_locale;   /* "zh_TW": og:locale, from hreflang unless site.lua gives it */
	char *name;        /* "中文": the language's name for itself (switchers), from
			      hreflang unless site.lua gives it */
	char *title;       /* site title in this language */
	char *description;
	/* An edition converted at build time from another language's files
	 * (`convert = "zh"`, docs/zh-hans.md): conv (owned here) converts
	 * text of language from into this one, OpenCC with the `phrases` table
	 * first. NULL for a language of its own. */
	struct zhconv *conv;
	size_t from;
};

struct catpair {
	char *a, *b; /* a category name and its twin in another language */
};

struct config {
	int lint;              /* not from site.lua: `briefgen check` asks for the checks a
				  build skips (an input without a source); set by the build */
	char *base_url;        /* always ends with '/'; "/" when none is configured */
	int base_url_set;      /* site.lua gave base_url (or config_set_base_url did) */
	struct lang *langs;
	size_t nlangs;
	size_t def;            /* index of the default language */
	char **authors;        /* default authors, NULL-terminated */
	struct catpair *cats;
	size_t ncats;
	int summary_chars;     /* summary length in characters (CJK) */
	int summary_words;     /* summary length in words (Latin) */
	int cjk_per_minute;    /* reading rates */
	int words_per_minute;
	int page_size;         /* briefs per listing page; 0 = no pagination */
	int feed_full;         /* feeds carry full content, not summaries */
	int feed_limit;        /* entries per feed, newest first; 0 = every brief */
	int search;            /* `search = true`: the in-page search and its index (search.h) */
	char *timezone;        /* zone for dates that have none: "+08:00", "Z", "UTC" or a
	                          tz database name ("Asia/Taipei"); checked (zone.h) */
	char *file;            /* path of site.lua, or NULL when absent */
};

/* Loads root/content/site.lua if present. Returns 0, or -1 with diagnostics. */
int config_load(struct config *c, const char *content_dir, struct diag_list *dl);
void config_release(struct config *c);
/* Replaces the base URL (`--base-url`), after checking it as site.lua's is.
 * Returns 0, or -1 with a diagnostic at `where`. */
int config_set_base_url(struct config *c, const char *url, struct srcpos where, struct diag_list *dl);
/* The language whose files language i is made from: i itself unless it
 * is converted. */
size_t config_source_lang(const struct config *c, size_t i);
/* Index of the language with this code, or -1. */
int config_lang(const struct config *c, const char *code);
/* Index of the language a BCP 47 tag as authors write it names ("en-US",
 * "zh_CN", "ZH-Hant", "zh-cn"), or -1: a configured code or hreflang in
 * any case ('_' for '-'), else the one language whose code has the tag's
 * primary subtag. */
int config_lang_tag(const struct config *c, const char *tag);

#endif
