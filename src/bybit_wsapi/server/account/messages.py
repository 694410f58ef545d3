"""The private topics' messages (§4): order, execution, execution.fast, position, wallet.

Pure builders: the account passes its state in; every value is a string as Bybit sends it,
except the flags and integers the reference types otherwise. The envelope is
``{id, topic, creationTime, data: [...]}``; ``execution.fast`` has no ``id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final, get_args

from bybit_wsapi_generated.models import (
    CategoryV5,
    ExecutionV5,
    FastExecutionV5,
    MarketUnitV5,
    OrderSMPTypeV5,
    OrderTriggerByV5,
    OrderV5,
    PositionV5,
    SlippageToleranceTypeV5,
    TPSLModeV5,
    WalletCoinV5,
    WalletV5,
)

from ..market.instruments import dec
from ..market.listing import Listing
from ..market.push import Ids, Push
from .state import OPEN, ZERO, Coin, LiveOrder, Position, pick

__all__ = ["dec", "envelope", "execution_item", "order_item", "position_item", "wallet_item"]

Item = OrderV5 | ExecutionV5 | FastExecutionV5 | PositionV5 | WalletV5
_TRIGGER_BY: Final[tuple[OrderTriggerByV5, ...]] = get_args(OrderTriggerByV5)
_SMP: Final[tuple[OrderSMPTypeV5, ...]] = get_args(OrderSMPTypeV5)
_TPSL: Final[tuple[TPSLModeV5, ...]] = get_args(TPSLModeV5)
_UNITS: Final[tuple[MarketUnitV5, ...]] = get_args(MarketUnitV5)
_SLIPPAGE: Final[tuple[SlippageToleranceTypeV5, ...]] = get_args(SlippageToleranceTypeV5)


def _text(record: Mapping[str, object], key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def envelope(
    ids: Ids,
    topic: str,
    category: CategoryV5 | None,
    items: Sequence[Item],
    *,
    now_ms: int,
    account: str,
) -> Push:
    """One private push of ``items`` on the all-in-one ``topic`` (see :class:`Push`)."""
    message: dict[str, object] = {}
    if topic != "execution.fast":
        message["id"] = ids.uuid()
    message["topic"] = topic
    message["creationTime"] = now_ms
    message["data"] = list(items)
    return Push(topic, category, message, account)


def _qty(order: LiveOrder, value: Decimal) -> str:
    listing = order.listing
    if listing is None or order.quote_qty:
        return dec(value)
    lots = listing.size.count(value)
    return listing.size.format(lots) if lots is not None else dec(value)


def _price(listing: Listing | None, value: Decimal | None) -> str:
    if value is None:
        return ""
    ticks = None if listing is None else listing.price.count(value)
    return dec(value) if ticks is None or listing is None else listing.price.format(ticks)


def order_item(order: LiveOrder, now_ms: int) -> OrderV5:
    """One ``order`` item (§4.1) of the order's current state."""
    record, category = order.record, order.category
    cum = order.cum_qty
    avg = ""
    if cum:
        avg = dec(cum / order.cum_value if category == "inverse" else order.cum_value / cum)
    leaves = order.leaves if order.status in OPEN else ZERO
    price = order.price
    item: OrderV5 = {
        "category": category,
        "orderId": order.order_id,
        "orderLinkId": _text(record, "orderLinkId"),
        "parentOrderLinkId": "",
        "isLeverage": str(record.get("isLeverage", 0)) if category == "spot" else "",
        "blockTradeId": "",
        "symbol": order.symbol,
        "price": _price(order.listing, price) if price is not None else "0",
        "brokerOrderPrice": "",
        "qty": _qty(order, order.qty),
        "side": order.side,
        "positionIdx": 0,
        "orderStatus": order.status,
        "cancelType": order.cancel_type,
        "rejectReason": order.reject_reason,
        "avgPrice": avg,
        "leavesQty": _qty(order, leaves),
        "leavesValue": dec(leaves * price) if price is not None else "0",
        "cumExecQty": _qty(order, cum),
        "cumExecValue": dec(order.cum_value),
        "cumExecFee": dec(order.cum_fee),
        "closedPnl": "0",
        "timeInForce": order.time_in_force,
        "orderType": order.order_type,
        "stopOrderType": "",
        "ocoTriggerBy": "OcoTriggerByUnknown",
        "orderIv": _text(record, "orderIv"),
        "marketUnit": pick(record.get("marketUnit"), _UNITS, ""),
        "slippageToleranceType": pick(record.get("slippageToleranceType"), _SLIPPAGE, "UNKNOWN"),
        "slippageTolerance": _text(record, "slippageTolerance") or "0",
        "triggerPrice": _price(order.listing, order.trigger),
        "takeProfit": _text(record, "takeProfit"),
        "stopLoss": _text(record, "stopLoss"),
        "tpslMode": pick(record.get("tpslMode"), _TPSL, ""),
        "tpLimitPrice": _text(record, "tpLimitPrice"),
        "slLimitPrice": _text(record, "slLimitPrice"),
        "tpTriggerBy": pick(record.get("tpTriggerBy"), _TRIGGER_BY, ""),
        "slTriggerBy": pick(record.get("slTriggerBy"), _TRIGGER_BY, ""),
        "triggerDirection": order.trigger_direction,
        "triggerBy": pick(record.get("triggerBy"), _TRIGGER_BY, ""),
        "lastPriceOnCreated": order.last_price_on_created,
        "reduceOnly": order.reduce_only,
        "closeOnTrigger": record.get("closeOnTrigger") is True,
        "placeType": "",
        "smpType": pick(record.get("smpType"), _SMP, "None"),
        "smpGroup": 0,
        "smpOrderId": "",
        "createdTime": _text(record, "createdTime"),
        "updatedTime": str(now_ms),
        "cumFeeDetail": {order.fee_coin: dec(order.cum_fee)} if order.cum_fee else {},
    }
    if category == "spot":
        item["feeCurrency"] = order.fee_coin
    elif category != "option":
        item["createType"] = "CreateByUser"
    return item


def execution_item(
    order: LiveOrder,
    *,
    price: Decimal,
    qty: Decimal,
    value: Decimal,
    fee: Decimal,
    fee_rate: str,
    maker: bool,
    exec_id: str,
    seq: int,
    pnl: Decimal,
    closed: Decimal,
    now_ms: int,
) -> tuple[ExecutionV5, FastExecutionV5]:
    """One ``execution`` item (§4.2) and its ``execution.fast`` item (§4.3)."""
    listing, record = order.listing, order.record
    exec_price = _price(listing, price)
    exec_qty = _qty(order, qty) if not order.quote_qty else dec(qty)
    link_id = _text(record, "orderLinkId")
    mark = _price(listing, price)
    full: ExecutionV5 = {
        "category": order.category,
        "symbol": order.symbol,
        "isLeverage": str(record.get("isLeverage", 0)) if order.category == "spot" else "",
        "orderId": order.order_id,
        "orderLinkId": link_id,
        "side": order.side,
        "orderPrice": _price(listing, order.price) if order.price is not None else "0",
        "orderQty": _qty(order, order.qty),
        "leavesQty": _qty(order, order.leaves),
        "orderType": order.order_type,
        "stopOrderType": "",
        "execFee": dec(fee),
        "execId": exec_id,
        "execPrice": exec_price,
        "execQty": exec_qty,
        "execPnl": dec(pnl),
        "execType": "Trade",
        "execValue": dec(value),
        "execTime": str(now_ms),
        "isMaker": maker,
        "feeRate": fee_rate,
        "tradeIv": "",
        "markIv": "",
        "markPrice": mark,
        "indexPrice": mark,
        "underlyingPrice": "",
        "blockTradeId": "",
        "closedSize": dec(closed),
        "extraFees": "",
        "seq": seq,
        "feeCurrency": order.fee_coin,
        "marketUnit": pick(record.get("marketUnit"), _UNITS, ""),
    }
    if order.category not in ("spot", "option"):
        full["createType"] = "CreateByUser"
    fast: FastExecutionV5 = {
        "category": order.category,
        "symbol": order.symbol,
        "orderId": order.order_id,
        "isMaker": maker,
        "orderLinkId": "" if maker else link_id,
        "execId": exec_id,
        "execPrice": exec_price,
        "execQty": exec_qty,
        "side": order.side,
        "execTime": str(now_ms),
        "seq": seq,
    }
    return full, fast


def position_item(position: Position, listing: Listing | None, leverage: str) -> PositionV5:
    """One ``position`` item (§4.4)."""
    size = position.size
    entry = position.entry
    mark = entry
    if listing is not None:
        mark = listing.price.value(listing.last)
    if position.category == "inverse":
        value = abs(size) / entry if entry else ZERO
        upl = size * (1 / entry - 1 / mark) if entry and mark else ZERO
    else:
        value = abs(size) * entry
        upl = size * (mark - entry)
    im = value / Decimal(leverage)
    item: PositionV5 = {
        "category": position.category,
        "symbol": position.symbol,
        "side": "" if not size else ("Buy" if size > 0 else "Sell"),
        "size": dec(abs(size)),
        "positionIdx": 0,
        "positionValue": dec(value),
        "riskId": 1,
        "riskLimitValue": "2000000",
        "entryPrice": _price(listing, entry) if entry else "0",
        "markPrice": _price(listing, mark) if mark else "0",
        "leverage": leverage,
        "breakEvenPrice": dec(entry),
        "autoAddMargin": 0,
        "positionIM": dec(im),
        "positionMM": dec(im / 2),
        "positionIMByMp": dec(im),
        "positionMMByMp": dec(im / 2),
        "liqPrice": "",
        "takeProfit": "0",
        "stopLoss": "0",
        "trailingStop": "0",
        "unrealisedPnl": dec(upl),
        "curRealisedPnl": dec(position.session),
        "cumRealisedPnl": dec(position.realised),
        "sessionAvgPrice": "",
        "positionStatus": "Normal",
        "adlRankIndicator": 2 if size else 0,
        "isReduceOnly": False,
        "mmrSysUpdatedTime": "",
        "leverageSysUpdatedTime": "",
        "createdTime": str(position.created_ms),
        "updatedTime": str(position.updated_ms),
        "seq": position.seq,
        "tpslMode": "Full",
        "bustPrice": "",
        "positionBalance": "",
        "tradeMode": 0,
    }
    if position.category == "option":
        item["delta"], item["gamma"], item["vega"], item["theta"] = "0.5", "0.00001", "10", "-10"
    return item


def wallet_item(coins: Mapping[str, Coin], usd: Mapping[str, Decimal]) -> WalletV5:
    """The ``wallet`` item (§4.5) of a unified account; ``usd`` prices each coin in USD."""
    rows: list[WalletCoinV5] = []
    total = ZERO
    for name, coin in coins.items():
        usd_value = coin.balance * usd.get(name, ZERO)
        total += usd_value
        rows.append(
            {
                "coin": name,
                "equity": dec(coin.balance),
                "usdValue": dec(usd_value),
                "walletBalance": dec(coin.balance),
                "locked": dec(coin.locked),
                "spotHedgingQty": "0",
                "borrowAmount": "0",
                "accruedInterest": "0",
                "totalOrderIM": "0",
                "totalPositionIM": "0",
                "totalPositionMM": "0",
                "unrealisedPnl": "0",
                "cumRealisedPnl": dec(coin.realised),
                "bonus": "0",
                "collateralSwitch": True,
                "marginCollateral": True,
                "spotBorrow": "0",
                "free": "",
                "availableToBorrow": "",
                "availableToWithdraw": "",
            }
        )
    equity = dec(total)
    return {
        "accountType": "UNIFIED",
        "accountIMRate": "0",
        "accountMMRate": "0",
        "totalEquity": equity,
        "totalWalletBalance": equity,
        "totalMarginBalance": equity,
        "totalAvailableBalance": equity,
        "totalPerpUPL": "0",
        "totalInitialMargin": "0",
        "totalMaintenanceMargin": "0",
        "accountIMRateByMp": "0",
        "accountMMRateByMp": "0",
        "totalInitialMarginByMp": "0",
        "totalMaintenanceMarginByMp": "0",
        "accountLTV": "0",
        "coin": rows,
    }
