'use strict';
// The Node SDK (bybit-api) against the local server's streams: WebsocketClient with wsUrl
// pointed at /v5/public/linear and /v5/private, WebsocketAPIClient at /v5/trade. Subscribes to
// the public book and trades and the private order and execution topics, creates a market order
// through the trade client and follows it to Filled on the private stream. Prints one JSON line
// (what it saw) and exits; the pytest side (test_interop.py) judges it.
// argv[2]: {"node_modules", "base", "key", "secret", "timeout_ms"}.

const path = require('path');

const spec = JSON.parse(process.argv[2]);
const { WebsocketClient, WebsocketAPIClient } = require(path.join(spec.node_modules, 'bybit-api'));

const silent = { trace() {}, info() {}, error() {} };
const seen = {
  responses: [],
  exceptions: [],
  authenticated: false,
  book: { snapshots: 0, deltas: 0, u: [] },
  trades: 0,
  order_statuses: [],
  executions: 0,
  ack: null,
  our_trade: false,
  snapshots: {},
};

// The other public paths: a snapshot of a book on each (spot, inverse, option dialects).
const OTHER_BOOKS = {
  spot: 'orderbook.50.BTCUSDT',
  inverse: 'orderbook.50.BTCUSD',
  option: 'orderbook.25.BTC-26DEC26-100000-C-USDT',
};
const others = Object.entries(OTHER_BOOKS).map(([category, topic]) => {
  const client = new WebsocketClient({ wsUrl: `${spec.base}/v5/public/${category}` }, silent);
  client.on('exception', (e) => seen.exceptions.push(JSON.stringify(e).slice(0, 300)));
  client.on('update', (event) => {
    if (event.topic === topic && event.type === 'snapshot') seen.snapshots[category] = true;
    maybeDone();
  });
  client.subscribeV5([topic], category);
  return client;
});

function finish(code) {
  process.stdout.write(JSON.stringify(seen) + '\n');
  process.exit(code);
}
setTimeout(() => finish(2), spec.timeout_ms);

const pub = new WebsocketClient({ wsUrl: `${spec.base}/v5/public/linear` }, silent);
const priv = new WebsocketClient(
  { key: spec.key, secret: spec.secret, wsUrl: `${spec.base}/v5/private` },
  silent,
);
const api = new WebsocketAPIClient(
  { key: spec.key, secret: spec.secret, wsUrl: `${spec.base}/v5/trade` },
  silent,
);

for (const client of [pub, priv]) {
  client.on('response', (r) => seen.responses.push(r.op || r.type || 'response'));
  client.on('exception', (e) => seen.exceptions.push(JSON.stringify(e).slice(0, 300)));
}
priv.on('authenticated', () => {
  seen.authenticated = true;
});

let ordered = false;
function maybeOrder() {
  // the book moved, trades printed, and the private topics are confirmed: trade
  if (ordered || seen.book.deltas < 2 || !seen.private_subscribed) return;
  ordered = true;
  api
    .submitNewOrder({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.01' })
    .then((reply) => {
      seen.ack = { retCode: reply.retCode, orderId: reply.data.orderId };
    })
    .catch((error) => {
      seen.exceptions.push(`order: ${JSON.stringify(error).slice(0, 300)}`);
      finish(1);
    });
}

pub.on('update', (event) => {
  if (event.topic === 'orderbook.50.BTCUSDT') {
    if (event.type === 'snapshot') seen.book.snapshots += 1;
    else seen.book.deltas += 1;
    seen.book.u.push(event.data.u);
  } else if (event.topic === 'publicTrade.BTCUSDT') {
    seen.trades += event.data.length;
    if (ordered && event.data.some((t) => t.S === 'Buy' && t.v === '0.010')) {
      seen.our_trade = true; // the fill printed on the public trades
    }
  }
  maybeOrder();
  maybeDone();
});

priv.on('response', (r) => {
  if (r.op === 'subscribe' && r.success) {
    seen.private_subscribed = true;
    maybeOrder();
  }
});
priv.on('update', (event) => {
  if (event.topic === 'order') {
    for (const order of event.data) {
      seen.order_statuses.push(order.orderStatus);
    }
  } else if (event.topic === 'execution') {
    seen.executions += event.data.length;
  }
  maybeDone();
});

function maybeDone() {
  const statuses = seen.order_statuses;
  const books = Object.keys(seen.snapshots).length === Object.keys(OTHER_BOOKS).length;
  if (statuses[statuses.length - 1] === 'Filled' && seen.executions > 0 && seen.our_trade && books) {
    for (const client of others) client.closeAll(true);
    pub.closeAll(true);
    priv.closeAll(true);
    api.getWSClient().closeAll(true);
    finish(0);
  }
}

api.getWSClient().connectWSAPI().catch((error) => {
  seen.exceptions.push(`connectWSAPI: ${error}`);
  finish(1);
});
pub.subscribeV5(['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT'], 'linear');
priv.subscribeV5(['order', 'execution'], 'linear');
