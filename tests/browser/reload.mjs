// reload.mjs — live reload seen by a real browser. Drives headless Chromium
// over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in,
// fd 4 out, NUL-terminated JSON), so no port, no WebSocket and no npm
// package. Opens a brief served by `briefgen serve`, edits the brief, and
// checks that the page really reloaded (a per-document counter kept in
// sessionStorage went up, a marker set on the old document is gone) and
// shows the new text; then breaks the brief (overlay, no reload) and fixes
// it (reload, overlay gone). Prints "ok - TAG name" / "not ok - TAG name".
//
//   node reload.mjs CHROMIUM PAGE_URL BRIEF_FILE PROFILE_DIR [SCREENSHOT.png]
// Environment: TAG. Everything is bounded; the whole run by 90 s.
import { readFileSync, writeFileSync } from 'node:fs';
import { launch, sleep } from './cdp.mjs';

const [chromiumBin, pageUrl, briefFile, profile, screenshot] = process.argv.slice(2);
const tag = process.env.TAG || '[browser]';
const ok = (name) => console.log(`ok - ${tag} browser: ${name}`);
const bad = (name, why) => {
	console.log(`not ok - ${tag} browser: ${name}`);
	if (why) console.log(`#   ${String(why).split('\n').join('\n#   ')}`);
};
const check = (name, cond, why) => (cond ? ok(name) : bad(name, why));

const b = launch(chromiumBin, profile);
const { send, once } = b;
function finish(code) {
	b.close();
	process.exit(code);
}
const overall = setTimeout(() => {
	bad('finishes within 90 s', b.err);
	finish(0);
}, 90000);
overall.unref();

async function main() {
	const s = await b.page();
	const evaluate = async (expr) =>
		(await send('Runtime.evaluate', { expression: expr, returnByValue: true }, s)).result.value;
	await send('Page.enable', {}, s);
	await send('Runtime.enable', {}, s);
	await send('Network.enable', {}, s);
	// Counts the documents this tab has loaded: 1 now, 2 after a reload.
	await send('Page.addScriptToEvaluateOnNewDocument', {
		source: "sessionStorage.setItem('bg-loads', String(Number(sessionStorage.getItem('bg-loads') || 0) + 1))",
	}, s);
	const loads = () => evaluate("Number(sessionStorage.getItem('bg-loads'))");
	const text = () => evaluate('document.body ? document.body.innerText : ""');

	// Wait for the page and for its event stream to be connected.
	const streamUp = new Promise((resolve) => {
		const l = (msg) => {
			if (msg.method === 'Network.responseReceived' && msg.sessionId === s &&
			    msg.params.response.url.includes('/__briefgen/events')) {
				b.listeners = b.listeners.filter((x) => x !== l);
				resolve(true);
			}
		};
		b.listeners.push(l);
		setTimeout(() => resolve(false), 10000).unref();
	});
	let loaded = once('Page.loadEventFired', s, 20000);
	await send('Page.navigate', { url: pageUrl }, s);
	await loaded;
	const original = readFileSync(briefFile, 'utf8');
	check('page opens with the brief text', (await text()).includes('The first paragraph'), await text());
	check('page connects to the event stream', await streamUp);
	await evaluate('window.bgMarker = 1');

	// Edit the brief: the page must reload by itself and show the new text.
	loaded = once('Page.loadEventFired', s, 5000);
	const t0 = Date.now();
	writeFileSync(briefFile, original.replace('The first paragraph', 'The BROWSER-EDITED first paragraph'));
	let reloaded = true;
	try { await loaded; } catch { reloaded = false; }
	const ms = Date.now() - t0;
	console.log(`#   browser: edit to reloaded page (load event): ${ms} ms`);
	check('edit: the page reloads by itself within 5 s', reloaded);
	check('edit: it is a new document (sessionStorage load count 2, old marker gone)',
		(await loads()) === 2 && (await evaluate('typeof window.bgMarker')) === 'undefined',
		`loads=${await loads()}`);
	check('edit: the reloaded page shows the new text',
		(await text()).includes('The BROWSER-EDITED first paragraph'));

	// Break it: overlay with the diagnostic, and no reload.
	writeFileSync(briefFile, '---\ntitle: Broken\n\nNo closing line.\n');
	let overlay = '';
	for (let i = 0; i < 50 && !overlay.includes('never closed'); i++) {
		await sleep(100);
		overlay = await evaluate("(document.getElementById('__briefgen_overlay') || {}).innerText || ''");
	}
	check('syntax error: overlay shows file:line and message',
		/en\.md:1:1: error: front matter opened here is never closed/.test(overlay), overlay);
	check('syntax error: no reload, the last good text stays under the overlay',
		(await loads()) === 2 && (await text()).includes('The BROWSER-EDITED first paragraph'));
	if (screenshot) {
		const { data } = await send('Page.captureScreenshot', { format: 'png' }, s);
		writeFileSync(screenshot, Buffer.from(data, 'base64'));
	}

	// Fix it: reload, overlay gone.
	loaded = once('Page.loadEventFired', s, 5000);
	writeFileSync(briefFile, original.replace('The first paragraph', 'The FIXED first paragraph'));
	reloaded = true;
	try { await loaded; } catch { reloaded = false; }
	check('fix: the page reloads, overlay gone, new text shown',
		reloaded && (await loads()) === 3 &&
		(await evaluate("document.getElementById('__briefgen_overlay') === null")) &&
		(await text()).includes('The FIXED first paragraph'));
	await send('Browser.close').catch(() => {});
}

main().then(() => finish(0), (e) => {
	bad('browser session', `${e.message}\n${b.err}`);
	finish(0);
});
