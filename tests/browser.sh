#!/usr/bin/env bash
# browser.sh — live reload in headless Chromium (Debian's chromium package):
# tests/browser/reload.mjs opens a brief served by `briefgen serve`, edits
# it and sees the page reload with the new text, then the error overlay and
# its removal. Skipped (never passed) when chromium or node is missing. Run
# by tests/run.sh with VARIANT, BRIEFGEN, TOP, TAG.
set -u
TAG=${TAG:-[browser]}
bg=${BRIEFGEN:?BRIEFGEN must name the binary under test}
top=${TOP:?TOP must name the repository}
name="browser: a page reloads by itself after an edit (headless Chromium)"

chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then echo "skip - $TAG $name: chromium is not installed"; exit 0; fi
if ! command -v node >/dev/null; then echo "skip - $TAG $name: node is not installed"; exit 0; fi
if ! command -v curl >/dev/null; then echo "skip - $TAG $name: curl is not installed"; exit 0; fi
# Node 20 has WebSocket only behind a flag; the script needs none of it
# (it talks to Chromium over a pipe), but needs ES modules: node >= 14.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then echo "skip - $TAG $name: node $node_major is too old"; exit 0; fi

tmp=$(mktemp -d)
srv=
cleanup() { [ -n "$srv" ] && { kill -9 "$srv"; wait "$srv"; } 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export NO_COLOR=1

# serve DIR NAME: starts `briefgen serve DIR` ($srv, its base URL in $url),
# or says why not and ends the test
serve() {
	"$bg" serve "$1" --port 0 >"$tmp/$2.out" 2>"$tmp/$2.err" &
	srv=$!
	for _ in $(seq 300); do grep -q '^serving .* at http://' "$tmp/$2.out" && break; sleep 0.1; done
	url=$(sed -n 's/^serving .* at \(http:[^ ]*\).*/\1/p' "$tmp/$2.out" | head -1)
	if [ -z "$url" ]; then
		echo "not ok - $TAG browser: server starts ($2)"; sed 's/^/#   /' "$tmp/$2.err" | head
		exit 0
	fi
}

mkdir -p "$tmp/site" "$tmp/profile"
cp -r "$top/tests/golden/basic/content" "$tmp/site/"
serve "$tmp/site" serve
TAG=$TAG timeout 120 node "$top/tests/browser/reload.mjs" "$chromium" "${url}en/briefs/first/" \
	"$tmp/site/content/briefs/2024-12-13-first/en.md" "$tmp/profile" ${BROWSER_SCREENSHOT:+"$BROWSER_SCREENSHOT"}
status=$?
[ $status = 0 ] || echo "not ok - $TAG browser: the driver exited with status $status"
kill -INT "$srv"
for _ in $(seq 150); do kill -0 "$srv" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$srv" 2>/dev/null; then echo "not ok - $TAG browser: server stops on SIGINT"
else wait "$srv"; s=$?; srv=
	if [ $s = 0 ]; then echo "ok - $TAG browser: server stops on SIGINT (exit 0)"; else echo "not ok - $TAG browser: server exit status $s"; fi
fi

# Calculation tables of the site's own briefs as a reader sees them: at 390,
# 768 and 1280 px, light and dark, nothing clipped and no value broken from
# its unit (tests/browser/tables.mjs; SHOTS=DIR keeps screenshots).
mkdir -p "$tmp/real" "$tmp/profile2"
cp -r "$top/content" "$tmp/real/"
serve "$tmp/real" serve2
grep -q 'convert = "zh"' "$tmp/real/content/site.lua" && touch "$tmp/real-hans"
pages=()
for d in "$top"/content/briefs/*/; do
	slug=$(basename "$d" | sed 's/^[0-9]*-[0-9]*-[0-9]*-//')
	pages+=("${url}zh/briefs/$slug/" "${url}en/briefs/$slug/")
	# the Simplified edition made at build time (docs/zh-hans.md), when the site has one
	if [ -e "$tmp/real-hans" ]; then pages+=("${url}zh-hans/briefs/$slug/"); fi
done
TAG=$TAG SHOTS=${BROWSER_SHOTS:-} timeout 1200 node "$top/tests/browser/tables.mjs" "$chromium" "$tmp/profile2" "${pages[@]}"
status=$?
[ $status = 0 ] || echo "not ok - $TAG browser: the tables driver exited with status $status"
# Charts of the same briefs: they fit at 390 and 1280 px, light and dark, no
# text clipped or overlapping, every mark linked (tests/browser/charts.mjs).
TAG=$TAG SHOTS=${BROWSER_SHOTS:-} timeout 1200 node "$top/tests/browser/charts.mjs" "$chromium" "$tmp/profile2" "${pages[@]}"
status=$?
[ $status = 0 ] || echo "not ok - $TAG browser: the charts driver exited with status $status"
# The provenance popover of a value, by keyboard and pointer, and the links
# back from a row (tests/browser/popover.mjs).
slug=$(basename "$(ls -d "$top"/content/briefs/*/ | head -1)" | sed 's/^[0-9]*-[0-9]*-[0-9]*-//')
for lang in en zh; do
	TAG="$TAG [$lang]" timeout 120 node "$top/tests/browser/popover.mjs" "$chromium" "$tmp/profile2" "${url}$lang/briefs/$slug/" |
		grep -v '^#   \['
done
# The switcher between 繁體, 简体 and English: to the Simplified brief and
# back, by pointer and keyboard, at a phone's and a desktop's width
# (tests/browser/editions.mjs).
if [ -e "$tmp/real-hans" ]; then
	h1() { curl -s "$1" | sed -n 's:.*<h1>\([^<]*\)</h1>.*:\1:p' | head -1; }
	WANT_HANT=$(h1 "${url}zh/briefs/$slug/") WANT_HANS=$(h1 "${url}zh-hans/briefs/$slug/") \
		SHOT=${BROWSER_SHOTS:+$BROWSER_SHOTS/editions.png} TAG=$TAG timeout 120 \
		node "$top/tests/browser/editions.mjs" "$chromium" "$tmp/profile2" "${url}zh/briefs/$slug/"
fi
# The in-page search (site.lua `search = true`): type a query, see results
# (tests/browser/search.mjs).
# A synthetic site of 45 briefs (the bench's generator) for more results
# than a page shows; served beside the real one.
if grep -q '^ *search = true' "$tmp/real/content/site.lua"; then
	more=
	if command -v lua5.4 >/dev/null && lua5.4 "$top/tests/bench/gen-site.lua" "$tmp/gen" 45 "$top/content/site.lua" >/dev/null &&
		cp -al "$tmp/gen/bg-calc/content/briefs" "$tmp/gen/bg-search/content/"; then
		real_srv=$srv real_url=$url
		serve "$tmp/gen/bg-search" serve-more
		more=$url more_srv=$srv
		srv=$real_srv url=$real_url
	else
		echo "skip - $TAG browser: search beyond one page of results (lua5.4 or the bench's generator failed)"
	fi
	TAG=$TAG SHOTS=${BROWSER_SHOTS:-} timeout 150 node "$top/tests/browser/search.mjs" "$chromium" "$tmp/profile2" "$url" $more
	[ -n "$more" ] && { kill -INT "$more_srv"; wait "$more_srv" 2>/dev/null; }
fi
# What-if controls (tests/browser/whatif.mjs) on the chart golden site: what
# the page shows for a scenario is what `briefgen calc` prints for it.
kill -INT "$srv"; wait "$srv" 2>/dev/null; srv=
mkdir -p "$tmp/wi" && cp -r "$top/tests/golden/chart/content" "$tmp/wi/"
# calc_value NAME=VALUE... -> the English text of cluster_cost in that scenario
calc_value() {
	"$bg" calc "$top/tests/golden/chart" charts --lang en "$@" |
		awk 'NR == 1 { at = index($0, "value") } $1 == "cluster_cost" { print substr($0, at) }'
}
expect=$(printf '{"name":"cluster_cost","published":"%s","step":"%s","row":"%s","query":"?gpus=300000&gpu_price=25000","at_query":"%s","field":[1,400000],"at_field":"%s"}' \
	"$(calc_value)" "$(calc_value gpu_price=35000)" "$(calc_value gpu_price=35000)" \
	"$(calc_value gpus=300000 gpu_price=25000)" "$(calc_value gpus=400000)")
serve "$tmp/wi" serve3
EXPECT=$expect TAG=$TAG timeout 120 node "$top/tests/browser/whatif.mjs" "$chromium" "$tmp/profile2" "${url}en/briefs/charts/"
status=$?
[ $status = 0 ] || echo "not ok - $TAG browser: the what-if driver exited with status $status"
exit 0
