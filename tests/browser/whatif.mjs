// whatif.mjs — what-if controls as a reader uses them, in headless
// Chromium: the panel appears (and only with JavaScript), a control moved
// with the keyboard changes the numbers that depend on it to exactly what
// `briefgen calc` prints for that input (the expected texts come from the
// caller, who ran it), the scenario goes into the address and comes back
// from it, Reset returns to the published page.
//
//   node whatif.mjs CHROMIUM PROFILE_DIR URL
// Environment: TAG; EXPECT, a JSON object:
//   { name: value cited by the page (data-calc), published: its text,
//     step: its text after one ArrowRight on the first control,
//     query: "?a=1&b=2", at_query: its text at that address,
//     field: [control index, number typed], at_field: its text then,
//     row: the same value's row text after the step (or null) }
import { launch } from './cdp.mjs';

const [chromiumBin, profile, url] = process.argv.slice(2);
const tag = process.env.TAG || '[browser]';
const want = JSON.parse(process.env.EXPECT);
const b = launch(chromiumBin, profile);
const finish = (code) => { b.close(); process.exit(code); };
setTimeout(() => { console.log(`not ok - ${tag} whatif: finish within 120 s`); finish(0); }, 120000).unref();
const check = (ok, what, got) => console.log(ok ? `ok - ${tag} whatif: ${what}` : `not ok - ${tag} whatif: ${what}\n#   got ${JSON.stringify(got)}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
	const s = await b.page();
	await b.send('Page.enable', {}, s);
	await b.view(s, 1280, false);
	const read = () => b.evaluate(`(() => {
		const v = document.querySelector('.calc-value[data-calc="${want.name}"][data-wi]');
		const r = document.querySelector('tr#calc-${want.name} .calc-num');
		return { text: v && v.textContent, changed: v && v.classList.contains('whatif-changed'),
			row: r && r.textContent, search: location.search, shown: !document.getElementById('whatif').hidden,
			reset: document.querySelector('.whatif-reset').disabled, note: document.querySelector('.whatif-note').textContent };
	})()`, s);

	await b.send('Emulation.setScriptExecutionDisabled', { value: true }, s);
	await b.open(s, url + want.query);
	let r = await read();
	check(!r.shown && r.text === want.published, 'without JavaScript: no controls, the published numbers (even with a scenario in the address)', r);
	await b.send('Emulation.setScriptExecutionDisabled', { value: false }, s);

	await b.open(s, url);
	r = await read();
	check(r.shown && r.text === want.published && r.reset && r.note === '', 'the panel shows, the page as published, Reset disabled', r);

	// one step to the right, by keyboard
	await b.evaluate(`document.getElementById('wi-0').focus()`, s);
	for (const type of ['rawKeyDown', 'keyUp'])
		await b.send('Input.dispatchKeyEvent', { type, key: 'ArrowRight', code: 'ArrowRight', windowsVirtualKeyCode: 39 }, s);
	await sleep(200);
	r = await read();
	check(r.text === want.step && r.changed && !r.reset && r.note !== '',
		`ArrowRight on the first control: the value becomes what briefgen calc prints (${want.step}), marked changed`, r);
	if (want.row !== null) check(r.row === want.row, `its table row says the same (${want.row})`, r);
	check(/[?&]/.test(r.search), 'the scenario is in the address', r);
	const shared = r.search;

	// Reset
	await b.evaluate(`document.querySelector('.whatif-reset').click()`, s);
	await sleep(100);
	r = await read();
	check(r.text === want.published && !r.changed && r.search === '' && r.reset, 'Reset: the published page, the address without a scenario', r);

	// a shared address
	await b.open(s, url + shared);
	r = await read();
	check(r.text === want.step, 'the shared address shows the same scenario', r);
	await b.open(s, url + want.query);
	r = await read();
	check(r.text === want.at_query, `${want.query}: ${want.at_query}, as briefgen calc prints it`, r);

	// a number typed into a field
	await b.open(s, url);
	const [i, x] = want.field;
	await b.evaluate(`(() => { const f = document.getElementById('wi-${i}-n'); f.focus(); f.value = '${x}';
		f.dispatchEvent(new Event('change', { bubbles: true })); })()`, s);
	await sleep(100);
	r = await read();
	check(r.text === want.at_field, `a number typed into control ${i} (${x}): ${want.at_field}`, r);
}
main().then(() => finish(0), (e) => {
	console.log(`not ok - ${tag} whatif: browser session\n#   ${e.message}\n#   ${b.err.split('\n').join('\n#   ')}`);
	finish(0);
});
