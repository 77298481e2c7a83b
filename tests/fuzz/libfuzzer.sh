#!/usr/bin/env bash
# tests/fuzz/libfuzzer.sh [SECONDS] [SEED] — builds fuzz_units.c with clang's
# libFuzzer (the generator's objects compiled again with clang and
# -fsanitize=fuzzer-no-link,address,undefined, so libFuzzer sees their
# coverage) and runs it for SECONDS (default 120) from a seed corpus made of
# the real briefs. Crashes land in build/fuzz/art/. Not part of `make test`.
set -eu
secs=${1:-120}
seed=${2:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/fuzz
pkgs="libcmark-gfm lua5.4 libxml-2.0 yaml-0.1 libmicrohttpd jansson glib-2.0"
fl="-g -O1 -std=c17 -D_GNU_SOURCE -DBRIEFGEN_VERSION=\"fuzz\" -DBRIEFGEN_DATADIR=\"$top\" $(pkg-config --cflags $pkgs)"
mkdir -p "$out/obj" "$out/art" "$out/corpus"
for f in "$top"/generator/*.c; do
	b=$(basename "$f" .c)
	[ "$b" = main ] && continue
	# shellcheck disable=SC2086
	[ "$out/obj/$b.o" -nt "$f" ] || clang $fl -fsanitize=fuzzer-no-link,address,undefined -c "$f" -o "$out/obj/$b.o"
done
# shellcheck disable=SC2086
clang $fl -fsanitize=fuzzer,address,undefined -I"$top/generator" "$top/tests/fuzz/fuzz_units.c" \
	"$out"/obj/*.o -o "$out/fuzz_units" $(pkg-config --libs $pkgs) -lcmark-gfm-extensions -lpthread -lm
# Seeds: the first byte picks the target (see fuzz_units.c).
i=0
for f in "$top"/content/briefs/*/*.md "$top"/tests/golden/*/content/briefs/*.md \
	 "$top"/tests/golden/*/content/briefs/*/*.md; do
	[ -f "$f" ] || continue
	{ printf '\000'; head -c 4000 "$f"; } >"$out/corpus/fm$i"
	{ printf '\001'; head -c 6000 "$f"; } >"$out/corpus/md$i"
	{ printf '\002P\024'; head -c 2000 "$f"; } >"$out/corpus/pr$i"
	i=$((i + 1))
done
printf '\003https://briefs.example.org/sub/\nen/briefs/a/index.html\n../../tags/x/#sec%%20a' >"$out/corpus/lc1"
printf '\003https://a.org/\nindex.html\n/x/../../y?q#f' >"$out/corpus/lc2"
printf '\0042024-12-13T10:30:00+08:00' >"$out/corpus/d1"
cd "$out"
exec ./fuzz_units -seed="$seed" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-max_total_time="$secs" -artifact_prefix=art/ -print_final_stats=1 corpus
