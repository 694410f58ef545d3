"""The REST mock's queries over one account (pure): orders, executions, their pages.

Bybit's rules (shared/bybit-rest-orders.md §4-§6, §10):

- ``/v5/order/realtime``: open orders; with ``openOnly=1`` the most recent ``closed_buffer``
  (500) closed orders per category; an id lookup sees both (``openOnly`` ignored). Linear needs
  ``symbol``, ``baseCoin`` or ``settleCoin``. Newest first (``createdTime``), ``limit`` 1..50
  (20).
- ``/v5/order/history``: closed orders created in ``[startTime, endTime]`` (7 days at most, the
  last 7 by default); ``Cancelled``/``Rejected``/``Deactivated`` only for 24 h, others 7 days,
  older only if they filled. ``limit`` 1..50 (20).
- ``/v5/execution/list``: fills in the same window, newest first (``execTime``), kept 2 years;
  ``orderId``/``orderLinkId`` make every other filter (and the window) ignored; ``execType``,
  ``symbol``, ``baseCoin``, ``settleCoin`` filter. ``limit`` 1..100 (50).
- Key priority ``orderId > orderLinkId > symbol > baseCoin``; bad parameters: 10001.

Mock choices: ``nextPageCursor`` is opaque and percent-encoded, ``""`` on the last page; it names
the last row given (so rows created meanwhile neither repeat nor shift a page) and the query it
belongs to: a cursor of another query (other filters, path or account) is refused with 10001.
Accepted raw or encoded once more. Times are the market clock. Orders are filtered and paged
on their live state and built (``order_item``) only for the page; an id lookup is a dict lookup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar, get_args
from urllib.parse import quote, unquote

from bybit_wsapi_generated import CategoryV5
from bybit_wsapi_generated.models import RestExecutionV5, RestOrderV5
from bybit_wsapi_generated.rest import REST_ENDPOINTS
from bybit_wsapi_generated.rest import REST_PATHS as ROUTES

from bybit_wsapi.retcodes import RetCode

from .account import Account
from .account.messages import order_item
from .account.state import LiveOrder
from .orders import OPEN
from .rest_options import RestOptions

__all__ = ["EXECUTIONS", "HISTORY", "REALTIME", "RefusedError", "RestOptions", "query"]

EXECUTIONS: Final = ROUTES["get_executions"]
REALTIME: Final = ROUTES["get_open_orders"]
HISTORY: Final = ROUTES["get_order_history"]
CATEGORIES: Final = get_args(CategoryV5)
_DAY_MS: Final = 86_400_000
_WEEK_MS: Final = 7 * _DAY_MS
"""How long order/history keeps a closed order that is neither short-lived nor filled."""
_SHORT_LIVED: Final = frozenset({"Cancelled", "Rejected", "Deactivated"})
_LIMITS: Final[Mapping[str, tuple[int, int]]] = {
    path: (rule["page_max"], rule["page_default"])
    for path, rule in REST_ENDPOINTS.items()
    if rule["page_max"] is not None and rule["page_default"] is not None
}
"""Path -> (most rows a page may ask for, the default): the spec's page_size."""
_WINDOW_MS: Final = (REST_ENDPOINTS[HISTORY]["time_window_days"] or 0) * _DAY_MS
"""The longest startTime..endTime span, and the window without either (history, executions)."""
_REQUIRE_ANY: Final = REST_ENDPOINTS[REALTIME]["require_any_for_categories"]
_UNPAGED: Final = frozenset({"cursor", "limit"})
_ORDER_FIELDS: Final = RestOrderV5.__required_keys__ | RestOrderV5.__optional_keys__
_EXECUTION_FIELDS: Final = RestExecutionV5.__required_keys__ | RestExecutionV5.__optional_keys__
_HISTORY_ONLY: Final[Mapping[str, object]] = {
    "slippageToleranceType": "UNKNOWN",
    "slippageTolerance": "0",
    "rpiTakerAccess": False,
    "rpiMatchedQty": "0",
    "extraFees": "",
}
"""The order fields only history has (and what the mock gives when the push has none)."""

Key = tuple[int, int]
"""A row's place, newest first: (its time, its number among rows of that time)."""
Row = tuple[Key, LiveOrder]
"""An order, before it is built: filters read its live state."""
Fill = tuple[Key, Mapping[str, object]]
"""An execution: its push item, as logged."""
_T = TypeVar("_T")


class RefusedError(Exception):
    """A request Bybit refuses with ``retCode`` ``code``."""

    def __init__(self, code: int, msg: str, headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(code, msg)
        self.code, self.msg, self.headers = code, msg, headers


def query(
    account: Account, path: str, params: Mapping[str, str], now: int, options: RestOptions
) -> dict[str, Any]:
    """The ``result`` of ``path`` with ``params`` over ``account`` at market time ``now``."""
    category = params.get("category", "")
    if category not in CATEGORIES:
        raise RefusedError(RetCode.PARAM_ERROR, f"category: one of {', '.join(CATEGORIES)}")
    high, default = _LIMITS[path]
    limit = params.get("limit", str(default))
    if not (limit.isdigit() and 1 <= int(limit) <= high):
        raise RefusedError(RetCode.PARAM_ERROR, f"limit: an integer in [1, {high}]")
    scope = f"{account.api_key} {path}"
    if path == EXECUTIONS:
        fills = _executions(account, category, params, now, options)
        items, following = _page(fills, params, int(limit), scope)
    else:
        rows = _order_rows(account, path, params, now, options)
        orders, following = _page(rows, params, int(limit), scope)
        items = [order_item(live, _ms(live.record, "updatedTime")) for live in orders]
    shaped = [_shape(path, item) for item in items]
    return {"category": category, "list": shaped, "nextPageCursor": following}


def _order_rows(
    account: Account, path: str, params: Mapping[str, str], now: int, options: RestOptions
) -> list[Row]:
    """The orders of the page's query, newest first, not built."""
    category = params["category"]
    if path == REALTIME:
        _require_any(category, params)
    by_id = params.get("orderId") or params.get("orderLinkId")
    if by_id:
        orders = _lookup(account, category, params, now, options)
    else:
        orders = sorted(_orders(account, category, now, options), key=lambda r: r[0], reverse=True)
    if path == REALTIME:
        rows = _realtime(account, orders, params, now, options)
    else:
        rows = _history(orders, params, now, options)
    rows = _matching(rows, params, _coins_of(account))
    spot_lookup = by_id and path == REALTIME and category == "spot"
    if spot_lookup and not rows and options.spot_not_found_error:
        raise RefusedError(RetCode.SPOT_ORDER_NOT_EXISTS, "Order does not exist.")
    return rows


def _shape(path: str, item: Mapping[str, object]) -> dict[str, object]:
    """A push item (order or execution) as the REST object of ``path`` (spec: Rest*V5)."""
    if path == EXECUTIONS:
        return {k: v for k, v in {**item, "execFeeV2": ""}.items() if k in _EXECUTION_FIELDS}
    if path == HISTORY:
        item = {**_HISTORY_ONLY, **item}
    return {
        k: v
        for k, v in item.items()
        if k in _ORDER_FIELDS and (path == HISTORY or k not in _HISTORY_ONLY)
    }


def _orders(account: Account, category: str, now: int, options: RestOptions) -> Iterable[Row]:
    visible = now - options.visibility_delay_ms
    for number, live in enumerate(account.live_orders()):
        if live.category == category and (created := _ms(live.record, "createdTime")) <= visible:
            yield (created, number), live


def _lookup(
    account: Account, category: str, params: Mapping[str, str], now: int, options: RestOptions
) -> list[Row]:
    """The order ``orderId`` (else ``orderLinkId``) names, if visible in ``category``: O(1)."""
    found = account.live_order(params.get("orderId", ""), params.get("orderLinkId", ""))
    if found is None:
        return []
    number, live = found
    created = _ms(live.record, "createdTime")
    if live.category != category or created > now - options.visibility_delay_ms:
        return []
    return [((created, number), live)]


def _require_any(category: str, params: Mapping[str, str]) -> None:
    for group in _REQUIRE_ANY.get(category, ()):  # linear: symbol, baseCoin or settleCoin
        if not any(params.get(k) for k in group):
            names = f"{', '.join(group[:-1])} or {group[-1]}"
            raise RefusedError(RetCode.PARAM_ERROR, f"{names} is required")


def _realtime(
    account: Account,
    orders: list[Row],
    params: Mapping[str, str],
    now: int,
    options: RestOptions,
) -> list[Row]:
    if params.get("orderId") or params.get("orderLinkId"):
        return [row for row in orders if _in_realtime(account, row, now, options)]
    if params.get("openOnly") == "1":
        return sorted(_closed(orders, options)[: options.closed_buffer], key=_key, reverse=True)
    return [row for row in orders if row[1].status in OPEN]


def _closed(orders: Sequence[Row], options: RestOptions) -> list[Row]:
    """The closed orders realtime may keep, last closed first (ties: newest first)."""
    closed = [
        row
        for row in orders
        if row[1].status not in OPEN
        and _ms(row[1].record, "updatedTime") >= options.closed_since_ms
    ]
    return sorted(closed, key=_closed_rank, reverse=True)


def _in_realtime(account: Account, row: Row, now: int, options: RestOptions) -> bool:
    """Whether realtime shows this order: open, or among its category's last closed ones."""
    live = row[1]
    if live.status in OPEN:
        return True
    closed_ms = _ms(live.record, "updatedTime")
    if closed_ms < options.closed_since_ms:
        return False
    if len(account.live_orders()) <= options.closed_buffer:
        return True  # the buffer holds every order there is
    rank = _closed_rank(row)
    orders = _orders(account, live.category, now, options)
    later = sum(1 for r in orders if r[1].status not in OPEN and _closed_rank(r) > rank)
    return later < options.closed_buffer


def _key(row: tuple[Key, object]) -> Key:
    return row[0]


def _closed_rank(row: Row) -> tuple[int, Key]:
    """Closed later first, then newest first: realtime's closed buffer keeps the first ones."""
    return _ms(row[1].record, "updatedTime"), row[0]


def _history(
    orders: list[Row], params: Mapping[str, str], now: int, options: RestOptions
) -> list[Row]:
    low, high = _window(params, now)

    def kept(order: LiveOrder) -> bool:
        status, closed_ms = order.status, _ms(order.record, "updatedTime")
        if status in OPEN or closed_ms > now - options.history_delay_ms:
            return False
        age = now - closed_ms
        filled = order.cum_qty > 0
        if status in _SHORT_LIVED and not filled:
            return age <= _DAY_MS
        return age <= _WEEK_MS or filled

    return [row for row in orders if kept(row[1]) and low <= row[0][0] <= high]


def _executions(
    account: Account, category: str, params: Mapping[str, str], now: int, options: RestOptions
) -> list[Fill]:
    by_id = next(((k, params[k]) for k in ("orderId", "orderLinkId") if params.get(k)), None)
    low, high = _window(params, now)
    visible = now - options.visibility_delay_ms
    base, settle = params.get("baseCoin", ""), params.get("settleCoin", "")
    wanted = {k: params[k] for k in ("symbol", "execType") if params.get(k)}
    rows: list[Fill] = []
    for logged in account.executions.newest_first(now):
        item: Mapping[str, object] = logged.item
        if item["category"] != category or logged.time_ms > visible:
            continue
        if by_id is not None:
            if item[by_id[0]] != by_id[1]:
                continue
        elif not (
            low <= logged.time_ms <= high
            and all(item[k] == v for k, v in wanted.items())
            and (not base or logged.base_coin == base)
            and (not settle or logged.settle_coin == settle)
        ):
            continue
        rows.append(((logged.time_ms, logged.number), item))
    return rows


def _window(params: Mapping[str, str], now: int) -> tuple[int, int]:
    """``[startTime, endTime]``: the last 7 days by default, 7 days from or to the one given."""
    start, end = params.get("startTime", ""), params.get("endTime", "")
    if (start and not start.isdigit()) or (end and not end.isdigit()):
        raise RefusedError(RetCode.PARAM_ERROR, "startTime and endTime: integers (ms)")
    low = int(start) if start else (int(end) - _WINDOW_MS if end else now - _WINDOW_MS)
    high = int(end) if end else (low + _WINDOW_MS if start else now)
    if high < low:
        raise RefusedError(RetCode.PARAM_ERROR, "endTime must not be before startTime")
    if high - low > _WINDOW_MS:
        days = _WINDOW_MS // _DAY_MS
        raise RefusedError(RetCode.PARAM_ERROR, f"endTime - startTime must be at most {days} days")
    return low, high


def _coins_of(account: Account) -> Callable[[str, str], tuple[str, str]]:
    def coins(category: str, symbol: str) -> tuple[str, str]:
        listing = account.market.listing(category, symbol)
        if listing is None:
            return "", ""
        base, quote_coin = listing.instrument.base_coin, listing.instrument.quote_coin
        settle = {"linear": quote_coin, "option": quote_coin, "inverse": base}.get(category, "")
        return base, settle

    return coins


def _matching(
    rows: list[Row], params: Mapping[str, str], coins: Callable[[str, str], tuple[str, str]]
) -> list[Row]:
    """Key priority orderId > orderLinkId > symbol > baseCoin (an id ignores the others)."""
    for key in ("orderId", "orderLinkId"):
        if params.get(key):
            return [row for row in rows if _field(row[1], key) == params[key]]
    for key in ("symbol", "orderStatus"):
        if params.get(key):
            rows = [row for row in rows if _field(row[1], key) == params[key]]
    for index, key in enumerate(("baseCoin", "settleCoin")):
        if params.get(key) and not params.get("symbol"):
            rows = [
                row for row in rows if coins(row[1].category, row[1].symbol)[index] == params[key]
            ]
    return rows


def _field(order: LiveOrder, key: str) -> str:
    """The order's ``key`` as its item would show it (the ones a query filters on)."""
    if key == "orderStatus":
        return order.status
    return order.symbol if key == "symbol" else str(order.record.get(key, ""))


def _page(
    rows: Sequence[tuple[Key, _T]], params: Mapping[str, str], limit: int, scope: str
) -> tuple[list[_T], str]:
    """One page of ``rows`` and its ``nextPageCursor``, which ``scope`` (key and path) and the
    filters sign."""
    filters = sorted(item for item in params.items() if item[0] not in _UNPAGED)
    signature = hashlib.blake2s(repr((scope, filters)).encode(), digest_size=6).hexdigest()
    start = 0
    if cursor := params.get("cursor", ""):
        after = _after(cursor, signature)
        start = next((n for n, (key, _) in enumerate(rows) if key < after), len(rows))
    page = rows[start : start + limit]
    following = ""
    if start + limit < len(rows):
        (at, number), _ = page[-1]
        following = quote(f"page_args={at}:{number}&query={signature}", safe="")
    return [row for _, row in page], following


def _after(cursor: str, signature: str) -> Key:
    """The key of the last row the cursor's page gave."""
    for _ in range(3):  # sent back raw or encoded once more: both mean the same page
        if "%" not in cursor:
            break
        cursor = unquote(cursor)
    fields = dict(part.partition("=")[::2] for part in cursor.split("&"))
    at, _, number = fields.get("page_args", "").partition(":")
    if not (at.isdigit() and number.isdigit() and "query" in fields):
        raise RefusedError(
            RetCode.PARAM_ERROR, "cursor: not a nextPageCursor; leave it out for the first page"
        )
    if fields["query"] != signature:
        raise RefusedError(
            RetCode.PARAM_ERROR,
            "cursor: the nextPageCursor of another query; send it with the same parameters as "
            "the page that gave it (only limit may change), or leave it out to start over",
        )
    return int(at), int(number)


def _ms(order: Mapping[str, object], key: str) -> int:
    value = order.get(key)
    return int(value) if isinstance(value, str) and value.isdigit() else 0
