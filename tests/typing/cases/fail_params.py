"""Bad parameters are type errors. Each offending line carries the one error code it must raise;
mypy runs with --warn-unused-ignores, so a line that stops failing fails the test."""

from bybit_wsapi import BatchCancelOrderParamsV5, WSAPIMethods


async def bad_order_fields(client: WSAPIMethods) -> None:
    await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "1",
            "orderLinkID": "typo",  # type: ignore[typeddict-unknown-key]
        }
    )
    await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "buy",  # type: ignore[typeddict-item]
            "orderType": "Limit",
            "qty": "1",
        }
    )
    await client.submit_new_order(
        {  # type: ignore[typeddict-item]
            "category": "linear",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "1",
        }
    )
    await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": 1,  # type: ignore[typeddict-item]
        }
    )
    await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "1",
            "leverage": "10",  # type: ignore[typeddict-unknown-key]
        }
    )
    await client.submit_new_order(
        {
            "category": "futures",  # type: ignore[typeddict-item]
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "1",
        }
    )
    await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "1",
            "positionIdx": 3,  # type: ignore[typeddict-item]
        }
    )
    await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "1",
            "reduceOnly": "true",  # type: ignore[typeddict-item]
        }
    )
    await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Stop",  # type: ignore[typeddict-item]
            "qty": "1",
        }
    )


async def bad_amend_and_cancel(client: WSAPIMethods) -> None:
    await client.amend_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "orderId": "1",
            "side": "Sell",  # type: ignore[typeddict-unknown-key]
        }
    )
    await client.cancel_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "orderId": 1,  # type: ignore[typeddict-item]
        }
    )


async def bad_batches(client: WSAPIMethods, cancels: list[BatchCancelOrderParamsV5]) -> None:
    await client.batch_submit_orders("linear", cancels)  # type: ignore[arg-type]
    await client.batch_cancel_order("perpetual", cancels)  # type: ignore[arg-type]
    await client.batch_submit_orders(
        "linear",
        [
            {
                "category": "linear",  # type: ignore[typeddict-unknown-key]
                "symbol": "BTCUSDT",
                "side": "Buy",
                "orderType": "Market",
                "qty": "1",
            }
        ],
    )
    await client.batch_amend_order("linear", [])  # a valid call: an empty list type-checks
    await client.batch_cancel_order(category="linear")  # type: ignore[call-arg]


async def bad_timeout(client: WSAPIMethods, cancels: list[BatchCancelOrderParamsV5]) -> None:
    await client.batch_cancel_order("linear", cancels, timeout="5")  # type: ignore[arg-type]
    await client.batch_cancel_order("linear", cancels, 5.0)  # type: ignore[call-arg]
