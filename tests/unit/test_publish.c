/* publish: the refusals (return PUBLISH_REFUSED and the exact message), the
 * staging folder and its marker, the exchange of staging and output, a link
 * as the output, the lock on the parent folder, and putting back an output
 * an interrupted fallback swap left parked. The file system without
 * RENAME_EXCHANGE and mount points are tests/outdir.sh's (they need bindfs
 * and a mount). */
#include "harness.h"
#include "fixture.h"
#include "diag.h"
#include "publish.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *T;

/* publish_open(out) with the project T/proj and its content/, templates/,
 * lua/ protected; returns its result and, in *msg, the first diagnostic. */
static int open_out(struct publish *p, const char *out, int force, char **msg)
{
	char *proj = fix_fmt("%s/proj", T);
	char *content = fix_fmt("%s/content", proj), *tpl = fix_fmt("%s/templates", proj);
	char *lua = fix_fmt("%s/lua", proj);
	const char *protect[] = { content, tpl, lua, NULL };
	struct diag_list dl = DIAG_LIST_INIT;
	int r = publish_open(p, out, proj, protect, force, &dl);
	*msg = dl.n ? diag_format(&dl.items[0]) : NULL;
	diag_release(&dl);
	free(proj), free(content), free(tpl), free(lua);
	return r;
}

static void refused(const char *out, int force, const char *want, const char *name)
{
	struct publish p;
	char *msg;
	int r = open_out(&p, out, force, &msg);
	INT_EQ(r, PUBLISH_REFUSED, "refuse %s: a usage error", name);
	STR_EQ(msg, want, "refuse %s: the message", name);
	free(msg);
	publish_close(&p);
}

static void test_refusals(void)
{
	fix_write(T, "proj/content/site.lua", "return {}\n");
	fix_mkdir(T, "proj/templates");
	fix_write(T, "proj/file.txt", "x");
	fix_write(T, "foreign/notes.txt", "mine");
	char *proj = fix_fmt("%s/proj", T), *want, *out;

	want = fix_fmt("%s: error: the output folder holds the project '%s', and a build replaces the output "
		       "folder whole; choose another --out", proj, proj);
	refused(proj, 1, want, "the project itself (even with --force)");
	free(want);
	want = fix_fmt("%s: error: the output folder holds the project '%s', and a build replaces the output "
		       "folder whole; choose another --out", T, proj);
	refused(T, 0, want, "a parent of the project");
	free(want);
	out = fix_fmt("%s/proj/content/../../proj", T);
	want = fix_fmt("%s: error: the output folder holds the project '%s', and a build replaces the output "
		       "folder whole; choose another --out", out, proj);
	refused(out, 0, want, "the project by '..' (the message names --out as written)");
	free(want), free(out);
	out = fix_fmt("%s/proj/content", T);
	want = fix_fmt("%s: error: the output folder holds '%s/proj/content', and a build replaces the output "
		       "folder whole; choose another --out", out, T);
	refused(out, 0, want, "content/ itself");
	free(want), free(out);
	out = fix_fmt("%s/proj/content/briefs/x/out", T);
	want = fix_fmt("%s: error: the output folder is inside '%s/proj/content'; choose one outside content/, "
		       "templates/ and lua/", out, T);
	refused(out, 0, want, "a new folder inside content/");
	free(want), free(out);
	out = fix_fmt("%s/proj/templates/assets", T);
	want = fix_fmt("%s: error: the output folder is inside '%s/proj/templates'; choose one outside content/, "
		       "templates/ and lua/", out, T);
	refused(out, 0, want, "inside templates/");
	free(want), free(out);
	out = fix_fmt("%s/proj/file.txt", T);
	want = fix_fmt("%s: error: not a folder; --out names the folder the site is written into", out);
	refused(out, 1, want, "a file");
	free(want), free(out);
	refused("/", 1, "/: error: the output folder cannot be the root of the file system", "/");
	out = fix_fmt("%s/foreign", T);
	want = fix_fmt("%s: error: this folder is not empty and was not written by briefgen (it has no "
		       ".briefgen-site); a build replaces it whole: use --force to replace it anyway, or choose "
		       "another --out", out);
	refused(out, 0, want, "a non-empty folder without the marker");
	free(want), free(out);
	OK(!fix_exists(T, ".foreign.briefgen-staging") && !fix_exists(T, "proj/content/briefs"),
	   "refuse: nothing was made for a refused folder");
	char *s = fix_read(T, "foreign/notes.txt");
	STR_EQ(s, "mine", "refuse: the refused folder is untouched");
	free(s);

	/* a folder that is not in the way of a protected one: inside the
	 * project, but outside content/, templates/ and lua/ */
	struct publish p;
	char *msg;
	out = fix_fmt("%s/proj/site", T);
	INT_EQ(open_out(&p, out, 0, &msg), 0, "open: ROOT/site is fine");
	OK(msg == NULL, "open: no diagnostic");
	publish_close(&p);
	free(out), free(proj);
}

static void test_open_commit(void)
{
	struct publish p;
	char *msg, *out = fix_fmt("%s/www/site", T);
	INT_EQ(open_out(&p, out, 0, &msg), 0, "open: a folder that does not exist yet");
	char *staging = fix_fmt("%s/www/.site.briefgen-staging", T);
	STR_EQ(p.staging, staging, "open: the staging folder sits beside the output");
	char *s = fix_read(T, "www/.site.briefgen-staging/.briefgen-site");
	STR_EQ(s, publish_marker_text, "open: the staging folder carries the marker");
	free(s);
	OK(!fix_exists(T, "www/site"), "open: the output itself is not made");

	/* lock: a second open of the parent cannot lock it meanwhile */
	char *parent = fix_fmt("%s/www", T);
	int fd = open(parent, O_RDONLY | O_DIRECTORY);
	INT_EQ(flock(fd, LOCK_EX | LOCK_NB), -1, "lock: the parent folder is locked while open");
	fix_write(T, "www/.site.briefgen-staging/index.html", "first");
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(publish_commit(&p, &dl), 0, "commit: into a new output");
	publish_close(&p);
	INT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0, "lock: released by publish_close");
	flock(fd, LOCK_UN);
	s = fix_read(T, "www/site/index.html");
	STR_EQ(s, "first", "commit: the staging folder became the output");
	free(s);
	OK(!fix_exists(T, "www/.site.briefgen-staging"), "commit: renamed, not copied");

	unsigned long long ino = fix_inode(T, "www/site");
	INT_EQ(open_out(&p, out, 0, &msg), 0, "open: a marked output folder");
	fix_write(T, "www/.site.briefgen-staging/index.html", "second");
	INT_EQ(publish_commit(&p, &dl), 0, "commit: exchange with the previous output");
	publish_close(&p);
	s = fix_read(T, "www/site/index.html");
	STR_EQ(s, "second", "commit: the new tree is the output");
	free(s);
	s = fix_read(T, "www/.site.briefgen-staging/index.html");
	STR_EQ(s, "first", "commit: the previous output is the next staging folder");
	free(s);
	OK(fix_inode(T, "www/.site.briefgen-staging") == ino, "commit: exchanged whole (the old folder itself)");
	OK(fix_exists(T, "www/.site.briefgen-staging/.briefgen-site"), "commit: the new staging folder is marked");
	INT_EQ((long long)dl.n, 0, "commit: no diagnostics");

	/* a foreign thing at the staging name */
	fix_mkdir(T, "www2/site");
	fix_write(T, "www2/.site.briefgen-staging/keep.txt", "mine");
	char *out2 = fix_fmt("%s/www2/site", T);
	INT_EQ(open_out(&p, out2, 0, &msg), -1, "staging in the way: an error, not a refusal");
	char *want = fix_fmt("%s/www2/.site.briefgen-staging: error: in the way of the build: briefgen stages the "
			     "site here, and this was not made by briefgen; move it away", T);
	STR_EQ(msg, want, "staging in the way: the message");
	publish_close(&p);
	s = fix_read(T, "www2/.site.briefgen-staging/keep.txt");
	STR_EQ(s, "mine", "staging in the way: left alone");
	free(s), free(msg), free(want);

	/* --force adopts a foreign folder; an empty one needs no force */
	fix_write(T, "adopt/site/notes.txt", "notes");
	char *out3 = fix_fmt("%s/adopt/site", T);
	INT_EQ(open_out(&p, out3, 1, &msg), 0, "force: a foreign folder is accepted");
	publish_close(&p);
	fix_mkdir(T, "empty/site");
	char *out4 = fix_fmt("%s/empty/site", T);
	INT_EQ(open_out(&p, out4, 0, &msg), 0, "open: an empty folder without the marker");
	publish_close(&p);
	close(fd);
	free(out), free(out2), free(out3), free(out4), free(staging), free(parent);
	diag_release(&dl);
}

static void test_link_out(void)
{
	fix_write(T, "link/www/.briefgen-site", publish_marker_text);
	fix_write(T, "link/www/index.html", "old");
	char *target = fix_fmt("%s/link/www", T);
	fix_symlink(target, T, "link/site");
	struct publish p;
	char *msg, *out = fix_fmt("%s/link/site", T);
	INT_EQ(open_out(&p, out, 0, &msg), 0, "link: a link to a marked folder");
	STR_EQ(p.dir, target, "link: followed to its target");
	OK(fix_exists(T, "link/.www.briefgen-staging"), "link: staging beside the target");
	fix_write(T, "link/.www.briefgen-staging/index.html", "new");
	struct diag_list dl = DIAG_LIST_INIT;
	INT_EQ(publish_commit(&p, &dl), 0, "link: commit");
	publish_close(&p);
	char buf[4096];
	char *lp = fix_fmt("%s/link/site", T);
	ssize_t n = readlink(lp, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	STR_EQ(buf, target, "link: the link still points at the same place");
	char *s = fix_read(T, "link/site/index.html");
	STR_EQ(s, "new", "link: its target holds the new tree");
	free(s), free(lp), free(target), free(out);
	diag_release(&dl);
}

static void test_recover(void)
{
	/* an interrupted fallback swap: the output parked, the output missing */
	fix_write(T, "rec/.site.briefgen-old/.briefgen-site", publish_marker_text);
	fix_write(T, "rec/.site.briefgen-old/index.html", "parked");
	struct publish p;
	struct diag_list dl = DIAG_LIST_INIT;
	char *out = fix_fmt("%s/rec/site", T);
	const char *none[] = { NULL };
	INT_EQ(publish_open(&p, out, "/nonexistent-project", none, 0, &dl), 0, "recover: open succeeds");
	char *s = fix_read(T, "rec/site/index.html");
	STR_EQ(s, "parked", "recover: the parked output is put back");
	free(s);
	char *d = dl.n ? diag_format(&dl.items[0]) : NULL;
	char *want = fix_fmt("%s: warning: restored the previous build, which an interrupted build had moved to "
			     "'%s/rec/.site.briefgen-old'", out, T);
	STR_EQ(d, want, "recover: says so, as a warning");
	free(d), free(want);
	publish_close(&p);
	diag_release(&dl);
	/* a folder at the parking name that briefgen did not mark is left alone */
	fix_write(T, "rec2/.site.briefgen-old/keep.txt", "mine");
	char *out2 = fix_fmt("%s/rec2/site", T);
	INT_EQ(publish_open(&p, out2, "/nonexistent-project", none, 0, &dl), 0, "recover: an unmarked parking folder");
	OK(!fix_exists(T, "rec2/site") && fix_exists(T, "rec2/.site.briefgen-old/keep.txt") && dl.n == 0,
	   "recover: an unmarked parking folder is not taken for the output");
	publish_close(&p);
	diag_release(&dl);
	free(out), free(out2);
}

int main(void)
{
	char *tmp = fix_tmpdir();
	T = tmp;
	test_refusals();
	test_open_commit();
	test_link_out();
	test_recover();
	fix_cleanup(tmp);
	return harness_done();
}
