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
printf 'return { base_url = "https://example.test/" }\n' >"$tmp/content/site.lua"
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

# The content scan reads entries on the pool when there are many (64 or
# more): the briefs, their order and every message are those of one thread.
scan=$tmp/scan
for i in $(seq 1 130); do
	d=$(printf '%s/content/briefs/2024-02-%02d-s%03d' "$scan" $(( i % 28 + 1 )) "$i")
	mkdir -p "$d"
	printf -- '---\ntitle: S%s\n---\n正文 %s。\n' "$i" "$i" >"$d/zh.md"
	[ $((i % 3)) = 0 ] && printf -- '---\ntitle: S%s\n---\nText %s.\n' "$i" "$i" >"$d/en.md"
	[ $((i % 7)) = 0 ] && printf -- 'Bonjour.\n' >"$d/fr.md"               # a warning: not a configured language
	[ $((i % 11)) = 0 ] && printf -- '---\ntitle: D\ndraft: true\n---\nx\n' >"$d/en.md"
done
printf -- '---\ntitle: P\nlang: en\n---\nA post.\n' >"$scan/content/briefs/2024-03-01-post.md"
printf 'return { base_url = "https://example.test/" }\n' >"$scan/content/site.lua"
cd "$scan" || exit 1
"$BRIEFGEN" build --verbose --jobs 1 --out one >one.out 2>one.err; echo $? >one.rc
same=1
for run in 1 2 3; do
	rm -rf many
	"$BRIEFGEN" build --verbose --jobs 8 --out many >many.out 2>many.err; echo $? >many.rc
	sed -i "s|many|one|g" many.err many.out
	{ diff -rq one many && cmp -s one.err many.err && cmp -s one.rc many.rc; } >/dev/null || same=0
done
n=$(grep -c "is not a configured language" one.err)
if [ $same = 1 ] && [ "$n" = 18 ]; then echo "ok - $TAG threads: the content scan on 8 threads gives one thread's tree and messages ($n warnings)"
else echo "not ok - $TAG threads: the content scan on 8 threads differs from one thread (or $n warnings, want 18)"; fi
# an error among many entries: the same messages, the same exit status
printf -- '---\ntitle: [unclosed\n---\nx\n' >"$scan/content/briefs/2024-02-15-s070/zh.md"
"$BRIEFGEN" build --jobs 1 --out one >/dev/null 2>one.err; echo $? >one.rc
same=1
for run in 1 2 3; do
	"$BRIEFGEN" build --jobs 8 --out many >/dev/null 2>many.err; echo $? >many.rc
	sed -i "s|many|one|g" many.err
	{ cmp -s one.err many.err && cmp -s one.rc many.rc; } || same=0
done
if [ $same = 1 ] && grep -q "s070/zh.md:3:1: error: malformed front matter" one.err && [ "$(cat one.rc)" != 0 ]; then
	echo "ok - $TAG threads: a front-matter error among many entries is reported the same on 8 threads"
else echo "not ok - $TAG threads: errors differ between 1 and 8 threads"; sed 's/^/#   /' one.err | head -5; fi
