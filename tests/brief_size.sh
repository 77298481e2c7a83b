#!/usr/bin/env bash
# brief_size.sh — one Markdown file may be at most 8 MiB (issue 10.25). A
# bigger one is an error at that file, from the content stage, before
# anything reads it: it used to be read whole and then blamed on the theme
# ("templates/brief.html: memory limit exceeded"). A file of exactly 8 MiB
# still builds, through the shipped templates. The files are made here, never
# committed. Run by tests/run.sh with VARIANT, BRIEFGEN, TOP and TAG set.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
ok()   { echo "ok - $TAG brief size: $*"; }
bad()  { echo "not ok - $TAG brief size: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}
MiB=$((1 << 20))

# text BYTES: a brief of exactly BYTES bytes of ordinary Markdown prose.
text() {
	{ printf -- '---\ntitle: Big\n---\n'
	  yes $'A paragraph of an ordinary brief, with *emphasis* and a [link](https://example.com/).\n' | head -c "$1"
	} | head -c "$1"
}
# build DIR: builds DIR into DIR/site; $status and DIR/err hold the outcome.
build() {
	(cd "$1" && timeout 120 "$BRIEFGEN" build --base-url https://example.test/) >"$1/out" 2>"$1/err"
	status=$?
}

# a bundle file of 9 MiB of real text
d=$tmp/nine; mkdir -p "$d/content/briefs/2024-12-13-big"
text $((9 * MiB)) >"$d/content/briefs/2024-12-13-big/en.md"
build "$d"
check "9 MiB of text: exit status 1" test "$status" = 1
printf '%s\n' "content/briefs/2024-12-13-big/en.md: error: 9 MiB; a brief file may be at most 8 MiB" \
	"build failed: 1 error; site left as it was" >"$tmp/want"
check "9 MiB of text: one error at the file, nothing blamed on the theme" diff "$tmp/want" "$d/err"

# 200 MiB, sparse (nothing is written to disk, and nothing may read it whole),
# one as a bundle file and one as a Jekyll post; 8 MiB and 1 byte shows a tenth
d=$tmp/huge; mkdir -p "$d/content/briefs/2024-12-13-big"
truncate -s 200M "$d/content/briefs/2024-12-13-big/zh.md"
truncate -s 200M "$d/content/briefs/2024-12-14-post.md"
text $((8 * MiB + 1)) >"$d/content/briefs/2024-12-13-big/en.md"
build "$d"
check "200 MiB: exit status 1" test "$status" = 1
printf '%s\n' "content/briefs/2024-12-13-big/en.md: error: 8.1 MiB; a brief file may be at most 8 MiB" \
	"content/briefs/2024-12-13-big/zh.md: error: 200 MiB; a brief file may be at most 8 MiB" \
	"content/briefs/2024-12-14-post.md: error: 200 MiB; a brief file may be at most 8 MiB" \
	"build failed: 3 errors; site left as it was" >"$tmp/want"
check "200 MiB (bundle file and Jekyll post) and 8 MiB + 1 byte: an error at each file" diff "$tmp/want" "$d/err"

# the limit itself builds: the template engine has room for the largest brief
d=$tmp/eight; mkdir -p "$d/content/briefs/2024-12-13-big"
text $((8 * MiB)) >"$d/content/briefs/2024-12-13-big/en.md"
build "$d"
check "exactly 8 MiB: builds (exit 0)" test "$status" = 0
check "exactly 8 MiB: no error" test -z "$(grep error "$d/err")"
check "exactly 8 MiB: the page holds the whole text" \
	test "$(grep -c '^<p>A paragraph' "$d/site/en/briefs/big/index.html")" -gt 90000
