#!/usr/bin/env bash
# tests/bench/run.sh BRIEFGEN — `make bench`: full builds of one synthetic site by briefgen and by
# Hugo, side by side in one run; see docs/bench.md for what is measured and why it is fair.
#
# gen-site.lua writes N bilingual briefs three ways: briefgen with calc blocks, briefgen without
# them (plain tables and typed numbers), and the no-calc text as a Hugo site. Five builders:
#
#   bg-nocalc  briefgen on the no-calc variant      hugo      Hugo with layouts mirroring the theme
#   bg-calc    briefgen on the calc variant         hugo-min  Hugo with minimal layouts (tests/bench/
#                                                             hugo/layouts-minimal), same pages
#   bg-search  the calc variant with the in-page search index on: what the index adds to a build
#              (issue 15's target: at most 10 %); it writes the same pages plus the search's
#              files, so it stays out of the page comparison
#
# and two kinds of build: "fresh" (no output folder yet) and "again" (over the output of the same
# build before: briefgen keeps its staging folder beside the output and writes only what changed;
# Hugo rewrites its destination without --cleanDestinationDir). Before measuring, the page sets are
# compared path by path (a difference stops the run: the ratios would compare different work).
# Then BENCH_RUNS rounds, each every builder and kind once, every other round in reverse order.
#
# Environment: BENCH_SIZES ("1000 10000") or BENCH_BRIEFS (default 1000); BENCH_RUNS (5);
# BENCH_KINDS ("fresh again"); BENCH_BUILDERS (the five above; fewer to save time at 10 000
# briefs); BENCH_ONECORE=1 adds briefgen --jobs 1 against GOMAXPROCS=1 Hugo,
# both pinned to one CPU; BENCH_TMPDIR (a folder, or "disk" for build/ in the repository; default
# /dev/shm when it has room); BENCH_ALLOW_MISMATCH=1 measures even when the page sets differ.
#
# Exit status: 0 every target (issues 8 and 15) that this run measures is met; 1 one is missed (the list
# at the end says which; briefgen slower than Hugo is one of them); 2 a build failed, a tool is
# missing or the two sides do not produce the same pages.
set -euo pipefail
export NO_COLOR=1 LC_ALL=C.UTF-8

[ $# -eq 1 ] || { echo "usage: tests/bench/run.sh BRIEFGEN" >&2; exit 2; }
bg=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"

bench_sizes
runs=${BENCH_RUNS:-5}
case $runs in '' | *[!0-9]*) echo "bench: BENCH_RUNS is a whole number" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "bench: BENCH_RUNS must be at least 1" >&2; exit 2; }
read -r -a kinds <<<"${BENCH_KINDS:-fresh again}"
for k in "${kinds[@]}"; do
	case $k in fresh | again) ;; *) echo "bench: BENCH_KINDS holds fresh and/or again (got '$k')" >&2; exit 2 ;; esac
done
read -r -a cfgs <<<"${BENCH_BUILDERS:-bg-nocalc hugo bg-calc hugo-min bg-search}"
[ "${BENCH_ONECORE:-0}" = 1 ] && cfgs+=(bg-nocalc-1 hugo-1)
for c in "${cfgs[@]}"; do
	case $c in bg-nocalc | hugo | bg-calc | hugo-min | bg-search | bg-nocalc-1 | hugo-1) ;;
	*) echo "bench: BENCH_BUILDERS holds bg-nocalc hugo bg-calc hugo-min bg-search (got '$c')" >&2; exit 2 ;; esac
done
case " ${cfgs[*]} " in *" bg-nocalc "*) ;; *) echo "bench: BENCH_BUILDERS must hold bg-nocalc (the reference)" >&2; exit 2 ;; esac
has() { case " ${cfgs[*]} " in *" $1 "*) return 0 ;; esac; return 1; }
declare -A label=(
	[bg-nocalc]="briefgen, no calc" [bg-calc]="briefgen, calc" [hugo]="hugo, full layouts"
	[hugo-min]="hugo, minimal layouts" [bg-search]="briefgen, calc + search index" [bg-nocalc-1]="briefgen --jobs 1, no calc (1 CPU)"
	[hugo-1]="hugo GOMAXPROCS=1 (1 CPU)")

for tool in hugo lua5.4 taskset /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (make bench installs hugo and time)" >&2; exit 2; }
done

largest=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
# the three sources (~50 KiB a brief) and, at most at once, the outputs of every builder's "again"
# folder with briefgen's staging copy plus one fresh output (~600 KiB a brief in all)
bench_tmp bench $((largest * 700 + 200000))
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
fstype=$(df -PT "$tmp" | awk 'NR == 2 { print $2 }')

# The one-core runs are pinned to the last CPU this process may use.
cpu=$(taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' | tail -1 | sed 's/.*-//')

echo "bench: $("$bg" --version 2>&1 | head -1) ($bg) vs $(hugo version | awk '{ print $1, $2 }')"
echo "bench: sizes ${sizes[*]} (briefs x 2 languages); $runs runs of each build after a warm-up; kinds ${kinds[*]}; $(nproc) CPUs"
echo "bench: site and outputs in $where"

# ---- builds ----------------------------------------------------------------------------------------

# setcmd CFG OUT: the build command of CFG writing OUT, in the array CMD
setcmd() {
	local hugo=(hugo --quiet --source "$site/hugo" --destination "$2" --cacheDir "$tmp/hugo-cache")
	case $1 in
	bg-nocalc)   CMD=("$bg" build "$site/bg-nocalc" --quiet --out "$2") ;;
	bg-calc)     CMD=("$bg" build "$site/bg-calc" --quiet --out "$2") ;;
	bg-search)   CMD=("$bg" build "$site/bg-search" --quiet --out "$2") ;;
	hugo)        CMD=("${hugo[@]}") ;;
	hugo-min)    CMD=("${hugo[@]}" --layoutDir "$site/hugo/layouts-minimal") ;;
	bg-nocalc-1) CMD=(taskset -c "$cpu" "$bg" build "$site/bg-nocalc" --quiet --out "$2" --jobs 1) ;;
	hugo-1)      CMD=(env GOMAXPROCS=1 taskset -c "$cpu" "${hugo[@]}") ;;
	esac
}

# build CFG DIR: one build writing DIR/site (DIR/.site.briefgen-staging beside it for briefgen),
# timed; sets wall (microseconds) and cpu ("user-s system-s peak-RSS-KiB"); exits 2 on failure
build() {
	setcmd "$1" "$2/site"
	mkdir -p "$2"
	sync -f "$tmp" 2>/dev/null || true # the previous build's writeback is not this one's time
	local t0=${EPOCHREALTIME/./}
	if ! /usr/bin/time -f '%U %S %M' -o "$tmp/time" "${CMD[@]}" >"$tmp/log" 2>&1; then
		echo "bench: FAIL: the $1 build ($size briefs) failed: ${CMD[*]}" >&2
		sed 's/^/  /' "$tmp/log" | head -20 >&2
		exit 2
	fi
	local t1=${EPOCHREALTIME/./}
	wall=$((t1 - t0))
	cpu_line=$(tail -1 "$tmp/time")
}

# run CFG KIND: one measured build; appends "wall-us user-s sys-s rss-KiB" to $res/CFG.KIND
run() {
	local dir=$tmp/out/$1.$2
	[ "$2" = fresh ] && rm -rf "$dir"
	build "$1" "$dir"
	echo "$wall $cpu_line" >>"$res/$1.$2"
	[ "$2" = fresh ] && rm -rf "$dir" # room for the next; outside the clock
	return 0
}

# paths CFG DIR: the output's file list, normalised, in $res/paths.CFG. Dropped from briefgen's:
# its .briefgen-site marker, each brief's numbers.json (calc only) and the site's numbers.json and
# numbers.csv (data files Hugo's side has no counterpart of). Hugo's per-language 404 pages count as
# briefgen's one at the root; dropped from Hugo's: its per-language sitemaps (briefgen writes one,
# at the root like Hugo's index) and its page/1/ redirects (counted in $res/redirects.CFG).
paths() {
	(cd "$2" && find . \( -type f -o -type l \) | sed 's|^\./||') >"$res/all.$1"
	case $1 in
	bg-*) grep -vx -e '\.briefgen-site' -e '.*/numbers\.json' -e 'numbers\.json' -e 'numbers\.csv' "$res/all.$1" |
		sort >"$res/paths.$1" || true ;;
	hugo*)
		(cd "$2" && grep -l 'http-equiv="refresh"' $(grep '/page/1/index\.html$' "$res/all.$1") /dev/null 2>/dev/null || true) \
			| sort >"$res/redirects.$1"
		grep -v '^[^/]*/sitemap\.xml$' "$res/all.$1" | sed 's|^[^/]*/404\.html$|404.html|' | sort -u |
			comm -23 - "$res/redirects.$1" >"$res/paths.$1"
		;;
	esac
}

# same A B: compares the page sets; prints what differs, grouped; fails when they differ
same() {
	comm -23 "$res/paths.$1" "$res/paths.$2" >"$res/only1"
	comm -13 "$res/paths.$1" "$res/paths.$2" >"$res/only2"
	[ ! -s "$res/only1" ] && [ ! -s "$res/only2" ] && return 0
	echo "bench: MISMATCH at $size briefs: ${label[$1]} and ${label[$2]} do not write the same files"
	local f who
	for f in only1 only2; do
		[ -s "$res/$f" ] || continue
		[ $f = only1 ] && who=${label[$1]} || who=${label[$2]}
		echo "  only $who: $(wc -l <"$res/$f") paths, e.g. $(head -1 "$res/$f")"
		awk -F/ '{ k = NF > 2 ? $1 "/" $2 "/*" : $0; if (/\/page\/[0-9]+\//) k = k " (pager pages)"; n[k]++ }
			END { for (k in n) printf "    %6d  %s\n", n[k], k }' "$res/$f" | sort -k1,1nr | head -8
	done
	return 1
}

# ---- one size --------------------------------------------------------------------------------------
declare -A W RSS USR SYS CPU SHARE CONTENT PAGES
for size in "${sizes[@]}"; do
	site=$tmp/site.$size
	res=$tmp/res.$size
	mkdir -p "$res"
	t0=$(date +%s)
	gen_site "$site" "$size"
	CONTENT[$size.bg-nocalc]=$(bytes "$site/bg-nocalc/content")
	CONTENT[$size.bg-calc]=$(bytes "$site/bg-calc/content")
	echo
	echo "bench: $size briefs: site written in $(( $(date +%s) - t0 )) s ($(du -sh "$site/bg-calc/content" | cut -f1) of Markdown per variant)"

	# Warm-up: two builds of each into its "again" folder (the third build there is the first whose
	# staging folder holds the same site: the steady state of `make site`). The first also tells
	# whether the builders write the same pages.
	for cfg in "${cfgs[@]}"; do
		build "$cfg" "$tmp/out/$cfg.again"
		if grep -qi "warn" "$tmp/log"; then
			echo "bench: note: the $cfg build warned:"; grep -i "warn" "$tmp/log" | head -5 | sed 's/^/  /'
		fi
		paths "$cfg" "$tmp/out/$cfg.again/site"
		PAGES[$size.$cfg]="$(grep -c '\.html$' "$res/paths.$cfg" || true) HTML pages + $(grep -vc '\.html$' "$res/paths.$cfg" || true) other files"
		[ -s "$res/redirects.$cfg" ] && PAGES[$size.$cfg]+=" (and $(wc -l <"$res/redirects.$cfg") page/1/ redirects)"
		printf 'bench: %-32s %s, %s\n' "${label[$cfg]}" "${PAGES[$size.$cfg]}" "$(du -sh "$tmp/out/$cfg.again/site" | cut -f1)"
	done
	mismatch=0
	for cfg in "${cfgs[@]}"; do
		case $cfg in bg-nocalc | bg-search) continue ;; esac # bg-search: the same plus the search's files
		same bg-nocalc "$cfg" || mismatch=1
	done
	if [ $mismatch = 1 ]; then
		if [ "${BENCH_ALLOW_MISMATCH:-0}" != 1 ]; then
			echo "bench: FAIL: the sides are not comparable (BENCH_ALLOW_MISMATCH=1 measures anyway)" >&2
			exit 2
		fi
		echo "bench: WARNING: measuring anyway (BENCH_ALLOW_MISMATCH=1): the ratios below compare different work"
	else
		echo "bench: every builder writes the same $(wc -l <"$res/paths.bg-nocalc") files (after the differences listed in docs/bench.md)"
	fi
	if [[ " ${kinds[*]} " == *" again "* ]]; then
		for cfg in "${cfgs[@]}"; do build "$cfg" "$tmp/out/$cfg.again"; done
	fi

	jobs=()
	for kind in "${kinds[@]}"; do
		for cfg in "${cfgs[@]}"; do jobs+=("$cfg.$kind"); done
	done
	echo "bench: measuring $runs rounds of ${#jobs[@]} builds ..."
	for ((r = 1; r <= runs; r++)); do
		order=("${jobs[@]}")
		if ((r % 2 == 0)); then # reversed: a drift of the machine's load falls on both sides
			order=()
			for ((i = ${#jobs[@]} - 1; i >= 0; i--)); do order+=("${jobs[i]}"); done
		fi
		line=""
		for job in "${order[@]}"; do
			run "${job%.*}" "${job##*.}"
			line+=" $job $(awk -v w="$wall" 'BEGIN { printf "%.2f", w / 1e6 }')"
		done
		echo "bench: round $r/$runs:$line"
	done

	# ---- report of this size ----
	echo
	printf '%-34s %-6s %10s %12s %8s %8s %6s %9s\n' "$size briefs, $runs runs" kind "wall s" "range s" "user s" "sys s" "sys %" "RSS MiB"
	for kind in "${kinds[@]}"; do
		for cfg in "${cfgs[@]}"; do
			f=$res/$cfg.$kind k=$size.$cfg.$kind
			W[$k]=$(median 1 "$f") USR[$k]=$(median 2 "$f") SYS[$k]=$(median 3 "$f") RSS[$k]=$(median 4 "$f")
			CPU[$k]=$(awk '{ print $2 + $3 }' "$f" | median 1 /dev/stdin)
			SHARE[$k]=$(awk '{ print ($2 + $3 > 0) ? 100 * $3 / ($2 + $3) : 0 }' "$f" | sort -g |
				awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
			printf '%-34s %-6s %10.2f %12s %8.2f %8.2f %6.1f %9.1f\n' "${label[$cfg]}" "$kind" \
				"$(awk -v w="${W[$k]}" 'BEGIN { print w / 1e6 }')" "$(range 1 "$f" 1e6)" "${USR[$k]}" "${SYS[$k]}" \
				"${SHARE[$k]}" "$(awk -v k="${RSS[$k]}" 'BEGIN { print k / 1024 }')"
		done
	done
	for kind in "${kinds[@]}"; do
		w() { echo "${W[$size.$1.$kind]}"; }
		m() { echo "${RSS[$size.$1.$kind]}"; }
		c() { echo "${CPU[$size.$1.$kind]}"; }
		echo
		echo "ratios of the medians, $size briefs, $kind builds (above 1: briefgen is faster / smaller;"
		echo "CPU time = user + system, less sensitive to other load than wall time, not a target):"
		# pair HUGO BG TEXT [WALL-TARGET RSS-TARGET]: one line of ratios, and its targets
		pair() {
			has "$1" && has "$2" || return 0
			local wr mr
			wr=$(ratio "$(w "$1")" "$(w "$2")") mr=$(ratio "$(m "$1")" "$(m "$2")")
			printf '  %-40s wall %6s   peak RSS %6s   (CPU time %s)\n' "$3" "$wr" "$mr" "$(ratio "$(c "$1")" "$(c "$2")")"
			[ -n "${4:-}" ] && target "$size $kind: $3, wall $wr >= $4" ge "$wr" "$4"
			[ -n "${5:-}" ] && target "$size $kind: $3, peak RSS $mr >= $5" ge "$mr" "$5"
			return 0
		}
		pair hugo bg-nocalc "hugo / briefgen, no calc" 4 8
		pair hugo bg-calc "hugo / briefgen, calc" 3 8
		pair hugo-min bg-nocalc "hugo minimal / briefgen, no calc" 1
		pair hugo-min bg-calc "hugo minimal / briefgen, calc"
		if has bg-calc; then
			cr=$(ratio "$(w bg-calc)" "$(w bg-nocalc)")
			printf '  %-40s wall %6s   peak RSS %6s   (CPU time %s)\n' "briefgen calc / no calc" "$cr" \
				"$(ratio "$(m bg-calc)" "$(m bg-nocalc)")" "$(ratio "$(c bg-calc)" "$(c bg-nocalc)")"
			target "$size $kind: briefgen calc / no calc, wall $cr <= 1.25" le "$cr" 1.25
		fi
		if has bg-search && has bg-calc; then
			sr=$(ratio "$(w bg-search)" "$(w bg-calc)")
			printf '  %-40s wall %6s   peak RSS %6s   (CPU time %s)\n' "briefgen calc + search / calc" "$sr" \
				"$(ratio "$(m bg-search)" "$(m bg-calc)")" "$(ratio "$(c bg-search)" "$(c bg-calc)")"
			target "$size $kind: briefgen calc + search / calc, wall $sr <= 1.10" le "$sr" 1.10
		fi
		pair hugo-1 bg-nocalc-1 "one CPU: hugo / briefgen, no calc"
		if [ "$size" -ge 10000 ] && [ "$fstype" != tmpfs ]; then
			for cfg in bg-nocalc bg-calc; do
				has "$cfg" || continue
				target "$size $kind: ${label[$cfg]}, system time $(printf '%.1f' "${SHARE[$size.$cfg.$kind]}") % of CPU <= 15 % (on $fstype)" \
					le "${SHARE[$size.$cfg.$kind]}" 15
			done
		fi
	done
	if [ "${#kinds[@]}" = 2 ]; then
		echo
		echo "again / fresh, wall (below 1: rebuilding over the last output is cheaper):"
		for cfg in "${cfgs[@]}"; do
			printf '  %-40s %6s\n' "${label[$cfg]}" "$(ratio "${W[$size.$cfg.again]}" "${W[$size.$cfg.fresh]}")"
		done
	fi
	rm -rf "$site" "$tmp/out" "$tmp/hugo-cache"
done

# ---- across sizes ------------------------------------------------------------------------------------
if [ "${#sizes[@]}" -gt 1 ]; then
	mapfile -t sorted < <(printf '%s\n' "${sizes[@]}" | sort -n -u)
	for ((i = 1; i < ${#sorted[@]}; i++)); do
		a=${sorted[i - 1]} b=${sorted[i]}
		n=$(ratio "$b" "$a")
		echo
		echo "growth from $a to $b briefs (x$n the briefs):"
		for kind in "${kinds[@]}"; do
			for cfg in "${cfgs[@]}"; do
				wr=$(ratio "${W[$b.$cfg.$kind]}" "${W[$a.$cfg.$kind]}")
				mr=$(ratio "${RSS[$b.$cfg.$kind]}" "${RSS[$a.$cfg.$kind]}")
				printf '  %-34s %-6s wall x%-7s peak RSS x%s\n' "${label[$cfg]}" "$kind" "$wr" "$mr"
				case $cfg in bg-nocalc | bg-calc) ;; *) continue ;; esac
				cr=$(ratio "${CONTENT[$b.$cfg]}" "${CONTENT[$a.$cfg]}")
				lim=$(awk -v n="$n" 'BEGIN { printf "%.2f", n * 1.05 }')
				target "$a->$b $kind: ${label[$cfg]}, wall x$wr <= x$lim (linear, 5 % slack)" le "$wr" "$lim"
				target "$a->$b $kind: ${label[$cfg]}, peak RSS x$mr <= x$cr (the content's growth)" le "$mr" "$cr"
			done
		done
	done
fi

echo
echo "targets (issues 8 and 15) measured by this run (outputs on $fstype):"
printf '%s' "$targets"
if [ "$missed" -gt 0 ]; then
	echo "bench: FAIL: $missed target(s) missed"
	exit 1
fi
echo "bench: ok: every target measured here is met"
