#!/usr/bin/env bash
# tests/fuzz/short.sh [RUNS] [SEED] — the short fuzz run of `make test`:
# fuzz_units (libFuzzer, ASan + UBSan; build.sh) runs every input of the
# seed corpus (corpus.sh), then RUNS (default 30000) mutated inputs from
# libFuzzer seed SEED (default 1), single process, from a fresh copy of the
# corpus: the same tree gives the same inputs. Prints "ok - [fuzz] …" /
# "not ok - [fuzz] …" / "skip - [fuzz] …" lines for tests/summarize.
# Findings are kept in build/fuzz/short-art/. The long runs: README.md.
set -u
runs=${1:-30000}
seed=${2:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/fuzz
if ! command -v clang >/dev/null; then
	echo "skip - [fuzz] clang is not installed (make test-deps installs it)"
	exit 0
fi
if ! "$top/tests/fuzz/build.sh" >"$out.build.log" 2>&1; then
	echo "not ok - [fuzz] fuzz_units builds with clang's libFuzzer"
	sed 's/^/#   /' "$out.build.log" | tail -20
	exit 0
fi
rm -f "$out.build.log"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/tests/fuzz/corpus.sh" "$tmp/corpus"
mkdir -p "$tmp/new" "$out/short-art"
nseeds=$(ls "$tmp/corpus" | wc -l)
opts=(-seed="$seed" -max_len=65536 -timeout=20 -rss_limit_mb=2048 -artifact_prefix="$out/short-art/")
# judge NAME LOG STATUS: libFuzzer exits non-zero on a crash, leak, timeout
# or sanitizer report, and names the input it kept
judge() {
	if [ "$3" = 0 ] && ! grep -q 'ERROR: \|runtime error:\|Test unit written' "$2"; then
		echo "ok - [fuzz] $1"
	else
		echo "not ok - [fuzz] $1"
		grep -m5 'ERROR: \|runtime error:\|SUMMARY\|Test unit written' "$2" | sed 's/^/#   /'
	fi
}
(cd "$tmp" && "$out/fuzz_units" "${opts[@]}" -runs=0 corpus) >"$tmp/seeds.log" 2>&1
judge "every one of the $nseeds seed inputs runs clean" "$tmp/seeds.log" $?
(cd "$tmp" && "$out/fuzz_units" "${opts[@]}" -runs="$runs" new corpus) >"$tmp/runs.log" 2>&1
judge "$runs mutated inputs (libFuzzer seed $seed) run clean" "$tmp/runs.log" $?
