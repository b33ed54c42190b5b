"""Edits proposed in co-design, and their application to a draft. Pure functions.

A proposal carries one edit (add, reword, change choices, move, retire); accepting it
applies the edit to the draft of the next version, which is checked like a file would
be (unique ids, known references, valid expressions). Sections that come from a shared
module (the common core) are read-only here: every filière answers them, so a filière
cannot change them alone.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import Field, TypeAdapter, ValidationError

from opp.errors import OppError, OppErrorGroup, did_you_mean
from opp.i18n import Vocabulary
from opp.questionnaire.loader import Located, check, errors_from_pydantic
from opp.questionnaire.model import (
    Choice,
    Id,
    L10n,
    Question,
    Questionnaire,
    RepeatQuestion,
    Section,
    _Frozen,
    _WithChoices,
)
from opp.questionnaire.yaml_source import SourceDoc

EditKind = Literal["add", "reword", "choices", "move", "retire"]
# How each kind of edit is named (catalogue messages `edit.kind.<kind>`).
KIND_LABELS: Final = Vocabulary("edit.kind", ("add", "reword", "choices", "move", "retire"))


class AddQuestion(_Frozen):
    kind: Literal["add"] = "add"
    question: Question
    section: Id
    # Where in the section; None = at the end.
    after: Id | None = None
    # Needed only when `section` is a new section (created at the end of the form).
    section_title: L10n | None = None


class Reword(_Frozen):
    kind: Literal["reword"] = "reword"
    question_id: Id
    label: L10n | None = None
    help: L10n | None = None
    unit: L10n | None = None


class ChangeChoices(_Frozen):
    kind: Literal["choices"] = "choices"
    question_id: Id
    choices: list[Choice] = Field(min_length=1)


class Move(_Frozen):
    kind: Literal["move"] = "move"
    question_id: Id
    section: Id
    after: Id | None = None


class Retire(_Frozen):
    kind: Literal["retire"] = "retire"
    question_id: Id


Edit = Annotated[AddQuestion | Reword | ChangeChoices | Move | Retire, Field(discriminator="kind")]
_EDIT = TypeAdapter(Edit)


def parse_edit(data: dict[str, Any], source: str = "proposition") -> Edit:
    """A proposal's edit from a form or a stored payload; errors name the field."""
    try:
        edit = _EDIT.validate_python(data)
    except ValidationError as exc:
        raise OppErrorGroup(errors_from_pydantic(exc, SourceDoc(data, source))) from None
    if isinstance(edit, Reword) and edit.label is None and edit.help is None and edit.unit is None:
        raise OppError("CODESIGN_REWORD_EMPTY", value=edit.question_id)
    return edit


def edit_json(edit: Edit) -> str:
    return _EDIT.dump_json(edit, exclude_none=True).decode()


def target_id(edit: Edit) -> str:
    return edit.question.id if isinstance(edit, AddQuestion) else edit.question_id


# --- application --------------------------------------------------------------------------


def apply(questionnaire: Questionnaire, edit: Edit) -> Questionnaire:
    """The questionnaire with `edit` applied, checked; raises `OppError` and changes nothing
    when the edit does not fit (unknown or read-only question, duplicate id, broken
    reference…)."""
    if isinstance(edit, AddQuestion):
        sections = _add(questionnaire, edit)
    elif isinstance(edit, Move):
        sections = _move(questionnaire, edit)
    elif isinstance(edit, Retire):
        sections = _retire(questionnaire, edit)
    else:
        sections = _modify(questionnaire, edit)
    data = questionnaire.model_dump()
    data["sections"] = [s.model_dump() for s in sections]
    try:
        result = Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise OppErrorGroup(errors_from_pydantic(exc, SourceDoc(data, "brouillon"))) from None
    check(Located(result, [SourceDoc(result.model_dump(), "brouillon")]))
    return result


def editable_sections(questionnaire: Questionnaire) -> list[Section]:
    """Sections the filière owns (not from an included module)."""
    return [s for s in questionnaire.sections if s.origin in (None, questionnaire.id)]


def _owned(questionnaire: Questionnaire, question_id: str) -> Section:
    if question_id not in questionnaire.questions:
        raise OppError(
            "CODESIGN_QUESTION_UNKNOWN",
            value=question_id,
            suggestion=did_you_mean(question_id, questionnaire.questions),
        )
    section = questionnaire.sections_by_id[questionnaire.section_of[question_id]]
    if section not in editable_sections(questionnaire):
        raise OppError("CODESIGN_CORE_READONLY", value=question_id, module=section.origin)
    return section


def _target_section(questionnaire: Questionnaire, section_id: str, title: L10n | None) -> Section:
    section = questionnaire.sections_by_id.get(section_id)
    if section is None:
        if title is None:
            raise OppError(
                "CODESIGN_SECTION_UNKNOWN",
                value=section_id,
                suggestion=did_you_mean(
                    section_id, [s.id for s in editable_sections(questionnaire)]
                ),
            )
        # Built without validation: it is empty until the question is inserted.
        return Section.model_construct(
            id=section_id, title=title, questions=[], origin=questionnaire.id
        )
    if section not in editable_sections(questionnaire):
        raise OppError("CODESIGN_CORE_READONLY", value=section_id, module=section.origin)
    return section


def _insert(questions: list[Any], question: Any, after: str | None) -> list[Any]:
    if after is None:
        return [*questions, question]
    ids = [q.id for q in questions]
    if after not in ids:
        raise OppError(
            "CODESIGN_POSITION_UNKNOWN", value=after, suggestion=did_you_mean(after, ids)
        )
    i = ids.index(after) + 1
    return [*questions[:i], question, *questions[i:]]


def _replace_section(
    questionnaire: Questionnaire, section: Section, questions: list[Any]
) -> list[Section]:
    """Sections with `section` holding `questions` (appended when new; dropped when empty)."""
    out: list[Section] = []
    found = False
    for s in questionnaire.sections:
        if s.id == section.id:
            found = True
            if questions:
                out.append(s.model_copy(update={"questions": questions}))
        else:
            out.append(s)
    if not found and questions:
        out.append(section.model_copy(update={"questions": questions}))
    return out


def _add(questionnaire: Questionnaire, edit: AddQuestion) -> list[Section]:
    if edit.question.id in questionnaire.questions:
        raise OppError(
            "Q_ID_DUPLICATE",
            file="brouillon",
            value=edit.question.id,
            first=questionnaire.section_of[edit.question.id],
        )
    section = _target_section(questionnaire, edit.section, edit.section_title)
    return _replace_section(
        questionnaire, section, _insert(list(section.questions), edit.question, edit.after)
    )


def _move(questionnaire: Questionnaire, edit: Move) -> list[Section]:
    source = _owned(questionnaire, edit.question_id)
    if edit.question_id in questionnaire.parent_repeat:
        raise OppError("CODESIGN_MOVE_CHILD", value=edit.question_id)
    question = questionnaire.questions[edit.question_id]
    remaining = [q for q in source.questions if q.id != edit.question_id]
    interim = _replace_section(questionnaire, source, remaining)
    partial = questionnaire.model_copy(update={"sections": interim})
    # Recompute lookups on the interim copy (cached properties are per instance).
    for name in ("questions", "section_of", "sections_by_id", "parent_repeat"):
        partial.__dict__.pop(name, None)
    target = _target_section(partial, edit.section, None)
    return _replace_section(partial, target, _insert(list(target.questions), question, edit.after))


def _retire(questionnaire: Questionnaire, edit: Retire) -> list[Section]:
    section = _owned(questionnaire, edit.question_id)
    parent = questionnaire.parent_repeat.get(edit.question_id)
    if parent is None:
        remaining = [q for q in section.questions if q.id != edit.question_id]
        return _replace_section(questionnaire, section, remaining)
    questions = []
    for q in section.questions:
        if q.id == parent and isinstance(q, RepeatQuestion):
            children = [c for c in q.questions if c.id != edit.question_id]
            if not children:
                raise OppError("CODESIGN_LAST_CHILD", value=edit.question_id, group=parent)
            q = q.model_copy(update={"questions": children})
        questions.append(q)
    return _replace_section(questionnaire, section, questions)


def _modify(questionnaire: Questionnaire, edit: Reword | ChangeChoices) -> list[Section]:
    section = _owned(questionnaire, edit.question_id)
    question = questionnaire.questions[edit.question_id]
    if isinstance(edit, ChangeChoices):
        if not isinstance(question, _WithChoices):
            raise OppError("CODESIGN_NOT_CHOICE", value=edit.question_id, type=question.type)
        update: dict[str, Any] = {"choices": list(edit.choices)}
    else:
        update = {
            name: value
            for name in ("label", "help", "unit")
            if (value := getattr(edit, name)) is not None
        }
    changed = question.model_copy(update=update)

    def swap(q: Any) -> Any:
        if q.id == edit.question_id:
            return changed
        if isinstance(q, RepeatQuestion):
            return q.model_copy(update={"questions": [swap(c) for c in q.questions]})
        return q

    return _replace_section(questionnaire, section, [swap(q) for q in section.questions])
