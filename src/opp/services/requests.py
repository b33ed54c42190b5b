"""Account requests from a network's public link (musicians answering the artists'
questionnaire): anyone may ask; the filière's coordinators (or the agency) accept or
decline; the requester is told by mail. Nothing exists for the requester before
acceptance — no account, no organisation — so a request reveals and opens nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from opp import clock, geo
from opp.access.policy import Action, Resource, may, require
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.i18n import language as i18n_language
from opp.i18n import texts
from opp.mail import queue
from opp.referentiel import FILIERES
from opp.services import auth, organisations, questionnaires
from opp.services.membership import invitation_params_for
from opp.store import account_requests, accounts, audit
from opp.store.account_requests import AccountRequest
from opp.store.db import Store

MAX_PER_CLIENT_HOUR = 5
MESSAGE_LIMIT = 1000
ANONYMOUS = Viewer(role=Role.CONTRIBUTEUR, account_id="anonyme")
SYSTEM = Viewer(role=Role.ADMIN, account_id="system")


def open_filieres(store: Store) -> list[str]:
    """Filières that take requests: those with a published questionnaire for artists."""
    found = {
        v["filiere"]
        for v in questionnaires.list_versions(store, SYSTEM)
        if v.get("audience") == "artiste"
    }
    return [f for f in FILIERES if f in found]


def submit(
    store: Store,
    *,
    filiere: str,
    email: str,
    display_name: str,
    commune: str | None,
    message: str,
    language: str,
    client: str,
) -> None:
    """Record a request. The visitor sees the same answer whether or not an account or an
    earlier request exists for the address (nothing to learn from the form)."""
    if filiere not in open_filieres(store):
        raise OppError("REQUEST_CLOSED")
    address = auth.check_email(email)
    name = " ".join((display_name or "").split())[:120]
    if len(name) < 2:
        raise OppError("REQUEST_NAME")
    if commune and commune not in geo.communes():
        raise OppError("COMMUNE_UNKNOWN", value=commune[:10])
    now = clock.now()
    if account_requests.recent_from(store, client, now - dt.timedelta(hours=1)) >= (
        MAX_PER_CLIENT_HOUR
    ):
        raise OppError("REQUEST_TOO_MANY")
    if account_requests.pending_for_email(store, filiere, address):
        return
    request = AccountRequest(
        id=uuid.uuid4().hex,
        filiere=filiere,
        email=address,
        display_name=name,
        commune=commune or None,
        message=(message or "").strip()[:MESSAGE_LIMIT] or None,
        language=i18n_language(language),
        client_key=client[:200],
        created_at=now,
        status="pending",
        decided_by=None,
        decided_at=None,
        reason=None,
        account_id=None,
    )
    with store.transaction() as cur:
        account_requests.insert(cur, request)
        audit.record(cur, ANONYMOUS, "account_request.create", "account_request", request.id)


def may_decide(viewer: Viewer, filiere: str) -> bool:
    """Accept or decline the account requests of this network (filière)?"""
    return may(viewer, Action.DECIDE_REQUEST, Resource(filieres=(filiere,)))


def pending(store: Store, viewer: Viewer) -> list[AccountRequest]:
    require(viewer, Action.DECIDE_REQUEST)
    return [
        r for r in account_requests.listed(store, filiere=None) if may_decide(viewer, r.filiere)
    ]


def _pending_request(store: Store, viewer: Viewer, request_id: str) -> AccountRequest:
    request = account_requests.get(store, request_id)
    if request is None:
        raise OppError("NOT_FOUND", what=texts("what.request"), value=request_id[:40])
    require(viewer, Action.DECIDE_REQUEST, Resource(filieres=(request.filiere,)))
    if request.status != "pending":
        raise OppError("REQUEST_DECIDED")
    return request


def accept(store: Store, viewer: Viewer, request_id: str) -> str:
    """Create the artist (an organisation of type "artiste") and their account, and mail
    the invitation link; returns the new account's id."""
    request = _pending_request(store, viewer, request_id)
    if accounts.by_email(store, request.email) is not None:
        raise OppError("ACCOUNT_EXISTS", value=request.email)
    org = organisations.create(
        store,
        viewer,
        name=request.display_name,
        structure_type="artiste",
        filieres=[request.filiere],
        commune=request.commune,
    )
    account = auth.new_account(
        email=request.email,
        display_name=request.display_name,
        role=Role.CONTRIBUTEUR,
        organisation_id=org.id,
        filiere=request.filiere,
        status="invited",
        language=request.language,
    )
    with store.transaction() as cur:
        if not account_requests.decide(cur, request.id, "accepted", viewer.actor, None, account.id):
            raise OppError("REQUEST_DECIDED")
        accounts.insert_account(cur, account)
        queue.to_account(
            cur,
            account,
            "account_invitation",
            invitation_params_for(viewer, account, org.name),
            created_by=viewer.actor,
            link_kind="invitation",
        )
        audit.record(
            cur,
            viewer,
            "account_request.accepted",
            "account_request",
            request.id,
            {"account": account.id},
        )
    return account.id


def decline(store: Store, viewer: Viewer, request_id: str, reason: str = "") -> None:
    """Decline, with an optional reason that the requester receives by mail."""
    request = _pending_request(store, viewer, request_id)
    text = (reason or "").strip()[:MESSAGE_LIMIT] or None
    with store.transaction() as cur:
        if not account_requests.decide(cur, request.id, "declined", viewer.actor, text, None):
            raise OppError("REQUEST_DECIDED")
        queue.to_address(
            cur,
            request.email,
            request.language,
            "request_declined",
            {
                "name": request.display_name,
                "network": FILIERES[request.filiere],
                "reason": text or "",
            },
            created_by=viewer.actor,
        )
        audit.record(cur, viewer, "account_request.declined", "account_request", request.id)
