#!/usr/bin/env bash
# serve.sh — `briefgen serve` over real sockets, with curl: pages, MIME
# types, 404, every path-traversal form, HEAD and other methods, live reload
# after edits (content and template), the error overlay, watching new and
# renamed folders, 200 concurrent connections, clients that go away, clean
# stop on SIGINT/SIGTERM. Run by tests/run.sh with VARIANT, BRIEFGEN, TOP,
# TAG. Every wait is bounded; the servers are killed on exit whatever
# happens. Works on a copy of tests/golden/basic in a temporary folder.
AREA=serve
. "$(dirname "$0")/lib/server.sh"
count() { grep -c -- "$2" "$1" 2>/dev/null || true; }  # count FILE PATTERN
more_than() { [ "$(count "$1" "$2")" -gt "$3" ]; }     # more_than FILE PATTERN N
has() { grep -q -- "$2" "$1"; }

# ---- the fixture: the golden site with a theme of its own to edit ---------
site=$tmp/site
mkdir -p "$site"
cp -r "$top/tests/golden/basic/content" "$site/"
cp -r "$top/templates" "$site/templates"
assets=$site/templates/assets
printf '\211PNG\r\n\032\n' >"$assets/t.png"
printf '\377\330\377\340' >"$assets/t.jpg"
printf 'RIFF\0\0\0\0WEBP' >"$assets/t.webp"
printf 'wOF2' >"$assets/t.woff2"
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$assets/t.svg"
echo 'console.log(1);' >"$assets/t.js"
echo '{"a": 1}' >"$assets/t.json"
echo '<?xml version="1.0"?><a/>' >"$assets/t.xml"
printf 'a,b\n1,2\n' >"$assets/t.csv"
echo 'plain' >"$assets/t.txt"
head -c 8388608 /dev/zero >"$assets/big.bin"
brief=$site/content/briefs/2024-12-13-first/en.md

# start_server NAME ARGS...: runs `briefgen serve ARGS` in the background;
# sets pid and url (as printed) and host (scheme://addr:port)
start_server() {
	local name=$1; shift
	"$bg" serve "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	pids+=("$pid")
	url=""
	if wait_for 30 grep -q '^serving .* at http://' "$tmp/$name.out"; then
		url=$(sed -n 's/^serving .* at \(http:[^ ]*\).*/\1/p' "$tmp/$name.out" | head -1)
		host=$(echo "$url" | sed 's|^\(http://[^/]*\).*|\1|')
		return 0
	fi
	say "server $name did not start:"; sed 's/^/#   /' "$tmp/$name.err" | head -20
	return 1
}
# stop_server PID SIGNAL: sends it, waits at most 15 s; sets stop_status
stop_server() {
	kill "-$2" "$1" 2>/dev/null
	ms; local until=$(( NOW + 15000 ))
	while kill -0 "$1" 2>/dev/null; do
		ms; if [ "$NOW" -gt "$until" ]; then kill -9 "$1" 2>/dev/null; stop_status=timeout; wait "$1" 2>/dev/null; return; fi
		sleep 0.05
	done
	wait "$1"; stop_status=$?
}
no_sanitizer_report() { ! grep -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$1"; }

# ---- command line ------------------------------------------------------------
"$bg" serve --port nope >/dev/null 2>&1; check "--port nope is a usage error (exit 2)" test $? = 2
"$bg" serve --port 70000 >/dev/null 2>&1; check "--port 70000 is a usage error (exit 2)" test $? = 2
"$bg" serve --bogus >/dev/null 2>&1; check "unknown option is a usage error (exit 2)" test $? = 2
mkdir -p "$tmp/empty"
(cd "$tmp/empty" && timeout 20 "$bg" serve --port 0) >/dev/null 2>"$tmp/empty.err"
check "no content/ here: exit 1 and says so" test $? = 1 -a -n "$(grep 'no content folder here' "$tmp/empty.err")"
"$bg" --help >"$tmp/help" 2>&1; check "--help lists serve" grep -q '^  serve' "$tmp/help"

# ---- the main server -----------------------------------------------------------
if ! start_server main "$site" --port 0 --mirror "$tmp/mirror"; then
	bad "server starts and prints its URL"
	exit 0
fi
main_pid=$pid main_host=$host
check "server starts and prints its URL on 127.0.0.1" grep -q '^serving .* at http://127\.0\.0\.1:[0-9]*/briefs/' "$tmp/main.out"
gen=$tmp/mirror
check "builds in memory, never into ROOT/site; --mirror writes the files" test -f "$gen/404.html" -a ! -e "$site/site"
check "says where the preview is" grep -q '^preview in memory, mirrored into .*mirror (site/ is not touched)' "$tmp/main.out"
check "mirrored files carry no live-reload script" bash -c "! grep -rl 'briefgen-live' '$gen'"

# pages, folders, redirects
url=${url%/}  # http://127.0.0.1:N/briefs
main_url=$url
code=$(cget -o "$tmp/page" -w '%{http_code} %{content_type}' "$url/en/briefs/first/")
check "brief page: 200 text/html; charset=utf-8" test "$code" = "200 text/html; charset=utf-8"
check "brief page: has its title" grep -q 'First: &lt;Title&gt; &amp; escaping' "$tmp/page"
check "brief page: live-reload script injected before </body>" grep -q '<!--/briefgen-live--></body>' "$tmp/page"
check "folder with trailing slash serves index.html" test "$(cget -o /dev/null -w '%{http_code}' "$url/en/")" = 200
check "folder without trailing slash redirects to it" test "$(cget -o /dev/null -w '%{http_code} %{redirect_url}' "$url/en")" = "302 $url/en/"
check "/ redirects to the site's base path" test "$(cget -o /dev/null -w '%{http_code} %{redirect_url}' "$host/")" = "302 $url/"
check "site root serves its index.html" test "$(cget -o /dev/null -w '%{http_code}' "$url/")" = 200
check "query strings are ignored" test "$(cget -o /dev/null -w '%{http_code}' "$url/en/?x=1")" = 200

# MIME types
for pair in css:text/css html:text/html js:text/javascript svg:image/svg+xml png:image/png \
	    jpg:image/jpeg webp:image/webp json:application/json xml:application/xml \
	    woff2:font/woff2 csv:text/csv txt:text/plain; do
	ext=${pair%%:*} want=${pair#*:}
	case $ext in css) path=/assets/style.css ;; html) path=/404.html ;; *) path=/assets/t.$ext ;; esac
	got=$(cget -o /dev/null -w '%{http_code} %{content_type}' "$url$path")
	check "MIME: .$ext is $want" test "${got%%;*}" = "200 $want"
done
cget -o "$tmp/png" "$url/assets/t.png"
check "binary file served byte for byte" cmp "$tmp/png" "$assets/t.png"

# 404
code=$(cget -o "$tmp/404" -w '%{http_code}' "$url/no/such/page/")
check "missing page: status 404" test "$code" = 404
body=$(cat "$tmp/404")
stripped="${body%%<!--briefgen-live-->*}${body##*<!--/briefgen-live-->}"
check "missing page: body is the site's 404.html (plus the script)" test "$stripped" = "$(cat "$gen/404.html")" -a "$stripped" != "$body"
check "missing asset: 404" test "$(cget -o /dev/null -w '%{http_code}' "$url/assets/nope.css")" = 404
check "outside the base path: 404" test "$(cget -o /dev/null -w '%{http_code}' "$host/elsewhere/")" = 404
check "a file asked for as a folder: 404" test "$(cget -o /dev/null -w '%{http_code}' "$url/assets/style.css/")" = 404

# path traversal: every form answers 404 and never a byte from outside (links
# put beside the mirrored files are nothing to the server, which reads memory)
ln -s /etc "$gen/etc-link"
ln -s /etc/passwd "$gen/passwd.txt"
ln -s en "$gen/en-link"
for p in "/../../../../etc/passwd" "/briefs/../../../etc/passwd" "/briefs/en/../../../../etc/passwd" \
	 "/%2e%2e/%2e%2e/etc/passwd" "/briefs/%2e%2e/%2e%2e/%2e%2e/etc/passwd" \
	 "/briefs/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd" "/briefs/..%2f..%2f..%2fetc%2fpasswd" \
	 "//etc/passwd" "/briefs//etc/passwd" "/briefs/%2Fetc%2Fpasswd" "/briefs/en/%00/../../../etc/passwd" \
	 "/briefs/etc-link/passwd" "/briefs/etc-link/" "/briefs/etc-link" "/briefs/passwd.txt" \
	 "/briefs/en-link/"; do
	code=$(curl -s --path-as-is --max-time 10 -o "$tmp/trav" -w '%{http_code}' "$host$p")
	if [ "$code" = 404 ] && ! grep -q 'root:' "$tmp/trav"; then ok "traversal $p: 404, nothing from outside"
	else bad "traversal $p: status $code"; head -c 300 "$tmp/trav" | sed 's/^/#   /'; fi
done
port=${host##*:}
raw() { # raw REQUEST: sends it as is over a fresh connection, prints the answer
	timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1; printf "%b" "$2" >&3; cat <&3' _ "$port" "$1"
}
raw 'GET ../../etc/passwd HTTP/1.0\r\n\r\n' >"$tmp/raw1"
check "traversal: request target without leading /: 4xx, nothing from outside" \
	bash -c "head -1 '$tmp/raw1' | grep -q ' 4[0-9][0-9] ' && ! grep -q root: '$tmp/raw1'"
raw 'GET http://127.0.0.1/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$tmp/raw2"
check "traversal: absolute-form target: 4xx, nothing from outside" \
	bash -c "head -1 '$tmp/raw2' | grep -q ' 4[0-9][0-9] ' && ! grep -q root: '$tmp/raw2'"

# methods
cget -D "$tmp/head.h" -o "$tmp/head.b" -I "$url/en/briefs/first/"
len=$(tr -d '\r' <"$tmp/head.h" | sed -n 's/^Content-Length: //Ip')
cget -o "$tmp/get.b" "$url/en/briefs/first/"
check "HEAD: 200 with the Content-Length of GET" bash -c "head -1 '$tmp/head.h' | grep -q ' 200' && test '$len' = $(wc -c <"$tmp/get.b")"
raw 'HEAD /briefs/en/briefs/first/ HTTP/1.0\r\n\r\n' | tr -d '\r' >"$tmp/raw-head"
check "HEAD: no body on the wire" test -z "$(sed '1,/^$/d' "$tmp/raw-head")"
code=$(cget -o /dev/null -D "$tmp/post.h" -w '%{http_code}' -X POST -d 'x=1' "$url/en/")
check "POST: 405 with Allow: GET, HEAD" bash -c "test '$code' = 405 && grep -qi '^Allow: GET, HEAD' '$tmp/post.h'"
for m in PUT DELETE OPTIONS PATCH; do
	check "$m: 405" test "$(cget -o /dev/null -w '%{http_code}' -X "$m" "$url/en/")" = 405
done

# ---- live reload --------------------------------------------------------------
events() { # events NAME: an event-stream listener in the background (20 s at most)
	curl -sN --max-time 60 "$host/__briefgen/events" >"$tmp/$1.sse" 2>/dev/null &
	pids+=($!)
	wait_for 10 has "$tmp/$1.sse" 'event: hello'
}
events ev1
check "event stream: text/event-stream, says hello first" bash -c "
	test \"\$(cget -o /dev/null -w '%{content_type}' --max-time 1 '$host/__briefgen/events')\" = 'text/event-stream; charset=utf-8' ;
	head -4 '$tmp/ev1.sse' | grep -q 'event: hello'"

# an edit to a brief: reload event, then the new text (the time is reported,
# not asserted: speed is the benchmark's, `make bench-serve`)
reloads=$(count "$tmp/ev1.sse" 'event: reload')
ms; t0=$NOW
sed -i 's/The first paragraph/The EDITED first paragraph/' "$brief"
wait_for 30 more_than "$tmp/ev1.sse" 'event: reload' "$reloads"
ms; t1=$NOW
cget -o "$tmp/edited" "$url/en/briefs/first/"
ms; t2=$NOW
say "edit to reload event: $((t1 - t0)) ms; to new text served: $((t2 - t0)) ms ($VARIANT)"
check "edit a brief: a reload event follows" test "$(count "$tmp/ev1.sse" 'event: reload')" -gt "$reloads"
check "edit a brief: the new text is served after the reload event" grep -q 'The EDITED first paragraph' "$tmp/edited"
check "edit a brief: both languages and the listing rebuilt" bash -c "
	test \"\$(cget -o /dev/null -w '%{http_code}' '$url/zh/briefs/first/')\" = 200 &&
	cget '$url/en/' | grep -q 'The EDITED first paragraph'"

# editors that save by rename
reloads=$(count "$tmp/ev1.sse" 'event: reload')
sed 's/The EDITED first/The RENAMED first/' "$brief" >"$(dirname "$brief")/.en.md.swp-tmp"
mv "$(dirname "$brief")/.en.md.swp-tmp" "$brief"
wait_for 30 more_than "$tmp/ev1.sse" 'event: reload' "$reloads"
check "save by rename (write a temporary file, mv over): rebuilt" bash -c "cget '$url/en/briefs/first/' | grep -q 'The RENAMED first paragraph'"

# a syntax error: overlay over the last good pages, then a fix clears it
cp "$brief" "$tmp/brief.good"
fails=$(count "$tmp/ev1.sse" 'event: failed')
printf -- '---\ntitle: Broken\n\nNo closing line.\n' >"$brief"
wait_for 5 more_than "$tmp/ev1.sse" 'event: failed' "$fails"
check "syntax error: 'failed' event with file:line and message" \
	grep -q '^data: .*content/briefs/2024-12-13-first/en.md:1:1: error: front matter opened here is never closed' "$tmp/ev1.sse"
cget -o "$tmp/failing" "$url/en/briefs/first/"
check "syntax error: last good page still served" grep -q 'The RENAMED first paragraph' "$tmp/failing"
check "syntax error: page carries the overlay with the diagnostic" \
	grep -q '<div id="__briefgen_overlay".*en.md:1:1: error: front matter opened here is never closed' "$tmp/failing"
check "syntax error: 404 page carries the overlay too" bash -c "cget '$url/nope/' | grep -q '__briefgen_overlay.*never closed'"
events ev2
check "syntax error: a stream opened while failing gets the diagnostic at once" \
	wait_for 3 has "$tmp/ev2.sse" 'never closed'
reloads=$(count "$tmp/ev1.sse" 'event: reload')
cp "$tmp/brief.good" "$brief"
wait_for 30 more_than "$tmp/ev1.sse" 'event: reload' "$reloads"
cget -o "$tmp/fixed" "$url/en/briefs/first/"
check "fix: reload event, overlay gone" bash -c "! grep -q '<div id=\"__briefgen_overlay\"' '$tmp/fixed' && grep -q 'The RENAMED first paragraph' '$tmp/fixed'"

# a template edit re-renders pages
reloads=$(count "$tmp/ev1.sse" 'event: reload')
if grep -q '</body>' "$site/templates/base.html"; then
	sed -i 's|</body>|<p class="tpl-mark">TEMPLATE-EDIT-7</p></body>|' "$site/templates/base.html"
	wait_for 30 more_than "$tmp/ev1.sse" 'event: reload' "$reloads"
	check "template edit: reload event" test "$(count "$tmp/ev1.sse" 'event: reload')" -gt "$reloads"
	check "template edit: brief pages re-rendered" bash -c "cget '$url/zh/briefs/first/' | grep -q TEMPLATE-EDIT-7"
	check "template edit: home pages re-rendered" bash -c "cget '$url/en/' | grep -q TEMPLATE-EDIT-7"
else
	bad "template edit: templates/base.html has no </body> to edit"
fi

# new folders, renamed folders, deletions
reloads=$(count "$tmp/ev1.sse" 'event: reload')
mkdir -p "$site/content/briefs/2024-12-30-fresh"
printf -- '---\ntitle: Fresh brief\n---\nFresh text.\n' >"$site/content/briefs/2024-12-30-fresh/en.md"
wait_for 5 bash -c "cget '$url/en/briefs/fresh/' | grep -q 'Fresh text'"
check "new folder with a new brief: page appears" bash -c "cget '$url/en/briefs/fresh/' | grep -q 'Fresh text'"
mv "$site/content/briefs/2024-12-30-fresh" "$site/content/briefs/2024-12-31-moved"
wait_for 5 bash -c "test \"\$(cget -o /dev/null -w '%{http_code}' '$url/en/briefs/moved/')\" = 200"
check "renamed folder: new page appears, old one is 404" bash -c "
	test \"\$(cget -o /dev/null -w '%{http_code}' '$url/en/briefs/moved/')\" = 200 &&
	test \"\$(cget -o /dev/null -w '%{http_code}' '$url/en/briefs/fresh/')\" = 404"
sed -i 's/Fresh text/Moved text/' "$site/content/briefs/2024-12-31-moved/en.md"
wait_for 5 bash -c "cget '$url/en/briefs/moved/' | grep -q 'Moved text'"
check "renamed folder: files inside it are still watched" bash -c "cget '$url/en/briefs/moved/' | grep -q 'Moved text'"
rm -rf "$site/content/briefs/2024-12-31-moved"
wait_for 5 bash -c "test \"\$(cget -o /dev/null -w '%{http_code}' '$url/en/briefs/moved/')\" = 404"
check "deleted folder: page gone (404)" test "$(cget -o /dev/null -w '%{http_code}' "$url/en/briefs/moved/")" = 404
check "log names the changed file and the build time" grep -q 'changed; built [0-9]* pages in [0-9]* ms' "$tmp/main.err"

# ---- load: 200 connections at once, clients that go away -------------------------
# One curl holds 200 event streams open (--parallel), another sends 200 page
# requests 50 at a time while they are open.
mkdir -p "$tmp/par"
args=()
for i in $(seq 200); do args+=(-o "$tmp/par/$i" "$host/__briefgen/events?n=$i"); done
curl -sN --parallel --parallel-immediate --parallel-max 200 --max-time 60 "${args[@]}" 2>/dev/null &
par_pid=$!; pids+=("$par_pid")
all_hello() { [ "$(grep -l 'event: hello' "$tmp"/par/* 2>/dev/null | wc -l)" = 200 ]; }
wait_for 30 all_hello
check "200 event streams open at once: every one answered" all_hello
args=()
for i in $(seq 200); do args+=(-o /dev/null "$url/en/briefs/first/?n=$i"); done
curl -s --parallel --parallel-max 50 --max-time 20 -w '%{http_code}\n' "${args[@]}" >"$tmp/codes" 2>/dev/null
check "200 parallel page requests while 200 streams are open: all 200 OK" test "$(grep -cx 200 "$tmp/codes")" = 200
all_reload() { [ "$(grep -l 'event: reload' "$tmp"/par/* 2>/dev/null | wc -l)" = 200 ]; }
sed -i 's/Analysis/Analysis, revised/' "$brief"
wait_for 10 all_reload
check "a rebuild reaches all 200 open streams" all_reload
{ kill "$par_pid"; wait "$par_pid"; } 2>/dev/null

# clients that disconnect mid-response
for i in 1 2 3 4 5; do
	curl -s --max-time 10 "$url/assets/big.bin" 2>/dev/null | head -c 1000 >/dev/null
	curl -s --max-time 0.2 --limit-rate 100k -o /dev/null "$url/assets/big.bin" 2>/dev/null
	raw 'GET /briefs/assets/big.bin HTTP/1.1\r\nHost: x\r\n\r\n' 2>/dev/null | head -c 10 >/dev/null
done
code=$(cget -o "$tmp/big" -w '%{http_code}' "$url/assets/big.bin")
check "clients that disconnect mid-response: server still answers, big file whole" \
	bash -c "kill -0 $main_pid && test '$code' = 200 && cmp -s '$tmp/big' '$assets/big.bin'"

# ---- a second server: port taken, SIGTERM, other addresses ---------------------------
main_port=$port
"$bg" serve "$site" --port "$main_port" >/dev/null 2>"$tmp/busy.err" </dev/null &
busy=$!; pids+=("$busy")
stop_status=; ms; u=$(( NOW + 20000 ))
while kill -0 "$busy" 2>/dev/null && ms && [ "$NOW" -lt "$u" ]; do sleep 0.05; done
if kill -0 "$busy" 2>/dev/null; then kill -9 "$busy"; stop_status=running; else wait "$busy"; stop_status=$?; fi
check "port in use: exit 1 with a diagnostic" bash -c "test '$stop_status' = 1 && grep -q 'error: cannot listen on 127.0.0.1 port $main_port' '$tmp/busy.err'"

check "without --drafts: a draft is not served" test "$(cget -o /dev/null -w '%{http_code}' "$main_url/en/briefs/draft/")" = 404
if start_server v6 "$site" --port 0 --bind ::1 --drafts; then
	check "--bind ::1: URL in brackets, no warning" bash -c "echo '$url' | grep -q '^http://\[::1\]:[0-9]*/' && ! grep -q 'not a loopback' '$tmp/v6.err'"
	check "--bind ::1: serves pages" test "$(cget -o /dev/null -w '%{http_code}' "${url}en/")" = 200
	check "--drafts: the draft is served" test "$(cget -o /dev/null -w '%{http_code}' "${url}en/briefs/draft/")" = 200
	stop_server "$pid" TERM
	check "SIGTERM: exit 0" test "$stop_status" = 0
else
	skip "--bind ::1: no IPv6 loopback here"
fi
if start_server any "$site" --port 0 --bind 0.0.0.0; then
	check "--bind 0.0.0.0: warns that other machines can read the preview" grep -q 'warning: serving on .0\.0\.0\.0., which is not a loopback address' "$tmp/any.err"
	stop_server "$pid" TERM
else
	bad "--bind 0.0.0.0: server starts"
fi

# ---- stop ------------------------------------------------------------------------
host=$main_host
check "an event stream is open when the server is stopped" events ev3
stop_server "$main_pid" INT
check "SIGINT: stops within seconds, exit 0, with an event stream open" test "$stop_status" = 0
check "SIGINT: the mirror stays (it is the user's folder)" test -f "$gen/404.html"
check "no sanitizer report in the server's output" no_sanitizer_report "$tmp/main.err"
exit 0
