#!/usr/bin/env bash
# validate.sh — every page of the site's own content passes the Nu HTML
# checker (vnu), html-validate with its recommended rules, and axe-core
# (WCAG 2.1 A/AA) in headless Chromium over HTTP. The tools come from npm
# (pinned versions, installed once into build/validators; vnu needs a Java
# runtime from Debian); without them the checks are skipped, never passed.
# Run by tests/run.sh with VARIANT, BRIEFGEN, TOP, TAG.
set -u
TAG=${TAG:-[validate]}
bg=${BRIEFGEN:?}
top=${TOP:?}
tools=$top/build/validators
skip() { echo "skip - $TAG validate: $*"; exit 0; }
[ "${VARIANT:-}" = release ] || skip "the validators check the release build's pages (same bytes)"
command -v node >/dev/null || skip "node is not installed"
if [ "$(node -p "require('$tools/node_modules/html-validate/package.json').version" 2>/dev/null)" != 9.7.1 ] || [ ! -f "$tools/node_modules/axe-core/axe.min.js" ] || [ ! -f "$tools/node_modules/vnu-jar/build/dist/vnu.jar" ] ||
   [ ! -f "$tools/node_modules/html-validate/bin/html-validate.mjs" ]; then
	mkdir -p "$tools"
	(cd "$tools" && timeout 300 npm install --no-audit --no-fund --ignore-scripts --no-save \
		vnu-jar@26.9.27 html-validate@9.7.1 axe-core@4.14.1) >"$tools/npm.log" 2>&1 ||
		skip "npm could not install vnu-jar, html-validate, axe-core (see $tools/npm.log)"
fi
tmp=$(mktemp -d)
srv=
cleanup() { [ -n "$srv" ] && { kill -9 "$srv"; wait "$srv"; } 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
(cd "$top" && "$bg" build --quiet --out "$tmp/site") 2>"$tmp/build.err" || { echo "not ok - $TAG validate: the site builds"; exit 0; }
mapfile -t pages < <(cd "$tmp/site" && find . -name '*.html' | sed 's|^\./||' | sort)

if command -v java >/dev/null; then
	(cd "$tmp/site" && java -jar "$tools/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only "${pages[@]}") >"$tmp/vnu" 2>&1
	if [ $? = 0 ] && [ ! -s "$tmp/vnu" ]; then echo "ok - $TAG validate: vnu: ${#pages[@]} pages, no error"
	else echo "not ok - $TAG validate: vnu reports errors"; sed 's/^/#   /' "$tmp/vnu" | head -20; fi
else
	echo "skip - $TAG validate: vnu needs a Java runtime (default-jre-headless)"
fi

echo '{"extends": ["html-validate:recommended"]}' >"$tmp/site/.htmlvalidate.json"
(cd "$tmp/site" && node "$tools/node_modules/html-validate/bin/html-validate.mjs" "${pages[@]}") >"$tmp/hv" 2>&1
if [ $? = 0 ]; then echo "ok - $TAG validate: html-validate (recommended): ${#pages[@]} pages, no error"
else echo "not ok - $TAG validate: html-validate reports errors"; sed 's/^/#   /' "$tmp/hv" | head -20; fi

chromium=$(command -v chromium || true)
[ -n "$chromium" ] || skip "axe: chromium is not installed"
"$bg" serve "$top" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
srv=$!
for _ in $(seq 300); do grep -q '^serving .* at http://' "$tmp/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^serving .* at \(http:[^ ]*\).*/\1/p' "$tmp/serve.out" | head -1)
[ -n "$url" ] || { echo "not ok - $TAG validate: the server starts"; exit 0; }
all=() main=()
for p in "${pages[@]}"; do
	case $p in index.html | 404.html) continue ;; esac # the redirect and the 404 page: below
	u="$url${p%index.html}"
	all+=("$u")
	case $p in */briefs/*/index.html | zh/index.html | en/index.html) main+=("$u") ;; esac
done
all+=("${url}404.html")
# every page at desktop width; briefs and homes also on a phone and in dark mode
TAG=$TAG VIEWS=1280 timeout 600 node "$top/tests/browser/axe.mjs" "$chromium" "$tmp/profile" \
	"$tools/node_modules/axe-core/axe.min.js" "${all[@]}" | grep -v '^#   \['
TAG=$TAG VIEWS=390,1280d timeout 600 node "$top/tests/browser/axe.mjs" "$chromium" "$tmp/profile" \
	"$tools/node_modules/axe-core/axe.min.js" "${main[@]}" | grep -v '^#   \['
exit 0
