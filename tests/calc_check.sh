#!/usr/bin/env bash
# Cross-language check: names cited in one language only, and literal
# numbers that look like computed results; `check`, `check --strict` and
# `build --strict`. Env from tests/run.sh: BRIEFGEN, TAG.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok()  { echo "ok - $TAG calc-check: $*"; }
bad() { echo "not ok - $TAG calc-check: $*"; }
t() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }

d="$tmp/content/briefs/2024-12-13-x"
mkdir -p "$d"
cat >"$d/zh.md" <<'MD'
---
title: 測試
---
```calc
a = 2 * 3 -- 六 | six | assumption
```

倍數是 `= a | x`，大約 50倍，成長 70%。
MD
cat >"$d/en.md" <<'MD'
---
title: Test
---
The value is six, not cited here; a 4x4x4 torus and an MI300X are names, 2018 is a year.
MD
printf 'return { base_url = "https://example.test/" }\n' >"$tmp/content/site.lua"
cd "$tmp" || exit 1
NO_COLOR=1 "$BRIEFGEN" check >out.txt 2>err.txt
t "check exits 0 when there are only warnings" test $? = 0
cat >want.txt <<'EOF2'
content/briefs/2024-12-13-x/zh.md:8:8: warning: 'a' is cited in 'zh' but not in 'en'
content/briefs/2024-12-13-x/zh.md:8: warning: '50倍' looks like a computed result typed as a literal; cite a calc value (`= name`) instead
content/briefs/2024-12-13-x/zh.md:8: warning: '70%' looks like a computed result typed as a literal; cite a calc value (`= name`) instead
0 errors, 3 warnings
EOF2
if diff want.txt err.txt >diff.txt; then ok "check lists exactly the three warnings"; else bad "check output differs"; sed 's/^/#   /' diff.txt; fi
NO_COLOR=1 "$BRIEFGEN" check --strict >/dev/null 2>&1
t "check --strict exits 1 on warnings" test $? = 1
t "check never writes site/" test ! -e site
NO_COLOR=1 "$BRIEFGEN" build --strict >/dev/null 2>err2.txt
t "build --strict exits 1 on warnings" test $? = 1
t "build --strict leaves no site/" test ! -e site
t "build --strict says why" grep -q 'build failed: 3 warnings with --strict' err2.txt
NO_COLOR=1 "$BRIEFGEN" build --quiet >/dev/null 2>&1
t "plain build succeeds with warnings" test -f site/zh/briefs/x/index.html
