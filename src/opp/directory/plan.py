"""Checked entries + the directory as stored → what an import will do, row by row.

Pure. A structure is recognised by its SIRET, or, without SIRET, by its name (folded)
and commune; a row with a SIRET also recognises a stored structure of the same name and
commune that has no SIRET yet (the import adds it). Duplicates inside the file, rows that
designate the same stored structure and ambiguous matches are errors: the import is all
or nothing, so the user fixes the file rather than guessing what was kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from opp.directory import values
from opp.directory.entry import OrganisationFields, differences, fields_of
from opp.directory.headers import CANONICAL
from opp.directory.validate import Entry, Issue
from opp.geo import fold
from opp.store.records import Organisation

Action = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class PlannedRow:
    row: int
    action: Action
    organisation_id: str | None  # None for a structure to create
    fields: OrganisationFields  # the record after the import
    changes: dict[str, tuple[Any, Any]]  # field → (before, after), updates only
    archived: bool = False


# A file is planned twice (preview, then in the import's transaction): names fold once.
_fold = lru_cache(maxsize=65_536)(fold)


def _name_key(name: str, commune: str | None) -> tuple[str, str] | None:
    return (_fold(name), commune) if commune else None


class _Index:
    """The stored directory by SIRET and by (folded name, commune)."""

    def __init__(self, existing: Iterable[Organisation]) -> None:
        self.by_siret: dict[str, Organisation] = {}
        self.by_name: dict[tuple[str, str], list[Organisation]] = {}
        for org in existing:
            if org.siret:
                self.by_siret[org.siret] = org
            key = _name_key(org.name, org.commune)
            if key:
                self.by_name.setdefault(key, []).append(org)

    def match(self, entry: Entry) -> tuple[Organisation | None, Issue | None]:
        """The stored structure the entry designates, or an issue (ambiguous: error;
        same name with another SIRET: warning, a new structure is created)."""
        siret = entry.siret
        if siret and siret in self.by_siret:
            return self.by_siret[siret], None
        key = _name_key(entry.name, entry.commune)
        candidates = self.by_name.get(key, []) if key else []
        if siret:
            without = [o for o in candidates if not o.siret]
            if len(without) == 1:
                return without[0], None
            if len(without) > 1:
                return None, Issue(entry.row, None, "DIR_AMBIGUOUS_MATCH", {"count": len(without)})
            if candidates:
                other = candidates[0].siret
                return None, Issue(entry.row, None, "DIR_HOMONYM", {"other": other}, "warning")
            return None, None
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            return None, Issue(entry.row, None, "DIR_AMBIGUOUS_MATCH", {"count": len(candidates)})
        return None, None


def plan(
    entries: list[Entry],
    existing: Iterable[Organisation],
    *,
    own_filiere: str | None,
    columns: dict[str, str],
) -> tuple[list[PlannedRow], list[Issue]]:
    """What each valid row will do, and the issues found against the file and the store.
    `own_filiere`: the importing coordinator's (None for the agency); `columns`: field →
    header as written, to name columns in issues."""
    index = _Index(existing)
    planned: list[PlannedRow] = []
    issues: list[Issue] = []
    seen_siret: dict[str, int] = {}
    seen_name: dict[tuple[str, str], tuple[int, str | None]] = {}
    claimed: dict[str, int] = {}
    for entry in entries:
        problem = _duplicate(entry, seen_siret, seen_name, columns)
        if problem:
            issues.append(problem)
            continue
        target, note = index.match(entry)
        if note is not None:
            issues.append(note)
            if note.severity == "error":
                continue
        if target is not None:
            if target.id in claimed:
                issues.append(
                    Issue(
                        entry.row,
                        None,
                        "DIR_SAME_TARGET",
                        {"other": claimed[target.id], "name": target.name},
                    )
                )
                continue
            claimed[target.id] = entry.row
            if own_filiere and own_filiere not in target.filieres:
                issues.append(Issue(entry.row, None, "DIR_OUTSIDE_SCOPE"))
                continue
            planned.append(_update(entry, target, own_filiere))
            if target.archived:
                issues.append(
                    Issue(entry.row, None, "DIR_ARCHIVED", {"name": target.name}, "warning")
                )
            continue
        created, problem = _create(entry, own_filiere, columns)
        if problem:
            issues.append(problem)
        elif created is not None:
            planned.append(created)
    return planned, issues


def _duplicate(
    entry: Entry,
    seen_siret: dict[str, int],
    seen_name: dict[tuple[str, str], tuple[int, str | None]],
    columns: dict[str, str],
) -> Issue | None:
    siret = entry.siret
    if siret and siret in seen_siret:
        return Issue(
            entry.row, columns.get("siret"), "DIR_DUPLICATE_SIRET", {"other": seen_siret[siret]}
        )
    key = _name_key(entry.name, entry.commune)
    if key and key in seen_name:
        other_row, other_siret = seen_name[key]
        if not (siret and other_siret and siret != other_siret):
            return Issue(entry.row, columns.get("name"), "DIR_DUPLICATE_NAME", {"other": other_row})
    if siret:
        seen_siret[siret] = entry.row
    if key:
        seen_name.setdefault(key, (entry.row, siret))
    return None


def _update(entry: Entry, target: Organisation, own_filiere: str | None) -> PlannedRow:
    before = fields_of(target)
    merged = before.model_dump() | entry.values
    if own_filiere:  # a coordinator adds their filière, never removes the others
        merged["filieres"] = [
            *before.filieres,
            *([] if own_filiere in before.filieres else [own_filiere]),
        ]
    after = OrganisationFields(**merged)
    changes = differences(before, after)
    return PlannedRow(
        row=entry.row,
        action="update" if changes else "unchanged",
        organisation_id=target.id,
        fields=after,
        changes=changes,
        archived=target.archived,
    )


def _create(
    entry: Entry, own_filiere: str | None, columns: dict[str, str]
) -> tuple[PlannedRow | None, Issue | None]:
    data = dict(entry.values)
    if not data.get("filieres") and own_filiere:
        data["filieres"] = [own_filiere]
    for name in ("structure_type", "filieres"):
        if not data.get(name):
            if name in columns:
                return None, Issue(
                    entry.row,
                    columns[name],
                    "DIR_REQUIRED",
                    {"field": values.FIELD_LABELS[name], "hint": values.hint(name)},
                )
            return None, Issue(
                entry.row,
                None,
                "DIR_COLUMN_MISSING",
                {"column": CANONICAL[name], "accepted": ", ".join(CANONICAL.values())},
            )
    return PlannedRow(entry.row, "create", None, OrganisationFields(**data), {}), None


def fingerprint(content: bytes, planned: list[PlannedRow]) -> str:
    """What the user previewed: the file and every planned row. An import confirmed on a
    preview whose fingerprint no longer matches the store is refused (`DIR_CHANGED`)."""
    digest = hashlib.sha256(content)
    for row in planned:
        digest.update(
            json.dumps(
                [row.row, row.action, row.organisation_id, sorted(row.changes.items())],
                default=str,
            ).encode()
        )
    return digest.hexdigest()
