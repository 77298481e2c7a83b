/* sink — where a build's files go. Every output file is put once, by its
 * path relative to the site root; the sink writes it into its folder
 * unless the same bytes are already there, so a build over an earlier
 * build's tree writes only what changed. sink_finish then removes every
 * file and folder the build did not put. Writes never follow a symbolic
 * link and never write through a hard link: a file that differs is
 * replaced, not truncated.
 *
 * Thread-safe: worker threads put files concurrently. Paths are checked by
 * the caller (no "..", no leading '/'). The sink owns copies of what it is
 * given; sink_free releases everything. */
#ifndef GEN_SINK_H
#define GEN_SINK_H
#include "diag.h"
#include <stddef.h>

struct sink;

/* dir: the folder written; shown: how messages name it ("site"). */
struct sink *sink_new(const char *dir, const char *shown);
void sink_free(struct sink *k);

/* Puts one file. `by` names what produced it (a source file), for the
 * error when two producers claim one path. After the first write error
 * (a full disk) the sink reports nothing more and every put fails.
 * Returns 0 or -1 with a diagnostic. */
int sink_put(struct sink *k, const char *rel, const void *data, size_t n, const char *by,
	     struct diag_list *dl);
/* Puts a copy of the file at `from` (which names itself as producer). */
int sink_copy(struct sink *k, const char *rel, const char *from, struct diag_list *dl);

/* Removes what was not put. Call once, after the last put. */
int sink_finish(struct sink *k, struct diag_list *dl);

/* The folder written, as given to sink_new. */
const char *sink_dir(const struct sink *k);
/* Files put / of them written because they were new or changed. */
size_t sink_count(const struct sink *k);
size_t sink_changed(const struct sink *k);

#endif
