"""Questionnaire files → checked `Questionnaire` models, as a pipeline.

    read_text → parse_yaml → expand_choice_lists → build_model → compose → check

Every step raises `OppError` naming the file, the line and the path inside the document
(``sections[2].questions[5].type``), what was expected and, for misspelt names, a
suggestion. Checks that can find several problems report them all at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from opp.errors import OppError, OppErrorGroup, did_you_mean
from opp.i18n import DEFAULT
from opp.questionnaire import computed, expressions, patterns
from opp.questionnaire.model import (
    QUESTION_TYPES,
    ModuleRef,
    Questionnaire,
    RepeatQuestion,
    _Bounded,
    _WithChoices,
)
from opp.questionnaire.yaml_source import PathKey, SourceDoc, format_path, parse_yaml, read_text

# Names every expression may use besides question ids (filled from the campaign).
RESERVED_REFS = frozenset({"_reference_year"})


@dataclass
class Located:
    """A questionnaire with where each of its parts was written."""

    questionnaire: Questionnaire
    docs: list[SourceDoc] = field(default_factory=list)

    def locate(
        self, *, question: str | None = None, key: str | None = None, occurrence: int = 0
    ) -> dict[str, Any]:
        """`file`, `line`, `path` of a question (or of one of its keys) for error messages."""
        found = [
            (doc, path)
            for doc in self.docs
            for path in (_find_question_paths(doc.data, question) if question else [])
        ]
        if found:
            doc, path = found[min(occurrence, len(found) - 1)]
            full = (*path, key) if key else path
            return {"file": doc.file, "line": doc.line_of(full), "path": format_path(full)}
        first = self.docs[0] if self.docs else None
        return {"file": first.file if first else None}


# --- step 1: read and parse ---------------------------------------------------------------


def load_file(path: Path, modules: Mapping[str, Located] | None = None) -> Located:
    """Load one questionnaire (or module) file and check it completely."""
    doc = parse_yaml(read_text(path), str(path))
    return load_doc(doc, modules or {})


def load_text(
    text: str, file: str = "<texte>", modules: Mapping[str, Located] | None = None
) -> Located:
    """Same as `load_file` for text already in memory (uploads, tests)."""
    return load_doc(parse_yaml(text, file), modules or {})


def load_doc(doc: SourceDoc, modules: Mapping[str, Located]) -> Located:
    if not isinstance(doc.data, dict):
        raise OppError("YAML_NOT_MAPPING", file=doc.file, line=1)
    inherited: dict[str, Any] = {}
    for module_id in doc.data.get("include") or []:
        module = modules.get(module_id) if isinstance(module_id, str) else None
        if module is not None:
            inherited.update(
                {
                    k: [c.model_dump() for c in v]
                    for k, v in module.questionnaire.choice_lists.items()
                }
            )
    data = expand_choice_lists(doc, inherited)
    own = build_model(data, doc)
    located = compose(Located(own, [doc]), modules, doc)
    check(located)
    return located


# --- step 2: choice lists -----------------------------------------------------------------


def expand_choice_lists(doc: SourceDoc, inherited: dict[str, Any] | None = None) -> dict[str, Any]:
    """Replace `choices: list_name` by the list defined under `choice_lists`.

    Lists of included modules (`inherited`) can be used too; the file's own lists win.
    """
    data: dict[str, Any] = doc.data
    own_lists = data.get("choice_lists") or {}
    if not isinstance(own_lists, dict):
        return data
    lists = {**(inherited or {}), **own_lists}
    errors: list[OppError] = []

    def expand(question: Any, path: PathKey) -> Any:
        if not isinstance(question, dict):
            return question
        out = dict(question)
        ref = out.get("choices")
        if isinstance(ref, str):
            if ref in lists:
                out["choices"] = lists[ref]
            else:
                cpath = (*path, "choices")
                errors.append(
                    OppError(
                        "Q_CHOICE_LIST_UNKNOWN",
                        file=doc.file,
                        line=doc.line_of(cpath),
                        path=format_path(cpath),
                        value=ref,
                        expected=sorted(lists) or ["—"],
                        suggestion=did_you_mean(ref, lists),
                    )
                )
        if isinstance(out.get("questions"), list):
            out["questions"] = [
                expand(child, (*path, "questions", j)) for j, child in enumerate(out["questions"])
            ]
        return out

    sections = data.get("sections")
    if isinstance(sections, list):
        new_sections = []
        for i, section in enumerate(sections):
            if isinstance(section, dict) and isinstance(section.get("questions"), list):
                section = {
                    **section,
                    "questions": [
                        expand(q, ("sections", i, "questions", j))
                        for j, q in enumerate(section["questions"])
                    ],
                }
            new_sections.append(section)
        data = {**data, "sections": new_sections}
    if errors:
        raise OppErrorGroup(errors)
    return data


# --- step 3: pydantic model ---------------------------------------------------------------

_REASONS_FR = {
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "bool_parsing": "true ou false attendu",
    "string_type": "texte attendu",
    "list_type": "liste attendue (lignes commençant par « - »)",
    "dict_type": "bloc de clés attendu",
    "model_type": "bloc de clés attendu",
    "model_attributes_type": "bloc de clés attendu",
    "too_short": "liste vide : au moins un élément est nécessaire",
    "string_too_short": "texte vide",
    "date_parsing": "date AAAA-MM-JJ attendue",
    "date_from_datetime_parsing": "date AAAA-MM-JJ attendue",
    "date_type": "date AAAA-MM-JJ attendue",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "literal_error": "valeur non prévue",
    "value_error": "valeur non valide",
    "string_pattern_mismatch": "format non valide",
}


def build_model(data: dict[str, Any], doc: SourceDoc) -> Questionnaire:
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise OppErrorGroup(errors_from_pydantic(exc, doc)) from None


def errors_from_pydantic(
    exc: ValidationError, doc: SourceDoc, root: type[BaseModel] = Questionnaire
) -> list[OppError]:
    """Pydantic errors as catalogue errors naming file, line and path in the document."""
    errors: list[OppError] = []
    seen: set[str] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        data_path = _data_path(doc.data, loc)
        where: dict[str, Any] = {
            "file": doc.file,
            "line": doc.line_of(data_path),
            "path": format_path(data_path),
        }
        if kind == "union_tag_invalid":
            tag = str(err.get("ctx", {}).get("tag", ""))
            if tag == "repeat":
                error = OppError("Q_REPEAT_NESTED", **where)
            else:
                expected = list(QUESTION_TYPES)
                type_path = (*data_path, "type")
                error = OppError(
                    "Q_TYPE_UNKNOWN",
                    file=doc.file,
                    line=doc.line_of(type_path),
                    path=format_path(type_path),
                    value=tag,
                    expected=expected,
                    suggestion=did_you_mean(tag, expected),
                )
        elif kind == "union_tag_not_found":
            error = OppError("Q_FIELD_MISSING", **where, field="type")
        elif kind == "missing":
            error = OppError("Q_FIELD_MISSING", **where, field=loc[-1])
        elif kind == "extra_forbidden":
            allowed = _allowed_fields(loc[:-1], root)
            error = OppError(
                "Q_FIELD_UNKNOWN",
                **where,
                field=loc[-1],
                expected=allowed,
                suggestion=did_you_mean(str(loc[-1]), allowed),
            )
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
            error = OppError("Q_ID_INVALID", **where, value=err.get("input"))
        elif loc and loc[-1] == DEFAULT and kind == "missing":  # the French text
            error = OppError("Q_LABEL_FR_MISSING", **where)
        else:
            reason_en = err.get("msg", kind)
            reason_fr = _REASONS_FR.get(kind, reason_en)
            ctx = err.get("ctx") or {}
            if kind == "literal_error" and "expected" in ctx:
                reason_fr = f"valeurs possibles : {ctx['expected']}"
            error = OppError(
                "Q_FIELD_INVALID",
                **where,
                value=_short(err.get("input")),
                reason={"fr": reason_fr, "en": reason_en},
            )
        key = error.message("fr")
        if key not in seen:
            seen.add(key)
            errors.append(error)
    return errors


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Follow a pydantic location in the data, dropping union tags it inserts."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
            path.append(part)
        elif i == len(loc) - 1:
            path.append(part)  # a missing key: point at its would-be place
    return tuple(path)


def _allowed_fields(loc: tuple[Any, ...], root: type[BaseModel]) -> list[str]:
    """Field names of the model found at a pydantic location (for 'did you mean')."""
    target: Any = root
    for part in loc:
        target = _step(target, part)
        if target is None:
            return []
    model = _as_model(target, None)
    return sorted(model.model_fields) if model else []


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _as_model(tp: Any, tag: Any) -> type[BaseModel] | None:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    if get_origin(tp) in (Union, UnionType):
        for arg in get_args(tp):
            model = _as_model(arg, None)
            if model is None:
                continue
            type_field = model.model_fields.get("type")
            if tag is None or (type_field and tag in get_args(type_field.annotation)):
                return model
    return None


def _step(target: Any, part: Any) -> Any:
    target = _unwrap(target)
    origin = get_origin(target)
    if origin is list and isinstance(part, int):
        return get_args(target)[0]
    if origin is dict:
        return get_args(target)[1]
    if origin in (Union, UnionType):
        return _as_model(target, part)
    model = _as_model(target, None)
    if model and isinstance(part, str) and part in model.model_fields:
        return model.model_fields[part].annotation
    return None


# --- step 4: composition with included modules --------------------------------------------


def compose(located: Located, modules: Mapping[str, Located], doc: SourceDoc) -> Located:
    """Prepend the sections, rules and choice lists of included modules."""
    own = located.questionnaire
    if not own.include:
        return Located(own.model_copy(update={"sections": _tag(own.sections, own.id)}), [doc])
    sections, rules, lists, refs, docs = [], [], {}, [], []
    for i, module_id in enumerate(own.include):
        module = modules.get(module_id)
        if module is None:
            raise OppError(
                "Q_INCLUDE_UNKNOWN",
                file=doc.file,
                line=doc.line_of(("include", i)),
                path=format_path(("include", i)),
                value=module_id,
                expected=sorted(modules) or ["—"],
                suggestion=did_you_mean(module_id, modules),
            )
        mq = module.questionnaire
        sections += mq.sections
        rules += mq.rules
        lists.update(mq.choice_lists)
        refs.append(ModuleRef(id=mq.id, version=mq.version))
        docs += module.docs
    composed = own.model_copy(
        update={
            "sections": [*sections, *_tag(own.sections, own.id)],
            "rules": [*rules, *own.rules],
            "choice_lists": {**lists, **own.choice_lists},
            "composed_from": refs,
        }
    )
    # Re-validate so cached lookups and invariants apply to the composed whole.
    composed = Questionnaire.model_validate(composed.model_dump())
    return Located(composed, [doc, *docs])


def _tag(sections: list[Any], origin: str) -> list[Any]:
    return [s if s.origin else s.model_copy(update={"origin": origin}) for s in sections]


# --- step 5: semantic checks --------------------------------------------------------------


def check(located: Located) -> None:
    """Unique ids, bounds, patterns and expressions; all problems reported together."""
    q = located.questionnaire
    errors: list[OppError] = []
    seen_q: dict[str, str] = {}
    seen_s: dict[str, str] = {}
    for s_index, section in enumerate(q.sections):
        if section.id in seen_s:
            errors.append(
                OppError(
                    "Q_ID_DUPLICATE",
                    **_section_where(located, s_index),
                    value=section.id,
                    first=seen_s[section.id],
                )
            )
        seen_s.setdefault(section.id, f"sections[{s_index}]")
    counts: dict[str, int] = {}
    for _section, question, _parent in q.iter_questions():
        occurrence = counts.get(question.id, 0)
        counts[question.id] = occurrence + 1
        where = located.locate(question=question.id, occurrence=occurrence)
        if question.id in seen_q:
            errors.append(
                OppError("Q_ID_DUPLICATE", **where, value=question.id, first=seen_q[question.id])
            )
            continue
        seen_q[question.id] = where.get("path") or question.id
        errors += _check_question(question, located)
    rule_ids: set[str] = set()
    known = set(q.questions) | RESERVED_REFS
    for r_index, rule in enumerate(q.rules):
        where = _rule_where(located, r_index)
        if rule.id in rule_ids:
            errors.append(OppError("Q_ID_DUPLICATE", **where, value=rule.id, first="rules"))
        rule_ids.add(rule.id)
        for field_id in rule.fields:
            if field_id not in q.questions:
                errors.append(
                    OppError(
                        "Q_REF_UNKNOWN",
                        **where,
                        expression=f"fields: {field_id}",
                        value=field_id,
                        suggestion=did_you_mean(field_id, q.questions),
                    )
                )
        errors += _check_expression(rule.check, known, where, allow_self=False)
    for s_index, section in enumerate(q.sections):
        if section.relevant:
            errors += _check_expression(
                section.relevant, known, _section_where(located, s_index), allow_self=False
            )
    if errors:
        raise OppErrorGroup(errors)


def _check_question(question: Any, located: Located) -> list[OppError]:
    errors: list[OppError] = []
    q = located.questionnaire
    known = set(q.questions) | RESERVED_REFS
    bounded = isinstance(question, _Bounded)
    if bounded and None not in (question.min, question.max) and question.min > question.max:
        errors.append(
            OppError(
                "Q_MIN_MAX",
                **located.locate(question=question.id, key="min"),
                min=question.min,
                max=question.max,
            )
        )
    for lo, hi in (("min_date", "max_date"), ("min_length", "max_length")):
        low, high = getattr(question, lo, None), getattr(question, hi, None)
        if low is not None and high is not None and low > high:
            errors.append(
                OppError(
                    "Q_MIN_MAX", **located.locate(question=question.id, key=lo), min=low, max=high
                )
            )
    if isinstance(question, _WithChoices):
        values: set[str] = set()
        for choice in question.choices:
            # A cascading list may repeat a value under other columns (same county name
            # in two states): the filter offers it once.
            if choice.value in values and not question.choice_filter:
                errors.append(
                    OppError(
                        "Q_CHOICE_DUPLICATE",
                        **located.locate(question=question.id, key="choices"),
                        value=choice.value,
                    )
                )
            values.add(choice.value)
    pattern = getattr(question, "pattern", None)
    if pattern:
        try:
            patterns.compile_pattern(pattern)
        except patterns.PatternError as exc:
            errors.append(
                OppError(
                    "Q_PATTERN_INVALID",
                    **located.locate(question=question.id, key="pattern"),
                    value=pattern,
                    reason=exc.reason,
                )
            )
    if question.relevant:
        errors += _check_expression(
            question.relevant,
            known,
            located.locate(question=question.id, key="relevant"),
            allow_self=False,
        )
    if question.constraint:
        errors += _check_expression(
            question.constraint,
            known,
            located.locate(question=question.id, key="constraint"),
            allow_self=True,
        )
    for key in ("required_if", "calculation"):
        source = getattr(question, key, None)
        if source:
            where = located.locate(question=question.id, key=key)
            errors += _check_expression(source, known, where, allow_self=False)
    if isinstance(question, _WithChoices) and question.choice_filter:
        errors += _check_filter(question, known, located)
    errors += _check_texts(question, known, located)
    if isinstance(question, RepeatQuestion) and question.min_items > question.max_items:
        errors.append(
            OppError(
                "Q_MIN_MAX",
                **located.locate(question=question.id, key="min_items"),
                min=question.min_items,
                max=question.max_items,
            )
        )
    return errors


def _check_expression(
    source: str, known: set[str], where: dict[str, Any], *, allow_self: bool
) -> list[OppError]:
    try:
        expr = expressions.parse(source)
    except OppError as exc:
        return [exc.with_location(**where)]
    errors: list[OppError] = []
    for ref in sorted(expr.references - known):
        errors.append(
            OppError(
                "Q_REF_UNKNOWN",
                **where,
                expression=source,
                value=ref,
                suggestion=did_you_mean(ref, known),
            )
        )
    if expr.uses_self and not allow_self:
        errors.append(OppError("Q_REF_SELF_OUTSIDE", **where))
    return errors


def _check_filter(question: Any, known: set[str], located: Located) -> list[OppError]:
    where = located.locate(question=question.id, key="choice_filter")
    try:
        expr = computed.filter_expression(question.choice_filter)
    except OppError as exc:
        return [exc.with_location(**where)]
    errors = [
        OppError(
            "Q_REF_UNKNOWN",
            **where,
            expression=question.choice_filter,
            value=ref,
            suggestion=did_you_mean(ref, known),
        )
        for ref in sorted(computed.answer_references(expr) - known)
    ]
    columns = {"name", "label"} | {k for c in question.choices for k in c.columns}
    errors += [
        OppError(
            "Q_CHOICE_FILTER_COLUMN",
            **where,
            expression=question.choice_filter,
            value=column,
            expected=sorted(columns),
        )
        for column in sorted(computed.choice_columns(expr) - columns)
    ]
    if expr.uses_self:
        errors.append(OppError("Q_REF_SELF_OUTSIDE", **where))
    return errors


def _check_texts(question: Any, known: set[str], located: Located) -> list[OppError]:
    """``${x}`` inside label, help and constraint message must name a question."""
    errors: list[OppError] = []
    for key in ("label", "help", "constraint_message"):
        text = getattr(question, key, None)
        for lang_text in (text.fr, text.en) if text is not None else ():
            for ref in sorted(computed.text_references(lang_text) - known):
                errors.append(
                    OppError(
                        "Q_REF_UNKNOWN",
                        **located.locate(question=question.id, key=key),
                        expression=lang_text,
                        value=ref,
                        suggestion=did_you_mean(ref, known),
                    )
                )
    return errors


def _section_where(located: Located, index: int) -> dict[str, Any]:
    section = located.questionnaire.sections[index]
    for doc in located.docs:
        for i, raw in enumerate(doc.data.get("sections") or []):
            if isinstance(raw, dict) and raw.get("id") == section.id:
                path = ("sections", i)
                return {"file": doc.file, "line": doc.line_of(path), "path": format_path(path)}
    return {"file": located.docs[0].file if located.docs else None}


def _rule_where(located: Located, index: int) -> dict[str, Any]:
    rule = located.questionnaire.rules[index]
    for doc in located.docs:
        for i, raw in enumerate(doc.data.get("rules") or []):
            if isinstance(raw, dict) and raw.get("id") == rule.id:
                path = ("rules", i, "check")
                return {"file": doc.file, "line": doc.line_of(path), "path": format_path(path)}
    return {"file": located.docs[0].file if located.docs else None}


def _find_question_paths(data: Any, question_id: str) -> list[PathKey]:
    """Every place where a question with this id is written (several if duplicated)."""
    found: list[PathKey] = []
    if not isinstance(data, dict):
        return found
    for i, section in enumerate(data.get("sections") or []):
        if not isinstance(section, dict):
            continue
        for j, question in enumerate(section.get("questions") or []):
            if not isinstance(question, dict):
                continue
            if question.get("id") == question_id:
                found.append(("sections", i, "questions", j))
            for k, child in enumerate(question.get("questions") or []):
                if isinstance(child, dict) and child.get("id") == question_id:
                    found.append(("sections", i, "questions", j, "questions", k))
    return found
