"""Corrections after a campaign closed: the contributor asks, the coordinator decides.

An accepted request opens an edit window on that response (`CORRECTION_WINDOW`); every
request and decision is kept and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from opp import clock
from opp.access.policy import Action, Resource, require, sql_scope
from opp.access.viewer import SYSTEM, Viewer
from opp.errors import OppError
from opp.i18n import LANGUAGES, texts
from opp.mail import queue
from opp.services import campaigns, responses
from opp.store import accounts, audit
from opp.store import corrections as repo
from opp.store.db import Cursor, Store
from opp.store.records import CorrectionRequest

CORRECTION_WINDOW = dt.timedelta(days=14)


def request(store: Store, viewer: Viewer, response_id: str, message: str) -> CorrectionRequest:
    meta = responses.get(store, viewer, response_id)
    require(viewer, Action.REQUEST_CORRECTION, Resource(organisation_id=meta.organisation_id))
    campaign = campaigns.get(store, viewer, meta.campaign_id)
    if campaign.state(clock.today()) != "closed":
        raise OppError("CORRECTION_NOT_NEEDED")
    text = (message or "").strip()
    if len(text) < 10:
        raise OppError("CORRECTION_MESSAGE")
    item = CorrectionRequest(
        id=uuid.uuid4().hex,
        response_id=response_id,
        organisation_id=meta.organisation_id,
        requested_by=viewer.actor,
        message=text[:2000],
        status="pending",
        created_at=clock.now(),
    )
    with store.transaction() as cur:
        repo.insert(cur, item)
        audit.record(cur, viewer, "correction.request", "response", response_id)
    return item


def visible(store: Store, viewer: Viewer) -> list[CorrectionRequest]:
    """A contributor's own requests; a coordinator's filière; everything for the agency."""
    scope, params = sql_scope(viewer, Action.READ_CORRECTIONS, repo.SCOPE_COLUMNS)
    return repo.in_scope(store, scope, params)


def decide(
    store: Store, viewer: Viewer, request_id: str, *, accept: bool, reason: str = ""
) -> CorrectionRequest:
    item = repo.by_id(store, request_id)
    if item is None:
        raise OppError("NOT_FOUND", what=texts("what.request"), value=request_id[:40])
    meta = responses.get(store, SYSTEM, item.response_id)
    campaign = campaigns.get(store, viewer, meta.campaign_id)
    require(viewer, Action.DECIDE_CORRECTION, Resource(filieres=(campaign.filiere,)))
    if item.status != "pending":
        raise OppError("CORRECTION_DECIDED")
    status = "accepted" if accept else "declined"
    until = clock.today() + CORRECTION_WINDOW
    with store.transaction() as cur:
        repo.set_decision(
            cur,
            request_id,
            status,
            decided_by=viewer.actor,
            decided_at=clock.now(),
            reason=(reason or "").strip()[:2000] or None,
        )
        if accept:
            repo.open_edit_window(cur, item.response_id, until)
        audit.record(
            cur,
            viewer,
            f"correction.{status}",
            "response",
            item.response_id,
            {"until": until.isoformat()} if accept else {},
        )
        _mail_decision(cur, viewer, item, campaign, accept, until, reason)
    store.bump()
    decided = repo.by_id(store, request_id)
    assert decided is not None  # read above in the same store, never deleted
    return decided


def _mail_decision(
    cur: Cursor,
    viewer: Viewer,
    item: CorrectionRequest,
    campaign: Any,
    accept: bool,
    until: dt.date,
    reason: str,
) -> None:
    """Whoever asked hears of the decision by mail (the organisation's members if that
    account is gone); the mail names the campaign, never the answers."""
    requester = accounts.by_id_in(cur, item.requested_by)
    recipients = (
        [requester] if requester is not None else accounts.active_in(cur, item.organisation_id)
    )
    for account in recipients:
        queue.to_account(
            cur,
            account,
            "correction_decision",
            {
                "campaign": {lang: campaign.title(lang) for lang in LANGUAGES},
                "accepted": accept,
                "until": until.strftime("%d/%m/%Y"),
                "reason": (reason or "").strip()[:2000],
            },
            created_by=viewer.actor,
            path="mydata",
        )
