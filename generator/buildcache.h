/* buildcache — what the preview server keeps from one build to the next so
 * that an edit costs the briefs it touches plus the listing pages (DESIGN
 * §10). It is a value owned by the caller (cmd_serve), handed to the build
 * in build_opts.cache; `briefgen build` passes NULL and renders everything.
 *
 * A brief's rendered files are reused when three things are what they were
 * when it was rendered:
 *   - the brief itself: the bytes of every language file, the file names,
 *     slug, date and URLs, compared byte for byte (no hash, so no
 *     collisions), which is everything render_brief reads from content, and
 *     of each brief it cites (cites.h) the values, addresses and titles;
 *   - the build-wide inputs: content/site.lua, content/pages/ (the
 *     standalone pages every footer lists), every file under the lua/
 *     folder used (template engine, calc, units, i18n helpers), the theme's
 *     i18n/ strings, which theme and lua folders are used, --drafts; when
 *     any of them differs, every brief is rendered again;
 *   - each template its pages used (lua/template.lua records the page
 *     template, the layout and every partial): a template whose bytes change
 *     gets a new version, and only the briefs that used it are rendered
 *     again. An edit to home.html or taxonomy.html renders no brief.
 * Bundle assets are not part of the key: they are copied on every build.
 *
 * Threads: during a build the workers only read the cache
 * (build_cache_find); build_cache_begin and build_cache_commit run on the
 * building thread before and after them. Nothing here is global. */
#ifndef GEN_BUILDCACHE_H
#define GEN_BUILDCACHE_H
#include "buf.h"
#include "content.h"
#include "hash.h"
#include "render.h"

struct build_cache;

struct build_cache *build_cache_new(void);
void build_cache_free(struct build_cache *c);

/* Start of a build, before anything is read: records the build-wide inputs
 * (dropping every brief when they differ from the last build's) and the
 * bytes of every template, giving each template that changed, appeared or
 * went away a new version. */
void build_cache_begin(struct build_cache *c, const char *content_dir, const char *tpl_dir,
		       const char *lua_dir, int drafts);

/* Changes whenever the build-wide inputs or any template changed since the
 * last build_cache_begin: the seed of the memo's hashes (memo.h). */
struct hash128 build_cache_seed(const struct build_cache *c);

/* The brief's inputs as bytes, appended to key. */
void build_cache_key(const struct brief *b, size_t nlangs, struct buf *key);

/* What an earlier build rendered for the brief of this slug, when its key
 * was exactly this one and none of the templates it used has changed since;
 * else NULL. A NULL key skips the comparison: for a brief the content scan
 * reused because none of its files changed (struct brief's reused), whose
 * key is the one kept. Only reads c, so every worker may call it at once. */
const struct brief_result *build_cache_find(const struct build_cache *c, const char *slug,
					    const struct buf *key);

/* What an earlier build rendered for the brief of this slug when its key
 * was this one (NULL: the kept one, as above), whatever templates it used:
 * its body stage (render_retemplate). */
const struct brief_result *build_cache_find_body(const struct build_cache *c, const char *slug,
						 const struct buf *key);

/* After every brief of the build, in brief order: the cache keeps, for each
 * brief i, either the entry it reused (reused[i]) or fresh[i] with keys[i]
 * (both taken: fresh[i] is set to NULL and keys[i] emptied); a NULL fresh[i]
 * (the brief failed) keeps nothing. Entries of briefs that are not in this
 * build are dropped. */
void build_cache_commit(struct build_cache *c, struct brief *const *briefs, size_t n,
			const int *reused, struct buf *keys, struct brief_result **fresh);

/* The preview's patch, between builds: the brief of this slug was
 * rendered again from the inputs key (emptied) into fresh (taken). */
void build_cache_replace(struct build_cache *c, const char *slug, struct buf *key, struct brief_result *fresh);
#endif
