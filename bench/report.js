'use strict';
// Turns bench/run's results (one JSON per server and scenario, and the Node ws baseline measured just
// before each) into a Markdown table: each figure for both and their ratio, with the target.
// With --smoke it also fails (exit 1) when a scenario did not run or lost anything.
//
//   node report.js --dir target/bench --servers "payara wildfly" --scenarios echo,fanout-1k [--smoke]

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '');
  const next = process.argv[i + 1];
  if (next !== undefined && !next.startsWith('--')) {
    args[key] = next;
    i++;
  } else {
    args[key] = true;
  }
}
const dir = args.dir;
const servers = String(args.servers).trim().split(/\s+/);
const scenarios = String(args.scenarios).split(',');
const smoke = Boolean(args.smoke);

// Each row: a label, how to read it from a result, the target for the server, and whether the
// ratio means something (a count of lost messages has none).
const ROWS = {
  echo: [
    ['RTT p50 (ms)', (r) => r.rttP50Ms, '', true],
    ['RTT p99 (ms)', (r) => r.rttP99Ms, '≤ 5', true],
    ['server CPU per message (µs)', (r) => r.serverCpuUsPerMsg, '≤ 1.5× ws', true],
    ['lost / sent', (r) => `${r.lost} / ${r.sent}`, '0', false],
    ['load client CPU (% of a core)', (r) => saturation(r), '', false],
  ],
  'fanout-1k': fanoutRows('≤ 50', '≤ 1.0× ws', '≤ 2'),
  'fanout-100': fanoutRows('≤ 100', '', ''),
  'fanout-10k': fanoutRows('≤ 250', '', ''),
  idle: [
    ['connections open', (r) => `${r.connected} (${r.failed} failed)`, '19,000', false],
    ['connects per second (cold: first scenario)', (r) => r.connectsPerSecond, '', true],
    ['RSS per connection (KB)', (r) => r.rssPerConnKB, '≤ 20', true],
    ['server threads: before → with all open', (r) => `${r.threadsBefore} → ${r.threadsAfter}`, 'flat', false],
  ],
  connect: [
    ['connections opened', (r) => `${r.connected} (${r.failed} failed)`, '', false],
    ['connects per second (warm)', (r) => r.connectsPerSecond, '≥ 2,000', true],
    ['server threads: before → with all open', (r) => `${r.threadsBefore} → ${r.threadsAfter}`, 'flat', false],
  ],
  clock: [
    ['subscribers', (r) => r.subscribers, '19,000', false],
    ['ticks / missed deliveries', (r) => `${r.ticks} / ${r.missedDeliveries}`, '0 missed', false],
    ['skew first→last p50 (ms)', (r) => r.skewP50Ms, '', true],
    ['skew first→last p99 (ms)', (r) => r.skewP99Ms, '≤ 50', true],
    ['load client CPU per tick (ms)', (r) => r.clientCpuMsPerTick, '', false],
  ],
};

function fanoutRows(p99Target, cpuTarget, joinTarget) {
  return [
    ['subscribers connected and joined (s)', (r) => r.connectJoinSeconds, joinTarget, true],
    ['lost / expected deliveries', (r) => `${r.lost} / ${r.expectedDeliveries}`, '0', false],
    ['all delivered, after the last publish (s)', (r) => r.drainSeconds, '', true],
    ['delivery latency p50 (ms)', (r) => r.latencyP50Ms, '', true],
    ['delivery latency p99 (ms)', (r) => r.latencyP99Ms, p99Target, true],
    ['server CPU per delivery (µs)', (r) => r.serverCpuUsPerDelivery, cpuTarget, true],
    ['Redis commands per message (cluster)', (r) => r.redisCommandsPerMessage, 'same for any subscriber count', false],
    ['load client CPU (% of a core)', (r) => saturation(r), '', false],
  ];
}

function saturation(r) {
  return r.clientCpuPct === undefined ? '' : `${r.clientCpuPct}${r.clientSaturated ? ' (saturated)' : ''}`;
}

function read(name, scenario) {
  const file = path.join(dir, `${name}-${scenario}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { error: `no result (${path.basename(file)}: ${e.code || e.message})` };
  }
}

function cell(v) {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  return typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
}

function ratio(server, ws) {
  return typeof server === 'number' && typeof ws === 'number' && ws > 0 ? `${(server / ws).toFixed(2)}×` : '';
}

// What lost or failed in a smoke run; empty when the run is sound.
function problems(name, scenario, r) {
  const found = [];
  if (r.error) found.push(r.error);
  if (r.incomplete) found.push('did not finish in time');
  for (const field of ['lost', 'duplicates', 'outOfOrder', 'missedDeliveries', 'failed']) {
    if (r[field] > 0) found.push(`${field}: ${r[field]}`);
  }
  return found.map((p) => `${name} ${scenario}: ${p}`);
}

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const cpu = os.cpus()[0] ? os.cpus()[0].model : 'unknown CPU';
const lines = [];
lines.push(`Benchmark ${smoke ? '(smoke) ' : ''}${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}, `
  + `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
const failures = [];
for (const server of servers) {
  lines.push('', `### ${server}`, '', `| scenario | figure | Node ws | ${server} | ratio | target |`, '| --- | --- | --- | --- | --- | --- |');
  for (const scenario of scenarios) {
    const ws = read(`ws-for-${server}`, scenario);
    const ours = read(server, scenario);
    failures.push(...problems('Node ws', scenario, ws), ...problems(server, scenario, ours));
    for (const [label, get, target, hasRatio] of ROWS[scenario] || []) {
      const a = ws.error ? ws.error : get(ws);
      const b = ours.error ? ours.error : get(ours);
      lines.push(`| ${scenario} | ${label} | ${cell(a)} | ${cell(b)} | ${hasRatio ? ratio(b, a) : ''} | ${target} |`);
    }
  }
}
console.log(lines.join('\n'));
if (smoke && failures.length) {
  console.error(`\nbench smoke FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
if (smoke) console.log('\nbench smoke: every scenario ran on both, nothing lost');
