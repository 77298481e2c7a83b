#!/usr/bin/env bash
# outputs.sh — feeds, sitemap, robots.txt, taxonomy pages, metadata, reading
# time and summaries, end to end, on tests/golden-outputs/site (plus two
# briefs of known length written here). Run by tests/run.sh with VARIANT,
# BRIEFGEN, TOP, SHARED and TAG set. One "ok -"/"not ok -"/"skip -" line per check.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1

ok()   { echo "ok - $TAG outputs: $*"; }
bad()  { echo "not ok - $TAG outputs: $*"; }
skip() { echo "skip - $TAG outputs: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}

site="$tmp/site"
cp -r "$TOP/tests/golden-outputs/site" "$site"

# Two briefs of known length: 2000 CJK characters and 230 English words
# (400 and 230 a minute: 5 + 1 = 6 minutes, where timing it all as CJK,
# as Hugo does (hugo#10031), gives 5), and 1150 English words (5).
mkdir -p "$site/content/briefs/2024-11-01-long"
{
	printf -- '---\ntitle: 長文\ndescription: 長度已知的中文簡報。\n---\n'
	for i in $(seq 1 100); do printf '一二三四五六七八九十一二三四五六七八九十。\n\n'; done
	for i in $(seq 1 23); do printf 'one two three four five six seven eight nine ten\n\n'; done
} >"$site/content/briefs/2024-11-01-long/zh.md"
{
	printf -- '---\ntitle: Long\ndescription: An English brief of known length.\n---\n'
	for i in $(seq 1 115); do printf 'one two three four five six seven eight nine ten.\n\n'; done
} >"$site/content/briefs/2024-11-01-long/en.md"

out="$site/site"
if ! (cd "$site" && "$BRIEFGEN" build --quiet) 2>"$tmp/build.err"; then
	bad "fixture site builds"; sed 's/^/#   /' "$tmp/build.err"
	exit 0
fi
ok "fixture site builds (links and anchors all resolve)"
check "build reports nothing" test ! -s "$tmp/build.err"
(cd "$site" && "$BRIEFGEN" build --quiet --jobs 1 --out "$tmp/again") 2>/dev/null
check "two builds give byte-identical trees (feeds and sitemap included)" diff -r "$out" "$tmp/again"

# ---- Atom feeds -----------------------------------------------------------
schemas="$SHARED/schemas"
have_schemas=1
if [ ! -f "$schemas/atom.rng" ] || ! command -v xmllint >/dev/null; then have_schemas=0; fi
for l in zh en; do
	feed="$out/$l/feed.xml"
	check "feed $l: written" test -s "$feed"
	if [ $have_schemas = 1 ]; then
		check "feed $l: valid against RFC 4287 grammar (atom.rng)" \
			xmllint --nonet --noout --relaxng "$schemas/atom.rng" "$feed"
	else
		skip "feed $l: atom.rng validation (no $schemas or xmllint)"
	fi
	check "feed $l: every entry has an author" test "$(xmllint --xpath \
		'count(//*[local-name()="entry"][not(*[local-name()="author"]/*[local-name()="name"])])' "$feed")" = 0
	check "feed $l: has entries" test "$(xmllint --xpath 'count(//*[local-name()="entry"])' "$feed")" -ge 5
	grep -o '<\(updated\|published\)>[^<]*<' "$feed" | sed 's/^<[a-z]*>//; s/<$//' >"$tmp/dates"
	check "feed $l: every date carries a time zone" \
		bash -c '[ -s "$1" ] && ! grep -Ev "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$" "$1"' _ "$tmp/dates"
	check "feed $l: updated is the newest change (front matter 'updated'), not the clock" \
		grep -q '^  <updated>2024-12-30T09:00:00+08:00</updated>$' "$feed"
	check "feed $l: rel=self is the absolute feed URL" \
		grep -q "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/research/$l/feed.xml\"/>" "$feed"
	check "feed $l: linked from the home page's head" \
		grep -q "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"[^\"]*\" href=\"/research/$l/feed.xml\">" "$out/$l/index.html"
done
check "feed zh: categories keep their names, scheme is the absolute index" \
	grep -q '<category term="半導體" scheme="https://example.org/research/zh/categories/"/>' "$out/zh/feed.xml"
check "feed en: full content as escaped HTML with xml:base" \
	grep -q '<content type="html" xml:base="https://example.org/research/en/briefs/alpha/">&lt;p&gt;' "$out/en/feed.xml"
mkdir -p "$tmp/short/content" && cp -r "$site/content/." "$tmp/short/content/"
sed -i 's/^  page_size = 2,$/  page_size = 2, feed_full_content = false,/' "$tmp/short/content/site.lua"
(cd "$tmp/short" && "$BRIEFGEN" build --quiet) 2>/dev/null
check "feed: feed_full_content = false gives summaries, no content" \
	bash -c '! grep -q "<content" "$1" && grep -q "<summary type=\"text\">" "$1"' _ "$tmp/short/site/en/feed.xml"

# ---- sitemap and robots.txt ---------------------------------------------
sm="$out/sitemap.xml"
if [ $have_schemas = 1 ] && [ -f "$schemas/sitemap-hreflang.xsd" ]; then
	check "sitemap: valid against sitemaps.org 0.9 + xhtml:link (sitemap-hreflang.xsd)" \
		env XML_CATALOG_FILES="$schemas/catalog.xml" xmllint --nonet --noout --schema "$schemas/sitemap-hreflang.xsd" "$sm"
else
	skip "sitemap: schema validation (no $schemas or xmllint)"
fi
# (page, alternate) pairs, then each must appear the other way round.
awk '/<loc>/ { sub(/.*<loc>/, ""); sub(/<\/loc>.*/, ""); loc = $0 }
     /<xhtml:link/ && !/x-default/ { h = $0; sub(/.*href="/, "", h); sub(/".*/, "", h); print loc, h }' "$sm" >"$tmp/pairs"
check "sitemap: has hreflang alternates" test "$(wc -l <"$tmp/pairs")" -ge 20
check "sitemap: every alternate pair is reciprocal" \
	awk 'NR == FNR { p[$1 " " $2] = 1; next } !(($2 " " $1) in p) { print "one-sided:", $0; bad = 1 } END { exit bad }' "$tmp/pairs" "$tmp/pairs"
check "sitemap: every alternate is itself a listed page" \
	awk 'NR == FNR { if (/<loc>/) { sub(/.*<loc>/, ""); sub(/<\/loc>.*/, ""); locs[$0] = 1 } next } !($2 in locs) { print "unlisted:", $2; bad = 1 } END { exit bad }' "$sm" "$tmp/pairs"
check "sitemap: x-default points at the default language" \
	grep -q '<xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/research/zh/briefs/alpha/"/>' "$sm"
check "sitemap: category twins are alternates (半導體 ↔ Semiconductor)" \
	grep -qx 'https://example.org/research/zh/categories/%E5%8D%8A%E5%B0%8E%E9%AB%94/ https://example.org/research/en/categories/semiconductor/' "$tmp/pairs"
check "sitemap: lastmod from front matter 'updated'" \
	grep -q '<lastmod>2024-12-30T09:00:00+08:00</lastmod>' "$sm"
n_pages=$(find "$out" -name index.html ! -path '*/page/*' | grep -vc "^$out/index.html$")
check "sitemap: lists every page except pagination and the root redirect ($n_pages)" \
	test "$(grep -c '<loc>' "$sm")" = "$n_pages"
check "robots.txt names the sitemap's absolute URL" \
	grep -qx 'Sitemap: https://example.org/research/sitemap.xml' "$out/robots.txt"

# ---- taxonomies and pagination ------------------------------------------
zc="$out/zh/categories/半導體/index.html"
check "taxonomy: CJK term keeps its name in the path" test -f "$zc"
check "taxonomy: index page lists the categories" grep -q 'href="/research/zh/categories/半導體/"' "$out/zh/categories/index.html"
check "taxonomy: brief links to its category page" \
	grep -q '<a href="/research/zh/categories/半導體/" rel="tag">半導體</a>' "$out/zh/briefs/alpha/index.html"
check "taxonomy: brief links to its tag page" \
	grep -q '<a href="/research/en/tags/gpu/" rel="tag">GPU</a>' "$out/en/briefs/alpha/index.html"
check "taxonomy: switcher on a category page lands on its mapped twin" \
	grep -q '<a href="/research/en/categories/semiconductor/" hreflang="en"' "$zc"
check "taxonomy: twin page links back" \
	grep -q '<a href="/research/zh/categories/半導體/" hreflang="zh-Hant"' "$out/en/categories/semiconductor/index.html"
check "taxonomy: head alternates on a category page name the twin" \
	grep -q '<link rel="alternate" hreflang="en" href="https://example.org/research/en/categories/semiconductor/">' "$zc"
check "taxonomy: an unmapped term's switcher falls back to the home page" \
	grep -q '<a href="/research/en/" hreflang="en"' "$out/zh/categories/產業/index.html"
grep -o 'href="/research/en/briefs/[a-z]*/"' "$out/en/categories/semiconductor/index.html" >"$tmp/order"
check "taxonomy: newest first, paginated at page_size (2)" \
	test "$(tr '\n' ' ' <"$tmp/order")" = 'href="/research/en/briefs/gamma/" href="/research/en/briefs/beta/" '
check "taxonomy: page 2 holds the rest" \
	grep -q 'href="/research/en/briefs/alpha/"' "$out/en/categories/semiconductor/page/2/index.html"
check "taxonomy: page 1 links to page 2" \
	grep -q '<a rel="next" href="/research/en/categories/semiconductor/page/2/">' "$out/en/categories/semiconductor/index.html"
check "pagination: home pages past page_size" test -f "$out/zh/page/2/index.html" -a -f "$out/zh/page/3/index.html"

# ---- metadata -------------------------------------------------------------
p="$out/en/briefs/alpha/index.html"
check "meta: description" grep -q '<meta name="description" content="Alpha&#39;s first paragraph' "$p"
check "meta: canonical" grep -q '<link rel="canonical" href="https://example.org/research/en/briefs/alpha/">' "$p"
check "meta: Open Graph article" grep -q '<meta property="og:type" content="article">' "$p"
check "meta: Open Graph url and locale" \
	bash -c 'grep -q "<meta property=\"og:url\" content=\"https://example.org/research/en/briefs/alpha/\">" "$1" && grep -q "<meta property=\"og:locale\" content=\"en_US\">" "$1"' _ "$p"
check "meta: Twitter card" grep -q '<meta name="twitter:card" content="summary">' "$p"
sed -n '/<script type="application\/ld+json">/,/<\/script>/p' "$out/zh/briefs/alpha/index.html" >"$tmp/ld"
for key in '"@type":"Article"' '"headline":"甲：第一篇"' '"datePublished":"2024-12-10T00:00:00+08:00"' \
	'"inLanguage":"zh-Hant"' '"author":[{"@type":"Person","name":"王小明"}]'; do
	check "meta: JSON-LD Article has $key" grep -qF "$key" "$tmp/ld"
done
check "meta: JSON-LD escapes < > & so nothing closes the script" \
	bash -c '! grep -q "\"headline\":\"[^\"]*[<>&]" "$1"' _ "$out/en/briefs/alpha/index.html"
check "meta: home pages are og:type website" grep -q '<meta property="og:type" content="website">' "$out/en/index.html"

# ---- reading time and summaries ---------------------------------------------
check "reading time: 2000 CJK characters + 230 words = 6 minutes" \
	grep -q '<span>閱讀約 6 分鐘</span>' "$out/zh/briefs/long/index.html"
check "reading time: 1150 English words = 5 minutes" \
	grep -q '<span>5 min read</span>' "$out/en/briefs/long/index.html"
check "summary: <!--more--> keeps the text before the marker (en)" \
	grep -q '<p class="entry-summary">Before the marker, first paragraph. Before the marker, second paragraph.</p>' "$out/en/index.html"
check "summary: <!--more--> keeps the text before the marker (zh)" \
	grep -q '<p class="entry-summary">標記之前的第一段。 標記之前的第二段。</p>' "$out/zh/index.html"
check "summary: text after the marker stays out of the listing" \
	bash -c '! grep -q "After the marker" "$1"' _ "$out/en/index.html"
exit 0
