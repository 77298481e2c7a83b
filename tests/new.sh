#!/usr/bin/env bash
# new.sh — `briefgen new SLUG` refuses, with exit 2 and a message naming the
# slug (escaped), every slug the build would refuse (content_slug_ok): '.',
# '..', a leading '.', spaces, '/', control characters, bytes that are
# not UTF-8; and what it accepts builds. Run by tests/run.sh with VARIANT,
# BRIEFGEN, TOP and TAG set.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
ok()   { echo "ok - $TAG new: $*"; }
bad()  { echo "not ok - $TAG new: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}

mkdir -p "$tmp/site/content"
# refused SLUG SHOWN: exit 2, the slug shown escaped, nothing created
refused() {
	(cd "$tmp/site" && "$BRIEFGEN" new "$1" --date 2025-01-02) >"$tmp/out" 2>"$tmp/err"
	local st=$?
	[ $st = 2 ] || { echo "exit $st"; cat "$tmp/err"; return 1; }
	grep -qxF "briefgen new: slug '$2' is not usable in a URL (letters of any script, digits, '-', '_' and '.', not starting with '-' or '.')" "$tmp/err" || { cat "$tmp/err"; return 1; }
	[ ! -e "$tmp/site/content/briefs" ] || { ls -A "$tmp/site/content/briefs"; return 1; }
}
check "'.' is refused (exit 2)" refused . .
check "'..' is refused (exit 2)" refused .. ..
check "'.hidden' is refused (exit 2)" refused .hidden .hidden
check "'a/b' is refused (exit 2)" refused a/b a/b
check "a byte that is not UTF-8 is refused (exit 2), shown as \\xFF" refused $'a\xffb' 'a\xFFb'
check "a truncated UTF-8 sequence is refused (exit 2)" refused $'a\xe4\xb8' 'a\xE4\xB8'
check "a C1 control is refused (exit 2), shown as \\u009B" refused $'a\xc2\x9bb' 'a\u009Bb'
check "ESC is refused (exit 2), shown as \\x1B" refused $'a\e[2J' 'a\x1B[2J'

(cd "$tmp/site" && "$BRIEFGEN" new 數字-1.2_x --date 2025-01-02) >/dev/null 2>&1
check "a CJK slug with '.', '-' and '_' is accepted" test -f "$tmp/site/content/briefs/2025-01-02-數字-1.2_x/en.md"
(cd "$tmp/site" && "$BRIEFGEN" build --quiet --drafts) >/dev/null 2>"$tmp/build.err"
check "and builds" test -f "$tmp/site/site/en/briefs/數字-1.2_x/index.html"

# the build holds folder names to the same rule
mkdir -p "$tmp/site/content/briefs/"$'2025-01-03-\xff'
printf -- '---\ntitle: T\n---\nx\n' >"$tmp/site/content/briefs/"$'2025-01-03-\xff'/en.md
(cd "$tmp/site" && "$BRIEFGEN" build --quiet --drafts) >/dev/null 2>"$tmp/build.err"
check "build: a folder name that is not UTF-8 is refused (exit 1)" \
	grep -qxF "content/briefs/2025-01-03-\\xFF: error: slug '\\xFF' is not usable in a URL (letters of any script, digits, '-', '_' and '.', not starting with '-' or '.')" "$tmp/build.err"
