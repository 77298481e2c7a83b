/* fixture — temporary folders and small files for the unit tests that touch
 * the file system. Each test makes one fresh folder with fix_tmpdir() and
 * works only below it; fix_cleanup() removes it without following links.
 * Plain POSIX, independent of generator/fsutil.c, so test_fsutil can use it
 * without testing the code with itself. Every function aborts on a failure
 * of the set-up: a fixture that did not get made would make checks pass or
 * fail for the wrong reason. */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void fix_die(const char *what, const char *path)
{
	fprintf(stderr, "fixture: %s '%s': %s\n", what, path, strerror(errno));
	abort();
}

/* A fresh folder under $TMPDIR (or /tmp), absolute, links resolved. Caller frees. */
static inline char *fix_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/briefgen-unit-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpl))
		fix_die("cannot make", tmpl);
	char *real = realpath(tmpl, NULL);
	if (!real)
		fix_die("cannot resolve", tmpl);
	return real;
}

/* printf into a new string. Caller frees. */
static inline __attribute__((format(printf, 1, 2))) char *fix_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = malloc((size_t)n + 1);
	if (!s)
		abort();
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* mkdir -p of a whole path. */
static inline void fix_mkdir_path(char *p)
{
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			fix_die("cannot make", p);
		*s = '/';
	}
	if (mkdir(p, 0777) < 0 && errno != EEXIST)
		fix_die("cannot make", p);
}

/* mkdir -p of root/rel (root too). */
static inline void fix_mkdir(const char *root, const char *rel)
{
	char *p = fix_fmt("%s/%s", root, rel);
	fix_mkdir_path(p);
	free(p);
}

/* Writes text to root/rel, making its folders. */
static inline void fix_write(const char *root, const char *rel, const char *text)
{
	char *p = fix_fmt("%s/%s", root, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	fix_mkdir_path(p);
	*slash = '/';
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
		fix_die("cannot write", p);
	free(p);
}

/* The bytes of root/rel, or NULL when it cannot be read. Caller frees. */
static inline char *fix_read(const char *root, const char *rel)
{
	char *p = fix_fmt("%s/%s", root, rel);
	FILE *f = fopen(p, "rb");
	free(p);
	if (!f)
		return NULL;
	size_t n = 0, cap = 256;
	char *s = malloc(cap);
	for (size_t got; s && (got = fread(s + n, 1, cap - n - 1, f)) > 0;) {
		n += got;
		if (n + 1 == cap)
			s = realloc(s, cap *= 2);
	}
	fclose(f);
	if (!s)
		abort();
	s[n] = '\0';
	return s;
}

/* A symbolic link at root/rel whose text is target. */
static inline void fix_symlink(const char *target, const char *root, const char *rel)
{
	char *p = fix_fmt("%s/%s", root, rel);
	if (symlink(target, p) < 0)
		fix_die("cannot link", p);
	free(p);
}

/* 1 when root/rel exists (links not followed). */
static inline int fix_exists(const char *root, const char *rel)
{
	char *p = fix_fmt("%s/%s", root, rel);
	struct stat st;
	int yes = lstat(p, &st) == 0;
	free(p);
	return yes;
}

/* The inode of root/rel (links not followed), 0 when absent. */
static inline unsigned long long fix_inode(const char *root, const char *rel)
{
	char *p = fix_fmt("%s/%s", root, rel);
	struct stat st;
	unsigned long long ino = lstat(p, &st) == 0 ? (unsigned long long)st.st_ino : 0;
	free(p);
	return ino;
}

static inline int fix_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Removes root and everything below it; links are removed, not followed. */
static inline void fix_cleanup(char *root)
{
	nftw(root, fix_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

#endif
