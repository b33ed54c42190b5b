"""Current time in one place, so tests and the demo can set it.

Timestamps are stored as naive UTC; campaign dates are compared with the date in
Europe/Paris, where the users are.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """Naive UTC timestamp."""
    current = _frozen or dt.datetime.now(dt.UTC)
    return current.astimezone(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in Paris."""
    current = _frozen or dt.datetime.now(dt.UTC)
    return current.astimezone(PARIS).date()


def freeze(at: dt.datetime | None) -> None:
    """Set (or with None, release) the current time; `at` must be timezone-aware."""
    global _frozen  # noqa: PLW0603 - the clock is process state by design
    _frozen = at
