#!/usr/bin/env bash
# timezone.sh — site.lua `timezone`: tz database names (with the offset of
# each date, daylight saving time included) and fixed offsets reach every
# date briefgen writes (feed <published>/<updated>, sitemap <lastmod>,
# JSON-LD, <time datetime>); what is neither is refused (see also
# tests/invalid/config-timezone-*). Run by tests/run.sh with VARIANT,
# BRIEFGEN, TOP and TAG set.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
ok()   { echo "ok - $TAG timezone: $*"; }
bad()  { echo "not ok - $TAG timezone: $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/#   /' "$tmp/check.out" | head -20; fi
}

# site ZONE: a one-language site with a winter and a summer brief; the
# summer one has an `updated:` without a zone. Builds it into $tmp/<n>/site.
n=0
site() {
	n=$((n + 1)); dir=$tmp/$n
	mkdir -p "$dir/content/briefs/2024-12-13-winter" "$dir/content/briefs/2024-07-01-summer"
	printf -- '---\ntitle: Winter\n---\nBody.\n' >"$dir/content/briefs/2024-12-13-winter/en.md"
	printf -- '---\ntitle: Summer\nupdated: 2024-07-02 10:30\n---\nBody.\n' >"$dir/content/briefs/2024-07-01-summer/en.md"
	printf 'return { languages = { { code = "en" } }, timezone = "%s", base_url = "https://tz.test/" }\n' "$1" >"$dir/content/site.lua"
	(cd "$dir" && "$BRIEFGEN" build --quiet) >"$dir/build.out" 2>&1
	status=$?
}
dates() { grep -rhoE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[^"<]*' "$dir/site" | sort -u | tr '\n' ' '; }

site Asia/Taipei
check "Asia/Taipei: builds" test -f "$dir/site/en/feed.xml"
check "Asia/Taipei: every date written carries +08:00" \
	test "$(dates)" = "2024-07-01T00:00:00+08:00 2024-07-02T10:30:00+08:00 2024-12-13T00:00:00+08:00 "
check "Asia/Taipei: feed <updated> is the newest date, not 1970" \
	grep -q '<updated>2024-12-13T00:00:00+08:00</updated>' "$dir/site/en/feed.xml"
check "Asia/Taipei: no 1970 anywhere" test -z "$(grep -rl 1970 "$dir/site")"
check "Asia/Taipei: sitemap <lastmod> of the updated brief" \
	grep -q '<lastmod>2024-07-02T10:30:00+08:00</lastmod>' "$dir/site/sitemap.xml"
check "Asia/Taipei: JSON-LD dateModified" \
	grep -q '"dateModified":"2024-07-02T10:30:00+08:00"' "$dir/site/en/briefs/summer/index.html"
check "Asia/Taipei: <time datetime>" \
	grep -q '<time datetime="2024-12-13T00:00:00+08:00"' "$dir/site/en/briefs/winter/index.html"

site America/New_York
check "America/New_York: summer dates -04:00, winter -05:00 (daylight saving time)" \
	test "$(dates)" = "2024-07-01T00:00:00-04:00 2024-07-02T10:30:00-04:00 2024-12-13T00:00:00-05:00 "

site UTC
check "UTC: dates end in Z" \
	test "$(dates)" = "2024-07-01T00:00:00Z 2024-07-02T10:30:00Z 2024-12-13T00:00:00Z "
site Z
check "Z: dates end in Z" \
	test "$(dates)" = "2024-07-01T00:00:00Z 2024-07-02T10:30:00Z 2024-12-13T00:00:00Z "
site -05:30
check "-05:30: a fixed offset is kept" \
	test "$(dates)" = "2024-07-01T00:00:00-05:30 2024-07-02T10:30:00-05:30 2024-12-13T00:00:00-05:30 "

# refused ZONE: the last build exited 1 naming the `timezone` key's place
refused() { test "$status" = 1 && grep -qF "content/site.lua:1:43: error: timezone '$1' is neither" "$dir/build.out"; }
for bad_zone in Asia/Taipeh asia/taipei +8 +08 '+15:00' 'CST-8' '/etc/localtime' '../zoneinfo/UTC' 'Asia/../UTC' 'zone.tab' ''; do
	site "$bad_zone"
	check "'$bad_zone' is refused at the line of 'timezone' (exit 1)" refused "$bad_zone"
done
