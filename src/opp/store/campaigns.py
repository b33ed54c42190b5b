"""Campaigns: a filière asks a questionnaire version about a reference year.

A repository: no viewer, no permission (`opp.services.campaigns` checks them and says
when a date is refused); `actor` only names who acts in the audit log."""

from __future__ import annotations

import datetime as dt
import uuid

from opp import clock
from opp.errors import OppError
from opp.i18n import texts
from opp.store import audit
from opp.store.db import Store
from opp.store.records import Actor, Campaign, fetch_all, fetch_one, single

_COLUMNS = (
    "id, filiere, questionnaire_id, questionnaire_version, reference_year, title_fr, "
    "title_en, opens_on, closes_on, created_at"
)


def create(
    store: Store,
    actor: Actor,
    *,
    filiere: str,
    questionnaire_id: str,
    questionnaire_version: str,
    reference_year: int,
    title_fr: str,
    title_en: str | None,
    opens_on: dt.date,
    closes_on: dt.date,
    campaign_id: str | None = None,
) -> Campaign:
    if closes_on < opens_on:
        raise OppError(
            "CAMPAIGN_DATES",
            opens=opens_on.strftime("%d/%m/%Y"),
            closes=closes_on.strftime("%d/%m/%Y"),
        )
    campaign = Campaign(
        id=campaign_id or uuid.uuid4().hex,
        filiere=filiere,
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire_version,
        reference_year=reference_year,
        title_fr=title_fr,
        title_en=title_en,
        opens_on=opens_on,
        closes_on=closes_on,
        created_at=clock.now(),
    )
    with store.transaction() as cur:
        exists = cur.execute(
            "SELECT filiere FROM questionnaire_versions WHERE questionnaire_id = ? AND version = ?",
            [questionnaire_id, questionnaire_version],
        ).fetchone()
        if not exists:
            raise OppError(
                "NOT_FOUND",
                what=texts("what.questionnaire"),
                value=f"{questionnaire_id}@{questionnaire_version}",
            )
        if exists[0] != filiere:  # a filière's campaign asks its own questionnaire
            raise OppError(
                "CAMPAIGN_QUESTIONNAIRE_FILIERE",
                questionnaire=questionnaire_id,
                questionnaire_filiere=exists[0],
                filiere=filiere,
            )
        cur.execute(
            f"INSERT INTO campaigns ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*campaign.model_dump().values()],
        )
        audit.record(cur, actor, "campaign.create", "campaign", campaign.id)
    store.campaigns_written()
    store.bump()
    return campaign


def drafts_count(store: Store, campaign_id: str) -> int:
    """Drafts that closing the campaign would freeze (never submitted, read-only after)."""
    row = (
        store.cursor()
        .execute(
            "SELECT count(*) FROM responses WHERE campaign_id = ? AND status = 'draft'",
            [campaign_id],
        )
        .fetchone()
    )
    return int(single(row)[0])


def close(
    store: Store, actor: Actor, campaign: Campaign, *, expected_drafts: int | None = None
) -> None:
    """Close a campaign today: its last day of answers becomes yesterday (answers become
    read-only). `expected_drafts`: how many drafts the person was told would be frozen;
    if that changed meanwhile, nothing is closed (`CAMPAIGN_DRAFTS_CHANGED`)."""
    yesterday = clock.today() - dt.timedelta(days=1)
    with store.transaction() as cur:
        drafts = single(
            cur.execute(
                "SELECT count(*) FROM responses WHERE campaign_id = ? AND status = 'draft'",
                [campaign.id],
            ).fetchone()
        )[0]
        if expected_drafts is not None and drafts != expected_drafts:
            raise OppError("CAMPAIGN_DRAFTS_CHANGED", expected=expected_drafts, found=drafts)
        cur.execute(
            "UPDATE campaigns SET closes_on = least(closes_on, ?), "
            "opens_on = least(opens_on, ?) WHERE id = ?",
            [yesterday, yesterday, campaign.id],
        )
        audit.record(
            cur,
            actor,
            "campaign.close",
            "campaign",
            campaign.id,
            {"drafts_frozen": int(drafts), "planned_closing": campaign.closes_on},
        )
    store.campaigns_written()
    store.bump()


def set_closing(
    store: Store, actor: Actor, campaign: Campaign, closes_on: dt.date, action: str
) -> None:
    """Move a campaign's last day of answers (audited as `action`: scheduled closing,
    reopening); the campaign closes by itself when that day is over."""
    with store.transaction() as cur:
        cur.execute("UPDATE campaigns SET closes_on = ? WHERE id = ?", [closes_on, campaign.id])
        audit.record(
            cur,
            actor,
            action,
            "campaign",
            campaign.id,
            {"from": campaign.closes_on, "to": closes_on},
        )
    store.campaigns_written()
    store.bump()


def get(store: Store, campaign_id: str) -> Campaign:
    """One campaign (`NOT_FOUND` when there is none).

    Kept per store (every save reads its campaign) until a campaign is created or
    closed; only this module writes campaigns, and one process holds the file."""
    changed = store.campaigns_changed
    known = store.campaign_rows.get(campaign_id)
    if known is not None and known[0] == changed:
        return known[1]
    found = fetch_one(
        store.cursor(), Campaign, f"SELECT {_COLUMNS} FROM campaigns WHERE id = ?", [campaign_id]
    )
    if found is None:
        raise OppError("NOT_FOUND", what=texts("what.campaign"), value=campaign_id)
    store.campaign_rows[campaign_id] = (changed, found)
    return found


def versions_asked(store: Store) -> list[tuple[int, str, str, str]]:
    """(reference year, filière, questionnaire, version) of every campaign, by year."""
    rows = (
        store.cursor()
        .execute(
            "SELECT reference_year, filiere, questionnaire_id, questionnaire_version "
            "FROM campaigns ORDER BY reference_year, questionnaire_id, questionnaire_version"
        )
        .fetchall()
    )
    return [(int(y), str(f), str(q), str(v)) for y, f, q, v in rows]


def list_all(
    store: Store,
    *,
    filiere: str | None = None,
    questionnaire_id: str | None = None,
) -> list[Campaign]:
    sql = f"SELECT {_COLUMNS} FROM campaigns"
    clauses, params = [], []
    if filiere:
        clauses.append("filiere = ?")
        params.append(filiere)
    if questionnaire_id:
        clauses.append("questionnaire_id = ?")
        params.append(questionnaire_id)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY reference_year DESC, filiere, questionnaire_id"
    return fetch_all(store.cursor(), Campaign, sql, params)


def open_for(store: Store, filieres: list[str]) -> list[Campaign]:
    """Open campaigns of the given filières today."""
    today = clock.today()
    found = [c for f in filieres for c in list_all(store, filiere=f)]
    return [c for c in found if c.state(today) == "open"]


def previous(store: Store, campaign: Campaign) -> Campaign | None:
    """The same questionnaire's campaign for the latest earlier reference year."""
    earlier = [
        c
        for c in list_all(store, questionnaire_id=campaign.questionnaire_id)
        if c.reference_year < campaign.reference_year and c.filiere == campaign.filiere
    ]
    return max(earlier, key=lambda c: c.reference_year, default=None)
