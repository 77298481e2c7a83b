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

/* Puts the finished tree `fresh` in place of `dest` in one step (Linux
 * renameat2 RENAME_EXCHANGE), then removes the old tree. Returns 0 or -1. */
int fs_swap_dir(const char *fresh, const char *dest);

#endif
