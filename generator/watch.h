/* watch — folders watched recursively with inotify, for `briefgen serve`.
 * Folders that appear (created, or renamed into a watched tree) are watched
 * as they appear; folders that go away are forgotten. Editor droppings
 * (".name", "#name#", "name~", "*.swp", vim's "4913") are not changes.
 * The caller polls watch_fd() and calls watch_read() when it is readable;
 * debouncing is the caller's business. Not thread-safe: one thread owns it. */
#ifndef GEN_WATCH_H
#define GEN_WATCH_H
#include "diag.h"
#include <stddef.h>

struct watch;

/* Paths that changed since the caller last emptied the list, each once,
 * in the order first seen. overflow: the kernel dropped events (so anything
 * may have changed). */
struct watch_changes {
	char **paths;
	size_t n, cap;
	int overflow;
};
void watch_changes_clear(struct watch_changes *c);

/* Returns NULL with a diagnostic when inotify is not available. */
struct watch *watch_new(struct diag_list *dl);
/* Watches dir and every folder below it. Calling it again for a watched
 * folder is harmless (and refreshes its path). A missing dir is not an
 * error: 0 is returned and nothing is watched. -1 with a diagnostic when
 * the kernel refuses (e.g. the max_user_watches limit). */
int watch_add_tree(struct watch *w, const char *dir, struct diag_list *dl);
/* Watches only the entries of dir named in names (NULL-terminated): their
 * creation, removal or renaming is a change, and a folder of that name that
 * appears is watched as a tree. For ROOT, where content/, templates/ and
 * lua/ may appear later. */
int watch_add_names(struct watch *w, const char *dir, const char *const *names,
		    struct diag_list *dl);
/* The descriptor to poll for reading. */
int watch_fd(const struct watch *w);
/* Reads every pending event without blocking, adds the changed paths to ch.
 * Returns how many relevant events there were, or -1 with a diagnostic. */
int watch_read(struct watch *w, struct watch_changes *ch, struct diag_list *dl);
void watch_free(struct watch *w);

#endif
