"""``from bybit_wsapi import *`` gives the generated names and the runtime's, typed."""

from typing import Literal, assert_type

from bybit_wsapi import *  # noqa: F403


def names(params: OrderParamsV5, reply: OrderCreateResponse) -> None:  # noqa: F405
    assert_type(params["symbol"], str)
    assert_type(reply["op"], Literal["order.create"])
    assert_type(WS_KEY_MAP.v5_private_trade, Literal["v5PrivateTrade"])  # noqa: F405
    client = WebsocketAPIClient(key="k", secret="s")  # noqa: F405
    assert_type(client.get_ws_client(), WebsocketClient)  # noqa: F405
    assert_type(RetCode.REQUEST_EXPIRED, Literal[RetCode.REQUEST_EXPIRED])  # noqa: F405
    options: ClientOptions = {"testnet": True}  # noqa: F405
    assert_type(options, ClientOptions)  # noqa: F405
