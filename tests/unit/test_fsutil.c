/* fsutil: fs_resolve (".", "..", links, missing parts), fs_within,
 * fs_link_check, sorted fs_list, fs_rm_rf that never follows a link,
 * fs_read refusing what is not a regular file, writes and joins. Everything
 * happens below one fresh temporary folder. */
#include "harness.h"
#include "fixture.h"
#include "buf.h"
#include "fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *T; /* the temporary folder, resolved */

/* fs_resolve(in) compared with want: absolute as given, else relative to T. */
static void resolve(const char *in, const char *want, const char *name)
{
	char *got = fs_resolve(in);
	char *w = want[0] == '/' ? fix_fmt("%s", want) : fix_fmt("%s%s%s", T, *want ? "/" : "", want);
	STR_EQ(got, w, "resolve: %s", name);
	free(got);
	free(w);
}

static void test_resolve(void)
{
	fix_mkdir(T, "deep/real/sub");
	fix_write(T, "deep/real/file", "x");
	fix_symlink(T, T, "abs"); /* absolute link to T itself */
	fix_symlink("deep/real", T, "link");
	fix_symlink("nowhere", T, "dangling");
	char *p;
#define R(rel, want, name) (p = fix_fmt("%s/%s", T, rel), resolve(p, want, name), free(p))
	R("deep/real", "deep/real", "an existing folder");
	R("deep/./real/../real/sub/", "deep/real/sub", "'.', '..' and a trailing slash");
	R("deep/real/missing", "deep/real/missing", "a missing last part is kept");
	R("deep/missing/more/x", "deep/missing/more/x", "several missing parts");
	R("deep/missing/../real", "deep/real", "'..' after a missing part is taken lexically");
	R("deep/real/missing/", "deep/real/missing", "a missing part with a trailing slash");
	R("link", "deep/real", "a link is followed");
	R("link/sub/missing", "deep/real/sub/missing", "a link on the way is followed, then missing parts");
	R("link/..", "deep", "'..' after a link leaves the link's target");
	R("abs/deep/real", "deep/real", "an absolute link");
	R("dangling", "dangling", "a link that leads nowhere stands for itself");
	R("deep/real/file/x", "deep/real/file/x", "a part below a file is kept as a name");
	R("deep/real/missing/.", "deep/real/missing", "'.' after a missing part");
#undef R
	/* "missing/../../x" is T's parent + "/x": check it properly */
	p = fix_fmt("%s/missing/../../x", T);
	char *got = fs_resolve(p), *parent = fix_fmt("%s", T);
	*strrchr(parent, '/') = '\0';
	char *want = fix_fmt("%s/x", parent);
	STR_EQ(got, want, "resolve: '..' past the folder a missing part sat in");
	free(p), free(got), free(parent), free(want);
	resolve("/", "/", "the root");
	resolve("/..", "/", "'..' of the root is the root");

	char *old = getcwd(NULL, 0);
	if (chdir(T) == 0) {
		resolve("deep/real/new", "deep/real/new", "a relative path from the current folder");
		resolve(".", "", "'.' is the current folder");
		resolve("new", "new", "one missing name, relative");
		if (chdir(old) < 0)
			abort();
	}
	free(old);
}

static void test_within(void)
{
	INT_EQ(fs_within("/a/b", "/a/b"), 1, "within: a folder is within itself");
	INT_EQ(fs_within("/a/b/c/d", "/a/b"), 1, "within: below");
	INT_EQ(fs_within("/a/bc", "/a/b"), 0, "within: a sibling whose name starts the same is not");
	INT_EQ(fs_within("/a", "/a/b"), 0, "within: the parent is not");
	INT_EQ(fs_within("/x/y", "/"), 1, "within: everything is within /");
	INT_EQ(fs_within("/", "/a"), 0, "within: / is within nothing else");
}

static void lc(const char *root, const char *rel, int want, char **target, const char *name)
{
	char *p = fix_fmt("%s/%s", root, rel);
	INT_EQ(fs_link_check(p, root, target), want, "link check: %s", name);
	free(p);
}

static void test_link_check(void)
{
	char *root = fix_fmt("%s/content", T);
	fix_mkdir(T, "content/briefs/b");
	fix_mkdir(T, "content2");
	fix_write(T, "outside.txt", "secret");
	fix_write(T, "content/briefs/b/data.csv", "1,2");
	fix_symlink("data.csv", root, "briefs/b/in.csv");
	fix_symlink("../../../outside.txt", root, "briefs/b/out.txt");
	fix_symlink("../../..", root, "briefs/b/up");
	fix_symlink("..", root, "briefs/b/root");
	fix_symlink(T, root, "briefs/b/abs");
	fix_symlink("../../../content2", root, "briefs/b/sibling");
	fix_symlink("in.csv", root, "briefs/b/chain-in");
	fix_symlink("out.txt", root, "briefs/b/chain-out");
	fix_symlink("gone", root, "briefs/b/dangling");
	fix_symlink("loop2", root, "briefs/b/loop1");
	fix_symlink("loop1", root, "briefs/b/loop2");
	char *target = (char *)1;
	char *p;
	lc(root, "briefs/b/data.csv", 0, &target, "a file is no link");
	OK(target == NULL, "link check: no target text when there is nothing to report");
	lc(root, "briefs/b/missing", 0, &target, "a missing path is no link");
	lc(root, "briefs/b/in.csv", 0, &target, "a link within the root");
	lc(root, "briefs/b/root", 0, &target, "a link to the root itself");
	lc(root, "briefs/b/chain-in", 0, &target, "a link to a link within the root");
	lc(root, "briefs/b/out.txt", 1, &target, "a link out of the root");
	STR_EQ(target, "../../../outside.txt", "link check: the target as written");
	free(target);
	lc(root, "briefs/b/chain-out", 1, &target, "a link to a link that leads out");
	STR_EQ(target, "out.txt", "link check: the first link's own text");
	free(target);
	lc(root, "briefs/b/up", 1, &target, "'..' out of the root");
	free(target);
	lc(root, "briefs/b/abs", 1, &target, "an absolute link to a parent");
	free(target);
	lc(root, "briefs/b/sibling", 1, &target, "a sibling folder whose name starts like the root");
	free(target);
	errno = 0;
	lc(root, "briefs/b/dangling", -1, &target, "a link that leads nowhere");
	INT_EQ(errno, ENOENT, "link check: nowhere says ENOENT");
	errno = 0;
	lc(root, "briefs/b/loop1", -1, &target, "a loop of links");
	INT_EQ(errno, ELOOP, "link check: a loop says ELOOP");
	p = fix_fmt("%s/briefs/b/out.txt", root);
	INT_EQ(fs_link_check(p, root, NULL), 1, "link check: the target text is optional");
	free(p);
	free(root);
}

static void test_list(void)
{
	fix_mkdir(T, "list");
	const char *names[] = { "b", "a", "B", "中", "a.md", ".hidden", "_x", "a-b", "10", "9" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *rel = fix_fmt("list/%s", names[i]);
		fix_write(T, rel, "");
		free(rel);
	}
	char *d = fix_fmt("%s/list", T);
	char **got = fs_list(d);
	struct buf joined = BUF_INIT;
	for (char **n = got; n && *n; n++)
		buf_addf(&joined, "%s|", *n);
	STR_EQ(joined.ptr, ".hidden|10|9|B|_x|a|a-b|a.md|b|中|", "list: byte order, no '.' or '..'");
	buf_release(&joined);
	fs_list_free(got);
	for (int i = 0; i < 40; i++) {
		char *rel = fix_fmt("list/many/f%02d", 39 - i);
		fix_write(T, rel, "");
		free(rel);
	}
	char *many = fix_fmt("%s/many", d);
	got = fs_list(many);
	int sorted = 1, n = 0;
	for (; got && got[n]; n++) {
		char want[16];
		snprintf(want, sizeof want, "f%02d", n);
		sorted &= !strcmp(got[n], want);
	}
	OK(sorted && n == 40, "list: 40 entries, grown and sorted");
	fs_list_free(got);
	fix_mkdir(T, "list/empty");
	char *empty = fix_fmt("%s/empty", d);
	got = fs_list(empty);
	OK(got && got[0] == NULL, "list: an empty folder gives an empty list");
	fs_list_free(got);
	char *missing = fix_fmt("%s/missing", d);
	OK(fs_list(missing) == NULL, "list: a missing folder gives NULL");
	INT_EQ(fs_is_empty_dir(empty), 1, "empty dir: an empty folder");
	INT_EQ(fs_is_empty_dir(missing), 1, "empty dir: a missing folder counts as empty");
	INT_EQ(fs_is_empty_dir(d), 0, "empty dir: a folder with files");
	char *file = fix_fmt("%s/a", d);
	INT_EQ(fs_is_empty_dir(file), 0, "empty dir: a file is not an empty folder");
	fs_list_free(NULL);
	free(file), free(missing), free(empty), free(many), free(d);
}

static void test_rm_rf(void)
{
	fix_write(T, "keep/precious.txt", "keep me");
	fix_write(T, "keep/dir/inner.txt", "keep me too");
	fix_write(T, "rm/a/b/c.txt", "x");
	fix_write(T, "rm/top.txt", "x");
	fix_mkdir(T, "rm/empty");
	char *keep = fix_fmt("%s/keep", T);
	char *precious = fix_fmt("%s/keep/precious.txt", T);
	fix_symlink(keep, T, "rm/a/to-dir");
	fix_symlink(precious, T, "rm/a/b/to-file");
	fix_symlink("../../keep/dir", T, "rm/rel-dir");
	char *rm = fix_fmt("%s/rm", T);
	INT_EQ(fs_rm_rf(rm), 0, "rm -rf: a tree with links in it");
	OK(!fix_exists(T, "rm"), "rm -rf: the tree is gone");
	char *kept = fix_read(T, "keep/precious.txt"), *kept2 = fix_read(T, "keep/dir/inner.txt");
	OK(kept && !strcmp(kept, "keep me") && kept2 && !strcmp(kept2, "keep me too"),
	   "rm -rf: nothing a link pointed at was touched");
	free(kept), free(kept2);
	INT_EQ(fs_rm_rf(rm), 0, "rm -rf: a missing path is already removed");
	fix_symlink(keep, T, "link-to-keep");
	char *link = fix_fmt("%s/link-to-keep", T);
	INT_EQ(fs_rm_rf(link), 0, "rm -rf: a link to a folder, named itself");
	OK(!fix_exists(T, "link-to-keep") && fix_exists(T, "keep/precious.txt") && fix_exists(T, "keep/dir/inner.txt"),
	   "rm -rf: removes the link, not what it points at");
	INT_EQ(fs_rm_rf(precious), 0, "rm -rf: a single file");
	OK(!fix_exists(T, "keep/precious.txt"), "rm -rf: the file is gone");
	free(keep), free(precious), free(rm), free(link);
}

static void test_read_write(void)
{
	struct buf b = BUF_INIT;
	char *p = fix_fmt("%s/rw/a/b/file.txt", T);
	INT_EQ(fs_write(p, "hello", 5), 0, "write: makes the parent folders");
	buf_adds(&b, ">");
	INT_EQ(fs_read(p, &b), 0, "read: a regular file");
	STR_EQ(b.ptr, ">hello", "read: appends to what the buffer holds");
	INT_EQ(fs_write(p, "hi", 2), 0, "write: over an existing file");
	buf_release(&b);
	fs_read(p, &b);
	STR_EQ(b.ptr, "hi", "write: the old bytes are gone");
	buf_release(&b);

	/* a file bigger than any first guess, with NUL bytes */
	size_t n = 300000;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i * 31 % 251);
	char *bp = fix_fmt("%s/rw/big.bin", T);
	fs_write(bp, big, n);
	INT_EQ(fs_read(bp, &b), 0, "read: a 300 kB file");
	OK(b.len == n && !memcmp(b.ptr, big, n) && b.ptr[n] == '\0', "read: every byte, NUL-terminated");
	buf_release(&b);
	char *cp = fix_fmt("%s/rw/copy/big.bin", T);
	INT_EQ(fs_copy(bp, cp), 0, "copy: into a new folder");
	fs_read(cp, &b);
	OK(b.len == n && !memcmp(b.ptr, big, n), "copy: the same bytes");
	buf_release(&b);
	free(big), free(bp), free(cp);

	char *empty = fix_fmt("%s/rw/empty", T);
	fs_write(empty, "", 0);
	INT_EQ(fs_read(empty, &b), 0, "read: an empty file");
	OK(b.len == 0 && b.ptr[0] == '\0', "read: nothing appended");
	char *missing = fix_fmt("%s/rw/missing", T);
	errno = 0;
	INT_EQ(fs_read(missing, &b), -1, "read: a missing file fails");
	INT_EQ(errno, ENOENT, "read: ... with ENOENT");

	char *fifo = fix_fmt("%s/rw/fifo", T);
	if (mkfifo(fifo, 0600) < 0)
		abort();
	errno = 0;
	INT_EQ(fs_read(fifo, &b), -1, "read: a FIFO is refused without waiting for a writer");
	INT_EQ(errno, EINVAL, "read: ... with EINVAL");
	char *dir = fix_fmt("%s/rw", T);
	errno = 0;
	INT_EQ(fs_read(dir, &b), -1, "read: a folder is refused");
	INT_EQ(errno, EISDIR, "read: ... with EISDIR");
	INT_EQ((long long)b.len, 0, "read: nothing appended by a refusal");
	buf_release(&b);

	INT_EQ(fs_mkdir_p(dir), 0, "mkdir -p: an existing folder is fine");
	char *under_file = fix_fmt("%s/rw/empty/sub", T);
	INT_EQ(fs_mkdir_p(under_file), -1, "mkdir -p: not below a file");
	char *deep = fix_fmt("%s/rw/x/y/z", T);
	INT_EQ(fs_mkdir_p(deep), 0, "mkdir -p: several levels");
	INT_EQ(fs_is_dir(deep), 1, "is_dir: the new folder");
	INT_EQ(fs_is_file(deep), 0, "is_file: a folder is not a file");
	INT_EQ(fs_is_file(empty), 1, "is_file: a file");
	INT_EQ(fs_is_file(fifo), 0, "is_file: a FIFO is not a file");
	fix_symlink(deep, T, "rw/to-deep");
	char *to_deep = fix_fmt("%s/rw/to-deep", T);
	INT_EQ(fs_is_dir(to_deep), 1, "is_dir: follows a link");
	free(empty), free(missing), free(fifo), free(dir), free(under_file), free(deep), free(to_deep);
	free(p);
}

static void join(const char *a, const char *b, const char *want)
{
	char *j = fs_join(a, b);
	STR_EQ(j, want, "join '%s' + '%s'", a, b);
	free(j);
}

int main(void)
{
	char *tmp = fix_tmpdir();
	T = tmp;
	test_resolve();
	test_within();
	test_link_check();
	test_list();
	test_rm_rf();
	test_read_write();
	join("a", "b", "a/b");
	join("a/", "/b", "a/b");
	join("a///", "//b/c", "a/b/c");
	join("site", "", "site/");
	fix_cleanup(tmp);
	return harness_done();
}
