#!/usr/bin/env bash
# tests/bench/run.sh BRIEFGEN — `make bench`: briefgen against Hugo on one synthetic site.
#
# gen-site.lua writes BENCH_BRIEFS (default 1000) bilingual briefs three ways: briefgen with calc
# blocks, briefgen without them (plain tables and typed numbers instead), and the no-calc text as a
# Hugo site using the layouts in tests/bench/hugo/ (the default theme's features, nothing more).
# After one warm-up build of each, BENCH_RUNS (default 5) rounds alternate briefgen and Hugo:
#
#   all cores   briefgen (no calc) · hugo · briefgen (calc)
#   one core    briefgen --jobs 1 (no calc) · GOMAXPROCS=1 hugo      (both pinned with taskset)
#
# Every build starts from an empty output folder. Reported: median wall time and median peak RSS
# (/usr/bin/time %M), and the ratios hugo/briefgen (above 1: briefgen is faster). Exit status 1
# when briefgen (no calc, all cores) is slower than Hugo on the same site; 2 when a build fails or
# a tool is missing. See docs/bench.md.
set -euo pipefail
export NO_COLOR=1 LC_ALL=C.UTF-8

[ $# -eq 1 ] || { echo "usage: tests/bench/run.sh BRIEFGEN" >&2; exit 2; }
bg=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/bench
briefs=${BENCH_BRIEFS:-1000}
runs=${BENCH_RUNS:-5}
case $briefs$runs in *[!0-9]*) echo "bench: BENCH_BRIEFS and BENCH_RUNS are whole numbers" >&2; exit 2 ;; esac
if [ "$briefs" -lt 1 ] || [ "$runs" -lt 1 ]; then echo "bench: BENCH_BRIEFS and BENCH_RUNS must be at least 1" >&2; exit 2; fi

for tool in hugo lua5.4 taskset /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (make bench installs hugo and time)" >&2; exit 2; }
done

# Outputs of ~100 MB per build: on a tmpfs when there is one with room, so the disk's writeback of
# the previous build does not land in the next one's time. BENCH_TMPDIR=/tmp measures on disk.
base=${BENCH_TMPDIR:-}
if [ -z "$base" ]; then
	base=${TMPDIR:-/tmp}
	if [ -d /dev/shm ] && [ -w /dev/shm ] &&
	   [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((briefs * 1000 + 200000)) ]; then
		base=/dev/shm
	fi
fi
tmp=$(mktemp -d "$base/briefgen-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The per-core runs are pinned to the last CPU this process may use.
cpu=$(taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' | tail -1 | sed 's/.*-//')

echo "bench: $("$bg" --version 2>&1 | head -1) ($bg) vs $(hugo version | awk '{ print $1, $2 }')"
echo "bench: $briefs briefs x 2 languages, $runs runs each after a warm-up, $(nproc) CPUs, outputs in $base"

# ---- the site -----------------------------------------------------------------------------------
t0=$(date +%s)
lua5.4 "$here/gen-site.lua" "$tmp/site" "$briefs" "$top/content/site.lua"
cp -r "$here/hugo/." "$tmp/site/hugo/"
mkdir -p "$tmp/site/hugo/static/assets"
cp "$top/templates/assets/"* "$tmp/site/hugo/static/assets/"
echo "bench: site written in $(( $(date +%s) - t0 )) s ($(du -sh "$tmp/site/bg-calc/content" | cut -f1) of Markdown per variant)"

# ---- builds -------------------------------------------------------------------------------------

# setcmd NAME [quiet]: the build command of NAME in the array CMD. Every build writes $tmp/out.
setcmd() {
	local q=()
	[ "${2:-}" = quiet ] && q=(--quiet)
	local hugo=(hugo "${q[@]}" --source "$tmp/site/hugo" --destination "$tmp/out" --cleanDestinationDir --cacheDir "$tmp/hugo-cache")
	case $1 in
	bg-nocalc)   CMD=("$bg" build "$tmp/site/bg-nocalc" "${q[@]}" --out "$tmp/out") ;;
	bg-calc)     CMD=("$bg" build "$tmp/site/bg-calc" "${q[@]}" --out "$tmp/out") ;;
	hugo)        CMD=("${hugo[@]}") ;;
	bg-nocalc-1) CMD=(taskset -c "$cpu" "$bg" build "$tmp/site/bg-nocalc" "${q[@]}" --out "$tmp/out" --jobs 1) ;;
	hugo-1)      CMD=(env GOMAXPROCS=1 taskset -c "$cpu" "${hugo[@]}") ;;
	esac
}

# build NAME [quiet]: one build from an empty output folder, output in $tmp/log; exits 2 on failure
build() {
	setcmd "$@"
	rm -rf "$tmp/out" "$tmp/.out.briefgen-staging"
	sync -f "$tmp" 2>/dev/null || true
	start=$(date +%s%N)
	if ! /usr/bin/time -f '%M' -o "$tmp/rss" "${CMD[@]}" >"$tmp/log" 2>&1; then
		echo "bench: FAIL: the $1 build failed: ${CMD[*]}" >&2
		sed 's/^/  /' "$tmp/log" | head -20 >&2
		exit 2
	fi
	end=$(date +%s%N)
}

# run NAME: one timed build; appends "microseconds peak-RSS-KiB" to $tmp/res.NAME
run() {
	build "$1" quiet
	echo "$(( (end - start) / 1000 )) $(tail -1 "$tmp/rss")" >>"$tmp/res.$1"
}

# pages DIR: "HTML pages (redirects excluded) + redirects + other files"
pages() {
	local html redirects other
	html=$(find "$1" -name '*.html' | wc -l)
	redirects=$(grep -rl --include='*.html' 'http-equiv="refresh"' "$1" | wc -l || true)
	other=$(find "$1" -type f ! -name '*.html' | wc -l)
	echo "$((html - redirects)) pages + $redirects redirects + $other other files, $(du -sh "$1" | cut -f1)"
}

# Warm-up, doubling as the check that the three sites build and are the same size.
declare -A count
for name in bg-nocalc hugo bg-calc; do
	build "$name"
	if grep -qi "warn" "$tmp/log"; then
		echo "bench: note: the $name build warned:"; grep -i "warn" "$tmp/log" | head -5 | sed 's/^/  /'
	fi
	count[$name]=$(pages "$tmp/out")
	printf 'bench: %-10s %s\n' "$name" "${count[$name]}"
done
bgp=${count[bg-nocalc]%% *} hgp=${count[hugo]%% *}
if [ $((bgp * 10)) -lt $((hgp * 9)) ] || [ $((hgp * 10)) -lt $((bgp * 9)) ]; then
	echo "bench: WARNING: page counts differ by more than 10% ($bgp vs $hgp): the sites are not comparable"
fi

echo "bench: measuring ..."
for ((r = 1; r <= runs; r++)); do
	# alternate briefgen and Hugo; every other round in reverse, so a slow drift of the machine cancels
	if ((r % 2)); then order="bg-nocalc hugo bg-calc bg-nocalc-1 hugo-1"
	else order="hugo-1 bg-nocalc-1 bg-calc hugo bg-nocalc"; fi
	line=""
	for name in $order; do
		run "$name"
		line="$line  $name $(tail -1 "$tmp/res.$name" | awk '{ printf "%.2f s", $1 / 1e6 }')"
	done
	echo "bench: round $r/$runs:$line"
done

# ---- report -------------------------------------------------------------------------------------
median() { # median COLUMN FILE
	awk -v c="$1" '{ print $c }' "$2" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
range() { awk '{ print $1 }' "$1" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo / 1e6, hi / 1e6 }'; }
declare -A wall rss
printf '\n%-34s %12s %14s %14s\n' "build ($briefs briefs, $runs runs)" "wall median" "wall range s" "peak RSS MiB"
for name in bg-nocalc hugo bg-calc bg-nocalc-1 hugo-1; do
	wall[$name]=$(median 1 "$tmp/res.$name")
	rss[$name]=$(median 2 "$tmp/res.$name")
	case $name in
	bg-nocalc)   label="briefgen, no calc" ;;
	bg-calc)     label="briefgen, calc" ;;
	hugo)        label="hugo" ;;
	bg-nocalc-1) label="briefgen --jobs 1, no calc" ;;
	hugo-1)      label="hugo GOMAXPROCS=1" ;;
	esac
	printf '%-34s %10.2f s %14s %14.1f\n' "$label" "$(awk -v w="${wall[$name]}" 'BEGIN { print w / 1e6 }')" \
		"$(range "$tmp/res.$name")" "$(awk -v k="${rss[$name]}" 'BEGIN { print k / 1024 }')"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "ratios hugo/briefgen of the medians (above 1: briefgen is faster / smaller):"
printf '  same site, all cores   wall %s   peak RSS %s\n' "$(ratio "${wall[hugo]}" "${wall[bg-nocalc]}")" "$(ratio "${rss[hugo]}" "${rss[bg-nocalc]}")"
printf '  same site, one core    wall %s   peak RSS %s\n' "$(ratio "${wall[hugo-1]}" "${wall[bg-nocalc-1]}")" "$(ratio "${rss[hugo-1]}" "${rss[bg-nocalc-1]}")"
printf '  briefgen with calc     wall %s   peak RSS %s   (calc costs briefgen %s x its no-calc time)\n' \
	"$(ratio "${wall[hugo]}" "${wall[bg-calc]}")" "$(ratio "${rss[hugo]}" "${rss[bg-calc]}")" \
	"$(ratio "${wall[bg-calc]}" "${wall[bg-nocalc]}")"
echo "pages: briefgen ${count[bg-nocalc]}; hugo ${count[hugo]}"

if awk -v b="${wall[bg-nocalc]}" -v h="${wall[hugo]}" 'BEGIN { exit !(b > h) }'; then
	echo
	echo "bench: FAIL: briefgen is slower than Hugo on the same site: median $(awk -v w="${wall[bg-nocalc]}" 'BEGIN { printf "%.2f", w / 1e6 }') s" \
		"against $(awk -v w="${wall[hugo]}" 'BEGIN { printf "%.2f", w / 1e6 }') s (target: faster than Hugo)"
	exit 1
fi
echo "bench: ok: briefgen is faster than Hugo on the same site"
