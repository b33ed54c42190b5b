"""The differencing's admitted populations: computed once, then kept with the release.

`disclosure.permitted_combinations` admits populations greedily over the lattice of
filter combinations, most of a cold dashboard's computation (≈ 150 ms of a 400 ms
Emploi page at ×100). Its result depends on its inputs only (the atoms' counts, the
threshold, whether the last axis is a breakdown by answers), so it is kept under a
digest of them: in memory for the process (this module, no I/O), and in the store for
each release (`LazyFrames.freeze`, by every server's warm-up). A server started on a
published release holds the admissions it was published with (`hold`) instead of
computing them again, and every server of an instance publishes with the same ones.
Keyed by content, a stored admission can only ever serve the exact inputs it came
from: a release whose frozen answers changed (an erasure) simply misses.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator

import numpy as np

Row = tuple[str, str, bytes]  # digest, shape ("15,14,7,6"), packed bits: a stored admission
CAPACITY = 8192  # a release holds ≈ 100 at ×100 (7 kB each in memory): every release kept

_lock = threading.Lock()
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_computed = [0]  # admissions computed by this process (tests and benchmarks count them)
_recording = threading.local()  # digests used by this thread while `recording()`


def digest(atoms: np.ndarray, minimum: int, extra_axis: bool) -> str:
    """The key of an admission: a digest of everything it depends on."""
    hashed = hashlib.sha256(np.ascontiguousarray(atoms, dtype=np.int64).tobytes())
    hashed.update(repr((tuple(atoms.shape), int(minimum), bool(extra_axis))).encode())
    return hashed.hexdigest()


def cached(key: str) -> np.ndarray | None:
    """The admission under `key` if known (a copy: callers may change theirs)."""
    seen = getattr(_recording, "keys", None)
    if seen is not None:
        seen.add(key)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    return None if found is None else found.copy()


def remember(key: str, allowed: np.ndarray, *, computed: bool = True) -> None:
    with _lock:
        _cache[key] = allowed.copy()
        _cache.move_to_end(key)
        while len(_cache) > CAPACITY:
            _cache.popitem(last=False)
        if computed:
            _computed[0] += 1


def computed() -> int:
    """How many admissions this process computed (not read from a release)."""
    return _computed[0]


def clear() -> None:
    """Forget every admission held in memory (a cold start, for benchmarks and tests)."""
    with _lock:
        _cache.clear()


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """The digests this thread looks up inside the block (what a release needs)."""
    keys: set[str] = set()
    _recording.keys = keys
    try:
        yield keys
    finally:
        _recording.keys = None


def rows_for(keys: Iterable[str]) -> list[Row]:
    """The admissions held under `keys`, packed to be stored (`store/admissions.py`)."""
    rows = []
    for key in sorted(keys):
        with _lock:
            allowed = _cache.get(key)
        if allowed is not None:
            shape = ",".join(str(n) for n in allowed.shape)
            rows.append((key, shape, np.packbits(allowed.reshape(-1)).tobytes()))
    return rows


def hold(rows: Iterable[Row]) -> int:
    """Hold in memory admissions read from the store; returns how many."""
    count = 0
    for key, shape, bits in rows:
        dims = tuple(int(n) for n in shape.split(","))
        flat = np.unpackbits(np.frombuffer(bits, dtype=np.uint8), count=int(np.prod(dims)))
        remember(key, flat.astype(bool).reshape(dims), computed=False)
        count += 1
    return count
