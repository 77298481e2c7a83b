/* sink — compare, then write; remember what was put; prune the rest. */
#include "sink.h"
#include "fsutil.h"
#include "strmap.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "banned.h"

/* What the map holds per path: a folder made for the build, or a file,
 * the producer that put it and, in memory, its bytes. One allocation holds
 * the entry and its strings, and the map borrows its key from it: a
 * preview rebuild puts thousands of files, and the copies were a fifth of
 * its time. */
struct entry {
	atomic_uint refs;     /* the maps holding it: a patched set shares its base's (sitefiles_patch) */
	int is_dir;           /* 1 a folder; DIR_MADE a folder this build's mkdir made */
	const char *by;       /* files: in text, after rel */
	struct blob *blob;    /* memory sinks */
	char text[];          /* rel, NUL, by, NUL */
};

static struct entry *entry_new(int is_dir, const char *rel, size_t rlen, const char *by)
{
	size_t blen = by ? strlen(by) + 1 : 0;
	struct entry *e = xmalloc(sizeof *e + rlen + 1 + blen);
	atomic_init(&e->refs, 1);
	e->is_dir = is_dir;
	e->blob = NULL;
	memcpy(e->text, rel, rlen);
	e->text[rlen] = 0;
	e->by = by ? memcpy(e->text + rlen + 1, by, blen) : NULL;
	return e;
}

/* A folder that did not exist until this build made it holds only what
 * the build puts there: its files need no comparison with old bytes and it
 * needs no pruning. On a fresh build that is every folder, and the
 * comparisons and the walk were a third of the build's system calls. */
#define DIR_MADE 2

static int is_dir_entry(const struct strmap_slot *s)
{
	return ((const struct entry *)s->value)->is_dir != 0;
}

/* A memory sink's map, taken over whole when the build is done: a preview
 * rebuild puts thousands of files, and copying them into another map cost
 * as much as putting them. */
struct sitefiles {
	atomic_size_t refs;
	struct strmap map;    /* rel -> struct entry: a file or a folder (keys borrowed from them) */
	size_t nfiles;
	const char **sorted;  /* made on first use (sitefiles_paths) */
	pthread_mutex_t lock; /* guards sorted */
};

struct sink {
	char *dir, *shown;    /* dir NULL: memory */
	const struct sitefiles *prev;
	pthread_mutex_t lock; /* guards everything below */
	struct strmap put;    /* rel -> struct entry */
	size_t count, changed;
	int failed;
	struct sitefiles *taken; /* sink_take_files: put moved there (a reference) */
	sink_put_fn *on_put;     /* sink_on_put */
	void *on_put_ctx;
};

void sink_on_put(struct sink *k, sink_put_fn *fn, void *ctx)
{
	k->on_put = fn;
	k->on_put_ctx = ctx;
}


struct sink *sink_new(const char *dir, const char *shown)
{
	struct sink *k = xcalloc(1, sizeof *k);
	k->put = (struct strmap)STRMAP_BORROWED;
	k->dir = dir ? xstrdup(dir) : NULL;
	k->shown = xstrdup(shown);
	pthread_mutex_init(&k->lock, NULL);
	return k;
}

struct sink *sink_new_memory(const char *shown, const struct sitefiles *prev)
{
	struct sink *k = sink_new(NULL, shown);
	k->prev = prev;
	return k;
}

static void entry_unref(struct entry *e)
{
	if (atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	blob_unref(e->blob);
	free(e);
}

static void entries_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			entry_unref(m->slots[i].value);
	strmap_release(m);
}

void sink_free(struct sink *k)
{
	if (!k)
		return;
	entries_release(&k->put);
	sitefiles_unref(k->taken);
	pthread_mutex_destroy(&k->lock);
	free(k->dir);
	free(k->shown);
	free(k);
}

const char *sink_dir(const struct sink *k)
{
	return k->dir;
}

static const char **file_keys(const struct strmap *m, size_t *n)
{
	const char **v = xcalloc(m->n + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key && !is_dir_entry(&m->slots[i]))
			v[(*n)++] = m->slots[i].key;
	return v;
}

const char **sink_paths(const struct sink *k, size_t *n)
{
	return file_keys(k->taken ? &k->taken->map : &k->put, n);
}

size_t sink_count(const struct sink *k)
{
	return k->count;
}

size_t sink_changed(const struct sink *k)
{
	return k->changed;
}

/* The first write error is the one reported: a full disk would otherwise
 * give one message per file. */
static int fail(struct sink *k, const char *rel, int err, struct diag_list *dl)
{
	pthread_mutex_lock(&k->lock);
	int first = !k->failed;
	k->failed = 1;
	pthread_mutex_unlock(&k->lock);
	if (!first)
		return -1;
	return diag_error(dl, (struct srcpos){ k->shown, 0, 0 }, "cannot write '%s': %s", rel, strerror(err));
}

/* 1 when rel[0..len) is a folder of this build (DIR_MADE when the build
 * made it), 0 when it is not known, -1 when a file was put there (its
 * producer in *by, caller frees). */
static int known_dir(struct sink *k, const char *rel, size_t len, char **by)
{
	pthread_mutex_lock(&k->lock);
	struct strmap_slot *s = strmap_find_n(&k->put, rel, len);
	int r = !s ? 0 : is_dir_entry(s) ? ((struct entry *)s->value)->is_dir : -1;
	if (r < 0)
		*by = xstrdup(((struct entry *)s->value)->by);
	pthread_mutex_unlock(&k->lock);
	return r;
}

/* Makes sure folder rel[0..len) is a real folder (not a link or a file
 * left by an earlier tree), parents first; each is checked once a build.
 * Returns DIR_MADE when this build made it, 1 when it was there, -1. */
static int ensure_dir(struct sink *k, const char *rel, size_t len, struct diag_list *dl)
{
	if (!len)
		return 1;
	char *by = NULL;
	int known = known_dir(k, rel, len, &by);
	if (known) {
		if (known < 0)
			diag_error(dl, (struct srcpos){ by, 0, 0 },
				   "'%s/%.*s' is written from here as a file, and is a folder of the site too; rename it",
				   k->shown, (int)len, rel);
		free(by);
		return known;
	}
	const char *slash = memrchr(rel, '/', len);
	if (slash && ensure_dir(k, rel, (size_t)(slash - rel), dl) < 0)
		return -1;
	char *d = xstrndup(rel, len);
	char *full = k->dir ? fs_join(k->dir, d) : NULL;
	int r = 1;
	if (full) {
		/* mkdir first: on a fresh tree it is the only call. Where a name
		 * exists, it must be a real folder; anything else goes. */
		struct stat st;
		if (mkdir(full, 0777) == 0)
			r = DIR_MADE;
		else if (errno != EEXIST)
			r = fail(k, d, errno, dl);
		else if (lstat(full, &st) == 0 && !S_ISDIR(st.st_mode))
			r = unlink(full) < 0 || mkdir(full, 0777) < 0 ? fail(k, d, errno, dl) : DIR_MADE;
	}
	if (r > 0) {
		struct entry *e = entry_new(r, rel, len, NULL);
		int added;
		pthread_mutex_lock(&k->lock);
		struct strmap_slot *s = strmap_put(&k->put, e->text, &added);
		if (added)
			s->value = e;
		pthread_mutex_unlock(&k->lock);
		if (!added) /* another thread made it first, or a file is there (claim says so) */
			free(e);
	}
	free(full);
	free(d);
	return r;
}

/* 1 when the regular file at fd holds exactly data[0..n). */
static int same_bytes(int fd, const char *data, size_t n)
{
	char chunk[65536];
	size_t at = 0;
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return 0;
		if (got == 0)
			return at == n;
		if ((size_t)got > n - at || memcmp(chunk, data + at, (size_t)got))
			return 0;
		at += (size_t)got;
	}
}

/* Returns 0 unchanged, 1 written, -1 error (errno). fresh: the folder is
 * one this build made, so nothing can be at full yet. */
static int write_file(const char *full, const char *data, size_t n, int fresh)
{
	int fd = fresh ? -1 : open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		struct stat st;
		int same = 0, dir = 0;
		if (fstat(fd, &st) == 0) {
			dir = S_ISDIR(st.st_mode);
			same = S_ISREG(st.st_mode) && (size_t)st.st_size == n && same_bytes(fd, data, n);
		}
		close(fd);
		if (same)
			return 0;
		if (dir && fs_rm_rf(full) < 0)
			return -1;
	}
	/* Replace, never truncate: the old name may be a link, or a hard link
	 * that another path shares. */
	if (!fresh && unlink(full) < 0 && errno != ENOENT && errno != EISDIR)
		return -1;
	fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	while (n) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		data += w;
		n -= (size_t)w;
	}
	return close(fd) < 0 ? -1 : 1;
}

/* Claims rel for `by`: 0, or -1 after reporting the producer that has it. */
static int claim(struct sink *k, const char *rel, const char *by, struct entry **out, struct diag_list *dl)
{
	struct entry *e = entry_new(0, rel, strlen(rel), by);
	pthread_mutex_lock(&k->lock);
	int failed = k->failed, added = 0;
	struct strmap_slot *s = failed ? NULL : strmap_put(&k->put, e->text, &added);
	const char *first = NULL;
	if (s && !added)
		first = is_dir_entry(s) ? "" : ((struct entry *)s->value)->by;
	else if (s) {
		s->value = e;
		*out = e;
		k->count++;
	}
	char *first_copy = first ? xstrdup(first) : NULL;
	pthread_mutex_unlock(&k->lock);
	if (!added)
		free(e);
	if (failed)
		return -1;
	if (!first_copy)
		return 0;
	int r = *first_copy ? diag_error(dl, (struct srcpos){ by, 0, 0 },
					 "would replace '%s/%s', which is written from %s; rename one of them",
					 k->shown, rel, first_copy)
			    : diag_error(dl, (struct srcpos){ by, 0, 0 },
					 "would replace the folder '%s/%s' of the site; rename it", k->shown, rel);
	free(first_copy);
	return r;
}

static void count_changed(struct sink *k)
{
	pthread_mutex_lock(&k->lock);
	k->changed++;
	pthread_mutex_unlock(&k->lock);
}

/* In memory: the previous set's blob when its bytes are these (shared, so
 * later stages see "unchanged" as "the same blob"), else b or a new one. */
static struct blob *keep_blob(struct sink *k, const char *rel, struct blob *b, const void *data, size_t n)
{
	struct blob *old = k->prev ? sitefiles_get(k->prev, rel) : NULL;
	if (old && (old == b || blob_same(old, data, n)))
		return blob_ref(old);
	count_changed(k);
	return b ? blob_ref(b) : blob_new(data, n);
}

static int put(struct sink *k, const char *rel, const void *data, size_t n, struct blob *b, const char *by,
	       struct diag_list *dl)
{
	struct entry *e = NULL;
	if (claim(k, rel, by, &e, dl) < 0)
		return -1;
	const char *slash = strrchr(rel, '/');
	int parent = slash ? ensure_dir(k, rel, (size_t)(slash - rel), dl) : 1;
	if (parent < 0)
		return -1;
	if (!k->dir) {
		e->blob = keep_blob(k, rel, b, data, n);
		if (k->on_put)
			k->on_put(k->on_put_ctx, rel, data, n);
		return 0;
	}
	char *full = fs_join(k->dir, rel);
	int w = write_file(full, data, n, parent == DIR_MADE);
	free(full);
	if (w < 0)
		return fail(k, rel, errno, dl);
	if (w > 0)
		count_changed(k);
	if (k->on_put)
		k->on_put(k->on_put_ctx, rel, data, n);
	return 0;
}

int sink_put(struct sink *k, const char *rel, const void *data, size_t n, const char *by,
	     struct diag_list *dl)
{
	return put(k, rel, data, n, NULL, by, dl);
}

int sink_put_blob(struct sink *k, const char *rel, struct blob *b, const char *by, struct diag_list *dl)
{
	return put(k, rel, b->data, b->len, b, by, dl);
}

int sink_copy(struct sink *k, const char *rel, const char *from, struct diag_list *dl)
{
	struct buf b = BUF_INIT;
	int r;
	if (fs_read(from, &b) < 0)
		r = diag_error(dl, (struct srcpos){ from, 0, 0 }, "cannot read: %s", strerror(errno));
	else
		r = sink_put(k, rel, b.ptr, b.len, from, dl);
	buf_release(&b);
	return r;
}

/* Removes, below full (rel its site path, NULL at the top), whatever the
 * build did not put. Links are removed, never followed. */
static int prune(struct sink *k, const char *full, const char *rel)
{
	DIR *d = opendir(full);
	if (!d)
		return -1;
	char **drop = NULL, **keep = NULL;
	size_t nd = 0, nk = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *r = rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		struct strmap_slot *s = strmap_find(&k->put, r);
		int want_dir = s && is_dir_entry(s);
		int is_dir = e->d_type == DT_DIR, is_reg = e->d_type == DT_REG;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			char *p = fs_join(full, e->d_name);
			is_dir = lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
			is_reg = !is_dir && S_ISREG(st.st_mode);
			free(p);
		}
		if (s && want_dir && is_dir && ((struct entry *)s->value)->is_dir == DIR_MADE) {
			free(r); /* holds only what was put */
		} else if (s && want_dir && is_dir) {
			keep = xrealloc(keep, (nk + 1) * sizeof *keep);
			keep[nk++] = r;
		} else if (s && !want_dir && is_reg) {
			free(r);
		} else {
			drop = xrealloc(drop, (nd + 1) * sizeof *drop);
			drop[nd++] = r;
		}
	}
	closedir(d);
	int rc = 0;
	for (size_t i = 0; i < nd; i++) {
		char *p = fs_join(k->dir, drop[i]);
		if (fs_rm_rf(p) < 0)
			rc = -1;
		free(p);
		free(drop[i]);
	}
	for (size_t i = 0; i < nk; i++) {
		char *p = fs_join(k->dir, keep[i]);
		if (prune(k, p, keep[i]) < 0)
			rc = -1;
		free(p);
		free(keep[i]);
	}
	free(drop);
	free(keep);
	return rc;
}

int sink_finish(struct sink *k, struct diag_list *dl)
{
	if (k->failed)
		return -1;
	if (!k->dir)
		return 0; /* memory holds only what was put */
	if (prune(k, k->dir, NULL) < 0)
		return diag_error(dl, (struct srcpos){ k->shown, 0, 0 },
				  "cannot remove files left by an earlier build: %s", strerror(errno));
	return 0;
}

/* ---- sets of files in memory -------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct sitefiles *sink_take_files(struct sink *k)
{
	if (k->dir)
		return NULL;
	if (k->taken)
		return sitefiles_ref(k->taken);
	struct sitefiles *f = xcalloc(1, sizeof *f);
	atomic_init(&f->refs, 2); /* the caller's, and k->taken */
	pthread_mutex_init(&f->lock, NULL);
	pthread_mutex_lock(&k->lock);
	f->map = k->put;
	f->nfiles = k->count;
	k->put = (struct strmap)STRMAP_BORROWED;
	k->taken = f;
	pthread_mutex_unlock(&k->lock);
	return f;
}

struct blob *sitefiles_get(const struct sitefiles *f, const char *rel)
{
	const struct strmap_slot *s = strmap_find(&f->map, rel);
	return s && !is_dir_entry(s) ? ((struct entry *)s->value)->blob : NULL;
}

int sitefiles_is_dir(const struct sitefiles *f, const char *rel)
{
	const struct strmap_slot *s = strmap_find(&f->map, rel);
	return s && is_dir_entry(s);
}

const char **sitefiles_paths(const struct sitefiles *cf)
{
	struct sitefiles *f = (struct sitefiles *)cf; /* the cache is not part of its value */
	pthread_mutex_lock(&f->lock);
	if (!f->sorted) {
		size_t n;
		f->sorted = file_keys(&f->map, &n);
		qsort(f->sorted, n, sizeof *f->sorted, cmp_str);
	}
	pthread_mutex_unlock(&f->lock);
	const char **copy = xcalloc(f->nfiles + 1, sizeof *copy);
	memcpy(copy, f->sorted, f->nfiles * sizeof *copy);
	return copy;
}

size_t sitefiles_count(const struct sitefiles *f)
{
	return f->nfiles;
}

struct sitefiles *sitefiles_ref(struct sitefiles *f)
{
	if (f)
		atomic_fetch_add(&f->refs, 1);
	return f;
}

void sitefiles_unref(struct sitefiles *f)
{
	if (!f || atomic_fetch_sub(&f->refs, 1) != 1)
		return;
	entries_release(&f->map);
	free(f->sorted);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

struct sitefiles *sitefiles_patch(const struct sitefiles *base, const struct sitefiles *changes)
{
	const struct strmap *cm = &changes->map;
	for (size_t i = 0; i < cm->cap; i++) {
		if (!cm->slots[i].key)
			continue;
		const struct strmap_slot *s = strmap_find(&base->map, cm->slots[i].key);
		if (!s || is_dir_entry(s) != is_dir_entry(&cm->slots[i]))
			return NULL; /* a file or folder the base does not have */
	}
	struct sitefiles *f = xcalloc(1, sizeof *f);
	atomic_init(&f->refs, 1);
	pthread_mutex_init(&f->lock, NULL);
	f->nfiles = base->nfiles;
	/* The base's table as it is, every entry shared: a copy costs a
	 * reference per file, not a hash and an allocation. */
	f->map = base->map;
	f->map.slots = xmalloc(base->map.cap * sizeof *f->map.slots);
	memcpy(f->map.slots, base->map.slots, base->map.cap * sizeof *f->map.slots);
	for (size_t i = 0; i < f->map.cap; i++)
		if (f->map.slots[i].key)
			atomic_fetch_add(&((struct entry *)f->map.slots[i].value)->refs, 1);
	for (size_t i = 0; i < cm->cap; i++) {
		struct entry *e = cm->slots[i].value;
		if (!cm->slots[i].key || e->is_dir)
			continue;
		struct strmap_slot *s = strmap_find(&f->map, cm->slots[i].key);
		entry_unref(s->value);
		atomic_fetch_add(&e->refs, 1);
		s->value = e;
		s->key = e->text; /* the same string, now the new entry's */
	}
	return f;
}
