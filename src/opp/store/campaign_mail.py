"""Who was invited to or reminded of a campaign by mail, reminder schedules and
organisations' mail preferences (persistence only; rules in `opp.mail.campaign`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pyarrow as pa

from opp import clock
from opp.store.db import Store

# Accounts that receive an organisation's campaign mail: invited or active, never demo.
_RECIPIENT = "a.status IN ('active', 'invited') AND NOT a.demo"


def _rows(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    found = cur.execute(sql, params).fetchall()
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in found]


def _id_filter(organisation_ids: list[str] | None) -> tuple[str, list[Any]]:
    if organisation_ids is None:
        return "", []
    if not organisation_ids:
        return " AND FALSE", []
    marks = ", ".join("?" for _ in organisation_ids)
    return f" AND i.organisation_id IN ({marks})", list(organisation_ids)


def not_yet_mailed(
    store: Store, campaign_id: str, organisation_ids: list[str] | None
) -> list[dict[str, Any]]:
    """Invited organisations never sent this campaign's invitation mail, one row per
    receiving account (account columns NULL when it has none), with the directory
    address."""
    extra, params = _id_filter(organisation_ids)
    return _rows(
        store.cursor(),
        f"""SELECT i.organisation_id, o.name AS org_name, o.email AS org_email,
                   a.id AS account_id, a.email, a.display_name, a.status, a.language
            FROM invitations i JOIN organisations o ON o.id = i.organisation_id
            LEFT JOIN accounts a ON a.organisation_id = o.id AND {_RECIPIENT}
            WHERE i.campaign_id = ?{extra}
              AND NOT EXISTS (SELECT 1 FROM campaign_contacts c
                  WHERE c.campaign_id = i.campaign_id AND c.organisation_id = i.organisation_id
                    AND c.kind = 'invitation')
            ORDER BY o.name, a.created_at""",
        [campaign_id, *params],
    )


def count_not_mailed(store: Store, campaign_id: str) -> int:
    row = (
        store.cursor()
        .execute(
            """SELECT count(*) FROM invitations i WHERE i.campaign_id = ?
               AND NOT EXISTS (SELECT 1 FROM campaign_contacts c
                   WHERE c.campaign_id = i.campaign_id AND c.organisation_id = i.organisation_id
                     AND c.kind = 'invitation')""",
            [campaign_id],
        )
        .fetchone()
    )
    return int(row[0]) if row else 0


def to_remind(store: Store, campaign_id: str) -> list[dict[str, Any]]:
    """Invited organisations that have not submitted, want reminders and were not
    reminded today, one row per receiving account."""
    return _rows(
        store.cursor(),
        f"""SELECT i.organisation_id, o.name AS org_name, coalesce(r.status, 'none') AS status,
                   a.id AS account_id, a.email, a.display_name, a.status AS account_status,
                   a.language
            FROM invitations i JOIN organisations o ON o.id = i.organisation_id
            JOIN accounts a ON a.organisation_id = o.id AND {_RECIPIENT}
            LEFT JOIN responses r ON r.campaign_id = i.campaign_id
                                 AND r.organisation_id = i.organisation_id
            LEFT JOIN organisation_mail_prefs p ON p.organisation_id = i.organisation_id
            WHERE i.campaign_id = ? AND coalesce(r.status, '') <> 'submitted'
              AND coalesce(p.reminders, TRUE)
              AND NOT EXISTS (SELECT 1 FROM campaign_contacts c
                  WHERE c.campaign_id = i.campaign_id AND c.organisation_id = i.organisation_id
                    AND c.kind = 'reminder' AND c.contacted_on = ?)
            ORDER BY o.name, a.created_at""",
        [campaign_id, clock.today()],
    )


def record_contacts(
    cur: duckdb.DuckDBPyConnection,
    campaign_id: str,
    kind: str,
    messages_by_org: dict[str, int],
    by: str,
) -> set[str]:
    """Record that these organisations were contacted today; returns those recorded now
    (an organisation already contacted today for `kind` is left out: one a day)."""
    if not messages_by_org:
        return set()
    batch = pa.table(
        {
            "organisation_id": list(messages_by_org),
            "messages": list(messages_by_org.values()),
        },
        schema=pa.schema([("organisation_id", pa.string()), ("messages", pa.int32())]),
    )
    cur.register("_contacts", batch)
    try:
        rows = cur.execute(
            "INSERT INTO campaign_contacts SELECT ?, organisation_id, ?, ?, ?, ?, messages "
            "FROM _contacts ON CONFLICT DO NOTHING RETURNING organisation_id",
            [campaign_id, kind, clock.today(), clock.now(), by],
        ).fetchall()
    finally:
        cur.unregister("_contacts")
    return {r[0] for r in rows}


def set_schedule(
    cur: duckdb.DuckDBPyConnection, campaign_id: str, days: list[int], by: str
) -> None:
    """Scheduled reminders: those not yet run are replaced; those done are kept."""
    cur.execute(
        "DELETE FROM campaign_reminders WHERE campaign_id = ? AND done_at IS NULL", [campaign_id]
    )
    for day in days:
        cur.execute(
            "INSERT INTO campaign_reminders VALUES (?, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING",
            [campaign_id, day, by],
        )


def schedule(store: Store, campaign_id: str) -> list[dict[str, Any]]:
    return _rows(
        store.cursor(),
        "SELECT days_before, done_at, reminded FROM campaign_reminders WHERE campaign_id = ? "
        "ORDER BY days_before DESC",
        [campaign_id],
    )


def due_reminders(store: Store, today: dt.date) -> list[dict[str, Any]]:
    """Scheduled reminders whose day has come and that have not run."""
    return _rows(
        store.cursor(),
        """SELECT s.campaign_id, s.days_before FROM campaign_reminders s
           JOIN campaigns c ON c.id = s.campaign_id
           WHERE s.done_at IS NULL AND c.closes_on - s.days_before <= ?
           ORDER BY s.campaign_id, s.days_before DESC""",
        [today],
    )


def mark_done(cur: duckdb.DuckDBPyConnection, campaign_id: str, days: int, reminded: int) -> bool:
    rows = cur.execute(
        "UPDATE campaign_reminders SET done_at = ?, reminded = ? "
        "WHERE campaign_id = ? AND days_before = ? AND done_at IS NULL RETURNING campaign_id",
        [clock.now(), reminded, campaign_id, days],
    ).fetchall()
    return bool(rows)


def set_reminders(store: Store, organisation_id: str, enabled: bool, by: str) -> None:
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO organisation_mail_prefs VALUES (?, ?, ?, ?) "
            "ON CONFLICT (organisation_id) DO UPDATE SET reminders = excluded.reminders, "
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [organisation_id, enabled, clock.now(), by],
        )


def reminders_enabled(store: Store, organisation_id: str) -> bool:
    row = (
        store.cursor()
        .execute(
            "SELECT reminders FROM organisation_mail_prefs WHERE organisation_id = ?",
            [organisation_id],
        )
        .fetchone()
    )
    return True if row is None else bool(row[0])


def per_organisation(store: Store, campaign_id: str) -> list[dict[str, Any]]:
    """Each invited organisation: invited, mailed, reminded (dates), answer status."""
    return _rows(
        store.cursor(),
        """SELECT o.id, o.name, o.commune, i.invited_at,
                  (SELECT max(c.contacted_at) FROM campaign_contacts c
                    WHERE c.campaign_id = i.campaign_id AND c.organisation_id = o.id
                      AND c.kind = 'invitation') AS mailed_at,
                  (SELECT list(c.contacted_on ORDER BY c.contacted_on) FROM campaign_contacts c
                    WHERE c.campaign_id = i.campaign_id AND c.organisation_id = o.id
                      AND c.kind = 'reminder') AS reminded_on,
                  coalesce(r.status, 'non_commence') AS status, r.submitted_at,
                  coalesce(p.reminders, TRUE) AS reminders,
                  (o.email IS NOT NULL OR EXISTS (SELECT 1 FROM accounts a
                    WHERE a.organisation_id = o.id AND a.status IN ('active', 'invited')
                      AND NOT a.demo)) AS reachable
           FROM invitations i JOIN organisations o ON o.id = i.organisation_id
           LEFT JOIN responses r ON r.campaign_id = i.campaign_id
                                AND r.organisation_id = i.organisation_id
           LEFT JOIN organisation_mail_prefs p ON p.organisation_id = o.id
           WHERE i.campaign_id = ? ORDER BY o.name, o.id""",
        [campaign_id],
    )


def daily_counts(store: Store, campaign_id: str) -> tuple[dict[dt.date, int], dict[dt.date, int]]:
    """(invitations per day, first submissions per day) of a campaign."""
    cur = store.cursor()
    invited = cur.execute(
        "SELECT CAST(invited_at AS DATE), count(*) FROM invitations WHERE campaign_id = ? "
        "GROUP BY 1",
        [campaign_id],
    ).fetchall()
    submitted = cur.execute(
        "SELECT CAST(submitted_at AS DATE), count(*) FROM responses WHERE campaign_id = ? "
        "AND status = 'submitted' AND submitted_at IS NOT NULL GROUP BY 1",
        [campaign_id],
    ).fetchall()
    return {d: int(n) for d, n in invited}, {d: int(n) for d, n in submitted}


def existing_emails(store: Store, emails: list[str]) -> set[str]:
    if not emails:
        return set()
    marks = ", ".join("?" for _ in emails)
    rows = (
        store.cursor()
        .execute(f"SELECT lower(email) FROM accounts WHERE lower(email) IN ({marks})", emails)
        .fetchall()
    )
    return {r[0] for r in rows}
