"""A REST mock in fake time for the ``test_rest*`` tests: one account, the pure ``RestServer``."""

from __future__ import annotations

import json
from typing import Any

from bybit_wsapi.auth import account_verifier, hmac_signature
from bybit_wsapi.rest import query_string, sign_payload
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET
from bybit_wsapi.server.account import Account, AccountConfig
from bybit_wsapi.server.market import Market
from bybit_wsapi.server.rest import RestServer

from ..orders import create

WALL_MS = 5_000_000
DAY_MS = 86_400_000


class Mock:
    """One account, its REST server and a market clock the test moves."""

    def __init__(self, config: AccountConfig | None = None) -> None:
        self.now = 1_000
        self.account = Account(DEMO_API_KEY, Market(), config)
        verifiers = {DEMO_API_KEY: account_verifier(DEMO_API_SECRET)}
        self.rest = RestServer(
            {DEMO_API_KEY: self.account}, verifiers, lambda: self.now, wall_ms=lambda: WALL_MS
        )
        self.rest.options.rate_limit = 10_000
        self.pushed: list[dict[str, Any]] = []

    def trade(self, action: Any, params: dict[str, Any], category: str = "linear") -> None:
        outcome, pushes = self.account.apply(action, category, params, self.now)
        assert outcome.code == 0, outcome
        for push in pushes:
            if push.topic == "execution":
                self.pushed.extend(push.message["data"])  # type: ignore[arg-type]

    def buy(self, link: str, qty: str = "0.5", category: str = "linear", **extra: Any) -> None:
        params = create(link, orderType="Market", qty=qty, category=category, **extra)
        del params["price"]
        self.trade("create", params, category)

    def get(self, path: str, **params: object) -> dict[str, Any]:
        query = query_string(params)
        sign = hmac_signature(DEMO_API_SECRET, sign_payload(WALL_MS, DEMO_API_KEY, 5000, query))
        headers = {
            "X-BAPI-API-KEY": DEMO_API_KEY,
            "X-BAPI-TIMESTAMP": str(WALL_MS),
            "X-BAPI-RECV-WINDOW": "5000",
            "X-BAPI-SIGN": sign,
        }
        status, _, body = self.rest.handle(f"{path}?{query}", headers)
        assert status == 200
        return dict(json.loads(body))

    def executions(self, **params: object) -> dict[str, Any]:
        reply = self.get("/v5/execution/list", **{"category": "linear", **params})
        assert reply["retCode"] == 0, reply
        return dict(reply["result"])

    def refused(self, path: str, **params: object) -> str:
        reply = self.get(path, **params)
        assert reply["retCode"] == 10001 and reply["result"] == {}, reply
        return str(reply["retMsg"])
