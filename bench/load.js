'use strict';
// WebSocket load client for Switchboard and for peer.js (the Node baseline).
//
//   node load.js --url ws://127.0.0.1:8080 --scenario echo|fanout|idle|clock --server-pid PID [options]
//
// Several nodes of one site: --url takes a comma-separated list (fanout subscribers go round-robin
// over them, the publisher to the first), --server-pid a list whose CPU is added up, and --redis-port
// the port of their Redis, whose command count per published message is reported.
//
// Prints exactly one line of JSON (the results) on stdout; progress goes to stderr.
// Exit status: 0 when the scenario ran (loss is a result, not a failure), 1 when it could not run.

const fs = require('node:fs');
const os = require('node:os');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');

// --- options ----------------------------------------------------------------------------------
const DEFAULTS = {
  echo: { conns: 100, rate: 5000, duration: 10 },
  fanout: { subscribers: 1000, rate: 100, duration: 10, room: 'bench' },
  idle: { conns: 19000, path: '/ws/echo', duration: 10 },
  clock: { conns: 19000, duration: 10 },
};

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) die(`unexpected argument: ${argv[i]}`);
    const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (m[2] !== undefined) out[key] = m[2];
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[key] = argv[++i];
    else out[key] = true;
  }
  return out;
}

function die(msg) {
  console.error(`load.js: ${msg}`);
  process.exit(1);
}

// Tuning knobs beyond the brief: handshakes in flight, handshake timeout (s), source addresses.
const COMMON = { concurrency: 200, handshakeTimeout: 10, sourceAddresses: 20 };
const KNOWN = new Set(['url', 'scenario', 'serverPid', 'conns', 'rate', 'duration', 'subscribers',
  'room', 'tokenSecret', 'path', 'redisPort', ...Object.keys(COMMON)]);

const args = parseArgs(process.argv.slice(2));
for (const k of Object.keys(args)) if (!KNOWN.has(k)) die(`unknown option --${k}`);
const scenario = args.scenario;
if (!DEFAULTS[scenario]) die('--scenario must be one of echo, fanout, idle, clock');
const opt = { ...COMMON, ...DEFAULTS[scenario], ...args };
for (const k of ['conns', 'rate', 'duration', 'subscribers', ...Object.keys(COMMON)]) {
  if (opt[k] !== undefined) {
    opt[k] = Number(opt[k]);
    if (!(opt[k] > 0)) die(`--${k} must be a positive number`);
  }
}
if (opt.sourceAddresses > 254) die('--source-addresses is at most 254 (127.0.0.1 … 127.0.0.254)');
const CONCURRENCY = Math.floor(opt.concurrency);
const HANDSHAKE_TIMEOUT_MS = opt.handshakeTimeout * 1000;
const SOURCE_ADDRESSES = Math.floor(opt.sourceAddresses);
const serverPids = args.serverPid === undefined ? [] : String(args.serverPid).split(',').map(Number);
if (!serverPids.every((pid) => Number.isInteger(pid) && pid > 0)) die('--server-pid must be process ids');
const serverPid = serverPids.length ? serverPids.join(',') : null;
const redisPort = args.redisPort === undefined ? null : Number(args.redisPort);
if (redisPort !== null && !(Number.isInteger(redisPort) && redisPort > 0)) die('--redis-port must be a port');

// Loopback only: the benchmark must never send traffic anywhere else.
function baseOf(url) {
  let target;
  try {
    target = new URL(url);
  } catch {
    die(`bad --url ${url}`);
  }
  if (target.protocol !== 'ws:') die('--url must be ws://');
  if (target.hostname === 'localhost') target.hostname = '127.0.0.1';
  if (!/^127\.\d+\.\d+\.\d+$/.test(target.hostname)) die('--url must point at 127.0.0.0/8');
  // Keeps a context root such as ws://127.0.0.1:8080/switchboard.
  return `ws://${target.host}${target.pathname.replace(/\/+$/, '')}`;
}
const BASES = String(opt.url || 'ws://127.0.0.1:8080').split(',').map(baseOf);
const BASE = BASES[0];

// --- process figures --------------------------------------------------------------------------
let CLK_TCK = 100;
try {
  CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch { /* keep 100 */ }

let warnedProc = false;
// The server's figures; with several processes (nodes, their Redis), their sum.
function serverSample() {
  if (!serverPids.length) return null;
  const sum = { cpuUs: 0, rssKB: 0, threads: 0 };
  for (const pid of serverPids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after "(comm)": state is field 3, so utime (14) and stime (15) are [11] and [12].
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      sum.cpuUs += ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
      sum.rssKB += Number((/VmRSS:\s+(\d+)/.exec(status) || [])[1]);
      sum.threads += Number((/Threads:\s+(\d+)/.exec(status) || [])[1]);
    } catch (e) {
      if (!warnedProc) console.error(`load.js: cannot read /proc/${pid}: ${e.message}`);
      warnedProc = true;
      return null;
    }
  }
  return sum;
}

// Commands the site's Redis has run so far (INFO commandstats), or null without --redis-port.
function redisCommands() {
  if (redisPort === null) return null;
  try {
    const info = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(redisPort), 'INFO', 'commandstats'],
      { encoding: 'utf8', timeout: 5000 });
    let calls = 0;
    for (const m of info.matchAll(/calls=(\d+)/g)) calls += Number(m[1]);
    return calls;
  } catch (e) {
    console.error(`load.js: cannot read Redis's command count: ${e.message}`);
    return null;
  }
}

// Whole-machine busy jiffies: client and server share the cores, so a busy host matters too.
function hostJiffies() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3] - f[4], total };
  } catch {
    return null;
  }
}

// CPU over a window, as percent of one core: this client (all its threads), the server, and
// everything else on the host. Client and server share the cores, so a busy neighbour (a build,
// another benchmark) shows up as otherCpuPct and makes the run suspect.
function cpuWindow() {
  const cpu0 = process.cpuUsage();
  const host0 = hostJiffies();
  const server0 = serverSample();
  const t0 = performance.now();
  return () => {
    const d = process.cpuUsage(cpu0);
    const host1 = hostJiffies();
    const server1 = serverSample();
    const wallUs = (performance.now() - t0) * 1000;
    const clientPct = ((d.user + d.system) / wallUs) * 100;
    const serverPct = server0 && server1 ? ((server1.cpuUs - server0.cpuUs) / wallUs) * 100 : null;
    const hostPct = host0 && host1 && host1.total > host0.total
      ? ((host1.busy - host0.busy) / (host1.total - host0.total)) * 100 : null;
    const cores = os.cpus().length;
    return {
      clientCpuPct: round(clientPct, 1),
      clientSaturated: clientPct >= 90,
      serverCpuPct: round(serverPct, 1),
      hostCpuPct: round(hostPct, 1), // percent of all cores busy
      otherCpuPct: hostPct !== null && serverPct !== null
        ? round(Math.max(0, hostPct * cores - clientPct - serverPct), 1) : null,
      windowSeconds: round(wallUs / 1e6),
    };
  };
}

function openFileLimit() {
  try {
    const m = /Max open files\s+(\d+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : Infinity;
  } catch {
    return Infinity;
  }
}

// --- small helpers ----------------------------------------------------------------------------
const round = (v, d = 3) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : null);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => performance.timeOrigin + performance.now(); // wall clock with sub-ms precision

// Polls cond() until true or the timeout; every wait in this file is bounded.
async function waitFor(cond, timeoutMs, pollMs = 20) {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() >= end) return false;
    await sleep(pollMs);
  }
  return true;
}

// Latency samples: a Float64Array sized for the expected count (at most 4 M), then reservoir
// sampling, so memory stays fixed however many arrive.
class Samples {
  constructor(expected) {
    this.a = new Float64Array(Math.max(16, Math.min(Math.ceil(expected * 1.1) + 1000, 4_000_000)));
    this.n = 0;
    this.seen = 0;
    this.max = -Infinity;
  }
  add(v) {
    this.seen++;
    if (v > this.max) this.max = v;
    if (this.n < this.a.length) this.a[this.n++] = v;
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < this.a.length) this.a[j] = v;
    }
  }
  percentiles() {
    if (this.n === 0) return { p50: null, p99: null, max: null };
    const s = this.a.subarray(0, this.n).sort();
    const at = (p) => s[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))];
    return { p50: round(at(50)), p99: round(at(99)), max: round(this.max) };
  }
}

function bump(hist, key) {
  hist[key] = (hist[key] || 0) + 1;
}

// --- connections ------------------------------------------------------------------------------
const live = new Set(); // sockets that completed the handshake and are not closed yet
let shuttingDown = false;
const closes = { count: 0, codes: {} }; // closes we did not ask for

const clientOptions = {
  perMessageDeflate: false,
  maxPayload: 1 << 20,
  handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
  followRedirects: false,
  // The client is the likely bottleneck; validating UTF-8 of every frame is CPU it should not spend.
  skipUTF8Validation: true,
};

// Round robin over 127.0.0.1..127.0.0.N: each source address has its own ephemeral port range.
const sourceAddress = (i) => `127.0.0.${1 + (i % SOURCE_ADDRESSES)}`;

/**
 * Opens n connections with at most CONCURRENCY handshakes in flight.
 * setup(ws, i) attaches message handlers before the handshake so no early frame is missed.
 */
function openMany(n, urlFor, setup, label) {
  const sockets = new Array(n).fill(null);
  const errors = {};
  let next = 0;
  let inFlight = 0;
  let settledCount = 0;
  let connected = 0;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const progress = setInterval(() => {
      console.error(`${label}: ${connected} open, ${settledCount - connected} failed, ${inFlight} in flight`);
    }, 1000);
    const pump = () => {
      while (inFlight < CONCURRENCY && next < n && !shuttingDown) {
        const i = next++;
        inFlight++;
        let settled = false;
        let opened = false;
        const settle = (ok, reason) => {
          if (settled) return;
          settled = true;
          inFlight--;
          settledCount++;
          if (ok) {
            connected++;
            opened = true;
            live.add(ws);
          } else {
            bump(errors, reason);
            sockets[i] = null;
          }
          if (settledCount === n || (shuttingDown && inFlight === 0)) {
            clearInterval(progress);
            resolve({ sockets, connected, failed: settledCount - connected, errors,
              seconds: (performance.now() - t0) / 1000 });
          } else pump();
        };
        const ws = new WebSocket(urlFor(i), { ...clientOptions, localAddress: sourceAddress(i) });
        sockets[i] = ws;
        setup(ws, i);
        ws.once('open', () => settle(true));
        ws.on('error', (e) => settle(false, e.code || String(e.message).slice(0, 80)));
        ws.on('close', (code) => {
          if (!settled) return settle(false, `closed before open (${code})`);
          if (!opened) return;
          live.delete(ws);
          if (!shuttingDown) {
            closes.count++;
            bump(closes.codes, code);
          }
        });
      }
    };
    if (n === 0) {
      clearInterval(progress);
      resolve({ sockets, connected: 0, failed: 0, errors, seconds: 0 });
    } else pump();
  });
}

// Close handshakes for everyone, then terminate whatever is left after the timeout.
async function closeAll(timeoutMs) {
  shuttingDown = true;
  const t0 = performance.now();
  for (const ws of live) ws.close(1000, 'bench done');
  const clean = await waitFor(() => live.size === 0, timeoutMs, 50);
  if (!clean) {
    console.error(`closing: ${live.size} sockets did not close in time, terminating`);
    for (const ws of live) ws.terminate();
    await waitFor(() => live.size === 0, 2000, 50);
  }
  return (performance.now() - t0) / 1000;
}

// --- results and bounded exit -----------------------------------------------------------------
const results = {
  scenario,
  url: BASE,
  serverPid,
  startedAt: new Date().toISOString(),
  hostCores: os.cpus().length,
};
let printed = false;

function emit(code) {
  if (printed) return;
  printed = true;
  results.closes = closes.count;
  results.closeCodes = closes.codes;
  process.stdout.write(`${JSON.stringify(results)}\n`, () => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}

// Counters of the scenario in progress, so a cut-short run still reports what it measured.
let partial = () => ({});

function abort(fields, code) {
  if (printed) return;
  try {
    Object.assign(results, partial(), fields, { incomplete: true });
  } catch (e) {
    results.partialError = String(e && e.message);
  }
  shuttingDown = true;
  for (const ws of live) ws.terminate();
  emit(code);
}

// The whole run is bounded: after duration + 120 s, report what exists and leave.
const hardLimitMs = (opt.duration + 180) * 1000;
setTimeout(() => {
  console.error(`load.js: hard limit of ${hardLimitMs / 1000}s reached`);
  abort({ hardLimitSeconds: hardLimitMs / 1000 }, 0);
}, hardLimitMs).unref();

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => abort({ interrupted: sig }, 0));

function checkFileLimit(needed) {
  const limit = openFileLimit();
  if (limit < needed + 50) {
    console.error(`load.js: open-file limit ${limit} is below the ${needed} connections wanted; run ulimit -n 20000 first`);
  }
}

function requireConnections(opened) {
  if (opened.connected === 0) {
    results.connectErrors = opened.errors;
    results.error = 'no connection could be opened';
    console.error(`load.js: no connection could be opened: ${JSON.stringify(opened.errors)}`);
    emit(1);
    return false;
  }
  return true;
}

// --- scenario: echo ---------------------------------------------------------------------------
async function runEcho() {
  const { conns, rate, duration } = opt;
  checkFileLimit(conns);
  const total = Math.floor(rate * duration);
  const rtt = new Samples(total);
  let received = 0;
  let malformed = 0;
  const onMessage = (data) => {
    const s = data.toString('latin1');
    const a = s.indexOf(':', 2);
    const b = s.indexOf(':', a + 1);
    // A mangled echo must not throw inside ws's event: count it instead.
    if (!s.startsWith('e:') || a < 0 || b < 0 || !/^\d+$/.test(s.slice(a + 1, b))) return void malformed++;
    rtt.add(Number(process.hrtime.bigint() - BigInt(s.slice(a + 1, b))) / 1e6);
    received++;
  };
  const opened = await openMany(conns, () => `${BASE}/ws/echo`, (ws) => ws.on('message', onMessage), 'echo connect');
  Object.assign(results, { conns, connected: opened.connected, failed: opened.failed, connectErrors: opened.errors });
  if (!requireConnections(opened)) return;
  const sockets = opened.sockets.filter(Boolean);

  const PAD = 'x'.repeat(100);
  let sent = 0;
  partial = () => {
    const p = rtt.percentiles();
    return { sent, received, lost: sent - received, rttP50Ms: p.p50, rttP99Ms: p.p99, rttMaxMs: p.max };
  };
  let rr = 0;
  const server0 = serverSample();
  const cpu = cpuWindow();
  const t0 = performance.now();
  console.error(`echo: sending ${rate}/s over ${sockets.length} connections for ${duration}s`);
  await new Promise((resolve) => {
    // Every 10 ms send what the schedule says is due, so timer jitter does not change the rate.
    const timer = setInterval(() => {
      const elapsed = performance.now() - t0;
      const due = Math.min(total, Math.floor((elapsed * rate) / 1000));
      for (; sent < due; sent++) {
        let ws;
        for (let tries = 0; tries < sockets.length; tries++) {
          ws = sockets[rr++ % sockets.length];
          if (ws.readyState === WebSocket.OPEN) break;
        }
        if (ws.readyState !== WebSocket.OPEN) break;
        const head = `e:${sent}:${process.hrtime.bigint()}:`;
        ws.send(head + PAD.slice(head.length));
      }
      if (sent >= total || elapsed >= duration * 1000 + 1000 || live.size === 0) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const sendSeconds = (performance.now() - t0) / 1000;
  await waitFor(() => received >= sent, 5000);
  const window = cpu();
  const server1 = serverSample();
  const p = rtt.percentiles();
  Object.assign(results, {
    sent,
    received,
    lost: sent - received,
    malformed,
    sendSeconds: round(sendSeconds),
    rttP50Ms: p.p50,
    rttP99Ms: p.p99,
    rttMaxMs: p.max,
    serverCpuUsPerMsg: server0 && server1 && received ? round((server1.cpuUs - server0.cpuUs) / received, 2) : null,
    serverRssKB: server1 ? server1.rssKB : null,
    serverThreads: server1 ? server1.threads : null,
    ...window,
  });
  await closeAll(10000);
  emit(0);
}

// --- scenario: fanout -------------------------------------------------------------------------
const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
const JWT_HEADER = b64url({ alg: 'HS256', typ: 'JWT' });
function mintToken(sub, secret) {
  const iat = Math.floor(Date.now() / 1000);
  const body = `${JWT_HEADER}.${b64url({ sub, iat, exp: iat + 3600, jti: crypto.randomUUID() })}`;
  const sig = crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('base64url');
  return `${body}.${sig}`;
}

async function runFanout() {
  const { subscribers, rate, duration, room } = opt;
  checkFileLimit(subscribers + 1);
  let secret = opt.tokenSecret;
  if (typeof secret !== 'string') {
    secret = 'switchboard-bench-default-secret-0123456789';
    console.error('fanout: no --token-secret given; tokens are signed with a placeholder (fine for peer.js only)');
  }
  // Subscriber i on node i mod n; the publisher (no index) on the first.
  const chatUrl = (user, i = 0) =>
    `${BASES[i % BASES.length]}/ws/chat?room=${encodeURIComponent(room)}&token=${mintToken(user, secret)}`;

  const maxMsgs = Math.floor(rate * duration);
  const bytesPerSub = Math.ceil(maxMsgs / 8) || 1;
  if (subscribers * bytesPerSub > 512 * 2 ** 20) die('subscribers × rate × duration is too large to track');
  // Per-subscriber state in flat typed arrays: a few bytes each, even at 10,000 subscribers.
  const joined = new Uint8Array(subscribers);
  const member = new Uint8Array(subscribers); // joined when publishing started: counted in expected
  const lastSeq = new Int32Array(subscribers).fill(-1);
  const seenBits = new Uint8Array(subscribers * bytesPerSub); // per-subscriber bitset of seqs received
  const latency = new Samples(maxMsgs * subscribers);
  let joinedCount = 0;
  let lastJoinAt = 0;
  let delivered = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let otherFrames = 0;
  let foreignMessages = 0;
  let otherTypes = {};

  const typeOf = (s) => {
    const k = s.indexOf('"type":"');
    if (k >= 0) return s.slice(k + 8, s.indexOf('"', k + 8));
    try {
      return String(JSON.parse(s).type); // server JSON with unexpected spacing
    } catch {
      return 'unparsable';
    }
  };

  const onSubscriberFrame = (i, data) => {
    const arrived = nowMs();
    const s = data.toString();
    // Fast path for the hot frame: find our text without parsing the whole JSON.
    const k = s.indexOf('"text":"f:');
    if (k >= 0 && s.includes('"type":"message"')) {
      if (!member[i]) return;
      const a = k + 10;
      const b = s.indexOf(':', a);
      const seq = Number(s.slice(a, b));
      const sentAt = Number(s.slice(b + 1, s.indexOf('"', b + 1)));
      // Room history replayed from an earlier run carries old timestamps: not ours.
      if (!(seq >= 0 && seq < maxMsgs && sentAt >= publishStartMs)) return void foreignMessages++;
      const byte = i * bytesPerSub + (seq >> 3);
      const bit = 1 << (seq & 7);
      if (seenBits[byte] & bit) return void duplicates++;
      seenBits[byte] |= bit;
      if (seq < lastSeq[i]) outOfOrder++;
      else lastSeq[i] = seq;
      delivered++;
      latency.add(arrived - sentAt);
      return;
    }
    const type = typeOf(s);
    if (type === 'joined' && !joined[i]) {
      joined[i] = 1;
      joinedCount++;
      lastJoinAt = performance.now();
      return;
    }
    otherFrames++;
    bump(otherTypes, type);
  };

  let published = 0;
  let members = 0;
  let publishStartMs = Infinity;
  partial = () => {
    const p = latency.percentiles();
    return { joined: joinedCount, subscribers: members, published, expectedDeliveries: published * members,
      delivered, lost: published * members - delivered, duplicates, outOfOrder,
      latencyP50Ms: p.p50, latencyP99Ms: p.p99, latencyMaxMs: p.max, otherFrames };
  };

  // Subscribers.
  const t0 = performance.now();
  const joinCpu = cpuWindow();
  const opened = await openMany(subscribers, (i) => chatUrl(`u${i}`, i),
    (ws, i) => ws.on('message', (data) => onSubscriberFrame(i, data)), 'fanout connect');
  Object.assign(results, { subscribersRequested: subscribers, connected: opened.connected,
    failed: opened.failed, connectErrors: opened.errors });
  if (!requireConnections(opened)) return;
  const waitingToJoin = () => opened.sockets.filter((ws, i) => ws && !joined[i] && ws.readyState === WebSocket.OPEN).length;
  const allJoined = await waitFor(() => waitingToJoin() === 0, 30000, 50);
  if (joinedCount === 0) {
    results.error = 'no subscriber got "joined"';
    console.error(`load.js: ${results.error}`);
    await closeAll(10000);
    emit(1);
    return;
  }
  results.connectJoinSeconds = round((lastJoinAt - t0) / 1000);
  results.joinPhase = joinCpu();
  if (!allJoined) console.error(`fanout: ${waitingToJoin()} subscribers never got "joined"`);
  console.error(`fanout: ${joinedCount} subscribers joined in ${results.connectJoinSeconds}s`);

  // Publisher.
  let pubJoined = false;
  let acks = 0;
  const pubErrors = {};
  const pub = await openMany(1, () => chatUrl('pub'), (ws) => ws.on('message', (data) => {
    const s = data.toString();
    const type = typeOf(s);
    if (type === 'joined') pubJoined = true;
    else if (type === 'ack') acks++;
    else if (type === 'error') bump(pubErrors, (/"code":"([^"]*)"/.exec(s) || [])[1] || 'error');
  }), 'fanout publisher');
  const pubWs = pub.sockets[0];
  if (!pubWs || !(await waitFor(() => pubJoined, 10000))) {
    results.error = `publisher could not join: ${JSON.stringify(pub.errors)}`;
    console.error(`load.js: ${results.error}`);
    await closeAll(10000);
    emit(1);
    return;
  }

  // Only subscribers in the room now are expected to receive everything.
  for (let i = 0; i < subscribers; i++) {
    if (joined[i] && opened.sockets[i] && opened.sockets[i].readyState === WebSocket.OPEN) {
      member[i] = 1;
      members++;
    }
  }
  // Frames counted so far belong to the join phase; report them apart from the publishing window.
  results.joinPhaseOtherFrames = otherFrames;
  results.joinPhaseOtherFrameTypes = otherTypes;
  otherFrames = 0;
  otherTypes = {};

  const server0 = serverSample();
  const redis0 = redisCommands();
  const cpu = cpuWindow();
  const tp = performance.now();
  publishStartMs = nowMs() - 1; // text timestamps are rounded to µs; keep the first one inside
  console.error(`fanout: publishing ${rate}/s for ${duration}s to ${members} subscribers`);
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - tp;
      const due = Math.min(maxMsgs, Math.floor((elapsed * rate) / 1000));
      for (; published < due && pubWs.readyState === WebSocket.OPEN; published++) {
        pubWs.send(`f:${published}:${nowMs().toFixed(3)}`);
      }
      if (published >= maxMsgs || pubWs.readyState !== WebSocket.OPEN || elapsed >= duration * 1000 + 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const publishSeconds = (performance.now() - tp) / 1000;
  const expected = published * members;
  // A server that falls behind delivers late, not never: wait while deliveries keep coming (up to a
  // minute), so that 'lost' counts only what stopped arriving and lateness shows in the latency.
  let lastCount = -1;
  let lastProgress = performance.now();
  const drained = await waitFor(() => {
    if (delivered !== lastCount) {
      lastCount = delivered;
      lastProgress = performance.now();
    }
    return delivered >= expected || performance.now() - lastProgress > 5000;
  }, 60000, 20) && delivered >= expected;
  const drainSeconds = (performance.now() - tp) / 1000 - publishSeconds;
  const window = cpu();
  const server1 = serverSample();
  const redis1 = redisCommands();
  if (!drained) console.error(`fanout: ${expected - delivered} deliveries missing (none arrived for 5 s, or a minute passed)`);

  const p = latency.percentiles();
  Object.assign(results, {
    subscribers: members,
    published,
    publishSeconds: round(publishSeconds),
    drainSeconds: round(drainSeconds), // after the last publish, until all arrived (or gave up)
    publisherAcks: acks,
    publisherErrors: pubErrors,
    expectedDeliveries: expected,
    delivered,
    lost: expected - delivered,
    duplicates,
    outOfOrder,
    latencyP50Ms: p.p50,
    latencyP99Ms: p.p99,
    latencyMaxMs: p.max,
    serverCpuUsPerDelivery: server0 && server1 && delivered ? round((server1.cpuUs - server0.cpuUs) / delivered, 3) : null,
    serverRssKB: server1 ? server1.rssKB : null,
    serverThreads: server1 ? server1.threads : null,
    otherFrames,
    otherFrameTypes: otherTypes,
    foreignMessages,
    nodes: BASES.length,
    // The Redis commands each published message cost: the same whatever the number of subscribers.
    redisCommandsPerMessage: redis0 !== null && redis1 !== null && published ? round((redis1 - redis0) / published, 2) : null,
    ...window,
  });
  await closeAll(15000);
  emit(0);
}

// --- scenario: idle ---------------------------------------------------------------------------
async function runIdle() {
  const { conns } = opt;
  const path = opt.path.startsWith('/') ? opt.path : `/${opt.path}`;
  checkFileLimit(conns);
  const before = serverSample();
  partial = () => ({ connected: live.size });
  const cpu = cpuWindow();
  const opened = await openMany(conns, () => `${BASE}${path}`, () => {}, 'idle connect');
  Object.assign(results, {
    conns,
    path,
    connected: opened.connected,
    failed: opened.failed,
    connectErrors: opened.errors,
    connectSeconds: round(opened.seconds),
    connectsPerSecond: round(opened.connected / opened.seconds, 1),
    connectPhase: cpu(),
  });
  if (!requireConnections(opened)) return;
  console.error('idle: settling 3s');
  await sleep(3000);
  const after = serverSample();
  Object.assign(results, {
    stillOpen: live.size,
    rssBeforeKB: before ? before.rssKB : null,
    rssAfterKB: after ? after.rssKB : null,
    rssPerConnKB: before && after ? round((after.rssKB - before.rssKB) / opened.connected, 2) : null,
    threadsBefore: before ? before.threads : null,
    threadsAfter: after ? after.threads : null,
  });
  console.error(`idle: closing ${live.size} connections`);
  results.closeSeconds = round(await closeAll(30000));
  emit(0);
}

// --- scenario: clock --------------------------------------------------------------------------
async function runClock() {
  const { conns } = opt;
  const duration = Math.max(1, Math.round(opt.duration)); // whole ticks
  checkFileLimit(conns);
  const ticks = new Map(); // time string -> { first, last, count }, arrival in wall ms
  const onTick = (data) => {
    const at = nowMs();
    const s = data.toString('latin1');
    const k = s.indexOf('"time":"');
    if (k < 0) return;
    const key = s.slice(k + 8, s.indexOf('"', k + 8));
    const t = ticks.get(key);
    if (t) {
      t.count++;
      if (at > t.last) t.last = at;
    } else ticks.set(key, { first: at, last: at, count: 1 });
  };
  partial = () => ({ connected: live.size, tickStringsSeen: ticks.size });
  const opened = await openMany(conns, () => `${BASE}/ws/clock`, (ws) => ws.on('message', onTick), 'clock connect');
  Object.assign(results, { conns, connected: opened.connected, failed: opened.failed,
    connectErrors: opened.errors, connectSeconds: round(opened.seconds) });
  if (!requireConnections(opened)) return;

  // The window starts at the first second boundary comfortably after everyone is connected, so
  // no tick in it can be one that was half sent before, nor a connect-time tick.
  const allConnectedAt = nowMs();
  const GUARD = 50;
  const windowStart = Math.ceil((allConnectedAt + GUARD) / 1000) * 1000 - GUARD;
  const windowEnd = windowStart + duration * 1000;
  const subscribers = live.size;
  console.error(`clock: ${subscribers} connected; measuring ${duration} ticks`);
  await sleep(Math.max(0, windowStart - nowMs()));
  const server0 = serverSample();
  const cpu = cpuWindow();
  const cpu0 = process.cpuUsage();
  // Wait for the window to pass, plus 2 s for stragglers of its last tick.
  await sleep(Math.max(0, windowEnd + 2000 - nowMs()));
  const window = cpu();
  const used = process.cpuUsage(cpu0);
  const clientCpuMs = (used.user + used.system) / 1000;
  const server1 = serverSample();

  const inWindow = [...ticks.values()].filter((t) => t.first >= windowStart && t.first < windowEnd);
  const skew = new Samples(inWindow.length);
  const lag = new Samples(inWindow.length); // last arrival after the second boundary: end-to-end delay
  let missed = Math.max(0, duration - inWindow.length) * subscribers;
  for (const t of inWindow) {
    skew.add(t.last - t.first);
    lag.add(t.last - Math.floor(t.first / 1000) * 1000);
    missed += Math.max(0, subscribers - t.count);
  }
  const s = skew.percentiles();
  const l = lag.percentiles();
  Object.assign(results, {
    subscribers,
    ticks: inWindow.length,
    ticksExpected: duration,
    missedDeliveries: missed,
    skewP50Ms: s.p50,
    skewP99Ms: s.p99,
    skewMaxMs: s.max,
    lastArrivalAfterSecondP50Ms: l.p50,
    lastArrivalAfterSecondMaxMs: l.max,
    // Ticks come in bursts, so the average CPU hides saturation: when the client's CPU per tick
    // comes close to the skew, the skew measures the client, not the server.
    clientCpuMsPerTick: round(clientCpuMs / duration, 1),
    serverCpuMsPerTick: server0 && server1 ? round((server1.cpuUs - server0.cpuUs) / 1000 / duration, 1) : null,
    ...window,
  });
  await closeAll(30000);
  emit(0);
}

// --- main -------------------------------------------------------------------------------------
const run = { echo: runEcho, fanout: runFanout, idle: runIdle, clock: runClock }[scenario];
run().catch((e) => {
  console.error(e);
  abort({ error: String(e && e.message) }, 1);
});
