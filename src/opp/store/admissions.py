"""The differencing's admissions kept with each release (migration 13).

`opp.indicators.admitted` keeps them in memory and `LazyFrames.freeze` decides when to
store them; this module only stores and reads rows: (release, digest of the inputs,
shape, packed bits). Nothing here is shown to anyone: which populations may be
published is itself derived from counts, and leaves the package only as published or
hidden cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from opp.store.db import Store

Row = tuple[str, str, bytes]  # digest, shape ("15,14,7,6"), packed bits (`admitted.Row`)


def load(store: Store, release_id: int) -> list[Row]:
    """Every admission stored for a release (a few hundred rows of a few hundred bytes)."""
    rows = (
        store.cursor()
        .execute(
            "SELECT digest, shape, allowed FROM release_admissions WHERE release_id = ?",
            [release_id],
        )
        .fetchall()
    )
    return [(str(digest), str(shape), bytes(allowed)) for digest, shape, allowed in rows]


def save(store: Store, release_id: int, rows: Sequence[Row]) -> int:
    """Store the admissions of a release not stored yet, in one transaction; returns how
    many were added. Two servers freezing the same release at once add each row once."""
    if not rows:
        return 0
    with store.transaction() as cur:
        known = {
            str(row[0])
            for row in cur.execute(
                "SELECT digest FROM release_admissions WHERE release_id = ?", [release_id]
            ).fetchall()
        }
        fresh = [row for row in rows if row[0] not in known]
        for digest, shape, allowed in fresh:
            cur.execute(
                "INSERT INTO release_admissions VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [release_id, digest, shape, allowed],
            )
    return len(fresh)
