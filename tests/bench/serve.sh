#!/usr/bin/env bash
# tests/bench/serve.sh BRIEFGEN — `make bench-serve`: how long a preview server takes from an edit
# to the reload event and to serving the new text, briefgen against `hugo server` on one synthetic
# site (gen-site.lua, as `make bench`). See docs/bench.md for what is measured and why it is fair.
#
# Servers, each on its own copy of the site, started one after the other and then left running:
#   bg-nocalc  briefgen serve on the no-calc variant (+ a copy of the shipped templates/ to edit)
#   hugo       hugo server --disableFastRender (every page rebuilt, as briefgen keeps every page
#              current), rendering to memory (its default)
#   bg-calc    briefgen serve on the calc variant
#   hugo-fast  with BENCH_HUGO_FAST=1: hugo server in its default fast-render mode
# all bound to 127.0.0.1 on free ports. serve-driver.js (Node) listens to each reload stream as a
# browser does, edits BENCH_EDITS (10) different briefs, then BENCH_FULL_EDITS (3) times the template
# every brief uses and the site's configuration, each on every server in turn (alternating order),
# and records edit -> reload event and edit -> new text served. Medians, side by side, ratios.
#
# Environment: BENCH_SIZES / BENCH_BRIEFS (default 1000), BENCH_EDITS, BENCH_FULL_EDITS,
# BENCH_HUGO_FAST, BENCH_TMPDIR (as make bench), BENCH_SERVE_TIMEOUT (seconds any one wait may
# take, default 300), BENCH_SETTLE_MS (pause after each edit's page is served, default 1000).
# Exit status: 0 the targets of issue 8 measured here are met, 1 one is missed, 2 a server failed
# to start or to rebuild, or a tool is missing. The servers are killed on exit whatever happens.
set -euo pipefail
export NO_COLOR=1 LC_ALL=C.UTF-8

[ $# -eq 1 ] || { echo "usage: tests/bench/serve.sh BRIEFGEN" >&2; exit 2; }
bg=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"

bench_sizes
edits=${BENCH_EDITS:-10} full=${BENCH_FULL_EDITS:-3} timeout=${BENCH_SERVE_TIMEOUT:-300} settle=${BENCH_SETTLE_MS:-1000}
for v in "$edits" "$full" "$timeout" "$settle"; do
	case $v in '' | *[!0-9]*) echo "bench-serve: BENCH_EDITS, BENCH_FULL_EDITS, BENCH_SERVE_TIMEOUT and BENCH_SETTLE_MS are whole numbers" >&2; exit 2 ;; esac
done
[ "$edits" -ge 1 ] && [ "$timeout" -ge 1 ] || { echo "bench-serve: BENCH_EDITS and BENCH_SERVE_TIMEOUT must be at least 1" >&2; exit 2; }
for tool in hugo node lua5.4; do
	command -v "$tool" >/dev/null || { echo "bench-serve: '$tool' not found (make bench-serve installs it)" >&2; exit 2; }
done
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH} # Debian's node-ws lives there
if ! node -e 'require("ws")' 2>/dev/null && ! node -e 'if (typeof WebSocket !== "function") process.exit(1)' 2>/dev/null; then
	echo "bench-serve: no WebSocket client for Node: install node-ws (make bench-serve does)" >&2
	exit 2
fi

largest=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
bench_tmp serve $((largest * 400 + 200000))
declare -A running # pid -> server name, for the servers started and not yet stopped
cleanup() {
	local p
	for p in "${!running[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/previews"

servers=(bg-nocalc hugo bg-calc)
[ "${BENCH_HUGO_FAST:-0}" = 1 ] && servers+=(hugo-fast)
declare -A label=([bg-nocalc]="briefgen serve, no calc" [bg-calc]="briefgen serve, calc"
	[hugo]="hugo server --disableFastRender" [hugo-fast]="hugo server (fast render)")
declare -A group_label=([brief]="edit of one brief" [template]="edit of the brief template" [config]="edit of site.lua / hugo.toml")

echo "bench-serve: $("$bg" --version 2>&1 | head -1) ($bg) vs $(hugo version | awk '{ print $1, $2 }'), node $(node --version)"
echo "bench-serve: sizes ${sizes[*]}; $edits brief edits + $full template + $full configuration edits per server; $(nproc) CPUs"
echo "bench-serve: site and preview folders in $where"

ms() { local t=${EPOCHREALTIME/./}; NOW=$((t / 1000)); }
# wait_for SECONDS COMMAND...: polls every 50 ms until the command succeeds; gives up when it
# returns 2 or the time is out
wait_for() {
	ms; local until=$((NOW + $1 * 1000)) rc; shift
	while :; do
		"$@" 2>/dev/null && return 0
		rc=$?
		[ $rc = 2 ] && return 1
		ms; [ "$NOW" -gt "$until" ] && return 1
		sleep 0.05
	done
}
free_port() {
	node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}
alive() { kill -0 "$1" 2>/dev/null; }
# started PID FILE PATTERN: the server wrote PATTERN, or died (then fail)
started() { alive "$1" || return 2; grep -q "$3" "$2"; }

# start NAME ROOT: starts the server NAME on ROOT; sets port[NAME], pid[NAME]; exits 2 on failure
declare -A port pid
start() {
	local name=$1 root=$2 p t0=${EPOCHREALTIME/./}
	case $name in
	bg-*)
		TMPDIR=$tmp/previews "$bg" serve "$root" --port 0 >"$tmp/$name.out" 2>"$tmp/$name.log" &
		pid[$name]=$!; running[$!]=$name
		if ! wait_for "$timeout" started "${pid[$name]}" "$tmp/$name.out" '^serving .* at http://127\.0\.0\.1:'; then
			echo "bench-serve: FAIL: $name did not start:" >&2; tail -20 "$tmp/$name.log" >&2; exit 2
		fi
		port[$name]=$(sed -n 's|^serving .* at http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/$name.out" | head -1)
		;;
	hugo*)
		local fast=(--disableFastRender)
		[ "$name" = hugo-fast ] && fast=()
		p=$(free_port)
		hugo server --source "$root" --bind 127.0.0.1 --port "$p" --baseURL http://127.0.0.1/ "${fast[@]}" \
			--cacheDir "$tmp/hugo-cache.$name" >"$tmp/$name.log" 2>&1 &
		pid[$name]=$!; running[$!]=$name
		if ! wait_for "$timeout" started "${pid[$name]}" "$tmp/$name.log" '^Web Server is available at'; then
			echo "bench-serve: FAIL: $name did not start:" >&2; tail -20 "$tmp/$name.log" >&2; exit 2
		fi
		port[$name]=$(sed -n 's|^Web Server is available at http://[^:]*:\([0-9]*\)/.*|\1|p' "$tmp/$name.log" | head -1)
		;;
	esac
	[ -n "${port[$name]}" ] || { echo "bench-serve: FAIL: cannot tell $name's port" >&2; exit 2; }
	local t1=${EPOCHREALTIME/./}
	FIRST[$size.$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
	echo "bench-serve: $name on 127.0.0.1:${port[$name]}, first build served after ${FIRST[$size.$name]} s"
}

# stop NAME: SIGINT, at most 20 s to go, then SIGKILL; records the server's peak RSS first
stop() {
	local p=${pid[$1]}
	PEAK[$size.$1]=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)
	kill -INT "$p" 2>/dev/null || true
	wait_for 20 eval "! kill -0 $p" || kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	unset "running[$p]"
}

declare -A FIRST PEAK EV SV SELF N
for size in "${sizes[@]}"; do
	site=$tmp/site.$size
	echo
	t0=$(date +%s)
	gen_site "$site" "$size"
	rm -rf "$site/hugo/layouts-minimal"
	cp -r "$top/templates" "$site/bg-nocalc/templates"
	cp -r "$top/templates" "$site/bg-calc/templates"
	[ "${BENCH_HUGO_FAST:-0}" = 1 ] && cp -r "$site/hugo" "$site/hugo-fast"
	echo "bench-serve: $size briefs: site written in $(( $(date +%s) - t0 )) s"

	json="{\"servers\": ["
	sep=""
	for name in "${servers[@]}"; do
		root=$site/$name
		start "$name" "$root"
		type=briefgen
		case $name in hugo*) type=hugo ;; esac
		json+="$sep{\"name\": \"$name\", \"type\": \"$type\", \"port\": ${port[$name]}, \"log\": \"$tmp/$name.log\", \"root\": \"$root\"}"
		sep=", "
	done
	json+="], \"briefEdits\": $edits, \"fullEdits\": $full, \"timeoutMs\": $((timeout * 1000)), \"settleMs\": $settle,"
	json+=" \"pollMs\": 10, \"out\": \"$tmp/res.$size\"}"
	echo "$json" >"$tmp/config.$size.json"

	if ! node "$here/serve-driver.js" "$tmp/config.$size.json"; then
		echo "bench-serve: FAIL: the measurement stopped (server logs follow)" >&2
		for name in "${servers[@]}"; do echo "--- $name" >&2; tail -15 "$tmp/$name.log" >&2; done
		exit 2
	fi
	for name in "${servers[@]}"; do stop "$name"; done

	# ---- report of this size ----
	echo
	printf '%-34s %-10s %5s %10s %10s %10s %9s\n' "preview, $size briefs" edit n "event ms" "served ms" "self ms" "rebuilds"
	for group in brief template config; do
		for name in "${servers[@]}"; do
			awk -v s="$name" -v g="$group" '$1 == s && $2 == g' "$tmp/res.$size" >"$tmp/sel"
			k=$size.$name.$group
			N[$k]=$(wc -l <"$tmp/sel")
			[ "${N[$k]}" -gt 0 ] || continue
			EV[$k]=$(median 4 "$tmp/sel") SV[$k]=$(median 5 "$tmp/sel") SELF[$k]=$(median 6 "$tmp/sel")
			printf '%-34s %-10s %5s %10.0f %10.0f %10.0f %9s\n' "${label[$name]}" "$group" "${N[$k]}" \
				"${EV[$k]}" "${SV[$k]}" "${SELF[$k]}" "$(awk '{ s += $7 } END { print s }' "$tmp/sel")"
		done
	done
	echo
	printf '%-34s %16s %14s\n' "server" "first build s" "peak RSS MiB"
	for name in "${servers[@]}"; do
		printf '%-34s %16s %14.1f\n' "${label[$name]}" "${FIRST[$size.$name]}" "$(awk -v k="${PEAK[$size.$name]}" 'BEGIN { print k / 1024 }')"
	done
	echo
	echo "ratios of the medians, $size briefs (above 1: briefgen is faster):"
	for group in brief template config; do
		[ "${N[$size.hugo.$group]:-0}" -gt 0 ] || continue
		for name in bg-nocalc bg-calc; do
			printf '  %-46s event %6s   served %6s\n' "hugo / ${label[$name]}, $group" \
				"$(ratio "${EV[$size.hugo.$group]}" "${EV[$size.$name.$group]}")" "$(ratio "${SV[$size.hugo.$group]}" "${SV[$size.$name.$group]}")"
		done
		if [ "${BENCH_HUGO_FAST:-0}" = 1 ]; then
			printf '  %-46s event %6s   served %6s\n' "hugo fast render / briefgen no calc, $group" \
				"$(ratio "${EV[$size.hugo-fast.$group]}" "${EV[$size.bg-nocalc.$group]}")" "$(ratio "${SV[$size.hugo-fast.$group]}" "${SV[$size.bg-nocalc.$group]}")"
		fi
	done

	lim=""
	if [ "$size" -le 1000 ]; then lim=50; elif [ "$size" -le 10000 ]; then lim=150; fi
	for name in bg-nocalc bg-calc; do
		e=${EV[$size.$name.brief]}
		[ -n "$lim" ] && target "$size: ${label[$name]}, edit of a brief -> reload event, median $(printf '%.0f' "$e") ms <= $lim ms" le "$e" "$lim"
	done
	r=$(ratio "${EV[$size.hugo.brief]}" "${EV[$size.bg-nocalc.brief]}")
	target "$size: hugo server / briefgen serve (no calc), edit of a brief -> reload event, $r >= 3" ge "$r" 3
	rm -rf "$site" "$tmp"/hugo-cache.* "$tmp/previews"/*
done

echo
echo "targets of issue 8 measured by this run:"
printf '%s' "$targets"
if [ "$missed" -gt 0 ]; then
	echo "bench-serve: FAIL: $missed target(s) missed"
	exit 1
fi
echo "bench-serve: ok: every target measured here is met"
