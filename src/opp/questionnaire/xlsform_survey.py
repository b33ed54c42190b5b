"""Survey sheet → tree of groups and repeats → our questions and sections (XLSForm import).

Rows nest by their begin_/end_ rows into `Item`s (names normalised, duplicates and balance
checked, unsupported rows skipped with a note); each item then gets our question type (the
opp sheet's while it still applies); groups become sections, nested groups dissolve into
them. Split from `xlsform_import`, which mixes `SurveyReader` in and owns the other sheets,
the notes and the translation of expression cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from opp.errors import OppError, did_you_mean
from opp.questionnaire.model import CHOICE_TYPES, QUESTION_TYPES
from opp.questionnaire.xlsform import (
    GEO_LISTS,
    REFERENCE_YEAR_CALC,
    YES_NO_VALUES,
    bounds_of,
    normalize_name,
)
from opp.questionnaire.xlsform_workbook import Sheet
from opp.questionnaire.yaml_source import format_path

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
UNSUPPORTED_COLUMNS = {
    *("required_message", "guidance_hint", "image", "audio", "video", "big-image", "media"),
    *("choice_filter", "calculation", "default", "read_only", "repeat_count", "parameters"),
    *("trigger", "body", "bind", "instance", "autoplay"),
}
GEO_BY_LIST = {name: kind for kind, name in GEO_LISTS.items()}
FALSE, TRUE = {"", "no", "false", "false()", "0", "non"}, {"yes", "true", "true()", "1", "oui"}
OURS = {"text": {"multiline"}, "long_text": {"multiline"}}  # appearances we read or write
OURS |= {k: {"minimal", "autocomplete"} for k in ("single_choice", *GEO_LISTS)}
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


class SurveyReader:
    """The survey sheet's part of `Importer`, which mixes it in and provides what follows."""

    sheets: dict[str, Sheet]
    survey: Sheet
    settings: dict[str, str]
    meta: dict[str, Any]  # the opp sheet's questionnaire row
    lists: dict[str, list[dict[str, Any]]]  # the choices sheet
    where: dict[str, tuple[str, int, str]]
    renames: dict[str, str]
    skipped: set[str]
    known: set[str]
    types: dict[str, str]
    entries: dict[str, dict[str, Any]]
    note: Callable[..., None]
    fail: Callable[..., OppError]
    take: Callable[[str, str], dict[str, Any]]
    expression: Callable[[Item, str, dict[str, Any]], str | None]
    _message: Callable[[Item, dict[str, Any]], dict[str, str] | None]

    def cell(self, item: Item, column: str) -> str:
        return self.sheets["survey"].get(item.cells, column)

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
        for header, value in self.survey.filled(item.cells, unsupported_column):
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

    # --- sections and questions --------------------------------------------------------------

    def _sections(self, root: Item) -> list[dict[str, Any]]:
        """Top-level groups as sections; questions outside any group gathered (note)."""
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
        return sections

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
        bounds = bounds_of(out["constraint"]) if kind in {"integer", "decimal"} else None
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


def _walk(item: Item) -> Iterator[Item]:
    yield item
    for child in item.children:
        yield from _walk(child)


def unsupported_column(base: str) -> bool:
    return base.split("::")[0] in UNSUPPORTED_COLUMNS
