#!/usr/bin/env bash
# tests/fuzz/corpus.sh DIR — writes the libFuzzer seed corpus into DIR: the
# inputs kept in tests/fuzz/seeds/ and, from the real briefs and the golden
# sites, front matter, Markdown and prose inputs. The first byte of each
# input picks the target (see fuzz_units.c). Same tree, same corpus.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
mkdir -p "$dir"
cp "$top"/tests/fuzz/seeds/* "$dir/"
i=0
for f in "$top"/content/briefs/*/*.md "$top"/tests/golden/*/content/briefs/*.md \
	 "$top"/tests/golden/*/content/briefs/*/*.md; do
	[ -f "$f" ] || continue
	{ printf '\000'; head -c 4000 "$f"; } >"$dir/fm$i"
	{ printf '\001'; head -c 6000 "$f"; } >"$dir/md$i"
	{ printf '\002P\024'; head -c 2000 "$f"; } >"$dir/pr$i"
	i=$((i + 1))
done
j=0
for f in "$top"/tests/golden/*/expected/index.html "$top"/tests/golden/*/expected/en/briefs/*/index.html; do
	[ -f "$f" ] || continue
	{ printf '\007'; head -c 20000 "$f"; } >"$dir/ht$j"
	j=$((j + 1))
done
printf '\003https://briefs.example.org/sub/\nen/briefs/a/index.html\n../../tags/x/#sec%%20a' >"$dir/lc1"
printf '\003https://a.org/\nindex.html\n/x/../../y?q#f' >"$dir/lc2"
printf '\0042024-12-13T10:30:00+08:00' >"$dir/d1"
