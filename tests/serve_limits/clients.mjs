// clients.mjs — many connections to a briefgen preview on 127.0.0.1, for
// tests/serve_limits.sh. Node's own `net` only; every wait is bounded.
//   node clients.mjs streams PORT N [E] open N event streams one after the
//        other (each waits for its "hello"), then report which the server
//        ended: "ended i j …" (indexes from 0, in order) and "bye B" (how many
//        got the "bye" event) once E have ended (10 s at most), then keep
//        the rest open until killed
//   node clients.mjs hold PORT N SRC    open N silent connections from local
//        address SRC; "held H refused R": how many are still open 1 s after
//        the last one connected, and how many the server closed at once
//        (its per-address limit); then keep them open until killed
//   node clients.mjs idle PORT          one silent connection and one that
//        sends half a request; "closed idle after S s" / "closed half after
//        S s" when the server closes each
import net from "node:net";

const [mode, portArg, nArg, src] = process.argv.slice(2);
const port = Number(portArg), n = Number(nArg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (s) => process.stdout.write(s + "\n");

function connect(opts) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port, ...opts });
    const t = setTimeout(() => { s.destroy(); resolve(s); }, 10000); // connecting only
    s.on("connect", () => { clearTimeout(t); resolve(s); });
    s.on("error", () => { clearTimeout(t); resolve(s); });
  });
}

if (mode === "streams") {
  const ended = new Set(), byes = new Set();
  for (let i = 0; i < n; i++) {
    const s = await connect({});
    let text = "";
    await new Promise((resolve) => {
      const t = setTimeout(resolve, 10000);
      s.on("data", (d) => {
        text += d;
        if (text.includes("event: hello")) { clearTimeout(t); resolve(); }
        if (text.includes("event: bye")) byes.add(i);
      });
      s.on("close", () => { ended.add(i); clearTimeout(t); resolve(); });
      s.write(`GET /__briefgen/events?n=${i} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    });
  }
  // the last drop ends its stream right after the newest one's hello
  for (let t = 0; t < 50 && ended.size < Number(src || 0); t++) await sleep(100);
  await sleep(300);
  say("ended " + [...ended].sort((a, b) => a - b).join(" "));
  say("bye " + byes.size);
} else if (mode === "hold") {
  const socks = [];
  let refused = 0;
  for (let i = 0; i < n; i += 50) {
    const batch = [];
    for (let k = i; k < Math.min(n, i + 50); k++) batch.push(connect({ localAddress: src }));
    for (const s of await Promise.all(batch)) {
      socks.push(s);
      const t0 = Date.now();
      s.on("close", () => { if (Date.now() - t0 < 1000) refused++; });
    }
  }
  await sleep(1000);
  say(`held ${socks.filter((s) => !s.destroyed && s.readyState === "open").length} refused ${refused}`);
} else if (mode === "idle") {
  const t0 = Date.now(), secs = () => Math.round((Date.now() - t0) / 1000);
  const idle = await connect({});
  idle.on("close", () => say(`closed idle after ${secs()} s`));
  const half = await connect({});
  half.on("close", () => say(`closed half after ${secs()} s`));
  half.write(`GET /en/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Half: `);
  say("open");
} else {
  console.error("usage: clients.mjs streams|hold|idle PORT [N] [SRC]");
  process.exit(2);
}
// keep the connections until killed (a bound: the test kills us long before)
setTimeout(() => process.exit(0), 120000);
