// charts.mjs — charts as a reader sees them, in headless Chromium: every
// page given, at phone and desktop widths, light and dark. Checks that each
// chart fits the column, that no text of the drawing leaves it or overlaps
// another text, that marks have a colour that is not the paper's, that the
// data table holds a row per category or point and that every mark's link
// lands on a row of the page. With SHOTS=DIR it writes a PNG of each chart.
//
//   node charts.mjs CHROMIUM PROFILE_DIR URL...
// Environment: TAG, SHOTS. Prints "ok - ..." / "not ok - ..." lines.
import { writeFileSync } from 'node:fs';
import { launch } from './cdp.mjs';

const [chromiumBin, profile, ...urls] = process.argv.slice(2);
const tag = process.env.TAG || '[browser]';
const shots = process.env.SHOTS;
const b = launch(chromiumBin, profile);
const finish = (code) => { b.close(); process.exit(code); };
// up to twenty seconds a page on a busy machine (six views each), never less than four minutes
const limit = Math.max(240, 20 * urls.length);
setTimeout(() => { console.log(`not ok - ${tag} charts: finish within ${limit} s`); finish(0); }, limit * 1000).unref();

const probe = `(() => {
	const W = document.documentElement.clientWidth, out = { charts: 0, kinds: [], bad: [], clips: [] };
	for (const f of document.querySelectorAll('figure.chart')) {
		out.charts++;
		out.kinds.push(f.className.replace('chart chart-', ''));
		const svg = f.querySelector('svg.chart-svg');
		const sr = svg.getBoundingClientRect();
		if (sr.right > W + 1 || sr.left < -1 || sr.width < 200) out.bad.push(f.id + ': drawing ' + Math.round(sr.left) + '..' + Math.round(sr.right) + ' of ' + W);
		const texts = [...svg.querySelectorAll('text')].map((t) => [t, t.getBoundingClientRect()]);
		for (const [t, r] of texts)
			if (r.left < sr.left - 1 || r.right > sr.right + 1 || r.top < sr.top - 1 || r.bottom > sr.bottom + 1)
				out.bad.push(f.id + ': text leaves the drawing: ' + t.textContent);
		for (let i = 0; i < texts.length; i++)
			for (let j = i + 1; j < texts.length; j++) {
				const a = texts[i][1], c = texts[j][1];
				const ox = Math.min(a.right, c.right) - Math.max(a.left, c.left), oy = Math.min(a.bottom, c.bottom) - Math.max(a.top, c.top);
				if (ox > 2 && oy > 2) out.bad.push(f.id + ': texts overlap: ' + texts[i][0].textContent + ' / ' + texts[j][0].textContent);
			}
		const paper = getComputedStyle(document.body).backgroundColor;
		for (const m of svg.querySelectorAll('.chart-mark, .chart-line')) {
			const cs = getComputedStyle(m), paint = m.tagName === 'polyline' ? cs.stroke : cs.fill;
			if (!paint || paint === 'none' || paint === paper) out.bad.push(f.id + ': a mark without colour');
		}
		const hits = f.querySelector('svg.chart-hits');
		if (!hits || hits.getAttribute('aria-hidden') !== 'true') out.bad.push(f.id + ': no hidden layer of links');
		if (svg.querySelector('a, [tabindex]')) out.bad.push(f.id + ': something interactive inside the image');
		const marks = svg.querySelectorAll('.chart-mark, .chart-line').length, links = hits ? hits.querySelectorAll('a').length : 0;
		if (marks !== links) out.bad.push(f.id + ': ' + marks + ' marks, ' + links + ' links');
		for (const a of hits ? hits.querySelectorAll('a') : []) {
			const id = decodeURIComponent(a.getAttribute('href').slice(1));
			if (!document.getElementById(id)) out.bad.push(f.id + ': mark links to missing #' + id);
		}
		const rows = f.querySelectorAll('.chart-data tbody tr').length;
		const cats = f.classList.contains('chart-line') ? svg.querySelector('polyline').getAttribute('points').split(' ').length
			: svg.querySelectorAll('.chart-label').length;
		if (rows !== cats) out.bad.push(f.id + ': data table has ' + rows + ' rows for ' + cats);
		const r = f.getBoundingClientRect();
		out.clips.push({ id: f.id, x: 0, y: Math.max(0, r.top + scrollY - 8), width: W, height: Math.min(r.height + 16, 2400) });
	}
	return out;
})()`;

async function main() {
	const s = await b.page();
	await b.send('Page.enable', {}, s);
	let failures = 0, checked = 0, charts = 0;
	const kinds = new Set();
	for (const width of [390, 1280]) {
		for (const dark of [false, true]) {
			await b.view(s, width, dark);
			for (const url of urls) {
				await b.open(s, url);
				const r = await b.evaluate(probe, s);
				checked++;
				charts += r.charts;
				r.kinds.forEach((k) => kinds.add(k));
				const where = `${url.replace(/^https?:\/\/[^/]+/, '')} at ${width} px${dark ? ', dark' : ''}`;
				if (r.bad.length) {
					failures++;
					console.log(`not ok - ${tag} charts: ${where}\n#   ${r.bad.slice(0, 8).join('\n#   ')}`);
				}
				if (shots)
					for (const c of r.clips) {
						const { id, ...clip } = c;
						const { data } = await b.send('Page.captureScreenshot',
							{ format: 'png', clip: { ...clip, scale: 1 }, captureBeyondViewport: true }, s);
						const name = url.replace(/^https?:\/\/[^/]+\//, '').replace(/\/$/, '').replace(/[/#]/g, '_');
						writeFileSync(`${shots}/${name}-${id}-${width}${dark ? '-dark' : ''}.png`, Buffer.from(data, 'base64'));
					}
			}
		}
	}
	// A click on the first chart's first mark goes to its value's row.
	await b.view(s, 1280, false);
	await b.open(s, urls[0]);
	const at = await b.evaluate(`(() => { const a = document.querySelector('figure.chart svg.chart-hits a');
		a.scrollIntoView({ block: 'center' }); const r = a.firstElementChild.nextElementSibling.getBoundingClientRect();
		return { x: r.left + r.width / 2, y: r.top + r.height / 2, href: a.getAttribute('href') }; })()`, s);
	for (const type of ['mousePressed', 'mouseReleased'])
		await b.send('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', clickCount: 1 }, s);
	await new Promise((r) => setTimeout(r, 300));
	const hash = await b.evaluate('location.hash', s);
	if (hash === at.href) console.log(`ok - ${tag} charts: a click on a mark goes to its row (${hash})`);
	else { failures++; console.log(`not ok - ${tag} charts: a click on a mark went to '${hash}', want ${at.href}`); }
	if (failures === 0 && charts > 0)
		console.log(`ok - ${tag} charts: ${checked} page views (${urls.length} pages x 390, 1280 px x light, dark): ` +
			`${charts} charts (${[...kinds].sort().join(', ')}) fit, no text clipped or overlapping, every mark coloured and linked`);
	if (charts === 0) console.log(`not ok - ${tag} charts: no chart found on the pages given`);
}
main().then(() => finish(0), (e) => {
	console.log(`not ok - ${tag} charts: browser session\n#   ${e.message}\n#   ${b.err.split('\n').join('\n#   ')}`);
	finish(0);
});
