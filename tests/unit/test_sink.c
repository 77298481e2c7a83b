/* sink: put writes only what differs (an equal file keeps its inode), a
 * differing file is replaced and never written through (symbolic or hard
 * link), folders on the way are made real, two producers for one path is
 * the exact diagnostic, the first write error is the only one reported,
 * sink_finish prunes what was not put without following links, and puts
 * from several threads all land. */
#include "harness.h"
#include "fixture.h"
#include "diag.h"
#include "sink.h"

#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char *T;

static int put(struct sink *k, const char *rel, const char *text, const char *by, struct diag_list *dl)
{
	return sink_put(k, rel, text, strlen(text), by, dl);
}

static char *first_diag(const struct diag_list *dl)
{
	return dl->n ? diag_format(&dl->items[0]) : NULL;
}

static int is_link(const char *rel)
{
	char *p = fix_fmt("%s/%s", T, rel);
	struct stat st;
	int yes = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
	free(p);
	return yes;
}

static void test_write_compare(void)
{
	fix_mkdir(T, "site");
	char *dir = fix_fmt("%s/site", T);
	struct diag_list dl = DIAG_LIST_INIT;
	struct sink *k = sink_new(dir, "site");
	STR_EQ(sink_dir(k), dir, "dir: as given");
	INT_EQ(put(k, "index.html", "home", "t", &dl), 0, "put: a new file");
	INT_EQ(put(k, "en/briefs/a/index.html", "page a", "a.md", &dl), 0, "put: a file three folders down");
	INT_EQ(put(k, "same.txt", "same", "t", &dl), 0, "put: a third file");
	INT_EQ(sink_count(k), 3, "count: three files put");
	INT_EQ(sink_changed(k), 3, "changed: all three written");
	char *s = fix_read(T, "site/en/briefs/a/index.html");
	STR_EQ(s, "page a", "put: the bytes are there");
	free(s);
	INT_EQ(sink_finish(k, &dl), 0, "finish: nothing to prune");
	sink_free(k);

	unsigned long long same_ino = fix_inode(T, "site/same.txt"), home_ino = fix_inode(T, "site/index.html");
	struct stat before, after;
	char *same_path = fix_fmt("%s/same.txt", dir);
	stat(same_path, &before);
	/* a hard link to index.html from outside the site */
	char *home = fix_fmt("%s/index.html", dir), *outside = fix_fmt("%s/hard-outside.txt", T);
	if (link(home, outside) < 0)
		abort();
	k = sink_new(dir, "site");
	INT_EQ(put(k, "same.txt", "same", "t", &dl), 0, "second build: the same bytes");
	INT_EQ(put(k, "index.html", "new home", "t", &dl), 0, "second build: different bytes");
	INT_EQ(put(k, "en/briefs/a/index.html", "page a", "a.md", &dl), 0, "second build: same page");
	INT_EQ(sink_changed(k), 1, "changed: only the file whose bytes differ");
	stat(same_path, &after);
	OK(fix_inode(T, "site/same.txt") == same_ino && after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
	   after.st_mtim.tv_nsec == before.st_mtim.tv_nsec,
	   "equal bytes: not rewritten (same inode, same mtime)");
	OK(fix_inode(T, "site/index.html") != home_ino, "different bytes: the file is replaced (new inode)");
	s = fix_read(T, "hard-outside.txt");
	STR_EQ(s, "home", "different bytes: a hard link elsewhere keeps the old bytes");
	free(s);
	INT_EQ((long long)dl.n, 0, "no diagnostics so far");
	sink_finish(k, &dl);
	sink_free(k);
	free(same_path), free(home), free(outside), free(dir);
	diag_release(&dl);
}

static void test_links(void)
{
	fix_mkdir(T, "links/site");
	fix_write(T, "links/secret.txt", "secret");
	fix_write(T, "links/same.txt", "same");
	fix_mkdir(T, "links/elsewhere");
	char *dir = fix_fmt("%s/links/site", T);
	char *secret = fix_fmt("%s/links/secret.txt", T), *same = fix_fmt("%s/links/same.txt", T);
	char *elsewhere = fix_fmt("%s/links/elsewhere", T);
	fix_symlink(secret, dir, "page.html");
	fix_symlink(same, dir, "same.html");
	fix_symlink(elsewhere, dir, "en");
	fix_write(T, "links/site/file-then-dir", "a file where a folder goes");
	fix_mkdir(T, "links/site/dir-then-file/sub");
	fix_write(T, "links/site/dir-then-file/sub/x", "x");
	struct diag_list dl = DIAG_LIST_INIT;
	struct sink *k = sink_new(dir, "site");
	INT_EQ(put(k, "page.html", "new", "t", &dl), 0, "link: put over a link to a file");
	OK(!is_link("links/site/page.html"), "link: replaced by a regular file");
	char *s = fix_read(T, "links/secret.txt");
	STR_EQ(s, "secret", "link: its target is not written through");
	free(s);
	put(k, "same.html", "same", "t", &dl);
	OK(!is_link("links/site/same.html"), "link: replaced even when its target holds the same bytes");
	INT_EQ(put(k, "en/index.html", "en", "t", &dl), 0, "link: put below a link to a folder");
	OK(!is_link("links/site/en") && fix_exists(T, "links/site/en/index.html"),
	   "link: the folder on the way is made real");
	OK(!fix_exists(T, "links/elsewhere/index.html"), "link: nothing written where the link pointed");
	INT_EQ(put(k, "file-then-dir/x.html", "x", "t", &dl), 0, "a file where a folder goes is replaced");
	INT_EQ(put(k, "dir-then-file", "f", "t", &dl), 0, "a folder where a file goes is replaced");
	s = fix_read(T, "links/site/dir-then-file");
	STR_EQ(s, "f", "a folder where a file goes: now the file");
	free(s);
	INT_EQ((long long)dl.n, 0, "links: no diagnostics");
	sink_free(k);
	free(dir), free(secret), free(same), free(elsewhere);
	diag_release(&dl);
}

static void test_producers(void)
{
	fix_mkdir(T, "two/site");
	char *dir = fix_fmt("%s/two/site", T);
	struct diag_list dl = DIAG_LIST_INIT;
	struct sink *k = sink_new(dir, "out/site");
	put(k, "en/briefs/a/index.html", "page", "content/briefs/a/en.md", &dl);
	INT_EQ(put(k, "en/briefs/a/index.html", "asset", "content/briefs/a/index.html", &dl), -1,
	       "two producers: the second put fails");
	char *d = first_diag(&dl);
	STR_EQ(d,
	       "content/briefs/a/index.html: error: would replace 'out/site/en/briefs/a/index.html', which is "
	       "written from content/briefs/a/en.md; rename one of them",
	       "two producers: the exact diagnostic names both");
	free(d);
	char *s = fix_read(T, "two/site/en/briefs/a/index.html");
	STR_EQ(s, "page", "two producers: the first one's bytes stay");
	free(s);
	diag_release(&dl);
	INT_EQ(put(k, "en/briefs", "x", "content/briefs.md", &dl), -1, "a file over a folder of the site fails");
	d = first_diag(&dl);
	STR_EQ(d, "content/briefs.md: error: would replace the folder 'out/site/en/briefs' of the site; rename it",
	       "a file over a folder of the site: the exact diagnostic");
	free(d);
	INT_EQ(sink_count(k), 1, "count: a refused put is not counted");
	diag_release(&dl);

	fix_write(T, "two/asset.csv", "1,2\n");
	char *from = fix_fmt("%s/two/asset.csv", T);
	INT_EQ(sink_copy(k, "en/briefs/a/data.csv", from, &dl), 0, "copy: a file");
	s = fix_read(T, "two/site/en/briefs/a/data.csv");
	STR_EQ(s, "1,2\n", "copy: the same bytes");
	free(s);
	INT_EQ(sink_copy(k, "en/briefs/a/data.csv", from, &dl), -1, "copy: twice is two producers");
	d = first_diag(&dl);
	char *want = fix_fmt("%s: error: would replace 'out/site/en/briefs/a/data.csv', which is written from %s; "
			     "rename one of them", from, from);
	STR_EQ(d, want, "copy: the source names itself as producer");
	free(d), free(want);
	diag_release(&dl);
	char *missing = fix_fmt("%s/two/missing.csv", T);
	INT_EQ(sink_copy(k, "x.csv", missing, &dl), -1, "copy: a missing source fails");
	d = first_diag(&dl);
	want = fix_fmt("%s: error: cannot read: No such file or directory", missing);
	STR_EQ(d, want, "copy: the exact diagnostic");
	free(d), free(want);
	diag_release(&dl);
	sink_free(k);
	free(dir), free(from), free(missing);
}

static void test_write_error(void)
{
	char *dir = fix_fmt("%s/no-such-folder", T);
	struct diag_list dl = DIAG_LIST_INIT;
	struct sink *k = sink_new(dir, "site");
	INT_EQ(put(k, "a.html", "a", "t", &dl), -1, "write error: the put fails");
	INT_EQ(put(k, "b.html", "b", "t", &dl), -1, "write error: every later put fails");
	INT_EQ((long long)dl.n, 1, "write error: reported once");
	char *d = first_diag(&dl);
	STR_EQ(d, "site: error: cannot write 'a.html': No such file or directory", "write error: the exact diagnostic");
	free(d);
	INT_EQ(sink_finish(k, &dl), -1, "write error: finish fails too");
	INT_EQ((long long)dl.n, 1, "write error: still one diagnostic");
	sink_free(k);
	free(dir);
	diag_release(&dl);
}

static void test_prune(void)
{
	fix_write(T, "prune/keep/outside.txt", "outside");
	fix_write(T, "prune/site/old.html", "old");
	fix_write(T, "prune/site/en/old/index.html", "old");
	fix_write(T, "prune/site/en/briefs/a/index.html", "page");
	fix_write(T, "prune/site/en/briefs/a/stale.csv", "stale");
	fix_mkdir(T, "prune/site/empty/deeper");
	fix_write(T, "prune/site/.hidden", "hidden");
	char *keep = fix_fmt("%s/prune/keep", T), *dir = fix_fmt("%s/prune/site", T);
	fix_symlink(keep, dir, "en/link-dir");
	fix_symlink("keep/outside.txt", dir, "link-file");
	struct diag_list dl = DIAG_LIST_INIT;
	struct sink *k = sink_new(dir, "site");
	put(k, "en/briefs/a/index.html", "page", "a.md", &dl);
	put(k, "index.html", "home", "t", &dl);
	/* folders the build makes hold only what it puts: not compared, not walked */
	put(k, "fresh/deep/index.html", "new page", "b.md", &dl);
	put(k, "en/briefs/b/index.html", "new brief", "b.md", &dl);
	INT_EQ(sink_changed(k), 3, "prune: the three new files are written, the unchanged one is not");
	INT_EQ(sink_finish(k, &dl), 0, "prune: finish");
	char *fresh = fix_read(T, "prune/site/fresh/deep/index.html"), *b = fix_read(T, "prune/site/en/briefs/b/index.html");
	STR_EQ(fresh, "new page", "prune: a file in a folder the build made");
	STR_EQ(b, "new brief", "prune: a new folder beside old ones");
	free(fresh), free(b);
	OK(fix_exists(T, "prune/site/en/briefs/a/index.html") && fix_exists(T, "prune/site/index.html"),
	   "prune: what was put stays");
	OK(!fix_exists(T, "prune/site/old.html") && !fix_exists(T, "prune/site/en/old") &&
	   !fix_exists(T, "prune/site/en/briefs/a/stale.csv") && !fix_exists(T, "prune/site/empty") &&
	   !fix_exists(T, "prune/site/.hidden"),
	   "prune: every file and folder not put is gone, hidden ones too");
	OK(!fix_exists(T, "prune/site/en/link-dir") && !fix_exists(T, "prune/site/link-file"),
	   "prune: links not put are removed");
	char *s = fix_read(T, "prune/keep/outside.txt");
	STR_EQ(s, "outside", "prune: what a link pointed at is untouched");
	free(s);
	INT_EQ((long long)dl.n, 0, "prune: no diagnostics");
	sink_free(k);
	free(keep), free(dir);
	diag_release(&dl);
}

struct job {
	struct sink *k;
	int id;
	int failed;
	struct diag_list dl;
};

static void *producer(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < 100; i++) {
		char rel[64], text[64];
		snprintf(rel, sizeof rel, "t%d/f%03d.html", j->id, i);
		snprintf(text, sizeof text, "thread %d file %d", j->id, i);
		if (put(j->k, rel, text, "thread", &j->dl) < 0)
			j->failed = 1;
		/* every thread also needs the shared folder */
		snprintf(rel, sizeof rel, "shared/t%d-%03d.html", j->id, i);
		if (put(j->k, rel, text, "thread", &j->dl) < 0)
			j->failed = 1;
	}
	return NULL;
}

static void test_threads(void)
{
	fix_mkdir(T, "threads/site");
	char *dir = fix_fmt("%s/threads/site", T);
	struct sink *k = sink_new(dir, "site");
	struct job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){ k, i, 0, DIAG_LIST_INIT };
		pthread_create(&th[i], NULL, producer, &jobs[i]);
	}
	int failed = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		failed |= jobs[i].failed;
		diag_release(&jobs[i].dl);
	}
	OK(!failed, "threads: 800 puts from 4 threads succeed");
	INT_EQ(sink_count(k), 800, "threads: every put counted once");
	char *s = fix_read(T, "threads/site/t3/f099.html");
	char *s2 = fix_read(T, "threads/site/shared/t2-050.html");
	OK(s && !strcmp(s, "thread 3 file 99") && s2 && !strcmp(s2, "thread 2 file 50"), "threads: the files hold their bytes");
	free(s), free(s2);
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(sink_finish(k, &dl), 0, "threads: finish keeps them");
	OK(fix_exists(T, "threads/site/t0/f000.html"), "threads: nothing put was pruned");
	sink_free(k);
	free(dir);
}

/* A file, then a file below it: the second would turn the first into a
 * folder; an error, in a folder and in memory alike (both were lost). */
static void test_file_then_below(void)
{
	fix_mkdir(T, "below/site");
	char *dir = fix_fmt("%s/below/site", T);
	for (int mem = 0; mem < 2; mem++) {
		struct diag_list dl = DIAG_LIST_INIT;
		struct sink *k = mem ? sink_new_memory("site", NULL) : sink_new(dir, "site");
		INT_EQ(put(k, "x", "file", "content/a.md", &dl), 0, "%s: a file", mem ? "memory" : "folder");
		INT_EQ(put(k, "x/y", "below", "content/b.md", &dl), -1, "%s: a file below a file fails",
		       mem ? "memory" : "folder");
		char *d = first_diag(&dl);
		STR_EQ(d, "content/a.md: error: 'site/x' is written from here as a file, and is a folder of the site too; "
			  "rename it", "%s: the exact diagnostic names the first file's producer", mem ? "memory" : "folder");
		free(d);
		diag_release(&dl);
		sink_free(k);
	}
	free(dir);
}

/* In memory: the files become a set; bytes equal to the previous set's
 * share its blob, so "unchanged" is "the same blob". */
static void test_memory(void)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct sink *k = sink_new_memory("site", NULL);
	put(k, "en/index.html", "home", "t", &dl);
	put(k, "en/briefs/a/index.html", "a", "t", &dl);
	INT_EQ(sink_finish(k, &dl), 0, "memory: finish");
	struct sitefiles *one = sink_take_files(k);
	sink_free(k);
	OK(one != NULL, "memory: a set of files");
	INT_EQ(sitefiles_count(one), 2, "memory: two files");
	struct blob *b = sitefiles_get(one, "en/index.html");
	OK(b && b->len == 4 && !memcmp(b->data, "home", 4), "memory: the bytes put");
	OK(sitefiles_is_dir(one, "en/briefs/a") && sitefiles_is_dir(one, "en") && !sitefiles_is_dir(one, "en/index.html"),
	   "memory: folders are the parents of files");
	OK(sitefiles_get(one, "en") == NULL, "memory: a folder is no file");

	k = sink_new_memory("site", one);
	put(k, "en/index.html", "home", "t", &dl);
	put(k, "en/briefs/a/index.html", "A!", "t", &dl);
	INT_EQ(sink_changed(k), 1, "memory: one file changed");
	sink_finish(k, &dl);
	struct sitefiles *two = sink_take_files(k);
	sink_free(k);
	OK(sitefiles_get(two, "en/index.html") == sitefiles_get(one, "en/index.html"),
	   "memory: an unchanged file shares the previous blob");
	OK(sitefiles_get(two, "en/briefs/a/index.html") != sitefiles_get(one, "en/briefs/a/index.html"),
	   "memory: a changed file has a new one");
	const char **paths = sitefiles_paths(two);
	STR_EQ(paths[0], "en/briefs/a/index.html", "memory: paths sorted (1)");
	STR_EQ(paths[1], "en/index.html", "memory: paths sorted (2)");
	OK(paths[2] == NULL, "memory: paths end");
	free(paths);
	sitefiles_unref(one);
	OK(sitefiles_get(two, "en/index.html")->len == 4, "memory: a shared blob outlives the set it came from");
	sitefiles_unref(two);
	diag_release(&dl);
}

int main(void)
{
	char *tmp = fix_tmpdir();
	T = tmp;
	test_write_compare();
	test_links();
	test_producers();
	test_write_error();
	test_prune();
	test_threads();
	test_file_then_below();
	test_memory();
	fix_cleanup(tmp);
	return harness_done();
}
