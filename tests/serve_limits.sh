#!/usr/bin/env bash
# serve_limits.sh — the preview keeps answering whatever other clients do,
# over real sockets to 127.0.0.1 (node's `net`: tests/serve_limits/clients.mjs):
#  - Host header: only localhost, 127.0.0.1, [::1] (with or without the
#    port) are answered; any other name gets 403 (DNS rebinding);
#  - event streams: at most 256 open; a new one ends the oldest, which is
#    told "bye" (the page's script then stops reconnecting);
#  - 300 event streams and 300 idle connections open: a page is still served;
#  - one address holds at most 3/4 of the connections: past that its new
#    connections are closed at once, and other addresses are still served;
#  - idle connections and half-sent requests are closed after 15 s (the
#    test allows 40: it was 60).
# Every wait is bounded (curl --max-time, `timeout`, wait_for); no assertion
# on speed. Run by tests/run.sh with VARIANT, BRIEFGEN, TOP, TAG.
AREA=serve-limits
. "$(dirname "$0")/lib/server.sh"
clients=$top/tests/serve_limits/clients.mjs
if ! command -v node >/dev/null; then
	skip "node is not installed: no $AREA test ran"
	exit 0
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ]; then
	skip "descriptor limit $(ulimit -n) is below 4096: no $AREA test ran"
	exit 0
fi

site=$tmp/site
mkdir -p "$site"
cp -r "$top/tests/golden/basic/content" "$site/"
"$bg" serve "$site" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pids+=($!)
server_pid=$!
if ! wait_for 30 grep -q '^serving .* at http://' "$tmp/serve.out"; then
	bad "server starts"; sed 's/^/#   /' "$tmp/serve.err" | head -20
	exit 0
fi
url=$(sed -n 's/^serving .* at \(http:[^ ]*\).*/\1/p' "$tmp/serve.out" | head -1)
port=$(echo "$url" | sed 's|^http://127\.0\.0\.1:\([0-9]*\)/.*|\1|')
page=${url}en/
code() { cget -o /dev/null -w '%{http_code}' "$@"; }

# idle and half-sent connections, watched while the rest runs
node "$clients" idle "$port" >"$tmp/idle.out" 2>&1 &
pids+=($!)
idle_pid=$!

# ---- Host header ----------------------------------------------------------------
for h in "localhost" "localhost:$port" "127.0.0.1" "127.0.0.1:$port" "[::1]:$port" "[::1]" "LocalHost:$port"; do
	check "Host '$h' is answered (200)" test "$(code -H "Host: $h" "$page")" = 200
done
for h in "evil.example" "evil.example:$port" "localhost.evil.example:$port" "127.0.0.1.evil.example" \
	 "127.0.0.1:1" "localhost:$port$port" "localhost:+$port" "[::1]x" "[::2]:$port" "10.0.0.1:$port" ""; do
	check "Host '$h' is refused (403)" test "$(code -H "Host: $h" "$page")" = 403
done
check "a refused Host gets a short text, not the page" \
	bash -c "cget -H 'Host: evil.example' '$page' | grep -qx 'briefgen preview: only requests for localhost:$port, 127.0.0.1:$port or \[::1\]:$port are answered'"
check "the event stream refuses a foreign Host too (403)" \
	test "$(code --max-time 3 -H "Host: evil.example:$port" "${url}__briefgen/events")" = 403
check "HTTP/1.0 without a Host header is answered" test "$(code --http1.0 -H 'Host:' "$page")" = 200

# ---- event streams: 300 opened, the 44 oldest are ended ---------------------------
node "$clients" streams "$port" 300 44 >"$tmp/streams.out" 2>&1 &
pids+=($!)
wait_for 120 grep -q '^bye' "$tmp/streams.out"
check "300 event streams: the 44 oldest are ended, in order" \
	test "$(sed -n 's/^ended //p' "$tmp/streams.out")" = "$(seq -s ' ' 0 43)"
check "300 event streams: each ended one was told 'bye' first" grep -qx 'bye 44' "$tmp/streams.out"
check "the page script closes its stream on 'bye' (no reconnecting)" \
	bash -c "cget '$page' | grep -q 'addEventListener(\"bye\",function(){s.close()})'"

# ---- 300 idle connections on top: a page is still served -------------------------------
node "$clients" hold "$port" 300 127.0.0.1 >"$tmp/hold1.out" 2>&1 &
pids+=($!)
wait_for 60 grep -q '^held' "$tmp/hold1.out"
check "300 idle connections are held open" grep -qx 'held 300 refused 0' "$tmp/hold1.out"
check "256 event streams and 300 idle connections open: a page is still served" \
	bash -c "timeout 30 curl -s --max-time 25 '$page' | grep -q '</html>'"

# ---- one address, past its share: refused at once; other addresses served ------------------
node "$clients" hold "$port" 400 127.0.0.1 >"$tmp/hold2.out" 2>&1 &
pids+=($!)
wait_for 60 grep -q '^held' "$tmp/hold2.out"
refused=$(sed -n 's/^held [0-9]* refused \([0-9]*\)/\1/p' "$tmp/hold2.out")
check "127.0.0.1 past 3/4 of the connections: the extra ones are closed at once" test "${refused:-0}" -gt 0
check "another address (127.0.0.2) is still served meanwhile" \
	bash -c "timeout 30 curl -s --max-time 25 --interface 127.0.0.2 '$page' | grep -q '</html>'"
for p in "${pids[@]}"; do
	case $p in "$server_pid"|"$idle_pid") ;; *) kill "$p" 2>/dev/null ;; esac
done
check "once they go, 127.0.0.1 is served again" \
	wait_for 30 bash -c "curl -s --max-time 5 '$page' | grep -q '</html>'"

# ---- idle and half-sent connections (opened at the start) are closed by the server ---------
# after IDLE_SECONDS (15); the test allows 40 (it was 60 before the limit was set)
wait_for 40 bash -c "grep -q 'closed half' '$tmp/idle.out' && grep -q 'closed idle' '$tmp/idle.out'"
closed_by() { local s; s=$(sed -n "s/^closed $1 after \([0-9]*\) s$/\1/p" "$tmp/idle.out"); [ -n "$s" ] && [ "$s" -lt 40 ]; }
check "an idle connection is closed by the server (well before a minute)" closed_by idle
check "a half-sent request is closed by the server (well before a minute)" closed_by half
check "the server is still running" kill -0 "$server_pid"
if [ "$VARIANT" = asan ]; then
	kill -INT "$server_pid"; wait_for 20 bash -c "! kill -0 $server_pid"
	check "no sanitizer report" bash -c "! grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' '$tmp/serve.err'"
fi
