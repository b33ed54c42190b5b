"""Structures: who may read, create or change one, and which filières they may give it.

The agency manages every structure; a coordinator those of their filière, and may add or
remove only their own filière (other filières stay as they were, and they may not take
the structure out of their hands). Reads are limited to what the policy lets the viewer
see (`READ_ORGANISATION`: a contributor their own structure, a coordinator their
filière's), as an SQL condition handed to `opp.store.organisations`.
"""

from __future__ import annotations

from typing import Any

from opp import clock
from opp.access.policy import Action, Resource, may, require, sql_scope
from opp.access.viewer import Viewer
from opp.directory.entry import OrganisationFields, check_fields, differences, fields_of
from opp.errors import OppError
from opp.referentiel import FILIERES
from opp.store import organisations as repo
from opp.store.db import Store
from opp.store.records import Organisation

SEARCH_LIMIT = repo.SEARCH_LIMIT

__all__ = [
    "SEARCH_LIMIT",
    "Organisation",
    "create",
    "get",
    "list_visible",
    "organisation_name",
    "require_active",
    "resource_of",
    "search",
    "update",
]


def resource_of(org: Organisation) -> Resource:
    """An organisation as the policy sees it."""
    return Resource(organisation_id=org.id, filieres=tuple(org.filieres))


def get(store: Store, viewer: Viewer, organisation_id: str) -> Organisation:
    """One structure the viewer may read (`NOT_FOUND` first: an unknown id says so)."""
    org = repo.get(store, organisation_id)
    require(viewer, Action.READ_ORGANISATION, resource_of(org))
    return org


def require_active(org: Organisation) -> None:
    """Refuse new invitations and new responses for an archived structure."""
    repo.require_active(org)


def organisation_name(store: Store, organisation_id: str | None) -> str:
    """The name of an organisation ("" when there is none): names are public."""
    return repo.organisation_name(store, organisation_id)


def _check_filieres(viewer: Viewer, before: list[str], after: list[str]) -> None:
    """A coordinator adds or keeps only their filière; other filières stay as they were."""
    for changed in set(before) ^ set(after):
        require(viewer, Action.ASSIGN_FILIERE, Resource(filieres=(changed,)))
    if not may(viewer, Action.MANAGE_ORGANISATION, Resource(filieres=tuple(after))):
        # Removing their own filière would take the structure out of their hands.
        own = viewer.filiere or ""
        raise OppError("ORG_KEEP_FILIERE", own=FILIERES.get(own, own))


def create(
    store: Store,
    viewer: Viewer,
    *,
    name: str,
    structure_type: str,
    filieres: list[str],
    commune: str | None = None,
    legal_form: str | None = None,
    siret: str | None = None,
    email: str | None = None,
    labels: list[str] | None = None,
    organisation_id: str | None = None,
) -> Organisation:
    """A new structure (agency: any filière; a coordinator: their filière only)."""
    require(viewer, Action.MANAGE_ORGANISATION)  # the filières: `_check_filieres` below
    fields = check_fields(
        name=name,
        structure_type=structure_type,
        filieres=filieres,
        commune=commune,
        legal_form=legal_form,
        siret=siret,
        email=email,
        labels=labels,
    )
    _check_filieres(viewer, [], fields.filieres)
    return repo.create(store, viewer, fields, organisation_id=organisation_id)


def update(store: Store, viewer: Viewer, organisation_id: str, **changes: Any) -> Organisation:
    """Change a structure's record (only the fields given); audited with the names of the
    fields that changed."""
    org = get(store, viewer, organisation_id)
    require(viewer, Action.MANAGE_ORGANISATION, Resource(filieres=tuple(org.filieres)))
    before = fields_of(org)
    unknown = set(changes) - set(OrganisationFields.model_fields)
    if unknown:
        raise KeyError(f"not a field of an organisation: {sorted(unknown)}")
    after = check_fields(**(before.model_dump() | changes))
    _check_filieres(viewer, before.filieres, after.filieres)
    changed = differences(before, after)
    if not changed:
        return org
    updated = repo.record_of(
        org.id,
        after,
        created_at=org.created_at,
        updated_at=clock.now(),
        archived_at=org.archived_at,
    )
    repo.update(store, viewer, updated, sorted(changed))
    return updated


def _scope(viewer: Viewer) -> repo.Scope | None:
    """The rows the viewer may read, as an SQL condition; None when they may read none."""
    if not may(viewer, Action.READ_ORGANISATION):
        return None
    return sql_scope(viewer, Action.READ_ORGANISATION, repo.SCOPE_COLUMNS)


def list_visible(
    store: Store,
    viewer: Viewer,
    *,
    filiere: str | None = None,
    limit: int | None = None,
    archived: bool | None = False,
) -> list[Organisation]:
    """Organisations the viewer may see (a coordinator: their filière's); active ones
    unless `archived` says otherwise."""
    scope = _scope(viewer)
    if scope is None:
        return []
    return repo.list_visible(store, scope, filiere=filiere, limit=limit, archived=archived)


def search(
    store: Store,
    viewer: Viewer,
    text: str = "",
    *,
    filiere: str | None = None,
    not_invited_to: str | None = None,
    limit: int = SEARCH_LIMIT,
    archived: bool | None = False,
) -> tuple[list[Organisation], int]:
    """Visible organisations whose name, commune code or SIRET contains `text`: the first
    `limit` by name and how many match in all (see `opp.store.organisations.search`)."""
    scope = _scope(viewer)
    if scope is None:
        return [], 0
    return repo.search(
        store,
        scope,
        text,
        filiere=filiere,
        not_invited_to=not_invited_to,
        limit=limit,
        archived=archived,
    )
