#!/usr/bin/env bash
# run.sh VARIANT BRIEFGEN BINDIR — the whole suite against one build of
# briefgen (release or asan). Prints one "ok - …" / "not ok - …" / "skip - …"
# line per check; tests/summarize adds them up. VARIANT "regen" rewrites the
# golden expected trees and the regress fragments instead of comparing
# (make regen).
set -u
variant=$1
bg=$(realpath "$2")
bindir=$3
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${BRIEFGEN_SHARED:-$top/../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tag="[$variant]"
export NO_COLOR=1

ok()   { echo "ok - $tag $*"; }
bad()  { echo "not ok - $tag $*"; }
skip() { echo "skip - $tag $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}

# ---- golden sites: whole output tree, byte for byte --------------------
golden() {
	for case in "$top"/tests/golden/*/; do
		[ -d "$case/content" ] || continue
		local name; name=$(basename "$case")
		local out="$tmp/golden-$name"
		if [ "$variant" = regen ]; then
			rm -rf "$case/expected"
			(cd "$case" && "$bg" build --quiet --out "$case/expected") && echo "regenerated $name"
			continue
		fi
		if (cd "$case" && "$bg" build --quiet --out "$out") 2>"$tmp/golden.err"; then
			if diff -r "$case/expected" "$out" >"$tmp/golden.diff"; then
				ok "golden $name: output tree matches expected/"
			else
				bad "golden $name: output differs"; head -40 "$tmp/golden.diff" | sed 's/^/#   /'
			fi
			(cd "$case" && "$bg" build --quiet --out "$out-2" --jobs 1) 2>/dev/null
			check "golden $name: second build (one thread) is byte-identical" diff -r "$out" "$out-2"
		else
			bad "golden $name: build failed"; sed 's/^/#   /' "$tmp/golden.err"
		fi
	done
}

# ---- bad input: exact diagnostic, exit code, previous site kept ---------
invalid() {
	for case in "$top"/tests/invalid/*/; do
		[ -d "$case/content" ] || continue
		local name; name=$(basename "$case")
		local work="$tmp/invalid-$name"
		mkdir -p "$work/site"
		cp -r "$case/content" "$work/"
		# a case's templates/ holds only the files it changes in the shipped theme
		if [ -d "$case/templates" ]; then
			cp -r "$top/templates" "$work/" && cp -r "$case/templates/." "$work/templates/"
		fi
		if [ -d "$case/lua" ]; then # the same for lua/
			cp -r "$top/lua" "$work/" && cp -r "$case/lua/." "$work/lua/"
		fi
		echo "previous build of $name" >"$work/site/marker.html"
		echo "a site briefgen wrote" >"$work/site/.briefgen-site"
		# bounded: a hang is a failure, not a stalled suite
		# the site's address, unless the case is about it or its site.lua gives one
		local addr=()
		[ -e "$case/no-base-url" ] || grep -qs '^ *base_url' "$case/content/site.lua" ||
			addr=(--base-url https://briefs.test/)
		(cd "$work" && timeout 60 "$bg" build "${addr[@]}") >"$tmp/inv.out" 2>"$tmp/inv.err"
		local status=$?
		local want_status; want_status=$(cat "$case/expected.status" 2>/dev/null || echo 1)
		if [ "$status" = "$want_status" ]; then ok "invalid $name: exit status $want_status"
		else bad "invalid $name: exit status $status, want $want_status"; fi
		if diff "$case/expected.diag" "$tmp/inv.err" >"$tmp/inv.diff"; then
			ok "invalid $name: diagnostic matches expected.diag"
		else
			bad "invalid $name: diagnostic differs"; sed 's/^/#   /' "$tmp/inv.diff"
		fi
		if [ "$(cat "$work/site/marker.html")" = "previous build of $name" ] &&
		   [ "$(ls -A "$work/site" | tr '\n' ' ')" = ".briefgen-site marker.html " ]; then
			ok "invalid $name: previous site/ kept, nothing half-written"
		else
			bad "invalid $name: site/ was touched"
		fi
	done
}

# addr DIR: the site's address in DIR/content/site.lua (a build needs one)
addr() { printf 'return { base_url = "https://example.test/" }\n' >"$1/content/site.lua"; }

# ---- unit tests (C) -----------------------------------------------------
units() {
	for t in "$bindir"/test_*; do
		[ -x "$t" ] || continue
		(cd "$top" && "$t") | sed "s/^\(not ok\|ok\) - /\1 - $tag $(basename "$t"): /"
	done
}

# ---- Lua modules ----------------------------------------------------------
luatests() {
	for t in "$top"/tests/lua/test_*.lua; do
		[ -f "$t" ] || continue
		(cd "$top" && lua5.4 "tests/lua/$(basename "$t")" 2>&1) | sed "s/^\(not ok\|ok\) - /\1 - $tag $(basename "$t" .lua): /"
	done
}

# ---- end to end ---------------------------------------------------------
e2e() {
	"$bg" --help >"$tmp/help" 2>&1; check "cli: --help exits 0 and lists build" grep -q '^  build' "$tmp/help"
	"$bg" --version >"$tmp/ver"; check "cli: --version prints the version" grep -qx 'briefgen [0-9.]*' "$tmp/ver"
	"$bg" frobnicate >/dev/null 2>&1; check "cli: unknown command exits 2" test $? = 2
	"$bg" build --bogus >/dev/null 2>&1; check "cli: unknown build option exits 2" test $? = 2
	(cd "$tmp" && "$bg" build) >/dev/null 2>"$tmp/nocontent"
	check "cli: build without content/ exits 1" test $? = 1
	check "cli: build without content/ says so" grep -qx 'content: error: no content folder here' "$tmp/nocontent"

	# --timings: one line per stage that ran, in pipeline order, after the summary
	(cd "$top/tests/golden/basic" && "$bg" build --quiet --timings --out "$tmp/timed") 2>"$tmp/timings"
	check "build --timings: one line per stage, content first, link check and commit last" bash -c "
		grep ' ms wall ' '$tmp/timings' | sed 's/ *[0-9.]* ms wall *[0-9.]* ms CPU\$//' >'$tmp/stages'
		printf '%s\n' configuration content 'templates compiled' 'briefs rendered' taxonomy 'listing pages' \
			'special pages, assets, feeds, sitemap' 'link check' commit | diff - '$tmp/stages'"

	# check: an input with neither a source nor an assumption is a warning (not in build)
	(cd "$top/tests/golden/calc" && "$bg" check --strict) >/dev/null 2>"$tmp/lint.err"
	check "check --strict: inputs without a source fail it" test $? = 1
	check "check: the warning names the input at its line" \
		grep -qx "content/briefs/2024-12-13-model/en.md:9:1: warning: input 'chips' has no source: end its label with '| source: URL' (or '| assumption')" "$tmp/lint.err"
	check "check: a sourced input and an assumption give none" bash -c "! grep -q \"input '\\(token_ratio\\|batch_ratio\\)'\" '$tmp/lint.err'"
	(cd "$top/tests/golden/calc" && "$bg" build --quiet --out "$tmp/lint-build") 2>"$tmp/lint-build.err"
	check "build: no source warnings (check asks for them)" bash -c "! grep -q 'has no source' '$tmp/lint-build.err'"
	(cd "$top" && "$bg" check --strict) >/dev/null 2>"$tmp/lint-site.err"
	check "check --strict: the site's own briefs give every input a source or an assumption" test $? = 0

	# check --external: off-site links listed, not fetched, nothing written
	(cd "$top/tests/golden/basic" && "$bg" check --external) >"$tmp/ext.out" 2>/dev/null
	check "check --external exits 0 on a clean site" test $? = 0
	printf 'https://example.com\nhttps://example.com/\nhttps://example.com/episode\n' >"$tmp/ext.want"
	check "check --external lists each off-site link once, sorted" diff "$tmp/ext.want" "$tmp/ext.out"
	check "check writes no site/ folder" test ! -e "$top/tests/golden/basic/site"

	# new: scaffold, then build it with drafts
	mkdir -p "$tmp/newsite/content"
	(cd "$tmp/newsite" && "$bg" new my-brief --date 2025-01-02) >"$tmp/new.out" 2>&1
	check "new: creates zh.md and en.md in a dated bundle" test -f "$tmp/newsite/content/briefs/2025-01-02-my-brief/zh.md" -a -f "$tmp/newsite/content/briefs/2025-01-02-my-brief/en.md"
	(cd "$tmp/newsite" && "$bg" new my-brief --date 2025-01-02) >/dev/null 2>&1
	check "new: refuses to overwrite an existing bundle (exit 1)" test $? = 1
	(cd "$tmp/newsite" && "$bg" new 'bad slug') >/dev/null 2>&1
	check "new: rejects a slug with a space (exit 2)" test $? = 2
	(cd "$tmp/newsite" && "$bg" build --quiet) >/dev/null 2>&1
	check "new: scaffold is a draft, skipped by default" test ! -e "$tmp/newsite/site/en/briefs/my-brief/index.html"
	(cd "$tmp/newsite" && "$bg" build --quiet --drafts) >/dev/null 2>&1
	check "new: scaffold builds with --drafts in both languages" test -f "$tmp/newsite/site/en/briefs/my-brief/index.html" -a -f "$tmp/newsite/site/zh/briefs/my-brief/index.html"

	# a folder holding only content/ builds with the shipped theme
	mkdir -p "$tmp/bare/content/briefs/2024-01-01-x"
	printf -- '---\ntitle: X\n---\nHello.\n' >"$tmp/bare/content/briefs/2024-01-01-x/en.md"
	# the site's address: required by build and check, from site.lua or --base-url (which wins)
	mkdir -p "$tmp/noaddr/content/briefs/2024-01-01-x"
	cp "$tmp/bare/content/briefs/2024-01-01-x/en.md" "$tmp/noaddr/content/briefs/2024-01-01-x/"
	(cd "$tmp/noaddr" && "$bg" check) >/dev/null 2>"$tmp/noaddr.err"
	check "base url: check without one exits 1" test $? = 1
	check "base url: check says where to give it" grep -qF 'content/site.lua: error: no site configuration: the sitemap, the feeds and og:url need the site'"'"'s address' "$tmp/noaddr.err"
	(cd "$tmp/noaddr" && "$bg" build --quiet --base-url https://flag.test/sub) 2>"$tmp/noaddr-flag.err"
	check "base url: --base-url builds a site without site.lua" test $? = 0
	check "base url: the sitemap holds absolute URLs under it" grep -q '<loc>https://flag.test/sub/en/briefs/x/</loc>' "$tmp/noaddr/site/sitemap.xml"
	check "base url: og:url is absolute" grep -q 'property="og:url" content="https://flag.test/sub/en/briefs/x/"' "$tmp/noaddr/site/en/briefs/x/index.html"
	(cd "$tmp/noaddr" && "$bg" build --quiet --base-url ftp://flag.test/) 2>"$tmp/noaddr-bad.err"
	check "base url: a bad --base-url exits 1" test $? = 1
	check "base url: a bad --base-url is named" grep -qxF -e "--base-url: error: base_url 'ftp://flag.test/' must be an absolute http:// or https:// address, such as 'https://example.org/'" "$tmp/noaddr-bad.err"
	addr "$tmp/bare"
	(cd "$tmp/bare" && "$bg" build --quiet) 2>"$tmp/bare.err"
	check "theme: a folder with only content/ builds with the shipped theme" test -f "$tmp/bare/site/en/briefs/x/index.html"
	check "theme: missing translation is a warning naming the brief" grep -q "warning: brief 'x' has no 'zh' translation" "$tmp/bare.err"
	check "theme: zh home lists the untranslated brief with a note" grep -q 'hreflang="en" lang="en">X</a>' "$tmp/bare/site/zh/index.html"

	# progress: shown on a terminal only
	(cd "$tmp/bare" && script -qec "$bg build --out $tmp/bare-tty" /dev/null) >"$tmp/tty.out" 2>&1
	check "progress: a terminal sees 'rendering briefs 1/1'" grep -q 'rendering briefs 1/1' "$tmp/tty.out"
	(cd "$tmp/bare" && "$bg" build --out "$tmp/bare-pipe") 2>"$tmp/pipe.err"
	check "progress: none when stderr is not a terminal" test "$(grep -c 'rendering' "$tmp/pipe.err")" = 0

	# install: the installed binary finds PREFIX/share/briefgen wherever PREFIX is
	if [ "$variant" = release ]; then
		make -s -C "$top" install PREFIX=/opt/bg DESTDIR="$tmp/inst" >/dev/null 2>&1
		sed -i 's/^  footer = .*/  footer = "INSTALLED THEME",/' "$tmp/inst/opt/bg/share/briefgen/templates/i18n/en.lua"
		(cd "$tmp/bare" && env -u BRIEFGEN_DATADIR "$tmp/inst/opt/bg/bin/briefgen" build --quiet --out "$tmp/bare-inst") 2>/dev/null
		check "install: the installed binary uses its own share/briefgen" grep -q 'INSTALLED THEME' "$tmp/bare-inst/en/briefs/x/index.html"
	fi

	# a templates/ or lua/ that cannot be used says so, and why
	mkdir -p "$tmp/ovr/content/briefs/2024-01-01-x" "$tmp/ovr/templates" "$tmp/ovr/lua"
	printf -- '---\ntitle: X\n---\nHi.\n' >"$tmp/ovr/content/briefs/2024-01-01-x/en.md"
	addr "$tmp/ovr"
	echo '<p>mine</p>' >"$tmp/ovr/templates/home.html"
	echo 'return {}' >"$tmp/ovr/lua/units.lua"
	(cd "$tmp/ovr" && "$bg" build --quiet) 2>"$tmp/ovr.err"
	check "override: a templates/ without base.html is not used, and the build says so" \
		grep -qx "templates: warning: has no base.html, so it is not used: the shipped templates are; add base.html to use this folder" "$tmp/ovr.err"
	check "override: a lua/ without template.lua is not used, and the build says so" \
		grep -qx "lua: warning: has no template.lua, so it is not used: the shipped Lua modules are; add template.lua to use this folder" "$tmp/ovr.err"

	# content/static/ is published as it is at the site's root; links in it are not followed
	mkdir -p "$tmp/st/content/briefs/2024-01-01-x" "$tmp/st/content/static/img"
	addr "$tmp/st"
	printf -- '---\ntitle: X\nlang: en\n---\n![logo](/img/logo.png)\n' >"$tmp/st/content/briefs/2024-01-01-x/en.md"
	echo png >"$tmp/st/content/static/img/logo.png"
	ln -s /etc/hostname "$tmp/st/content/static/host"
	(cd "$tmp/st" && "$bg" build --quiet) 2>"$tmp/st.err"
	check "static: a site with content/static/ builds (the link to it resolves)" test $? = 0
	check "static: its files are at the site's root" test "$(cat "$tmp/st/site/img/logo.png" 2>/dev/null)" = png
	check "static: a link in it is not published" test ! -e "$tmp/st/site/host"
	check "static: and is a warning" grep -qx "content/static/host: warning: a link is not published from static/: copy the file in instead" "$tmp/st.err"
	mkdir -p "$tmp/st/content/static/en" && echo x >"$tmp/st/content/static/en/index.html"
	(cd "$tmp/st" && "$bg" build --quiet) 2>"$tmp/st2.err"
	check "static: a file in a page's place is an error" grep -qx "content/static/en/index.html: error: would replace 'site/en/index.html', which is written from home page; rename one of them" "$tmp/st2.err"

	# kramdown attribute lists are dropped, each with a note (--verbose)
	mkdir -p "$tmp/ial/content/briefs/2024-01-01-x"
	addr "$tmp/ial"
	printf -- '---\ntitle: X\nlang: en\n---\nText.\n{: .lead}\n\n{: #foo .bar}\n\nMore.\n' >"$tmp/ial/content/briefs/2024-01-01-x/en.md"
	(cd "$tmp/ial" && "$bg" build --quiet --verbose) 2>"$tmp/ial.err"
	check "kramdown IAL: a note at each, with --verbose" test "$(grep -c "note: kramdown attribute list dropped" "$tmp/ial.err")" = 2
	check "kramdown IAL: at its line" grep -q "en.md:8:1: note: kramdown attribute list dropped" "$tmp/ial.err"
	check "kramdown IAL: not in the page" test "$(grep -c '{:' "$tmp/ial/site/en/briefs/x/index.html")" = 0
	(cd "$tmp/ial" && "$bg" build --quiet) 2>"$tmp/ial-q.err"
	check "kramdown IAL: no note without --verbose" test "$(grep -c "kramdown" "$tmp/ial-q.err")" = 0

	# check reports every problem in one run: a brief that fails to render
	# does not stop the link check of the others, nor is blamed again by it
	mkdir -p "$tmp/chk/content/briefs/2024-12-13-a" "$tmp/chk/content/briefs/2024-12-14-b"
	addr "$tmp/chk"
	printf -- '---\ntitle: A\nlang: en\n---\n```calc\nx = y + 1\n```\n\n## Part\n' >"$tmp/chk/content/briefs/2024-12-13-a/en.md"
	printf -- '---\ntitle: B\n---\nSee [A](/en/briefs/a/), [its part](/en/briefs/a/#part) and [gone](/en/briefs/zzz/).\n' >"$tmp/chk/content/briefs/2024-12-14-b/en.md"
	(cd "$tmp/chk" && "$bg" check) >/dev/null 2>"$tmp/chk.err"
	check "check: exit 1 on content errors" test $? = 1
	printf '%s\n' "content/briefs/2024-12-13-a/en.md:6:5: error: unknown name 'y'" \
		"content/briefs/2024-12-14-b/en.md:4:67: error: broken link '/en/briefs/zzz/' on page '/en/briefs/b/'" \
		>"$tmp/chk.want"
	check "check: the calc error and the broken link of another brief, in one run" \
		diff "$tmp/chk.want" <(grep error: "$tmp/chk.err")

	# a warning repeated in many places: the first five, then a count
	mkdir -p "$tmp/many/content/briefs"
	addr "$tmp/many"
	for i in $(seq 10 21); do
		mkdir -p "$tmp/many/content/briefs/2024-01-$i-b$i"
		printf -- '---\ntitle: B%s\n---\nHi.\n' "$i" >"$tmp/many/content/briefs/2024-01-$i-b$i/en.md"
	done
	(cd "$tmp/many" && "$bg" build --quiet) 2>"$tmp/many.err"
	check "repeated warnings: five shown" test "$(grep -c "warning: brief 'b[0-9]*' has no 'zh' translation" "$tmp/many.err")" = 5
	check "repeated warnings: then counted" grep -qx "briefgen: note: ... and 7 more like this; --verbose lists all" "$tmp/many.err"
	(cd "$tmp/many" && "$bg" build --quiet --verbose) 2>"$tmp/many-v.err"
	check "repeated warnings: --verbose lists all twelve" test "$(grep -c "has no 'zh' translation" "$tmp/many-v.err")" = 12

	# briefs are ordered by instant, not by the text of their dates
	mkdir -p "$tmp/zones/content/briefs/east" "$tmp/zones/content/briefs/west"
	printf -- '---\ntitle: East\ndate: 2024-12-13 01:00:00 +08:00\n---\nx\n' >"$tmp/zones/content/briefs/east/en.md"
	printf -- '---\ntitle: West\ndate: 2024-12-12 20:00:00 +00:00\n---\nx\n' >"$tmp/zones/content/briefs/west/en.md"
	addr "$tmp/zones"
	(cd "$tmp/zones" && "$bg" build --quiet) 2>/dev/null
	check "order: the later instant comes first whatever its zone" \
		test "$(grep -o 'briefs/[a-z]*/"' "$tmp/zones/site/en/index.html" | head -1)" = 'briefs/west/"'

	# the seed: a plain Jekyll post builds unchanged
	local seed; seed=$(ls "$shared"/seeds/*.txt 2>/dev/null | head -1)
	if [ -n "$seed" ]; then
		mkdir -p "$tmp/seed/content/briefs"
		addr "$tmp/seed"
		cp "$seed" "$tmp/seed/content/briefs/2024-12-13-ai-semiconductor-landscape.md"
		(cd "$tmp/seed" && "$bg" build --quiet) >"$tmp/seed.out" 2>&1
		check "seed: the Jekyll post builds unchanged (exit 0, no diagnostics)" test $? = 0 -a ! -s "$tmp/seed.out"
		local page="$tmp/seed/site/zh/briefs/ai-semiconductor-landscape/index.html"
		check "seed: page is written under the default language" test -f "$page"
		check "seed: raw HTML passes through" grep -q '<span class="original-link">' "$page"
		check "seed: <html lang> is zh-Hant" grep -q '<html lang="zh-Hant">' "$page"
		check "seed: front matter date shown in Chinese form" grep -q '2024年12月13日' "$page"
		check "seed: title escaped (& becomes &amp;)" grep -q 'Bill Gurley &amp; Brad Gerstner</h1>' "$page"
	else
		skip "seed: ../shared/seeds not present"
	fi

	# the real site: both homes link every brief, the build is reproducible
	if [ -d "$top/content/briefs" ]; then
		(cd "$top" && "$bg" build --quiet --out "$tmp/real") 2>"$tmp/real.err"
		check "content: the real site builds" test $? = 0
		for b in "$top"/content/briefs/*/; do
			local slug; slug=$(basename "$b" | sed 's/^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]-//')
			for l in zh en; do
				# the home page and the pages after it (10 briefs a page)
				check "content: /$l/ home pages link brief $slug" grep -qs "href=\"/$l/briefs/$slug/\"" \
					"$tmp/real/$l/index.html" "$tmp/real/$l"/page/*/index.html
			done
		done
		(cd "$top" && "$bg" build --quiet --out "$tmp/real2") 2>/dev/null
		check "content: two builds give byte-identical trees" diff -r "$tmp/real" "$tmp/real2"
		# the site's values in one file each: the JSON holds every brief's numbers.json, the
		# CSV one row per value that a CSV reader (Python's) reads back the same
		check "data: numbers.json and numbers.csv agree with every brief's numbers.json" python3 - "$tmp/real" <<'PY'
import csv, json, os, sys
root = sys.argv[1]
site = json.load(open(os.path.join(root, "numbers.json"), encoding="utf-8"))
per = {}
for slug in sorted(os.listdir(os.path.join(root, "briefs"))):
    per[slug] = json.load(open(os.path.join(root, "briefs", slug, "numbers.json"), encoding="utf-8"))
assert {b["brief"] for b in site["briefs"]} == set(per), "every brief with values, once"
for b in site["briefs"]:
    assert b == per[b["brief"]], b["brief"] + ": as in its own numbers.json"
raw = open(os.path.join(root, "numbers.csv"), "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte order mark"
assert raw.count(b"\r\n") >= raw.count(b"\n") - raw.count(b'\n"') , "CRLF line ends"
rows = list(csv.DictReader(open(os.path.join(root, "numbers.csv"), encoding="utf-8-sig", newline="")))
values = [(b["brief"], v) for b in site["briefs"] for v in b["values"]]
assert len(rows) == len(values) > 100, "one row per value (%d, %d)" % (len(rows), len(values))
for row, (slug, v) in zip(rows, values):
    assert row["brief"] == slug and row["name"] == v["name"] and row["formula"] == v["formula"]
    assert float(row["value"]) == v["value"], v["name"]
    assert row["label_zh"] == v["label"]["zh"] and row["display_en"] == v["display"]["en"]
    assert row["inputs"].split() == v["inputs"]
    assert row["source_url"] == v.get("source", {}).get("url", ""), v["name"]
PY
		check "data: every page's footer links both files" \
			test "$(grep -L 'href="/numbers.csv"' $(find "$tmp/real" -name '*.html' ! -path '*/assets/*' ! -name index.html -o -path '*/zh/index.html' -o -path '*/en/index.html') | wc -l)" = 0
	fi
}

if [ "$variant" = regen ]; then
	golden
	VARIANT=regen BRIEFGEN=$bg TOP=$top TAG=$tag bash "$top/tests/regress.sh"
	exit 0
fi
units
[ "$variant" = release ] && luatests
golden
invalid
e2e
for f in "$top"/tests/*.sh; do
	[ "$(basename "$f")" = run.sh ] && continue
	[ -f "$f" ] && VARIANT=$variant BRIEFGEN=$bg TOP=$top SHARED=$shared TAG=$tag bash "$f"
done
exit 0
