/* publish — checks on the output folder, its staging folder, the swap. */
#include "publish.h"
#include "fsutil.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "banned.h"

const char publish_marker_text[] =
	"This folder is written by briefgen. A build replaces it whole:\n"
	"files added here by hand are removed by the next build.\n";

static int has_marker(const char *dir)
{
	char *m = fs_join(dir, PUBLISH_MARKER);
	struct stat st;
	int yes = lstat(m, &st) == 0 && S_ISREG(st.st_mode);
	free(m);
	return yes;
}

static int is_marked_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && has_marker(path);
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static int refuse(const struct publish *p, struct diag_list *dl, const char *fmt, const char *arg)
{
	diag_error(dl, (struct srcpos){ p->shown, 0, 0 }, fmt, arg);
	return PUBLISH_REFUSED;
}

/* The checks that keep a build from replacing what is not a site. */
/* Where the output may not be: checked before anything is created. */
static int check_place(struct publish *p, const char *project, const char *const *protect,
		       struct diag_list *dl)
{
	char *proj = fs_resolve(project);
	int held = proj && fs_within(proj, p->dir);
	free(proj);
	if (held)
		return refuse(p, dl,
			      "the output folder holds the project '%s', and a build replaces the output folder "
			      "whole; choose another --out", project);
	for (const char *const *q = protect; q && *q; q++) {
		char *pr = exists(*q) ? fs_resolve(*q) : NULL;
		int holds = pr && fs_within(pr, p->dir), inside = pr && !holds && fs_within(p->dir, pr);
		free(pr);
		if (holds)
			return refuse(p, dl,
				      "the output folder holds '%s', and a build replaces the output folder whole; "
				      "choose another --out", *q);
		if (inside)
			return refuse(p, dl, "the output folder is inside '%s'; choose one outside content/, "
					     "templates/ and lua/", *q);
	}
	return 0;
}

/* What may already be there. */
static int check_existing(struct publish *p, int force, struct diag_list *dl)
{
	struct stat st, up;
	if (lstat(p->dir, &st) < 0)
		return errno == ENOENT ? 0 : refuse(p, dl, "cannot use the output folder: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return refuse(p, dl, "%s", "not a folder; --out names the folder the site is written into");
	char *parent = fs_join(p->dir, "..");
	int mount = stat(parent, &up) == 0 && up.st_dev != st.st_dev;
	free(parent);
	if (mount)
		return refuse(p, dl, "%s",
			      "is a mount point, which cannot be replaced in one rename; build into a folder "
			      "inside it (--out DIR/site) and publish that");
	if (!force && !has_marker(p->dir) && !fs_is_empty_dir(p->dir))
		return refuse(p, dl,
			      "this folder is not empty and was not written by briefgen (it has no %s); a build "
			      "replaces it whole: use --force to replace it anyway, or choose another --out",
			      PUBLISH_MARKER);
	return 0;
}

/* A build that stopped between the two renames of the fallback swap left
 * the previous output at p->old: put it back (or make it the staging
 * folder, when the new output did get in place). */
static void recover(struct publish *p, struct diag_list *dl)
{
	if (!is_marked_dir(p->old))
		return;
	if (!exists(p->dir)) {
		if (rename(p->old, p->dir) == 0)
			diag_warning(dl, (struct srcpos){ p->shown, 0, 0 },
				     "restored the previous build, which an interrupted build had moved to '%s'",
				     p->old);
	} else if (!exists(p->staging)) {
		rename(p->old, p->staging);
	} else {
		fs_rm_rf(p->old);
	}
}

int publish_open(struct publish *p, const char *out, const char *project, const char *const *protect,
		 int force, struct diag_list *dl)
{
	memset(p, 0, sizeof *p);
	p->lock_fd = -1;
	p->shown = xstrdup(out);
	p->dir = fs_resolve(out);
	if (!p->dir)
		return diag_error(dl, (struct srcpos){ out, 0, 0 }, "cannot use the output folder: %s",
				  strerror(errno));
	if (!strcmp(p->dir, "/"))
		return refuse(p, dl, "%s", "the output folder cannot be the root of the file system");
	const char *slash = strrchr(p->dir, '/');
	char *parent = slash == p->dir ? xstrdup("/") : xstrndup(p->dir, (size_t)(slash - p->dir));
	p->staging = xasprintf("%s/.%s.briefgen-staging", slash == p->dir ? "" : parent, slash + 1);
	p->old = xasprintf("%s/.%s.briefgen-old", slash == p->dir ? "" : parent, slash + 1);
	int r = check_place(p, project, protect, dl);
	if (r == 0 && fs_mkdir_p(parent) < 0)
		r = diag_error(dl, (struct srcpos){ out, 0, 0 }, "cannot create its parent folder: %s",
			       strerror(errno));
	if (r == 0) {
		/* Take turns with another build into the same place. */
		p->lock_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (p->lock_fd >= 0)
			while (flock(p->lock_fd, LOCK_EX) < 0 && errno == EINTR)
				;
		recover(p, dl);
		r = check_existing(p, force, dl);
	}
	free(parent);
	if (r < 0)
		return r;
	/* An empty folder there is one a build made and was stopped before it
	 * marked it (mkdir, then the marker): adopt it. */
	struct stat st;
	if (lstat(p->staging, &st) == 0 &&
	    !(S_ISDIR(st.st_mode) && (has_marker(p->staging) || fs_is_empty_dir(p->staging))))
		return diag_error(dl, (struct srcpos){ p->staging, 0, 0 },
				  "in the way of the build: briefgen stages the site here, and this was not made "
				  "by briefgen; move it away");
	char *marker = fs_join(p->staging, PUBLISH_MARKER);
	if ((mkdir(p->staging, 0777) < 0 && errno != EEXIST) ||
	    fs_write(marker, publish_marker_text, strlen(publish_marker_text)) < 0)
		r = diag_error(dl, (struct srcpos){ p->staging, 0, 0 }, "cannot create: %s", strerror(errno));
	free(marker);
	return r;
}

/* The previous output is the next staging folder: mark it, since it may
 * be a folder adopted with --force (or an empty one) that had no marker. */
static void mark_staging(const struct publish *p)
{
	char *marker = fs_join(p->staging, PUBLISH_MARKER);
	fs_write(marker, publish_marker_text, strlen(publish_marker_text));
	free(marker);
}

int publish_commit(struct publish *p, struct diag_list *dl)
{
	if (!exists(p->dir)) {
		if (rename(p->staging, p->dir) == 0)
			return 0;
	} else if (renameat2(AT_FDCWD, p->staging, AT_FDCWD, p->dir, RENAME_EXCHANGE) == 0) {
		mark_staging(p);
		return 0;
	} else if (errno == EINVAL || errno == ENOSYS) {
		/* No exchange on this file system (FUSE, some network file
		 * systems): two renames, with the previous output parked at
		 * p->old in between. If the process dies there, the output is
		 * missing until the next build puts it back (recover()). */
		if (exists(p->old))
			return diag_error(dl, (struct srcpos){ p->old, 0, 0 },
					  "in the way of the build, and not made by briefgen; move it away");
		if (rename(p->dir, p->old) == 0) {
			if (rename(p->staging, p->dir) == 0) {
				if (rename(p->old, p->staging) == 0)
					mark_staging(p);
				return 0;
			}
			int e = errno;
			rename(p->old, p->dir);
			errno = e;
		}
	}
	return diag_error(dl, (struct srcpos){ p->shown, 0, 0 }, "cannot replace the output folder: %s",
			  strerror(errno));
}

void publish_close(struct publish *p)
{
	if (p->lock_fd >= 0)
		close(p->lock_fd);
	free(p->shown);
	free(p->dir);
	free(p->staging);
	free(p->old);
	memset(p, 0, sizeof *p);
	p->lock_fd = -1;
}
