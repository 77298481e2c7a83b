/* watch — inotify, one watch per folder (inotify is not recursive). */
#include "watch.h"
#include "fsutil.h"
#include "xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include "banned.h"

#define TREE_MASK                                                                            \
	(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVED_FROM |     \
	 IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)
#define NAMES_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)

struct wdir {
	int wd;
	char *path;
	const char *const *names; /* NULL: every entry counts (a tree folder) */
};

struct watch {
	int fd;
	struct wdir *dirs;
	size_t n, cap;
	char **roots; /* what watch_add_tree() was asked for, walked again on overflow */
	size_t nroots;
};

void watch_changes_clear(struct watch_changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->paths[i]);
	free(c->paths);
	memset(c, 0, sizeof *c);
}

static void add_change(struct watch_changes *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->paths[i], path))
			return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->paths = xrealloc(c->paths, c->cap * sizeof *c->paths);
	}
	c->paths[c->n++] = xstrdup(path);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Swap, backup, lock and probe files that editors write next to the file
 * being edited; the real save shows up as an event on the real name. */
static int editor_dropping(const char *name)
{
	return name[0] == '.' || name[0] == '#' || ends_with(name, "~") || ends_with(name, ".swp") ||
	       ends_with(name, ".swx") || ends_with(name, ".swo") || !strcmp(name, "4913") ||
	       strstr(name, "___jb_") != NULL;
}

struct watch *watch_new(struct diag_list *dl)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		diag_error(dl, (struct srcpos){ NULL, 0, 0 }, "cannot watch files: %s", strerror(errno));
		return NULL;
	}
	struct watch *w = xcalloc(1, sizeof *w);
	w->fd = fd;
	return w;
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

static struct wdir *find(struct watch *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void drop(struct watch *w, size_t i)
{
	free(w->dirs[i].path);
	w->dirs[i] = w->dirs[--w->n];
}

/* 1 added, 0 the folder is not there (any more), -1 error */
static int add_one(struct watch *w, const char *path, uint32_t mask, const char *const *names,
		   struct diag_list *dl)
{
	int wd = inotify_add_watch(w->fd, path, mask);
	if (wd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES)
			return 0;
		return diag_error(dl, (struct srcpos){ path, 0, 0 }, "cannot watch: %s%s", strerror(errno),
				  errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
	}
	struct wdir *d = find(w, wd);
	if (!d) {
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 16;
			w->dirs = xrealloc(w->dirs, w->cap * sizeof *w->dirs);
		}
		d = &w->dirs[w->n++];
		d->wd = wd;
		d->path = NULL;
	}
	free(d->path);
	d->path = xstrdup(path);
	d->names = names;
	return 1;
}

static int add_tree(struct watch *w, const char *dir, struct diag_list *dl)
{
	int r = add_one(w, dir, TREE_MASK, NULL, dl);
	if (r <= 0)
		return r;
	char **names = fs_list(dir);
	for (char **n = names; n && *n && r >= 0; n++) {
		if (editor_dropping(*n))
			continue;
		char *p = fs_join(dir, *n);
		struct stat st;
		/* lstat: a symlinked folder is not followed, so no loops */
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && add_tree(w, p, dl) < 0)
			r = -1;
		free(p);
	}
	fs_list_free(names);
	return r < 0 ? -1 : 0;
}

int watch_add_tree(struct watch *w, const char *dir, struct diag_list *dl)
{
	size_t i;
	for (i = 0; i < w->nroots; i++)
		if (!strcmp(w->roots[i], dir))
			break;
	if (i == w->nroots) {
		w->roots = xrealloc(w->roots, (w->nroots + 1) * sizeof *w->roots);
		w->roots[w->nroots++] = xstrdup(dir);
	}
	return add_tree(w, dir, dl);
}

int watch_add_names(struct watch *w, const char *dir, const char *const *names,
		    struct diag_list *dl)
{
	return add_one(w, dir, NAMES_MASK, names, dl) < 0 ? -1 : 0;
}

/* Stops watching path and everything below it (a folder renamed away). */
static void forget(struct watch *w, const char *path)
{
	size_t n = strlen(path);
	for (size_t i = w->n; i-- > 0;) {
		const char *p = w->dirs[i].path;
		if (!strncmp(p, path, n) && (p[n] == '\0' || p[n] == '/')) {
			inotify_rm_watch(w->fd, w->dirs[i].wd);
			drop(w, i);
		}
	}
}

static int named(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(name, *names))
			return 1;
	return 0;
}

int watch_read(struct watch *w, struct watch_changes *ch, struct diag_list *dl)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	int count = 0;
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof buf);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (len <= 0)
			return diag_error(dl, (struct srcpos){ NULL, 0, 0 }, "cannot read file events: %s",
					  len < 0 ? strerror(errno) : "end of file");
		const struct inotify_event *ev;
		for (char *p = buf; p < buf + len; p += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				ch->overflow = 1;
				count++;
				for (size_t i = 0; i < w->nroots; i++)
					if (add_tree(w, w->roots[i], dl) < 0)
						return -1;
				continue;
			}
			struct wdir *d = find(w, ev->wd);
			if (!d)
				continue;
			if (ev->mask & IN_IGNORED) {
				drop(w, (size_t)(d - w->dirs));
				continue;
			}
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
				add_change(ch, d->path);
				count++;
				continue;
			}
			if (!ev->len || !ev->name[0])
				continue;
			if (d->names ? !named(ev->name, d->names) : editor_dropping(ev->name))
				continue;
			char *path = fs_join(d->path, ev->name);
			if (ev->mask & IN_ISDIR) {
				/* d may move: add_tree() grows the array */
				if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
					int r = d->names ? watch_add_tree(w, path, dl) : add_tree(w, path, dl);
					if (r < 0) {
						free(path);
						return -1;
					}
				} else if (ev->mask & IN_MOVED_FROM) {
					forget(w, path);
				}
			}
			add_change(ch, path);
			free(path);
			count++;
		}
	}
	return count;
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	close(w->fd);
	for (size_t i = 0; i < w->n; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	for (size_t i = 0; i < w->nroots; i++)
		free(w->roots[i]);
	free(w->roots);
	free(w);
}
