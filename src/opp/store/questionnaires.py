"""Published questionnaire versions: immutable snapshots of the composed definition.

Campaigns are bound to a (questionnaire, version); answers are always read and checked
against that snapshot, so editing files later never changes the meaning of old answers.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from opp import clock
from opp.errors import OppError
from opp.i18n import texts
from opp.questionnaire.model import Questionnaire
from opp.store.db import Store


def publish(store: Store, questionnaire: Questionnaire) -> bool:
    """Store a version snapshot if absent; True when inserted.

    A version already stored with a different definition is left untouched (published
    versions are immutable); `sync_warnings` reports it.
    """
    cur = store.cursor()
    found = cur.execute(
        "SELECT 1 FROM questionnaire_versions WHERE questionnaire_id = ? AND version = ?",
        [questionnaire.id, questionnaire.version],
    ).fetchone()
    if found:
        return False
    cur.execute(
        "INSERT INTO questionnaire_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            questionnaire.id,
            questionnaire.version,
            questionnaire.filiere,
            questionnaire.audience,
            questionnaire.title.fr,
            questionnaire.title.en,
            questionnaire.status,
            questionnaire.definition_json(),
            clock.now(),
        ],
    )
    return True


def differs_from_stored(store: Store, questionnaire: Questionnaire) -> bool:
    """True when the same version is stored with another definition (file edited in place)."""
    row = (
        store.cursor()
        .execute(
            "SELECT definition FROM questionnaire_versions "
            "WHERE questionnaire_id = ? AND version = ?",
            [questionnaire.id, questionnaire.version],
        )
        .fetchone()
    )
    if not row:
        return False
    return json.loads(row[0]) != json.loads(questionnaire.definition_json())


def get(store: Store, questionnaire_id: str, version: str) -> Questionnaire:
    """One stored version (`NOT_FOUND` when there is none)."""
    key = (questionnaire_id, version)
    known = store.snapshots.get(key)
    if known is not None:
        return known
    row = (
        store.cursor()
        .execute(
            "SELECT definition FROM questionnaire_versions "
            "WHERE questionnaire_id = ? AND version = ?",
            [questionnaire_id, version],
        )
        .fetchone()
    )
    if not row:
        raise OppError(
            "NOT_FOUND",
            what=texts("what.questionnaire"),
            value=f"{questionnaire_id}@{version}",
        )
    parsed = _parse(row[0])
    store.snapshots[key] = parsed  # a published version is never rewritten: memoise it
    return parsed


@lru_cache(maxsize=64)
def _parse(definition: str) -> Questionnaire:
    # Snapshots are immutable, so the parsed model can be memoised by its text.
    return Questionnaire.model_validate_json(definition)


def list_versions(store: Store, questionnaire_id: str | None = None) -> list[dict[str, Any]]:
    """Every stored version (of one questionnaire), by publication date."""
    sql = (
        "SELECT questionnaire_id, version, filiere, audience, title_fr, title_en, status, "
        "published_at FROM questionnaire_versions"
    )
    params: list[Any] = []
    if questionnaire_id:
        sql += " WHERE questionnaire_id = ?"
        params.append(questionnaire_id)
    sql += " ORDER BY questionnaire_id, published_at"
    cur = store.cursor()
    rows = cur.execute(sql, params).fetchall()
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in rows]


def semver_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def latest_first(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Versions grouped by questionnaire, each questionnaire's newest first (by version
    number, not by date), with `latest` marking it: what a new campaign should use."""
    ordered = sorted(
        versions, key=lambda v: (v["questionnaire_id"], [-n for n in semver_key(v["version"])])
    )
    seen: set[str] = set()
    out = []
    for version in ordered:
        out.append({**version, "latest": version["questionnaire_id"] not in seen})
        seen.add(version["questionnaire_id"])
    return out


def history(store: Store, questionnaire_id: str) -> list[Questionnaire]:
    """Every stored version of a questionnaire, oldest first (by version number)."""
    rows = (
        store.cursor()
        .execute(
            "SELECT version, definition FROM questionnaire_versions WHERE questionnaire_id = ?",
            [questionnaire_id],
        )
        .fetchall()
    )
    return [_parse(d) for _, d in sorted(rows, key=lambda r: semver_key(r[0]))]


def latest(store: Store, questionnaire_id: str) -> Questionnaire:
    """The highest published version (campaigns may still use older ones)."""
    versions = history(store, questionnaire_id)
    if not versions:
        raise OppError(
            "NOT_FOUND",
            what=texts("what.questionnaire"),
            value=questionnaire_id,
        )
    return versions[-1]


def sync(store: Store, items: list[Questionnaire]) -> tuple[list[str], list[str]]:
    """Publish the file versions the store lacks (a version exported from co-design and
    committed, or a new file). Returns (published, edited in place): a stored version is
    never overwritten, so a file edited without a new version number is only reported."""
    published, edited = [], []
    for questionnaire in items:
        if publish(store, questionnaire):
            published.append(questionnaire.key)
        elif differs_from_stored(store, questionnaire):
            edited.append(questionnaire.key)
    return published, edited
