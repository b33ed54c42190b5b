"""Organisations invited to answer a campaign (the base of the participation rate).

A repository: `opp.services.invitations` checks who may invite and whom; `actor` only
names who invites in the rows and the audit log."""

from __future__ import annotations

from typing import Any

from opp import clock
from opp.store import audit
from opp.store.db import Store
from opp.store.records import Actor


def invite(store: Store, actor: Actor, campaign_id: str, organisation_ids: list[str]) -> int:
    """Invite organisations (checked by the caller); returns how many were new."""
    added = 0
    with store.transaction() as cur:
        for organisation_id in organisation_ids:
            inserted = cur.execute(
                "INSERT INTO invitations VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING "
                "RETURNING organisation_id",
                [campaign_id, organisation_id, clock.now(), actor.actor],
            ).fetchall()
            added += len(inserted)  # an organisation already invited is left as it was
        audit.record(cur, actor, "campaign.invite", "campaign", campaign_id, {"count": added})
    store.bump()
    return added


def invite_all(store: Store, actor: Actor, campaign_id: str, filiere: str) -> int:
    """Invite every active organisation of `filiere` (the campaign's) not yet invited;
    returns how many (archived structures are left out).

    One INSERT … SELECT: a regional roll-out invites tens of thousands of structures."""
    with store.transaction() as cur:
        inserted = cur.execute(
            """INSERT INTO invitations
               SELECT ?, o.id, ?, ? FROM organisations o
               WHERE list_contains(o.filieres, ?) AND o.archived_at IS NULL
               ON CONFLICT DO NOTHING RETURNING organisation_id""",
            [campaign_id, clock.now(), actor.actor, filiere],
        ).fetchall()
        added = len(inserted)
        audit.record(
            cur, actor, "campaign.invite", "campaign", campaign_id, {"count": added, "all": True}
        )
    store.bump()
    return added


def status_counts(store: Store, campaign_id: str) -> dict[str, int]:
    """How many invited organisations are at each answer status (not started, draft,
    submitted)."""
    rows = (
        store.cursor()
        .execute(
            """SELECT coalesce(r.status, 'non_commence') AS status, count(*)
           FROM invitations i LEFT JOIN responses r ON r.campaign_id = i.campaign_id
                                AND r.organisation_id = i.organisation_id
           WHERE i.campaign_id = ? GROUP BY 1""",
            [campaign_id],
        )
        .fetchall()
    )
    return {status: int(n) for status, n in rows}


def for_campaign(store: Store, campaign_id: str) -> list[dict[str, Any]]:
    """Invited organisations with their answer status."""
    cur = store.cursor()
    rows = cur.execute(
        """SELECT o.id, o.name, o.departement, o.structure_type, i.invited_at,
                  coalesce(r.status, 'non_commence') AS status
           FROM invitations i JOIN organisations o ON o.id = i.organisation_id
           LEFT JOIN responses r ON r.campaign_id = i.campaign_id
                                AND r.organisation_id = i.organisation_id
           WHERE i.campaign_id = ? ORDER BY o.name""",
        [campaign_id],
    ).fetchall()
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in rows]
