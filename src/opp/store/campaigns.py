"""Campaigns: a filière asks a questionnaire version about a reference year."""

from __future__ import annotations

import datetime as dt
import uuid

from opp import clock
from opp.access.policy import Action, Resource, require
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.i18n import texts
from opp.store import audit, releases
from opp.store.db import Store
from opp.store.records import Campaign, fetch_all, fetch_one, single

_COLUMNS = (
    "id, filiere, questionnaire_id, questionnaire_version, reference_year, title_fr, "
    "title_en, opens_on, closes_on, created_at"
)


def create(
    store: Store,
    viewer: Viewer,
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
    require(viewer, Action.MANAGE_CAMPAIGNS, Resource(filieres=(filiere,)))
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
        audit.record(cur, viewer, "campaign.create", "campaign", campaign.id)
    store.campaigns_written()
    store.bump()
    return campaign


def drafts_count(store: Store, viewer: Viewer, campaign_id: str) -> int:
    """Drafts that closing the campaign would freeze (never submitted, read-only after)."""
    campaign = get(store, viewer, campaign_id)
    require(viewer, Action.MANAGE_CAMPAIGNS, Resource(filieres=(campaign.filiere,)))
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
    store: Store, viewer: Viewer, campaign_id: str, *, expected_drafts: int | None = None
) -> Campaign:
    """Close a campaign today (answers become read-only; corrections go through requests)
    and publish the release that makes its figures final (`releases.publish_after_close`).

    `expected_drafts`: how many drafts the person was told would be frozen; if that
    changed meanwhile, nothing is closed and they are told again."""
    campaign = get(store, viewer, campaign_id)
    require(viewer, Action.MANAGE_CAMPAIGNS, Resource(filieres=(campaign.filiere,)))
    today = clock.today()
    if campaign.state(today) == "closed":
        return campaign  # closed already: nothing to freeze
    yesterday = today - dt.timedelta(days=1)
    with store.transaction() as cur:
        drafts = single(
            cur.execute(
                "SELECT count(*) FROM responses WHERE campaign_id = ? AND status = 'draft'",
                [campaign_id],
            ).fetchone()
        )[0]
        if expected_drafts is not None and drafts != expected_drafts:
            raise OppError("CAMPAIGN_DRAFTS_CHANGED", expected=expected_drafts, found=drafts)
        cur.execute(
            "UPDATE campaigns SET closes_on = least(closes_on, ?), "
            "opens_on = least(opens_on, ?) WHERE id = ?",
            [yesterday, yesterday, campaign_id],
        )
        audit.record(
            cur,
            viewer,
            "campaign.close",
            "campaign",
            campaign_id,
            {"drafts_frozen": int(drafts), "planned_closing": campaign.closes_on},
        )
    store.campaigns_written()
    store.bump()
    releases.publish_after_close(store)
    return get(store, viewer, campaign_id)


def schedule_close(store: Store, viewer: Viewer, campaign_id: str, closes_on: dt.date) -> Campaign:
    """Set the date after which a campaign is closed (its last day of answers): the
    campaign closes by itself when that day is over, no background job needed."""
    campaign = get(store, viewer, campaign_id)
    require(viewer, Action.MANAGE_CAMPAIGNS, Resource(filieres=(campaign.filiere,)))
    today = clock.today()
    if campaign.state(today) == "closed":
        raise OppError(
            "CAMPAIGN_ALREADY_CLOSED",
            value=campaign.title_fr,
            closed=campaign.closes_on.strftime("%d/%m/%Y"),
        )
    _check_closing(campaign, closes_on, today)
    _set_closing(store, viewer, campaign, closes_on, "campaign.schedule_close")
    return get(store, viewer, campaign_id)


def reopen(store: Store, viewer: Viewer, campaign_id: str, closes_on: dt.date) -> Campaign:
    """Reopen a closed campaign until `closes_on` (the agency, audited): drafts become
    editable again and submitted answers can be corrected directly."""
    campaign = get(store, viewer, campaign_id)
    require(viewer, Action.REOPEN_CAMPAIGN, Resource(filieres=(campaign.filiere,)))
    today = clock.today()
    if campaign.state(today) != "closed":
        raise OppError("CAMPAIGN_NOT_CLOSED", value=campaign.title_fr)
    _check_closing(campaign, closes_on, today)
    _set_closing(store, viewer, campaign, closes_on, "campaign.reopen")
    return get(store, viewer, campaign_id)


def _check_closing(campaign: Campaign, closes_on: dt.date, today: dt.date) -> None:
    if closes_on < today:
        raise OppError("CAMPAIGN_CLOSE_PAST", date=closes_on.strftime("%d/%m/%Y"))
    if closes_on < campaign.opens_on:
        raise OppError(
            "CAMPAIGN_DATES",
            opens=campaign.opens_on.strftime("%d/%m/%Y"),
            closes=closes_on.strftime("%d/%m/%Y"),
        )


def _set_closing(
    store: Store, viewer: Viewer, campaign: Campaign, closes_on: dt.date, action: str
) -> None:
    with store.transaction() as cur:
        cur.execute("UPDATE campaigns SET closes_on = ? WHERE id = ?", [closes_on, campaign.id])
        audit.record(
            cur,
            viewer,
            action,
            "campaign",
            campaign.id,
            {"from": campaign.closes_on, "to": closes_on},
        )
    store.campaigns_written()
    store.bump()


def get(store: Store, viewer: Viewer, campaign_id: str) -> Campaign:
    """Campaigns are public information (title, dates, questionnaire) for every role.

    Kept per store (every save reads its campaign) until a campaign is created or
    closed; only this module writes campaigns, and one process holds the file."""
    require(viewer, Action.READ_CAMPAIGN)
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
    viewer: Viewer,
    *,
    filiere: str | None = None,
    questionnaire_id: str | None = None,
) -> list[Campaign]:
    require(viewer, Action.READ_CAMPAIGN)
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


def open_for(store: Store, viewer: Viewer, filieres: list[str]) -> list[Campaign]:
    """Open campaigns of the given filières today."""
    today = clock.today()
    found = [c for f in filieres for c in list_all(store, viewer, filiere=f)]
    return [c for c in found if c.state(today) == "open"]


def previous(store: Store, viewer: Viewer, campaign: Campaign) -> Campaign | None:
    """The same questionnaire's campaign for the latest earlier reference year."""
    earlier = [
        c
        for c in list_all(store, viewer, questionnaire_id=campaign.questionnaire_id)
        if c.reference_year < campaign.reference_year and c.filiere == campaign.filiere
    ]
    return max(earlier, key=lambda c: c.reference_year, default=None)
