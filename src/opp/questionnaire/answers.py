"""Cleaned answers ⇄ long-format rows (one per question × repeat item, typed columns).

Long format survives questionnaire versions and never hits column limits; analytics
pivots it in DuckDB. Top-level answers have item 0; repeat items are numbered from 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opp.questionnaire.model import Questionnaire, RepeatQuestion
from opp.questionnaire.question_types import descriptor

VALUE_COLUMNS = ("value_num", "value_text", "value_bool", "value_date", "value_list")


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    item: int
    group_id: str | None
    value_num: float | None = None
    value_text: str | None = None
    value_bool: bool | None = None
    value_date: dt.date | None = None
    value_list: list[str] | None = None


def _row(question: Any, value: Any, item: int, group: str | None) -> AnswerRow:
    base = {"question_id": question.id, "item": item, "group_id": group}
    kind = descriptor(question).value_kind
    if kind == "num":
        return AnswerRow(**base, value_num=float(value))
    if kind == "bool":
        return AnswerRow(**base, value_bool=bool(value))
    if kind == "date":
        return AnswerRow(**base, value_date=value)
    if kind == "list":
        return AnswerRow(**base, value_list=list(value))
    return AnswerRow(**base, value_text=str(value))


def to_rows(questionnaire: Questionnaire, cleaned: dict[str, Any]) -> list[AnswerRow]:
    """Rows of a cleaned answer set (see `validate_answers`)."""
    rows: list[AnswerRow] = []
    for question_id, value in cleaned.items():
        question = questionnaire.questions[question_id]
        if isinstance(question, RepeatQuestion):
            children = {c.id: c for c in question.questions}
            for number, item in enumerate(value, start=1):
                rows.extend(
                    _row(children[cid], cval, number, question.id)
                    for cid, cval in item.items()
                    if cval is not None
                )
        elif value is not None:
            rows.append(_row(question, value, 0, None))
    return rows


def to_columns(questionnaire: Questionnaire, cleaned: dict[str, Any]) -> dict[str, list[Any]]:
    """Column lists ready for a single Arrow/DataFrame batch insert."""
    rows = to_rows(questionnaire, cleaned)
    columns: dict[str, list[Any]] = {
        name: [] for name in ("question_id", "item", "group_id", *VALUE_COLUMNS)
    }
    for row in rows:
        for name, values in columns.items():
            values.append(getattr(row, name))
    return columns


def from_rows(questionnaire: Questionnaire, rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """Answers dict from stored rows `(question_id, item, num, text, bool, date, list)`.

    Rows for questions absent from this questionnaire version are skipped.
    """
    answers: dict[str, Any] = {}
    items: dict[str, dict[int, dict[str, Any]]] = {}
    parents = questionnaire.parent_repeat
    for question_id, item, num, text, flag, date, values in rows:
        question = questionnaire.questions.get(question_id)
        if question is None:
            continue
        value = _value(question, num, text, flag, date, values)
        if value is None:
            continue
        parent = parents.get(question_id)
        if parent is None:
            answers[question_id] = value
        else:
            items.setdefault(parent, {}).setdefault(int(item), {})[question_id] = value
    for repeat_id, by_number in items.items():
        answers[repeat_id] = [by_number[n] for n in sorted(by_number)]
    return answers


def _value(question: Any, num: Any, text: Any, flag: Any, date: Any, values: Any) -> Any:
    kind = descriptor(question)
    if kind.value_kind == "num":
        if num is None:
            return None
        return int(num) if kind.whole_number else float(num)
    if kind.value_kind == "bool":
        return flag
    if kind.value_kind == "date":
        return date
    if kind.value_kind == "list":
        return list(values) if values is not None else None
    return text
