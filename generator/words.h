/* words — the one catalogue of interface words per language. The theme's
 * `i18n/<code>.lua` files (data chunks returning { key = "text", ... }; a
 * language without its own file takes the one of its tag, lowercased
 * (`zh-hant.lua`), else of its primary language (`zh.lua` for `zh-cn`),
 * else the theme's English one) are read once
 * per build, here, and every user of interface words reads them from this
 * catalogue: the templates' t(key), date formats, calculation table
 * headers. Texts may hold placeholders {1} {2} ... (words_format). Values
 * must be strings. Owns its strings; borrows nothing after words_load. */
#ifndef GEN_WORDS_H
#define GEN_WORDS_H
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "strmap.h"

struct words {
	size_t nlangs;
	struct strmap *by_lang; /* nlangs maps: key -> char * */
	char **files;           /* per language: the file read, for messages */
};

/* Reads tpl_dir/i18n/<code>.lua for every configured language. Returns 0,
 * or -1 with diagnostics (a missing English fallback, a value that is not
 * a string, a Lua error) — the catalogue is then partly filled. */
int words_load(struct words *w, const char *tpl_dir, const struct config *c, struct diag_list *dl);
void words_release(struct words *w);

/* The text of key in language lang, or NULL. */
const char *words_get(const struct words *w, size_t lang, const char *key);
/* Appends the text of key with {1}..{9} replaced by args[0..]; a missing
 * key appends the key itself, so the gap shows. */
void words_format(const struct words *w, size_t lang, const char *key, const char *const *args,
		  size_t nargs, struct buf *out);
/* Keys of language lang, sorted; borrowed. Free the array (not the keys). */
const char **words_keys(const struct words *w, size_t lang);

#endif
