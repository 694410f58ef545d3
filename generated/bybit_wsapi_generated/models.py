# Generated from ws_api.yaml (sha256 b1817f5c653ace52dd5f060f998c1398a0152e803d522ab05175dfb4f46e6d54) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.

from typing import Literal, NotRequired, TypeAlias, TypedDict


class BatchCancelOrderParamsV5(TypedDict):
    """
    One cancellation of order.cancel-batch.
    """

    symbol: str
    """
    Symbol name in uppercase, e.g. BTCUSDT.
    """
    orderId: NotRequired[str]
    """
    Order id. Either orderId or orderLinkId is required; orderId wins if both are sent.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id. Either orderId or orderLinkId is required.
    """


class BatchItemStatusV5(TypedDict):
    """
    Outcome of one batch item in retExtInfo.list.
    """

    code: int
    """
    0 for success, otherwise the error code of this item.
    """
    msg: str
    """
    "OK" for success, otherwise the error text.
    """


class BatchOrdersRetExtInfoV5(TypedDict):
    """
    retExtInfo of the batch operations, in request order.
    """

    list: list[BatchItemStatusV5]
    """
    One status per item.
    """


BboLevelV5: TypeAlias = Literal["1", "2", "3", "4", "5"]
"""
Best-bid/offer level, "1" to "5".
"""


BboSideTypeV5: TypeAlias = Literal["Queue", "Counterparty"]
"""
Best-bid/offer order side type.
"""


CategoryV5: TypeAlias = Literal["linear", "inverse", "spot", "option"]
"""
Product type: linear (USDT/USDC perpetuals and futures), inverse, spot or option.
"""


class BatchAmendOrderResultV5(TypedDict):
    """
    One item of data.list of order.amend-batch.
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name.
    """
    orderId: str
    """
    Order id; "" if this item failed.
    """
    orderLinkId: str
    """
    Your order id.
    """


class BatchAmendOrderListV5(TypedDict):
    """
    data of order.amend-batch, in request order.
    """

    list: list[BatchAmendOrderResultV5]
    """
    One result per amendment.
    """


class BatchCancelOrderResultV5(TypedDict):
    """
    One item of data.list of order.cancel-batch.
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name.
    """
    orderId: str
    """
    Order id; "" if this item failed.
    """
    orderLinkId: str
    """
    Your order id.
    """


class BatchCancelOrderListV5(TypedDict):
    """
    data of order.cancel-batch, in request order.
    """

    list: list[BatchCancelOrderResultV5]
    """
    One result per cancellation.
    """


class BatchCreateOrderResultV5(TypedDict):
    """
    One item of data.list of order.create-batch; orderId and createAt are "" when it failed.
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name.
    """
    orderId: str
    """
    Order id; "" if this item failed.
    """
    orderLinkId: str
    """
    Your order id.
    """
    createAt: str
    """
    Creation time in ms; "" if this item failed.
    """


class BatchCreateOrderListV5(TypedDict):
    """
    data of order.create-batch, in request order.
    """

    list: list[BatchCreateOrderResultV5]
    """
    One result per order.
    """


class CancelBatchArgsV5(TypedDict):
    """
    Parameters of order.cancel-batch: a category and its cancellations, in request order.
    """

    category: CategoryV5
    """
    Product type of every order.
    """
    request: list[BatchCancelOrderParamsV5]
    """
    The cancellations.
    """


class EmptyRetExtInfoV5(TypedDict):
    """
    retExtInfo of the single-order operations: always {}.
    """


IsLeverageV5: TypeAlias = Literal[0, 1]
"""
Spot (UTA) only: 0 spot trading (default), 1 margin trading.
"""


MarketUnitV5: TypeAlias = Literal["baseCoin", "quoteCoin"]
"""
Unit of qty for spot market orders.
"""


OrderFilterV5: TypeAlias = Literal["Order", "tpslOrder", "StopOrder"]
"""
Spot only: Order (default), tpslOrder or StopOrder.
"""


class CancelOrderParamsV5(TypedDict):
    """
    Parameters of order.cancel: the Cancel Order request (REST POST /v5/order/cancel).
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name in uppercase, e.g. BTCUSDT.
    """
    orderId: NotRequired[str]
    """
    Order id. Either orderId or orderLinkId is required; orderId wins if both are sent.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id. Either orderId or orderLinkId is required.
    """
    orderFilter: NotRequired[OrderFilterV5]
    """
    Spot only: Order (default), tpslOrder or StopOrder.
    """


class OrderResultV5(TypedDict):
    """
    data of order.create, order.amend and order.cancel.
    """

    orderId: str
    """
    Order id assigned by Bybit.
    """
    orderLinkId: str
    """
    Your order id; "" if none was sent.
    """


OrderSMPTypeV5: TypeAlias = Literal["None", "CancelMaker", "CancelTaker", "CancelBoth"]
"""
Self-match prevention type.
"""


OrderSideV5: TypeAlias = Literal["Buy", "Sell"]
"""
Order side.
"""


OrderTimeInForceV5: TypeAlias = Literal["GTC", "IOC", "FOK", "PostOnly", "RPI"]
"""
Time in force. Market orders are always IOC; RPI is for approved makers only.
"""


OrderTriggerByV5: TypeAlias = Literal["LastPrice", "IndexPrice", "MarkPrice"]
"""
Price type that triggers a conditional order or a TP/SL.
"""


OrderTypeV5: TypeAlias = Literal["Market", "Limit"]
"""
Order type.
"""


PositionIdx: TypeAlias = Literal[0, 1, 2]
"""
Position index: 0 one-way mode, 1 hedge-mode Buy side, 2 hedge-mode Sell side.
"""


SlippageToleranceTypeV5: TypeAlias = Literal["TickSize", "Percent"]
"""
How slippageTolerance is expressed.
"""


TPSLModeV5: TypeAlias = Literal["Full", "Partial"]
"""
TP/SL mode: Full (whole position) or Partial.
"""


class AmendOrderParamsV5(TypedDict):
    """
    Parameters of order.amend: the Amend Order request (REST POST /v5/order/amend).
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name in uppercase, e.g. BTCUSDT.
    """
    orderId: NotRequired[str]
    """
    Order id. Either orderId or orderLinkId is required; orderId wins if both are sent.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id. Either orderId or orderLinkId is required.
    """
    orderIv: NotRequired[str]
    """
    Options only. Implied volatility as a fraction (0.1 = 10%); takes priority over price.
    """
    triggerPrice: NotRequired[str]
    """
    New trigger price.
    """
    qty: NotRequired[str]
    """
    New quantity. Omit to leave it unchanged.
    """
    price: NotRequired[str]
    """
    New price. Omit to leave it unchanged.
    """
    tpslMode: NotRequired[TPSLModeV5]
    """
    linear/inverse. Must be Partial for limit TP/SL.
    """
    takeProfit: NotRequired[str]
    """
    New take-profit price; "0" cancels it. Omit to leave it unchanged.
    """
    stopLoss: NotRequired[str]
    """
    New stop-loss price; "0" cancels it. Omit to leave it unchanged.
    """
    tpTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Take-profit trigger price type (LastPrice by default). linear/inverse.
    """
    slTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Stop-loss trigger price type (LastPrice by default). linear/inverse.
    """
    triggerBy: NotRequired[OrderTriggerByV5]
    """
    Trigger price type. linear/inverse.
    """
    tpLimitPrice: NotRequired[str]
    """
    Only for orders placed with partial limit TP/SL. Not for options.
    """
    slLimitPrice: NotRequired[str]
    """
    Only for orders placed with partial limit TP/SL. Not for options.
    """


class BatchAmendOrderParamsV5(TypedDict):
    """
    One amendment of order.amend-batch. Conditional orders cannot be batch-amended.
    """

    symbol: str
    """
    Symbol name in uppercase, e.g. BTCUSDT.
    """
    orderId: NotRequired[str]
    """
    Order id. Either orderId or orderLinkId is required; orderId wins if both are sent.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id. Either orderId or orderLinkId is required.
    """
    orderIv: NotRequired[str]
    """
    Options only. Implied volatility as a fraction (0.1 = 10%); takes priority over price.
    """
    triggerPrice: NotRequired[str]
    """
    New trigger price.
    """
    qty: NotRequired[str]
    """
    New quantity. Omit to leave it unchanged.
    """
    price: NotRequired[str]
    """
    New price. Omit to leave it unchanged.
    """
    tpslMode: NotRequired[TPSLModeV5]
    """
    linear/inverse. Must be Partial for limit TP/SL.
    """
    takeProfit: NotRequired[str]
    """
    New take-profit price; "0" cancels it. Omit to leave it unchanged.
    """
    stopLoss: NotRequired[str]
    """
    New stop-loss price; "0" cancels it. Omit to leave it unchanged.
    """
    tpTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Take-profit trigger price type (LastPrice by default). linear/inverse.
    """
    slTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Stop-loss trigger price type (LastPrice by default). linear/inverse.
    """
    triggerBy: NotRequired[OrderTriggerByV5]
    """
    Trigger price type. linear/inverse.
    """
    tpLimitPrice: NotRequired[str]
    """
    Only for orders placed with partial limit TP/SL. Not for options.
    """
    slLimitPrice: NotRequired[str]
    """
    Only for orders placed with partial limit TP/SL. Not for options.
    """


class AmendBatchArgsV5(TypedDict):
    """
    Parameters of order.amend-batch: a category and its amendments, in request order.
    """

    category: CategoryV5
    """
    Product type of every order.
    """
    request: list[BatchAmendOrderParamsV5]
    """
    The amendments.
    """


TPSLOrderTypeV5: TypeAlias = Literal["Market", "Limit"]
"""
Order type used when a TP or SL triggers.
"""


TriggerDirectionV5: TypeAlias = Literal[1, 2]
"""
1: trigger when the price rises to triggerPrice; 2: when it falls to it.
"""


class BatchOrderParamsV5(TypedDict):
    """
    One order of order.create-batch: the order.create fields without category.
    """

    symbol: str
    """
    Symbol name in uppercase, e.g. BTCUSDT.
    """
    isLeverage: NotRequired[IsLeverageV5]
    """
    Spot (UTA) only: 0 spot (default), 1 margin.
    """
    side: OrderSideV5
    """
    Buy or Sell.
    """
    orderType: OrderTypeV5
    """
    Market or Limit.
    """
    qty: str
    """
    Order quantity. Spot market Buy orders default to quote units (see marketUnit); derivatives and options always use base units. "0" with reduceOnly and closeOnTrigger closes up to the maximum order quantity.
    """
    marketUnit: NotRequired[MarketUnitV5]
    """
    Spot market orders only: unit of qty.
    """
    price: NotRequired[str]
    """
    Order price. Required for Limit orders; ignored for Market orders.
    """
    triggerDirection: NotRequired[TriggerDirectionV5]
    """
    Conditional orders, linear/inverse only.
    """
    orderFilter: NotRequired[OrderFilterV5]
    """
    Spot only: Order (default), tpslOrder or StopOrder.
    """
    triggerPrice: NotRequired[str]
    """
    Turns the order into a conditional order (spot TP/SL or conditional).
    """
    triggerBy: NotRequired[OrderTriggerByV5]
    """
    Trigger price type. linear/inverse.
    """
    orderIv: NotRequired[str]
    """
    Options only. Implied volatility as a fraction (0.1 = 10%); takes priority over price.
    """
    timeInForce: NotRequired[OrderTimeInForceV5]
    """
    GTC by default. Market orders are always IOC.
    """
    positionIdx: NotRequired[PositionIdx]
    """
    Required in hedge mode.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id: up to 36 characters of [A-Za-z0-9_-], unique. Required for options.
    """
    takeProfit: NotRequired[str]
    """
    Take-profit price.
    """
    stopLoss: NotRequired[str]
    """
    Stop-loss price.
    """
    tpTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Take-profit trigger price type (LastPrice by default). linear/inverse.
    """
    slTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Stop-loss trigger price type (LastPrice by default). linear/inverse.
    """
    reduceOnly: NotRequired[bool]
    """
    Reduce-only order (linear/inverse/option). TP/SL cannot be set when true.
    """
    closeOnTrigger: NotRequired[bool]
    """
    Close on trigger. linear/inverse.
    """
    smpType: NotRequired[OrderSMPTypeV5]
    """
    Self-match prevention type (None by default).
    """
    mmp: NotRequired[bool]
    """
    Options only. Market-maker protection.
    """
    tpslMode: NotRequired[TPSLModeV5]
    """
    linear/inverse. Must be Partial for limit TP/SL.
    """
    tpLimitPrice: NotRequired[str]
    """
    Limit price used when the take profit triggers.
    """
    slLimitPrice: NotRequired[str]
    """
    Limit price used when the stop loss triggers.
    """
    tpOrderType: NotRequired[TPSLOrderTypeV5]
    """
    Market (default) or Limit. Full mode allows only Market.
    """
    slOrderType: NotRequired[TPSLOrderTypeV5]
    """
    Market (default) or Limit. Full mode allows only Market.
    """


class CreateBatchArgsV5(TypedDict):
    """
    Parameters of order.create-batch: a category and its orders, in request order.
    """

    category: CategoryV5
    """
    Product type of every order.
    """
    request: list[BatchOrderParamsV5]
    """
    The orders.
    """


class OrderParamsV5(TypedDict):
    """
    Parameters of order.create: the Place Order request (REST POST /v5/order/create).
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name in uppercase, e.g. BTCUSDT.
    """
    isLeverage: NotRequired[IsLeverageV5]
    """
    Spot (UTA) only: 0 spot (default), 1 margin.
    """
    side: OrderSideV5
    """
    Buy or Sell.
    """
    orderType: OrderTypeV5
    """
    Market or Limit.
    """
    qty: str
    """
    Order quantity. Spot market Buy orders default to quote units (see marketUnit); derivatives and options always use base units. "0" with reduceOnly and closeOnTrigger closes up to the maximum order quantity.
    """
    marketUnit: NotRequired[MarketUnitV5]
    """
    Spot market orders only: unit of qty.
    """
    slippageToleranceType: NotRequired[SlippageToleranceTypeV5]
    """
    Market orders only (not TP/SL or conditional).
    """
    slippageTolerance: NotRequired[str]
    """
    TickSize: an integer in [1, 10000]. Percent: [0.01, 10], up to 2 decimals.
    """
    price: NotRequired[str]
    """
    Order price. Required for Limit orders; ignored for Market orders.
    """
    triggerDirection: NotRequired[TriggerDirectionV5]
    """
    Conditional orders, linear/inverse only.
    """
    orderFilter: NotRequired[OrderFilterV5]
    """
    Spot only: Order (default), tpslOrder or StopOrder.
    """
    triggerPrice: NotRequired[str]
    """
    Turns the order into a conditional order (spot TP/SL or conditional).
    """
    triggerBy: NotRequired[OrderTriggerByV5]
    """
    Trigger price type. linear/inverse.
    """
    orderIv: NotRequired[str]
    """
    Options only. Implied volatility as a fraction (0.1 = 10%); takes priority over price.
    """
    timeInForce: NotRequired[OrderTimeInForceV5]
    """
    GTC by default. Market orders are always IOC.
    """
    positionIdx: NotRequired[PositionIdx]
    """
    Required in hedge mode.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id: up to 36 characters of [A-Za-z0-9_-], unique. Required for options.
    """
    takeProfit: NotRequired[str]
    """
    Take-profit price.
    """
    stopLoss: NotRequired[str]
    """
    Stop-loss price.
    """
    tpTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Take-profit trigger price type (LastPrice by default). linear/inverse.
    """
    slTriggerBy: NotRequired[OrderTriggerByV5]
    """
    Stop-loss trigger price type (LastPrice by default). linear/inverse.
    """
    reduceOnly: NotRequired[bool]
    """
    Reduce-only order (linear/inverse/option). TP/SL cannot be set when true.
    """
    closeOnTrigger: NotRequired[bool]
    """
    Close on trigger. linear/inverse.
    """
    smpType: NotRequired[OrderSMPTypeV5]
    """
    Self-match prevention type (None by default).
    """
    mmp: NotRequired[bool]
    """
    Options only. Market-maker protection.
    """
    tpslMode: NotRequired[TPSLModeV5]
    """
    linear/inverse. Must be Partial for limit TP/SL.
    """
    tpLimitPrice: NotRequired[str]
    """
    Limit price used when the take profit triggers.
    """
    slLimitPrice: NotRequired[str]
    """
    Limit price used when the stop loss triggers.
    """
    tpOrderType: NotRequired[TPSLOrderTypeV5]
    """
    Market (default) or Limit. Full mode allows only Market.
    """
    slOrderType: NotRequired[TPSLOrderTypeV5]
    """
    Market (default) or Limit. Full mode allows only Market.
    """
    bboSideType: NotRequired[BboSideTypeV5]
    """
    Best-bid/offer side type. linear/inverse.
    """
    bboLevel: NotRequired[BboLevelV5]
    """
    Best-bid/offer level. linear/inverse.
    """
    rpiTakerAccess: NotRequired[bool]
    """
    Lets the order match RPI quotes.
    """


WSAPIRequestHeaderV5 = TypedDict(
    "WSAPIRequestHeaderV5",
    {
        "X-BAPI-TIMESTAMP": str,
        "X-BAPI-RECV-WINDOW": NotRequired[str],
        "Referer": NotRequired[str],
    },
)


WSAPIResponseHeaderV5 = TypedDict(
    "WSAPIResponseHeaderV5",
    {
        "X-Bapi-Limit": str,
        "X-Bapi-Limit-Status": str,
        "X-Bapi-Limit-Reset-Timestamp": str,
        "Traceid": str,
        "Timenow": str,
    },
)


class WSAPIResponseMeta(TypedDict):
    """
    Added by the client to every response it returns (never sent by Bybit): the round trip and the header values as numbers, so nobody parses strings by hand.
    """

    rttMs: float
    """
    Round-trip time from sending the frame to receiving its reply in ms.
    """
    serverTimeMs: int | None
    """
    header.Timenow as an int (None without a header).
    """
    rateLimit: int | None
    """
    header.X-Bapi-Limit as an int.
    """
    rateLimitRemaining: int | None
    """
    header.X-Bapi-Limit-Status as an int.
    """
    rateLimitResetMs: int | None
    """
    header.X-Bapi-Limit-Reset-Timestamp as an int.
    """
    traceId: str | None
    """
    header.Traceid.
    """
