// popover.mjs — the provenance popover of a computed value, driven as a
// reader would in headless Chromium: by keyboard (Tab to the value, Enter
// opens, Esc closes and gives focus back) and by pointer (a click opens,
// a click elsewhere closes); what it shows (the formula, each input linked
// to its row with its value); and the links back from a table row to the
// places that cite it, which work without the script.
//
//   node popover.mjs CHROMIUM PROFILE_DIR BRIEF_URL
// Environment: TAG, SHOT (a PNG of the open popover). Prints ok/not ok lines.
import { writeFileSync } from 'node:fs';
import { launch, sleep } from './cdp.mjs';

const [chromiumBin, profile, url] = process.argv.slice(2);
const tag = process.env.TAG || '[browser]';
const check = (name, cond, why) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${tag} popover: ${name}`);
	if (!cond && why !== undefined) console.log(`#   ${JSON.stringify(why)}`);
};
const b = launch(chromiumBin, profile);
const finish = (code) => { b.close(); process.exit(code); };
setTimeout(() => { console.log(`not ok - ${tag} popover: finish within 90 s`); finish(0); }, 90000).unref();

async function main() {
	const s = await b.page();
	await b.send('Page.enable', {}, s);
	await b.view(s, 1000, false);
	const ev = (expr) => b.evaluate(expr, s);
	const key = async (k, code) => {
		for (const type of ['keyDown', 'keyUp'])
			await b.send('Input.dispatchKeyEvent', { type, key: k, code, windowsVirtualKeyCode: code === 'Tab' ? 9 : code === 'Enter' ? 13 : 27,
				...(type === 'keyDown' && k === 'Enter' ? { text: '\r' } : {}) }, s);
		await sleep(50);
	};
	const popState = () => ev(`(() => { const p = document.querySelector('.calc-pop');
		return p && { open: !p.hidden, role: p.getAttribute('role'), label: p.getAttribute('aria-label'),
			text: p.innerText, links: [...p.querySelectorAll('a[href^="#calc-"]')].map((a) => a.getAttribute('href')),
			focused: document.activeElement === p }; })()`);

	await b.open(s, url);
	// Tab until the first value of the text has the focus.
	let focused = '';
	for (let i = 0; i < 60 && focused !== 'calc-value'; i++) {
		await key('Tab', 'Tab');
		focused = await ev('document.activeElement.className');
	}
	check('a value is reachable with Tab', focused === 'calc-value', focused);
	const which = await ev('({ id: document.activeElement.id, name: document.activeElement.dataset.calc, text: document.activeElement.textContent })');
	await key('Enter', 'Enter');
	let p = await popState();
	check('Enter opens a dialog popover that takes the focus', p && p.open && p.role === 'dialog' && p.label && p.focused, p);
	check('it shows the value and links to the value\'s own row', p && p.text.includes(which.text) && p.links.includes('#calc-' + which.name), p);
	check('the URL did not change (the popover, not the jump to the row)', !(await ev('location.hash')), await ev('location.hash'));
	if (process.env.SHOT) {
		const { data } = await b.send('Page.captureScreenshot', { format: 'png' }, s);
		writeFileSync(process.env.SHOT, Buffer.from(data, 'base64'));
	}
	await key('Escape', 'Escape');
	p = await popState();
	check('Esc closes it and gives the focus back to the value', p && !p.open && (await ev('document.activeElement.id')) === which.id, p);

	// A derived value: formula and inputs, each linked to its row.
	const derived = await ev(`(() => { const v = [...document.querySelectorAll('a.calc-value')].find((a) => a.dataset.inputs);
		v.scrollIntoView({ block: 'center' }); const r = v.getBoundingClientRect();
		return { x: r.left + r.width / 2, y: r.top + r.height / 2, inputs: v.dataset.inputs.split('; ').map((x) => x.split('=')[0]), formula: v.dataset.formula }; })()`);
	for (const type of ['mousePressed', 'mouseReleased'])
		await b.send('Input.dispatchMouseEvent', { type, x: derived.x, y: derived.y, button: 'left', clickCount: 1 }, s);
	await sleep(100);
	p = await popState();
	check('a click opens it; it shows the formula and links every input to its row',
		p && p.open && p.text.includes(derived.formula) && derived.inputs.every((n) => p.links.includes('#calc-' + n)), { p, derived });
	for (const type of ['mousePressed', 'mouseReleased'])
		await b.send('Input.dispatchMouseEvent', { type, x: 5, y: 5, button: 'left', clickCount: 1 }, s);
	await sleep(100);
	p = await popState();
	check('a click elsewhere closes it', p && !p.open, p);

	// Without the script: the value links to its row, the row back to the value.
	await b.send('Emulation.setScriptExecutionDisabled', { value: true }, s);
	await b.open(s, 'about:blank'); // a new document, not a jump within this one
	await b.open(s, url + '#calc-' + which.name);
	const back = await ev(`(() => { const row = document.getElementById('calc-${which.name}');
		const a = row && row.querySelector('.calc-cites a'); return a && a.getAttribute('href'); })()`);
	const target = back && await ev(`(() => { const t = document.getElementById('${back ? back.slice(1) : ''}');
		return t && t.classList.contains('calc-value') && t.getAttribute('href'); })()`);
	check('without JavaScript: the row links back to the first place citing it, which links to the row',
		target === '#calc-' + which.name, { back, target });
	await b.send('Browser.close').catch(() => {});
}
main().then(() => finish(0), (e) => {
	console.log(`not ok - ${tag} popover: browser session\n#   ${e.message}\n#   ${b.err.split('\n').join('\n#   ')}`);
	finish(0);
});
