'use strict';
// One benchmark scenario for the Node SDK (bybit-api's WebsocketAPIClient with its wsUrl option),
// in this fresh process: JSON spec in (argv[2]), one JSON line out (the last line of stdout),
// as runner.py does for the Python clients. The SDK is required from spec.node_modules.

const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const spec = JSON.parse(process.argv[2]);
const { WebsocketAPIClient } = require(path.join(spec.node_modules, 'bybit-api'));

const ORDER = {
  category: 'linear',
  symbol: 'BTCUSDT',
  side: 'Buy',
  orderType: 'Limit',
  qty: '0.001',
  price: '10000',
};

const makeClient = () =>
  new WebsocketAPIClient({ key: spec.key, secret: spec.secret, wsUrl: spec.url });
const connect = (client) => client.getWSClient().connectWSAPI();
const close = (client) => client.getWSClient().closeAll(true);
const burst = (client, n) =>
  Promise.all(Array.from({ length: n }, () => client.submitNewOrder(ORDER)));

function serverCpu(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop().trim().split(/\s+/);
    return (Number(fields[11]) + Number(fields[12])) / spec.clk_tck;
  } catch {
    return null;
  }
}

// Wall time, this process's CPU time and the server's CPU time over a measured phase.
function phase(pid) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const server = serverCpu(pid);
  return (requests) => {
    const seconds = (performance.now() - wall) / 1e3;
    const used = process.cpuUsage(cpu);
    const serverNow = serverCpu(pid);
    return {
      requests,
      lost: 0,
      seconds,
      cpu_s: (used.user + used.system) / 1e6,
      server_cpu: server === null || serverNow === null ? null : (serverNow - server) / seconds,
    };
  };
}

const scenarios = {
  async rtt() {
    const client = makeClient();
    await connect(client);
    for (let i = 0; i < spec.warmup; i++) await client.submitNewOrder(ORDER);
    const samples = [];
    const done = phase(spec.server_pid);
    for (let i = 0; i < spec.n; i++) {
      const start = performance.now();
      await client.submitNewOrder(ORDER);
      samples.push((performance.now() - start) * 1e3);
    }
    const result = done(spec.n);
    close(client);
    return { ...result, rtt_us: samples };
  },

  async throughput() {
    const clients = Array.from({ length: spec.conns }, makeClient);
    await Promise.all(clients.map(connect));
    await Promise.all(clients.map((c) => burst(c, spec.inflight))); // warm-up
    const done = phase(spec.server_pid);
    for (let i = 0; i < spec.rounds; i++) {
      await Promise.all(clients.map((c) => burst(c, spec.inflight)));
    }
    const result = done(spec.rounds * spec.inflight * spec.conns);
    clients.forEach(close);
    return result;
  },

  async cold() {
    const start = performance.now();
    const client = makeClient();
    if (spec.connect) await connect(client);
    const connected = performance.now();
    await client.submitNewOrder(ORDER);
    const acked = performance.now();
    close(client);
    return { total_ms: acked - start, first_ms: acked - connected };
  },

  async memory() {
    const client = makeClient();
    await connect(client);
    await client.submitNewOrder(ORDER);
    const before = process.resourceUsage().maxRSS;
    const done = phase(null);
    await burst(client, spec.inflight);
    const result = done(spec.inflight);
    const after = process.resourceUsage().maxRSS;
    close(client);
    return { ...result, rss_delta_kib: after - before };
  },
};

scenarios[spec.scenario]().then(
  (result) => {
    process.stdout.write(`\n${JSON.stringify(result)}\n`, () => process.exit(0));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
