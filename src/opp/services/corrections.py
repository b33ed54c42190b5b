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
from opp.mail import queue
from opp.services import responses
from opp.store import accounts, audit, campaigns
from opp.store.db import Store
from opp.store.records import CorrectionRequest, fetch_all, fetch_one

CORRECTION_WINDOW = dt.timedelta(days=14)
_COLUMNS = (
    "id, response_id, organisation_id, requested_by, message, status, created_at, "
    "decided_by, decided_at, decision_reason"
)


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
        cur.execute(
            f"INSERT INTO correction_requests ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(item.model_dump().values()),
        )
        audit.record(cur, viewer, "correction.request", "response", response_id)
    return item


def visible(store: Store, viewer: Viewer) -> list[CorrectionRequest]:
    """A contributor's own requests; a coordinator's filière; everything for the agency."""
    columns = ", ".join("q." + c.strip() for c in _COLUMNS.split(","))
    scope, params = sql_scope(
        viewer,
        Action.READ_CORRECTIONS,
        {"organisation": "q.organisation_id", "filiere": "c.filiere"},
    )
    sql = (
        f"SELECT {columns} FROM correction_requests q"
        " LEFT JOIN responses r ON r.id = q.response_id"
        " LEFT JOIN campaigns c ON c.id = r.campaign_id"
        f" WHERE {scope} ORDER BY q.created_at DESC"
    )
    return fetch_all(store.cursor(), CorrectionRequest, sql, params)


def decide(
    store: Store, viewer: Viewer, request_id: str, *, accept: bool, reason: str = ""
) -> CorrectionRequest:
    item = fetch_one(
        store.cursor(),
        CorrectionRequest,
        f"SELECT {_COLUMNS} FROM correction_requests WHERE id = ?",
        [request_id],
    )
    if item is None:
        raise OppError("NOT_FOUND", what={"fr": "Demande", "en": "Request"}, value=request_id[:40])
    meta = responses.get(store, SYSTEM, item.response_id)
    campaign = campaigns.get(store, viewer, meta.campaign_id)
    require(viewer, Action.DECIDE_CORRECTION, Resource(filieres=(campaign.filiere,)))
    if item.status != "pending":
        raise OppError("CORRECTION_DECIDED")
    status = "accepted" if accept else "declined"
    until = clock.today() + CORRECTION_WINDOW
    with store.transaction() as cur:
        cur.execute(
            "UPDATE correction_requests SET status = ?, decided_by = ?, decided_at = ?, "
            "decision_reason = ? WHERE id = ?",
            [status, viewer.actor, clock.now(), (reason or "").strip()[:2000] or None, request_id],
        )
        if accept:
            cur.execute(
                "UPDATE responses SET edit_until = ? WHERE id = ?", [until, item.response_id]
            )
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
    decided = fetch_one(
        store.cursor(),
        CorrectionRequest,
        f"SELECT {_COLUMNS} FROM correction_requests WHERE id = ?",
        [request_id],
    )
    assert decided is not None  # read above in the same store, never deleted
    return decided


def _mail_decision(
    cur: Any,
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
                "campaign": {"fr": campaign.title("fr"), "en": campaign.title("en")},
                "accepted": accept,
                "until": until.strftime("%d/%m/%Y"),
                "reason": (reason or "").strip()[:2000],
            },
            created_by=viewer.actor,
            path="mydata",
        )
