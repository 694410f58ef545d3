"""The local server's accounts: orders, positions and wallet behind one API key (pure).

``Account(api_key, market, config, seed)``; ``account.apply(action, category, params, now_ms)``
returns ``(Outcome, pushes)``; the market calls ``on_step`` to fill resting orders. See
:mod:`.account`.
"""

from .account import Account
from .config import AccountConfig

__all__ = ["Account", "AccountConfig"]
