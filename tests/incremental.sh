#!/usr/bin/env bash
# incremental.sh — `briefgen serve` renders again only what a change
# touches (DESIGN §10, issue 5 item 3), and the preview it builds is byte for
# byte what `briefgen build` writes. The server logs one line per build:
#   <file> changed; built N pages in T ms: R briefs rendered, U reused
# and every check reads R and U from the line of the build an edit caused.
# Run by tests/run.sh with VARIANT, BRIEFGEN, TOP, TAG. Every wait is
# bounded; the server is killed on exit whatever happens.
#
# The fixture (in a temporary folder) is the real content/ plus the briefs of
# tests/golden/basic (one with an asset, one untranslated, a Jekyll post, a
# draft) and tests/golden/calc (a model across both languages), one brief
# with a render-time warning, and copies of templates/ and lua/ to edit.
AREA=incremental
. "$(dirname "$0")/lib/server.sh"

# ---- the fixture ----------------------------------------------------------------
site=$tmp/site
mkdir -p "$site"
cp -r "$top/content" "$site/"
cp -r "$top/tests/golden/basic/content/briefs/." "$top/tests/golden/calc/content/briefs/." "$site/content/briefs/"
cp -r "$top/templates" "$top/lua" "$site/"
# the patch path first; the search index (a full build each time) at the end
sed -i 's/^  search = true,$/  search = false,/' "$site/content/site.lua"
warned=$site/content/briefs/2024-12-21-warned
mkdir -p "$warned"
printf -- '---\ntitle: 警告\n---\n成本高 3 倍，值 `= x`。\n\n```calc\nx = 2\n```\n' >"$warned/zh.md"
printf -- '---\ntitle: Warned\n---\nThe value is `= x`.\n' >"$warned/en.md"
first=$site/content/briefs/2024-12-13-first
model=$site/content/briefs/2024-12-13-model
nbriefs=$(( $(ls -d "$site"/content/briefs/*/ | wc -l) + 1 ))  # bundles, the Jekyll post (not the draft)

err=$tmp/serve.err
"$bg" serve "$site" --port 0 --mirror "$tmp/mirror" >"$tmp/serve.out" 2>"$err" &
pids+=($!)
if ! wait_for 60 grep -q '^serving .* at http://' "$tmp/serve.out"; then
	bad "server starts"; sed 's/^/#   /' "$err" | head -20
	exit 0
fi
url=$(sed -n 's/^serving .* at \(http:[^ ]*\).*/\1/p' "$tmp/serve.out" | head -1)
url=${url%/}
served() { echo "$tmp/mirror"; }

# The build lines of the log, one per build, good or failed.
builds() { grep -E 'built [0-9]+ pages in [0-9]+ ms|build failed' "$err"; }
nbuilds() { builds | wc -l; }
more_builds() { [ "$(nbuilds)" -gt "$1" ]; }
# edit COMMAND...: runs it, waits for the build it causes; $line is that
# build's log line (the first one after the edit)
edit() {
	local n; n=$(nbuilds)
	"$@"
	line=""
	if wait_for 20 more_builds "$n"; then
		line=$(builds | sed -n "$((n + 1))p")
	fi
}
# counts R U: the last build rendered R briefs and reused U
counts() {
	case $line in
	*": $1 brief rendered, $2 reused"|*": $1 briefs rendered, $2 reused"|*": $1 brief rendered, $2 reused; "*|*": $1 briefs rendered, $2 reused; "*) return 0 ;;
	esac
	echo "build line: ${line:-none (no build within 20 s)}"; return 1
}
# patched: the last build was the fast path (site_patch); full: a good full build
patched() { case $line in *" built "*"; listings unchanged"*) return 0 ;; esac; echo "build line: ${line:-none}"; return 1; }
full() {
	case $line in *"; listings unchanged"*) ;; *" built "*) return 0 ;; esac
	echo "build line: ${line:-none}"; return 1
}
page() { cget "$url$1"; }                         # page PATH: the served page (with the live script)
page_has() { page "$1" | grep -q -- "$2"; }       # page_has PATH TEXT
home_has() { page_has "/$1/" "$2" || page_has "/$1/page/2/" "$2"; }
# same_as_build: the served folder is byte for byte a fresh `briefgen build`
same_as_build() {
	rm -rf "$tmp/fresh"
	(cd "$site" && "$bg" build --quiet --out "$tmp/fresh") >"$tmp/fresh.log" 2>&1
	diff -r "$tmp/fresh" "$(served)"
}

wait_for 20 more_builds 0
line=$(builds | head -1)
check "first build renders every brief ($nbriefs)" counts "$nbriefs" 0
check "first build: the preview equals briefgen build" same_as_build
check "a render-time warning is reported on the first build" grep -q "warned/zh.md:4: warning: '3 倍'" "$err"

# ---- content ------------------------------------------------------------------------
edit sed -i 's/^title: "First: <Title> & escaping"/title: "First EDITED-ONE"/' "$first/en.md"
check "edit one brief: 1 rendered, the other $((nbriefs - 1)) reused" counts 1 $((nbriefs - 1))
check "edit one brief: its page shows the change" page_has /en/briefs/first/ 'First EDITED-ONE'
check "edit one brief: the home page lists the new title" home_has en 'First EDITED-ONE'
check "edit one brief: the feed has the new title" page_has /en/feed.xml 'First EDITED-ONE'
check "edit a title: a full build (listings show titles), not a patch" full

# token_ratio is defined in en.md and cited in both languages
edit sed -i 's/^token_ratio = 11 /token_ratio = 13 /' "$model/en.md"
check "edit a calc input in one language: 1 rendered" counts 1 $((nbriefs - 1))
check "edit a calc input: numbers.json has the new formula" bash -c "cget '$url/briefs/model/numbers.json' | grep -q '\"formula\": \"13\"'"
check "edit a calc input: the edited (en) page shows the new value" bash -c "cget '$url/en/briefs/model/' | grep -q '>13.0<'"
check "edit a calc input: the other language's page shows it too" bash -c "cget '$url/zh/briefs/model/' | grep -q '>13.0<'"
check "edit a calc input: the site's numbers.json has it" bash -c "cget '$url/numbers.json' | grep -q '\"formula\": \"13\"'"
check "edit a calc input: and numbers.csv" bash -c "cget '$url/numbers.csv' | grep -q '^model,token_ratio,input,13,'"
check "edit a calc input: the served site is a fresh build's" same_as_build
# a sentence added at the end: the model's numbers.json is what it was, so the
# site's numbers.json and numbers.csv are kept from the last build, not remade
edit sh -c "printf '\nOne more sentence, PROSE-ONLY.\n' >>'$model/en.md'"
check "edit the prose of a calc brief: 1 rendered" counts 1 $((nbriefs - 1))
check "edit the prose of a calc brief: by the fast path" patched
check "edit the prose of a calc brief: its page shows it" page_has /en/briefs/model/ 'PROSE-ONLY'
check "edit the prose of a calc brief: the served site is a fresh build's" same_as_build
# a value no listing shows (big is cited below the summary): the fast path,
# which must make the site's numbers.json and numbers.csv again
edit sed -i 's/^big         = 1.2e12 \* USD/big         = 1.3e12 * USD/' "$model/en.md"
check "edit a value below the summary: 1 rendered" counts 1 $((nbriefs - 1))
check "edit a value below the summary: by the fast path" patched
check "edit a value below the summary: the site's numbers.json has it" bash -c "cget '$url/numbers.json' | grep -q '\"formula\": \"1.3e12 \* USD\"'"
check "edit a value below the summary: and numbers.csv" bash -c "cget '$url/numbers.csv' | grep -q '^model,big,input,1300000000000,'"
check "edit a value below the summary: the served site is a fresh build's" same_as_build

# The Simplified edition follows its Traditional file (docs/zh-hans.md).
hans=$site/content/briefs/2024-12-13-reasoning-cost
edit sh -c "printf '\n伺服器記憶體的新一句。\n' >>'$hans/zh.md'"
check "edit a Traditional file: 1 rendered" counts 1 $((nbriefs - 1))
check "... its Simplified page shows the change, converted" page_has /zh-hans/briefs/reasoning-cost/ '服务器内存的新一句。'
check "... the Traditional page as written" page_has /zh/briefs/reasoning-cost/ '伺服器記憶體的新一句。'
check "... the served site is a fresh build's" same_as_build

edit sh -c "echo 'Second edit.' >>'$first/zh.md'; echo 'Another edit.' >>'$site/content/briefs/2024-12-20-second/en.md'"
check "edit two briefs at once: 2 rendered" counts 2 $((nbriefs - 2))

warnings=$(grep -c "warned/zh.md:4: warning" "$err")
edit sed -i 's/Analysis/Analysis, again/' "$first/en.md"
check "a reused brief's warning is not printed again" test "$(grep -c "warned/zh.md:4: warning" "$err")" = "$warnings"
check "... the build line says it still stands" grep -q '; [0-9]* earlier warnings\? still stands\?$' <<<"$line"
edit sh -c "echo 'More text.' >>'$warned/zh.md'"
check "an edited brief's warning is printed again" test "$(grep -c "warned/zh.md:4: warning" "$err")" -gt "$warnings"

cp "$first/data.csv" "$tmp/data.csv"
edit sh -c "printf 'a,b\n3,4\n' >'$first/data.csv'"
check "edit an asset: no brief rendered" counts 0 "$nbriefs"
check "edit an asset: the new bytes are served in both languages" bash -c "
	cget '$url/en/briefs/first/data.csv' | grep -q '^3,4' && cget '$url/zh/briefs/first/data.csv' | grep -q '^3,4'"

mkdir -p "$tmp/new/2024-12-22-added"
printf -- '---\ntitle: 新增\n---\n新的簡報。\n' >"$tmp/new/2024-12-22-added/zh.md"
printf -- '---\ntitle: Added brief\n---\nA new brief.\n' >"$tmp/new/2024-12-22-added/en.md"
edit mv "$tmp/new/2024-12-22-added" "$site/content/briefs/"
nbriefs=$((nbriefs + 1))
check "add a brief: 1 rendered, the others reused" counts 1 $((nbriefs - 1))
check "add a brief: its pages in both languages" bash -c "
	cget '$url/en/briefs/added/' | grep -q 'A new brief' && cget '$url/zh/briefs/added/' | grep -q '新的簡報'"
check "add a brief: listed on the home page" home_has en 'Added brief'

edit rm -r "$site/content/briefs/2024-12-22-added"
nbriefs=$((nbriefs - 1))
check "delete a brief: nothing rendered" counts 0 "$nbriefs"
check "delete a brief: its pages are gone (404)" bash -c "
	test \"\$(cget -o /dev/null -w '%{http_code}' '$url/en/briefs/added/')\" = 404 &&
	test \"\$(cget -o /dev/null -w '%{http_code}' '$url/zh/briefs/added/')\" = 404"
check "delete a brief: no longer on the home page" bash -c "! { cget '$url/en/'; cget '$url/en/page/2/'; } | grep -q 'Added brief'"
check "after content edits: the preview equals briefgen build" same_as_build

# ---- one model across briefs: a brief citing another's value -------------------------
mkdir -p "$tmp/new/2024-12-22-citer"
printf -- '---\ntitle: 引用\n---\n倍數 `= ratio | .1f`。\n\n```calc\nratio = @model.token_ratio -- 倍數 | multiple\n```\n' >"$tmp/new/2024-12-22-citer/zh.md"
printf -- '---\ntitle: Citer\n---\nMultiple `= ratio | .1f`.\n' >"$tmp/new/2024-12-22-citer/en.md"
edit mv "$tmp/new/2024-12-22-citer" "$site/content/briefs/"
nbriefs=$((nbriefs + 1))
check "add a brief citing another: 1 rendered" counts 1 $((nbriefs - 1))
check "... it shows the cited value" page_has /en/briefs/citer/ '>13.0<'
check "... its row links to the value's row on the cited brief's page, in its language" bash -c "
	cget '$url/en/briefs/citer/' | grep -q 'href=\"/en/briefs/model/#calc-token_ratio\"' &&
	cget '$url/zh/briefs/citer/' | grep -q 'href=\"/zh/briefs/model/#calc-token_ratio\"'"
edit sed -i 's/^token_ratio = 13 /token_ratio = 14 /' "$model/en.md"
check "edit the cited value: the cited and the citing brief rendered" counts 2 $((nbriefs - 2))
check "... the citing brief shows the new value" page_has /en/briefs/citer/ '>14.0<'
edit sed -i 's/^Big: /Big values: /' "$model/en.md"
check "edit the cited brief's text only: the citing brief is reused" counts 1 $((nbriefs - 1))
check "with a citation: the preview equals briefgen build" same_as_build
edit sed -i 's/^ratio = @model.token_ratio /ratio = @citer.ratio /' "$site/content/briefs/2024-12-22-citer/zh.md"
check "a brief citing itself: the build fails, naming the place" \
	grep -q "citer/zh.md:7:9: error: '@citer.ratio' cites this brief itself; write 'ratio' instead" "$err"
edit rm -r "$site/content/briefs/2024-12-22-citer"
nbriefs=$((nbriefs - 1))
check "the citing brief deleted: a good build again" bash -c "grep -q ' built ' <<<'$line'"

# ---- a standalone page (content/pages/): every page's footer lists it -------------------
edit sed -i 's/^linkTitle: "Methodology"/linkTitle: "How we compute"/' "$site/content/pages/methodology/en.md"
check "edit a standalone page's link title: a brief's footer shows it" page_has /en/briefs/first/ 'How we compute'
check "... the home page's footer too" page_has /en/ 'How we compute'
check "with a standalone page edited: the preview equals briefgen build" same_as_build

# ---- the fast path: an edit that changes nothing other pages show --------------------
edit sh -c "echo 'A PATCHED-PARAGRAPH at the end.' >>'$first/en.md'"
check "a body edit is patched: only its pages change" patched
check "... one brief rendered" counts 1 $((nbriefs - 1))
check "... its page shows it" page_has /en/briefs/first/ PATCHED-PARAGRAPH
check "... the full-content feed that carries it shows it" page_has /en/feed.xml PATCHED-PARAGRAPH
check "a patched preview equals briefgen build" same_as_build
edit sh -c "echo 'A second PATCHED-TWICE paragraph.' >>'$first/en.md'"
check "a second patch over the first" patched
edit sh -c "printf '\n## A NEW-SECTION\n\nText.\n' >>'$first/en.md'"
check "a new heading (a new id other pages may link to): a full build" full
check "... the page shows it" page_has /en/briefs/first/ NEW-SECTION
edit sh -c "echo 'See [nowhere](../no-such-brief/).' >>'$first/en.md'"
check "a body edit with a broken link: the full build fails" bash -c "echo '$line' | grep -q 'build failed'"
check "... naming the line of the link" bash -c "grep -q \"first/en.md:[0-9]*:[0-9]*: error: broken link '../no-such-brief/'\" '$err'"
edit sed -i '/no-such-brief/d' "$first/en.md"
check "fixed after a failed build: a full build" full
edit sh -c "echo 'PATCH-AFTER-FIX.' >>'$first/en.md'"
check "then the fast path again" patched
edit sed -i 's/^title: Warned$/title: Warned\ndraft: true/' "$warned/en.md"
check "a brief made a draft: a full build" full
check "... its English page is gone (404)" \
	test "$(cget -o /dev/null -w '%{http_code}' "$url/en/briefs/warned/")" = 404
edit sed -i '/^draft: true$/d' "$warned/en.md"
check "... and back" page_has /en/briefs/warned/ 'The value is'
edit sh -c "echo 'PATCH-TWO-A.' >>'$first/zh.md'; echo 'PATCH-TWO-B.' >>'$model/zh.md'"
check "two briefs patched at once" patched
check "... both rendered" counts 2 $((nbriefs - 2))
check "after the patches: the preview equals briefgen build" same_as_build

# a link into a brief that goes away: the unchanged page that links to it is
# checked again (the link check keeps what it found for unchanged pages)
mkdir -p "$tmp/new/2024-12-23-target"
printf -- '---\ntitle: 目標\n---\n目標。\n' >"$tmp/new/2024-12-23-target/zh.md"
printf -- '---\ntitle: Target\n---\nThe target.\n' >"$tmp/new/2024-12-23-target/en.md"
edit sh -c "mv '$tmp/new/2024-12-23-target' '$site/content/briefs/' && echo 'See [the target](../target/).' >>'$first/en.md'"
check "a new link to a new brief: the build is good" bash -c "echo '$line' | grep -q '^.*built '"
edit mv "$site/content/briefs/2024-12-23-target" "$tmp/new/"
check "the linked brief goes away: the page linking to it (not edited) reports the broken link" \
	bash -c "echo '$line' | grep -q 'build failed' && grep -q \"broken link '../target/' on page '/en/briefs/first/'\" '$err'"
edit mv "$tmp/new/2024-12-23-target" "$site/content/briefs/"
check "it comes back: the build is good again" bash -c "echo '$line' | grep -q ' built '"
edit sh -c "rm -r '$site/content/briefs/2024-12-23-target' && sed -i '/the target/d' '$first/en.md'"
check "after the link round trip: the preview equals briefgen build" same_as_build

# ---- a brief that fails to render, then is fixed --------------------------------------
cp "$model/en.md" "$tmp/model-en.md"
edit sh -c "printf '\n\`= no_such_name\`\n' >>'$model/en.md'"
check "a calc error fails the build" bash -c "echo '$line' | grep -q 'build failed'"
edit cp "$tmp/model-en.md" "$model/en.md"
check "fixed: the brief that failed is rendered again, the rest reused" counts 1 $((nbriefs - 1))
check "fixed: the preview equals briefgen build" same_as_build

# ---- templates ------------------------------------------------------------------------
# A theme that does not compile fails the build; the kept engines (compiled
# from the old theme) must not stand in for it, and once it compiles again
# the new bytes are what renders.
cp "$site/templates/brief.html" "$tmp/brief.html"
edit sh -c "printf '<%% end %%>\n' >>'$site/templates/brief.html'"
check "a template that does not compile fails the build" bash -c "echo '$line' | grep -q 'build failed'"
# (written beside, then renamed, as editors save: a half-written template is not an edit)
edit sh -c "sed 's|</article>|</article><p>BACK-TPL</p>|' '$tmp/brief.html' >'$tmp/b.html' && mv '$tmp/b.html' '$site/templates/brief.html'"
check "fixed template: the build is good, brief pages show the fixed bytes" page_has /en/briefs/first/ BACK-TPL
edit sh -c "cp '$tmp/brief.html' '$tmp/b.html' && mv '$tmp/b.html' '$site/templates/brief.html'"
check "template as it was: the preview equals briefgen build" same_as_build

warnings=$(grep -c "warned/zh.md:4: warning" "$err")
edit sed -i 's|</article>|</article><p>BRIEF-TPL-EDIT</p>|' "$site/templates/brief.html"
# Only the theme changed: bodies and calc come from the last render, the
# pages go through the templates again; what the body said is said again, once.
check "edit brief.html: a body warning of a brief rendered again is printed once more" \
	test "$(grep -c "warned/zh.md:4: warning" "$err")" = "$((warnings + 1))"
check "edit brief.html: every brief rendered" counts "$nbriefs" 0
check "edit brief.html: brief pages show it" page_has /zh/briefs/model/ BRIEF-TPL-EDIT
grep -q BRIEF-TPL-EDIT "$site/templates/brief.html" || bad "templates/brief.html has no </article> to edit"

edit sed -i 's|</section>|</section><p>HOME-TPL-EDIT</p>|' "$site/templates/home.html"
check "edit home.html: no brief rendered (brief pages do not use it)" counts 0 "$nbriefs"
check "edit home.html: the home page shows it" page_has /en/ HOME-TPL-EDIT

edit sh -c "echo '<!-- ENTRIES-PARTIAL-EDIT -->' >>'$site/templates/partials/entries.html'"
check "edit a partial only listings use: no brief rendered" counts 0 "$nbriefs"
check "edit a partial only listings use: listings show it" page_has /zh/ ENTRIES-PARTIAL-EDIT

edit sh -c "echo '<!-- META-PARTIAL-EDIT -->' >>'$site/templates/partials/meta.html'"
check "edit a partial brief pages use: every brief rendered" counts "$nbriefs" 0
check "edit a partial brief pages use: brief pages show it" page_has /en/briefs/first/ META-PARTIAL-EDIT

edit sed -i 's|</body>|<p>BASE-TPL-EDIT</p></body>|' "$site/templates/base.html"
check "edit base.html: every brief rendered" counts "$nbriefs" 0
check "edit base.html: brief pages and the home show it" bash -c "
	cget '$url/en/briefs/first/' | grep -q BASE-TPL-EDIT && cget '$url/zh/' | grep -q BASE-TPL-EDIT"

edit sh -c "echo '-- edited' >>'$site/templates/i18n/en.lua'"
check "edit the theme's interface strings: every brief rendered" counts "$nbriefs" 0

# ---- build-wide inputs -------------------------------------------------------------------
edit sed -i 's/briefgen Compute Briefs/briefgen Compute Briefs SITE-EDIT/' "$site/content/site.lua"
check "edit site.lua: every brief rendered" counts "$nbriefs" 0
check "edit site.lua: brief pages show the new site title" page_has /en/briefs/first/ 'SITE-EDIT'

edit sh -c "echo '-- edited' >>'$site/lua/units.lua'"
check "edit a file in lua/: every brief rendered" counts "$nbriefs" 0

# A lua/template.lua that does not record the templates a page used (an
# older copy in ROOT/lua): every template edit renders every brief.
edit sed -i '/if self.used then self.used\[key\] = true end/d' "$site/lua/template.lua"
check "an engine without the template record: every brief rendered (lua/ changed)" counts "$nbriefs" 0
grep -q 'self.used\[key\]' "$site/lua/template.lua" && bad "the record is still in the fixture's lua/template.lua"
edit sed -i 's|HOME-TPL-EDIT|HOME-TPL-EDIT-2|' "$site/templates/home.html"
check "without the record, an edit to any template renders every brief" counts "$nbriefs" 0

edit touch "$first/en.md"
check "touch without a change: nothing rendered" counts 0 "$nbriefs"

# With the search index on, an edit is a full build over the caches: the
# index holds every page's words (docs/search.md).
edit sed -i 's/^  search = false,$/  search = true,/' "$site/content/site.lua"
check "search on: every brief rendered (site.lua changed)" counts "$nbriefs" 0
edit sh -c "printf '\nSearchable ZQXWORD here.\n' >>'$first/en.md'"
check "search on: a body edit renders 1 brief" counts 1 $((nbriefs - 1))
check "... in a full build, not a patch" full
check "search on: the index has the new word" bash -c "cget '$url/en/search/meta.json' >/dev/null && cat '$(served)'/en/search/t-*.json | grep -q 'Searchable ZQXWORD here.'"
check "after every edit: the preview equals briefgen build" same_as_build
check "the files on disk carry no live-reload script" bash -c "! grep -rl 'briefgen-live' '$(served)'"
kill -INT "${pids[0]}"
wait_for 20 bash -c "! kill -0 ${pids[0]}"
check "SIGINT: the server stops" bash -c "! kill -0 ${pids[0]}"
check "no sanitizer report in the server's output (leaks included)" bash -c "! grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' '$err'"
exit 0
