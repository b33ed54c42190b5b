"""The only package that talks to DuckDB."""

from opp.store.db import Store, open_store

__all__ = ["Store", "open_store"]
