"""Bad operations, connection names and uses of a reply are type errors too.

Through the overloaded ``send_ws_api_request`` mypy reports any mismatch as ``call-overload``;
the field-level codes are checked through the methods in fail_params.py.
"""

from bybit_wsapi import WS_KEY_MAP, OrderCreateResponse, WSAPISender


async def bad_requests(ws: WSAPISender, key_as_str: str) -> None:
    await ws.send_ws_api_request(  # type: ignore[call-overload]
        key_as_str, "order.cancel", {"category": "linear", "symbol": "BTCUSDT", "orderId": "1"}
    )
    await ws.send_ws_api_request(  # type: ignore[call-overload]
        WS_KEY_MAP.v5_private_trade,
        "order.cancle",
        {"category": "linear", "symbol": "BTCUSDT", "orderId": "1"},
    )
    await ws.send_ws_api_request(  # type: ignore[call-overload]
        "v5PublicTrade", "order.cancel", {"category": "linear", "symbol": "BTCUSDT", "orderId": "1"}
    )
    await ws.send_ws_api_request(  # type: ignore[call-overload]
        WS_KEY_MAP.v5_private_trade,
        "order.amend",
        {"category": "linear", "symbol": "BTCUSDT", "side": "Buy"},
    )
    await ws.send_ws_api_request(  # type: ignore[call-overload]
        WS_KEY_MAP.v5_private_trade,
        "order.create-batch",
        {"category": "linear", "request": [{"symbol": "BTCUSDT"}]},
    )


def bad_reply_use(r: OrderCreateResponse) -> None:
    r["data"]["list"]  # type: ignore[typeddict-item]
    r["retExtInfo"]["list"]  # type: ignore[typeddict-item]
    r["meta"]["serverTimeMs"] + 1  # type: ignore[operator]
    wrong: int = r["data"]["orderId"]  # type: ignore[assignment]
