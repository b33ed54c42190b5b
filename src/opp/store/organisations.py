"""Organisations (structures and individual artists) that answer questionnaires.

Every record written here is built from `OrganisationFields`, checked by
`opp.directory.entry.check_fields` (the same rules as the directory import) in the
services that call. Structures are archived, never deleted while
they have responses: an archived structure leaves the invitation choosers and the
pending invitations of campaigns still running, and its past responses stay in figures.
Archiving and deleting live in `services/organisation_archive.py`, merging duplicates in
`services/organisation_merge.py`, the import in `store/directory.py`.

A repository: `opp.services.organisations` checks who may read, create or change a
structure and which filières they may give it; row scope comes in as an SQL condition
the service computes from the policy (`SCOPE_COLUMNS`).
"""

from __future__ import annotations

import uuid
from typing import Any

import duckdb

from opp import clock
from opp.directory.entry import OrganisationFields
from opp.errors import OppError
from opp.i18n import texts
from opp.store import audit
from opp.store.db import Store
from opp.store.records import Actor, Organisation, fetch_all, fetch_one

COLUMNS = (
    "id, name, structure_type, legal_form, commune, departement, filieres, created_at, "
    "siret, email, labels, updated_at, archived_at"
)
_MARKS = ", ".join("?" for _ in COLUMNS.split(","))


def create(
    store: Store, actor: Actor, fields: OrganisationFields, *, organisation_id: str | None = None
) -> Organisation:
    """Store a new structure (fields checked by `opp.directory.entry.check_fields`)."""
    now = clock.now()
    org = record_of(organisation_id or uuid.uuid4().hex, fields, created_at=now)
    try:
        with store.transaction() as cur:
            require_siret_free(cur, fields.siret, org.id)
            insert(cur, org)
            audit.record(cur, actor, "organisation.create", "organisation", org.id)
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


def update(store: Store, actor: Actor, updated: Organisation, changed: list[str]) -> None:
    """Write a structure's changed record, audited with the names of the fields that
    changed."""
    try:
        with store.transaction() as cur:
            require_siret_free(cur, updated.siret, updated.id)
            write_fields(cur, updated)
            audit.record(
                cur,
                actor,
                "organisation.update",
                "organisation",
                updated.id,
                {"fields": sorted(changed)},
            )
    except duckdb.ConstraintException:
        raise OppError("DIR_SIRET_TAKEN", value=updated.siret or "") from None
    store.bump()


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


def get(store: Store, organisation_id: str) -> Organisation:
    """One structure (`NOT_FOUND` when there is none)."""
    org = fetch_one(
        store.cursor(),
        Organisation,
        f"SELECT {COLUMNS} FROM organisations WHERE id = ?",
        [organisation_id],
    )
    if org is None:
        raise OppError("NOT_FOUND", what=texts("what.organisation"), value=organisation_id)
    return org


# Columns a row-scope condition may name (the policy's `sql_scope` is given these).
SCOPE_COLUMNS = {"organisation": "id", "filieres": "filieres"}

Scope = tuple[str, list[Any]]
"""An SQL condition on SCOPE_COLUMNS with its bound parameters, from the policy."""


def _clauses(
    scope: Scope, filiere: str | None, archived: bool | None
) -> tuple[list[str], list[Any]]:
    """WHERE clauses: the scope, one filière, archived or not. `archived`: False active
    ones only, True archived only, None both."""
    condition, params = scope
    clauses = [] if condition == "TRUE" else [condition]
    params = list(params)
    if filiere:
        clauses.append("list_contains(filieres, ?)")
        params.append(filiere)
    if archived is not None:
        clauses.append("archived_at IS NOT NULL" if archived else "archived_at IS NULL")
    return clauses, params


def list_visible(
    store: Store,
    scope: Scope,
    *,
    filiere: str | None = None,
    limit: int | None = None,
    archived: bool | None = False,
) -> list[Organisation]:
    """Organisations within `scope`; active ones unless `archived` says otherwise."""
    clauses, params = _clauses(scope, filiere, archived)
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
    scope: Scope,
    text: str = "",
    *,
    filiere: str | None = None,
    not_invited_to: str | None = None,
    limit: int = SEARCH_LIMIT,
    archived: bool | None = False,
) -> tuple[list[Organisation], int]:
    """Organisations within `scope` whose name, commune code or SIRET contains `text`: the
    first `limit` by name and how many match in all. A region holds tens of thousands of
    structures: a chooser lists a page of matches, never the whole table. Archived
    structures are left out unless `archived` is True (only them) or None (all)."""
    clauses, params = _clauses(scope, filiere, archived)
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
