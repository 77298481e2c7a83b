#!/bin/bash
# `briefgen calc` (issue 12): a brief's model as published, inputs changed
# on the command line, through the build's own engine. Compares the table
# with expected files, checks each bad input's exact message and exit code,
# and that every point of a line chart is what `briefgen calc` prints for
# the input at that point (one engine, one formatting).
top=${TOP:?}; bg=${BRIEFGEN:?}; tag=${TAG:-}
site="$top/tests/golden/chart" # as ROOT: "chart", run from tests/golden
want="$top/tests/calc_cli"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()  { echo "ok - $tag calc-cli: $*"; }
bad() { echo "not ok - $tag calc-cli: $*"; }

# expect NAME STATUS ARGS...: stdout+stderr against $want/NAME.txt
expect() {
	local name=$1 status=$2; shift 2
	(cd "$top/tests/golden${IN:+/$IN}" && "$bg" calc "$@") >"$tmp/out" 2>&1
	local got=$?
	if [ "$got" != "$status" ]; then bad "$name: exit $got, want $status"; sed 's/^/#   /' "$tmp/out" | head; return; fi
	if [ "${REGEN:-}" = 1 ]; then cp "$tmp/out" "$want/$name.txt"; fi
	if diff "$want/$name.txt" "$tmp/out" >"$tmp/diff"; then ok "$name: output and exit $status as expected"
	else bad "$name: output differs"; sed 's/^/#   /' "$tmp/diff" | head -20; fi
}

expect published-en 0 chart charts --lang en
expect published-zh 0 chart charts
IN=chart expect root-omitted 0 2024-12-13-charts --lang en
expect by-path 0 chart chart/content/briefs/2024-12-13-charts/en.md --lang en
expect overridden 0 chart charts gpus=300000 gpu_price='25000 * USD / GPU' nvidia_share=0.5 --lang en
expect unknown-input 1 chart charts gpuz=3
expect derived-input 1 chart charts cluster_cost=3
expect wrong-unit 1 chart charts gpus='3 * USD'
expect not-a-unit 1 chart charts gpus='other_share * 3'
expect no-brief 1 chart nothing
expect bad-lang 1 chart charts --lang fr
expect usage 2
expect bad-option 2 chart charts --frobnicate
# a brief citing another brief's value, which cites a third (tests/golden/cites)
expect cites-chain 0 cites gamma --lang en
expect cites-overridden 0 cites gamma beta_gpus=720 --lang en

# Identity: the line chart sweeps gpus from 100 000 to 1 000 000 in steps of
# 100 000; row k of its data table is the model at gpus = 100 000 k.
(cd "$site" && "$bg" build --quiet --out "$tmp/site") || bad "the chart site builds"
for lang in en zh; do
	python3 - "$tmp/site/$lang/briefs/charts/index.html" >"$tmp/rows-$lang" <<'PY'
import re, sys, html
s = open(sys.argv[1], encoding='utf-8').read()
fig = re.search(r'<figure class="chart chart-line".*?</figure>', s, re.S).group(0)
body = re.search(r'<tbody>(.*?)</tbody>', fig, re.S).group(1)
for row in re.findall(r'<tr>(.*?)</tr>', body, re.S):
    cells = [html.unescape(re.sub(r'<[^>]+>', '', c)) for c in re.findall(r'<t[hd][^>]*>(.*?)</t[hd]>', row, re.S)]
    print('\t'.join(cells))
PY
	n=0; same=0
	while IFS=$'\t' read -r x cost power; do
		n=$((n + 1))
		"$bg" calc "$site" charts gpus=$((100000 * n)) --lang "$lang" >"$tmp/calc" 2>&1
		c=$(awk '$1 == "cluster_cost" { $1 = ""; print }' "$tmp/calc" | sed 's/^ *//')
		p=$(awk '$1 == "cluster_power_cost" { $1 = ""; print }' "$tmp/calc" | sed 's/^ *//')
		g=$(awk '$1 == "gpus" && $2 == "*" { $1 = ""; $2 = ""; print }' "$tmp/calc" | sed 's/^ *//')
		# the label column precedes the value: compare the value at the line's end
		case "$c" in *"$cost") ;; *) echo "#   $lang row $n: chart '$cost', calc '$c'"; continue ;; esac
		case "$p" in *"$power") ;; *) echo "#   $lang row $n: chart '$power', calc '$p'"; continue ;; esac
		case "$g" in *"$x") ;; *) echo "#   $lang row $n: chart x '$x', calc '$g'"; continue ;; esac
		same=$((same + 1))
	done <"$tmp/rows-$lang"
	if [ "$n" = 10 ] && [ "$same" = 10 ]; then ok "[$lang] each of the line chart's 10 points is what briefgen calc prints at that input"
	else bad "[$lang] line chart against briefgen calc: $same of $n points agree (want 10 of 10)"; fi
done

# Identity over the what-if grid: for every position of the first two
# controls (the third at its published position), the page's JSON gives the
# inline value of cluster_cost; it must be what `briefgen calc` prints there.
for lang in en zh; do
	python3 - "$tmp/site/$lang/briefs/charts/index.html" >"$tmp/grid-$lang" <<'PY'
import re, sys, json, html
s = open(sys.argv[1], encoding='utf-8').read()
d = json.loads(re.search(r'<script type="application/json" id="whatif-data">(.*?)</script>', s, re.S).group(1))
t = int(re.search(r'data-calc="cluster_cost" data-wi="(\d+)"', s).group(1))
c = d['controls']
for i in range(len(c[0]['xs'])):
    for j in range(len(c[1]['xs'])):
        k = c[2]['k']
        sc = (i * len(c[1]['xs']) + j) * len(c[2]['xs']) + k
        print('%s=%.15g\t%s=%.15g\t%s' % (c[0]['name'], c[0]['xs'][i], c[1]['name'], c[1]['xs'][j], d['strings'][d['targets'][t][sc]]))
PY
	n=0; same=0
	while IFS=$'\t' read -r a b text; do
		n=$((n + 1))
		got=$(cd "$top/tests/golden" && "$bg" calc chart charts "$a" "$b" --lang "$lang" |
			awk '$1 == "cluster_cost" { sub(/^[^ ]+ +/, ""); print }')
		case "$got" in *"$text") same=$((same + 1)) ;; *) echo "#   $lang $a $b: page '$text', calc '$got'" ;; esac
	done <"$tmp/grid-$lang"
	if [ "$n" = 25 ] && [ "$same" = 25 ]; then ok "[$lang] 25 what-if scenarios: the page's text is what briefgen calc prints"
	else bad "[$lang] what-if grid against briefgen calc: $same of $n scenarios agree (want 25 of 25)"; fi
done
