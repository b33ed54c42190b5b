"""Inviting organisations to a campaign: who may (`INVITE_ORGANISATIONS` on the
campaign's filière) and whom (organisations the viewer may read, of the campaign's
filière, not archived); the rows are written by `opp.store.invitations`."""

from __future__ import annotations

from typing import Any

from opp.access.policy import Action, Resource, forbidden, require
from opp.access.viewer import Viewer
from opp.services import campaigns, organisations
from opp.store import invitations as repo
from opp.store.db import Store
from opp.store.records import Campaign


def _campaign(store: Store, viewer: Viewer, campaign_id: str) -> Campaign:
    campaign = campaigns.get(store, viewer, campaign_id)
    require(viewer, Action.INVITE_ORGANISATIONS, Resource(filieres=(campaign.filiere,)))
    return campaign


def invite(store: Store, viewer: Viewer, campaign_id: str, organisation_ids: list[str]) -> int:
    """Invite organisations of the campaign's filière; returns how many were new. One
    organisation refused (out of scope, another filière, archived): none is invited."""
    campaign = _campaign(store, viewer, campaign_id)
    for organisation_id in organisation_ids:
        org = organisations.get(store, viewer, organisation_id)
        if campaign.filiere not in org.filieres:  # for anyone: not the campaign's public
            raise forbidden(viewer, Action.INVITE_ORGANISATIONS)
        organisations.require_active(org)
    return repo.invite(store, viewer, campaign_id, organisation_ids)


def invite_all(store: Store, viewer: Viewer, campaign_id: str) -> int:
    """Invite every active organisation of the campaign's filière not yet invited;
    returns how many (archived structures are left out)."""
    campaign = _campaign(store, viewer, campaign_id)
    return repo.invite_all(store, viewer, campaign_id, campaign.filiere)


def status_counts(store: Store, viewer: Viewer, campaign_id: str) -> dict[str, int]:
    """How many invited organisations are at each answer status (not started, draft,
    submitted)."""
    _campaign(store, viewer, campaign_id)
    return repo.status_counts(store, campaign_id)


def for_campaign(store: Store, viewer: Viewer, campaign_id: str) -> list[dict[str, Any]]:
    """Invited organisations with their answer status (coordinators of the filière, admin)."""
    _campaign(store, viewer, campaign_id)
    return repo.for_campaign(store, campaign_id)
