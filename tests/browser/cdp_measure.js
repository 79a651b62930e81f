/* tests/browser/cdp_measure.js - loads a report in headless Chromium over the
 * DevTools protocol (no npm package: Node's built-in WebSocket), sets the
 * viewport, runs tests/browser/measure.js in the page (the report itself has
 * no script and its CSP forbids one; DevTools evaluation is outside the
 * page's CSP), prints the measurements as one JSON line and saves a
 * full-page screenshot.
 *
 * usage: node --experimental-websocket cdp_measure.js CHROMIUM FILE.html WIDTH OUT.png
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [chrome, file, widthArg, png] = process.argv.slice(2);
const width = parseInt(widthArg, 10);
const prof = fs.mkdtempSync(path.join(os.tmpdir(), 'trapline-cdp-'));
const proc = spawn(chrome, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--hide-scrollbars', '--user-data-dir=' + prof,
  '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
let done = false;
function finish(code, msg) {
  if (done) return;
  done = true;
  if (msg) process.stderr.write(msg + '\n');
  try { proc.kill('SIGTERM'); } catch (e) { /* already gone */ }
  setTimeout(() => { fs.rmSync(prof, { recursive: true, force: true }); process.exit(code); }, 300);
}
setTimeout(() => finish(2, 'timeout'), 90000);
let errbuf = '';
proc.stderr.on('data', (d) => {
  errbuf += d.toString();
  const m = errbuf.match(/DevTools listening on (ws:\/\/\S+)/);
  if (m && !proc.started) { proc.started = true; run(m[1]).catch((e) => finish(2, String(e))); }
});
proc.on('exit', () => finish(2, 'chromium exited'));

async function run(browserWs) {
  const ws = new WebSocket(browserWs);
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  let id = 0;
  const pending = new Map();
  const waiters = [];
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) {
      const { res, rej } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) rej(new Error(JSON.stringify(msg.error))); else res(msg.result);
    } else if (msg.method) {
      for (const w of waiters.slice()) if (w.method === msg.method) { waiters.splice(waiters.indexOf(w), 1); w.res(msg.params); }
    }
  };
  const send = (method, params, sessionId) => new Promise((res, rej) => {
    const m = { id: ++id, method, params: params || {} };
    if (sessionId) m.sessionId = sessionId;
    pending.set(m.id, { res, rej });
    ws.send(JSON.stringify(m));
  });
  const waitFor = (method) => new Promise((res) => waiters.push({ method, res }));
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  await send('Page.enable', {}, sessionId);
  await send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1,
    mobile: width < 600 }, sessionId);
  const loaded = waitFor('Page.loadEventFired');
  await send('Page.navigate', { url: 'file://' + path.resolve(file) }, sessionId);
  await loaded;
  const script = fs.readFileSync(path.join(__dirname, 'measure.js'), 'utf8') +
    '\n;document.getElementById("measure").textContent';
  const r = await send('Runtime.evaluate', { expression: script, returnByValue: true }, sessionId);
  if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails));
  process.stdout.write(r.result.value + '\n');
  /* The page top (summary, findings), the first subject section and the
   * contact graph, each as its own PNG (a whole page can be 100k px tall). */
  const shoot = async (out, sel, maxH) => {
    const box = await send('Runtime.evaluate', { returnByValue: true, expression:
      '(function(){var e=' + (sel ? 'document.querySelector(' + JSON.stringify(sel) + ')'
        : 'document.body') + ';if(!e)return null;var r=e.getBoundingClientRect();' +
      'return {x:0,y:r.top+window.scrollY,h:r.height};})()' }, sessionId);
    const b = box.result.value;
    if (!b) return;
    const clip = { x: 0, y: sel ? b.y : 0, width, height: Math.max(1, Math.min(b.h, maxH)), scale: 1 };
    const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
      clip }, sessionId);
    fs.writeFileSync(out, Buffer.from(shot.data, 'base64'));
  };
  await shoot(png, null, 2200);
  await shoot(png.replace(/\.png$/, '-subject.png'), 'section.subject', 2600);
  await shoot(png.replace(/\.png$/, '-graph.png'), '#contact-graph + .chart', 2600);
  finish(0);
}
