#!/usr/bin/env bash
# zh_hans.sh — the Simplified-Chinese edition made at build time (docs/zh-hans.md) on
# tests/golden/zh-hans (whose whole tree the golden test compares): what is converted and
# what is kept, the feed and the sitemap against their schemas, `briefgen check` listing what
# OpenCC left Traditional. Run by tests/run.sh with VARIANT, BRIEFGEN, TOP, SHARED and TAG set.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1

ok()   { echo "ok - $TAG zh-hans: $*"; }
bad()  { echo "not ok - $TAG zh-hans: $*"; }
skip() { echo "skip - $TAG zh-hans: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}
has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

site="$tmp/site"
cp -r "$TOP/tests/golden/zh-hans" "$site"
rm -rf "$site/expected"
out="$tmp/out"
if ! (cd "$site" && "$BRIEFGEN" build --quiet --out "$out") 2>"$tmp/build.err"; then
	bad "the site builds"; sed 's/^/#   /' "$tmp/build.err"
	exit 0
fi
ok "the site builds"
check "nothing is said twice for the converted pages (no warning at all)" test ! -s "$tmp/build.err"

p="$out/zh-hans/briefs/memory-servers/index.html"
check "brief: tw2sp phrases (記憶體 内存, 伺服器 服务器, 軟體 软件)" \
	has "$p" '<h1>内存、服务器与软件的简报</h1>'
check "brief: the site's phrase table wins over OpenCC (简报, not 演示文稿; 推理, not 推论)" \
	bash -c 'grep -qF "推理时每颗 GPU" "$1" && ! grep -qF "演示文稿" "$1" && ! grep -qF "推论" "$1"' _ "$p"
check "brief: numbers in 万 with 个, from the model" has "$p" '140万个 GPU'
check "brief: calc labels converted, formulas and names kept" \
	bash -c 'grep -qF "集群的内存总量 <code class=\"calc-name\">total_hbm</code>" "$1" && grep -qF "<code>gpus / GPU * hbm</code>" "$1"' _ "$p"
check "brief: table words converted (项目, 数值, 推导)" \
	bash -c 'grep -qF ">项目</th>" "$1" && grep -qF ">数值</th>" "$1" && grep -qF ">推导</th>" "$1"' _ "$p"
check "brief: code blocks and inline code kept as written" \
	bash -c 'grep -qF "<code>程式碼區塊裡的記憶體不轉換" "$1" && grep -qF "<code>記憶體</code> 也不转换" "$1"' _ "$p"
check "brief: HTML attributes kept, their text converted" \
	has "$p" '<span title="記憶體">网页标签里的属性不转换</span>'
check "brief: a link to the source edition goes to this one, its fragment converted" \
	has "$p" 'href="/zh-hans/briefs/own-edition/#%E8%BD%AF%E4%BB%B6%E5%A0%86%E6%A0%88"' # 软件堆栈
check "brief: chart text converted" has "$p" '服务器台数：17.5万'
check "brief: <html lang=\"zh-Hans\">" has "$p" '<html lang="zh-Hans">'
check "brief: the switcher offers 繁體 / 简体 / English" \
	bash -c 'grep -qF ">繁體</a>" "$1" && grep -qF ">简体<" "$1" && grep -qF ">English</a>" "$1"' _ "$p"
check "brief: interface words converted (阅读约, 标签)" \
	bash -c 'grep -qF "阅读约 1 分钟" "$1" && grep -qF ">标签<" "$1"' _ "$p"
check "the Traditional edition is untouched" \
	has "$out/zh/briefs/memory-servers/index.html" '<h1>記憶體、伺服器與軟體的簡報</h1>'
check "a brief's own zh-hans.md wins over conversion" \
	bash -c 'grep -qF "这一版由作者亲自写成" "$1" && ! grep -qF "转换不会用到" "$1"' _ "$out/zh-hans/briefs/own-edition/index.html"
check "standalone pages are converted too" has "$out/zh-hans/about/index.html" '<h1>关于本站</h1>'
check "taxonomy: converted names, twins across the three editions" \
	bash -c 'grep -qF "href=\"/zh/categories/半導體/\"" "$1" && grep -qF "href=\"/en/categories/semiconductor/\"" "$1"' _ "$out/zh-hans/categories/半导体/index.html"
check "numbers.json: labels and displays of the edition" \
	has "$out/briefs/memory-servers/numbers.json" '"zh-hans": "集群的 GPU 数"'

# ---- feed and sitemap ------------------------------------------------------
feed="$out/zh-hans/feed.xml"
check "feed: its own, in zh-Hans" has "$feed" '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">'
check "feed: converted titles" has "$feed" '<title>内存、服务器与软件的简报</title>'
schemas="$SHARED/schemas"
if [ -f "$schemas/atom.rng" ] && [ -f "$schemas/sitemap-hreflang.xsd" ] && command -v xmllint >/dev/null; then
	check "feed: valid against RFC 4287 grammar (atom.rng)" xmllint --nonet --noout --relaxng "$schemas/atom.rng" "$feed"
	check "sitemap: valid against sitemaps.org 0.9 + xhtml:link (sitemap-hreflang.xsd)" \
		env XML_CATALOG_FILES="$schemas/catalog.xml" xmllint --nonet --noout --schema "$schemas/sitemap-hreflang.xsd" "$out/sitemap.xml"
else
	skip "feed and sitemap schema validation (no $schemas or xmllint)"
fi
check "sitemap: three alternates and x-default for a brief" bash -c '
	awk "/<loc>https:\/\/briefs.test\/zh-hans\/briefs\/memory-servers\/<\/loc>/ { on = 1 } on && /<\/url>/ { exit } on" "$1" >"$2"
	grep -qF "hreflang=\"zh-Hant\" href=\"https://briefs.test/zh/briefs/memory-servers/\"" "$2" &&
	grep -qF "hreflang=\"zh-Hans\" href=\"https://briefs.test/zh-hans/briefs/memory-servers/\"" "$2" &&
	grep -qF "hreflang=\"en\" href=\"https://briefs.test/en/briefs/memory-servers/\"" "$2" &&
	grep -qF "hreflang=\"x-default\"" "$2"' _ "$out/sitemap.xml" "$tmp/url"

# ---- briefgen check: what OpenCC left Traditional ----------------------------
printf '\n優勢小於單算的結果。\n' >>"$site/content/briefs/2024-02-01-memory-servers/zh.md"
(cd "$site" && "$BRIEFGEN" check) >"$tmp/check.out" 2>"$tmp/check.err"
status=$?
check "check: exit status 0 for a warning" test $status = 0
check "check: names the character OpenCC left, at its line in the Traditional file" \
	grep -qxF "content/briefs/2024-02-01-memory-servers/zh.md:33: warning: '於' is still Traditional in the zh-hans edition: OpenCC left it; give it in that language's phrases (content/site.lua) if it should change" "$tmp/check.err"
check "check: only that one" grep -qxF "0 errors, 1 warning" "$tmp/check.err"
sed -i 's/\["推論"\] = "推理" }/["推論"] = "推理", ["於"] = "于" }/' "$site/content/site.lua"
(cd "$site" && "$BRIEFGEN" check) >"$tmp/check.out" 2>"$tmp/check.err"
check "check: a phrase for it quiets the warning" grep -qxF "0 errors, 0 warnings" "$tmp/check.err"
(cd "$site" && "$BRIEFGEN" build --quiet --out "$tmp/out2") 2>/dev/null
check "build: the phrase applies (小于单算)" has "$tmp/out2/zh-hans/briefs/memory-servers/index.html" '优势小于单算的结果。'

# ---- the other commands --------------------------------------------------------
(cd "$site" && "$BRIEFGEN" new third --date 2024-03-01) >/dev/null 2>&1
check "new: scaffolds the languages of their own only (zh.md, en.md; no zh-hans.md)" \
	bash -c '[ "$(ls "$1")" = "$(printf "en.md\nzh.md")" ]' _ "$site/content/briefs/2024-03-01-third"
(cd "$site" && "$BRIEFGEN" calc . memory-servers --lang zh-hans) >"$tmp/calc.out" 2>&1
check "calc --lang zh-hans: the model as the Simplified page shows it" \
	bash -c 'grep -q "^servers .*服务器台数.*17.5万" "$1"' _ "$tmp/calc.out"

# ---- what is said about a converted page is said once, at the Traditional file ----------------
printf '\n未知的值 `= no_such_value`。\n' >>"$site/content/briefs/2024-02-01-memory-servers/zh.md"
(cd "$site" && "$BRIEFGEN" build --quiet --out "$tmp/out3") 2>"$tmp/err3"
status=$?
check "an error in a calc reference: exit status 1" test $status = 1
check "it is reported once, for the Traditional file (not again for the converted page)" \
	bash -c '[ "$(grep -c "error: unknown name" "$1")" = 1 ] && grep -q "^content/briefs/2024-02-01-memory-servers/zh.md:[0-9]*:[0-9]*: error: unknown name '"'"'no_such_value'"'"'" "$1"' _ "$tmp/err3"
