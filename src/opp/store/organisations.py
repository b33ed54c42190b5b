"""Organisations (structures and individual artists) that answer questionnaires.

Every record written here goes through `opp.directory.entry.check_fields` (the same rules
as the directory import), whoever calls. Structures are archived, never deleted while
they have responses: an archived structure leaves the invitation choosers and the
pending invitations of campaigns still running, and its past responses stay in figures.
Archiving and deleting live in `services/organisation_archive.py`, merging duplicates in
`services/organisation_merge.py`, the import in `store/directory.py`.
"""

from __future__ import annotations

import uuid
from typing import Any

import duckdb

from opp import clock
from opp.access.policy import Action, Resource, may, require, sql_scope
from opp.access.viewer import Viewer
from opp.directory.entry import OrganisationFields, check_fields, differences, fields_of
from opp.errors import OppError
from opp.i18n import texts
from opp.referentiel import FILIERES
from opp.store import audit
from opp.store.db import Store
from opp.store.records import Organisation, fetch_all, fetch_one

COLUMNS = (
    "id, name, structure_type, legal_form, commune, departement, filieres, created_at, "
    "siret, email, labels, updated_at, archived_at"
)
_MARKS = ", ".join("?" for _ in COLUMNS.split(","))


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
    now = clock.now()
    org = record_of(organisation_id or uuid.uuid4().hex, fields, created_at=now)
    try:
        with store.transaction() as cur:
            require_siret_free(cur, fields.siret, org.id)
            insert(cur, org)
            audit.record(cur, viewer, "organisation.create", "organisation", org.id)
    except duckdb.ConstraintException:  # the same SIRET stored at the same moment
        raise OppError("DIR_SIRET_TAKEN", value=fields.siret or "") from None
    store.bump()
    return org


def record_of(
    organisation_id: str,
    fields: OrganisationFields,
    *,
    created_at: Any,
    updated_at: Any = None,
    archived_at: Any = None,
) -> Organisation:
    return Organisation(
        id=organisation_id,
        **fields.model_dump(),
        departement=fields.departement,
        created_at=created_at,
        updated_at=updated_at,
        archived_at=archived_at,
    )


def insert(cur: duckdb.DuckDBPyConnection, org: Organisation) -> None:
    row = org.model_dump()
    cur.execute(
        f"INSERT INTO organisations ({COLUMNS}) VALUES ({_MARKS})",
        [row[c.strip()] for c in COLUMNS.split(",")],
    )


def require_siret_free(cur: duckdb.DuckDBPyConnection, siret: str | None, own_id: str) -> None:
    if siret is None:
        return
    other = cur.execute(
        "SELECT id FROM organisations WHERE siret = ? AND id <> ?", [siret, own_id]
    ).fetchone()
    if other:
        raise OppError("DIR_SIRET_TAKEN", value=siret)


def _check_filieres(viewer: Viewer, before: list[str], after: list[str]) -> None:
    """A coordinator adds or keeps only their filière; other filières stay as they were."""
    for changed in set(before) ^ set(after):
        require(viewer, Action.ASSIGN_FILIERE, Resource(filieres=(changed,)))
    if not may(viewer, Action.MANAGE_ORGANISATION, Resource(filieres=tuple(after))):
        # Removing their own filière would take the structure out of their hands.
        own = viewer.filiere or ""
        raise OppError("ORG_KEEP_FILIERE", own=FILIERES.get(own, own))


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
    updated = record_of(
        org.id,
        after,
        created_at=org.created_at,
        updated_at=clock.now(),
        archived_at=org.archived_at,
    )
    try:
        with store.transaction() as cur:
            require_siret_free(cur, after.siret, org.id)
            write_fields(cur, updated)
            audit.record(
                cur,
                viewer,
                "organisation.update",
                "organisation",
                org.id,
                {"fields": sorted(changed)},
            )
    except duckdb.ConstraintException:
        raise OppError("DIR_SIRET_TAKEN", value=after.siret or "") from None
    store.bump()
    return updated


def write_fields(cur: duckdb.DuckDBPyConnection, org: Organisation) -> None:
    cur.execute(
        "UPDATE organisations SET name = ?, structure_type = ?, legal_form = ?, commune = ?, "
        "departement = ?, filieres = ?, siret = ?, email = ?, labels = ?, updated_at = ? "
        "WHERE id = ?",
        [
            org.name,
            org.structure_type,
            org.legal_form,
            org.commune,
            org.departement,
            org.filieres,
            org.siret,
            org.email,
            org.labels,
            org.updated_at,
            org.id,
        ],
    )


def require_active(org: Organisation) -> None:
    """Refuse new invitations and new responses for an archived structure."""
    if org.archived:
        raise OppError("ORG_ARCHIVED", name=org.name)


def resource_of(org: Organisation) -> Resource:
    """An organisation as the policy sees it."""
    return Resource(organisation_id=org.id, filieres=tuple(org.filieres))


def organisation_filieres(store: Store, organisation_id: str | None) -> tuple[str, ...]:
    """The filières of an organisation (none when there is no such organisation)."""
    if not organisation_id:
        return ()
    row = (
        store.cursor()
        .execute("SELECT filieres FROM organisations WHERE id = ?", [organisation_id])
        .fetchone()
    )
    return tuple(row[0] or ()) if row else ()


def organisation_name(store: Store, organisation_id: str | None) -> str:
    """The name of an organisation ("" when there is no such organisation)."""
    if not organisation_id:
        return ""
    row = (
        store.cursor()
        .execute("SELECT name FROM organisations WHERE id = ?", [organisation_id])
        .fetchone()
    )
    return str(row[0]) if row else ""


def get(store: Store, viewer: Viewer, organisation_id: str) -> Organisation:
    org = fetch_one(
        store.cursor(),
        Organisation,
        f"SELECT {COLUMNS} FROM organisations WHERE id = ?",
        [organisation_id],
    )
    if org is None:
        raise OppError("NOT_FOUND", what=texts("what.organisation"), value=organisation_id)
    require(viewer, Action.READ_ORGANISATION, resource_of(org))
    return org


def _visibility(
    viewer: Viewer, filiere: str | None, archived: bool | None
) -> tuple[list[str], list[Any]] | None:
    """WHERE clauses limiting organisations to the viewer's; None when they may see none.
    `archived`: False (default) active ones only, True archived only, None both."""
    if not may(viewer, Action.READ_ORGANISATION):
        return None
    scope, params = sql_scope(
        viewer, Action.READ_ORGANISATION, {"organisation": "id", "filieres": "filieres"}
    )
    clauses = [] if scope == "TRUE" else [scope]
    if filiere:
        clauses.append("list_contains(filieres, ?)")
        params.append(filiere)
    if archived is not None:
        clauses.append("archived_at IS NOT NULL" if archived else "archived_at IS NULL")
    return clauses, params


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
    scope = _visibility(viewer, filiere, archived)
    if scope is None:
        return []
    clauses, params = scope
    sql = f"SELECT {COLUMNS} FROM organisations"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY name"
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    return fetch_all(store.cursor(), Organisation, sql, params)


SEARCH_LIMIT = 50


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
    `limit` by name and how many match in all. A region holds tens of thousands of
    structures: a chooser lists a page of matches, never the whole table. Archived
    structures are left out unless `archived` is True (only them) or None (all)."""
    scope = _visibility(viewer, filiere, archived)
    if scope is None:
        return [], 0
    clauses, params = scope
    words = text.strip()[:100]
    if words:
        clauses.append("(name ILIKE ? ESCAPE '\\' OR commune = ? OR siret = ?)")
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [f"%{escaped}%", words, words.replace(" ", "")]
    if not_invited_to:
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM invitations i "
            "WHERE i.campaign_id = ? AND i.organisation_id = organisations.id)"
        )
        params.append(not_invited_to)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    cur = store.cursor()
    total_row = cur.execute(f"SELECT count(*) FROM organisations{where}", params).fetchone()
    found = fetch_all(
        cur,
        Organisation,
        f"SELECT {COLUMNS} FROM organisations{where} ORDER BY name, id LIMIT ?",
        [*params, max(1, int(limit))],
    )
    return found, int(total_row[0]) if total_row else 0
