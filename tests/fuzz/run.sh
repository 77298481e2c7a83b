#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] [SEED] — end-to-end fuzzing of `briefgen build`
# under ASan/UBSan. Not part of `make test` (short.sh is); see README.md.
#  1. every fixed nasty case from cases.lua (huge lines, 10k-deep nesting,
#     YAML alias bombs, invalid UTF-8, odd site.lua values, symlink loops ...);
#  2. then, until SECONDS (default 300) have passed, sites made from the seeds
#     (content/briefs, tests/golden/*/content, ../shared/seeds) with their
#     files mutated by mutate.lua, seeded from SEED (default 1) and a counter,
#     so a run is reproducible.
# A case fails when the build exits with anything but 0 or 1, takes longer
# than 20 s, prints a sanitizer report, or prints an error without a file.
# Failing cases are kept under build/fuzz/fail/<name>/ (rerun: cd there;
# briefgen build --out /tmp/x). Exits 1 when any case failed.
set -u
secs=${1:-300}
seed=${2:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${BRIEFGEN_SHARED:-$top/../shared}
bg=$top/build/asan/briefgen
make -C "$top" --no-print-directory build/asan/briefgen >/dev/null || exit 2
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=$top/build/fuzz/fail
mkdir -p "$fail"
export NO_COLOR=1 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1
start=$SECONDS nrun=0 nfail=0

# check NAME DIR: builds DIR (holding content/) and judges the result.
check() {
	local name=$1 dir=$2 why=
	nrun=$((nrun + 1))
	(cd "$dir" && timeout -k 5 "${FUZZ_TIMEOUT:-20}" "$bg" build --quiet --out "$tmp/out") >/dev/null 2>"$tmp/err" </dev/null
	local rc=$?
	if [ $rc = 124 ] || [ $rc = 137 ]; then why="timeout"
	elif [ $rc != 0 ] && [ $rc != 1 ]; then why="exit status $rc"
	elif grep -q 'Sanitizer\|runtime error:' "$tmp/err"; then why="sanitizer report"
	elif grep -q '^briefgen: \(error\|warning\)\|^\(error\|warning\):\|^: ' "$tmp/err"; then
		why="diagnostic without a file"
	elif [ $rc = 1 ] && ! grep -q 'error:' "$tmp/err"; then why="exit 1 without an error"
	fi
	rm -rf "$tmp/out" "$tmp/.out.briefgen-staging"
	if [ -n "$why" ]; then
		nfail=$((nfail + 1))
		echo "FAIL $name: $why"
		grep -m3 'error\|ERROR\|runtime error' "$tmp/err" | cut -c1-200 | sed 's/^/    /'
		rm -rf "${fail:?}/$name"; mkdir -p "$fail/$name"
		cp -a "$dir/content" "$fail/$name/" 2>/dev/null
		cp "$tmp/err" "$fail/$name/stderr"
	fi
}

# 1. fixed cases
lua5.4 "$top/tests/fuzz/cases.lua" "$tmp/cases" >/dev/null || exit 2
for d in "$tmp"/cases/*/; do
	check "case-$(basename "$d")" "$d"
done
echo "fixed cases: $nrun run, $nfail failed ($((SECONDS - start)) s)"

# 2. mutated seed sites until the time is up
seeds=()
for d in "$top"/tests/golden/*/ "$top"; do [ -d "$d/content/briefs" ] && seeds+=("$d"); done
i=0
while [ $((SECONDS - start)) -lt "$secs" ]; do
	i=$((i + 1))
	s=${seeds[$((i % ${#seeds[@]}))]}
	w=$tmp/mut
	rm -rf "$w"; mkdir -p "$w"; cp -r "$s/content" "$w/"
	# a Jekyll post from the shared seeds now and then
	if [ $((i % 3)) = 0 ]; then
		for f in "$shared"/seeds/*.txt; do [ -f "$f" ] && cp "$f" "$w/content/briefs/2024-12-1$((i % 10))-seed-$(basename "$f" .txt).md"; done
	fi
	mapfile -t files < <(cd "$w" && find content -name '*.md' -o -name site.lua | sort)
	[ ${#files[@]} -gt 0 ] || continue
	(cd "$w" && lua5.4 "$top/tests/fuzz/mutate.lua" "$((seed * 1000003 + i))" "${files[@]}")
	check "mut-$seed-$i" "$w"
done
echo "total: $nrun builds, $nfail failed in $((SECONDS - start)) s (seed $seed)"
[ $nfail = 0 ]
