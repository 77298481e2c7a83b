# tests/bench/lib.sh — what run.sh (`make bench`) and serve.sh (`make bench-serve`) share: where
# the files go, the synthetic site, medians and ratios, the list of targets. Source it after
# setting `top` (the repository) and `briefs_max` (the largest size this run generates).
here=$top/tests/bench

# sizes: BENCH_SIZES ("1000 10000"), else BENCH_BRIEFS, else 1000. Sets the array `sizes`.
bench_sizes() {
	local s
	read -r -a sizes <<<"${BENCH_SIZES:-${BENCH_BRIEFS:-1000}}"
	[ ${#sizes[@]} -gt 0 ] || { echo "bench: BENCH_SIZES is empty" >&2; exit 2; }
	for s in "${sizes[@]}"; do
		case $s in '' | *[!0-9]*) echo "bench: sizes are whole numbers (got '$s')" >&2; exit 2 ;; esac
		[ "$s" -ge 1 ] || { echo "bench: sizes must be at least 1" >&2; exit 2; }
	done
}

# bench_tmp NAME NEED_KIB: makes the run's temporary folder in $tmp and says in $where what it is.
# BENCH_TMPDIR chooses the place; "disk" means build/ in the repository (a real disk file system, as
# `make site` writes); by default /dev/shm when it has room, so the disk's writeback of one build
# does not land in the next build's time, else $TMPDIR or /tmp.
bench_tmp() {
	local base=${BENCH_TMPDIR:-}
	if [ "$base" = disk ]; then
		base=$top/build
		mkdir -p "$base"
	elif [ -z "$base" ]; then
		base=${TMPDIR:-/tmp}
		if [ -d /dev/shm ] && [ -w /dev/shm ] &&
		   [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt "$2" ]; then
			base=/dev/shm
		fi
	fi
	tmp=$(mktemp -d "$base/briefgen-$1.XXXXXX")
	where="$base ($(df -PT "$tmp" | awk 'NR == 2 { print $2 }'), $(df -P "$tmp" | awk 'NR == 2 { print $1 }'))"
}

# gen_site DIR N: the three variants of gen-site.lua plus the Hugo configuration, layouts and CSS.
gen_site() {
	lua5.4 "$here/gen-site.lua" "$1" "$2" "$top/content/site.lua"
	cp -al "$1/bg-calc/content/briefs" "$1/bg-search/content/" # the same briefs, linked, not copied
	cp -r "$here/hugo/." "$1/hugo/"
	mkdir -p "$1/hugo/static/assets"
	cp "$top/templates/assets/"* "$1/hugo/static/assets/"
	rm -f "$1/hugo/static/assets/search.js" # no search on Hugo's side (gen-site.lua)
}

# bytes DIR: total size of the regular files under DIR
bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

# median COLUMN FILE; range COLUMN FILE SCALE ("lo-hi" divided by SCALE)
median() {
	awk -v c="$1" '{ print $c }' "$2" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
range() {
	awk -v c="$1" '{ print $c }' "$2" | sort -g |
		awk -v k="$3" 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo / k, hi / k }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f", a / b }'; }

# target OK? TEXT: records one line of the targets table (met when the command succeeds).
# The caller prints $targets at the end; missed counts the misses.
targets="" missed=0
target() {
	local text=$1; shift
	if "$@"; then targets+="  met     $text"$'\n'
	else targets+="  MISSED  $text"$'\n'; missed=$((missed + 1)); fi
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }  # ge A B: A >= B
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }  # le A B: A <= B
