"""What merging two records of one structure reads and moves.

Repository only: which response survives a conflict, what the preview shows, who may
merge and the audit lines are `opp.services.organisation_merge`'s.
"""

from __future__ import annotations

from typing import Any

from opp.store.db import Cursor
from opp.store.records import single


def responses_of(cur: Cursor, keep_id: str, drop_id: str) -> list[tuple[Any, ...]]:
    """(campaign, campaign title, response, status, updated at, of the kept record?) of
    both records' responses."""
    return cur.execute(
        """SELECT r.campaign_id, c.title_fr, r.id, r.status, r.updated_at,
                  r.organisation_id = $keep AS mine
           FROM responses r JOIN campaigns c ON c.id = r.campaign_id
           WHERE r.organisation_id IN ($keep, $drop) ORDER BY r.campaign_id, r.id""",
        {"keep": keep_id, "drop": drop_id},
    ).fetchall()


def moving_counts(cur: Cursor, keep_id: str, drop_id: str) -> tuple[int, int, int, int]:
    """The dropped record's responses, accounts, invitations the kept record lacks, and
    correction requests."""
    row = single(
        cur.execute(
            """SELECT
             (SELECT count(*) FROM responses WHERE organisation_id = $drop),
             (SELECT count(*) FROM accounts WHERE organisation_id = $drop),
             (SELECT count(*) FROM invitations i WHERE i.organisation_id = $drop
                AND NOT EXISTS (SELECT 1 FROM invitations k WHERE k.organisation_id = $keep
                                AND k.campaign_id = i.campaign_id)),
             (SELECT count(*) FROM correction_requests WHERE organisation_id = $drop)""",
            {"keep": keep_id, "drop": drop_id},
        ).fetchone()
    )
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def move_records(cur: Cursor, keep_id: str, drop_id: str) -> None:
    """Responses, invitations (the kept record's win), accounts, correction requests and
    mail records move to the kept record; the dropped record is deleted (freeing its
    SIRET)."""
    params = {"keep": keep_id, "drop": drop_id}
    cur.execute(
        "UPDATE responses SET organisation_id = $keep WHERE organisation_id = $drop", params
    )
    cur.execute(
        """INSERT INTO invitations
           SELECT campaign_id, $keep, invited_at, invited_by FROM invitations
           WHERE organisation_id = $drop ON CONFLICT DO NOTHING""",
        params,
    )
    cur.execute("DELETE FROM invitations WHERE organisation_id = ?", [drop_id])
    cur.execute("UPDATE accounts SET organisation_id = $keep WHERE organisation_id = $drop", params)
    cur.execute(
        "UPDATE correction_requests SET organisation_id = $keep WHERE organisation_id = $drop",
        params,
    )
    _move_mail_records(cur, params)
    cur.execute("DELETE FROM organisations WHERE id = ?", [drop_id])


def _move_mail_records(cur: Cursor, params: dict[str, str]) -> None:
    """Mail history and settings follow the kept record: who was invited or reminded
    (one row per campaign, kind and day: the kept record's wins), pending approvals, the
    outbox; the dropped record's reminder preference goes (the kept one's stays)."""
    cur.execute(
        """INSERT INTO campaign_contacts
           SELECT campaign_id, $keep, kind, contacted_on, contacted_at, contacted_by, messages
           FROM campaign_contacts WHERE organisation_id = $drop ON CONFLICT DO NOTHING""",
        params,
    )
    drop = {"drop": params["drop"]}
    cur.execute("DELETE FROM campaign_contacts WHERE organisation_id = $drop", drop)
    cur.execute(
        "UPDATE membership_requests SET organisation_id = $keep WHERE organisation_id = $drop",
        params,
    )
    cur.execute("UPDATE outbox SET organisation_id = $keep WHERE organisation_id = $drop", params)
    cur.execute("DELETE FROM organisation_mail_prefs WHERE organisation_id = $drop", drop)
