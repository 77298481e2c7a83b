/* feed — stage 6b: one Atom 1.0 feed (RFC 4287) per language, written
 * with libxml2's xmlTextWriter. Entries are the newest briefs that have a
 * page in that language, at most the config's feed_limit (20; 0: all). Every date carries a zone; `updated` of the
 * feed is its newest entry's (never the wall clock), so a rebuild gives the
 * same bytes. Every entry names an author: the brief's, else the site's,
 * else the site title. Content is the full body HTML when feed_full is
 * set, else the summary alone. */
#ifndef GEN_FEED_H
#define GEN_FEED_H
#include "buf.h"
#include "config.h"
#include "content.h"
#include "diag.h"
#include "urls.h"

/* Appends the feed of language lang to out. Returns 0, or -1 with a
 * diagnostic naming `where` when libxml2 fails. */
int feed_render(const struct config *c, const struct urls *u, const struct content *ct, size_t lang,
		struct buf *out, const char *where, struct diag_list *dl);

/* Adds to h everything feed_render reads of the content for language lang
 * (the config is the caller's to hash): equal hashes, equal feeds. Keep it
 * in step with feed_render. */
struct hasher;
void feed_hash(const struct config *c, const struct urls *u, const struct content *ct, size_t lang,
	       struct hasher *h);
/* The part of feed_hash one entry adds (b must have a page in lang). */
void feed_entry_hash(const struct config *c, const struct brief *b, size_t lang, struct hasher *h);
/* 1 when lang's feed carries b. */
int feed_carries(const struct config *c, const struct content *ct, const struct brief *b, size_t lang);

#endif
