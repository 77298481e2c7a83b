/* sink — where a build's files go. Every output file is put once, by its
 * path relative to the site root.
 *
 * Into a folder (sink_new): the sink writes each file unless the same bytes
 * are already there, so a build over an earlier build's tree writes only
 * what changed; sink_finish then removes every file and folder the build
 * did not put. Writes never follow a symbolic link and never write through
 * a hard link: a file that differs is replaced, not truncated.
 *
 * Into memory (sink_new_memory, the preview): the files become a `struct
 * sitefiles`, an immutable set that the server reads while the next build
 * makes another. A file whose bytes equal the previous set's shares that
 * set's blob, so "the same blob" means "unchanged" to later stages.
 *
 * Thread-safe: worker threads put files concurrently. Paths are checked by
 * the caller (no "..", no leading '/'). The sink owns copies of what it is
 * given; sink_free releases everything. */
#ifndef GEN_SINK_H
#define GEN_SINK_H
#include "blob.h"
#include "diag.h"
#include <stddef.h>

struct sink;
struct sitefiles;

/* dir: the folder written; shown: how messages name it ("site"). */
struct sink *sink_new(const char *dir, const char *shown);
/* prev: the set of the previous build (borrowed), or NULL. */
struct sink *sink_new_memory(const char *shown, const struct sitefiles *prev);
void sink_free(struct sink *k);

/* Puts one file. `by` names what produced it (a source file), for the
 * error when two producers claim one path. After the first write error
 * (a full disk) the sink reports nothing more and every put fails.
 * Returns 0 or -1 with a diagnostic. */
int sink_put(struct sink *k, const char *rel, const void *data, size_t n, const char *by,
	     struct diag_list *dl);
/* Puts a copy of the file at `from` (which names itself as producer). */
int sink_copy(struct sink *k, const char *rel, const char *from, struct diag_list *dl);
/* Puts bytes the caller already holds as a blob (a new reference is taken). */
int sink_put_blob(struct sink *k, const char *rel, struct blob *b, const char *by, struct diag_list *dl);

/* fn(ctx, rel, data, n) is called for every file put, on the putting
 * thread, once its bytes are on disk or kept (the link check and the search
 * index read the pages there instead of reading them back). Set before
 * the first put. */
typedef void sink_put_fn(void *ctx, const char *rel, const void *data, size_t n);
void sink_on_put(struct sink *k, sink_put_fn *fn, void *ctx);

/* Removes what was not put. Call once, after the last put. */
int sink_finish(struct sink *k, struct diag_list *dl);

/* The folder written, as given to sink_new; NULL for memory. */
const char *sink_dir(const struct sink *k);
/* Memory sinks, after sink_finish: the set of files put (one reference,
 * the caller's). NULL for folder sinks. */
struct sitefiles *sink_take_files(struct sink *k);
/* The paths of the files put (not folders), in no particular order;
 * borrowed from k (valid until sink_free). Free the array only. */
const char **sink_paths(const struct sink *k, size_t *n);
/* Files put / of them written because they were new or changed. */
size_t sink_count(const struct sink *k);
size_t sink_changed(const struct sink *k);


/* ---- a set of files in memory ----------------------------------------- */

/* The blob of rel ("en/briefs/a/index.html"), or NULL. Borrowed: valid
 * while the caller holds its reference to f. */
struct blob *sitefiles_get(const struct sitefiles *f, const char *rel);
/* 1 when rel ("en/briefs/a") is a folder of the set: a file lies below it. */
int sitefiles_is_dir(const struct sitefiles *f, const char *rel);
/* Every path of the set, sorted; borrowed from f. Free the array only. */
const char **sitefiles_paths(const struct sitefiles *f);
size_t sitefiles_count(const struct sitefiles *f);
/* A new set (one reference, the caller's): base with every file of
 * changes in place of base's file of that path; both are only read. NULL
 * when changes holds a file or folder base does not have: a patch changes
 * files, it does not add them. */
struct sitefiles *sitefiles_patch(const struct sitefiles *base, const struct sitefiles *changes);
struct sitefiles *sitefiles_ref(struct sitefiles *f);
void sitefiles_unref(struct sitefiles *f);

#endif
