"""What a contributor said about their response beyond the answers themselves.

Two kinds of marks, kept in `response_marks` and replaced together with the answers at
each save (same transaction):
- a section confirmed empty ("Rien à déclarer pour cette section"): an empty step is not
  an omission, it can count as done;
- an answer carried forward from the previous campaign and not yet confirmed: it stays
  "à confirmer" across reloads until the person saves its step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opp.store.db import Cursor, Store

EMPTY = "empty"
TO_CONFIRM = "to_confirm"


@dataclass(frozen=True)
class Marks:
    empty_sections: frozenset[str] = field(default_factory=frozenset)
    to_confirm: frozenset[str] = field(default_factory=frozenset)


def replace(cur: Cursor, response_id: str, marks: Marks) -> None:
    """Store the marks of a response (inside the caller's transaction)."""
    cur.execute("DELETE FROM response_marks WHERE response_id = ?", [response_id])
    rows = [[response_id, EMPTY, s] for s in sorted(marks.empty_sections)] + [
        [response_id, TO_CONFIRM, q] for q in sorted(marks.to_confirm)
    ]
    if rows:
        cur.executemany("INSERT INTO response_marks VALUES (?, ?, ?)", rows)


def read(store: Store, response_id: str) -> Marks:
    """The marks of a response (the service checks who may read them:
    `services.responses.read_marks`)."""
    rows = (
        store.cursor()
        .execute("SELECT kind, target FROM response_marks WHERE response_id = ?", [response_id])
        .fetchall()
    )
    return Marks(
        empty_sections=frozenset(t for k, t in rows if k == EMPTY),
        to_confirm=frozenset(t for k, t in rows if k == TO_CONFIRM),
    )
