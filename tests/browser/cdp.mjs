// cdp.mjs — headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: fd 3 in, fd 4 out, NUL-terminated JSON): no
// port, no WebSocket, no npm package. Used by the browser tests.
//
//   const b = launch(chromiumBin, profileDir);
//   const s = await b.page();             // a new tab's session id
//   await b.send('Page.navigate', { url }, s);
//   b.close();
import { spawn } from 'node:child_process';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function launch(chromiumBin, profile) {
	const chrome = spawn(chromiumBin, [
		'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync',
		'--disable-dev-shm-usage', `--user-data-dir=${profile}`, '--remote-debugging-pipe',
		'about:blank',
	], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
	const b = { err: '', exited: false, listeners: [] };
	chrome.stderr.on('data', (d) => { b.err = (b.err + d).slice(-4000); });
	chrome.on('exit', () => { b.exited = true; });
	const toChrome = chrome.stdio[3], fromChrome = chrome.stdio[4];
	let nextId = 1, inbuf = '';
	const pending = new Map();
	fromChrome.on('data', (chunk) => {
		inbuf += chunk.toString('utf8');
		let z;
		while ((z = inbuf.indexOf('\0')) >= 0) {
			const msg = JSON.parse(inbuf.slice(0, z));
			inbuf = inbuf.slice(z + 1);
			if (msg.id && pending.has(msg.id)) {
				const { resolve, reject } = pending.get(msg.id);
				pending.delete(msg.id);
				msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
			} else if (msg.method) {
				for (const l of [...b.listeners]) l(msg);
			}
		}
	});
	b.send = (method, params = {}, sessionId, timeout = 15000) => {
		const id = nextId++;
		toChrome.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
		return new Promise((resolve, reject) => {
			pending.set(id, { resolve, reject });
			setTimeout(() => {
				if (pending.delete(id)) reject(new Error(`${method}: no answer in ${timeout} ms`));
			}, timeout).unref();
		});
	};
	// Resolves with the first event named `method` (of session sid) after now.
	b.once = (method, sid, timeout) => new Promise((resolve, reject) => {
		const l = (msg) => {
			if (msg.method === method && msg.sessionId === sid) {
				b.listeners = b.listeners.filter((x) => x !== l);
				resolve(msg.params);
			}
		};
		b.listeners.push(l);
		setTimeout(() => {
			b.listeners = b.listeners.filter((x) => x !== l);
			reject(new Error(`no ${method} within ${timeout} ms`));
		}, timeout).unref();
	});
	b.page = async () => {
		const { targetId } = await b.send('Target.createTarget', { url: 'about:blank' }, undefined, 30000);
		const { sessionId } = await b.send('Target.attachToTarget', { targetId, flatten: true });
		return sessionId;
	};
	// A viewport of width px (a phone's below 500), light or dark.
	b.view = async (s, width, dark, height = 900) => {
		await b.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: width < 500 }, s);
		await b.send('Emulation.setEmulatedMedia',
			{ features: [{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }] }, s);
	};
	// Navigates and waits for the load event.
	b.open = async (s, url) => {
		const loaded = b.once('Page.loadEventFired', s, 20000);
		await b.send('Page.navigate', { url }, s);
		await loaded;
	};
	b.evaluate = async (expr, s) =>
		(await b.send('Runtime.evaluate', { expression: expr, returnByValue: true }, s)).result.value;
	b.close = () => { if (!b.exited) chrome.kill('SIGKILL'); };
	return b;
}
