"""Co-design tables: proposals, their comments and votes, and each questionnaire's draft.

Repository only (SQL in, records out): who may do what, the draft's content and the
version a publication gets are decided by `opp.services.codesign`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Literal

from opp.questionnaire import edits
from opp.store.db import Cursor, Store
from opp.store.records import Record, fetch_all, fetch_one

ERASED_NAME = "(compte supprimé)"


class Proposal(Record):
    id: str
    questionnaire_id: str
    filiere: str
    base_version: str
    kind: str
    target: str
    edit: str
    rationale: str
    author: str | None = None
    author_name: str
    created_at: dt.datetime
    status: Literal["open", "accepted", "declined", "withdrawn"]
    decided_by: str | None = None
    decided_by_name: str | None = None
    decided_at: dt.datetime | None = None
    decision_reason: str | None = None
    published_in: str | None = None

    @property
    def parsed(self) -> edits.Edit:
        return edits.parse_edit(json.loads(self.edit))


class Comment(Record):
    id: str
    proposal_id: str
    author: str | None = None
    author_name: str
    body: str
    created_at: dt.datetime


# --- draft --------------------------------------------------------------------------------


def draft_row(store: Store, questionnaire_id: str) -> tuple[str, str, dt.datetime] | None:
    """(base version, definition as JSON, updated at) of a questionnaire's saved draft."""
    row = (
        store.cursor()
        .execute(
            "SELECT base_version, definition, updated_at FROM questionnaire_drafts "
            "WHERE questionnaire_id = ?",
            [questionnaire_id],
        )
        .fetchone()
    )
    return None if row is None else (row[0], row[1], row[2])


def save_draft(
    cur: Cursor,
    questionnaire_id: str,
    base_version: str,
    definition: str,
    updated_at: dt.datetime,
    updated_by: str,
) -> None:
    cur.execute(
        "INSERT INTO questionnaire_drafts VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (questionnaire_id) DO UPDATE SET definition = excluded.definition, "
        "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        [questionnaire_id, base_version, definition, updated_at, updated_by],
    )


def delete_draft(cur: Cursor, questionnaire_id: str) -> None:
    cur.execute("DELETE FROM questionnaire_drafts WHERE questionnaire_id = ?", [questionnaire_id])


def reopen_accepted(cur: Cursor, questionnaire_id: str) -> None:
    """Accepted proposals not published yet become open again (the draft was discarded)."""
    cur.execute(
        "UPDATE proposals SET status = 'open', decided_by = NULL, decided_by_name = NULL, "
        "decided_at = NULL, decision_reason = NULL "
        "WHERE questionnaire_id = ? AND status = 'accepted' AND published_in IS NULL",
        [questionnaire_id],
    )


def mark_published(cur: Cursor, questionnaire_id: str, version: str) -> None:
    """Accepted proposals not published yet are now in `version`."""
    cur.execute(
        "UPDATE proposals SET published_in = ? "
        "WHERE questionnaire_id = ? AND status = 'accepted' AND published_in IS NULL",
        [version, questionnaire_id],
    )


def latest_titles(cur: Cursor, questionnaire_id: str) -> tuple[str, str | None] | None:
    """French and English titles of a questionnaire's latest published version."""
    row = cur.execute(
        "SELECT title_fr, title_en FROM questionnaire_versions WHERE questionnaire_id = ? "
        "ORDER BY published_at DESC LIMIT 1",
        [questionnaire_id],
    ).fetchone()
    return None if row is None else (row[0], row[1])


# --- proposals, comments, votes -----------------------------------------------------------


def insert_proposal(cur: Cursor, proposal: Proposal) -> None:
    cur.execute(
        "INSERT INTO proposals (id, questionnaire_id, filiere, base_version, kind, target, "
        "edit, rationale, author, author_name, created_at, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            proposal.id,
            proposal.questionnaire_id,
            proposal.filiere,
            proposal.base_version,
            proposal.kind,
            proposal.target,
            proposal.edit,
            proposal.rationale,
            proposal.author,
            proposal.author_name,
            proposal.created_at,
            proposal.status,
        ],
    )


def proposal(store: Store, proposal_id: str) -> Proposal | None:
    return fetch_one(
        store.cursor(), Proposal, "SELECT * FROM proposals WHERE id = ?", [str(proposal_id)]
    )


def set_status(
    cur: Cursor,
    proposal_id: str,
    status: str,
    *,
    actor: str,
    actor_name: str,
    at: dt.datetime,
    reason: str | None,
) -> None:
    cur.execute(
        "UPDATE proposals SET status = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, "
        "decision_reason = ? WHERE id = ?",
        [status, actor, actor_name, at, reason, proposal_id],
    )


def insert_comment(cur: Cursor, entry: Comment) -> None:
    cur.execute(
        "INSERT INTO proposal_comments VALUES (?, ?, ?, ?, ?, ?)",
        [*entry.model_dump().values()],
    )


def put_vote(cur: Cursor, proposal_id: str, voter: str, value: str, at: dt.datetime) -> None:
    """One vote per person and proposal: a new vote replaces the previous one."""
    cur.execute(
        "INSERT INTO proposal_votes VALUES (?, ?, ?, ?) ON CONFLICT (proposal_id, voter) "
        "DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
        [proposal_id, voter, value, at],
    )


def proposals_of(store: Store, questionnaire_id: str, status: str | None) -> list[Proposal]:
    """A questionnaire's proposals, newest first."""
    sql = "SELECT * FROM proposals WHERE questionnaire_id = ?"
    params: list[Any] = [questionnaire_id]
    if status is not None:
        sql += " AND status = ?"
        params.append(status)
    return fetch_all(store.cursor(), Proposal, sql + " ORDER BY created_at DESC, id", params)


def votes_on(store: Store, proposal_ids: list[str]) -> list[tuple[str, str, str]]:
    """(proposal, voter, vote) of these proposals."""
    rows = (
        store.cursor()
        .execute(
            "SELECT proposal_id, voter, vote FROM proposal_votes "
            "WHERE list_contains(?::VARCHAR[], proposal_id)",
            [proposal_ids],
        )
        .fetchall()
    )
    return [(p, voter, value) for p, voter, value in rows]


def comments_on(store: Store, proposal_ids: list[str]) -> list[Comment]:
    """Comments of these proposals, oldest first."""
    return fetch_all(
        store.cursor(),
        Comment,
        "SELECT * FROM proposal_comments WHERE list_contains(?::VARCHAR[], proposal_id) "
        "ORDER BY created_at, id",
        [proposal_ids],
    )


# --- personal data ------------------------------------------------------------------------


def authored_by(store: Store, actors: list[str]) -> dict[str, list[dict[str, Any]]]:
    """What these accounts wrote or voted (for the contributor's data export)."""
    if not actors:
        return {"proposals": [], "comments": [], "votes": []}
    cur = store.cursor()
    proposals = fetch_all(
        cur,
        Proposal,
        "SELECT * FROM proposals WHERE list_contains(?::VARCHAR[], author) ORDER BY created_at",
        [actors],
    )
    comments = fetch_all(
        cur,
        Comment,
        "SELECT * FROM proposal_comments WHERE list_contains(?::VARCHAR[], author) "
        "ORDER BY created_at",
        [actors],
    )
    votes = cur.execute(
        "SELECT proposal_id, vote, voted_at FROM proposal_votes "
        "WHERE list_contains(?::VARCHAR[], voter) ORDER BY voted_at",
        [actors],
    ).fetchall()
    return {
        "proposals": [p.model_dump() for p in proposals],
        "comments": [c.model_dump() for c in comments],
        "votes": [{"proposal_id": p, "vote": v, "voted_at": t} for p, v, t in votes],
    }


def forget_authors(cur: Any, actors: list[str]) -> None:
    """On erasure: contributions stay (the discussion must remain readable), names go;
    votes still count but no longer say whose they were."""
    for actor in actors:
        for table in ("proposals", "proposal_comments"):
            cur.execute(
                f"UPDATE {table} SET author = NULL, author_name = ? WHERE author = ?",
                [ERASED_NAME, actor],
            )
        cur.execute(
            "UPDATE proposals SET decided_by = NULL, decided_by_name = ? WHERE decided_by = ?",
            [ERASED_NAME, actor],
        )
        cur.execute(
            "UPDATE proposal_votes SET voter = ? WHERE voter = ?",
            [f"efface:{uuid.uuid4().hex}", actor],
        )
