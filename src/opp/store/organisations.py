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


def _visibility(viewer: Viewer, filiere: str | None) -> tuple[list[str], list[Any]] | None:
    """WHERE clauses limiting organisations to the viewer's; None when they may see none."""
    clauses: list[str] = []
    params: list[Any] = []
    if viewer.role is Role.CONTRIBUTEUR:
        clauses.append("id = ?")
        params.append(viewer.organisation_id or "")
    elif viewer.role is Role.COORDINATEUR:
        clauses.append("list_contains(filieres, ?)")
        params.append(viewer.filiere or "")
    elif viewer.role is not Role.ADMIN:
        return None
    if filiere:
        clauses.append("list_contains(filieres, ?)")
        params.append(filiere)
    return clauses, params


def list_visible(
    store: Store, viewer: Viewer, *, filiere: str | None = None, limit: int | None = None
) -> list[Organisation]:
    """Organisations the viewer may see (a coordinator: their filière's)."""
    scope = _visibility(viewer, filiere)
    if scope is None:
        return []
    clauses, params = scope
    sql = f"SELECT {_COLUMNS} FROM organisations"
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
) -> tuple[list[Organisation], int]:
    """Visible organisations whose name or commune code contains `text`: the first `limit`
    by name and how many match in all. A region holds tens of thousands of structures: a
    chooser lists a page of matches, never the whole table."""
    scope = _visibility(viewer, filiere)
    if scope is None:
        return [], 0
    clauses, params = scope
    words = text.strip()[:100]
    if words:
        clauses.append("(name ILIKE ? ESCAPE '\\' OR commune = ?)")
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [f"%{escaped}%", words]
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
        f"SELECT {_COLUMNS} FROM organisations{where} ORDER BY name, id LIMIT ?",
        [*params, max(1, int(limit))],
    )
    return found, int(total_row[0]) if total_row else 0
