'use strict';
// The Node SDK in the stream intake figure (tests/bench/stream_intake.py): bybit-api's
// WebsocketClient subscribes orderbook.50.BTCUSDT on spec.base's /v5/public/linear, skips
// spec.warmup seconds of deltas, then counts for spec.seconds the `update` events, checking that
// each delta's u is the previous one plus 1. One JSON line out, like stream_clients.py.

const fs = require('fs');
const path = require('path');

const spec = JSON.parse(process.argv[2]);
const { WebsocketClient } = require(path.join(spec.node_modules, 'bybit-api'));
const silent = { trace() {}, info() {}, error() {} };
const ws = new WebsocketClient({ wsUrl: `${spec.base}/v5/public/linear` }, silent);

// Seconds this process's threads waited for a CPU while runnable (as stream_clients.py).
const runqueueWait = () =>
  fs.readdirSync('/proc/self/task').reduce((total, task) => {
    try {
      return total + Number(fs.readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
    } catch {
      return total;
    }
  }, 0);
const now = () => Number(process.hrtime.bigint()) / 1e9;
let lastU = null, gaps = 0, messages = 0, warmUntil = null, start = null, cpu = null, wait = 0;

ws.on('update', (event) => {
  if (event.type !== 'delta') return;
  const u = event.data.u;
  if (lastU !== null && u !== lastU + 1) gaps += 1;
  lastU = u;
  const t = now();
  if (warmUntil === null) {
    warmUntil = t + spec.warmup;
  } else if (start === null) {
    if (t >= warmUntil) {
      start = t;
      cpu = process.cpuUsage();
      wait = runqueueWait();
    }
  } else {
    messages += 1;
    if (t - start >= spec.seconds) {
      const used = process.cpuUsage(cpu);
      const result = {
        messages,
        seconds: t - start,
        gaps,
        cpu: (used.user + used.system) / 1e6,
        wait: runqueueWait() - wait,
      };
      process.stdout.write(JSON.stringify(result) + '\n');
      process.exit(0);
    }
  }
});
ws.on('reconnect', () => process.stderr.write('reconnecting\n'));
ws.subscribeV5(['orderbook.50.BTCUSDT'], 'linear');
setTimeout(() => {
  process.stderr.write(`no full window: ${messages} messages, ${gaps} gaps\n`);
  process.exit(2);
}, (spec.seconds + spec.warmup) * 1000 + 20000);
