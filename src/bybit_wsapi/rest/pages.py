"""Walking a cursor-paginated V5 query page by page (``nextPageCursor``), bounded."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Final, TypeVar

from ..errors import ConfigurationError
from .errors import RestPagesLeftError

__all__ = ["DEFAULT_MAX_PAGES", "follow_pages"]

DEFAULT_MAX_PAGES: Final = 100
"""Pages a walk reads at most unless told otherwise (100 x 50 orders, 100 x 100 fills)."""

P = TypeVar("P", bound=Mapping[str, object])


async def follow_pages(
    fetch: Callable[..., Awaitable[P]],
    params: Mapping[str, Any],
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> AsyncIterator[P]:
    """Each page of ``fetch(**params)``, the next one asked with the last ``nextPageCursor``
    (as given back), until a page has none (``""`` or absent).

    Raises:
        RestPagesLeftError: after ``max_pages`` pages, a next one remains (its ``cursor``
            continues the walk); nothing is left out silently.
        RestAPIError, RestHTTPError: a page failed (the pages before it were yielded).
    """
    if max_pages < 1:
        raise ConfigurationError(f"max_pages must be at least 1, got {max_pages}")
    query = dict(params)
    for number in range(1, max_pages + 1):
        page = await fetch(**query)
        yield page
        cursor = page.get("nextPageCursor")
        if not isinstance(cursor, str) or not cursor:
            return
        if number == max_pages:
            raise RestPagesLeftError(getattr(fetch, "__name__", "the query"), max_pages, cursor)
        query["cursor"] = cursor
