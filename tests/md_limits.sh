#!/usr/bin/env bash
# Markdown that costs more than linear time: duplicate heading ids, and the
# input shapes that cmark-gfm 0.29.0.gfm.6 (Debian 12's) parses in quadratic
# time (docs/security.md, "Markdown limits"). Each case builds one brief
# within a generous limit on CPU time (and a wall-clock `timeout` against
# hangs) and checks what the build says and writes; no time is asserted.
# The limits are about four times what each build needs (release: 2.5 s of
# CPU for the eight briefs at the limits, under 0.6 s for the others;
# AddressSanitizer: 9.3 s and 2.2 s) and a fraction of what the unguarded
# shapes took (up to minutes each at 120-480 KB; docs/security.md).
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

# 2. The shapes cmark-gfm 0.29.0.gfm.6 parses in quadratic time (CVE-2023-22483,
#    -22484, -22486, -24824, -26485, -37463 and others; docs/security.md), 120
#    to 480 KB each: refused with one error at the brief's file and line,
#    before the parser sees them. Each took from 2 s to over a minute.
# refused NAME WANT AWK-PROGRAM: the body the program prints is refused
# with exactly the error lines WANT on stderr
refused() {
	awk "BEGIN { $3 }" | brief "$1"
	local n; n=$(printf '%s\n' "$2" | wc -l)
	[ "$n" = 1 ] && n="1 error" || n="$n errors"
	if build "$1" 1; then
		if [ "$(cat "$tmp/$1.err")" = "$2
build failed: $n; out left as it was" ]; then ok "refused: $1"
		else bad "refused: $1: stderr differs"; echo "#   want $2"; sed 's/^/#   got  /' "$tmp/$1.err" | head -3; fi
	fi
}
f=content/briefs/2024-01-01-x/en.md
refused brackets "$f:4: error: 40000 '[' in one block (lines 4-4, no blank line between); the limit is 5000" \
	'for (i = 0; i < 20000; i++) printf "![[]()"; print ""'
refused emphasis "$f:4: error: 60000 runs of '*' and '_' in one block (lines 4-4, no blank line between); the limit is 5000" \
	'for (i = 0; i < 15000; i++) printf "*t "; for (i = 0; i < 15000; i++) printf "_t*_ "; print ""'
refused strikethrough "$f:4: error: 30001 runs of '~' in one block (lines 4-4, no blank line between); the limit is 2000" \
	'printf "~e"; for (i = 0; i < 30000; i++) printf ",z~~"; print ""'
refused processing-instructions "$f:4: error: 40000 '<?' and '<![' in one block (lines 4-4, no blank line between); the limit is 200" \
	'printf "-1"; for (i = 0; i < 40000; i++) printf "<?x"; print "y"'
refused cdata "$f:4: error: 40000 '[' in one block (lines 4-4, no blank line between); the limit is 5000
$f:4: error: 20000 '<?' and '<![' in one block (lines 4-4, no blank line between); the limit is 200" \
	'for (i = 0; i < 20000; i++) printf "a <![CDATA["; print ""'
refused nested-quotes "$f:4: error: 60000 nested block quotes; the limit is 100" \
	'for (i = 0; i < 60000; i++) printf ">"; for (i = 0; i < 60000; i++) printf "."; print ""'
refused nested-lists "$f:4: error: 29999 nested block quotes, list items and footnotes (each '>', list marker, '[^note]:' and two columns of indentation before one is one); the limit is 100" \
	'for (i = 0; i < 30000; i++) printf " -"; printf "x"; for (i = 0; i < 60000; i++) print ""'
refused indented-lists "$f:104: error: 101 nested block quotes, list items and footnotes (each '>', list marker, '[^note]:' and two columns of indentation before one is one); the limit is 100" \
	'for (i = 0; i < 101; i++) { for (k = 0; k < i; k++) printf "  "; print "- a" } for (i = 0; i < 100000; i++) print ""'
refused nested-footnotes "$f:4: error: 5000 nested block quotes, list items and footnotes (each '>', list marker, '[^note]:' and two columns of indentation before one is one); the limit is 100" \
	'for (i = 0; i < 5000; i++) printf "[^a]: "; print "x"; for (i = 0; i < 100000; i++) print ""'
refused table-header "$f:1792: error: lines like a table's delimiter row (|---|) make the parser read 4000650 bytes again up to here; the limit is 4000000 in all (a blank line before each table's header row avoids it)" \
	'for (i = 0; i < 15000; i++) printf "|-\nt>|-\n"; print "y"'
refused table-cells-lookback "$f:60005: error: lines like a table's delimiter row (|---|) make the parser read 3600240003 bytes again up to here; the limit is 4000000 in all (a blank line before each table's header row avoids it)" \
	'print ":-"; for (i = 0; i < 60000; i++) print ":"; print ":-"'
refused table-row "$f:6: error: a table row of 120000 '|'; the limit is 500" \
	'printf "x\n| - |\n"; for (i = 0; i < 120000; i++) printf "|"; print "y"'
refused table-columns "$f:4: error: a table row of 30001 '|'; the limit is 500" \
	'printf "|"; for (i = 0; i < 30000; i++) printf "x|"; printf "\n|"; for (i = 0; i < 30000; i++) printf "-|"; print ""'
refused table-cells "$f:4: error: tables of up to 3060000 cells (columns times rows, to the next blank line) up to line 30005; the limit is 200000 in all" \
	'printf "|"; for (i = 0; i < 100; i++) printf "x|"; printf "\n|"; for (i = 0; i < 100; i++) printf "-|"; print ""; for (i = 0; i < 30000; i++) print "a"'
refused web-addresses "$f:4: error: 20000 web addresses ('www.' or '://') in one run of text without spaces; the limit is 100
$f:4: error: 20000 runs of '*' and '_' in one block (lines 4-4, no blank line between); the limit is 5000" \
	'for (i = 0; i < 20000; i++) printf "z_www."; print ""'
refused url-brackets "$f:4: error: 13000 web addresses ('www.' or '://') in one run of text without spaces; the limit is 100" \
	'for (i = 0; i < 13000; i++) printf "<http://s"; print ""'
refused url-parens "$f:4: error: 120000 ')' in one run of text without spaces that holds a web address; the limit is 1000" \
	'printf "www."; for (i = 0; i < 120000; i++) printf ")"; print ""'
refused references "$f:4: error: 1001 possible uses of a link reference could each copy this 50010-byte definition (50060010 bytes); the limit is 8000000 bytes" \
	'printf "[f]: /u \"\\\""; for (i = 0; i < 50000; i++) printf "a"; print "\"\n"; for (k = 0; k < 10; k++) { for (i = 0; i < 100; i++) printf "[f] "; print "\n" }'

# 3. Bodies at every limit build, in bounded time: each brief holds one
#    shape as often as it fits under its limit (the unit test holds each
#    limit to the byte). The parser's cost at the limits stays near its cost
#    for any other body of the size (docs/security.md).
d=$tmp/limits
brief limits </dev/null
rm -r "$d/content/briefs/2024-01-01-x"
at() { # at SLUG AWK-PROGRAM: a brief whose body the program prints
	mkdir -p "$d/content/briefs/2024-01-01-$1"
	{ printf -- '---\ntitle: %s\n---\n' "$1"; awk "BEGIN { $2 }"; } >"$d/content/briefs/2024-01-01-$1/en.md"
}
at depth 'for (i = 0; i < 100; i++) printf " -"; print "x"; for (i = 0; i < 60000; i++) print "";
	for (i = 0; i < 100; i++) printf ">"; for (i = 0; i < 60000; i++) printf "."; print ""'
at brackets 'for (k = 0; k < 4; k++) { for (i = 0; i < 2500; i++) printf "![[]()"; print "\n" }'
at emphasis 'for (k = 0; k < 4; k++) { for (i = 0; i < 1250; i++) printf "*t "; for (i = 0; i < 1250; i++) printf "_t*_ "; print "\n" }'
at strikethrough 'for (k = 0; k < 6; k++) { printf "~e"; for (i = 0; i < 1999; i++) printf ",z~~"; print "\n" }'
at html 'for (k = 0; k < 4; k++) { printf "-1"; for (i = 0; i < 200; i++) printf "<?x"; for (i = 0; i < 30000; i++) printf "y "; print "\n" }'
at tables 'for (i = 0; i < 800; i++) printf "|-\nt>|-\n"; print "";
	printf "|"; for (i = 0; i < 499; i++) printf "x|"; printf "\n|"; for (i = 0; i < 499; i++) printf "-|"; print "";
	for (k = 0; k < 100; k++) { printf "|"; for (i = 0; i < 499; i++) printf "y|"; print "" } print "";
	printf "| a | b | c |\n|---|---|---|\n"; for (i = 0; i < 25000; i++) print "| 1 |"'
at links 'for (k = 0; k < 200; k++) { for (i = 0; i < 100; i++) printf "z_www."; print "\n" }
	for (k = 0; k < 100; k++) { printf "www.a"; for (i = 0; i < 1000; i++) printf ")"; print "" }'
at references 'printf "[f]: https://example.org/ \""; for (i = 0; i < 3960; i++) printf "a"; print "\"\n";
	for (k = 0; k < 20; k++) { for (i = 0; i < 99; i++) printf "[f] "; print "\n" }'
if build limits 0; then
	if [ "$(ls "$d/out/en/briefs" | tr '\n' ' ')" = "brackets depth emphasis html links references strikethrough tables " ]; then
		ok "at the limits: 8 briefs, one shape each as often as it fits, build"
	else
		bad "at the limits: pages missing: $(ls "$d/out/en/briefs" | tr '\n' ' ')"
	fi
fi
