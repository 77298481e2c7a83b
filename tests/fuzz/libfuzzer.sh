#!/usr/bin/env bash
# tests/fuzz/libfuzzer.sh [SECONDS] [SEED] — builds fuzz_units.c with clang's
# libFuzzer (build.sh) and runs it for SECONDS (default 120) from a corpus
# made of tests/fuzz/seeds/ and the real briefs; the corpus in build/fuzz/
# grows from run to run. Crashes land in build/fuzz/art/. `make test` runs
# the short, fixed form of this (short.sh).
set -eu
secs=${1:-120}
seed=${2:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/fuzz
"$top/tests/fuzz/build.sh"
mkdir -p "$out/art"
"$top/tests/fuzz/corpus.sh" "$out/corpus"
cd "$out"
exec ./fuzz_units -seed="$seed" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-max_total_time="$secs" -artifact_prefix=art/ -print_final_stats=1 corpus
