"""A reply's ``meta``: the parsed headers always, ``late`` and ``params`` on a late reply only."""

from typing import Any, assert_type

from bybit_wsapi import WebsocketClient, WSAPIAnyResponse, WSAPIResponseMeta


def on_late_replies(ws: WebsocketClient) -> None:
    def on_response(reply: WSAPIAnyResponse) -> None:
        meta = reply["meta"]
        assert_type(meta, WSAPIResponseMeta)
        assert_type(meta["rttMs"], float)
        assert_type(meta["traceId"], str | None)
        assert_type(meta.get("late"), bool | None)  # NotRequired: absent unless late
        if meta.get("late"):
            assert_type(meta["params"], dict[str, Any])

    ws.on("response", on_response)
