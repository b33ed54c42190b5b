"""What the figures of one release share: each indicator's contributions of a year.

Every figure of an indicator for a campaign year starts from the same rows, whatever
the viewer's scope, the filters or the breakdown (all are populations of one lattice,
applied afterwards): the year's contributions and their atom counts
(`engine.YearRows`). A frame source of one release (`LazyFrames`, which the app layer
keeps per release) holds them in a `Memo`, so a viewer who changes a filter or a
breakdown — or the next viewer of the page — only recomputes the cells, and a trend
reuses each year's rows. Nothing in it is ever shown: figures still leave through
`disclosure`, cell by cell.

Bounded in bytes (`OPP_MEMO_MB`, default 64; 0 turns it off), least recently used
entries go first. At the demo region's real size an indicator-year takes tens of
kilobytes (the ≈ 150 of a release take ≈ 3 MB: all kept); at ×100 about 2.7 MB, so
the default keeps a few pages' worth there (all of them would take ≈ 260 MB).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from opp.settings import setting

T = TypeVar("T")
DEFAULT_MB = 64


def budget_bytes() -> int:
    """The memo's size limit from `OPP_MEMO_MB` (a bad value falls back to the default)."""
    raw = (setting("OPP_MEMO_MB") or "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_MB
    except ValueError:
        megabytes = DEFAULT_MB
    return max(0, int(megabytes * 1024 * 1024))


class Memo(Generic[T]):
    """A thread-safe least-recently-used map bounded by the sizes its callers declare."""

    def __init__(self, budget: int | None = None) -> None:
        self.budget = budget_bytes() if budget is None else budget
        self._lock = threading.Lock()
        self._entries: OrderedDict[object, tuple[T, int]] = OrderedDict()
        self._used = 0

    def get(self, key: object) -> T | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: object, value: T, size: int) -> None:
        """Keep `value` (`size` bytes) unless it alone exceeds the budget."""
        if size > self.budget:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._used -= old[1]
            self._entries[key] = (value, size)
            self._used += size
            while self._used > self.budget and self._entries:
                _, (_, freed) = self._entries.popitem(last=False)
                self._used -= freed

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def used(self) -> int:
        """Bytes held (as declared by `put`)."""
        return self._used
