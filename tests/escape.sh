#!/usr/bin/env bash
# escape.sh — diagnostics name content (folder names, slugs, titles), and
# content may hold bytes a terminal obeys: ESC sequences that clear the
# screen or retitle the window, a newline that forges a line of its own, C1
# controls, bytes that are not UTF-8. briefgen build and check print them as
# visible escapes (diag.c), one diagnostic per line; valid UTF-8 stays as
# it is. Run by tests/run.sh with VARIANT, BRIEFGEN, TOP and TAG set.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
ok()   { echo "ok - $TAG escape: $*"; }
bad()  { echo "not ok - $TAG escape: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}

site=$tmp/site
mkdir -p "$site/content/briefs"
printf 'return { base_url = "https://example.test/" }\n' >"$site/content/site.lua"
for n in $'2024-12-13-a\e[2Jb' $'2024-12-14-x\nfake.md:1:1: error: forged' $'2024-12-15-\xff' \
	 $'2024-12-16-c\xc2\x9bd' $'2024-12-17-d\x7f' $'2024-12-18-e\e]0;title\a' '2024-12-19-數字'; do
	mkdir -p "$site/content/briefs/$n"
	printf -- '---\ntitle: T\n---\nx\n' >"$site/content/briefs/$n/en.md"
done
(cd "$site" && "$BRIEFGEN" build --verbose --out "$tmp/out") 2>"$tmp/build.err"
(cd "$site" && "$BRIEFGEN" check --verbose) 2>"$tmp/check.err"

# no_raw FILE: no C0 control but the line ends, no DEL, no C1, valid UTF-8
no_raw() { ! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]\\|\xc2[\x80-\x9f]' "$1" && iconv -f UTF-8 -t UTF-8 "$1" >/dev/null; }
for cmd in build check; do
	err=$tmp/$cmd.err
	check "$cmd: no raw control character or invalid byte reaches the terminal" no_raw "$err"
	check "$cmd: ESC shown as \\x1B" grep -qF "content/briefs/2024-12-13-a\\x1B[2Jb: error: slug 'a\\x1B[2Jb'" "$err"
	check "$cmd: a newline in a name forges no line of its own" \
		test "$(grep -c '^fake.md' "$err")" = 0 -a -n "$(grep -F "2024-12-14-x\\nfake.md:1:1: error: forged: error: slug" "$err")"
	check "$cmd: a byte that is not UTF-8 shown as \\xFF" grep -qF "content/briefs/2024-12-15-\\xFF: error: slug '\\xFF'" "$err"
	check "$cmd: C1 control shown as \\u009B" grep -qF "slug 'c\\u009Bd'" "$err"
	check "$cmd: DEL shown as \\x7F" grep -qF "slug 'd\\x7F'" "$err"
	check "$cmd: OSC title sequence shown as \\x1B]0;title\\x07" grep -qF "slug 'e\\x1B]0;title\\x07'" "$err"
	check "$cmd: valid UTF-8 kept as it is" grep -q "brief '數字' has no 'zh' translation" "$err"
done
