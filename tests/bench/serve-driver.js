// tests/bench/serve-driver.js CONFIG.json — the client side of `make bench-serve` (tests/bench/serve.sh).
//
// Listens to every preview server's reload stream as a browser would (briefgen: the server-sent
// events of /__briefgen/events; Hugo: the LiveReload websocket /livereload), then edits files one
// at a time and measures, on one clock, from just before the write to
//   event   the reload message reaching this client, and
//   served  the page at the edit's URL holding the edit's token (polled every pollMs).
// It also reads what the server itself says the rebuild took (its log, from the edit on).
//
// CONFIG.json (written by serve.sh) names the servers, each with its own copy of the same site:
//   { servers: [{ name, type: "briefgen" | "hugo", port, log, root }], briefEdits, fullEdits,
//     timeoutMs, settleMs, pollMs, out }
// and the edits follow from it (steps()): briefEdits edits of different briefs (a sentence
// appended to en.md / index.en.md), then fullEdits edits of the template every brief uses
// (templates/brief.html / layouts/_default/single.html) and fullEdits of the site's configuration
// (content/site.lua / hugo.toml: the English description, shown on /en/). Each step edits every
// server's copy in turn, in an order that alternates from one step to the next, and waits settleMs
// after each. One line per measurement goes to the file `out`:
//   server group n event_ms served_ms self_ms rebuilds
// (self_ms: the server's own figure for its first rebuild, -1 when it printed none; rebuilds: the
// reload messages that arrived for this one edit).
// Traffic goes to 127.0.0.1 only; every wait is bounded; exit status 1 when one is exceeded.
'use strict';
const fs = require('fs');
const http = require('http');
const { performance } = require('perf_hooks');

let WebSocketImpl = null;
try {
  WebSocketImpl = require('ws'); // Debian's node-ws (NODE_PATH=/usr/share/nodejs)
} catch (e) {
  if (typeof WebSocket === 'function') WebSocketImpl = WebSocket;
}

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); // CONFIG.json
const HOST = '127.0.0.1';
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

function die(msg) {
  process.stderr.write(`serve-driver: ${msg}\n`);
  process.exit(1);
}

// ---- reload streams ----------------------------------------------------------------------------
// Each server object gets .events: arrival times of reload messages, and .ready (a promise).
function listenBriefgen(s) {
  s.ready = new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port: s.port, path: '/__briefgen/events', agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${s.name}: event stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk) => {
        const t = now();
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m = /^event: (\S+)/m.exec(block);
          if (!m) continue; // retry: or a ": ping" comment
          if (m[1] === 'hello') resolve();
          else if (m[1] === 'reload') s.events.push(t);
          else if (m[1] === 'failed') s.failed = block;
        }
      });
      res.on('end', () => { s.closed = true; });
    });
    req.on('error', reject);
    s.req = req;
  });
}

function listenHugo(s) {
  if (!WebSocketImpl) die('no WebSocket client: install node-ws (make bench-serve does) or use Node >= 22');
  s.ready = new Promise((resolve, reject) => {
    const ws = new WebSocketImpl(`ws://${HOST}:${s.port}/livereload`);
    const on = (name, fn) => (ws.on ? ws.on(name, fn) : ws.addEventListener(name, fn));
    on('open', () => ws.send(JSON.stringify({ command: 'hello', protocols: ['http://livereload.com/protocols/official-7'] })));
    on('message', (data) => {
      const t = now();
      const text = typeof data === 'string' ? data : data.data !== undefined ? String(data.data) : String(data);
      let msg;
      try { msg = JSON.parse(text); } catch (e) { return; }
      if (msg.command === 'hello') resolve();
      else if (msg.command === 'reload') s.events.push(t);
      else if (msg.command === 'alert') s.failed = msg.message;
    });
    on('error', (e) => reject(new Error(`${s.name}: websocket: ${e.message || e}`)));
    on('close', () => { s.closed = true; });
    s.ws = ws;
  });
}

// ---- edits -----------------------------------------------------------------------------------
const originals = new Map(); // file -> text before the first edit (template and config edits
                             // rewrite the original with this step's token, so tokens never pile up)
function apply(e) {
  if (!originals.has(e.file)) originals.set(e.file, fs.readFileSync(e.file, 'utf8'));
  const orig = originals.get(e.file);
  let text;
  if (e.op === 'append') {
    text = fs.readFileSync(e.file, 'utf8') + e.arg;
  } else if (e.op === 'before') { // insert e.arg before the last occurrence of e.mark
    const i = orig.lastIndexOf(e.mark);
    if (i < 0) die(`${e.file}: '${e.mark}' not found`);
    text = orig.slice(0, i) + e.arg + orig.slice(i);
  } else if (e.op === 'replace') { // the first occurrence of e.mark becomes e.arg
    const i = orig.indexOf(e.mark);
    if (i < 0) die(`${e.file}: '${e.mark}' not found`);
    text = orig.slice(0, i) + e.arg + orig.slice(i + e.mark.length);
  } else {
    die(`unknown op ${e.op}`);
  }
  fs.writeFileSync(e.file, text); // in place, as most editors' plain save does
}

function get(port, path) {
  return new Promise((resolve) => {
    const req = http.get({ host: HOST, port, path, agent, timeout: 5000 }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(parts).toString('utf8') : ''));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(''));
  });
}

function logSize(s) {
  try { return fs.statSync(s.log).size; } catch (e) { return 0; }
}
// what the server says its rebuilds took, from byte `from` of its log on
function selfTimes(s, from) {
  let text = '';
  try {
    const fd = fs.openSync(s.log, 'r');
    const size = fs.fstatSync(fd).size;
    const b = Buffer.alloc(Math.max(0, size - from));
    fs.readSync(fd, b, 0, b.length, from);
    fs.closeSync(fd);
    text = b.toString('utf8');
  } catch (e) { /* no log: no figure */ }
  const re = s.type === 'briefgen' ? /built \d+ pages in (\d+) ms/g : /(?:Total|Rebuilt) in (\d+) ms/g;
  const out = [];
  let m;
  while ((m = re.exec(text))) out.push(Number(m[1]));
  return out;
}

// The edits, as { group, n, edits: { <server name>: { file, op, mark, arg, token, url } } }.
function steps() {
  const first = plan.servers[0];
  const dirs = fs.readdirSync(`${first.root}/content/briefs`).filter((d) => /^\d{4}-\d\d-\d\d-/.test(d)).sort();
  if (dirs.length < 2) die('fewer than two briefs');
  const slug = (d) => d.slice(11);
  const out = [];
  // different briefs, spread over the site; brief 0 is kept for the full-rebuild edits' URL
  const n = Math.min(plan.briefEdits, dirs.length - 1);
  for (let i = 0; i < n; i++) {
    const d = dirs[1 + Math.floor(((i + 0.5) * (dirs.length - 1)) / n)];
    const token = `benchedit-brief-${i + 1}`;
    const edits = {};
    for (const s of plan.servers) {
      edits[s.name] = {
        file: `${s.root}/content/briefs/${d}/${s.type === 'hugo' ? 'index.en.md' : 'en.md'}`,
        op: 'append', arg: `\nBench edit ${token}.\n`, token, url: `/en/briefs/${slug(d)}/`,
      };
    }
    out.push({ group: 'brief', n: i + 1, edits });
  }
  for (const group of ['template', 'config']) {
    for (let i = 0; i < plan.fullEdits; i++) {
      const token = `benchedit-${group}-${i + 1}`;
      const edits = {};
      for (const s of plan.servers) {
        const hugo = s.type === 'hugo';
        edits[s.name] = group === 'template'
          ? { file: `${s.root}/${hugo ? 'layouts/_default/single.html' : 'templates/brief.html'}`, op: 'before',
              mark: '</article>', arg: `<p hidden>${token}</p>\n`, token, url: `/en/briefs/${slug(dirs[0])}/` }
          : { file: `${s.root}/${hugo ? 'hugo.toml' : 'content/site.lua'}`, op: 'replace',
              mark: 'stated inputs.', arg: `stated inputs, ${token}.`, token, url: '/en/' };
      }
      out.push({ group, n: i + 1, edits });
    }
  }
  return out;
}

async function measure(s, e) {
  const from = logSize(s);
  const seen = s.events.length;
  s.failed = null;
  const t0 = now();
  apply(e);
  const deadline = t0 + plan.timeoutMs;
  let served = null;
  const poll = (async () => {
    while (now() < deadline) {
      const body = await get(s.port, e.url);
      if (body.includes(e.token)) { served = now() - t0; return; }
      await sleep(plan.pollMs);
    }
  })();
  while (s.events.length === seen && now() < deadline && !s.failed && !s.closed) await sleep(1);
  if (s.failed) die(`${s.name}: the rebuild after editing ${e.file} failed: ${s.failed}`);
  if (s.closed) die(`${s.name}: the reload stream closed`);
  if (s.events.length === seen) die(`${s.name}: no reload event within ${plan.timeoutMs} ms of editing ${e.file}`);
  const event = s.events[seen] - t0;
  await poll;
  if (served === null) die(`${s.name}: ${e.url} did not show '${e.token}' within ${plan.timeoutMs} ms`);
  await sleep(plan.settleMs); // late rebuilds of this edit land here, not in the next measurement
  const self = selfTimes(s, from);
  return { event, served, self: self.length ? self[0] : -1, rebuilds: s.events.length - seen };
}

(async () => {
  const servers = plan.servers.map((s) => ({ ...s, events: [] }));
  const byName = Object.fromEntries(servers.map((s) => [s.name, s]));
  for (const s of servers) (s.type === 'briefgen' ? listenBriefgen : listenHugo)(s);
  const timeout = (p, ms, what) => Promise.race([p, sleep(ms).then(() => { throw new Error(`${what}: no hello within ${ms} ms`); })]);
  try {
    await Promise.all(servers.map((s) => timeout(s.ready, 30000, s.name)));
  } catch (e) {
    die(e.message);
  }
  const out = fs.openSync(plan.out, 'w');
  let k = 0;
  for (const step of steps()) {
    let names = Object.keys(step.edits);
    if (k++ % 2) names = names.reverse();
    const line = [];
    for (const name of names) {
      const r = await measure(byName[name], step.edits[name]);
      fs.writeSync(out, `${name} ${step.group} ${step.n} ${r.event.toFixed(1)} ${r.served.toFixed(1)} ${r.self} ${r.rebuilds}\n`);
      line.push(`${name} ${r.event.toFixed(0)}/${r.served.toFixed(0)} ms`);
    }
    process.stdout.write(`bench-serve: ${step.group} edit ${step.n}: ${line.join('  ')}\n`);
  }
  fs.closeSync(out);
  for (const s of servers) {
    if (s.req) s.req.destroy();
    if (s.ws) s.ws.close();
  }
  agent.destroy();
  process.exit(0);
})().catch((e) => die(e.stack || String(e)));
