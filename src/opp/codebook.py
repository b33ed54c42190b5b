"""The codebook of a questionnaire version: every variable with its label, type, unit,
choices and their codes, the versions and years it was asked, and whether it is
personal — as a Frictionless Table Schema (machine-readable), a table (the page) and a
workbook (XLSX).

Reading (`load`: the version, its siblings, the campaigns that used them) is apart from
building (`variables`, pure), which is apart from the formats (`table_schema`, `table`,
`to_xlsx`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from opp import exports
from opp.access.viewer import SYSTEM
from opp.i18n import LANGUAGES, gettext, language
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.question_types import descriptor
from opp.services import campaigns, questionnaires
from opp.store.db import Store


@dataclass(frozen=True)
class Variable:
    id: str
    section: str
    repeat: str | None  # the repeat group holding it (one row per item)
    type: str
    label: dict[str, str | None]
    help: dict[str, str | None] | None
    unit: dict[str, str | None] | None
    required: bool
    personal: bool
    choices: list[dict[str, str | None]] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Codebook:
    questionnaire: Questionnaire
    variables: list[Variable]


def _l10n(value: Any) -> dict[str, str | None] | None:
    return None if value is None else _written(value)


def _written(value: Any) -> dict[str, str | None]:
    """A questionnaire text as written in each language (None where untranslated)."""
    return {lang: getattr(value, lang, None) for lang in LANGUAGES}


def variables(
    chosen: Questionnaire, versions: list[Questionnaire], years: dict[str, list[int]]
) -> list[Variable]:
    """The variables of `chosen`, each with the versions (of `versions`) that ask it and
    the campaign years (`years`: version → years) of those versions."""
    out = []
    for section, question, repeat in chosen.iter_questions():
        if descriptor(question).table_schema is None:  # notes and repeat groups
            continue
        asked_in = [v.version for v in versions if question.id in v.questions]
        choices = [
            {"code": c.value, **_written(c.label)} for c in getattr(question, "choices", []) or []
        ]
        out.append(
            Variable(
                id=question.id,
                section=section.id,
                repeat=repeat.id if repeat else None,
                type=question.type,
                label=_written(question.label),
                help=_l10n(question.help),
                unit=_l10n(question.unit),
                required=question.required,
                personal=question.personal,
                choices=choices,
                versions=asked_in,
                years=sorted({y for v in asked_in for y in years.get(v, [])}),
            )
        )
    return out


def load(store: Store, questionnaire_id: str, version: str) -> Codebook:
    """The codebook of one published version (definitions and campaigns are public)."""
    chosen = questionnaires.get(store, SYSTEM, questionnaire_id, version)
    listed = questionnaires.list_versions(store, SYSTEM, questionnaire_id)
    versions = [questionnaires.get(store, SYSTEM, questionnaire_id, v["version"]) for v in listed]
    years: dict[str, list[int]] = {}
    for campaign in campaigns.list_all(store, SYSTEM, questionnaire_id=questionnaire_id):
        years.setdefault(campaign.questionnaire_version, []).append(campaign.reference_year)
    return Codebook(chosen, variables(chosen, versions, years))


def _codes(question_type: str, lang: str) -> str:
    """The standard code list a type's values come from (INSEE, ISO…), or ""."""
    codes = descriptor(question_type).codes
    return codes.get(lang) if codes is not None else ""


def _describe(variable: Variable, lang: str) -> str:
    other = next(o for o in LANGUAGES if o != language(lang))
    parts = [variable.label.get(lang) or variable.label["fr"] or ""]
    if variable.label.get(other):
        parts.append(f"({variable.label[other]})")
    if codes := _codes(variable.type, lang):
        parts.append("— " + codes)
    if descriptor(variable.type).value_kind == "list":  # several codes in one cell
        parts.append(gettext("codebook.multiple_codes", lang))
    return " ".join(parts)


def table_schema(codebook: Codebook) -> dict[str, Any]:
    """The version's variables as a Frictionless Table Schema (one column per variable, as
    a wide extract would have them), with OPP's own properties: unit, personal, versions
    and years asked, repeat group, choices with their labels."""
    fields = []
    for variable in codebook.variables:
        described: dict[str, Any] = {
            "name": variable.id,
            "type": descriptor(variable.type).table_schema or "string",
            "title": variable.label["fr"],
            "description": _describe(variable, "fr"),
            "opp:type": variable.type,
            "opp:section": variable.section,
            "opp:personal": variable.personal,
            "opp:versions": variable.versions,
            "opp:years": variable.years,
        }
        if variable.repeat:
            described["opp:repeat"] = variable.repeat
        if variable.unit:
            described["opp:unit"] = variable.unit
        if variable.choices:
            described["opp:choices"] = variable.choices
            if descriptor(variable.type).value_kind == "text":  # one code per answer
                described["constraints"] = {"enum": [c["code"] for c in variable.choices]}
        if variable.required:
            described.setdefault("constraints", {})["required"] = True
        fields.append(described)
    return {"fields": fields, "missingValues": [""]}


def table(codebook: Codebook, lang: str = "fr") -> pl.DataFrame:
    """One row per variable, readable (the page and the workbook)."""
    rows = []

    def col(name: str) -> str:
        return gettext(f"codebook.col.{name}", lang)

    for v in codebook.variables:
        rows.append(
            {
                "variable": v.id,
                col("label"): v.label.get(lang) or v.label["fr"],
                "type": v.type,
                col("unit"): (v.unit.get(lang) or v.unit["fr"]) if v.unit else "",
                col("choices"): "; ".join(
                    f"{c['code']} = {c.get(lang) or c['fr']}" for c in v.choices
                )
                or _codes(v.type, lang),
                col("personal"): gettext("codebook.yes" if v.personal else "codebook.no", lang),
                col("repeat"): v.repeat or "",
                "versions": ", ".join(v.versions),
                col("years"): ", ".join(map(str, v.years)),
            }
        )
    return pl.DataFrame(rows)


def to_xlsx(codebook: Codebook, lang: str = "fr") -> bytes:
    q = codebook.questionnaire
    title = f"{q.title.get(lang)} — {q.id} {q.version}"
    notes = [gettext("codebook.workbook_note", lang)]
    return exports.to_xlsx_bytes(table(codebook, lang), sheet="Codebook", title=title, notes=notes)
