"""What the market and the accounts hand to the socket side: one message per topic (pure data)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from bybit_wsapi_generated.models import CategoryV5

__all__ = ["Ids", "Push"]


@dataclass(frozen=True, slots=True)
class Push:
    """One message to fan out to the subscribers of a topic.

    Public (``account is None``): ``topic`` is the full topic (``orderbook.50.BTCUSDT``) and
    ``category`` the ``/v5/public/{category}`` stream it belongs to; send ``message`` as is to
    that stream's subscribers of ``topic``.

    Private (``account`` is the API key): ``topic`` is the all-in-one name (``order``,
    ``execution``, ``execution.fast``, ``position``, ``wallet``) and ``message["topic"]`` equals
    it; ``category`` is the order's category (``None`` for ``wallet``, which has no categorised
    variant). Send ``message`` to that account's subscribers of ``topic``, and a copy with
    ``"topic": f"{topic}.{category}"`` to its subscribers of the categorised name: encode each
    variant once, not once per subscriber.
    """

    topic: str
    category: CategoryV5 | None
    message: Mapping[str, object]
    """The full frame (a ``*MessageV5`` TypedDict of ``bybit_wsapi_generated.models``)."""
    account: str | None = None


class Ids:
    """Seeded id makers: the same seed gives the same ids."""

    __slots__ = ("_rng",)

    def __init__(self, seed: str) -> None:
        self._rng = random.Random(seed)

    def uuid(self) -> str:
        """A version-4-shaped UUID string."""
        h = f"{self._rng.getrandbits(128) & ~((0xF000 << 64) | (0xC000 << 48)) | (0x4000 << 64) | (0x8000 << 48):032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def number(self) -> str:
        """A numeric id string (Bybit spot trade and order ids are digits)."""
        return str(self._rng.randrange(10**18, 10**19))
