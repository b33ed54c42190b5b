"""What archiving, restoring or deleting a structure reads and writes.

Repository only: who may retire a structure, the refusals and the audit lines are
`opp.services.organisation_archive`'s.
"""

from __future__ import annotations

import datetime as dt

from opp.store import erasure
from opp.store.db import Cursor, Store
from opp.store.records import single


def usage_counts(store: Store, organisation_id: str, today: dt.date) -> tuple[int, ...]:
    """Responses, drafts of running campaigns, accounts, invitations, and invitations to
    running campaigns not started, of one structure."""
    row = (
        store.cursor()
        .execute(
            """SELECT
             (SELECT count(*) FROM responses WHERE organisation_id = $id),
             (SELECT count(*) FROM responses r JOIN campaigns c ON c.id = r.campaign_id
               WHERE r.organisation_id = $id AND r.status = 'draft' AND c.closes_on >= $today),
             (SELECT count(*) FROM accounts WHERE organisation_id = $id),
             (SELECT count(*) FROM invitations WHERE organisation_id = $id),
             (SELECT count(*) FROM invitations i JOIN campaigns c ON c.id = i.campaign_id
               WHERE i.organisation_id = $id AND c.closes_on >= $today
                 AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = i.campaign_id
                                   AND r.organisation_id = i.organisation_id))""",
            {"id": organisation_id, "today": today},
        )
        .fetchone()
    )
    return tuple(int(v) for v in single(row))


def set_archived(
    cur: Cursor, organisation_id: str, archived_at: dt.datetime | None, updated_at: dt.datetime
) -> None:
    """Archive (`archived_at`) or restore (None) a structure."""
    cur.execute(
        "UPDATE organisations SET archived_at = ?, updated_at = ? WHERE id = ?",
        [archived_at, updated_at, organisation_id],
    )


def withdraw_pending_invitations(cur: Cursor, organisation_id: str, today: dt.date) -> int:
    """Delete the structure's invitations to running campaigns it has not started
    answering; returns how many."""
    withdrawn = cur.execute(
        """DELETE FROM invitations i WHERE i.organisation_id = ?
           AND i.campaign_id IN (SELECT id FROM campaigns WHERE closes_on >= ?)
           AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = i.campaign_id
                           AND r.organisation_id = i.organisation_id)
           RETURNING campaign_id""",
        [organisation_id, today],
    ).fetchall()
    return len(withdrawn)


def holdings(cur: Cursor, organisation_id: str) -> tuple[int, int]:
    """How many responses and accounts the structure has."""
    responses, people = single(
        cur.execute(
            "SELECT (SELECT count(*) FROM responses WHERE organisation_id = $id), "
            "(SELECT count(*) FROM accounts WHERE organisation_id = $id)",
            {"id": organisation_id},
        ).fetchone()
    )
    return int(responses), int(people)


def delete(cur: Cursor, organisation_id: str) -> None:
    """A structure with its invitations and mail rows (the caller checked it holds no
    responses and no accounts)."""
    cur.execute("DELETE FROM invitations WHERE organisation_id = ?", [organisation_id])
    erasure.forget_organisation_mail(cur, organisation_id)
    cur.execute("DELETE FROM organisations WHERE id = ?", [organisation_id])
