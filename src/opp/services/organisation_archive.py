"""Retiring a structure: archive it (it leaves the invitation choosers and the pending
invitations of running campaigns; responses, accounts and past invitations stay, so past
figures do not change), restore it, or delete one created by mistake — never one with
responses (archive it) nor with people's accounts (their erasure goes through Mes
données). The agency, or the coordinator of the structure's only filière; audited."""

from __future__ import annotations

from dataclasses import dataclass

from opp import clock
from opp.access.policy import Action, may, require
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.referentiel import FILIERES, label
from opp.services.organisations import get, resource_of
from opp.store import audit
from opp.store import organisation_archive as repo
from opp.store.db import Store
from opp.store.records import Organisation


@dataclass(frozen=True)
class Usage:
    """What hangs on a structure: what archiving, deleting or merging would touch."""

    responses: int
    drafts_open: int  # drafts of campaigns still running
    accounts: int
    invitations: int
    invitations_pending: int  # invited to a running campaign, not started


def usage(store: Store, viewer: Viewer, organisation_id: str) -> Usage:
    get(store, viewer, organisation_id)
    return Usage(*repo.usage_counts(store, organisation_id, clock.today()))


def archive(store: Store, viewer: Viewer, organisation_id: str) -> int:
    """Archive a structure: it leaves the choosers and the pending invitations of running
    campaigns (returns how many were withdrawn); responses, accounts and past invitations
    stay, so past figures do not change."""
    org = get(store, viewer, organisation_id)
    _require_retirable(viewer, org)
    if org.archived:
        return 0
    today = clock.today()
    with store.transaction() as cur:
        now = clock.now()
        repo.set_archived(cur, org.id, now, now)
        withdrawn = repo.withdraw_pending_invitations(cur, org.id, today)
        audit.record(
            cur,
            viewer,
            "organisation.archive",
            "organisation",
            org.id,
            {"invitations_withdrawn": withdrawn},
        )
    store.bump()
    return withdrawn


def restore(store: Store, viewer: Viewer, organisation_id: str) -> None:
    """Bring an archived structure back into the choosers (invitations are not restored:
    invite it again where needed)."""
    org = get(store, viewer, organisation_id)
    _require_retirable(viewer, org)
    if not org.archived:
        return
    with store.transaction() as cur:
        repo.set_archived(cur, org.id, None, clock.now())
        audit.record(cur, viewer, "organisation.restore", "organisation", org.id)
    store.bump()


def delete(store: Store, viewer: Viewer, organisation_id: str) -> None:
    """Delete a structure created by mistake: never one with responses (archive it) nor
    with people's accounts (their erasure goes through Mes données)."""
    org = get(store, viewer, organisation_id)
    _require_retirable(viewer, org)
    with store.transaction() as cur:
        responses, people = repo.holdings(cur, org.id)
        if responses:
            raise OppError("ORG_HAS_RESPONSES", name=org.name, count=responses)
        if people:
            raise OppError("ORG_HAS_ACCOUNTS", name=org.name, count=people)
        repo.delete(cur, org.id)
        audit.record(cur, viewer, "organisation.delete", "organisation", org.id)
    store.bump()


def _require_retirable(viewer: Viewer, org: Organisation) -> None:
    if may(viewer, Action.RETIRE_ORGANISATION, resource_of(org)):
        return
    if may(viewer, Action.MANAGE_ORGANISATION, resource_of(org)):
        others = [label(FILIERES, f, "fr") for f in org.filieres if f != viewer.filiere]
        raise OppError("ORG_ARCHIVE_SHARED", name=org.name, others=others)
    require(viewer, Action.RETIRE_ORGANISATION, resource_of(org))
