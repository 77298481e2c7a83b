// editions.mjs — the language switcher between the Traditional, Simplified
// and English editions (docs/zh-hans.md), used as a reader would: at a
// phone's width in dark mode and at a desktop's, click 简体 on a brief in
// Traditional Chinese and land on the same brief converted, then 繁體 and
// land back where it started; the keyboard (Tab to the link, Enter) does
// the same.
//
//   node editions.mjs CHROMIUM PROFILE_DIR BRIEF_URL_ZH
// Environment: TAG, WANT_HANT and WANT_HANS (the brief's two <h1> texts),
// SHOT (a PNG of the Simplified page). Prints ok/not ok lines.
import { writeFileSync } from 'node:fs';
import { launch, sleep } from './cdp.mjs';

const [chromiumBin, profile, url] = process.argv.slice(2);
const tag = process.env.TAG || '[browser]';
const check = (name, cond, why) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${tag} editions: ${name}`);
	if (!cond && why !== undefined) console.log(`#   ${JSON.stringify(why)}`);
};
const b = launch(chromiumBin, profile);
const finish = (code) => { b.close(); process.exit(code); };
setTimeout(() => { console.log(`not ok - ${tag} editions: finish within 90 s`); finish(0); }, 90000).unref();

async function main() {
	const s = await b.page();
	await b.send('Page.enable', {}, s);
	const ev = (expr) => b.evaluate(expr, s);
	const state = () => ev(`({ path: decodeURI(location.pathname), lang: document.documentElement.lang,
		h1: (document.querySelector('h1') || {}).textContent })`);
	const hant = new URL(url).pathname, hans = hant.replace(/^\/zh\//, '/zh-hans/');
	// Clicks the switcher's link named `name`, as a pointer does, and waits for the page.
	const click = async (name) => {
		const box = await ev(`(() => { const a = [...document.querySelectorAll('a[hreflang]')].find((x) => x.textContent.trim() === ${JSON.stringify(name)});
			if (!a) return null; a.scrollIntoView({ block: 'center' }); const r = a.getBoundingClientRect();
			return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`);
		if (!box) return false;
		const loaded = b.once('Page.loadEventFired', s, 20000);
		for (const type of ['mousePressed', 'mouseReleased'])
			await b.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 }, s);
		await loaded;
		return true;
	};
	for (const [width, dark] of [[390, true], [1280, false]]) {
		const view = `${width}${dark ? ' dark' : ''}`;
		await b.view(s, width, dark);
		await b.open(s, url);
		let st = await state();
		check(`${view}: starts on the Traditional brief`, st.path === hant && st.lang === 'zh-Hant' && st.h1 === process.env.WANT_HANT, st);
		check(`${view}: 简体 is a link and shows`, await click('简体'), null);
		st = await state();
		check(`${view}: 简体 lands on the same brief, Simplified`, st.path === hans && st.lang === 'zh-Hans' && st.h1 === process.env.WANT_HANS, st);
		const current = await ev(`[...document.querySelectorAll('[aria-current]')].map((e) => e.textContent.trim()).join('|')`);
		check(`${view}: the switcher marks 简体 as the current edition`, current.includes('简体'), current);
		if (process.env.SHOT && width === 390) {
			const { data } = await b.send('Page.captureScreenshot', { format: 'png' }, s);
			writeFileSync(process.env.SHOT, Buffer.from(data, 'base64'));
		}
		check(`${view}: 繁體 is a link and shows`, await click('繁體'), null);
		st = await state();
		check(`${view}: 繁體 lands back on the Traditional brief`, st.path === hant && st.lang === 'zh-Hant' && st.h1 === process.env.WANT_HANT, st);
	}
	// The keyboard: Tab until 简体 has the focus, Enter follows it.
	let focused = '';
	for (let i = 0; i < 40 && focused !== '简体'; i++) {
		for (const type of ['keyDown', 'keyUp'])
			await b.send('Input.dispatchKeyEvent', { type, key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 }, s);
		await sleep(30);
		focused = await ev('document.activeElement.textContent.trim()');
	}
	check('keyboard: 简体 is reached with Tab', focused === '简体', focused);
	const loaded = b.once('Page.loadEventFired', s, 20000);
	for (const type of ['keyDown', 'keyUp'])
		await b.send('Input.dispatchKeyEvent', { type, key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13,
			...(type === 'keyDown' ? { text: '\r' } : {}) }, s);
	await loaded.catch(() => {});
	const st = await state();
	check('keyboard: Enter on it opens the Simplified brief', st.path === hans && st.lang === 'zh-Hans', st);
}

main().then(() => finish(0), (e) => { console.log(`not ok - ${tag} editions: driver error ${e.message}`); finish(0); });
