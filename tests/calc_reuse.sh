#!/usr/bin/env bash
# One Lua state per worker serves every brief it renders: what a brief's
# formulas do stays in that brief. Quantities are immutable (changing a unit
# constant is an error: tests/invalid/calc-quantity-immutable), so brief A
# does what a formula still can with the constants it reads: pins them to
# other units and builds values on them; brief B, evaluated after A in the
# same worker (--jobs 1), gives the same bytes as when it is evaluated
# before A, and as when it is alone.
# Env from tests/run.sh: BRIEFGEN, TAG.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok()  { echo "ok - $TAG calc-reuse: $*"; }
bad() { echo "not ok - $TAG calc-reuse: $*"; }

# write_a DATE: brief A, whose formulas change what they can reach
write_a() {
	mkdir -p "$1/content/briefs/$2-a"
	cat >"$1/content/briefs/$2-a/en.md" <<'MD'
---
title: A
---
A pins its constants: `= hack`, then `= after` and `= power`.

```calc
hack  = GW:to("MW") / MW + (5000 * USD / chip):to("USD/chip") / (USD / chip)
after = hack * 2 * chip:to("chip")
power = 3 * GW:to("kW") + 0 * GW
```
MD
}
write_b() {
	mkdir -p "$1/content/briefs/$2-b"
	cat >"$1/content/briefs/$2-b/en.md" <<'MD'
---
title: B
---
B: `= bill`, `= per_chip`, `= power`, `= share | pct`.

```calc
chips    = 400000 * chip
per_chip = 5000 * USD / chip
bill     = chips * per_chip
power    = 2 * GW
share    = 70 * percent
```
MD
}
site=$tmp/site.lua
echo 'return { base_url = "https://example.org/" }' >"$site"
for c in first last alone; do mkdir -p "$tmp/$c/content"; cp "$site" "$tmp/$c/content/site.lua"; done
write_a "$tmp/first" 2024-12-14; write_b "$tmp/first" 2024-12-13   # newest first: A, then B
write_a "$tmp/last" 2024-12-12;  write_b "$tmp/last" 2024-12-13    # B, then A
write_b "$tmp/alone" 2024-12-13
for c in first last alone; do
	(cd "$tmp/$c" && NO_COLOR=1 "$BRIEFGEN" build --quiet --jobs 1 --out out) >"$tmp/$c.err" 2>&1 ||
		{ bad "build '$c' failed"; sed 's/^/#   /' "$tmp/$c.err"; }
done
b() { grep -o 'calc-value[^>]*>[^<]*</a>\|<span class="calc-num">[^<]*</span>' "$1/out/en/briefs/b/index.html"; }
# numbers.json without "file" (it holds the folder, whose date sets the order)
nums() { grep -v '"file":' "$1/out/briefs/$2/numbers.json"; }
if [ -f "$tmp/alone/out/briefs/b/numbers.json" ] && grep -q '>\$2 billion</a>' "$tmp/alone/out/en/briefs/b/index.html"; then
	ok "B alone: \$2 billion"
else
	bad "B alone did not build as expected"
fi
for c in first last; do
	if [ "$(nums "$tmp/$c" b)" = "$(nums "$tmp/alone" b)" ] &&
	   [ "$(b "$tmp/$c")" = "$(b "$tmp/alone")" ]; then
		ok "B with A evaluated $c in the same worker: numbers.json and values as B alone"
	else
		bad "B with A evaluated $c differs from B alone"
		diff <(nums "$tmp/alone" b) <(nums "$tmp/$c" b) | head -10 | sed 's/^/#   /'
	fi
done
if [ -f "$tmp/first/out/briefs/a/numbers.json" ] && [ "$(nums "$tmp/first" a)" = "$(nums "$tmp/last" a)" ]; then
	ok "A gives the same numbers.json whichever brief came before it"
else
	bad "A's numbers.json depends on the order"
fi
