"""Campaign use cases: create, close, schedule, reopen, and the reads behind them.

Each function checks the viewer against the policy (`READ_CAMPAIGN`, `MANAGE_CAMPAIGNS`
on the campaign's filière, `REOPEN_CAMPAIGN`) and the dates, then calls the repository
(`opp.store.campaigns`), which takes no viewer.
"""

from __future__ import annotations

import datetime as dt

from opp import clock
from opp.access.policy import Action, Resource, require
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.store import campaigns as repo
from opp.store import releases
from opp.store.db import Store
from opp.store.records import Campaign

__all__ = [
    "Campaign",
    "close",
    "create",
    "drafts_count",
    "get",
    "list_all",
    "open_for",
    "previous",
    "reopen",
    "schedule_close",
    "versions_asked",
]


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
    """A new campaign of `filiere` (the agency: any; a coordinator: their own)."""
    require(viewer, Action.MANAGE_CAMPAIGNS, Resource(filieres=(filiere,)))
    return repo.create(
        store,
        viewer,
        filiere=filiere,
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire_version,
        reference_year=reference_year,
        title_fr=title_fr,
        title_en=title_en,
        opens_on=opens_on,
        closes_on=closes_on,
        campaign_id=campaign_id,
    )


def get(store: Store, viewer: Viewer, campaign_id: str) -> Campaign:
    """Campaigns are public information (title, dates, questionnaire) for every role."""
    require(viewer, Action.READ_CAMPAIGN)
    return repo.get(store, campaign_id)


def list_all(
    store: Store,
    viewer: Viewer,
    *,
    filiere: str | None = None,
    questionnaire_id: str | None = None,
) -> list[Campaign]:
    """Every campaign (of one filière, of one questionnaire), latest year first."""
    require(viewer, Action.READ_CAMPAIGN)
    return repo.list_all(store, filiere=filiere, questionnaire_id=questionnaire_id)


def open_for(store: Store, viewer: Viewer, filieres: list[str]) -> list[Campaign]:
    """Open campaigns of the given filières today."""
    require(viewer, Action.READ_CAMPAIGN)
    return repo.open_for(store, filieres)


def previous(store: Store, viewer: Viewer, campaign: Campaign) -> Campaign | None:
    """The same questionnaire's campaign for the latest earlier reference year."""
    require(viewer, Action.READ_CAMPAIGN)
    return repo.previous(store, campaign)


def versions_asked(store: Store) -> list[tuple[int, str, str, str]]:
    """(reference year, filière, questionnaire, version) of every campaign, by year
    (public: the co-design page lists them)."""
    return repo.versions_asked(store)


def _managed(store: Store, viewer: Viewer, campaign_id: str, action: Action) -> Campaign:
    campaign = get(store, viewer, campaign_id)
    require(viewer, action, Resource(filieres=(campaign.filiere,)))
    return campaign


def drafts_count(store: Store, viewer: Viewer, campaign_id: str) -> int:
    """Drafts that closing the campaign would freeze (never submitted, read-only after)."""
    _managed(store, viewer, campaign_id, Action.MANAGE_CAMPAIGNS)
    return repo.drafts_count(store, campaign_id)


def close(
    store: Store, viewer: Viewer, campaign_id: str, *, expected_drafts: int | None = None
) -> Campaign:
    """Close a campaign today (answers become read-only; corrections go through requests)
    and publish the release that makes its figures final (`releases.publish_after_close`).

    `expected_drafts`: how many drafts the person was told would be frozen; if that
    changed meanwhile, nothing is closed and they are told again."""
    campaign = _managed(store, viewer, campaign_id, Action.MANAGE_CAMPAIGNS)
    if campaign.state(clock.today()) == "closed":
        return campaign  # closed already: nothing to freeze
    repo.close(store, viewer, campaign, expected_drafts=expected_drafts)
    releases.publish_after_close(store)
    return repo.get(store, campaign_id)


def schedule_close(store: Store, viewer: Viewer, campaign_id: str, closes_on: dt.date) -> Campaign:
    """Set the date after which a campaign is closed (its last day of answers): the
    campaign closes by itself when that day is over, no background job needed."""
    campaign = _managed(store, viewer, campaign_id, Action.MANAGE_CAMPAIGNS)
    today = clock.today()
    if campaign.state(today) == "closed":
        raise OppError(
            "CAMPAIGN_ALREADY_CLOSED",
            value=campaign.title_fr,
            closed=campaign.closes_on.strftime("%d/%m/%Y"),
        )
    _check_closing(campaign, closes_on, today)
    repo.set_closing(store, viewer, campaign, closes_on, "campaign.schedule_close")
    return repo.get(store, campaign_id)


def reopen(store: Store, viewer: Viewer, campaign_id: str, closes_on: dt.date) -> Campaign:
    """Reopen a closed campaign until `closes_on` (the agency, audited): drafts become
    editable again and submitted answers can be corrected directly."""
    campaign = _managed(store, viewer, campaign_id, Action.REOPEN_CAMPAIGN)
    today = clock.today()
    if campaign.state(today) != "closed":
        raise OppError("CAMPAIGN_NOT_CLOSED", value=campaign.title_fr)
    _check_closing(campaign, closes_on, today)
    repo.set_closing(store, viewer, campaign, closes_on, "campaign.reopen")
    return repo.get(store, campaign_id)


def _check_closing(campaign: Campaign, closes_on: dt.date, today: dt.date) -> None:
    if closes_on < today:
        raise OppError("CAMPAIGN_CLOSE_PAST", date=closes_on.strftime("%d/%m/%Y"))
    if closes_on < campaign.opens_on:
        raise OppError(
            "CAMPAIGN_DATES",
            opens=campaign.opens_on.strftime("%d/%m/%Y"),
            closes=closes_on.strftime("%d/%m/%Y"),
        )
