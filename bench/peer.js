'use strict';
// Baseline: the same three WebSocket jobs as Switchboard (echo, clock, chat) on plain Node + ws,
// so the Java numbers have a reference point. Usage: node peer.js --port 9080 [--host 127.0.0.1]

const http = require('node:http');
const crypto = require('node:crypto');
const { WebSocketServer } = require('ws');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}
const port = Number(arg('port', 9080));
const host = arg('host', '127.0.0.1');
if (!/^127\./.test(host)) {
  console.error('peer.js listens on loopback only (127.0.0.0/8)');
  process.exit(2);
}

const wsOptions = { noServer: true, perMessageDeflate: false, maxPayload: 65536 };
const echo = new WebSocketServer(wsOptions);
const clock = new WebSocketServer(wsOptions);
const chat = new WebSocketServer(wsOptions);

// Nobody reads a socket error here; without a listener it would crash the process.
const ignore = () => {};

// --- echo -------------------------------------------------------------------------------------
echo.on('connection', (ws) => {
  ws.on('error', ignore);
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});

// --- clock ------------------------------------------------------------------------------------
const pad = (n) => (n < 10 ? '0' : '') + n;
function formatTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}.${pad(d.getMonth() + 1)}.${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
// Encoded once per tick; ws sends a Buffer with binary:false as a text frame without re-encoding.
const tickFrame = (ms) => Buffer.from(JSON.stringify({ time: formatTime(ms) }));
let lastTick = tickFrame(Math.floor(Date.now() / 1000) * 1000);
let clockTimer = null;

function scheduleTick() {
  // Re-aim at the next second boundary every time, so timer drift never accumulates.
  const next = Math.floor(Date.now() / 1000) * 1000 + 1000;
  clockTimer = setTimeout(() => {
    // A timer may fire a hair before/after the boundary: name the tick after the boundary aimed at.
    lastTick = tickFrame(next);
    for (const ws of clock.clients) ws.send(lastTick, { binary: false });
    scheduleTick();
  }, next - Date.now());
}
scheduleTick();

clock.on('connection', (ws) => {
  ws.on('error', ignore);
  ws.send(lastTick, { binary: false });
});

// --- chat -------------------------------------------------------------------------------------
const rooms = new Map(); // room -> { members: Set<WebSocket>, offset: number }
let userSeq = 0;

chat.on('connection', (ws, req) => {
  ws.on('error', ignore);
  const url = new URL(req.url, 'http://x');
  const roomName = url.searchParams.get('room') || 'lobby';
  const user = `u${++userSeq}`;
  let room = rooms.get(roomName);
  if (!room) rooms.set(roomName, (room = { members: new Set(), offset: 0 }));
  room.members.add(ws);

  ws.send(JSON.stringify({ type: 'welcome', user, rooms: [roomName] }));
  ws.send(JSON.stringify({
    type: 'joined', room: roomName, members: [], memberCount: room.members.size,
    offset: room.offset, epoch: 'e1',
  }));

  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text only');
    const text = data.toString();
    if (text.startsWith('{')) return; // envelopes are not part of the baseline
    const offset = ++room.offset;
    const id = crypto.randomUUID();
    // Built once, sent to every member (sender included), like Switchboard's fan-out.
    const frame = Buffer.from(JSON.stringify({
      type: 'message', room: roomName, offset, id, from: user, text, ts: Date.now(),
    }));
    for (const member of room.members) member.send(frame, { binary: false });
    ws.send(JSON.stringify({ type: 'ack', id, room: roomName, offset }));
  });

  ws.on('close', () => {
    room.members.delete(ws);
    if (room.members.size === 0 && room.offset === 0) rooms.delete(roomName);
  });
});

// --- http server and routing ------------------------------------------------------------------
const routes = { '/ws/echo': echo, '/ws/clock': clock, '/ws/chat': chat };
const server = http.createServer((req, res) => {
  res.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain' });
  res.end('Connect with WebSocket\n');
});
server.on('upgrade', (req, socket, head) => {
  socket.on('error', ignore);
  const wss = routes[new URL(req.url, 'http://x').pathname];
  if (!wss) {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.on('clientError', (err, socket) => socket.destroy());

server.on('error', (err) => {
  console.error(`peer: ${err.message}`);
  process.exit(1);
});

// A deep backlog: the load client opens up to a few hundred handshakes at once.
server.listen({ port, host, backlog: 4096 }, () => {
  process.stdout.write('ready\n');
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`peer: ${signal}, closing`);
  clearTimeout(clockTimer);
  server.close();
  for (const wss of Object.values(routes)) {
    for (const ws of wss.clients) ws.close(1001, 'server going away');
  }
  // Give close handshakes a moment, then leave regardless.
  setTimeout(() => process.exit(0), 1000).unref();
  const poll = setInterval(() => {
    if (Object.values(routes).every((w) => w.clients.size === 0)) process.exit(0);
  }, 50);
  poll.unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
