#!/usr/bin/env bash
# Markdown that costs more than linear time: duplicate heading ids, and the
# input shapes that cmark-gfm 0.29.0.gfm.6 (Debian 12's) parses in quadratic
# time (docs/security.md, "Markdown limits"). Each case builds one brief
# within a generous limit on CPU time (and a wall-clock `timeout` against
# hangs) and checks what the build says and writes; no time is asserted.
# The limits are several times what each build needs (release: under 1 s;
# AddressSanitizer: a few s) and a fraction of what the unguarded shapes
# took (7 to over 20 s each for 120-480 KB; docs/security.md).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
ok()  { echo "ok - $TAG markdown limits: $*"; }
bad() { echo "not ok - $TAG markdown limits: $*"; }
cpu=10
[ "${VARIANT:-release}" = asan ] && cpu=40 # AddressSanitizer: about three times slower

# brief NAME: a one-language site in $tmp/NAME whose brief body is stdin
brief() {
	local d=$tmp/$1
	mkdir -p "$d/content/briefs/2024-01-01-x"
	printf 'return {\n  base_url = "https://example.org/",\n  languages = { { code = "en", hreflang = "en", title = "Briefs" } },\n  default_language = "en",\n}\n' \
		>"$d/content/site.lua"
	{ printf -- '---\ntitle: X\n---\n'; cat; } >"$d/content/briefs/2024-01-01-x/en.md"
}

# build NAME WANT: builds $tmp/NAME within the limits, stderr in $tmp/NAME.err;
# fails unless the build ends with exit status WANT
build() {
	{ (ulimit -t "$cpu" && cd "$tmp/$1" && exec timeout 300 "$BRIEFGEN" build --quiet --out out) 2>"$tmp/$1.err"; } 2>/dev/null
	local status=$?
	if [ $status -gt 128 ] || [ $status = 124 ]; then
		bad "$1: stopped after $cpu CPU seconds (status $status)"; return 1
	fi
	if [ $status != "$2" ]; then bad "$1: exit status $status, want $2"; sed 's/^/#   /' "$tmp/$1.err" | head -5; return 1; fi
}

# 1. Duplicate headings: ids stay unique, in document order, with a real
#    heading whose id is another's suffixed form ('a-1'), and 20 000
#    identical headings cost linear time (they took cubic time: 4 000 took 24 s).
n=20000
{
	printf '## a\n\n## a\n\n## a 1\n\n## a\n\n## a-1-1\n\n'
	awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) print "## h\n" }'
} | brief headings
page=$tmp/headings/out/en/briefs/x/index.html
if build headings 0; then
	got=$(grep -o '<h2 id="[^"]*"' "$page" | sed 's/<h2 id="//; s/"$//' | head -5 | tr '\n' ' ')
	if [ "$got" = "a a-1 a-1-1 a-2 a-1-1-1 " ]; then
		ok "headings: 'a', 'a', 'a 1', 'a', 'a-1-1' get ids a a-1 a-1-1 a-2 a-1-1-1"
	else
		bad "headings: ids '$got', want 'a a-1 a-1-1 a-2 a-1-1-1 '"
	fi
	ids=$(grep -o '<h2 id="h[^"]*"' "$page" | sort | uniq | wc -l)
	if [ "$ids" = $n ] && grep -q "<h2 id=\"h-$((n - 1))\">" "$page"; then
		ok "headings: $n identical headings get $n distinct ids, the last h-$((n - 1))"
	else
		bad "headings: $ids distinct ids of $n, or no h-$((n - 1))"
	fi
fi
