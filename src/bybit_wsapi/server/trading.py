"""Order handling behind ``/v5/trade``: each operation's checks, then applying it to an account.

The :class:`~bybit_wsapi.server.protocol.Engine` authenticates, checks the envelope and header,
charges the rate limit and dispatches here; :class:`Trading` resolves the category, validates the
parameters against the spec's tables, applies the logical faults and runs the order op against
the account's orders. Pure: the caller passes the time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bybit_wsapi_generated.tables import (
    CATEGORY_FIELD,
    OBJECT_RULES,
    OPERATION_RULES,
    ObjectRule,
    OperationRule,
)

from bybit_wsapi.retcodes import RetCode

from .account import Account, AccountConfig
from .config import ServerConfig
from .faults import ErrorShape, Faults
from .frames import op_reply, reshape_error
from .market import Market, Push
from .orders import ORDER_ID, ORDER_LINK_ID, SYMBOL, Action, Outcome
from .ratelimit import resolve_limit
from .validation import ParamsValidator, describe

__all__ = ["MSG_RATE_LIMITED", "Operation", "Pending", "Trading", "error_reply", "operations"]

MSG_RATE_LIMITED: Final = "Too many visits. Exceeded the API Rate Limit."
_MSG_NOT_SIMULATED: Final = "OK (validated only: the local server does not simulate this op)"
_INJECTED_MESSAGES: Final[Mapping[int, str]] = {
    RetCode.PERMISSION_DENIED: "Permission denied for current apikey",
    RetCode.INTERNAL_ERROR: "Internal server error.",
    RetCode.SERVICE_RESTARTING: "ws trade service is restarting, do not send new request",
    RetCode.SYSTEM_FREQUENCY_PROTECTION: "System level frequency protection.",
    RetCode.TOO_FREQUENT: "Too frequent requests in the same session.",
    RetCode.SPOT_INSUFFICIENT_BALANCE: "Insufficient balance.",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """An operation of the tables, with what the server precomputes for it."""

    name: str
    params: str
    action: Action | None
    batch_items: str | None
    batch_max_items: Mapping[str, int]
    rate_limit: Mapping[str, int]
    has_category: bool
    """Whether the params have the category field."""
    categories: frozenset[str] | None
    """Its supported values (``None``: any string)."""


def operations(
    overrides: Mapping[str, Mapping[str, int]],
    operation_rules: Mapping[str, OperationRule] = OPERATION_RULES,
    object_rules: Mapping[str, ObjectRule] = OBJECT_RULES,
) -> dict[str, Operation]:
    """Every operation of the tables, rate limits overridden by ``overrides``."""
    out = {}
    for name, rule in operation_rules.items():
        category_rule = object_rules[rule["params"]]["fields"].get(CATEGORY_FIELD)
        values = None if category_rule is None else category_rule.get("values")
        categories = None if values is None else frozenset(str(value) for value in values)
        if categories is not None and rule["batch_items"] is not None:
            caps = rule["batch_max_items"]
            categories = frozenset(c for c in categories if resolve_limit(caps, c) is not None)
        out[name] = Operation(
            name=name,
            params=rule["params"],
            action=rule["action"],
            batch_items=rule["batch_items"],
            batch_max_items=rule["batch_max_items"],
            rate_limit={**rule["rate_limit"], **overrides.get(name, {})},
            has_category=category_rule is not None,
            categories=categories,
        )
    return out


def error_reply(
    req_id: str | None,
    code: int,
    msg: str,
    op: str,
    conn_id: str,
    *,
    shape: ErrorShape,
    header: dict[str, str] | None = None,
) -> dict[str, object]:
    """An order-op error reply in ``shape`` (``Faults.error_shape``)."""
    frame = op_reply(req_id, int(code), msg, op, conn_id, header=header)
    return frame if shape == "standard" else reshape_error(frame, shape)


@dataclass(slots=True, kw_only=True)
class Pending:
    """A valid order op, ready to apply: ``apply()`` changes the orders and returns the ack."""

    trading: Trading
    op: Operation
    api_key: str
    conn_id: str
    req_id: str | None
    params: dict[str, object]
    category: str | None
    header: dict[str, str] | None
    granted: int
    """How many leading batch items fit the rate limit."""
    pushes: list[Push] = field(default_factory=list)
    """What ``apply()`` caused on the private (and public) streams, in order."""

    def apply(self, now_ms: int) -> dict[str, object]:
        """Apply the op to the account, fill ``pushes``, and build its reply."""
        return self.trading.apply(self, now_ms)

    @property
    def ack_first(self) -> bool:
        """Send the reply before ``pushes`` (``AccountConfig.ack_first``)."""
        return self.trading.accounts[self.api_key].config.ack_first


class Trading:
    """The order ops of one server and every account's orders (not thread-safe)."""

    def __init__(
        self,
        config: ServerConfig,
        faults: Faults,
        validator: ParamsValidator,
        operation_rules: Mapping[str, OperationRule] = OPERATION_RULES,
        *,
        market: Market | None = None,
        account_config: AccountConfig | None = None,
    ) -> None:
        seed = config.seed if config.seed is not None else 0
        self.market = market if market is not None else Market(seed=seed)
        """The simulated market every account trades against."""
        self.accounts = {
            key: Account(key, self.market, account_config, seed) for key in config.accounts
        }
        """API key -> its account."""
        self.faults = faults
        self.validator = validator
        """Compiled from the same object rules as ``operation_rules``."""
        self.operations = operations(config.rate_limits, operation_rules, validator.object_rules)
        self._per_request_batch = config.per_request_batch_categories

    def orders(self, api_key: str) -> list[dict[str, object]]:
        """Copies of ``api_key``'s orders, oldest first."""
        account = self.accounts.get(api_key)
        if account is None:
            raise KeyError(f"no account with API key {api_key!r}")
        return account.orders()

    def category(
        self, op: Operation, params: dict[str, object]
    ) -> tuple[str | None, tuple[int, str] | None]:
        """The request's category (``None`` if the op has none), or the error that refuses it."""
        if not op.has_category:
            return None, None
        category = params.get(CATEGORY_FIELD)
        if type(category) is not str:
            problem = self.validator.check(op.params, params, None)
            msg = problem or f"{CATEGORY_FIELD}: expected a string, got {describe(category)}"
            return None, (RetCode.PARAM_ERROR, msg)
        if op.categories is not None and category not in op.categories:
            msg = f"{CATEGORY_FIELD} {category!r} is not supported by {op.name}"
            return None, (RetCode.OP_NOT_FOUND, msg)
        return category, None

    def units(self, op: Operation, params: dict[str, object], category: str | None) -> int:
        """Rate-limit units the request costs: one per batch item, or one per request."""
        items = params.get(op.batch_items) if op.batch_items is not None else None
        if type(items) is list and category not in self._per_request_batch:
            return max(1, len(items))
        return 1

    def admit(
        self,
        op: Operation,
        params: dict[str, object],
        category: str | None,
        *,
        api_key: str,
        conn_id: str,
        req_id: str | None,
        header: dict[str, str] | None,
        granted: int,
    ) -> dict[str, object] | Pending:
        """Validate a request the rate limiter let through: its error reply or a :class:`Pending`."""
        name = op.name
        items = params.get(op.batch_items) if op.batch_items is not None else None
        problem = self.validator.check(op.params, params, category)
        if problem is None and type(items) is list:
            cap = resolve_limit(op.batch_max_items, category or "")
            if cap is not None and len(items) > cap:
                problem = f"{op.batch_items}: at most {cap} items for {category}, got {len(items)}"
        faults = self.faults
        shape = faults.error_shape
        if problem is not None:
            code = RetCode.PARAM_ERROR
            return error_reply(req_id, code, problem, name, conn_id, shape=shape, header=header)
        injected = faults.reject_orders
        if injected is not None:
            msg = _INJECTED_MESSAGES.get(
                injected, f"error injected by the local server ({injected})"
            )
            return error_reply(req_id, injected, msg, name, conn_id, shape=shape, header=header)
        if type(items) is list and self.units(op, params, category) == 1:
            granted = len(items)  # one unit for the whole batch
        return Pending(
            trading=self,
            op=op,
            api_key=api_key,
            conn_id=conn_id,
            req_id=req_id,
            params=params,
            category=category,
            header=header,
            granted=granted,
        )

    def apply(self, pending: Pending, now_ms: int) -> dict[str, object]:
        """Run a :class:`Pending` op (see :meth:`Pending.apply`)."""
        op = pending.op
        action = op.action
        req_id, header, conn_id = pending.req_id, pending.header, pending.conn_id
        if action is None:
            return op_reply(req_id, 0, _MSG_NOT_SIMULATED, op.name, conn_id, header=header)
        account = self.accounts[pending.api_key]
        pushes = pending.pushes
        category = pending.category or ""
        if op.batch_items is None:
            outcome, caused = account.apply(action, category, pending.params, now_ms)
            pushes += caused
            if outcome.code:
                shape = self.faults.error_shape
                code, msg = outcome.code, outcome.msg
                return error_reply(req_id, code, msg, op.name, conn_id, shape=shape, header=header)
            data = {ORDER_ID: outcome.order_id, ORDER_LINK_ID: outcome.order_link_id}
            return op_reply(req_id, 0, "OK", op.name, conn_id, data=data, header=header)
        results: list[dict[str, str]] = []
        statuses: list[dict[str, object]] = []
        items = pending.params[op.batch_items]
        assert isinstance(items, list)
        for index, item in enumerate(items):
            if index < pending.granted:
                outcome, caused = account.apply(action, category, item, now_ms)
                pushes += caused
            else:
                link = item.get(ORDER_LINK_ID)
                link_id = link if isinstance(link, str) else ""
                outcome = Outcome(RetCode.TOO_MANY_VISITS, MSG_RATE_LIMITED, "", link_id)
            result = {
                CATEGORY_FIELD: category,
                SYMBOL: str(item.get(SYMBOL, "")),
                ORDER_ID: outcome.order_id,
                ORDER_LINK_ID: outcome.order_link_id,
            }
            if action == "create":
                created = outcome.created_ms
                result["createAt"] = "" if created is None else str(created)
            results.append(result)
            statuses.append({"code": int(outcome.code), "msg": outcome.msg})
        return op_reply(
            req_id,
            0,
            "OK",
            op.name,
            conn_id,
            data={"list": results},
            ret_ext_info={"list": statuses},
            header=header,
        )
