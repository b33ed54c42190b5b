"""What went wrong when DuckDB failed: a write conflict, a full disk, a disk error, a
fatal error that invalidated the database, or something else.

Each kind has its own message for the user (nothing lost from what they typed, what to
do, never a server path) and a log line for the operator (which file, what the system
said, what to do). DuckDB reports these only as text, so the kind is read from it.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Literal

import duckdb

from opp.errors import OppError

log = logging.getLogger("opp.store")

Kind = Literal["conflict", "full", "io", "fatal", "unreachable", "other"]
# A unique or primary key refused a write (callers outside the store catch it by this name).
ConstraintViolation = duckdb.ConstraintException


class Unreachable(duckdb.Error):
    """The PostgreSQL server could not be reached or dropped the connection (it is
    restarting, the network failed): nothing of the transaction was kept."""


# ENOSPC, EDQUOT and EFBIG (a file-size limit) as the C library words them.
_FULL = re.compile(r"No space left on device|Disk quota exceeded|File too large", re.I)
_IO = re.compile(r"IO Error|Could not (?:write|read|open|truncate|sync|fsync)|I/O error", re.I)
_INVALIDATED = re.compile(r"database has been invalidated", re.I)

USER_CODES: dict[Kind, str] = {
    "conflict": "WRITE_CONFLICT",
    "full": "STORE_FULL",
    "io": "STORE_IO",
    "fatal": "STORE_FATAL",
    "unreachable": "STORE_UNAVAILABLE",
    "other": "STORE_FAILED",
}

_ADVICE: dict[Kind, str] = {
    "full": "free space on the disk holding the database (and its .wal file), then retry",
    "io": "check the disk and the file system holding the database (dmesg, SMART)",
    "fatal": "the database was reopened; if this repeats, stop OPP and check the disk",
    "unreachable": "check that PostgreSQL runs and OPP_DATABASE_URL names it; retried on "
    "the next request",
    "other": "see the DuckDB message; nothing was written",
}


def kind_of(exc: BaseException) -> Kind:
    """The kind of a DuckDB failure, from its type and message."""
    text = str(exc)
    if isinstance(exc, Unreachable):
        return "unreachable"
    if isinstance(exc, duckdb.FatalException) or _INVALIDATED.search(text):
        return "fatal"
    if _FULL.search(text):
        return "full"
    if isinstance(exc, duckdb.IOException) or _IO.search(text):
        return "io"
    if isinstance(exc, duckdb.TransactionException):
        # Write-write conflicts ("Conflict on tuple deletion", "Catalog write-write
        # conflict"…): DuckDB's optimistic concurrency, an ordinary event.
        return "conflict"
    return "other"


def is_storage_failure(exc: BaseException) -> bool:
    """A failure of the storage itself (not a constraint or a query the code got wrong)."""
    return isinstance(exc, duckdb.Error) and kind_of(exc) in (
        "conflict",
        "full",
        "io",
        "fatal",
        "unreachable",
    )


def user_error(exc: BaseException, *, path: str, action: str) -> OppError:
    """The user's error for a DuckDB failure; logs the operator's line (not for conflicts,
    which are ordinary: two people saving the same thing at once)."""
    kind = kind_of(exc)
    if kind == "conflict":
        return OppError("WRITE_CONFLICT")
    ref = uuid.uuid4().hex[:8]
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if kind == "fatal" and _FULL.search(str(exc)):
        detail = "disk full, database invalidated"
    else:
        detail = {
            "full": "disk full",
            "io": "I/O error",
            "fatal": "fatal error",
            "unreachable": "database server unreachable",
        }.get(kind, "failure")
    log.error(
        "storage %s during %s on %s (ref %s): %s — %s",
        detail,
        action,
        path,
        ref,
        first[:500],
        _ADVICE[kind],
    )
    return OppError(USER_CODES[kind], ref=ref)
