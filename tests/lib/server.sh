# server.sh — what the server tests share. Source it after setting AREA (the
# word after the tag in every line: "serve", "incremental"); it makes $tmp
# (removed on exit, with every server in $pids killed), the one-line report
# helpers, bounded waiting and curl with a time limit.
set -u
TAG=${TAG:-[$AREA]}
VARIANT=${VARIANT:-release}
bg=${BRIEFGEN:?BRIEFGEN must name the binary under test}
top=${TOP:?TOP must name the repository}
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	{ for p in "${pids[@]}"; do kill -9 "$p"; done; wait; } 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
export NO_COLOR=1

ok()   { echo "ok - $TAG $AREA: $*"; }
bad()  { echo "not ok - $TAG $AREA: $*"; }
skip() { echo "skip - $TAG $AREA: $*"; }
say()  { echo "#   $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}
ms() { local t=${EPOCHREALTIME//[!0-9]/}; NOW=$(( t / 1000 )); }  # NOW: milliseconds, no fork

# wait_for SECONDS COMMAND...: polls every 20 ms until the command succeeds
wait_for() {
	ms; local until=$(( NOW + $1 * 1000 )); shift
	while ! "$@" 2>/dev/null; do
		ms; [ "$NOW" -gt "$until" ] && return 1
		sleep 0.02
	done
}

if ! command -v curl >/dev/null; then
	skip "curl is not installed: no $AREA test ran"
	exit 0
fi
cget() { curl -s --max-time 10 "$@"; }
export -f cget
