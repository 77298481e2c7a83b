#!/usr/bin/env bash
# template_state.sh — nothing a template writes while rendering one page is
# seen by the next (issue 10.19): a worker's template engine renders many
# pages, so state kept in it made a page's bytes depend on which worker
# rendered what. The builtin libraries (math, string, table, utf8) are
# read-only, an error at the template's line; the render context (site,
# lang, page, ...) is the page's own, so writing to it is harmless. Run by
# tests/run.sh with VARIANT, BRIEFGEN, TOP and TAG set.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
ok()   { echo "ok - $TAG template state: $*"; }
bad()  { echo "not ok - $TAG template state: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}

# site DIR TEXT: eight briefs in two languages, the shipped theme with TEXT
# put first in partials/meta.html (every brief page) and partials/entries.html
# (every listing page).
site() {
	local d=$1
	for i in 1 2 3 4 5 6 7 8; do
		mkdir -p "$d/content/briefs/2024-12-1$i-b$i"
		printf -- '---\ntitle: B%s\ntags: [t%s]\n---\nBody %s.\n' "$i" "$((i % 3))" "$i" >"$d/content/briefs/2024-12-1$i-b$i/en.md"
		printf -- '---\ntitle: 乙%s\ntags: [t%s]\n---\n內文 %s。\n' "$i" "$((i % 3))" "$i" >"$d/content/briefs/2024-12-1$i-b$i/zh.md"
	done
	cp -r "$TOP/templates" "$d/"
	printf 'return { base_url = "https://example.test/" }\n' >"$d/content/site.lua"
	for f in meta entries; do
		{ printf '%s\n' "$2"; cat "$d/templates/partials/$f.html"; } >"$d/templates/partials/$f.tmp"
		mv "$d/templates/partials/$f.tmp" "$d/templates/partials/$f.html"
	done
}

# A theme that counts the pages it rendered, in every table of the render
# context it can reach; each page must see only its own writes: 1/1/1/1.
d=$tmp/count
site "$d" '<%
site.seen = (site.seen or 0) + 1
site.languages[1].seen = (site.languages[1].seen or 0) + 1
site.urls.seen = (site.urls.seen or 0) + 1
lang.urls.seen = (lang.urls.seen or 0) + 1
%><span class="seen"><%= site.seen %>/<%= site.languages[1].seen %>/<%= site.urls.seen %>/<%= lang.urls.seen %></span>'
(cd "$d" && "$BRIEFGEN" build --quiet --jobs 1 --out one) >"$d/one.err" 2>&1
check "a counter theme builds with --jobs 1" test $? = 0
grep -rho 'class="seen">[^<]*' "$d/one" | sort -u >"$d/seen"
check "every page saw only its own writes (1/1/1/1)" diff <(echo 'class="seen">1/1/1/1') "$d/seen"
check "the counter is on the 16 brief pages and the listings" \
	test "$(grep -rl 'class="seen"' "$d/one" | wc -l)" -gt 16
(cd "$d" && "$BRIEFGEN" build --quiet --out all) >"$d/all.err" 2>&1
check "a counter theme builds on all cores" test $? = 0
check "--jobs 1 and all cores give byte-identical trees" diff -r "$d/one" "$d/all"

# Writing to a builtin library is an error at the template's line.
n=0
for w in 'math.n = 1' 'string.x = "y"' 'table.foo = {}' 'utf8.z = 1' 'string.format = nil' 'math.pi = 3'; do
	n=$((n + 1)); d=$tmp/w$n
	site "$d" "<% $w %>"
	(cd "$d" && "$BRIEFGEN" build --quiet) >"$d/out" 2>"$d/err"
	check "'$w': exit status 1" test $? = 1
	key=${w%% =*}
	check "'$w': an error at the template's line" \
		grep -qxF "templates/partials/meta.html:1: error: cannot change '$key': builtins are read-only in templates" "$d/err"
done
