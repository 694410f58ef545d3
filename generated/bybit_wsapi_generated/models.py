# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 95f76c9f1769faa46527bbfced197b6a559c0ec9c81bf65148990df76bd58e50) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.

from typing import Any, Literal, NotRequired, TypeAlias, TypedDict


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


CancelTypeV5: TypeAlias = Literal[
    "CancelByUser",
    "CancelByReduceOnly",
    "CancelByPrepareLiq",
    "CancelAllBeforeLiq",
    "CancelByPrepareAdl",
    "CancelAllBeforeAdl",
    "CancelByAdmin",
    "CancelBySettle",
    "CancelByTpSlTsClear",
    "CancelBySmp",
    "CancelByDCP",
    "CancelByRebalance",
    "CancelByOCOTpCanceledBySlTriggered",
    "CancelByOCOSlCanceledByTpTriggered",
    "CancelByCannotAffordOrderCost",
    "CancelByPmTrialMmOverEquity",
    "CancelByAccountBlocking",
    "CancelByDelivery",
    "CancelByMmpTriggered",
    "CancelByCrossSelfMuch",
    "CancelByCrossReachMaxTradeNum",
    "UNKNOWN",
]
"""
Why an order was cancelled (UNKNOWN while it is not).
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


CreateTypeV5: TypeAlias = Literal[
    "CreateByUser",
    "CreateByFutureSpread",
    "CreateByAdminClosing",
    "CreateBySettle",
    "CreateByStopOrder",
    "CreateByTakeProfit",
    "CreateByPartialTakeProfit",
    "CreateByStopLoss",
    "CreateByPartialStopLoss",
    "CreateByTrailingStop",
    "CreateByTrailingProfit",
    "CreateByLiq",
    "CreateByTakeOver_PassThrough",
    "CreateByAdl_PassThrough",
    "CreateByBlock_PassThrough",
    "CreateByBlockTradeMovePosition_PassThrough",
    "CreateByClosing",
    "CreateByFGridBot",
    "CloseByFGridBot",
    "CreateByTWAP",
    "CreateByTVSignal",
    "CreateByMmRateClose",
    "CreateByMartingaleBot",
    "CloseByMartingaleBot",
    "CreateByIceBerg",
    "CreateByArbitrage",
    "CreateByDdh",
    "CreateByBboOrder",
]
"""
What created an order (derivatives; absent on spot and option).
"""


class DcpMessageV5(TypedDict):
    """
    A message of dcp.{product}: the docs show no payload; subscribing arms Disconnect-Cancel-Protection (§4.7).
    """

    id: NotRequired[str]
    """
    Message id.
    """
    topic: str
    """
    The topic.
    """
    creationTime: NotRequired[int]
    """
    When the message was created (ms).
    """


DcpProductV5: TypeAlias = Literal["future", "spot", "option"]
"""
The product a Disconnect-Cancel-Protection topic arms.
"""


class EmptyRetExtInfoV5(TypedDict):
    """
    retExtInfo of the single-order operations: always {}.
    """


ExecTypeV5: TypeAlias = Literal[
    "Trade",
    "AdlTrade",
    "Funding",
    "BustTrade",
    "Delivery",
    "Settle",
    "BlockTrade",
    "MovePosition",
    "FutureSpread",
    "CorporateAction",
    "UNKNOWN",
]
"""
What an execution is.
"""


class ExecutionListParamsV5(TypedDict):
    """
    Query of GET /v5/execution/list. With orderId or orderLinkId Bybit ignores every other key.
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: NotRequired[str]
    """
    Symbol name in uppercase.
    """
    orderId: NotRequired[str]
    """
    Order id.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id.
    """
    baseCoin: NotRequired[str]
    """
    Base coin in uppercase (option: BTC by default).
    """
    settleCoin: NotRequired[str]
    """
    Settle coin in uppercase (linear, inverse, option).
    """
    startTime: NotRequired[int]
    """
    Start of the execution-time window (ms); the window is at most time_window_days long.
    """
    endTime: NotRequired[int]
    """
    End of the window (ms); neither given: the last time_window_days.
    """
    execType: NotRequired[ExecTypeV5]
    """
    Only executions of this type.
    """
    limit: NotRequired[int]
    """
    Page size, 1 to the endpoint's page_size.max (REST_ENDPOINTS).
    """
    cursor: NotRequired[str]
    """
    nextPageCursor of the previous page, sent back as it came.
    """


class GreeksV5(TypedDict):
    """
    The greeks of one base coin (§4.6).
    """

    baseCoin: str
    """
    Base coin.
    """
    totalDelta: str
    """
    Delta.
    """
    totalGamma: str
    """
    Gamma.
    """
    totalVega: str
    """
    Vega.
    """
    totalTheta: str
    """
    Theta.
    """


class GreeksMessageV5(TypedDict):
    """
    A message of greeks (options only) (§4.6).
    """

    id: str
    """
    Message id.
    """
    topic: str
    """
    The topic.
    """
    creationTime: int
    """
    When the message was created (ms).
    """
    data: list[GreeksV5]
    """
    One entry per base coin.
    """


IsLeverageV5: TypeAlias = Literal[0, 1]
"""
Spot (UTA) only: 0 spot trading (default), 1 margin trading.
"""


KlineIntervalV5: TypeAlias = Literal[
    "1", "3", "5", "15", "30", "60", "120", "240", "360", "720", "D", "W", "M"
]
"""
Kline interval: minutes, or D (day), W (week), M (month).
"""


class KlineV5(TypedDict):
    """
    One candle of a kline message.
    """

    start: int
    """
    Start time (ms).
    """
    end: int
    """
    End time (ms).
    """
    interval: KlineIntervalV5
    """
    The interval.
    """
    open: str
    """
    Open price.
    """
    close: str
    """
    Close (or last) price.
    """
    high: str
    """
    Highest price.
    """
    low: str
    """
    Lowest price.
    """
    volume: str
    """
    Volume.
    """
    turnover: str
    """
    Turnover.
    """
    confirm: bool
    """
    True once the candle has closed.
    """
    timestamp: int
    """
    Time of the last match in the candle (ms).
    """


MarketUnitV5: TypeAlias = Literal["baseCoin", "quoteCoin"]
"""
Unit of qty for spot market orders.
"""


OcoTriggerByV5: TypeAlias = Literal["OcoTriggerByUnknown", "OcoTriggerByTp", "OcoTriggerBySl"]
"""
Spot OCO orders: which leg triggered.
"""


OpenOnlyV5: TypeAlias = Literal[0, 1]
"""
order/realtime: 0 open orders only (default); 1 the most recent 500 closed ones per category. Ignored with orderId or orderLinkId.
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


OrderQueryFilterV5: TypeAlias = Literal[
    "Order", "StopOrder", "tpslOrder", "OcoOrder", "BidirectionalTpslOrder"
]
"""
Kind of order to list (all kinds by default): StopOrder for futures and spot conditional orders; tpslOrder, OcoOrder and BidirectionalTpslOrder are spot only.
"""


class OpenOrdersParamsV5(TypedDict):
    """
    Query of GET /v5/order/realtime. Key priority: orderId > orderLinkId > symbol > baseCoin.
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: NotRequired[str]
    """
    Symbol name in uppercase. linear: symbol, baseCoin or settleCoin is required.
    """
    baseCoin: NotRequired[str]
    """
    Base coin in uppercase (linear, inverse, option; option: all its open orders).
    """
    settleCoin: NotRequired[str]
    """
    Settle coin in uppercase (not for spot; option: USDT or USDC).
    """
    orderId: NotRequired[str]
    """
    Order id.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id.
    """
    openOnly: NotRequired[OpenOnlyV5]
    """
    0 open orders (default); 1 the recent closed ones. Ignored with an id.
    """
    orderFilter: NotRequired[OrderQueryFilterV5]
    """
    Kind of order (all kinds by default).
    """
    limit: NotRequired[int]
    """
    Page size, 1 to the endpoint's page_size.max (REST_ENDPOINTS).
    """
    cursor: NotRequired[str]
    """
    nextPageCursor of the previous page, sent back as it came.
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


class FastExecutionV5(TypedDict):
    """
    One trade of an execution.fast message: fewer fields, execType Trade only (§4.3).
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
    Order id.
    """
    isMaker: bool
    """
    Whether the order was the maker.
    """
    orderLinkId: str
    """
    Your order id; always "" for maker fills.
    """
    execId: str
    """
    Execution id.
    """
    execPrice: str
    """
    Execution price.
    """
    execQty: str
    """
    Execution quantity.
    """
    side: OrderSideV5
    """
    Buy or Sell.
    """
    execTime: str
    """
    Execution time (ms).
    """
    seq: int
    """
    Cross sequence: links fills to position updates; unique with symbol.
    """


class FastExecutionMessageV5(TypedDict):
    """
    A message of execution.fast / execution.fast.{category} (no id) (§4.3).
    """

    topic: str
    """
    The topic.
    """
    creationTime: int
    """
    When the message was created (ms).
    """
    data: list[FastExecutionV5]
    """
    The trades.
    """


class LiquidationV5(TypedDict):
    """
    One liquidation of an allLiquidation message.
    """

    T: int
    """
    Time (ms).
    """
    s: str
    """
    Symbol name.
    """
    S: OrderSideV5
    """
    Buy means a long position was liquidated.
    """
    v: str
    """
    Size.
    """
    p: str
    """
    Bankruptcy price.
    """


OrderStatusV5: TypeAlias = Literal[
    "New",
    "PartiallyFilled",
    "Untriggered",
    "Rejected",
    "PartiallyFilledCanceled",
    "Filled",
    "Cancelled",
    "Triggered",
    "Deactivated",
]
"""
Order status. Cancelled may carry executed qty (derivatives); Triggered is transient; PartiallyFilledCanceled is spot only.
"""


class OrderHistoryParamsV5(TypedDict):
    """
    Query of GET /v5/order/history: closed orders (Cancelled/Rejected/Deactivated for 24 h, the others 7 days, filled ones 2 years).
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: NotRequired[str]
    """
    Symbol name in uppercase.
    """
    baseCoin: NotRequired[str]
    """
    Base coin in uppercase.
    """
    settleCoin: NotRequired[str]
    """
    Settle coin in uppercase (not for spot; option: USDT or USDC).
    """
    orderId: NotRequired[str]
    """
    Order id.
    """
    orderLinkId: NotRequired[str]
    """
    Your order id.
    """
    orderFilter: NotRequired[OrderQueryFilterV5]
    """
    Kind of order (all kinds by default).
    """
    limit: NotRequired[int]
    """
    Page size, 1 to the endpoint's page_size.max (REST_ENDPOINTS).
    """
    cursor: NotRequired[str]
    """
    nextPageCursor of the previous page, sent back as it came.
    """
    orderStatus: NotRequired[OrderStatusV5]
    """
    Only orders in this status.
    """
    startTime: NotRequired[int]
    """
    Start of the creation-time window (ms); the window is at most time_window_days long.
    """
    endTime: NotRequired[int]
    """
    End of the window (ms); neither given: the last time_window_days.
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


class OrderbookDataV5(TypedDict):
    """
    data of an orderbook message: bids and asks as [price, size] pairs.
    """

    s: str
    """
    Symbol name.
    """
    b: list[list[str]]
    """
    Bids, best (highest) price first; size "0" deletes the level.
    """
    a: list[list[str]]
    """
    Asks, best (lowest) price first; size "0" deletes the level.
    """
    u: int
    """
    Update id; 1 means the service restarted: treat it as a snapshot.
    """
    seq: int
    """
    Cross sequence (compares depths of one symbol; smaller is earlier).
    """


PlaceTypeV5: TypeAlias = Literal["iv", "price"]
"""
Options: how the order was placed (by implied volatility or by price).
"""


PositionIdx: TypeAlias = Literal[0, 1, 2]
"""
Position index: 0 one-way mode, 1 hedge-mode Buy side, 2 hedge-mode Sell side.
"""


PositionStatusV5: TypeAlias = Literal["Normal", "Liq", "Adl"]
"""
Position status.
"""


PushTypeV5: TypeAlias = Literal["snapshot", "delta"]
"""
Public message type: snapshot (replaces the local state) or delta (merge into it).
"""


class OrderbookMessageV5(TypedDict):
    """
    A message of orderbook.{depth}.{symbol}: a snapshot replaces the book, a delta updates it (§3.1).
    """

    topic: str
    """
    The topic.
    """
    type: PushTypeV5
    """
    snapshot or delta.
    """
    ts: int
    """
    When the system generated the data (ms).
    """
    data: OrderbookDataV5
    """
    The levels.
    """
    cts: int
    """
    Matching-engine time (ms); correlates with the trade time T.
    """


RejectReasonV5: TypeAlias = Literal[
    "EC_NoError",
    "EC_Others",
    "EC_UnknownMessageType",
    "EC_MissingClOrdID",
    "EC_MissingOrigClOrdID",
    "EC_ClOrdIDOrigClOrdIDAreTheSame",
    "EC_DuplicatedClOrdID",
    "EC_OrigClOrdIDDoesNotExist",
    "EC_TooLateToCancel",
    "EC_UnknownOrderType",
    "EC_UnknownSide",
    "EC_UnknownTimeInForce",
    "EC_WronglyRouted",
    "EC_MarketOrderPriceIsNotZero",
    "EC_LimitOrderInvalidPrice",
    "EC_NoEnoughQtyToFill",
    "EC_NoImmediateQtyToFill",
    "EC_PerCancelRequest",
    "EC_MarketOrderCannotBePostOnly",
    "EC_PostOnlyWillTakeLiquidity",
    "EC_CancelReplaceOrder",
    "EC_InvalidSymbolStatus",
    "EC_CancelForNoFullFill",
    "EC_BySelfMatch",
    "EC_InCallAuctionStatus",
    "EC_QtyCannotBeZero",
    "EC_MarketOrderNoSupportTIF",
    "EC_ReachMaxTradeNum",
    "EC_InvalidPriceScale",
    "EC_BitIndexInvalid",
    "EC_StopBySelfMatch",
    "EC_InvalidSmpType",
    "EC_CancelByMMP",
    "EC_InvalidUserType",
    "EC_InvalidMirrorOid",
    "EC_InvalidMirrorUid",
    "EC_EcInvalidQty",
    "EC_InvalidAmount",
    "EC_LoadOrderCancel",
    "EC_MarketQuoteNoSuppSell",
    "EC_DisorderOrderID",
    "EC_InvalidBaseValue",
    "EC_LoadOrderCanMatch",
    "EC_SecurityStatusFail",
    "EC_ReachRiskPriceLimit",
    "EC_OrderNotExist",
    "EC_CancelByOrderValueZero",
    "EC_CancelByMatchValueZero",
    "EC_ReachMarketPriceLimit",
]
"""
Why the matching engine rejected an order (EC_NoError when it did not).
"""


class ServerTimeParamsV5(TypedDict):
    """
    Query of GET /v5/market/time: none.
    """


class ServerTimeResultV5(TypedDict):
    """
    result of market/time (the envelope's time holds the same instant in ms).
    """

    timeSecond: str
    """
    Server time (s).
    """
    timeNano: str
    """
    Server time (ns).
    """


SlippageToleranceTypeV5: TypeAlias = Literal["TickSize", "Percent"]
"""
How slippageTolerance is expressed.
"""


SnapshotTypeV5: TypeAlias = Literal["snapshot"]
"""
The type of a public message that is always a snapshot.
"""


class AllLiquidationMessageV5(TypedDict):
    """
    A message of allLiquidation.{symbol}, every 500 ms; data is a list (the docs' table says object) (§3.5).
    """

    topic: str
    """
    The topic.
    """
    type: SnapshotTypeV5
    """
    Always snapshot.
    """
    ts: int
    """
    When the system generated the data (ms).
    """
    data: list[LiquidationV5]
    """
    The liquidations.
    """


class KlineMessageV5(TypedDict):
    """
    A message of kline.{interval}.{symbol}, every 1-60 s (§3.4).
    """

    topic: str
    """
    The topic.
    """
    type: SnapshotTypeV5
    """
    Always snapshot.
    """
    ts: int
    """
    When the system generated the data (ms).
    """
    data: list[KlineV5]
    """
    The candles.
    """


StopOrderTypeV5: TypeAlias = Literal[
    "TakeProfit",
    "StopLoss",
    "TrailingStop",
    "Stop",
    "PartialTakeProfit",
    "PartialStopLoss",
    "tpslOrder",
    "OcoOrder",
    "MmRateClose",
    "BidirectionalTpslOrder",
]
"""
Kind of conditional or TP/SL order ("" or UNKNOWN for a plain order).
"""


class ExecutionV5(TypedDict):
    """
    One fill (or other execution) of an execution message (§4.2).
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name.
    """
    isLeverage: str
    """
    Spot: "0" spot, "1" margin; "" elsewhere.
    """
    orderId: str
    """
    Order id.
    """
    orderLinkId: str
    """
    Your order id; "" if none.
    """
    side: OrderSideV5
    """
    Buy or Sell.
    """
    orderPrice: str
    """
    Order price.
    """
    orderQty: str
    """
    Order quantity.
    """
    leavesQty: str
    """
    Quantity left to fill.
    """
    createType: NotRequired[CreateTypeV5]
    """
    What created the order (not on spot or option).
    """
    orderType: OrderTypeV5 | Literal["UNKNOWN"]
    """
    Market or Limit.
    """
    stopOrderType: StopOrderTypeV5 | Literal["", "UNKNOWN"]
    """
    Conditional or TP/SL kind; "" or UNKNOWN for a plain order.
    """
    execFee: str
    """
    Execution fee.
    """
    execId: str
    """
    Execution id.
    """
    execPrice: str
    """
    Execution price.
    """
    execQty: str
    """
    Execution quantity.
    """
    execPnl: str
    """
    Profit and loss of the execution.
    """
    execType: ExecTypeV5
    """
    What the execution is.
    """
    execValue: str
    """
    Execution value.
    """
    execTime: str
    """
    Execution time (ms).
    """
    isMaker: bool
    """
    Whether the order was the maker.
    """
    feeRate: str
    """
    Fee rate.
    """
    tradeIv: str
    """
    Options only. Trade IV.
    """
    markIv: str
    """
    Options only. Mark IV.
    """
    markPrice: str
    """
    Mark price.
    """
    indexPrice: str
    """
    Index price.
    """
    underlyingPrice: str
    """
    Options only. Underlying price.
    """
    blockTradeId: str
    """
    Block trade id; "" if none.
    """
    closedSize: str
    """
    Closed position size.
    """
    extraFees: NotRequired[str]
    """
    Extra fees; "" when none (a list form is not documented).
    """
    seq: int
    """
    Cross sequence: links fills to position updates; unique with symbol.
    """
    feeCurrency: NotRequired[str]
    """
    Fee currency.
    """
    marketUnit: NotRequired[MarketUnitV5 | Literal[""]]
    """
    Unit of qty for spot market orders.
    """


class ExecutionMessageV5(TypedDict):
    """
    A message of execution / execution.{category}; one message may hold several fills of one order (§4.2).
    """

    id: str
    """
    Message id.
    """
    topic: str
    """
    The topic.
    """
    creationTime: int
    """
    When the message was created (ms).
    """
    data: list[ExecutionV5]
    """
    The executions.
    """


class RestExecutionV5(TypedDict):
    """
    One execution of execution/list: the execution topic's ExecutionV5 without its category (the result's), isLeverage, execPnl and marketUnit, plus execFeeV2.
    """

    symbol: str
    """
    Symbol name.
    """
    orderId: str
    """
    Order id.
    """
    orderLinkId: str
    """
    Your order id; "" if none.
    """
    side: OrderSideV5
    """
    Buy or Sell.
    """
    orderPrice: str
    """
    Order price.
    """
    orderQty: str
    """
    Order quantity.
    """
    leavesQty: str
    """
    Quantity left to fill.
    """
    createType: NotRequired[CreateTypeV5]
    """
    What created the order (not on spot or option).
    """
    orderType: OrderTypeV5 | Literal["UNKNOWN"]
    """
    Market or Limit.
    """
    stopOrderType: StopOrderTypeV5 | Literal["", "UNKNOWN"]
    """
    Conditional or TP/SL kind; "" or UNKNOWN for a plain order.
    """
    execFee: str
    """
    Execution fee.
    """
    execId: str
    """
    Execution id.
    """
    execPrice: str
    """
    Execution price.
    """
    execQty: str
    """
    Execution quantity.
    """
    execType: ExecTypeV5
    """
    What the execution is.
    """
    execValue: str
    """
    Execution value.
    """
    execTime: str
    """
    Execution time (ms).
    """
    isMaker: bool
    """
    Whether the order was the maker.
    """
    feeRate: str
    """
    Fee rate.
    """
    tradeIv: str
    """
    Options only. Trade IV.
    """
    markIv: str
    """
    Options only. Mark IV.
    """
    markPrice: str
    """
    Mark price.
    """
    indexPrice: str
    """
    Index price.
    """
    underlyingPrice: str
    """
    Options only. Underlying price.
    """
    blockTradeId: str
    """
    Block trade id; "" if none.
    """
    closedSize: str
    """
    Closed position size.
    """
    extraFees: NotRequired[str]
    """
    Extra fees; "" when none (a list form is not documented).
    """
    seq: int
    """
    Cross sequence: links fills to position updates; unique with symbol.
    """
    feeCurrency: NotRequired[str]
    """
    Fee currency.
    """
    execFeeV2: NotRequired[str]
    """
    Fee of the spot leg of a FutureSpread execution.
    """


class ExecutionListResultV5(TypedDict):
    """
    result of execution/list: newest first by execTime (ties: sort by execId).
    """

    category: CategoryV5
    """
    Product type.
    """
    list: list[RestExecutionV5]
    """
    The executions of this page.
    """
    nextPageCursor: str
    """
    Cursor of the next page; "" on the last one.
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


class OrderV5(TypedDict):
    """
    One order update of an order message (§4.1).
    """

    category: CategoryV5
    """
    Product type.
    """
    orderId: str
    """
    Order id.
    """
    orderLinkId: str
    """
    Your order id; "" if none.
    """
    parentOrderLinkId: NotRequired[str]
    """
    Parent order id (linked TP/SL).
    """
    isLeverage: str
    """
    Spot: "0" spot, "1" margin; "" elsewhere.
    """
    blockTradeId: str
    """
    Block trade id; "" if none.
    """
    symbol: str
    """
    Symbol name.
    """
    price: str
    """
    Order price.
    """
    brokerOrderPrice: NotRequired[str]
    """
    Broker order price.
    """
    qty: str
    """
    Order quantity.
    """
    side: OrderSideV5
    """
    Buy or Sell.
    """
    positionIdx: PositionIdx
    """
    Position index.
    """
    orderStatus: OrderStatusV5
    """
    Order status; a second terminal update (two Filled) can follow a cancel/fill race.
    """
    createType: NotRequired[CreateTypeV5]
    """
    What created the order (not on spot or option).
    """
    cancelType: CancelTypeV5
    """
    Why it was cancelled (UNKNOWN while it is not).
    """
    rejectReason: RejectReasonV5
    """
    Why it was rejected (EC_NoError when it was not).
    """
    avgPrice: str
    """
    Average fill price; "" if none.
    """
    leavesQty: str
    """
    Quantity left to fill.
    """
    leavesValue: str
    """
    Value left to fill.
    """
    cumExecQty: str
    """
    Filled quantity.
    """
    cumExecValue: str
    """
    Filled value.
    """
    cumExecFee: str
    """
    Fees paid (deprecated for linear and spot; use cumFeeDetail).
    """
    closedPnl: str
    """
    Closed PnL of the order.
    """
    feeCurrency: NotRequired[str]
    """
    Fee currency (deprecated).
    """
    timeInForce: OrderTimeInForceV5
    """
    Time in force.
    """
    orderType: OrderTypeV5 | Literal["UNKNOWN"]
    """
    Market or Limit.
    """
    stopOrderType: StopOrderTypeV5 | Literal["", "UNKNOWN"]
    """
    Conditional or TP/SL kind; "" or UNKNOWN for a plain order.
    """
    ocoTriggerBy: NotRequired[OcoTriggerByV5]
    """
    Spot OCO orders only.
    """
    orderIv: str
    """
    Implied volatility (options).
    """
    marketUnit: NotRequired[MarketUnitV5 | Literal[""]]
    """
    Unit of qty for spot market orders.
    """
    slippageToleranceType: NotRequired[SlippageToleranceTypeV5 | Literal["UNKNOWN"]]
    """
    Slippage tolerance type of a market order.
    """
    slippageTolerance: NotRequired[str]
    """
    Slippage tolerance of a market order.
    """
    triggerPrice: str
    """
    Trigger price.
    """
    takeProfit: str
    """
    Take-profit price.
    """
    stopLoss: str
    """
    Stop-loss price.
    """
    tpslMode: NotRequired[TPSLModeV5 | Literal[""]]
    """
    TP/SL mode; "" for options, absent on spot.
    """
    tpLimitPrice: str
    """
    Limit price of the take profit.
    """
    slLimitPrice: str
    """
    Limit price of the stop loss.
    """
    tpTriggerBy: OrderTriggerByV5 | Literal["", "UNKNOWN"]
    """
    Take-profit trigger price type.
    """
    slTriggerBy: OrderTriggerByV5 | Literal["", "UNKNOWN"]
    """
    Stop-loss trigger price type.
    """
    triggerDirection: int
    """
    1 rise, 2 fall, 0 not a conditional order.
    """
    triggerBy: OrderTriggerByV5 | Literal["", "UNKNOWN"]
    """
    Trigger price type.
    """
    lastPriceOnCreated: str
    """
    Last price when the order was created.
    """
    reduceOnly: bool
    """
    Reduce-only order.
    """
    closeOnTrigger: bool
    """
    Close-on-trigger order.
    """
    placeType: PlaceTypeV5 | Literal[""]
    """
    Options: placed by iv or by price; "" elsewhere.
    """
    smpType: OrderSMPTypeV5
    """
    Self-match prevention type.
    """
    smpGroup: int
    """
    Self-match prevention group (0 if none).
    """
    smpOrderId: str
    """
    The order it self-matched with; "" if none.
    """
    createdTime: str
    """
    Creation time (ms).
    """
    updatedTime: str
    """
    Update time (ms).
    """
    cumFeeDetail: NotRequired[dict[str, str]]
    """
    Fees paid, by coin: {coin: amount}.
    """
    rpiTakerAccess: NotRequired[bool]
    """
    Whether the order may match RPI quotes.
    """
    rpiMatchedQty: NotRequired[str]
    """
    Quantity matched against RPI quotes.
    """


class OrderMessageV5(TypedDict):
    """
    A message of order / order.{category} (§4.1).
    """

    id: str
    """
    Message id.
    """
    topic: str
    """
    The topic.
    """
    creationTime: int
    """
    When the message was created (ms).
    """
    data: list[OrderV5]
    """
    The updated orders.
    """


class PositionV5(TypedDict):
    """
    One position of a position message; sent on every create/amend/cancel (§4.4).
    """

    category: CategoryV5
    """
    Product type.
    """
    symbol: str
    """
    Symbol name.
    """
    side: OrderSideV5 | Literal[""]
    """
    Position side; "" when flat.
    """
    size: str
    """
    Position size.
    """
    positionIdx: PositionIdx
    """
    Position index.
    """
    positionValue: str
    """
    Position value.
    """
    riskId: int
    """
    Risk tier id.
    """
    riskLimitValue: str
    """
    Risk limit value.
    """
    entryPrice: str
    """
    Average entry price.
    """
    markPrice: str
    """
    Mark price.
    """
    leverage: str
    """
    Leverage.
    """
    breakEvenPrice: str
    """
    Break-even price.
    """
    autoAddMargin: int
    """
    1 if margin is added automatically, else 0.
    """
    positionIM: str
    """
    Initial margin.
    """
    positionMM: str
    """
    Maintenance margin.
    """
    positionIMByMp: NotRequired[str]
    """
    Initial margin by mark price.
    """
    positionMMByMp: NotRequired[str]
    """
    Maintenance margin by mark price.
    """
    liqPrice: str
    """
    Liquidation price.
    """
    takeProfit: str
    """
    Take-profit price.
    """
    stopLoss: str
    """
    Stop-loss price.
    """
    trailingStop: str
    """
    Trailing stop distance.
    """
    unrealisedPnl: str
    """
    Unrealised PnL.
    """
    curRealisedPnl: str
    """
    Realised PnL of the current holding.
    """
    cumRealisedPnl: str
    """
    Cumulative realised PnL.
    """
    sessionAvgPrice: str
    """
    Settlement-session average price.
    """
    delta: NotRequired[str]
    """
    Options only. Delta.
    """
    gamma: NotRequired[str]
    """
    Options only. Gamma.
    """
    vega: NotRequired[str]
    """
    Options only. Vega.
    """
    theta: NotRequired[str]
    """
    Options only. Theta.
    """
    positionStatus: PositionStatusV5
    """
    Position status.
    """
    adlRankIndicator: int
    """
    Auto-deleverage rank (0-5).
    """
    isReduceOnly: bool
    """
    Whether only reducing is allowed.
    """
    createdTime: str
    """
    Creation time (ms).
    """
    updatedTime: str
    """
    Update time (ms).
    """
    openTime: NotRequired[int]
    """
    When the position was opened (ms).
    """
    seq: int
    """
    Cross sequence (-1 if never traded); matches execution seq.
    """
    mmrSysUpdatedTime: str
    """
    When the system last changed the maintenance margin rate.
    """
    leverageSysUpdatedTime: str
    """
    When the system last changed the leverage.
    """
    tpslMode: NotRequired[TPSLModeV5]
    """
    Deprecated (always Full).
    """
    bustPrice: NotRequired[str]
    """
    Deprecated. Bankruptcy price.
    """
    positionBalance: NotRequired[str]
    """
    Deprecated. Position margin.
    """
    tradeMode: NotRequired[int]
    """
    Deprecated.
    """


class PositionMessageV5(TypedDict):
    """
    A message of position / position.{category} (§4.4).
    """

    id: str
    """
    Message id.
    """
    topic: str
    """
    The topic.
    """
    creationTime: int
    """
    When the message was created (ms).
    """
    data: list[PositionV5]
    """
    The positions.
    """


class RestOrderV5(TypedDict):
    """
    One order of order/realtime and order/history: the order topic's OrderV5 without its category (the result's), closedPnl, brokerOrderPrice and feeCurrency. The slippage, rpi and extraFees fields come from order/history only.
    """

    orderId: str
    """
    Order id.
    """
    orderLinkId: str
    """
    Your order id; "" if none.
    """
    parentOrderLinkId: NotRequired[str]
    """
    Parent order id (linked TP/SL).
    """
    isLeverage: str
    """
    Spot: "0" spot, "1" margin; "" elsewhere.
    """
    blockTradeId: str
    """
    Block trade id; "" if none.
    """
    symbol: str
    """
    Symbol name.
    """
    price: str
    """
    Order price.
    """
    qty: str
    """
    Order quantity.
    """
    side: OrderSideV5
    """
    Buy or Sell.
    """
    positionIdx: PositionIdx
    """
    Position index.
    """
    orderStatus: OrderStatusV5
    """
    Order status; a second terminal update (two Filled) can follow a cancel/fill race.
    """
    createType: NotRequired[CreateTypeV5]
    """
    What created the order (not on spot or option).
    """
    cancelType: CancelTypeV5
    """
    Why it was cancelled (UNKNOWN while it is not).
    """
    rejectReason: RejectReasonV5
    """
    Why it was rejected (EC_NoError when it was not).
    """
    avgPrice: str
    """
    Average fill price; "" if none.
    """
    leavesQty: str
    """
    Quantity left to fill.
    """
    leavesValue: str
    """
    Value left to fill.
    """
    cumExecQty: str
    """
    Filled quantity.
    """
    cumExecValue: str
    """
    Filled value.
    """
    cumExecFee: str
    """
    Fees paid (deprecated for linear and spot; use cumFeeDetail).
    """
    timeInForce: OrderTimeInForceV5
    """
    Time in force.
    """
    orderType: OrderTypeV5 | Literal["UNKNOWN", "Block trade Roll Back", "Block trade-Limit"]
    """
    Market or Limit (history also lists the block-trade kinds).
    """
    stopOrderType: StopOrderTypeV5 | Literal["", "UNKNOWN"]
    """
    Conditional or TP/SL kind; "" or UNKNOWN for a plain order.
    """
    ocoTriggerBy: NotRequired[OcoTriggerByV5]
    """
    Spot OCO orders only.
    """
    orderIv: str
    """
    Implied volatility (options).
    """
    marketUnit: NotRequired[MarketUnitV5 | Literal[""]]
    """
    Unit of qty for spot market orders.
    """
    slippageToleranceType: NotRequired[SlippageToleranceTypeV5 | Literal["UNKNOWN"]]
    """
    Slippage tolerance type of a market order.
    """
    slippageTolerance: NotRequired[str]
    """
    Slippage tolerance of a market order.
    """
    triggerPrice: str
    """
    Trigger price.
    """
    takeProfit: str
    """
    Take-profit price.
    """
    stopLoss: str
    """
    Stop-loss price.
    """
    tpslMode: NotRequired[TPSLModeV5 | Literal[""]]
    """
    TP/SL mode; "" for options, absent on spot.
    """
    tpLimitPrice: str
    """
    Limit price of the take profit.
    """
    slLimitPrice: str
    """
    Limit price of the stop loss.
    """
    tpTriggerBy: OrderTriggerByV5 | Literal["", "UNKNOWN"]
    """
    Take-profit trigger price type.
    """
    slTriggerBy: OrderTriggerByV5 | Literal["", "UNKNOWN"]
    """
    Stop-loss trigger price type.
    """
    triggerDirection: int
    """
    1 rise, 2 fall, 0 not a conditional order.
    """
    triggerBy: OrderTriggerByV5 | Literal["", "UNKNOWN"]
    """
    Trigger price type.
    """
    lastPriceOnCreated: str
    """
    Last price when the order was created.
    """
    reduceOnly: bool
    """
    Reduce-only order.
    """
    closeOnTrigger: bool
    """
    Close-on-trigger order.
    """
    placeType: PlaceTypeV5 | Literal[""]
    """
    Options: placed by iv or by price; "" elsewhere.
    """
    smpType: OrderSMPTypeV5
    """
    Self-match prevention type.
    """
    smpGroup: int
    """
    Self-match prevention group (0 if none).
    """
    smpOrderId: str
    """
    The order it self-matched with; "" if none.
    """
    createdTime: str
    """
    Creation time (ms).
    """
    updatedTime: str
    """
    Update time (ms).
    """
    cumFeeDetail: NotRequired[dict[str, str]]
    """
    Fees paid, by coin: {coin: amount}.
    """
    rpiTakerAccess: NotRequired[bool]
    """
    Whether the order may match RPI quotes.
    """
    rpiMatchedQty: NotRequired[str]
    """
    Quantity matched against RPI quotes.
    """
    basePrice: NotRequired[str]
    """
    Spot only: the last price when the order was placed.
    """
    extraFees: NotRequired[str]
    """
    order/history, ID/EU-site spot only; "" elsewhere.
    """


class OrderListResultV5(TypedDict):
    """
    result of order/realtime and order/history: newest first by createdTime.
    """

    category: CategoryV5
    """
    Product type.
    """
    list: list[RestOrderV5]
    """
    The orders of this page.
    """
    nextPageCursor: str
    """
    Cursor of the next page; "" on the last one.
    """


TPSLOrderTypeV5: TypeAlias = Literal["Market", "Limit"]
"""
Order type used when a TP or SL triggers.
"""


TickDirectionV5: TypeAlias = Literal["PlusTick", "ZeroPlusTick", "MinusTick", "ZeroMinusTick"]
"""
Direction of the last price change.
"""


class PublicTradeV5(TypedDict):
    """
    One trade of a publicTrade message.
    """

    T: int
    """
    Fill time (ms).
    """
    s: str
    """
    Symbol name.
    """
    S: OrderSideV5
    """
    Taker side.
    """
    v: str
    """
    Size.
    """
    p: str
    """
    Price.
    """
    L: NotRequired[TickDirectionV5]
    """
    Tick direction (perpetuals and futures only).
    """
    i: str
    """
    Trade id.
    """
    BT: bool
    """
    Block trade.
    """
    RPI: NotRequired[bool]
    """
    RPI trade.
    """
    seq: NotRequired[int]
    """
    Cross sequence.
    """
    mP: NotRequired[str]
    """
    Options only. Mark price.
    """
    iP: NotRequired[str]
    """
    Options only. Index price.
    """
    mIv: NotRequired[str]
    """
    Options only. Mark IV.
    """
    iv: NotRequired[str]
    """
    Options only. IV.
    """


class PublicTradeMessageV5(TypedDict):
    """
    A message of publicTrade.{symbol}: up to 1024 trades, oldest first (§3.2).
    """

    id: NotRequired[str]
    """
    Message id (options only).
    """
    topic: str
    """
    The topic.
    """
    type: SnapshotTypeV5
    """
    Always snapshot.
    """
    ts: int
    """
    When the system generated the data (ms).
    """
    data: list[PublicTradeV5]
    """
    The trades.
    """


class TickerLinearV5(TypedDict):
    """
    data of a linear/inverse ticker. Only symbol is always present: a delta carries the fields that changed (merge it into the last snapshot), and futures and perpetuals each omit the other's fields.
    """

    symbol: str
    """
    Symbol name.
    """
    tickDirection: NotRequired[TickDirectionV5]
    """
    Direction of the last price change.
    """
    price24hPcnt: NotRequired[str]
    """
    Price change over 24 h (fraction).
    """
    lastPrice: NotRequired[str]
    """
    Last price.
    """
    prevPrice24h: NotRequired[str]
    """
    Price 24 h ago.
    """
    highPrice24h: NotRequired[str]
    """
    Highest price in 24 h.
    """
    lowPrice24h: NotRequired[str]
    """
    Lowest price in 24 h.
    """
    prevPrice1h: NotRequired[str]
    """
    Price 1 h ago.
    """
    markPrice: NotRequired[str]
    """
    Mark price.
    """
    indexPrice: NotRequired[str]
    """
    Index price.
    """
    openInterest: NotRequired[str]
    """
    Open interest (contracts).
    """
    openInterestValue: NotRequired[str]
    """
    Open interest value.
    """
    singleOpenInterest: NotRequired[str]
    """
    Single-side open interest.
    """
    singleOpenInterestValue: NotRequired[str]
    """
    Single-side open interest value.
    """
    turnover24h: NotRequired[str]
    """
    Turnover in 24 h.
    """
    volume24h: NotRequired[str]
    """
    Volume in 24 h.
    """
    nextFundingTime: NotRequired[str]
    """
    Next funding time (ms); "" for futures.
    """
    fundingRate: NotRequired[str]
    """
    Funding rate; "" for futures.
    """
    bid1Price: NotRequired[str]
    """
    Best bid price.
    """
    bid1Size: NotRequired[str]
    """
    Best bid size.
    """
    ask1Price: NotRequired[str]
    """
    Best ask price.
    """
    ask1Size: NotRequired[str]
    """
    Best ask size.
    """
    deliveryTime: NotRequired[str]
    """
    Delivery time (ISO datetime; futures).
    """
    basisRate: NotRequired[str]
    """
    Basis rate (futures).
    """
    deliveryFeeRate: NotRequired[str]
    """
    Delivery fee rate (futures).
    """
    predictedDeliveryPrice: NotRequired[str]
    """
    Predicted delivery price (futures).
    """
    basis: NotRequired[str]
    """
    Basis (futures).
    """
    preOpenPrice: NotRequired[str]
    """
    Estimated pre-market open price.
    """
    preQty: NotRequired[str]
    """
    Estimated pre-market open quantity.
    """
    curPreListingPhase: NotRequired[str]
    """
    Pre-market phase.
    """
    fundingIntervalHour: NotRequired[str]
    """
    Funding interval in hours (perpetuals).
    """
    fundingCap: NotRequired[str]
    """
    Funding rate cap (perpetuals).
    """
    basisRateYear: NotRequired[str]
    """
    Annual basis rate (futures).
    """


class TickerLinearMessageV5(TypedDict):
    """
    A linear/inverse message of tickers.{symbol}: a snapshot, then partial deltas (§3.3).
    """

    topic: str
    """
    The topic.
    """
    type: PushTypeV5
    """
    snapshot or delta.
    """
    ts: int
    """
    When the system generated the data (ms).
    """
    cs: int
    """
    Cross sequence.
    """
    data: TickerLinearV5
    """
    The ticker (partial in a delta).
    """


class TickerOptionV5(TypedDict):
    """
    data of an option ticker (always a full snapshot).
    """

    symbol: str
    """
    Symbol name.
    """
    bidPrice: str
    """
    Best bid price.
    """
    bidSize: str
    """
    Best bid size.
    """
    bidIv: str
    """
    Best bid IV.
    """
    askPrice: str
    """
    Best ask price.
    """
    askSize: str
    """
    Best ask size.
    """
    askIv: str
    """
    Best ask IV.
    """
    lastPrice: str
    """
    Last price.
    """
    highPrice24h: str
    """
    Highest price in 24 h.
    """
    lowPrice24h: str
    """
    Lowest price in 24 h.
    """
    markPrice: str
    """
    Mark price.
    """
    indexPrice: str
    """
    Index price.
    """
    markPriceIv: str
    """
    Mark price IV.
    """
    underlyingPrice: str
    """
    Underlying price.
    """
    openInterest: str
    """
    Open interest (contracts).
    """
    turnover24h: str
    """
    Turnover in 24 h.
    """
    volume24h: str
    """
    Volume in 24 h.
    """
    totalVolume: str
    """
    Total volume.
    """
    totalTurnover: str
    """
    Total turnover.
    """
    delta: str
    """
    Delta.
    """
    gamma: str
    """
    Gamma.
    """
    vega: str
    """
    Vega.
    """
    theta: str
    """
    Theta.
    """
    predictedDeliveryPrice: str
    """
    Predicted delivery price (futures).
    """
    change24h: str
    """
    Price change over 24 h.
    """


class TickerOptionMessageV5(TypedDict):
    """
    An option message of tickers.{symbol}: snapshots only (§3.3).
    """

    id: str
    """
    Message id.
    """
    topic: str
    """
    The topic.
    """
    type: SnapshotTypeV5
    """
    Always snapshot.
    """
    ts: int
    """
    When the system generated the data (ms).
    """
    cs: NotRequired[int]
    """
    Cross sequence.
    """
    data: TickerOptionV5
    """
    The ticker.
    """


class TickerSpotV5(TypedDict):
    """
    data of a spot ticker (always a full snapshot).
    """

    symbol: str
    """
    Symbol name.
    """
    lastPrice: str
    """
    Last price.
    """
    highPrice24h: str
    """
    Highest price in 24 h.
    """
    lowPrice24h: str
    """
    Lowest price in 24 h.
    """
    prevPrice24h: str
    """
    Price 24 h ago.
    """
    volume24h: str
    """
    Volume in 24 h.
    """
    turnover24h: str
    """
    Turnover in 24 h.
    """
    price24hPcnt: str
    """
    Price change over 24 h (fraction).
    """
    usdIndexPrice: str
    """
    USD index price; "" for a coin that is not collateral.
    """


class TickerSpotMessageV5(TypedDict):
    """
    A spot message of tickers.{symbol}: snapshots only, every 50 ms (§3.3).
    """

    topic: str
    """
    The topic.
    """
    type: SnapshotTypeV5
    """
    Always snapshot.
    """
    ts: int
    """
    When the system generated the data (ms).
    """
    cs: int
    """
    Cross sequence.
    """
    data: TickerSpotV5
    """
    The ticker.
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
    late: NotRequired[bool]
    """
    True on a reply that came after its request timed out (emitted as a response event); absent otherwise.
    """
    params: NotRequired[dict[str, Any]]
    """
    On a late reply only: the parameters of the request it answers, to reconcile it.
    """


class WalletCoinV5(TypedDict):
    """
    One coin of a wallet update.
    """

    coin: str
    """
    Coin name.
    """
    equity: str
    """
    Equity.
    """
    usdValue: str
    """
    Value in USD.
    """
    walletBalance: str
    """
    Wallet balance.
    """
    locked: str
    """
    Locked by spot orders.
    """
    spotHedgingQty: str
    """
    Quantity used for spot hedging.
    """
    borrowAmount: str
    """
    Borrowed amount.
    """
    accruedInterest: str
    """
    Accrued interest.
    """
    totalOrderIM: str
    """
    Initial margin of open orders.
    """
    totalPositionIM: str
    """
    Initial margin of positions.
    """
    totalPositionMM: str
    """
    Maintenance margin of positions.
    """
    unrealisedPnl: str
    """
    Unrealised PnL.
    """
    cumRealisedPnl: str
    """
    Cumulative realised PnL.
    """
    bonus: str
    """
    Bonus.
    """
    collateralSwitch: bool
    """
    Whether the coin may be used as collateral.
    """
    marginCollateral: bool
    """
    Whether the coin is used as collateral.
    """
    colRes: NotRequired[str]
    """
    Collateral restriction (added 2026-05).
    """
    spotBorrow: NotRequired[str]
    """
    Spot borrowed amount.
    """
    free: NotRequired[str]
    """
    Deprecated. Available balance.
    """
    availableToBorrow: NotRequired[str]
    """
    Deprecated.
    """
    availableToWithdraw: NotRequired[str]
    """
    Deprecated.
    """


class WalletV5(TypedDict):
    """
    One account of a wallet message (§4.5).
    """

    accountType: str
    """
    Account type (UNIFIED).
    """
    accountIMRate: str
    """
    Initial margin rate.
    """
    accountMMRate: str
    """
    Maintenance margin rate.
    """
    totalEquity: str
    """
    Total equity (USD).
    """
    totalWalletBalance: str
    """
    Total wallet balance (USD).
    """
    totalMarginBalance: str
    """
    Total margin balance (USD).
    """
    totalAvailableBalance: str
    """
    Total available balance (USD).
    """
    totalPerpUPL: str
    """
    Unrealised PnL of perpetuals and futures (USD).
    """
    totalInitialMargin: str
    """
    Total initial margin (USD).
    """
    totalMaintenanceMargin: str
    """
    Total maintenance margin (USD).
    """
    accountIMRateByMp: NotRequired[str]
    """
    Initial margin rate by mark price.
    """
    accountMMRateByMp: NotRequired[str]
    """
    Maintenance margin rate by mark price.
    """
    totalInitialMarginByMp: NotRequired[str]
    """
    Total initial margin by mark price.
    """
    totalMaintenanceMarginByMp: NotRequired[str]
    """
    Total maintenance margin by mark price.
    """
    accountLTV: NotRequired[str]
    """
    Deprecated. Loan-to-value.
    """
    coin: list[WalletCoinV5]
    """
    The coins.
    """


class WalletMessageV5(TypedDict):
    """
    A message of wallet: no snapshot on subscribe, and unrealised PnL changes alone send nothing (§4.5).
    """

    id: str
    """
    Message id.
    """
    topic: str
    """
    The topic.
    """
    creationTime: int
    """
    When the message was created (ms).
    """
    data: list[WalletV5]
    """
    The accounts.
    """
