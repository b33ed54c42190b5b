"""Questionnaire → XLSForm workbook (see `xlsform` for the mapping table).

The survey, choices and settings sheets follow the XLSForm specification so that
KoboToolbox and ODK accept the file as is; the ``opp`` sheet (ignored by ODK) keeps what
XLSForm cannot express, so that `import_xlsform` gives the questionnaire back unchanged.
"""

from __future__ import annotations

import io
import json
from typing import Any, TypeGuard

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from opp import clock
from opp.errors import OppError
from opp.questionnaire import expressions
from opp.questionnaire.expr_syntax import Binary, Call, Node, Ref, to_text
from opp.questionnaire.expr_syntax import Literal as Lit
from opp.questionnaire.model import (
    CalculateQuestion,
    Choice,
    L10n,
    Question,
    Questionnaire,
    RepeatQuestion,
    Rule,
    Section,
)
from opp.questionnaire.question_types import descriptor, has_choices
from opp.questionnaire.xlsform import (
    GEO_LISTS,
    LANG_NAMES,
    OPP_FORMAT,
    OPP_SHEET,
    REFERENCE_YEAR_CALC,
    SURVEY_KEYS,
    YES_NO_LIST,
    map_tree,
)
from opp.questionnaire.xlsform_limits import Msg, Part

Row = dict[str, Any]
_SPECIAL_LISTS = {YES_NO_LIST, *GEO_LISTS.values()}


class Exporter:
    """Builds the four sheets in memory, then writes them with openpyxl."""

    def __init__(
        self, questionnaire: Questionnaire, languages: tuple[str, ...], reference_year: int | None
    ) -> None:
        if not languages or any(lang not in LANG_NAMES for lang in languages):
            raise ValueError(f"languages must be a non-empty subset of {tuple(LANG_NAMES)}")
        self.q = questionnaire
        self.langs = tuple(dict.fromkeys(languages))
        self.year = reference_year if reference_year is not None else clock.today().year - 1
        # ODK keeps yes/no answers as 'true' / 'false': expressions compare them so.
        self.yes_no = {
            q.id for _, q, _ in questionnaire.iter_questions() if descriptor(q).value_kind == "bool"
        }
        self.taken = set(questionnaire.questions) | {s.id for s in questionnaire.sections}
        self.calc = self._unique(REFERENCE_YEAR_CALC)
        self.survey: list[Row] = []
        self.lists: dict[str, list[Row]] = {}
        self.opp: list[tuple[str, str, Any]] = [("format", OPP_FORMAT, {})]
        self.rules: dict[str, list[Rule]] = {}
        for rule in questionnaire.rules:
            target = next((f for f in rule.fields if self._holds_value(f)), None)
            if rule.severity == "error" and target:
                self.rules.setdefault(target, []).append(rule)
        # Named choice lists keep their name unless it is one of ours.
        self.named = {
            name: f"{name}_liste" if name in _SPECIAL_LISTS else name
            for name in questionnaire.choice_lists
        }

    def _holds_value(self, question_id: str) -> bool:
        question = self.q.questions.get(question_id)
        return question is not None and question.has_value and question.type != "repeat"

    def _unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{name}_{n}"
        self.taken.add(candidate)
        return candidate

    # --- survey ----------------------------------------------------------------------------

    def run(self) -> bytes:
        if self._uses_reference_year():
            self.survey.append(
                {"type": "calculate", "name": self.calc, "calculation": str(self.year)}
            )
        for name, choices in self.q.choice_lists.items():
            self._add_list(self.named[name], choices)
        for section in self.q.sections:
            self._section(section)
        meta = self.q.model_dump(
            mode="json",
            exclude_defaults=True,
            include={"kind", "audience", "title", "description", "status", "languages"}
            | {"changelog"},
        )
        meta["choice_lists"] = {v: k for k, v in self.named.items()}
        meta["reference_year"] = self.calc
        self.opp.insert(1, ("questionnaire", self.q.id, meta))
        for rule in self.q.rules:
            self.opp.append(("rule", rule.id, rule.model_dump(mode="json", exclude_defaults=True)))
        return self._write()

    def _uses_reference_year(self) -> bool:
        sources = [r.check for r in self.q.rules] + [s.relevant for s in self.q.sections]
        for _, q, _ in self.q.iter_questions():
            sources += [q.relevant, q.constraint]
        return any("_reference_year" in expressions.parse(s).references for s in sources if s)

    def _section(self, section: Section) -> None:
        has_repeat = any(isinstance(q, RepeatQuestion) for q in section.questions)
        relevant = self._odk(section.relevant)
        # XLSForm names are unique across the form; our section ids have their own namespace.
        clash = section.id in self.q.questions
        name = self._unique(f"{section.id}_section") if clash else section.id
        row = {"type": "begin_group", "name": name, "label": section.title}
        row |= {"relevant": relevant, "appearance": None if has_repeat else "field-list"}
        self.survey.append(row)
        info: dict[str, Any] = {"id": section.id} if clash else {}
        if section.origin:
            info["extra"] = {"origin": section.origin}
        if relevant != section.relevant:
            info |= {"sent": {"relevant": relevant}, "orig": {"relevant": section.relevant}}
        if section.description:
            info["intro"] = self._unique(f"{section.id}_description")
            self.survey.append(
                {"type": "note", "name": info["intro"], "label": section.description}
            )
        self.opp.append(("section", name, info))
        for question in section.questions:
            self._question(question)
        self.survey.append({"type": "end_group"})

    def _question(self, q: Question) -> None:
        dump = q.model_dump(mode="json", exclude_defaults=True)
        keys = SURVEY_KEYS.get(q.type, SURVEY_KEYS["*"])
        info: dict[str, Any] = {"type": q.type}
        extra = {k: v for k, v in dump.items() if k not in keys}
        relevant = self._odk(q.relevant)
        row: Row = {"name": q.id, "label": q.label, "relevant": relevant}
        sent: dict[str, Any] = {"relevant": relevant}
        if isinstance(q, RepeatQuestion):
            self.survey.append({"type": "begin_repeat", **row})
            for child in q.questions:
                self._question(child)
            self.survey.append({"type": "end_repeat"})
            info["xls"] = "begin_repeat"
        else:
            info["xls"] = row["type"] = self._xls_type(q)
            row["hint"] = q.help
            mapping = descriptor(q).xls
            row["appearance"] = mapping.appearance(q) if mapping else None
            if isinstance(q, CalculateQuestion):
                row["calculation"] = sent["calculation"] = self._odk(q.calculation)
            if has_choices(q) and q.choice_filter:  # bare names: the choices' columns
                row["choice_filter"] = q.choice_filter
            if q.has_value:
                constraint, message = self._constraint(q)
                row |= {"required": "yes" if q.required else None, "constraint": constraint}
                row["constraint_message"] = message
                sent |= {"constraint": constraint, "constraint_message": message}
            self.survey.append(row)
        orig: dict[str, Any] = {"relevant": q.relevant, "constraint": q.constraint}
        if isinstance(q, CalculateQuestion):
            orig["calculation"] = q.calculation
        orig["constraint_message"] = self._msg([q.constraint_message])
        changed = [k for k in sent if sent[k] != orig[k]]
        if changed:
            info["sent"] = {k: sent[k] for k in changed}
            info["orig"] = {k: dump.get(k) for k in changed}
        if extra:
            info["extra"] = extra
        self.opp.append(("question", q.id, info))

    def _xls_type(self, q: Question) -> str:
        """The survey type of a question (the registry's mapping), adding its list."""
        mapping = descriptor(q).xls
        if mapping is None:
            raise TypeError(f"no XLSForm type for question type {q.type!r}")
        if mapping.list_name is not None and mapping.choices is not None:
            return f"{mapping.type} {self._add_list(mapping.list_name, mapping.choices())}"
        if not has_choices(q):
            return mapping.type
        kind = mapping.type
        name = next((n for n, c in self.q.choice_lists.items() if c == q.choices), None)
        if name is not None:
            return f"{kind} {self.named[name]}"
        name = q.id
        while name in self.lists or name in _SPECIAL_LISTS or name in self.q.choice_lists:
            name += "_choix"
        return f"{kind} {self._add_list(name, q.choices)}"

    def _add_list(self, name: str, choices: list[Choice]) -> str:
        if name not in self.lists:
            self.lists[name] = [
                {"list_name": name, "name": c.value, "label": c.label, **c.columns} for c in choices
            ]
            exclusive = [c.value for c in choices if c.exclusive]
            if exclusive:
                self.opp.append(("list", name, {"exclusive": exclusive}))
        return name

    # --- constraints -----------------------------------------------------------------------

    def _constraint(self, q: Question) -> tuple[str | None, Msg | None]:
        """Own constraint and-ed with what XLSForm cannot say (bounds, rules…)."""
        parts: list[Part] = []
        if q.constraint:
            parts.append((q.constraint, q.constraint_message))
        parts += _bounds(q)
        for rule in self.rules.get(q.id, []):
            parts.append((rule.check, rule.message))
        if not parts:
            return None, None
        if len(parts) == 1:
            return self._odk(parts[0][0]), self._msg([parts[0][1]])
        texts = [self._odk(text) or text for text, _ in parts]
        texts = [f"({t})" if _is_or(src) else t for t, (src, _) in zip(texts, parts, strict=True)]
        return " and ".join(texts), self._msg([m for _, m in parts])

    def _msg(self, messages: list[L10n | Msg | None]) -> Msg | None:
        texts = [m if isinstance(m, dict) else m.model_dump() for m in messages if m]
        if not texts:
            return None
        out: Msg = {}
        for lang in self.langs:
            pieces = [
                t.get(lang) or (t["fr"] if any(x.get(lang) for x in texts) else None) for t in texts
            ]
            out[lang] = " ".join(p for p in pieces if p) or None
        return out

    def _odk(self, source: str | None) -> str | None:
        if not source:
            return None
        try:
            return to_odk(source, self.yes_no, self.calc)
        except OppError:
            return source  # e.g. a regex() pattern beyond the parser's limit: ODK reads it

    # --- writing ---------------------------------------------------------------------------

    def _write(self) -> bytes:
        wb = Workbook(write_only=True)  # streams rows: the commune list is 4,485 of them
        texts = ("label", "hint")
        columns = ["type", "name", *self._lang_columns(texts), "required", "relevant"]
        columns += ["constraint", *self._lang_columns(("constraint_message",))]
        columns += ["appearance", "calculation"]
        if any(r.get("choice_filter") for r in self.survey):  # cascading selects only
            columns.append("choice_filter")
        _fill(wb, "survey", columns, [self._flatten(r) for r in self.survey])
        rows = [self._flatten(r) for rows in self.lists.values() for r in rows]
        # The choices' own columns that choice_filter expressions read (e.g. `dep`).
        extra = sorted({k for r in rows for k in r} - {"list_name", "name", "label"})
        extra = [k for k in extra if not k.startswith("label::")]
        _fill(wb, "choices", ["list_name", "name", *self._lang_columns(("label",)), *extra], rows)
        title = self.q.title.get(self.langs[0])
        settings = ["form_title", "form_id", "version", "default_language", "style"]
        values = [title, self.q.id, self.q.version, LANG_NAMES[self.langs[0]], "pages"]
        _fill(wb, "settings", settings, [dict(zip(settings, values, strict=True))])
        rows = [
            {"kind": k, "name": n, "data": json.dumps(d, ensure_ascii=False)}
            for k, n, d in self.opp
        ]
        _fill(wb, OPP_SHEET, ["kind", "name", "data"], rows)
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    def _lang_columns(self, bases: tuple[str, ...]) -> list[str]:
        return [f"{base}::{LANG_NAMES[lang]}" for base in bases for lang in self.langs]

    def _flatten(self, row: Row) -> Row:
        out: Row = {}
        for key, value in row.items():
            if isinstance(value, L10n):
                value = value.model_dump()
            if isinstance(value, dict):
                for lang in self.langs:
                    out[f"{key}::{LANG_NAMES[lang]}"] = value.get(lang)
            else:
                out[key] = value
        return out


def _fill(wb: Workbook, title: str, columns: list[str], rows: list[Row]) -> None:
    """A sheet: header then rows; text stays text (a leading '=' is not a formula)."""
    ws = wb.create_sheet(title)
    ws.append(columns)
    for row in rows:
        ws.append([_cell(ws, row.get(c)) for c in columns])


def _cell(ws: Any, value: Any) -> Any:
    value = _clean(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n")) or None
    return value


def _is_or(source: str) -> bool:
    try:
        node = expressions.parse(source).node
    except OppError:
        return True
    return isinstance(node, Binary) and node.op == "or"


def _bounds(q: Question) -> list[Part]:
    """The question's own limits as XLSForm constraint parts (its type's mapping)."""
    mapping = descriptor(q).xls
    return mapping.limits(q) if mapping else []


def to_odk(source: str, yes_no: set[str], year_calc: str) -> str:
    """Our expression as ODK reads it: year(), ${_reference_year}, yes_no comparisons."""
    expr = expressions.parse(source)

    def truthy(node: Node) -> Node:
        if isinstance(node, Ref) and node.name in yes_no:
            return Binary("=", node, Lit("true"))
        return node

    def convert(node: Node) -> Node:
        if isinstance(node, Call) and node.name == "year":
            return Call("int", (Call("format-date", (node.args[0], Lit("%Y"))),))
        if isinstance(node, Ref) and node.name == "_reference_year":
            return Ref(year_calc)
        if isinstance(node, Binary) and node.op in {"=", "!="}:
            left, right = node.left, node.right
            if isinstance(left, Ref) and left.name in yes_no and _is_bool_call(right):
                return Binary(node.op, left, Lit(right.name))
            if isinstance(right, Ref) and right.name in yes_no and _is_bool_call(left):
                return Binary(node.op, Lit(left.name), right)
        if isinstance(node, Binary) and node.op in {"and", "or"}:
            return Binary(node.op, truthy(node.left), truthy(node.right))
        if isinstance(node, Call) and node.name in {"not", "if"}:
            return Call(node.name, (truthy(node.args[0]), *node.args[1:]))
        return node

    tree = truthy(map_tree(expr.node, convert))
    return source if tree == expr.node else to_text(tree)


def _is_bool_call(node: Node) -> TypeGuard[Call]:
    return isinstance(node, Call) and node.name in {"true", "false"} and not node.args
