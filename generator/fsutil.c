/* fsutil — file system helpers. */
#include "fsutil.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "banned.h"

/* Closes fd after a failure, keeping the failure's errno; returns -1. */
static int close_failed(int fd, int err)
{
	close(fd);
	errno = err;
	return -1;
}

int fs_read(const char *path, struct buf *out)
{
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer forever; it changes nothing for regular files. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	/* Only regular files: a FIFO, socket or device (/dev/zero) may never end. */
	struct stat st;
	int bad = 0;
	if (fstat(fd, &st) < 0)
		bad = errno;
	else if (!S_ISREG(st.st_mode))
		bad = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	if (bad)
		return close_failed(fd, bad);
	/* The whole file and one byte more, so that the read that sees the end
	 * finds room without growing (a copy of the whole file). */
	if (st.st_size > 0)
		buf_reserve(out, (size_t)st.st_size + 1);
	for (;;) {
		if (out->cap - out->len < 2)
			buf_grow(out, 8192);
		ssize_t n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return close_failed(fd, errno);
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
	}
	close(fd);
	return 0;
}

int fs_mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int r = mkdir(p, 0777);
	free(p);
	return r < 0 && errno != EEXIST ? -1 : 0;
}

static int mkparent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = xstrndup(path, (size_t)(slash - path));
	int r = fs_mkdir_p(dir);
	free(dir);
	return r;
}

int fs_write(const char *path, const void *data, size_t n)
{
	if (mkparent(path) < 0)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return close_failed(fd, errno);
		}
		p += w;
		n -= (size_t)w;
	}
	return close(fd);
}

int fs_copy(const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	int r = fs_read(from, &b);
	if (r == 0)
		r = fs_write(to, b.ptr, b.len);
	buf_release(&b);
	return r;
}

int fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fs_list(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t n = 0, cap = 16;
	char **v = xmalloc(cap * sizeof *v);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n + 1 >= cap)
			v = xrealloc(v, (cap *= 2) * sizeof *v);
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_str);
	v[n] = NULL;
	return v;
}

void fs_list_free(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

char *fs_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	return xasprintf("%.*s/%s", (int)la, a, b);
}

int fs_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	char **names = fs_list(path);
	int r = 0;
	for (char **p = names; p && *p; p++) {
		char *child = fs_join(path, *p);
		if (fs_rm_rf(child) < 0)
			r = -1;
		free(child);
	}
	fs_list_free(names);
	if (rmdir(path) < 0)
		r = -1;
	return r;
}

char *fs_resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r || (errno != ENOENT && errno != ENOTDIR))
		return r;
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *slash = memrchr(path, '/', len);
	char *parent = !slash ? xstrdup(".") : slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	const char *base = slash ? slash + 1 : path;
	size_t blen = len - (size_t)(base - path);
	char *up = fs_resolve(parent);
	free(parent);
	if (!up || (blen == 1 && *base == '.'))
		return up;
	if (blen == 2 && !memcmp(base, "..", 2)) {
		char *cut = strrchr(up, '/');
		cut[cut == up] = '\0';
		return up;
	}
	char *full = xasprintf("%s%s%.*s", up, strcmp(up, "/") ? "/" : "", (int)blen, base);
	free(up);
	return full;
}

int fs_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (!strcmp(outer, "/"))
		return 1;
	return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

int fs_link_check(const char *path, const char *root, char **target)
{
	struct stat st;
	if (target)
		*target = NULL;
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return 0;
	char *to = realpath(path, NULL);
	if (!to)
		return -1;
	int out = !fs_within(to, root);
	free(to);
	if (out && target) {
		char text[4096];
		ssize_t n = readlink(path, text, sizeof text - 1);
		*target = xstrndup(text, n > 0 ? (size_t)n : 0);
	}
	return out;
}

int fs_is_empty_dir(const char *path)
{
	char **names = fs_list(path);
	int empty = names ? !names[0] : errno == ENOENT; /* unreadable: not known to be empty */
	fs_list_free(names);
	return empty;
}
