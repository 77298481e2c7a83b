/* publish — the output folder, and how a finished build becomes it.
 *
 * A build writes into a staging folder beside the output,
 * ".<name>.briefgen-staging", through a sink (sink.h) that writes only the
 * files whose bytes differ. publish_commit then exchanges the staging folder
 * and the output with one renameat2(RENAME_EXCHANGE): at every instant the
 * output is either the whole previous build or the whole new one. The
 * previous output becomes the next build's staging folder, so a build that
 * changes one brief writes about one brief's files. docs/architecture.md
 * has the crash-safety argument.
 *
 * briefgen replaces only what it made: every tree it writes holds a marker
 * file (PUBLISH_MARKER), and publish_open refuses an output folder that
 * holds or lies inside a protected folder (the project, content/, the
 * theme, lua/), is not a folder, is a mount point, or is a non-empty folder
 * without the marker (unless forced). A symbolic link as the output is
 * followed: its target is replaced and the link still points at it.
 * Builds into one folder take turns (flock on its parent folder). */
#ifndef GEN_PUBLISH_H
#define GEN_PUBLISH_H
#include "diag.h"

#define PUBLISH_MARKER ".briefgen-site"
/* What the marker file says; a build puts it into every tree it writes. */
extern const char publish_marker_text[];

struct publish {
	char *shown;   /* the output folder as the user named it */
	char *dir;     /* where it really is: resolved, links followed */
	char *staging; /* beside dir */
	char *old;     /* beside dir: the previous output between two renames,
			  where the file system cannot exchange */
	int lock_fd;   /* the parent folder, locked; -1 when not held */
};

/* Checks `out` and readies its staging folder (made, marked, locked).
 * project: a folder the output may not hold (it may lie inside it);
 * protect: NULL-terminated paths the output may neither hold nor lie in
 * (missing ones are skipped). Returns 0; -1 with a diagnostic when the
 * folder cannot be used; PUBLISH_REFUSED when it must not be (a usage
 * error: the diagnostic says why and what to do). */
#define PUBLISH_REFUSED (-2)
int publish_open(struct publish *p, const char *out, const char *project, const char *const *protect,
		 int force, struct diag_list *dl);
/* Makes the staging folder the output. Returns 0, or -1 with a diagnostic
 * and the output as it was. */
int publish_commit(struct publish *p, struct diag_list *dl);
/* Unlocks and frees; the staging folder stays for the next build. */
void publish_close(struct publish *p);

#endif
