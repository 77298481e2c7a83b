// search.js — the in-page search (docs/search.md). The build writes, per
// language, /<lang>/search/meta.json (the documents), s-<k>.json (the
// postings of the words whose hash is k, in as many shards as keep each
// small) and t-<k>.json (the documents' text, for snippets). A query is cut
// into the same tokens as the build cut the text (generator/search.c:
// character pairs of Chinese, lowercased and lightly stemmed words); a
// brief matches when it holds every token, ranked by the tokens' weights
// (title 5, description 2, text 1). Nothing is sent anywhere.
(() => {
	'use strict';
	const me = document.currentScript;
	const base = me.dataset.index; // "/en/search/"
	const form = document.querySelector('.search-form');
	const input = document.getElementById('search-q');
	const status = document.querySelector('.search-status');
	const list = document.querySelector('.search-results');
	const more = document.querySelector('.search-more');
	if (!form || !input || !list || !more) return;
	const PAGE = 20;

	const cjk = (c) => (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
		(c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2fa1f);
	const digit = (c) => c >= 48 && c <= 57;
	const wordch = (c) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || digit(c) ||
		(c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
	const vowel = (s) => /[aeiouy]/.test(s);
	// the suffix rules of search.c's stem
	const stem = (s) => {
		let n = s.length;
		if (n <= 3) return s;
		if (s.endsWith('sses')) n -= 2;
		else if (s.endsWith('ies')) n -= 2;
		else if (!s.endsWith('ss') && s.endsWith('s')) n -= 1;
		s = s.slice(0, n);
		if (s.endsWith('eed')) s = s.slice(0, -1);
		else if (s.endsWith('ing') && s.length - 3 >= 3 && vowel(s.slice(0, -3))) s = s.slice(0, -3);
		else if (s.endsWith('ed') && s.length - 2 >= 3 && vowel(s.slice(0, -2))) s = s.slice(0, -2);
		if (s.length > 4 && s.endsWith('e')) s = s.slice(0, -1);
		if (s.length > 2 && s.endsWith('y')) s = s.slice(0, -1) + 'i';
		return s;
	};
	// search.c's search_tokens
	const tokens = (text) => {
		const out = [];
		let w = '', letters = true, prev = null, last = 0;
		const done = () => { if (w) out.push(letters ? stem(w) : w); w = ''; letters = true; };
		const cps = Array.from(text);
		for (let i = 0; i < cps.length; i++) {
			const ch = cps[i], c = ch.codePointAt(0);
			if (cjk(c)) {
				done();
				if (prev !== null) out.push(prev + ch);
				prev = ch;
			} else {
				prev = null;
				const next = i + 1 < cps.length ? cps[i + 1].codePointAt(0) : 0;
				const inner = (c === 44 || c === 46) && digit(last) && digit(next);
				if (wordch(c) || inner) {
					if (c !== 44) {
						const lc = c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : ch;
						w += lc;
						if (!(c >= 97 && c <= 122) && !(c >= 65 && c <= 90)) letters = false;
					}
				} else done();
			}
			last = c;
		}
		done();
		return out;
	};
	const fnv = (s) => {
		let h = 0x811c9dc5;
		for (const b of new TextEncoder().encode(s)) { h ^= b; h = Math.imul(h, 16777619) >>> 0; }
		return h >>> 0;
	};
	// for tests (tests/browser/search.mjs): the same tokens and hash as the build's
	window.briefgenSearch = { tokens, fnv };
	const cache = new Map();
	const get = (name) => {
		if (!cache.has(name)) cache.set(name, fetch(base + name).then((r) => { if (!r.ok) throw new Error(name); return r.json(); }));
		return cache.get(name);
	};
	const fmt = (s, ...a) => s.replace(/\{(\d)\}/g, (_, i) => a[i - 1]);
	const say = (text) => { status.textContent = text; };

	// The text around the first place a query word occurs, the words marked.
	const snippet = (text, words) => {
		const low = text.toLowerCase();
		let at = -1;
		for (const w of words) { const k = low.indexOf(w); if (k >= 0 && (at < 0 || k < at)) at = k; }
		const from = Math.max(0, at - 40), to = Math.min(text.length, (at < 0 ? 0 : at) + 120);
		const part = (from > 0 ? '…' : '') + text.slice(from, to) + (to < text.length ? '…' : '');
		const p = document.createElement('p');
		p.className = 'search-snippet';
		const lp = part.toLowerCase();
		let i = 0;
		while (i < part.length) {
			let hit = -1, len = 0;
			for (const w of words) { const k = lp.indexOf(w, i); if (k >= 0 && (hit < 0 || k < hit)) { hit = k; len = w.length; } }
			if (hit < 0) { p.append(part.slice(i)); break; }
			p.append(part.slice(i, hit));
			const m = document.createElement('mark');
			m.textContent = part.slice(hit, hit + len);
			p.append(m);
			i = hit + len;
		}
		return p;
	};

	let seq = 0;
	const run = async (q) => {
		const mine = ++seq;
		list.replaceChildren();
		more.hidden = true;
		const toks = [...new Set(tokens(q))];
		if (!q.trim()) { say(''); return; }
		if (!toks.length) { say(fmt(me.dataset.none, q)); return; }
		const meta = await get('meta.json');
		const shards = await Promise.all(toks.map((t) => get('s-' + (fnv(t) % meta.shards).toString(16) + '.json')));
		if (mine !== seq) return;
		let score = null;
		toks.forEach((t, k) => {
			const post = shards[k][t] || [];
			const here = new Map();
			for (let i = 0; i < post.length; i += 2) here.set(post[i], post[i + 1]);
			if (score === null) score = here;
			else for (const [d, s] of score) { if (here.has(d)) score.set(d, s + here.get(d)); else score.delete(d); }
		});
		const hits = [...score].sort((a, b) => b[1] - a[1] || (meta.docs[b[0]][2] > meta.docs[a[0]][2] ? 1 : -1));
		say(hits.length === 0 ? fmt(me.dataset.none, q) : score.size === 1 ? fmt(me.dataset.one, q) : fmt(me.dataset.count, score.size, q));
		// words to mark: the query's words as typed (lowercase), its Chinese runs, and the stems
		const marks = [...new Set([...q.toLowerCase().split(/[\s,.;:!?，。、；：！？]+/), ...toks.filter((t) => !cjk(t.codePointAt(0)))])]
			.filter((w) => w.length > 0).sort((a, b) => b.length - a.length);
		// PAGE results at a time: each loads its snippet's text file
		let shown = 0;
		const page = () => {
			const first = shown;
			for (const [d] of hits.slice(shown, shown + PAGE)) {
				const [url, title, date] = meta.docs[d];
				const li = document.createElement('li');
				const h = document.createElement('h2');
				const a = document.createElement('a');
				a.href = url; a.textContent = title;
				h.append(a);
				li.append(h);
				if (date) { const t = document.createElement('time'); t.dateTime = date; t.textContent = date; li.append(t); }
				list.append(li);
				get('t-' + Math.floor(d / meta.chunk).toString(16) + '.json').then((texts) => {
					if (mine === seq) li.append(snippet(texts[d % meta.chunk] || '', marks));
				}).catch(() => {});
			}
			shown = Math.min(hits.length, shown + PAGE);
			more.hidden = shown >= hits.length;
			return list.children[first];
		};
		page();
		more.onclick = () => {
			// the first new result takes the focus: a keyboard reader goes on from there
			const li = page();
			if (li) li.querySelector('a').focus();
		};
	};
	let timer = 0;
	input.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			const u = new URL(location.href);
			if (input.value) u.searchParams.set('q', input.value); else u.searchParams.delete('q');
			history.replaceState(null, '', u);
			run(input.value).catch(() => say(''));
		}, 120);
	});
	form.addEventListener('submit', (e) => { e.preventDefault(); run(input.value).catch(() => say('')); });
	const q = new URLSearchParams(location.search).get('q');
	if (q) { input.value = q; run(q).catch(() => say('')); }
})();
