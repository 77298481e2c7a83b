// axe.mjs — axe-core (WCAG 2.1 A and AA rules) on every page given, as a
// reader's browser renders it: served over HTTP so the site's CSS applies,
// light and dark, at phone and desktop widths.
//
//   node axe.mjs CHROMIUM PROFILE_DIR AXE_MIN_JS URL...
// Environment: TAG; VIEWS, the views to check, comma-separated, each a
// width with "d" after it for dark (default "390,1280,1280d"). Prints one ok
// line, or a not ok line per page and view.
import { readFileSync } from 'node:fs';
import { launch } from './cdp.mjs';

const [chromiumBin, profile, axePath, ...urls] = process.argv.slice(2);
const tag = process.env.TAG || '[browser]';
const axe = readFileSync(axePath, 'utf8');
const b = launch(chromiumBin, profile);
const finish = (code) => { b.close(); process.exit(code); };
setTimeout(() => { console.log(`not ok - ${tag} axe: finish within 600 s`); finish(0); }, 600000).unref();

async function main() {
	const s = await b.page();
	await b.send('Page.enable', {}, s);
	let bad = 0, views = 0;
	const views_wanted = (process.env.VIEWS || '390,1280,1280d').split(',').map((v) => [parseInt(v, 10), v.endsWith('d')]);
	for (const [width, dark] of views_wanted) {
		await b.view(s, width, dark);
		for (const url of urls) {
			await b.open(s, url);
			await b.send('Runtime.evaluate', { expression: axe }, s);
			const { result } = await b.send('Runtime.evaluate', {
				expression: `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
					.then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
						.map((n) => n.target.join(' ')).join(', ')))`,
				awaitPromise: true, returnByValue: true }, s, 60000);
			views++;
			if (result.value && result.value.length) {
				bad++;
				console.log(`not ok - ${tag} axe: ${url.replace(/^https?:\/\/[^/]+/, '')} at ${width} px${dark ? ', dark' : ''}` +
					`\n#   ${result.value.join('\n#   ')}`);
			}
		}
	}
	if (!bad) console.log(`ok - ${tag} axe: ${urls.length} pages x ${views_wanted.length} views ` +
		`(${process.env.VIEWS || '390,1280,1280d'}): no WCAG 2.1 A/AA violation`);
}
main().then(() => finish(0), (e) => {
	console.log(`not ok - ${tag} axe: browser session\n#   ${e.message}`);
	finish(0);
});
