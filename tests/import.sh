#!/bin/bash
# `briefgen import jekyll|hugo` (issue 13) on two sites made for it:
# tests/import/jekyll (jekyll-polyglot: language folders, lang:, ref:,
# Liquid tags, .markdown, a one-digit date, redirects, assets, _includes)
# and tests/import/hugo (hugo.toml with two languages and [permalinks];
# bundles with index.LANG.md and a resource, name.LANG.md, translationKey,
# content/LANG/ trees,
# TOML and YAML front matter, shortcodes, aliases, static/). Each: the
# report against tests/import/KIND.report (REGEN=1 rewrites it), no post
# lost, the same bytes from a second import, the source untouched, and the
# result builds (exit 0) into pages that pass vnu, its warnings those the
# report named.
top=${TOP:?}; bg=${BRIEFGEN:?}; tag=${TAG:-}; variant=${VARIANT:-release}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()  { echo "ok - $tag import: $*"; }
bad() { echo "not ok - $tag import: $*"; }
check() { local name=$1; shift; if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi; }
vnu="$top/build/validators/node_modules/vnu-jar/build/dist/vnu.jar"

for kind in jekyll hugo; do
	src="$top/tests/import/$kind"
	before=$( (cd "$src" && find . -type f -print0 | sort -z | xargs -0 sha1sum) )
	(cd "$tmp" && "$bg" import "$kind" "$src" "$kind") >"$tmp/$kind.report" 2>"$tmp/$kind.err"
	check "$kind: exit 0, nothing on stderr" test $? = 0 -a ! -s "$tmp/$kind.err"
	[ "${REGEN:-}" = 1 ] && cp "$tmp/$kind.report" "$top/tests/import/$kind.report"
	check "$kind: the report is the expected one" diff "$top/tests/import/$kind.report" "$tmp/$kind.report"
	# no post lost: each Markdown file of the posts is imported or said not to be
	case $kind in
	jekyll) posts=$(cd "$src" && find _posts -name '*.md' -o -name '*.markdown' | sort) ;;
	hugo) posts=$(cd "$src" && find content -name '*.md' | sort) ;;
	esac
	lost=
	for p in $posts; do
		grep -q "^$p: \(imported as\|not imported:\)" "$tmp/$kind.report" || lost="$lost $p"
	done
	check "$kind: every post is accounted for ($(echo "$posts" | wc -l) files)" test -z "$lost"
	imported=$(grep -c ': imported as content/briefs/' "$tmp/$kind.report")
	check "$kind: one file written per post imported ($imported)" \
		test "$(find "$tmp/$kind/content/briefs" -name '*.md' | wc -l)" = "$imported"
	(cd "$tmp" && "$bg" import "$kind" "$src" "$kind-again") >"$tmp/$kind.report2" 2>&1
	check "$kind: a second import writes the same bytes" diff -r "$tmp/$kind" "$tmp/$kind-again"
	check "$kind: and says the same" diff "$tmp/$kind.report" "$tmp/$kind.report2"
	check "$kind: the source is only read" test "$before" = "$( (cd "$src" && find . -type f -print0 | sort -z | xargs -0 sha1sum) )"
	(cd "$tmp" && "$bg" import "$kind" "$src" "$kind") >/dev/null 2>"$tmp/$kind.again.err"
	check "$kind: into a project that has content: exit 1" test $? = 1
	check "$kind: saying so" grep -q "error: content/ here already holds files" "$tmp/$kind.again.err"
	# the result builds, and the build warns of exactly what the report named
	(cd "$tmp/$kind" && "$bg" build --quiet --verbose) 2>"$tmp/$kind.build"
	check "$kind: the imported site builds (exit 0)" test $? = 0
	grep -o "warning: template tag '[^']*'\|warning: '[a-z_]*: [^']*' is not carried over" "$tmp/$kind.report" | sort >"$tmp/said"
	grep -o "warning: template tag '[^']*'\|warning: '[a-z_]*: [^']*' is not carried over" "$tmp/$kind.build" | sort >"$tmp/warned"
	check "$kind: the build warns of the constructs the report named, no more" diff "$tmp/said" "$tmp/warned"
	check "$kind: redirects from the old URLs are pages" \
		test "$(grep -o '; redirect from [^ ]*' "$tmp/$kind.report" | wc -l)" -gt 5
	if [ "$variant" = release ] && [ -f "$vnu" ] && command -v java >/dev/null; then
		find "$tmp/$kind/site" -name '*.html' >"$tmp/pages"
		check "$kind: every page passes vnu ($(wc -l <"$tmp/pages") pages)" \
			java -jar "$vnu" --errors-only $(cat "$tmp/pages")
	fi
done

# a plain Jekyll site (no polyglot, no url): languages from the posts' script, no /LANG in
# the old URLs, a placeholder address said in the report
mkdir -p "$tmp/plain/_posts"
printf 'title: Plain\n' >"$tmp/plain/_config.yml"
printf -- '---\ntitle: Hello\n---\nWorld.\n' >"$tmp/plain/_posts/2020-01-01-hello.md"
printf -- '---\ntitle: 你好\n---\n世界你好，這是一篇中文文章。\n' >"$tmp/plain/_posts/2020-01-02-nihao.md"
(cd "$tmp" && "$bg" import jekyll plain plain-out) >"$tmp/plain.report" 2>&1
check "plain jekyll: exit 0" test $? = 0
check "plain jekyll: the Chinese post is zh, redirected from its one URL space" \
	grep -qx "_posts/2020-01-02-nihao.md: imported as content/briefs/2020-01-02-nihao/zh.md; redirect from /2020/01/02/nihao.html" "$tmp/plain.report"
check "plain jekyll: no address in _config.yml is said" grep -q "base URL https://example.org/ (none in the configuration: edit content/site.lua)" "$tmp/plain.report"
(cd "$tmp/plain-out" && "$bg" build --quiet) >/dev/null 2>&1
check "plain jekyll: builds" test $? = 0

# bad uses: exact messages and exit codes
"$bg" import >/dev/null 2>&1; check "usage: no arguments: exit 2" test $? = 2
"$bg" import wordpress "$tmp" >/dev/null 2>"$tmp/u.err"
check "usage: an unknown kind: exit 2" test $? = 2
check "usage: an unknown kind is named" grep -qx "briefgen import: the first argument is jekyll or hugo" "$tmp/u.err"
mkdir -p "$tmp/empty"
(cd "$tmp" && "$bg" import jekyll "$tmp/empty" out) >/dev/null 2>"$tmp/e.err"
check "a folder that is no Jekyll site: exit 1" test $? = 1
check "a folder that is no Jekyll site: said" grep -qx "$tmp/empty: error: no _config.yml here: is it a Jekyll site?" "$tmp/e.err"
