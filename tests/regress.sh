#!/usr/bin/env bash
# regress.sh [CASE...] — one rendering feature per case, its expected HTML
# fragment compared byte for byte (lowdown's regress/). tests/regress/README.md
# says how a case is laid out. Each case builds alone with the regress theme
# (tests/regress/templates: a brief page is its body HTML and nothing else),
# so a change of the shipped theme changes no expected file.
#
# Run by tests/run.sh (BRIEFGEN, TAG, VARIANT from there), or by hand:
#   tests/regress.sh                     every case, with ./briefgen
#   tests/regress.sh footnotes toc-none  some cases
#   VARIANT=regen tests/regress.sh       rewrite the expected files (make regen)
set -u
top=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
bg=${BRIEFGEN:-$top/briefgen}
tag=${TAG:-[release]}
variant=${VARIANT:-release}
dir=$top/tests/regress
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1

# A bundle with one language gets a warning about the other; that is content
# behaviour (tested in run.sh), not the case's, so it is left out here.
filter_diag() {
	grep -v "^content/briefs/[^:]*: warning: brief '[^']*' has no '[^']*' translation\$" || true
}

# run_case NAME: builds the case into $tmp/NAME; prints ok / not ok.
run_case() {
	local name=$1 c=$dir/cases/$1 w=$tmp/$1
	mkdir -p "$w"
	cp -r "$dir/templates" "$w/templates"
	if [ -d "$c/content" ]; then
		cp -r "$c/content" "$w/content"
	else
		mkdir -p "$w/content/briefs/2024-01-01-$name"
		cp "$c"/*.md "$w/content/briefs/2024-01-01-$name/"
	fi
	[ -f "$c/site.lua" ] && cp "$c/site.lua" "$w/content/site.lua"
	# the site's address: a case's site.lua may give it, else this one
	local addr=(--base-url https://regress.test/)
	grep -qs '^ *base_url' "$w/content/site.lua" && addr=()
	(cd "$w" && timeout 60 "$bg" build --quiet --jobs 1 "${addr[@]}" --out "$w/out") >"$w/stdout" 2>"$w/stderr"
	local status=$?
	filter_diag <"$w/stderr" >"$w/diag"
	if [ $status != 0 ]; then
		echo "not ok - $tag regress: $name: build failed (exit $status)"
		sed 's/^/#   /' "$w/stderr"
		return
	fi
	# The brief's pages: out/<lang>/briefs/<slug>/index.html, one per language.
	local pages=() p lang
	for p in "$w"/out/*/briefs/*/index.html; do
		[ -f "$p" ] && pages+=("$p")
	done
	if [ "$variant" = regen ]; then
		rm -f "$c"/*.html "$c/expected.diag"
		for p in "${pages[@]}"; do
			lang=${p#"$w/out/"}
			cp "$p" "$c/${lang%%/*}.html"
		done
		[ -s "$w/diag" ] && cp "$w/diag" "$c/expected.diag"
		echo "regenerated regress $name"
		return
	fi
	local bad=() seen=" "
	for p in "${pages[@]}"; do
		lang=${p#"$w/out/"}
		lang=${lang%%/*}
		case $seen in *" $lang "*) bad+=("more than one brief in '$lang'"); continue ;; esac
		seen="$seen$lang "
		if [ ! -f "$c/$lang.html" ]; then
			bad+=("page in '$lang' built, no $lang.html expected")
		elif ! diff -u --label "$lang.html (expected)" --label "$lang.html (built)" \
			"$c/$lang.html" "$p" >>"$w/diff"; then
			bad+=("$lang.html differs")
		fi
	done
	for p in "$c"/*.html; do
		[ -f "$p" ] || continue
		lang=$(basename "$p" .html)
		case $seen in *" $lang "*) ;; *) bad+=("$lang.html expected, no page built in '$lang'") ;; esac
	done
	if [ -f "$c/expected.diag" ]; then
		diff -u --label "expected.diag" --label "diagnostics" "$c/expected.diag" "$w/diag" >>"$w/diff" ||
			bad+=("diagnostics differ")
	elif [ -s "$w/diag" ]; then
		bad+=("unexpected diagnostics")
		sed 's/^/+/' "$w/diag" >>"$w/diff"
	fi
	if [ ${#bad[@]} = 0 ] && [ ${#pages[@]} -gt 0 ]; then
		echo "ok - $tag regress: $name"
	else
		[ ${#pages[@]} = 0 ] && bad+=("no brief page built")
		local why; why=$(printf '%s; ' "${bad[@]}")
		echo "not ok - $tag regress: $name: ${why%; }"
		[ -f "$w/diff" ] && head -60 "$w/diff" | sed 's/^/#   /'
	fi
}

if [ $# = 0 ]; then
	for c in "$dir"/cases/*/; do
		run_case "$(basename "$c")"
	done
else
	for name in "$@"; do
		if [ -d "$dir/cases/$name" ]; then run_case "$name"
		else echo "not ok - $tag regress: $name: no such case"; fi
	done
fi
