/* fsutil — the file system as the build needs it: whole-file reads, writes
 * that create parent folders, sorted walks (so output order never depends on
 * readdir), recursive removal, and the final swap of the output folder. */
#ifndef GEN_FSUTIL_H
#define GEN_FSUTIL_H
#include "buf.h"
#include <stddef.h>

/* Reads path into out (appending). Returns 0, or -1 with errno set. */
int fs_read(const char *path, struct buf *out);
/* Writes data to path, creating parent folders. Returns 0 or -1 (errno). */
int fs_write(const char *path, const void *data, size_t n);
int fs_mkdir_p(const char *path);
int fs_copy(const char *from, const char *to);
int fs_rm_rf(const char *path);
int fs_is_dir(const char *path);
int fs_is_file(const char *path);

/* Sorted names of the entries of dir (no "." or ".."), NULL-terminated.
 * Returns NULL when dir cannot be opened. Free with fs_list_free(). */
char **fs_list(const char *dir);
void fs_list_free(char **names);

/* Joins a and b with one '/'. Caller frees. */
char *fs_join(const char *a, const char *b);

/* The absolute path of path with every symbolic link of its existing part
 * resolved and "." and ".." of the rest taken lexically (realpath(3) for a
 * path that need not exist yet). Caller frees; NULL with errno on error. */
char *fs_resolve(const char *path);
/* 1 when resolved path inner is outer or lies below it (both from fs_resolve). */
int fs_within(const char *inner, const char *outer);
/* Where a symbolic link at path leads, checked against a resolved root:
 * 0 when path is no link or its target lies within root, 1 when the
 * target lies outside (*target, when not NULL, receives the link's text as
 * written: caller frees), -1 when it leads nowhere (errno). Never reads
 * the target. */
int fs_link_check(const char *path, const char *root, char **target);
/* 1 when path is a folder that holds nothing (or does not exist). */
int fs_is_empty_dir(const char *path);

#endif
