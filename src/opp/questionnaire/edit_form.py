"""From the fields of the "propose a change" form to an `Edit` (pure).

The form gives plain strings (empty when left blank) and one text area for choices,
one choice per line: ``value | French label | English label``. Errors name the field
or the line so the person can fix exactly that.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from opp.errors import OppError
from opp.i18n import gettext
from opp.questionnaire.edits import Edit, parse_edit
from opp.questionnaire.model import Choice
from opp.questionnaire.question_types import CHOICE_TYPES, NUMERIC_TYPES, has_choices, type_label


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _l10n(fr: Any, en: Any) -> dict[str, str] | None:
    if _blank(fr):
        return None
    out = {"fr": str(fr).strip()}
    if not _blank(en):
        out["en"] = str(en).strip()
    return out


def slug(text: str) -> str:
    """A choice value from a label: lower case ASCII, words joined by underscores."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:60] or "choix"


def parse_choice_lines(text: str) -> list[dict[str, Any]]:
    """``valeur | libellé | label`` per line; the value may be left out (made from the
    label). Blank lines are skipped."""
    choices: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) == 1:
            value, fr, en = slug(parts[0]), parts[0], ""
        else:
            value, fr, en = parts[0], parts[1], parts[2] if len(parts) > 2 else ""
        if not fr:
            raise OppError("CODESIGN_CHOICE_LINE", line=number, value=raw.strip()[:60])
        if value in seen:
            raise OppError("CODESIGN_CHOICE_DUPLICATE", line=number, value=value, first=seen[value])
        seen[value] = number
        choices.append({"value": value, "label": _l10n(fr, en)})
    if not choices:
        raise OppError("CODESIGN_CHOICES_EMPTY")
    return choices


def choice_lines(choices: list[Choice]) -> str:
    return "\n".join(
        f"{c.value} | {c.label.fr}" + (f" | {c.label.en}" if c.label.en else "") for c in choices
    )


def _number(values: dict[str, Any], name: str) -> float | None:
    raw = values.get(name)
    if _blank(raw):
        return None
    try:
        return float(str(raw).replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except ValueError:
        raise OppError("CODESIGN_NUMBER", field=name, value=str(raw)[:30]) from None


def from_form(kind: str, values: dict[str, Any]) -> Edit:
    """The edit described by the form's fields (see the page for their names)."""
    if kind == "add":
        qtype = values.get("type") or ""
        question: dict[str, Any] = {
            "id": (values.get("id") or "").strip(),
            "type": qtype,
            "label": _l10n(values.get("label_fr"), values.get("label_en")),
            "help": _l10n(values.get("help_fr"), values.get("help_en")),
            "required": bool(values.get("required")) and qtype != "note",
        }
        if qtype in CHOICE_TYPES:
            question["choices"] = parse_choice_lines(values.get("choices") or "")
        if qtype in NUMERIC_TYPES:
            question["unit"] = _l10n(values.get("unit_fr"), values.get("unit_en"))
            for bound in ("min", "max"):
                number = _number(values, bound)
                if number is not None:
                    question[bound] = number
        data: dict[str, Any] = {
            "kind": "add",
            "section": values.get("section"),
            "after": values.get("after") or None,
            "question": {k: v for k, v in question.items() if v is not None},
        }
        title = _l10n(values.get("section_title_fr"), values.get("section_title_en"))
        if title:
            data["section_title"] = title
        return parse_edit(data)
    if kind == "reword":
        return parse_edit(
            {
                "kind": "reword",
                "question_id": values.get("question_id"),
                "label": _l10n(values.get("label_fr"), values.get("label_en")),
                "help": _l10n(values.get("help_fr"), values.get("help_en")),
                "unit": _l10n(values.get("unit_fr"), values.get("unit_en")),
            }
        )
    if kind == "choices":
        return parse_edit(
            {
                "kind": "choices",
                "question_id": values.get("question_id"),
                "choices": parse_choice_lines(values.get("choices") or ""),
            }
        )
    if kind == "move":
        return parse_edit(
            {
                "kind": "move",
                "question_id": values.get("question_id"),
                "section": values.get("section"),
                "after": values.get("after") or None,
            }
        )
    return parse_edit({"kind": kind, "question_id": values.get("question_id")})


def describe(edit: Edit, questionnaire: Any, lang: str = "fr") -> list[tuple[str, str]]:
    """(what, value) pairs that show a proposal's content next to the current wording."""

    def say(key: str) -> str:
        return gettext(f"proposal.{key}", lang)

    def label_of(question_id: str) -> str:
        question = questionnaire.questions.get(question_id)
        return question.label.get(lang) if question else question_id

    def section_of(section_id: str) -> str:
        section = questionnaire.sections_by_id.get(section_id)
        return section.title.get(lang) if section else section_id

    rows: list[tuple[str, str]] = []
    if edit.kind == "add":
        q = edit.question
        rows += [
            (say("question"), f"{q.label.get(lang)} ({q.id})"),
            (say("type"), type_label(q.type, lang)),
            (say("section"), section_of(edit.section)),
        ]
        if edit.section_title:
            rows.append((say("new_section"), edit.section_title.get(lang)))
        if edit.after:
            rows.append((say("after"), label_of(edit.after)))
        if q.help:
            rows.append((say("help"), q.help.get(lang)))
        unit = getattr(q, "unit", None)
        if unit:
            rows.append((say("unit"), unit.get(lang)))
        if has_choices(q):
            rows.append((say("choices"), " ; ".join(c.label.get(lang) for c in q.choices)))
        if q.required:
            rows.append((say("required"), say("yes")))
        return rows
    rows.append((say("question"), f"{label_of(edit.question_id)} ({edit.question_id})"))
    current = questionnaire.questions.get(edit.question_id)
    if edit.kind == "reword":
        for name in ("label", "help", "unit"):
            new = getattr(edit, name)
            if new is not None:
                old = getattr(current, name, None) if current else None
                before = old.get(lang) if old else "—"
                rows.append((say(name), f"{before} → {new.get(lang)}"))
    elif edit.kind == "choices":
        old = " ; ".join(c.label.get(lang) for c in getattr(current, "choices", []) or [])
        rows.append((say("current_choices"), old or "—"))
        rows.append((say("proposed_choices"), " ; ".join(c.label.get(lang) for c in edit.choices)))
    elif edit.kind == "move":
        rows.append((say("to"), section_of(edit.section)))
        if edit.after:
            rows.append((say("after"), label_of(edit.after)))
    return rows
