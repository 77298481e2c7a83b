#!/usr/bin/env bash
# The link check's cost grows linearly with links, pages and broken links.
# Each case builds a generated site with a generous limit on CPU time (and a
# wall-clock `timeout` against hangs) and checks that the build ends and
# reports exactly the errors it should; no time is asserted. CPU time, not
# wall time, because the machine may be busy: the limit is several times
# what each build needs (release: 1-3 s; AddressSanitizer: up to 25 s), and
# a fraction of what a check needed that searched its list of theme errors
# one by one, or the Markdown source from its start for every broken link
# (cases 1 and 2: 41 and 58 s in a release build).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
ok()  { echo "ok - $TAG linkcheck scale: $*"; }
bad() { echo "not ok - $TAG linkcheck scale: $*"; }
cpu=20
[ "${VARIANT:-release}" = asan ] && cpu=60 # AddressSanitizer: about three times slower
n=60000

site() { # site DIR: one language, base URL at the root
	mkdir -p "$1/content/briefs"
	printf 'return {\n  base_url = "https://example.org/",\n  languages = { { code = "en", hreflang = "en", title = "Briefs" } },\n  default_language = "en",\n}\n' \
		>"$1/content/site.lua"
}

# build NAME DIR: builds DIR within the limits, stderr in $tmp/NAME.err;
# fails unless the build ends with exit status 1
build() {
	(ulimit -t "$cpu" && cd "$2" && exec timeout 600 "$BRIEFGEN" build --quiet --verbose --out out) 2>"$tmp/$1.err"
	local status=$?
	if [ $status -gt 128 ] || [ $status = 124 ]; then
		bad "$1: stopped after $cpu CPU seconds (status $status)"; return 1
	fi
	if [ $status != 1 ]; then bad "$1: exit status $status, want 1"; sed 's/^/#   /' "$tmp/$1.err" | head -5; return 1; fi
}

# 1. One brief with n distinct broken links in its body, eight to a
#    paragraph line: every one reported, at its line and column.
d=$tmp/body
site "$d"
mkdir -p "$d/content/briefs/2024-01-01-a"
{
	printf -- '---\ntitle: Many links\n---\n'
	awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++) printf "[%d](/gone/%d/)%s", i, i, (i % 8 ? " " : "\n\n") }'
} >"$d/content/briefs/2024-01-01-a/en.md"
if build body "$d"; then
	got=$(grep -c "^content/briefs/2024-01-01-a/en.md:[0-9]*:[0-9]*: error: broken link '/gone/[0-9]*/' on page '/en/briefs/a/'$" "$tmp/body.err")
	# the last link: line 4 + 2 * ((n - 1) / 8), after the other links of its line
	want=$(awk -v n=$n 'BEGIN {
		col = 1
		for (i = n - (n - 1) % 8; i < n; i++) col += length(sprintf("[%d](/gone/%d/) ", i, i))
		col += length(sprintf("[%d](", n))
		printf "content/briefs/2024-01-01-a/en.md:%d:%d: error: broken link \047/gone/%d/\047 on page \047/en/briefs/a/\047",
			4 + 2 * int((n - 1) / 8), col, n }')
	if [ "$got" = $n ] && grep -qxF "$want" "$tmp/body.err" && grep -q "^build failed: $n errors" "$tmp/body.err"; then
		ok "body: $n broken links in one brief, each at its line and column"
	else
		bad "body: $got of $n broken links reported, or the last one misplaced"
		grep -F "/gone/$n/" "$tmp/body.err" | sed 's/^/#   got  /'; echo "#   want $want"
	fi
fi

# 2. A theme with n distinct broken links on every page: each reported once,
#    naming the theme, with the count of the other pages.
d=$tmp/theme
site "$d"
for b in a b c; do
	mkdir -p "$d/content/briefs/2024-01-01-$b"
	printf -- '---\ntitle: %s\n---\nText.\n' "$b" >"$d/content/briefs/2024-01-01-$b/en.md"
done
cp -r "$TOP/templates" "$d/"
printf '<nav class="switcher"><%% for i = 1, %d do %%><a href="/gone/<%%= i %%>/">x</a><%% end %%></nav>\n' $n \
	>"$d/templates/partials/switcher.html"
if build theme "$d"; then
	got=$(grep -c "^templates: error: broken link '/gone/[0-9]*/' on page '/404.html' (and on [0-9]* more pages)$" "$tmp/theme.err")
	more=$(sed -n "s|^templates: error: broken link '/gone/1/' on page '/404.html' (and on \([0-9]*\) more pages)$|\1|p" "$tmp/theme.err")
	if [ "$got" = $n ] && [ -n "$more" ] && [ "$(grep -c "(and on $more more pages)$" "$tmp/theme.err")" = $n ] &&
	   grep -q "^build failed: $n errors" "$tmp/theme.err"; then
		ok "theme: $n broken theme links, each reported once with the count of $more more pages"
	else
		bad "theme: $got of $n theme links reported once each"; head -3 "$tmp/theme.err" | sed 's/^/#   /'
	fi
fi

# 3. Sound pages at scale: a theme putting n ids on every page with a link
#    to each, and a link to each of n / 10 asset files; one missing anchor
#    and one missing file are the only errors.
d=$tmp/sound
site "$d"
for b in a b c; do
	mkdir -p "$d/content/briefs/2024-01-01-$b"
	printf -- '---\ntitle: %s\n---\nText.\n' "$b" >"$d/content/briefs/2024-01-01-$b/en.md"
done
cp -r "$TOP/templates" "$d/"
m=$((n / 10))
mkdir -p "$d/templates/assets/many"
(cd "$d/templates/assets/many" && seq 1 $m | sed 's/$/.txt/' | xargs touch)
printf '<nav class="switcher"><%% for i = 1, %d do %%><a id="s<%%= i %%>" href="#s<%%= i %%>">x</a><%% end %%>
<%% for i = 1, %d do %%><a href="/assets/many/<%%= i %%>.txt">f</a><%% end %%>
<a href="#s%d">x</a><a href="/assets/many/%d.txt">f</a></nav>\n' $n $m $((n + 1)) $((m + 1)) \
	>"$d/templates/partials/switcher.html"
if build sound "$d"; then
	more=$(sed -n "s|^templates: error: broken link '#s$((n + 1))' on page '/404.html': no id 's$((n + 1))' on this page (and on \([0-9]*\) more pages)$|\1|p" "$tmp/sound.err")
	want="templates: error: broken link '#s$((n + 1))' on page '/404.html': no id 's$((n + 1))' on this page (and on $more more pages)
templates: error: broken link '/assets/many/$((m + 1)).txt' on page '/404.html' (and on $more more pages)
build failed: 2 errors; out left as it was"
	if [ -n "$more" ] && [ "$(cat "$tmp/sound.err")" = "$want" ]; then
		ok "sound pages: $n anchors and $m files on each of $((more + 1)) pages resolve, the two broken links are reported"
	else
		bad "sound pages: want exactly the two broken links"; head -5 "$tmp/sound.err" | sed 's/^/#   /'
	fi
fi
