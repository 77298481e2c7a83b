// tables.mjs — calculation tables and values as a reader sees them, in
// headless Chromium: every page given, at phone, tablet and desktop widths,
// light and dark. Checks that no table scrolls or clips (its box and every
// cell fit the page), that no value breaks from its unit (each value is one
// line box), that the value column shows text, and that inputs and derived
// values are apart (two row groups, inputs first). With SHOTS=DIR it also
// writes a PNG of each page's first table per width and scheme.
//
//   node tables.mjs CHROMIUM PROFILE_DIR URL...
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
setTimeout(() => { console.log(`not ok - ${tag} tables: finish within ${limit} s`); finish(0); }, limit * 1000).unref();

// What the page shows of its tables, measured in the page.
const probe = `(() => {
	const W = document.documentElement.clientWidth, out = { tables: 0, bad: [] };
	for (const t of document.querySelectorAll('table.calc-table')) {
		out.tables++;
		const r = t.getBoundingClientRect();
		if (t.scrollWidth > t.clientWidth + 1 || r.right > W + 1 || r.left < -1)
			out.bad.push('table overflows: ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + W);
		const head = t.tHead, hidden = head && head.getBoundingClientRect().width <= 1; // read by screen readers only
		for (const c of t.querySelectorAll(hidden ? 'tbody th, tbody td' : 'th, td')) {
			const cr = c.getBoundingClientRect();
			if (cr.right > W + 1 || c.scrollWidth > c.clientWidth + 1)
				out.bad.push('cell clipped: ' + c.textContent.slice(0, 40));
		}
		const groups = [...t.tBodies].map((g) => g.className);
		if (groups.length === 0 || groups.some((g) => g !== 'calc-inputs' && g !== 'calc-derived') ||
		    (groups.length === 2 && groups[0] !== 'calc-inputs'))
			out.bad.push('row groups: ' + groups.join(','));
		for (const v of t.querySelectorAll('.calc-num'))
			if (!v.textContent.trim()) out.bad.push('empty value in row ' + v.closest('tr').id);
	}
	for (const v of document.querySelectorAll('.calc-num, .calc-value')) {
		const lines = new Set([...v.getClientRects()].map((x) => Math.round(x.top)));
		if (lines.size > 1) out.bad.push('value broken across lines: ' + v.textContent);
	}
	const first = document.querySelector('table.calc-table');
	if (first) { first.scrollIntoView(); const r = first.getBoundingClientRect();
		out.clip = { x: 0, y: Math.max(0, r.top + scrollY - 8), width: W, height: Math.min(r.height + 16, 2400) }; }
	return out;
})()`;

async function main() {
	const s = await b.page();
	await b.send('Page.enable', {}, s);
	let failures = 0, checked = 0, tables = 0;
	for (const width of [390, 768, 1280]) {
		for (const dark of [false, true]) {
			await b.view(s, width, dark);
			for (const url of urls) {
				await b.open(s, url);
				const r = await b.evaluate(probe, s);
				checked++;
				tables += r.tables;
				const where = `${url.replace(/^https?:\/\/[^/]+/, '')} at ${width} px${dark ? ', dark' : ''}`;
				if (r.bad.length) {
					failures++;
					console.log(`not ok - ${tag} tables: ${where}\n#   ${r.bad.slice(0, 8).join('\n#   ')}`);
				}
				if (shots && r.clip) {
					const { data } = await b.send('Page.captureScreenshot',
						{ format: 'png', clip: { ...r.clip, scale: 1 }, captureBeyondViewport: true }, s);
					const name = url.replace(/^https?:\/\/[^/]+\//, '').replace(/\/$/, '').replace(/[/#]/g, '_');
					writeFileSync(`${shots}/${name}-${width}${dark ? '-dark' : ''}.png`, Buffer.from(data, 'base64'));
				}
			}
		}
	}
	// Print: the same checks under print media at an A4 text width, then
	// the page printed to PDF. A brief prints on a few pages (the longest, with its
	// chart, controls and calculation table, on six), not eight.
	await b.send('Emulation.setDeviceMetricsOverride', { width: 700, height: 1000, deviceScaleFactor: 1, mobile: false }, s);
	await b.send('Emulation.setEmulatedMedia', { media: 'print', features: [] }, s);
	let maxPages = 0, printBad = 0;
	for (const url of urls) {
		await b.open(s, url);
		const r = await b.evaluate(probe, s);
		const chrome = await b.evaluate(`[...document.querySelectorAll('.masthead, .colophon, .toc')]
			.filter((e) => getComputedStyle(e).display !== 'none').length`, s);
		const { data } = await b.send('Page.printToPDF', { paperWidth: 8.27, paperHeight: 11.69,
			marginTop: 0.6, marginBottom: 0.6, marginLeft: 0.6, marginRight: 0.6 }, s, 60000);
		const pdf = Buffer.from(data, 'base64').toString('latin1');
		const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
		maxPages = Math.max(maxPages, pages);
		if (shots) writeFileSync(`${shots}/${url.replace(/^https?:\/\/[^/]+\//, '').replace(/\/$/, '').replace(/[/#]/g, '_')}.pdf`,
			Buffer.from(data, 'base64'));
		const where = url.replace(/^https?:\/\/[^/]+/, '');
		if (r.bad.length || chrome || pages < 1 || pages > 6) {
			printBad++;
			console.log(`not ok - ${tag} tables: print ${where}: ${pages} pages, ${chrome} navigation blocks shown` +
				(r.bad.length ? `\n#   ${r.bad.slice(0, 8).join('\n#   ')}` : ''));
		}
	}
	if (printBad === 0)
		console.log(`ok - ${tag} tables: printed (A4), ${urls.length} pages: tables whole, no navigation, at most ${maxPages} pages each`);
	if (failures === 0)
		console.log(`ok - ${tag} tables: ${checked} page views (${urls.length} pages x 3 widths x light, dark): ` +
			`${tables} tables fit, nothing clipped, no value broken from its unit, inputs before derived values`);
	if (tables === 0) console.log(`not ok - ${tag} tables: no calculation table found on the pages given`);
}
main().then(() => finish(0), (e) => {
	console.log(`not ok - ${tag} tables: browser session\n#   ${e.message}\n#   ${b.err.split('\n').join('\n#   ')}`);
	finish(0);
});
