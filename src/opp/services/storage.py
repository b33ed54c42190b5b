"""The store as the interfaces (UI, API) hold it: its type, opening it, and telling a
failure of the storage itself from any other error.

`opp.ui` and `opp.api` import no `opp.store` module (contract `ui-calls-services`): they
pass this `Store` to services and never call a repository themselves.
"""

from __future__ import annotations

from opp.store import failures
from opp.store.db import Store, open_store

__all__ = ["Store", "is_storage_failure", "open_store"]


def is_storage_failure(exc: BaseException) -> bool:
    """A failure of the storage itself (full disk, I/O error, a fatal database error, a
    write conflict), as opposed to a bug or a refused input."""
    return failures.is_storage_failure(exc)
