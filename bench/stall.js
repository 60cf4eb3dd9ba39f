// A webhook receiver that takes every request and never answers: what a site's back end that hangs
// looks like to Switchboard. For `bench/run --webhooks stalled`; loopback only, stops when killed.
//   node stall.js PORT
'use strict';
const http = require('http');
const port = Number(process.argv[2] || 18195);
let taken = 0;
const server = http.createServer((req) => {
  taken++;
  req.resume(); // read the body, answer nothing
});
server.listen(port, '127.0.0.1', () => console.error(`stall: taking webhooks on 127.0.0.1:${port}, answering none`));
process.on('SIGTERM', () => {
  console.error(`stall: took ${taken} requests`);
  process.exit(0);
});
