"""What changed between two versions of a questionnaire: the base of change logs, version
numbers and the side-by-side view. Pure functions.

Question ids are stable: a reworded question keeps its id, and an id is never reused with
another meaning — `meaning_conflicts` enforces it against the whole history.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Literal

from opp.errors import OppError
from opp.i18n import LANGUAGES, gettext, has_message
from opp.questionnaire.expressions import parse
from opp.questionnaire.model import L10n, Questionnaire

ChangeKind = Literal["added", "removed", "changed", "moved"]
# Fields compared for "changed", in the order they are reported.
FIELDS = (
    "type",
    "label",
    "help",
    "unit",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "choices",
    "min",
    "max",
    "min_length",
    "max_length",
    "pattern",
    "personal",
    "carry_forward",
)


def field_label(name: str, lang: str) -> str:
    """A question's field in words ("libellé"); `diff.field.<field>` in the catalogues,
    the field's name for a field they do not list."""
    msgid = f"diff.field.{name}"
    return gettext(msgid, lang) if has_message(msgid) else name


WORDING = frozenset({"label", "help", "unit", "constraint_message"})


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    question_id: str
    section: str
    fields: tuple[str, ...] = ()
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None

    def describe(self, lang: str = "fr") -> str:
        label = (self.new or self.old or {}).get("label") or {}
        name = f"« {label.get(lang) or label.get('fr') or self.question_id} » ({self.question_id})"
        if self.kind in ("added", "removed", "moved"):
            return gettext(f"diff.{self.kind}", lang, name=name, section=self.section)
        what = ", ".join(gettext(f"diff.field.{f}", lang) for f in self.fields)
        return gettext("diff.changed", lang, name=name, what=what)


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def empty(self) -> bool:
        return not self.changes


def _flat(questionnaire: Questionnaire) -> dict[str, tuple[str, int, dict[str, Any]]]:
    """Question id → (section id, position, comparable fields)."""
    out: dict[str, tuple[str, int, dict[str, Any]]] = {}
    for position, (section, question, parent) in enumerate(questionnaire.iter_questions()):
        data = question.model_dump(exclude_defaults=False)
        for name in ("relevant", "constraint"):
            if data.get(name):
                data[name] = parse(data[name]).canonical()
        where = f"{section.id}/{parent.id}" if parent is not None else section.id
        out[question.id] = (where, position, data)
    return out


def diff(old: Questionnaire, new: Questionnaire) -> Diff:
    """Changes from `old` to `new`, in the new document order (removals last)."""
    before, after = _flat(old), _flat(new)
    result = Diff()
    moved = _moved([q for q in before if q in after], [q for q in after if q in before])
    for question_id, (section, _position, data) in after.items():
        if question_id not in before:
            result.changes.append(Change("added", question_id, section, new=data))
            continue
        old_section, _old_position, old_data = before[question_id]
        changed = tuple(
            f for f in FIELDS if old_data.get(f) != data.get(f) and (f in old_data or f in data)
        )
        if changed:
            result.changes.append(Change("changed", question_id, section, changed, old_data, data))
        if old_section != section or question_id in moved:
            result.changes.append(Change("moved", question_id, section, old=old_data, new=data))
    for question_id, (section, _position, data) in before.items():
        if question_id not in after:
            result.changes.append(Change("removed", question_id, section, old=data))
    return result


def _moved(before: list[str], after: list[str]) -> set[str]:
    """Questions outside the longest run kept in the same relative order."""
    position = {q: i for i, q in enumerate(before)}
    sequence = [position[q] for q in after]
    # Longest increasing subsequence (patience sorting, O(n log n)).
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(sequence)
    for i, value in enumerate(sequence):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[k] = value
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k else -1
    kept: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        kept.add(i)
        i = parent[i]
    return {after[i] for i in range(len(after)) if i not in kept}


def next_version(current: str, changes: Diff) -> str:
    """Semantic versioning of questionnaires.

    Major: a question removed, a type changed, or choice values removed (older answers no
    longer fit). Minor: questions added or moved, choices added, conditions or constraints
    changed. Patch: wording only (labels, help, units, messages).
    """
    major, minor, patch = (int(x) for x in current.split("."))
    removed_choice = any(
        "choices" in c.fields
        and not {ch["value"] for ch in (c.old or {}).get("choices") or []}
        <= {ch["value"] for ch in (c.new or {}).get("choices") or []}
        for c in changes.of("changed")
    )
    if (
        changes.of("removed")
        or removed_choice
        or any("type" in c.fields for c in changes.of("changed"))
    ):
        return f"{major + 1}.0.0"
    structural = (
        changes.of("added")
        or changes.of("moved")
        or any(set(c.fields) - WORDING for c in changes.of("changed"))
    )
    if structural:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def changelog(changes: Diff) -> list[L10n]:
    """One line per change, French and English (shown to contributors)."""
    return [L10n(**{lang: c.describe(lang) for lang in LANGUAGES}) for c in changes.changes]


def meaning_conflicts(history: list[Questionnaire], new: Questionnaire) -> list[OppError]:
    """An id already used in an earlier version must keep its type (never reused with
    another meaning, even after it was retired)."""
    known: dict[str, tuple[str, str]] = {}
    for version in history:
        for _, question, _ in version.iter_questions():
            known.setdefault(question.id, (question.type, version.version))
    errors = []
    for _, question, _ in new.iter_questions():
        previous = known.get(question.id)
        if previous and previous[0] != question.type:
            errors.append(
                OppError(
                    "Q_ID_REUSED",
                    value=question.id,
                    old_type=previous[0],
                    new_type=question.type,
                    version=previous[1],
                )
            )
    return errors


def earlier_versions(questionnaire: Questionnaire) -> list[Questionnaire]:
    """The versions before this one, rebuilt from the change log's `added` lists
    (newest first). Stops at the first entry that does not say what it added."""
    out: list[Questionnaire] = []
    current = questionnaire
    while len(current.changelog) > 1 and current.changelog[-1].added:
        added = set(current.changelog[-1].added)
        sections = []
        for section in current.sections:
            kept = [q for q in section.questions if q.id not in added]
            if kept:
                sections.append(section.model_copy(update={"questions": kept}))
        rules = [
            r
            for r in current.rules
            if not (parse(r.check).references & added) and not (set(r.fields) & added)
        ]
        previous = current.changelog[-2]
        current = Questionnaire.model_validate(
            current.model_copy(
                update={
                    "sections": sections,
                    "rules": rules,
                    "version": previous.version,
                    "changelog": current.changelog[:-1],
                }
            ).model_dump()
        )
        out.append(current)
    return out
