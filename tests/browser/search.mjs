// search.mjs — the in-page search (docs/search.md) as a reader uses it, in
// headless Chromium over HTTP: type a query on the search page and see
// results (title, date, a snippet with the words marked) in the page's
// language; Chinese, English (stemmed) and mixed queries; the masthead box
// by keyboard from a brief; the page's tokens equal the build's; with
// MORE_URL (a site where a query matches more than 20 briefs), results come
// 20 at a time behind a "show more" button, used by keyboard.
//
//   node search.mjs CHROMIUM PROFILE_DIR SITE_URL [MORE_URL]
// Environment: TAG, SHOTS (a folder for PNGs). Prints ok/not ok lines, and
// the time a query took as a comment (speed is the bench's, not a test's).
import { writeFileSync } from 'node:fs';
import { launch, sleep } from './cdp.mjs';

const [chromiumBin, profile, site, moreSite] = process.argv.slice(2);
const tag = process.env.TAG || '[browser]';
const check = (name, cond, why) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${tag} search: ${name}`);
	if (!cond && why !== undefined) console.log(`#   ${JSON.stringify(why)}`);
};
const b = launch(chromiumBin, profile);
const finish = (code) => { b.close(); process.exit(code); };
setTimeout(() => { console.log(`not ok - ${tag} search: finish within 120 s`); finish(0); }, 120000).unref();

async function main() {
	const s = await b.page();
	await b.send('Page.enable', {}, s);
	const ev = (expr) => b.evaluate(expr, s);
	const key = async (k, code, vk, text) => {
		for (const type of ['keyDown', 'keyUp'])
			await b.send('Input.dispatchKeyEvent', { type, key: k, code, windowsVirtualKeyCode: vk,
				...(type === 'keyDown' && text ? { text } : {}) }, s);
		await sleep(30);
	};
	const results = () => ev(`({ status: document.querySelector('.search-status').textContent,
		hits: [...document.querySelectorAll('.search-results li')].map((li) => ({
			url: li.querySelector('a').getAttribute('href'), title: li.querySelector('a').textContent,
			date: (li.querySelector('time') || {}).textContent || '',
			marks: [...li.querySelectorAll('mark')].map((m) => m.textContent) })) })`);
	// types q into the focused search field and waits for the results and their snippets
	const type = async (q) => {
		await ev(`(() => { const i = document.getElementById('search-q'); i.focus(); i.select(); })()`);
		await b.send('Input.insertText', { text: q }, s);
		let r;
		for (let i = 0; i < 50; i++) { // until the status names this query and every snippet is in
			await sleep(100);
			r = await results();
			if ((r.status.includes(`「${q}」`) || r.status.includes(`“${q}”`)) && (r.hits.length === 0 || r.hits.every((h) => h.marks.length > 0))) break;
		}
		return r;
	};

	for (const [width, dark] of [[1280, false], [390, true]]) {
		const view = `${width}${dark ? ' dark' : ''}`;
		await b.view(s, width, dark);
		await b.open(s, `${site}zh/search/`);
		let r = await type('記憶體');
		check(`${view} zh: 記憶體 finds briefs of this edition`, r.hits.length > 0 && r.hits.every((h) => h.url.startsWith('/zh/')), r);
		check(`${view} zh: each with its date (a brief's) and a snippet with 記憶體 marked`, r.hits.length > 0 &&
			r.hits.every((h) => (!h.url.startsWith('/zh/briefs/') || /^\d{4}-\d{2}-\d{2}$/.test(h.date)) && h.marks.some((m) => m === '記憶體')), r.hits);
		check(`${view} zh: the status says how many, in Chinese`, /^共 \d+ 篇簡報符合「記憶體」。$/.test(r.status) || /^1 篇簡報符合/.test(r.status), r.status);
		const memory = r.hits.map((h) => h.url);
		if (process.env.SHOTS) {
			const { data } = await b.send('Page.captureScreenshot', { format: 'png' }, s);
			writeFileSync(`${process.env.SHOTS}/search-zh-${width}${dark ? '-dark' : ''}.png`, Buffer.from(data, 'base64'));
		}
		r = await type('HBM 記憶體');
		check(`${view} zh: a mixed query (HBM 記憶體) narrows to briefs holding both`,
			r.hits.length > 0 && r.hits.every((h) => memory.includes(h.url)) && r.hits.length <= memory.length, r);
		r = await type('記');
		check(`${view} zh: one character finds nothing and says so`, r.hits.length === 0 && r.status.includes('沒有簡報符合'), r);
		check(`${view} zh: the query is in the address (?q=), to share or reload`,
			decodeURIComponent(await ev('location.search')) === '?q=記', await ev('location.search'));
	}
	// English: stems meet (a query for "prices" finds a brief saying "pricing" or "priced")
	await b.view(s, 1280, false);
	await b.open(s, `${site}en/search/?q=prices`);
	await sleep(300);
	let r = await results();
	for (let i = 0; i < 30 && !(r.hits.length && r.hits.every((h) => h.marks.length)); i++) { await sleep(100); r = await results(); }
	check('en: ?q=prices runs on load and finds English pages', r.hits.length > 0 && r.hits.every((h) => h.url.startsWith('/en/')), r);
	check('en: the marked words are forms of price', r.hits.length > 0 && r.hits.every((h) => h.marks.every((m) => /^pric/i.test(m))), r.hits);
	// the page cuts text into the build's tokens (tests/unit/test_search.c has the same cases)
	const same = await ev(`JSON.stringify([
		briefgenSearch.tokens('記憶體'), briefgenSearch.tokens('HBM 記憶體'), briefgenSearch.tokens('記'),
		briefgenSearch.tokens('prices priced pricing price'), briefgenSearch.tokens('1,764 GPUs at 1.8 kW.'),
		briefgenSearch.tokens('NVIDIA的H100伺服器'), briefgenSearch.tokens('カタカナ'), briefgenSearch.fnv('a')])`);
	check('the page\'s tokens and hash are the build\'s', same === JSON.stringify([['記憶', '憶體'], ['hbm', '記憶', '憶體'], [],
		['pric', 'pric', 'pric', 'pric'], ['1764', 'gpu', 'at', '1.8', 'kw'], ['nvidia', 'h100', '伺服', '服器'],
		['カタ', 'タカ', 'カナ'], 0xe40c292c]), same);
	const ms = (await b.send('Runtime.evaluate', { awaitPromise: true, returnByValue: true, expression: `(async () => { const t0 = performance.now(); const i = document.getElementById('search-q');
		i.value = 'memory'; i.form.requestSubmit(); await new Promise((r) => setTimeout(r, 0));
		for (let k = 0; k < 200 && !document.querySelector('.search-results li'); k++) await new Promise((r) => setTimeout(r, 1));
		return Math.round(performance.now() - t0); })()` }, s)).result.value;
	console.log(`#   ${tag} search: a query with its shards already loaded took ${ms} ms to show results`);
	// The masthead's box on a brief, by keyboard: Tab to it, type, Enter.
	await b.open(s, `${site}en/`);
	let focused = '';
	for (let i = 0; i < 30 && focused !== 'site-q'; i++) { await key('Tab', 'Tab', 9); focused = await ev('document.activeElement.id'); }
	check('masthead: the search box is reached with Tab', focused === 'site-q', focused);
	await b.send('Input.insertText', { text: 'memory wall' }, s);
	const loaded = b.once('Page.loadEventFired', s, 20000);
	await key('Enter', 'Enter', 13, '\r');
	await loaded.catch(() => {});
	await sleep(300);
	r = await results();
	for (let i = 0; i < 30 && !(r.hits.length && r.hits.every((h) => h.marks.length)); i++) { await sleep(100); r = await results(); }
	check('masthead: Enter opens the search page with the results', (await ev('location.pathname')) === '/en/search/' && r.hits.length > 0, r);
	if (moreSite) await showMore(s, ev, key, results);
}

// More results than a page shows: 20, then 20 more for each press of the
// button, the first new result focused, the button gone at the end.
async function showMore(s, ev, key, results) {
	for (const [lang, q, width, dark] of [['en', 'wafer', 1280, false], ['zh', 'hbm', 390, true]]) {
		const view = `${width}${dark ? ' dark' : ''} ${lang}`;
		await b.view(s, width, dark);
		await b.open(s, `${moreSite}${lang}/search/?q=${q}`);
		let r;
		for (let i = 0; i < 50; i++) { await sleep(100); r = await results(); if (r.hits.length && r.hits.every((h) => h.marks.length)) break; }
		const total = Number((r.status.match(/\d+/) || ['0'])[0]);
		const visible = () => ev(`!document.querySelector('.search-more').hidden`);
		check(`${view}: more than 20 match (${total}); the first 20 are shown, with their snippets`, total > 20 && r.hits.length === 20 &&
			r.hits.every((h) => h.marks.length > 0), { total, shown: r.hits.length, status: r.status });
		check(`${view}: the "show more" button is there`, await visible());
		if (process.env.SHOTS) {
			await ev(`document.querySelector('.search-more').scrollIntoView()`);
			const { data } = await b.send('Page.captureScreenshot', { format: 'png' }, s);
			writeFileSync(`${process.env.SHOTS}/search-more-${lang}-${width}${dark ? '-dark' : ''}.png`, Buffer.from(data, 'base64'));
		}
		let shown = 20, presses = 0;
		while (shown < total && presses++ < 10) {
			await ev(`document.querySelector('.search-more button').focus()`);
			await key('Enter', 'Enter', 13, '\r');
			await sleep(200);
			r = await results();
			const want = Math.min(total, shown + 20);
			const focus = await ev(`(() => { const a = document.activeElement; const lis = [...document.querySelectorAll('.search-results li')];
				return a && a.tagName === 'A' ? lis.indexOf(a.closest('li')) : -1; })()`);
			check(`${view}: Enter on the button shows results ${shown + 1}–${want}, the first of them focused`,
				r.hits.length === want && focus === shown, { shown: r.hits.length, want, focus });
			shown = r.hits.length;
			if (shown !== want) break;
		}
		check(`${view}: with every result shown, the button is gone`, shown === total && !(await visible()), { shown, total });
		check(`${view}: no result is shown twice`, new Set(r.hits.map((h) => h.url)).size === r.hits.length);
	}
}

main().then(() => finish(0), (e) => { console.log(`not ok - ${tag} search: driver error ${e.message}`); finish(0); });
