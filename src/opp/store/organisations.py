"""Organisations (structures and individual artists) that answer questionnaires."""

from __future__ import annotations

import uuid
from typing import Any

from opp import clock, geo
from opp.access.policy import forbidden
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.store import audit
from opp.store.db import Store
from opp.store.records import Organisation, fetch_all, fetch_one

_COLUMNS = "id, name, structure_type, legal_form, commune, departement, filieres, created_at"


def create(
    store: Store,
    viewer: Viewer,
    *,
    name: str,
    structure_type: str,
    filieres: list[str],
    commune: str | None = None,
    legal_form: str | None = None,
    organisation_id: str | None = None,
) -> Organisation:
    if viewer.role not in (Role.ADMIN, Role.COORDINATEUR):
        raise forbidden(viewer, "manage_campaigns")
    org = Organisation(
        id=organisation_id or uuid.uuid4().hex,
        name=name.strip()[:200],
        structure_type=structure_type,
        legal_form=legal_form,
        commune=commune,
        departement=geo.departement_of(commune),
        filieres=filieres,
        created_at=clock.now(),
    )
    with store.transaction() as cur:
        cur.execute(
            f"INSERT INTO organisations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            list(org.model_dump().values()),
        )
        audit.record(cur, viewer, "organisation.create", "organisation", org.id)
    store.bump()
    return org


def _may_read(viewer: Viewer, org: Organisation) -> bool:
    if viewer.role is Role.ADMIN:
        return True
    if viewer.role is Role.CONTRIBUTEUR:
        return viewer.organisation_id == org.id
    if viewer.role is Role.COORDINATEUR:
        return viewer.filiere in org.filieres
    return False


def get(store: Store, viewer: Viewer, organisation_id: str) -> Organisation:
    org = fetch_one(
        store.cursor(),
        Organisation,
        f"SELECT {_COLUMNS} FROM organisations WHERE id = ?",
        [organisation_id],
    )
    if org is None:
        raise OppError(
            "NOT_FOUND", what={"fr": "Structure", "en": "Organisation"}, value=organisation_id
        )
    if not _may_read(viewer, org):
        raise forbidden(viewer, "read_organisation")
    return org


def list_visible(
    store: Store, viewer: Viewer, *, filiere: str | None = None, limit: int | None = None
) -> list[Organisation]:
    """Organisations the viewer may see (a coordinator: their filière's)."""
    clauses: list[str] = []
    params: list[Any] = []
    if viewer.role is Role.CONTRIBUTEUR:
        clauses.append("id = ?")
        params.append(viewer.organisation_id or "")
    elif viewer.role is Role.COORDINATEUR:
        clauses.append("list_contains(filieres, ?)")
        params.append(viewer.filiere or "")
    elif viewer.role is not Role.ADMIN:
        return []
    if filiere:
        clauses.append("list_contains(filieres, ?)")
        params.append(filiere)
    sql = f"SELECT {_COLUMNS} FROM organisations"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY name"
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    return fetch_all(store.cursor(), Organisation, sql, params)
