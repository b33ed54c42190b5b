"""XLSForm workbook → checked questionnaire (see `xlsform` for the mapping table).

Pipeline: sheets → settings, opp sheet, choices → survey rows into a tree of groups and
repeats (names normalised, balance checked) → our question types → sections with their
expressions translated → the loader's model and checks, whose errors are pointed back at
the cell they come from. Every loss or transformation is an `ImportNote`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import Any

from opp.errors import OppError, OppErrorGroup, did_you_mean
from opp.questionnaire import expressions, loader
from opp.questionnaire.expr_syntax import Binary, Current, Node, Unary
from opp.questionnaire.expr_syntax import Literal as Lit
from opp.questionnaire.model import CHOICE_TYPES, CHOICE_VALUE_RE, QUESTION_TYPES, Questionnaire
from opp.questionnaire.xlsform import (
    GEO_LISTS,
    OPP_SHEET,
    REFERENCE_YEAR_CALC,
    YES_NO_VALUES,
    ImportNote,
    ImportResult,
    from_odk,
    make_note,
    normalize_name,
    read_sheets,
    year_back,
)
from opp.questionnaire.yaml_source import SourceDoc, format_path

TYPES = {t: t for t in ("text", "integer", "decimal", "date", "note", "select_one")}
TYPES |= {t: t for t in ("select_multiple", "select_one_from_file", "select_multiple_from_file")}
TYPES |= {
    f"{a}{s}{b}": f"{a}_{b}"
    for a in ("begin", "end")
    for b in ("group", "repeat", "loop")
    for s in "_ "
}
TYPES |= {"string": "text", "int": "integer", "select one": "select_one", "select1": "select_one"}
TYPES |= {
    "select all that apply": "select_multiple",
    "select one from file": "select_one_from_file",
}
TYPES |= {"select multiple from file": "select_multiple_from_file"}
UNSUPPORTED_TYPES = {
    *("calculate", "geopoint", "geotrace", "geoshape", "image", "photo", "audio", "video"),
    *("background-audio", "file", "barcode", "range", "rank", "acknowledge", "trigger"),
    *("start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber"),
    *("username", "email", "audit", "start-geopoint", "hidden", "xml-external", "time"),
    *("csv-external", "datetime", "select_one_external", "osm"),
}
SURVEY_COLUMNS = {"type", "name", "label", "hint", "required", "relevant", "constraint"}
SURVEY_COLUMNS |= {"constraint_message", "appearance"}
UNSUPPORTED_COLUMNS = {
    *("required_message", "guidance_hint", "image", "audio", "video", "big-image", "media"),
    *("choice_filter", "calculation", "default", "read_only", "repeat_count", "parameters"),
    *("trigger", "body", "bind", "instance", "autoplay"),
}
GEO_BY_LIST = {name: kind for kind, name in GEO_LISTS.items()}
FALSE, TRUE = {"", "no", "false", "false()", "0", "non"}, {"yes", "true", "true()", "1", "oui"}
OURS = {"text": {"multiline"}, "long_text": {"multiline"}}  # appearances we read or write
OURS |= {k: {"minimal", "autocomplete"} for k in ("single_choice", *GEO_LISTS)}
COLUMN_OF = {"label": "label", "title": "label", "help": "hint", "relevant": "relevant"}
COLUMN_OF |= {"constraint": "constraint", "constraint_message": "constraint_message"}
COLUMN_OF |= {"choices": "type", "min": "constraint", "max": "constraint"}
# fmt: off
REASONS = {
    "unclosed": ("ce bloc n'est jamais fermé : ajoutez la ligne « end_{kind} »",
                 "this block is never closed: add an 'end_{kind}' row"),
    "orphan": ("aucun bloc ouvert à fermer : supprimez la ligne ou ajoutez le « begin_… »",
               "no open block to close: delete the row or add the missing 'begin_…'"),
    "mismatch": ("le bloc ouvert ligne {first} est un « {kind} » : fermez-le d'abord",
                 "the block opened on row {first} is a '{kind}': close it first"),
}
# fmt: on


@dataclass
class Item:
    """One survey row: our spelling of its XLSForm type, its names and its cells."""

    row: int
    kind: str  # text, select_one…, begin_group…, or "skip"
    arg: str = ""  # list name (or the unsupported type)
    raw: str = ""  # name as written
    name: str = ""  # normalised
    cells: list[str] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)

    @property
    def xls(self) -> str:
        return f"{self.kind} {self.arg}".strip()


class Importer:
    def __init__(
        self, data: bytes, filename: str, filiere: str, qid: str | None, version: str | None
    ) -> None:
        self.data, self.filename, self.filiere = data, filename, filiere
        self.qid, self.version = qid, version
        self.notes: list[ImportNote] = []
        self.where: dict[str, tuple[str, int, str]] = {}  # data path → sheet, row, column
        self.opp: dict[str, tuple[int, dict[str, Any]]] = {}  # "kind:name" → row, payload
        self.used: set[str] = set()
        self.renames: dict[str, str] = {}
        self.skipped: set[str] = set()  # raw names of rows not imported
        self.known: set[str] = set()  # raw names of imported questions
        self.types: dict[str, str] = {}
        self.entries: dict[str, dict[str, Any]] = {}  # opp payloads that still apply

    def note(
        self, key: str, row: int | None = None, field: str | None = None, **params: Any
    ) -> None:
        """Record a note; `sheet` defaults to the survey, `info=True` for a mere change."""
        sheet = params.pop("sheet", None) or self.sheets["survey"].title
        severity = "info" if params.pop("info", False) else "warning"
        self.notes.append(make_note(key, sheet, row, field, severity, **params))

    def fail(
        self, code: str, row: int | None, col: str | None, sheet: str = "survey", **params: Any
    ) -> OppError:
        """An error located at a cell: ``file, line 12, survey!C12 (type)``."""
        return OppError(code, **self.at(sheet, row, col), **params)

    def at(self, sheet: str, row: int | None, column: str | None = None) -> dict[str, Any]:
        book = self.sheets.get(sheet)
        cell = f"{book.title if book else sheet}!{book.letter(column or '') if book else ''}"
        cell += str(row or "")
        return {
            "file": self.filename,
            "line": row,
            "path": f"{cell} ({column})" if column else cell,
        }

    def take(self, kind: str, name: str) -> dict[str, Any]:
        """The opp sheet's payload for an element (marked as used), or {}."""
        key = f"{kind}:{name}"
        self.used.add(key)
        return self.opp.get(key, (0, {}))[1]

    def cell(self, item: Item, column: str) -> str:
        return self.sheets["survey"].get(item.cells, column)

    # --- sheets ------------------------------------------------------------------------------

    def run(self) -> ImportResult:
        self.sheets = read_sheets(self.data, self.filename)
        if "survey" not in self.sheets:
            found = [s.title for s in self.sheets.values()] or ["—"]
            raise OppError("XLS_SHEET_MISSING", file=self.filename, path="survey", found=found)
        self.survey = self.sheets["survey"]
        for column in ("type", "name"):
            if column not in self.survey.columns:
                raise self.fail("XLS_COLUMN_MISSING", 1, None, column=column)
        self._settings()
        self._opp()
        self._choices()
        root = self._tree()
        self._resolve(root)
        questionnaire = self._validate(self._assemble(root))
        self._report()
        return ImportResult(questionnaire, self.notes)

    def _settings(self) -> None:
        self.settings: dict[str, str] = {}
        sheet = self.sheets.get("settings")
        for row, cells in sheet.rows[:1] if sheet else []:
            for base in sheet.columns:
                value = self.settings[base] = sheet.get(cells, base)
                ours = base in {"form_title", "form_id", "version", "default_language"}
                if value and not ours and (base, value) != ("style", "pages"):
                    self.note("setting", row, base, sheet=sheet.title, info=True, value=value)
        for each in self.sheets.values():
            each.set_default_language(self.settings.get("default_language", ""))

    def _opp(self) -> None:
        sheet = self.sheets.get(OPP_SHEET)
        for row, cells in sheet.rows if sheet else []:
            kind, name, text = (sheet.get(cells, c) for c in ("kind", "name", "data"))
            try:
                payload = json.loads(text) if text else {}
            except (ValueError, RecursionError):
                payload = None
            if not isinstance(payload, dict):
                self.note("opp_row", row, sheet=sheet.title, info=True, value=name)
            elif kind != "format":
                self.opp[f"{kind}:{name}" if kind != "rule" else f"rule:{row}"] = (row, payload)
        meta = next((k for k in self.opp if k.startswith("questionnaire:")), ":")
        self.meta = self.take(*meta.split(":", 1))

    def _choices(self) -> None:
        self.lists: dict[str, list[dict[str, Any]]] = {}
        sheet = self.sheets.get("choices")
        first: dict[tuple[str, str], int] = {}
        for row, cells in sheet.rows if sheet else []:
            list_name, value = sheet.get(cells, "list_name"), sheet.get(cells, "name")
            for header, text in sheet.filled(cells, _unsupported_column):
                self.note("column_unsupported", row, header, sheet=sheet.title, value=text)
            if not list_name or not value:
                self.note("choice_row", row, sheet=sheet.title)
                continue
            if not CHOICE_VALUE_RE.match(value):
                raise self.fail("XLS_CHOICE_INVALID", row, "name", "choices", value=value)
            if (list_name, value) in first:
                earlier = first[list_name, value]
                raise self.fail(
                    "XLS_CHOICE_DUPLICATE",
                    row,
                    "name",
                    "choices",
                    value=value,
                    list=list_name,
                    first=earlier,
                )
            first[list_name, value] = row
            label = sheet.l10n(cells, "label")
            if label is None:
                self.note("choice_label", row, sheet=sheet.title, value=value)
            self.lists.setdefault(list_name, []).append({"value": value, "label": label or value})

    # --- survey structure --------------------------------------------------------------------

    def _tree(self) -> Item:
        """Rows into nested groups and repeats; names checked, skipped rows reported."""
        stack = [Item(0, "root")]
        names: dict[str, int] = {}
        year_calc = str(self.meta.get("reference_year") or REFERENCE_YEAR_CALC)
        for row, cells in self.survey.rows:
            text = " ".join(self.survey.get(cells, "type").split())
            if not text:
                self.note("no_type", row)
                continue
            item = self._item(row, text, self.survey.get(cells, "name"), cells)
            if item.kind.startswith("end_"):
                self._close(stack, item)
                continue
            if item.raw and item.name in names:
                first, normalized = names[item.name], item.name
                raise self.fail(
                    "XLS_NAME_DUPLICATE",
                    row,
                    "name",
                    value=item.raw,
                    first=first,
                    normalized=normalized,
                )
            names.setdefault(item.name, row)
            if item.xls == "skip calculate" and item.raw == year_calc:
                self.renames[item.raw] = "_reference_year"
                self.known.add(item.raw)
                if not self.meta:  # our own export's convention needs no note
                    self.note("reference_year", row, item.raw, info=True)
            elif item.kind == "skip" or any(b.kind == "begin_loop" for b in stack):
                self.skipped.add(item.raw)
                if item.kind in {"skip", "begin_loop"}:
                    self.note("type_unsupported", row, item.raw or None, value=item.arg or text)
            else:
                self._accept(item, stack)
            stack[-1].children.append(item)
            if item.kind.startswith("begin_"):
                stack.append(item)
        if len(stack) > 1:
            self._unbalanced(stack[-1], "unclosed", kind=stack[-1].kind[6:])
        return stack[0]

    def _accept(self, item: Item, stack: list[Item]) -> None:
        if not item.raw:
            raise self.fail("XLS_NAME_MISSING", item.row, "name", value=item.xls)
        if item.name != item.raw:
            self.renames[item.raw] = item.name
            self.note("renamed", item.row, item.raw, info=True, new=item.name)
        outer = next((b for b in stack if b.kind == "begin_repeat"), None)
        if item.kind == "begin_repeat" and outer:
            raise self.fail("XLS_REPEAT_NESTED", item.row, "type", first=outer.row)
        if item.kind != "begin_group":
            self.known.add(item.raw)
        for header, value in self.survey.filled(item.cells, _unsupported_column):
            if not (header.lower().startswith("read") and value.lower() in FALSE):
                self.note("column_unsupported", item.row, header, value=value)

    def _item(self, row: int, text: str, raw: str, cells: list[str]) -> Item:
        low = text.lower()
        keys = [k for k in (*TYPES, *UNSUPPORTED_TYPES) if low == k or low.startswith(k + " ")]
        if not keys:
            known = sorted({*TYPES.values(), *UNSUPPORTED_TYPES} - {"begin_loop", "end_loop"})
            hint = did_you_mean(low.split()[0], known)
            raise self.fail(
                "XLS_TYPE_UNKNOWN", row, "type", value=text, expected=known, suggestion=hint
            )
        key = max(keys, key=len)
        arg = text[len(key) :].strip()
        item = Item(row, "skip", key, raw, normalize_name(raw) if raw else "", cells)
        kind = TYPES.get(key, "skip")
        if kind == "select_one_from_file" and PurePath(arg or ".").stem in GEO_BY_LIST:
            item.kind, item.arg = "select_one", PurePath(arg).stem
        elif kind.endswith("_from_file"):
            item.arg = text
        elif kind.startswith("select_"):
            parts = arg.split()
            if not parts or parts[1:] not in ([], ["or_other"]):
                lists = sorted(self.lists) or ["—"]
                raise self.fail("XLS_TYPE_LIST_MISSING", row, "type", value=text, expected=lists)
            if parts[1:]:
                self.note("or_other", row, raw)
            item.kind, item.arg = kind, parts[0]
        elif kind != "skip":
            item.kind, item.arg = kind, ""
        return item

    def _close(self, stack: list[Item], item: Item) -> None:
        opened = stack[-1] if len(stack) > 1 else None
        if opened is None:
            self._unbalanced(item, "orphan")
        elif opened.kind != "begin_" + item.kind[4:]:
            self._unbalanced(item, "mismatch", kind=opened.kind, first=opened.row)
        stack.pop()

    def _unbalanced(self, item: Item, reason: str, **params: Any) -> None:
        fr, en = (text.format(**params) for text in REASONS[reason])
        raise self.fail(
            "XLS_UNBALANCED", item.row, "type", value=item.xls, reason={"fr": fr, "en": en}
        )

    def _resolve(self, root: Item) -> None:
        """Our type of every question (the opp sheet's when it still applies)."""
        for item in _walk(root):
            if (
                item.kind in {"skip", "begin_group", "begin_loop", "root"}
                or item.raw in self.skipped
            ):
                continue
            kind = self._plain_type(item)
            entry = self.take("question", item.name)
            if entry and entry.get("xls") == item.xls and entry.get("type") in QUESTION_TYPES:
                kind = entry["type"]
                self.entries[item.name] = entry
            elif entry:
                self.note("opp_type", item.row, item.raw)
            elif kind in {*GEO_LISTS, "yes_no"}:
                self.note(
                    "list_recognised", item.row, item.raw, info=True, value=item.arg, new=kind
                )
            if kind in CHOICE_TYPES and item.arg not in self.lists:
                hint = did_you_mean(item.arg, self.lists)
                raise self.fail(
                    "XLS_CHOICE_LIST_MISSING",
                    item.row,
                    "type",
                    value=item.arg,
                    expected=sorted(self.lists) or ["—"],
                    suggestion=hint,
                )
            self.types[item.name] = kind
            inner = [c for c in _walk(item) if c is not item and c.kind != "begin_group"]
            if kind == "repeat" and not any(self._imported(c) for c in inner):
                self.skipped.add(item.raw)
                self.known.discard(item.raw)
                self.note("empty_group", item.row, item.raw)
        self.yes_no = {name for name, kind in self.types.items() if kind == "yes_no"}

    def _plain_type(self, item: Item) -> str:
        if item.kind == "text":
            return "long_text" if "multiline" in self.appearance(item) else "text"
        if item.kind == "select_one" and item.arg in GEO_BY_LIST:
            return GEO_BY_LIST[item.arg]
        if item.kind == "select_one":
            values = {c["value"] for c in self.lists.get(item.arg, [])}
            return "yes_no" if values == set(YES_NO_VALUES) else "single_choice"
        plain = {"begin_repeat": "repeat", "select_multiple": "multiple_choice"}
        return plain.get(item.kind, item.kind)

    def _imported(self, item: Item) -> bool:
        return item.kind not in {"skip", "begin_loop"} and item.raw not in self.skipped

    def appearance(self, item: Item) -> set[str]:
        return set(self.cell(item, "appearance").lower().split())

    # --- model data --------------------------------------------------------------------------

    def _assemble(self, root: Item) -> dict[str, Any]:
        sections: list[dict[str, Any]] = []
        loose: list[Item] = []
        grouped = any(c.kind == "begin_group" for c in root.children)
        for child in [*root.children, None]:
            if child is None or child.kind == "begin_group":
                if loose:
                    self._section(None, loose, sections, grouped)
                    loose = []
                if child is not None and self._imported(child):
                    self._section(child, child.children, sections, grouped)
            elif self._imported(child):
                loose.append(child)
        if not sections:
            raise self.fail("XLS_EMPTY_FORM", None, None)
        meta = {k: v for k, v in self.meta.items() if k in {"kind", "audience", "description"}}
        meta |= {k: v for k, v in self.meta.items() if k in {"status", "languages", "changelog"}}
        lists = self.meta.get("choice_lists")
        named = (
            [(k, v) for k, v in lists.items() if isinstance(v, str)]
            if isinstance(lists, dict)
            else []
        )
        qid = self._form_id()
        return {
            "id": qid,
            "filiere": self.filiere,
            "title": self._title(qid),
            "version": self._version(),
            **meta,
            "choice_lists": {v: self._choices_of(k) for k, v in named if k in self.lists},
            "sections": sections,
            "rules": self._rules({q["id"] for s in sections for q in _all(s)}),
        }

    def _section(
        self, item: Item | None, children: list[Item], sections: list[dict[str, Any]], grouped: bool
    ) -> None:
        path = ("sections", len(sections))
        entry = self.take("section", item.name) if item else {}
        questions: list[dict[str, Any]] = []
        description = None
        for child, relevances in self._flatten(children, []):
            if item and child.name == entry.get("intro") and child.kind == "note":
                description = self.label(child)
            else:
                where = (*path, "questions", len(questions))
                questions.append(self._question(child, relevances, where))
        if not questions:
            if item:
                self.note("empty_group", item.row, item.raw)
            return
        if item is None:
            taken = {s["id"] for s in sections} | {normalize_name(n) for n in self.known}
            sid = next(f"section_{n}" for n in range(1, 10_000) if f"section_{n}" not in taken)
            title = {"fr": "Questions", "en": "Questions"}
            if not grouped:
                title = {"fr": self.settings.get("form_title") or "Questions"}
            self.note("loose", children[0].row, info=True, value=sid)
            section: dict[str, Any] = {"id": sid, "title": title}
        else:
            sid = entry.get("id") if isinstance(entry.get("id"), str) else item.name
            section = {"id": sid, "title": self.label(item)}
            section["relevant"] = self.expression(item, "relevant", entry)
            extra = entry.get("extra")
            if isinstance(extra, dict) and "origin" in extra:
                section["origin"] = extra["origin"]
            self._appearance_note(item, {"field-list"})
        self.where[format_path(path)] = ("survey", (item or children[0]).row, "name")
        section |= {"description": description} if description else {}
        sections.append({**section, "questions": questions})

    def _flatten(
        self, children: list[Item], relevances: list[str]
    ) -> Iterator[tuple[Item, list[str]]]:
        """Questions of a block; nested groups dissolve, passing their relevance down."""
        for child in children:
            if not self._imported(child):
                continue
            if child.kind == "begin_group":
                self.note("group_flattened", child.row, child.raw, info=True)
                relevant = self.expression(child, "relevant", {})
                yield from self._flatten(child.children, [*relevances, *filter(None, [relevant])])
            else:
                yield child, relevances

    def _question(self, item: Item, relevances: list[str], path: tuple[Any, ...]) -> dict[str, Any]:
        self.where[format_path(path)] = ("survey", item.row, "name")
        kind, entry = self.types[item.name], self.entries.get(item.name, {})
        out: dict[str, Any] = {"id": item.name, "type": kind, "label": self.label(item)}
        out["help"] = self.survey.l10n(item.cells, "hint")
        parts = [*relevances, *filter(None, [self.expression(item, "relevant", entry)])]
        out["relevant"] = " and ".join(f"({p})" for p in parts) if len(parts) > 1 else None
        out["relevant"] = out["relevant"] or (parts[0] if parts else None)
        required = self.cell(item, "required").lower()
        out["required"] = required in TRUE
        if required not in TRUE | FALSE:
            self.note("required_expr", item.row, "required", value=required)
        out["constraint"] = self.expression(item, "constraint", entry)
        out["constraint_message"] = self._message(item, entry)
        if kind == "repeat":
            children = enumerate(self._flatten(item.children, []))
            out["questions"] = [
                self._question(c, r, (*path, "questions", i)) for i, (c, r) in children
            ]
        if kind in CHOICE_TYPES:
            out["choices"] = self._choices_of(item.arg)
        if kind == "single_choice" and self.appearance(item) & OURS[kind]:
            out["appearance"] = "dropdown"
        self._appearance_note(item, OURS.get(kind, set()))
        bounds = _bounds_of(out["constraint"]) if kind in {"integer", "decimal"} else None
        if bounds and not entry:
            out |= bounds
            self.note("min_max", item.row, "constraint", info=True, value=out["constraint"])
        extra = entry.get("extra") if isinstance(entry.get("extra"), dict) else {}
        out |= {k: v for k, v in extra.items() if k not in {"id", "type", "questions"}}
        return {k: v for k, v in out.items() if v is not None}

    def label(self, item: Item) -> dict[str, str]:
        label = self.survey.l10n(item.cells, "label")
        if label is None:
            self.note("label_missing", item.row, "label", value=item.raw)
        return label or {"fr": item.raw}

    def _appearance_note(self, item: Item, ours: set[str]) -> None:
        if other := self.appearance(item) - ours:
            self.note(
                "appearance", item.row, "appearance", info=True, value=" ".join(sorted(other))
            )

    def _choices_of(self, name: str) -> list[dict[str, Any]]:
        flagged = self.take("list", name).get("exclusive")
        flagged = flagged if isinstance(flagged, list) else []
        return [{**c, "exclusive": c["value"] in flagged} for c in self.lists[name]]

    # --- expressions -------------------------------------------------------------------------

    def expression(self, item: Item, column: str, entry: dict[str, Any]) -> str | None:
        """A relevance or constraint cell; the original when the cell is as exported."""
        text = self.cell(item, column)
        sent, orig = (
            entry.get(k) if isinstance(entry.get(k), dict) else {} for k in ("sent", "orig")
        )
        if column in sent:
            if _same(text, sent[column]):
                return orig.get(column)
            self.note("opp_edited", item.row, column, info=True, value=item.raw)
        if not text:
            return None
        try:
            expr = expressions.parse(year_back(text))
        except OppError as exc:
            raise exc.with_location(**self.at("survey", item.row, column)) from None
        if dropped := sorted(expr.references & self.skipped):
            self.note("expr_dropped", item.row, column, value=text, new=dropped[0])
            return None
        if unknown := sorted(expr.references - self.known - loader.RESERVED_REFS):
            hint = did_you_mean(unknown[0], self.known)
            raise self.fail(
                "Q_REF_UNKNOWN",
                item.row,
                column,
                expression=text,
                value=unknown[0],
                suggestion=hint,
            )
        if expr.uses_self and column == "relevant":
            raise self.fail("Q_REF_SELF_OUTSIDE", item.row, column)
        return from_odk(expr.rename(self.renames) if self.renames else expr, self.yes_no)

    def _message(self, item: Item, entry: dict[str, Any]) -> dict[str, str] | None:
        sent = entry.get("sent") if isinstance(entry.get("sent"), dict) else {}
        if "constraint_message" in sent:
            written = (
                sent["constraint_message"] if isinstance(sent["constraint_message"], dict) else {}
            )
            texts = self.survey.texts(item.cells, "constraint_message")
            if all(_same(texts.get(lang, ""), written.get(lang)) for lang in {*written, *texts}):
                orig = entry.get("orig")
                return orig.get("constraint_message") if isinstance(orig, dict) else None
            self.note("opp_edited", item.row, "constraint_message", info=True, value=item.raw)
        return self.survey.l10n(item.cells, "constraint_message")

    # --- questionnaire -----------------------------------------------------------------------

    def _form_id(self) -> str:
        if self.qid is not None:
            return self.qid
        raw = self.settings.get("form_id") or PurePath(self.filename).stem or "formulaire"
        if (name := normalize_name(raw)) != raw:
            self.note("renamed", None, "form_id", sheet="settings", info=True, value=raw, new=name)
        return name

    def _title(self, qid: str) -> dict[str, Any]:
        form_title, title = self.settings.get("form_title", ""), self.meta.get("title")
        if isinstance(title, dict) and form_title in ("", title.get("fr"), title.get("en")):
            return title
        return {"fr": form_title or qid}

    def _version(self) -> str:
        """Semver as is; ``1``, ``1.2``, ``v2``, ``2024031501`` padded (note); else 1.0.0."""
        if self.version is not None:
            return self.version
        text = self.settings.get("version", "")
        parts = text.lstrip("vV").split(".")
        numeric = len(parts) <= 3 and all(
            p.isascii() and p.isdigit() and len(p) < 16 for p in parts
        )
        version = (
            ".".join([str(int(p)) for p in parts] + ["0"] * (3 - len(parts)))
            if numeric
            else "1.0.0"
        )
        if version != text:
            self.note(
                "version",
                None,
                "version",
                sheet="settings",
                info=True,
                value=text or "—",
                new=version,
            )
        return version

    def _rules(self, ids: set[str]) -> list[dict[str, Any]]:
        """The opp sheet's rules whose questions are all still in the form."""
        rules: list[dict[str, Any]] = []
        for key, (row, payload) in self.opp.items():
            if not key.startswith("rule:"):
                continue
            self.used.add(key)
            fields, check = payload.get("fields"), payload.get("check")
            try:
                refs = expressions.parse(check).references if isinstance(check, str) else {""}
            except OppError:
                refs = {""}
            fields = (
                fields
                if isinstance(fields, list) and all(isinstance(f, str) for f in fields)
                else [""]
            )
            if not {*fields, *refs} <= ids | loader.RESERVED_REFS:
                self.note("rule_dropped", row, sheet=OPP_SHEET, value=payload.get("id"))
                continue
            self.where[f"rules[{len(rules)}]"] = (OPP_SHEET, row, "data")
            rules.append(payload)
        return rules

    def _validate(self, data: dict[str, Any]) -> Questionnaire:
        """The loader's model, composition and checks, errors pointed back at cells."""
        doc = SourceDoc(data=data, file=self.filename)
        try:
            model = loader.build_model(data, doc)
            located = loader.compose(loader.Located(model, [doc]), {}, doc)
            loader.check(located)
        except OppError as exc:
            errors = exc.errors if isinstance(exc, OppErrorGroup) else [exc]
            moved = [OppError(e.code, **self._locate(e.path or ""), **e.params) for e in errors]
            raise (moved[0] if len(moved) == 1 else OppErrorGroup(moved)) from None
        return located.questionnaire

    def _locate(self, path: str) -> dict[str, Any]:
        prefixes = [k for k in self.where if path == k or path.startswith((k + ".", k + "["))]
        if not prefixes:
            return {"file": self.filename, "path": path or None}
        best = max(prefixes, key=len)
        sheet, row, column = self.where[best]
        rest = path[len(best) :].lstrip(".").split(".")[0].split("[")[0]
        return self.at(sheet, row, COLUMN_OF.get(rest, column))

    def _report(self) -> None:
        """Sheet-level notes: languages, unknown columns, missing French, unused opp rows."""
        for key, known in (("survey", SURVEY_COLUMNS), ("choices", {"list_name", "name", "label"})):
            sheet = self.sheets.get(key)
            for header in sheet.other_languages if sheet else []:
                self.note("language_other", None, header, sheet=sheet.title, info=True)
            for header in sheet.used(partial(_unknown_column, known)) if sheet else []:
                self.note("column_unknown", None, header, sheet=sheet.title, info=True)
            for base in sorted(sheet.french_missing) if sheet else []:
                self.note("french_missing", None, base, sheet=sheet.title)
        for key in sorted(set(self.opp) - self.used):
            row, name = self.opp[key][0], key.split(":", 1)[1]
            self.note("opp_row", row, sheet=OPP_SHEET, info=True, value=name)


def _walk(item: Item) -> Iterator[Item]:
    yield item
    for child in item.children:
        yield from _walk(child)


def _all(section: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for question in section["questions"]:
        yield question
        yield from question.get("questions", [])


def _unknown_column(known: set[str], base: str) -> bool:
    return base not in known and not _unsupported_column(base)


def _unsupported_column(base: str) -> bool:
    return base.split("::")[0] in UNSUPPORTED_COLUMNS


def _same(cell: str, written: Any) -> bool:
    """A cell still holds what the export wrote (Excel drops surrounding blanks and CRs)."""
    if written is None or isinstance(written, str):
        return cell == (written or "").replace("\r\n", "\n").strip()
    return False


def _bounds_of(constraint: str | None) -> dict[str, float] | None:
    """`. >= a`, `. <= b` or both and-ed → {"min": a, "max": b}; anything else → None."""

    def bound(part: Node) -> tuple[str, float] | None:
        if isinstance(part, Binary) and part.op in {">=", "<="} and isinstance(part.left, Current):
            value, sign = part.right, 1
            if isinstance(value, Unary):
                value, sign = value.operand, -1
            if isinstance(value, Lit) and not isinstance(value.value, str):
                return ("min" if part.op == ">=" else "max", sign * value.value)
        return None

    node = expressions.parse(constraint).node if constraint else None
    if isinstance(node, Binary) and node.op == "and":
        left, right = bound(node.left), bound(node.right)
        return dict([left, right]) if left and right and left[0] != right[0] else None
    single = bound(node) if node else None
    return dict([single]) if single else None
