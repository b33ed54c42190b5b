"""Writing a directory import: every created and updated structure in the caller's
transaction, as batches (a file may hold tens of thousands of rows), each one audited.

The plan (what to create, what to update) is made by `opp.directory` inside the same
transaction, from `snapshot`, so what is written is exactly what was checked.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from opp.store import audit
from opp.store.organisations import COLUMNS
from opp.store.records import Actor, Organisation, fetch_all

_FIELDS = [c.strip() for c in COLUMNS.split(",")]
_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("structure_type", pa.string()),
        ("legal_form", pa.string()),
        ("commune", pa.string()),
        ("departement", pa.string()),
        ("filieres", pa.list_(pa.string())),
        ("created_at", pa.timestamp("us")),
        ("siret", pa.string()),
        ("email", pa.string()),
        ("labels", pa.list_(pa.string())),
        ("updated_at", pa.timestamp("us")),
        ("archived_at", pa.timestamp("us")),
    ]
)


def snapshot(cur: duckdb.DuckDBPyConnection) -> list[Organisation]:
    """Every stored structure, archived ones included (an import must recognise them)."""
    return fetch_all(cur, Organisation, f"SELECT {COLUMNS} FROM organisations", [])


def _batch(orgs: list[Organisation]) -> pa.Table:
    rows = [org.model_dump() for org in orgs]
    return pa.Table.from_pylist([{f: row[f] for f in _FIELDS} for row in rows], _SCHEMA)


def write_import(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    created: list[Organisation],
    updated: list[tuple[Organisation, list[str]]],
    summary: dict[str, Any],
) -> None:
    """Insert and update in the caller's transaction; one audit line per structure (with
    the names of the changed fields, never their values) and one for the import."""
    if created:
        cur.register("_dir_new", _batch(created))
        try:
            cur.execute(f"INSERT INTO organisations ({COLUMNS}) SELECT {COLUMNS} FROM _dir_new")
        finally:
            cur.unregister("_dir_new")
    if updated:
        cur.register("_dir_upd", _batch([org for org, _ in updated]))
        try:
            settable = [f for f in _FIELDS if f not in ("id", "created_at", "archived_at")]
            assignments = ", ".join(f"{f} = u.{f}" for f in settable)
            cur.execute(
                f"UPDATE organisations SET {assignments} FROM _dir_upd u "
                "WHERE organisations.id = u.id"
            )
        finally:
            cur.unregister("_dir_upd")
    import_ref = summary.get("import")
    audit.record_many(
        cur,
        actor,
        [("organisation.create", "organisation", org.id, {"import": import_ref}) for org in created]
        + [
            ("organisation.update", "organisation", org.id, {"import": import_ref, "fields": names})
            for org, names in updated
        ],
    )
    audit.record(cur, actor, "directory.import", "directory", import_ref, summary)
