"""Each row of a directory file → a checked entry, or issues naming row, column, what is
wrong and how to fix it. Pure: no store (duplicates and matches are `plan.py`'s job)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from opp import geo
from opp.directory import values
from opp.directory.headers import CANONICAL, HeaderMap, accepted
from opp.directory.reading import RawTable
from opp.errors import OppError
from opp.i18n import gettext
from opp.referentiel import FILIERES

MAX_CELL = 1_000

_PARSERS = {
    "name": values.parse_name,
    "siret": values.parse_siret,
    "commune": values.parse_commune,
    "filieres": values.parse_filieres,
    "structure_type": values.parse_structure_type,
    "email": values.parse_email,
    "labels": values.parse_labels,
    "legal_form": values.parse_legal_form,
    "departement": values.parse_departement,
}


@dataclass(frozen=True)
class Issue:
    """One problem of the file: its spreadsheet row (None: the whole file), the column as
    written in the file, and a catalogue code with its parameters."""

    row: int | None
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Literal["error", "warning"] = "error"

    def error(self) -> OppError:
        return OppError(self.code, **self.params)

    def what(self, lang: str) -> str:
        return _capital(self.error().part("what", lang))

    def fix(self, lang: str) -> str:
        return self.error().part("fix", lang)

    def where(self, lang: str) -> str:
        parts = []
        if self.row is not None:
            parts.append(gettext("dir.where.row", lang, row=self.row))
        if self.column:
            parts.append(gettext("dir.where.column", lang, column=self.column))
        return ", ".join(parts) or gettext("dir.where.file", lang)

    def line(self, lang: str) -> str:
        """The whole issue on one line (command line, logs)."""
        where, what, fix = self.where(lang), self.what(lang), self.fix(lang)
        return gettext("dir.issue_line", lang, where=where, what=what, fix=fix).strip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def issue_of(err: OppError, *, row: int | None = None, column: str | None = None) -> Issue:
    return Issue(
        row=row if row is not None else err.line,
        column=column,
        code=err.code,
        params=dict(err.params),
    )


@dataclass(frozen=True)
class Entry:
    """A valid row: the values of its non-empty cells (an empty cell never erases what
    the directory holds)."""

    row: int
    values: dict[str, Any]

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def siret(self) -> str | None:
        return self.values.get("siret")

    @property
    def commune(self) -> str | None:
        return self.values.get("commune")


def header_issues(hmap: HeaderMap, *, coordinator: bool) -> list[Issue]:
    issues = [
        Issue(
            None,
            second,
            "DIR_COLUMN_TWICE",
            {"field": CANONICAL[name], "first": first, "second": second},
        )
        for name, first, second in hmap.twice
    ]
    if "filieres" not in hmap.columns and not coordinator:
        issues.append(
            Issue(None, None, "DIR_COLUMN_MISSING", {"column": "filiere", "accepted": accepted()})
        )
    issues += [
        Issue(
            None, title, "DIR_COLUMN_IGNORED", {"column": title, "accepted": accepted()}, "warning"
        )
        for title in hmap.ignored
    ]
    return issues


def validate_rows(
    table: RawTable, hmap: HeaderMap, *, own_filiere: str | None
) -> tuple[list[Entry], list[Issue]]:
    """Entries of the valid rows and the issues of the others. `own_filiere`: the
    importing coordinator's filière (their rows may only name it, and default to it)."""
    entries: list[Entry] = []
    issues: list[Issue] = []
    for number, cells in table.rows:
        found, problems = _row(number, cells, hmap, own_filiere)
        if problems:
            issues += problems
        else:
            entries.append(Entry(number, found))
    return entries, issues


def _row(
    number: int, cells: list[str], hmap: HeaderMap, own_filiere: str | None
) -> tuple[dict[str, Any], list[Issue]]:
    found: dict[str, Any] = {}
    problems: list[Issue] = []
    for name, index in hmap.columns.items():
        text = cells[index] if index < len(cells) else ""
        column = hmap.titles[name]
        if len(text) > MAX_CELL:
            problems.append(
                Issue(number, column, "DIR_CELL_TOO_LONG", {"length": len(text), "limit": MAX_CELL})
            )
            continue
        if not text.strip() and name != "name":
            continue  # an empty cell: nothing to say (the store keeps what it holds)
        try:
            value = _PARSERS[name](text)
        except OppError as err:
            problems.append(issue_of(err, row=number, column=column))
            continue
        if value not in (None, [], ""):
            found[name] = value
    if problems:
        return found, problems
    departement = found.pop("departement", None)
    commune = found.get("commune")
    if departement and commune and geo.departement_of(commune) != departement:
        problems.append(
            Issue(
                number,
                hmap.titles["departement"],
                "DIR_DEPARTEMENT_MISMATCH",
                {
                    "value": departement,
                    "commune": geo.communes()[commune].label(),
                    "expected": geo.departement_of(commune),
                },
            )
        )
    if own_filiere:
        outside = [f for f in found.get("filieres", []) if f != own_filiere]
        if outside:
            problems.append(
                Issue(
                    number,
                    hmap.titles.get("filieres"),
                    "DIR_FILIERE_OUTSIDE",
                    {"value": FILIERES[outside[0]], "own": FILIERES[own_filiere]},
                )
            )
    if not found.get("siret") and not commune:
        problems.append(Issue(number, None, "DIR_NO_KEY"))
    return found, problems
