#!/usr/bin/env bash
# measure.sh BASE NEW [RUNS] — edit → reload of `briefgen serve` for two
# binaries side by side (not part of `make test`): BASE, e.g. the last
# commit built with
#   git archive HEAD | tar -x -C /tmp/base && make -C /tmp/base briefgen DATADIR=/tmp/base
# and NEW. Two sites: the real content/ (6 briefs) and a synthetic one of
# 200 briefs (the real briefs copied under new slugs and dates).
#
# For each site, one BASE server and one NEW server run at once on their own
# copies; their edits alternate (one warm-up, then RUNS each, default 9), so
# both see the same machine. An edit appends a line to one brief's en.md and
# is timed from the write to the `reload` event on the server's event stream
# (which includes the 100 ms debounce); the server's logged build time is
# read too. Prints medians. The previews go to $TMPDIR like the servers'.
set -u
base=$(realpath "$1") new=$(realpath "$2") runs=${3:-9}
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

mkdir -p "$tmp/real" && cp -r "$top/content" "$tmp/real/"
mkdir -p "$tmp/big" && cp -r "$top/content" "$tmp/big/"
n=$(ls -d "$tmp"/big/content/briefs/*/ | wc -l) i=0
while [ "$n" -lt 200 ]; do
	for b in "$top"/content/briefs/*/; do
		[ "$n" -lt 200 ] || break
		name=$(basename "$b")
		i=$((i + 1)) n=$((n + 1))
		cp -r "$b" "$tmp/big/content/briefs/$(date -u -d "2023-01-01 + $i days" +%F)-${name:11}-$i"
	done
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
now_us() { echo "${EPOCHREALTIME/./}"; }

# start NAME BIN SITE: a server on a copy of SITE; sets ev_NAME (the event
# stream's descriptor) and pid_NAME
start() {
	local name=$1 bin=$2
	cp -r "$3" "$tmp/$name"
	"$bin" serve "$tmp/$name" --port 0 >"$tmp/$name.out" 2>"$tmp/$name.err" &
	printf -v "pid_$name" %s $!
	until grep -q '^serving' "$tmp/$name.out" 2>/dev/null; do sleep 0.05; done
	local host l fd
	host=$(sed -n 's|^serving .* at \(http://[^/]*\).*|\1|p' "$tmp/$name.out")
	exec {fd}< <(curl -sN "$host/__briefgen/events")
	while read -r -u "$fd" l && [ "$l" != "event: hello" ]; do :; done
	printf -v "ev_$name" %s "$fd"
}
# edit NAME K: appends to a brief, waits for the reload; prints milliseconds
edit() {
	local name=$1 fd l t0 t1
	fd=ev_$name; fd=${!fd}
	local brief; brief=$(ls -d "$tmp/$name"/content/briefs/*/ | tail -1)en.md
	while read -r -t 0.05 -u "$fd" l; do :; done # nothing stale in the stream
	t0=$(now_us)
	printf '\nEdit %s.\n' "$2" >>"$brief"
	while read -r -u "$fd" l && [ "$l" != "event: reload" ]; do :; done
	t1=$(now_us)
	echo $(( (t1 - t0) / 1000 ))
}
stop() {
	local p=pid_$1
	kill -INT "${!p}"; wait "${!p}" 2>/dev/null
}
report() { # report NAME LABEL RELOADS...
	local name=$1 label=$2; shift 2
	local err=$tmp/$name.err
	local first builds counts
	first=$(grep -o 'built [0-9]* pages in [0-9]* ms' "$err" | head -1 | awk '{print $5}')
	builds=$(grep -o 'built [0-9]* pages in [0-9]* ms' "$err" | tail -n "$runs" | awk '{print $5}' | median)
	counts=$(grep 'changed; built' "$err" | tail -1 | sed -n 's/.*ms: //p')
	printf '%-18s first build %5s ms | per edit: build %5s ms, edit→reload %5s ms  %s\n' \
		"$label" "$first" "$builds" "$(printf '%s\n' "$@" | median)" "${counts:+($counts)}"
}

echo "median of $runs edits each; $(nproc) cores; previews in ${TMPDIR:-/tmp}"
for site in real big; do
	start b "$base" "$tmp/$site"
	start n "$new" "$tmp/$site"
	rb=() rn=()
	for k in $(seq 0 "$runs"); do
		sleep 0.3; x=$(edit b "$k"); [ "$k" -gt 0 ] && rb+=("$x")
		sleep 0.3; x=$(edit n "$k"); [ "$k" -gt 0 ] && rn+=("$x")
	done
	stop b; stop n
	label=$([ $site = real ] && echo "real (6)" || echo "synthetic (200)")
	report b "$label base" "${rb[@]}"
	report n "$label new" "${rn[@]}"
	rm -rf "$tmp/b" "$tmp/n"
done
