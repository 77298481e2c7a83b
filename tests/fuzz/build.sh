#!/usr/bin/env bash
# tests/fuzz/build.sh — compiles fuzz_units.c with clang's libFuzzer into
# build/fuzz/fuzz_units: the generator's objects are compiled again with
# clang and -fsanitize=fuzzer-no-link,address,undefined (into
# build/fuzz/obj/, so libFuzzer sees their coverage). An object is rebuilt
# when its source or any header of generator/ is newer. Used by
# libfuzzer.sh and short.sh. Exits 1 when clang cannot build it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" # calcfast.c includes lua/*.lua by paths from the top (.incbin)
out=$top/build/fuzz
pkgs=$(make -s --no-print-directory -C "$top" print-pkgs) # the Makefile's list, the one home of it
fl="-g -O1 -std=c17 -D_GNU_SOURCE -DBRIEFGEN_VERSION=\"fuzz\" -DBRIEFGEN_DATADIR=\"$top\" $(pkg-config --cflags $pkgs)"
mkdir -p "$out/obj"
newest_h=$(ls -t "$top"/generator/*.h | head -1)
for f in "$top"/generator/*.c; do
	b=$(basename "$f" .c)
	[ "$b" = main ] && continue
	o=$out/obj/$b.o
	if [ ! "$o" -nt "$f" ] || [ ! "$o" -nt "$newest_h" ]; then
		# shellcheck disable=SC2086
		clang $fl -fsanitize=fuzzer-no-link,address,undefined -c "$f" -o "$o"
	fi
done
# objects of sources that are gone
for o in "$out"/obj/*.o; do [ -f "$top/generator/$(basename "$o" .o).c" ] || rm -f "$o"; done
bin=$out/fuzz_units
if [ -f "$bin" ] && [ "$bin" -nt "$top/tests/fuzz/fuzz_units.c" ] && [ "$bin" -nt "$newest_h" ] &&
   [ -z "$(find "$out/obj" -name '*.o' -newer "$bin")" ]; then
	exit 0
fi
# shellcheck disable=SC2086
clang $fl -fsanitize=fuzzer,address,undefined -I"$top/generator" "$top/tests/fuzz/fuzz_units.c" \
	"$out"/obj/*.o -o "$out/fuzz_units" $(pkg-config --libs $pkgs) -lcmark-gfm-extensions -lpthread -lm
