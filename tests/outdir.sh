#!/usr/bin/env bash
# outdir.sh — the output folder: what a build may replace, the staging folder
# and the swap, symbolic links in bundles, interrupted and concurrent builds,
# a full disk, file systems without RENAME_EXCHANGE. Run by tests/run.sh with
# VARIANT, BRIEFGEN, TOP and TAG set. One "ok -"/"not ok -"/"skip -" line per check.
# Every build here runs inside a temporary folder: a failing check must never
# be able to replace anything outside it.
set -u
tmp=$(mktemp -d)
mounts=()
cleanup() {
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || fusermount -u "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
export NO_COLOR=1
bg=$BRIEFGEN

ok()   { echo "ok - $TAG outdir: $*"; }
bad()  { echo "not ok - $TAG outdir: $*"; }
skip() { echo "skip - $TAG outdir: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}

# project DIR: a small project with two briefs, a git folder and a README
project() {
	mkdir -p "$1/content/briefs/2024-12-13-a" "$1/content/briefs/2024-12-14-b" "$1/.git"
	printf -- '---\ntitle: A\n---\nHello from A.\n' >"$1/content/briefs/2024-12-13-a/en.md"
	printf -- '---\ntitle: 甲\n---\n你好。\n' >"$1/content/briefs/2024-12-13-a/zh.md"
	printf -- '---\ntitle: B\n---\nHello from B.\n' >"$1/content/briefs/2024-12-14-b/en.md"
	printf -- '---\ntitle: 乙\n---\n你好。\n' >"$1/content/briefs/2024-12-14-b/zh.md"
	echo "the project's own file" >"$1/README"
	printf 'return { base_url = "https://example.test/" }\n' >"$1/content/site.lua"
	echo "[core]" >"$1/.git/config"
}

# snapshot DIR: every path and content hash below DIR, to show it is untouched
snapshot() { (cd "$1" && find . -print0 | sort -z | xargs -0 sha1sum 2>/dev/null; find . | sort); }

# ---- --out that would replace what is not a site --------------------------
p="$tmp/proj"
project "$p"
mkdir -p "$p/notes" && echo "keep me" >"$p/notes/todo.txt"
touch "$p/afile"
before=$(snapshot "$p")
# refused OUT MESSAGE: exit 2, the exact one-line diagnostic, nothing changed
refused() {
	local out=$1 want=$2 got status
	got=$(cd "$p" && "$bg" build --out "$out" 2>&1)
	status=$?
	check "--out $out is refused with exit 2" test "$status" = 2
	check "--out $out: the diagnostic says why" test "$got" = "$want"
}
refused . ".: error: the output folder holds the project '.', and a build replaces the output folder whole; choose another --out"
refused .. "..: error: the output folder holds the project '.', and a build replaces the output folder whole; choose another --out"
refused "$p" "$p: error: the output folder holds the project '.', and a build replaces the output folder whole; choose another --out"
refused content "content: error: the output folder holds 'content', and a build replaces the output folder whole; choose another --out"
refused content/briefs/2024-12-13-a/out "content/briefs/2024-12-13-a/out: error: the output folder is inside 'content'; choose one outside content/, templates/ and lua/"
refused notes "notes: error: this folder is not empty and was not written by briefgen (it has no .briefgen-site); a build replaces it whole: use --force to replace it anyway, or choose another --out"
refused afile "afile: error: not a folder; --out names the folder the site is written into"
refused / "/: error: the output folder cannot be the root of the file system"
refused ./x/../content/. "./x/../content/.: error: the output folder holds 'content', and a build replaces the output folder whole; choose another --out"
ln -s .. "$p/up"
refused up/proj "up/proj: error: the output folder holds the project '.', and a build replaces the output folder whole; choose another --out"
rm "$p/up"
# ROOT given: the project is ROOT, not the working folder
got=$(cd "$tmp" && "$bg" build proj --out proj/content/x 2>&1); status=$?
check "build ROOT --out inside ROOT/content is refused (exit 2)" test "$status" = 2
check "build ROOT: the message names ROOT/content" test "$got" = "proj/content/x: error: the output folder is inside 'proj/content'; choose one outside content/, templates/ and lua/"
# the theme and lua/ in use are protected too
mkdir -p "$p/templates" && cp -r "$TOP/templates/." "$p/templates/"
got=$(cd "$p" && "$bg" build --out templates/assets 2>&1); status=$?
check "--out inside the project's templates/ is refused (exit 2)" test "$status" = 2
check "--out inside templates/: the message names it" test "$got" = "templates/assets: error: the output folder is inside 'templates'; choose one outside content/, templates/ and lua/"
rm -rf "$p/templates"
after=$(snapshot "$p")
check "refused builds changed nothing at all" diff <(echo "$before") <(echo "$after")

# --force adopts a folder briefgen did not write; its old files stay in the
# staging folder until the next build
(cd "$p" && "$bg" build --quiet --out notes --force) 2>"$tmp/force.err"
check "--force builds into a folder briefgen did not write" test -f "$p/notes/en/briefs/a/index.html" -a -f "$p/notes/.briefgen-site"
check "--force: the folder's old files are kept aside, not deleted" test -f "$p/notes/../.notes.briefgen-staging/todo.txt"
(cd "$p" && "$bg" build --quiet --out notes) 2>"$tmp/force2.err"
check "after --force the folder is briefgen's: the next build needs no --force" test $? = 0
# an empty folder is adopted without --force
mkdir "$p/empty"
(cd "$p" && "$bg" build --quiet --out empty) 2>/dev/null
check "an empty folder is used without --force" test -f "$p/empty/index.html"

# ---- the staging folder: only what changed is written --------------------
(cd "$p" && "$bg" build --quiet) && (cd "$p" && "$bg" build --quiet)
check "the output carries the marker" test -f "$p/site/.briefgen-site"
check "the staging folder sits beside the output, marked" test -f "$p/.site.briefgen-staging/.briefgen-site"
ino1=$(stat -c %i "$p/site/en/briefs/a/index.html")
echo "by hand" >"$p/site/by-hand.txt"
printf -- '---\ntitle: B2\n---\nHello again from B.\n' >"$p/content/briefs/2024-12-14-b/en.md"
(cd "$p" && "$bg" build --quiet)
(cd "$p" && "$bg" build --quiet)
ino3=$(stat -c %i "$p/site/en/briefs/a/index.html")
check "an unchanged page is not written again (same file two builds later)" test "$ino1" = "$ino3"
check "a changed page is written" grep -q 'Hello again from B' "$p/site/en/briefs/b/index.html"
check "a file added to the output by hand is gone two builds later" test ! -e "$p/site/by-hand.txt" -a ! -e "$p/.site.briefgen-staging/by-hand.txt"
rm -rf "$p/content/briefs/2024-12-14-b"
(cd "$p" && "$bg" build --quiet)
check "a deleted brief's pages are removed" test ! -e "$p/site/en/briefs/b"
(cd "$p" && "$bg" build --quiet --out "$tmp/fresh")
check "the output is byte-identical to a build into an empty folder" diff -r "$p/site" "$tmp/fresh"
# the staging folder may hold anything: links, folders where files go
rm -rf "$p/.site.briefgen-staging/en/briefs/a"
ln -s /etc "$p/.site.briefgen-staging/en/briefs/a"
rm -f "$p/.site.briefgen-staging/robots.txt" && mkdir "$p/.site.briefgen-staging/robots.txt"
ln -sf /etc/hostname "$p/.site.briefgen-staging/404.html"
(cd "$p" && "$bg" build --quiet)
check "links and folders in the staging folder are replaced, never written through" diff -r "$p/site" "$tmp/fresh"
check "nothing was written through a link" test "$(cat /etc/hostname | wc -c)" -gt 0 -a ! -e /etc/index.html
# a failed build leaves the output as it was
snap=$(snapshot "$p/site")
printf -- '---\ntitle: [broken\n---\n' >"$p/content/briefs/2024-12-13-a/en.md"
(cd "$p" && "$bg" build --quiet) 2>/dev/null
check "a failed build exits 1" test $? = 1
check "a failed build leaves the output byte for byte" test "$snap" = "$(snapshot "$p/site")"
printf -- '---\ntitle: A\n---\nHello from A.\n' >"$p/content/briefs/2024-12-13-a/en.md"
# something else at the staging name is never removed
q="$tmp/q"; project "$q"
mkdir "$q/.site.briefgen-staging" && echo mine >"$q/.site.briefgen-staging/keep.txt"
got=$(cd "$q" && "$bg" build 2>&1 | head -1)
check "a foreign folder at the staging name is an error" test "$got" = "$q/.site.briefgen-staging: error: in the way of the build: briefgen stages the site here, and this was not made by briefgen; move it away"
check "... and is left alone" test "$(cat "$q/.site.briefgen-staging/keep.txt")" = mine

# ---- the output as a symbolic link (to a web root) ------------------------
w="$tmp/w"; project "$w"
mkdir -p "$w/www" && ln -s www "$w/site"
(cd "$w" && "$bg" build --quiet) && (cd "$w" && "$bg" build --quiet)
check "a symbolic link as the output stays a link" test -L "$w/site"
check "... and its target holds the site" test -f "$w/www/en/briefs/a/index.html"
check "... with the staging folder beside the target" test -d "$w/.www.briefgen-staging"

# ---- interrupted builds ----------------------------------------------------
k="$tmp/k"; project "$k"
for i in $(seq 1 300); do
	mkdir -p "$k/content/briefs/2024-01-01-n$i"
	{ printf -- '---\ntitle: N%s\n---\n' "$i"; for j in $(seq 1 30); do echo "Paragraph $j of brief $i."; echo; done; } >"$k/content/briefs/2024-01-01-n$i/en.md"
done
(cd "$k" && "$bg" build --quiet) 2>/dev/null
snap=$(snapshot "$k/site")
killed=0
for delay in 0.05 0.1 0.2 0.3 0.5; do
	printf -- '---\ntitle: N1\n---\nEdited (%s).\n' "$delay" >"$k/content/briefs/2024-01-01-n1/en.md"
	(cd "$k" && exec "$bg" build --quiet) 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	if [ "$(snapshot "$k/site")" != "$snap" ] && ! (cd "$k/site" && grep -q "($delay)" en/briefs/n1/index.html); then
		bad "kill -9 after ${delay}s left a half-written output"; break
	fi
	snap=$(snapshot "$k/site")
done
check "kill -9 at five points of a build never left a half-written output ($killed killed mid-build)" true
(cd "$k" && "$bg" build --quiet) 2>"$tmp/after-kill.err"
check "a build after kill -9 succeeds" bash -c "test $? = 0 || { cat '$tmp/after-kill.err'; exit 1; }"
check "... and leaves only the output and its staging folder beside the project" \
	test "$(cd "$k" && ls -A | tr '\n' ' ')" = ".git .site.briefgen-staging README content site "

# two builds at once into one folder take turns
c="$tmp/c"; project "$c"
(cd "$c" && "$bg" build --quiet) 2>"$tmp/c1.err" & p1=$!
(cd "$c" && "$bg" build --quiet) 2>"$tmp/c2.err" & p2=$!
wait $p1; s1=$?; wait $p2; s2=$?
check "two concurrent builds both succeed" test "$s1$s2" = 00
(cd "$c" && "$bg" build --quiet --out "$tmp/c-fresh")
check "... and the output is whole" diff -r "$c/site" "$tmp/c-fresh"

# ---- symbolic links in bundles ----------------------------------------------
# inside the content folder: followed; fanning out: each folder walked once
f="$tmp/f"; project "$f"
mkdir -p "$f/content/shared/d0"
echo "logo" >"$f/content/shared/logo.txt"
ln -s ../../shared/logo.txt "$f/content/briefs/2024-12-13-a/logo.txt"
for i in $(seq 0 19); do
	mkdir -p "$f/content/shared/d$((i + 1))"
	ln -s "../d$((i + 1))" "$f/content/shared/d$i/left"
	ln -s "../d$((i + 1))" "$f/content/shared/d$i/right"
done
echo leaf >"$f/content/shared/d20/leaf.txt"
ln -s ../../shared/d0 "$f/content/briefs/2024-12-13-a/tree"
(cd "$f" && timeout 60 "$bg" build --verbose) >/dev/null 2>"$tmp/fan.err"
check "links that fan out 2^20 ways build in bounded time (exit 0)" test $? = 0
check "a link to a file inside the content folder is published" test "$(cat "$f/site/en/briefs/a/logo.txt" 2>/dev/null)" = logo
check "the fanned-out tree is published once per folder" test -f "$f/site/en/briefs/a/tree/left/left/left/left/left/left/left/left/left/left/left/left/left/left/left/left/left/left/left/left/leaf.txt"
check "each folder reached again is one warning (20)" test "$(grep -c "warning: the same folder as" "$tmp/fan.err")" = 20

# ---- a full disk: one error naming the output ---------------------------------
d="$tmp/disk"; project "$d"
for i in $(seq 1 40); do
	mkdir -p "$d/content/briefs/2024-02-01-m$i"
	head -c 30000 /dev/zero | tr '\0' 'x' | fold -w 70 | sed 's/^/para /;a\\' >"$d/content/briefs/2024-02-01-m$i/body.txt"
	printf -- '---\ntitle: M%s\n---\nText.\n' "$i" >"$d/content/briefs/2024-02-01-m$i/en.md"
done
mkdir -p "$d/small"
if mount -t tmpfs -o size=256k tmpfs "$d/small" 2>/dev/null; then
	mounts+=("$d/small")
	got=$(cd "$d" && "$bg" build --out small/site 2>&1); status=$?
	check "a full disk fails the build (exit 1)" test "$status" = 1
	check "a full disk is one error naming the output" test "$(echo "$got" | grep -c 'error:')" = 1
	check "... in the output's own terms" grep -q "^small/site: error: cannot write '.*': No space left on device$" <<<"$got"
	got=$(cd "$d" && "$bg" build --out small 2>&1); status=$?
	check "--out at a mount point is refused with a hint (exit 2)" test "$status" = 2
	check "... the hint says what to do" test "$got" = "small: error: is a mount point, which cannot be replaced in one rename; build into a folder inside it (--out DIR/site) and publish that"
else
	skip "a full disk (cannot mount a tmpfs here)"
fi

# ---- no RENAME_EXCHANGE (FUSE): two renames, repaired after a crash -----------
x="$tmp/x"; project "$x"
mkdir -p "$x/real" "$x/fuse"
if command -v bindfs >/dev/null && bindfs "$x/real" "$x/fuse" 2>/dev/null; then
	mounts+=("$x/fuse")
	(cd "$x" && "$bg" build --quiet --out fuse/site) 2>"$tmp/fuse1.err" &&
	(cd "$x" && "$bg" build --quiet --out fuse/site) 2>"$tmp/fuse2.err"
	check "builds on a file system without RENAME_EXCHANGE succeed" test $? = 0
	check "... the second build replaced the first" test -f "$x/fuse/site/en/briefs/a/index.html" -a -d "$x/fuse/.site.briefgen-staging"
	check "... and nothing is left parked aside" test ! -e "$x/fuse/.site.briefgen-old"
	# a crash between the two renames: the previous output is parked, none in place
	mv "$x/fuse/site" "$x/fuse/.site.briefgen-old"
	got=$(cd "$x" && "$bg" build --quiet --out fuse/site 2>&1)
	check "after a crash between the renames the next build restores and rebuilds" test -f "$x/fuse/site/en/briefs/a/index.html"
	check "... and says so" test "$got" = "fuse/site: warning: restored the previous build, which an interrupted build had moved to '$x/fuse/.site.briefgen-old'"
	# something of the user's at the parking name is never removed
	mkdir "$x/fuse/.site.briefgen-old" && echo mine >"$x/fuse/.site.briefgen-old/keep.txt"
	(cd "$x" && "$bg" build --quiet --out fuse/site) 2>"$tmp/fuse3.err"
	check "a foreign folder at the parking name stops the swap (exit 1)" test $? = 1
	check "... and is kept" test "$(cat "$x/fuse/.site.briefgen-old/keep.txt")" = mine
else
	skip "no RENAME_EXCHANGE (bindfs cannot mount here)"
fi
exit 0
