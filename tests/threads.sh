#!/usr/bin/env bash
# Parallel rendering gives the same bytes as one thread. Regression for
# cmark-gfm's global inline-character table: without the parse lock, one
# thread's parser dropped another's autolinks now and then.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq -w 1 48); do
	d=$(printf '%s/content/briefs/2024-01-%02d-b%s' "$tmp" $(( (10#$i % 28) + 1 )) "$i")
	mkdir -p "$d"
	{ printf -- '---\ntitle: B%s\n---\n' "$i"
	  for k in $(seq 1 40); do printf '見 https://example.com/%s/%s 與 www.example.org/%s。\n\n' "$i" "$k" "$k"; done
	} >"$d/zh.md"
	sed 's/^title: B/title: E/' "$d/zh.md" >"$d/en.md"
done
cd "$tmp" || exit 1
"$BRIEFGEN" build --quiet --jobs 1 --out one >/dev/null 2>&1
want=$(cat one/*/briefs/*/index.html | grep -o '<a href="http' | wc -l)
if [ "$want" = $((48 * 2 * 80)) ]; then echo "ok - $TAG threads: every autolink rendered with one thread ($want)"
else echo "not ok - $TAG threads: $want autolinks with one thread, want $((48 * 2 * 80))"; fi
same=1
for run in 1 2 3 4 5; do
	rm -rf many
	"$BRIEFGEN" build --quiet --jobs 8 --out many >/dev/null 2>&1
	diff -rq one many >/dev/null || same=0
done
if [ $same = 1 ]; then echo "ok - $TAG threads: 5 builds on 8 threads are byte-identical to one thread"
else echo "not ok - $TAG threads: a build on 8 threads differs from one thread"; fi
