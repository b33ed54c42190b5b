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

from pyxform import aliases
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, RE_SELECT

from opp.errors import OppError, did_you_mean
from opp.i18n import texts
from opp.questionnaire import computed, expressions
from opp.questionnaire.model import QUESTION_TYPES
from opp.questionnaire.question_types import CHOICE_TYPES, REGISTRY
from opp.questionnaire.xlsform import (
    GEO_LISTS,
    REFERENCE_YEAR_CALC,
    YES_NO_VALUES,
    bounds_of,
    normalize_name,
    year_back,
)
from opp.questionnaire.xlsform_workbook import Sheet
from opp.questionnaire.yaml_source import format_path

UNSUPPORTED_COLUMNS = {
    *("required_message", "guidance_hint", "image", "audio", "video", "big-image", "media"),
    *("default", "read_only", "repeat_count", "parameters"),
    *("trigger", "body", "bind", "instance", "autoplay"),
}
GEO_BY_LIST = {name: kind for kind, name in GEO_LISTS.items()}
# XLSForm kind → our type when no list, appearance or opp sheet decides (the registry's).
IMPORTED = {xls: key for key, t in REGISTRY.items() if t.xls for xls in t.xls.imported_from}
FALSE, TRUE = {"", "no", "false", "false()", "0", "non"}, {"yes", "true", "true()", "1", "oui"}
OURS = {"text": {"multiline"}, "long_text": {"multiline"}}  # appearances we read or write
OURS |= {k: {"minimal", "autocomplete"} for k in ("single_choice", *GEO_LISTS)}
# The reasons of XLS_UNBALANCED are catalogue messages, `xlsform.unbalanced.<reason>`.


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
    other: bool = False  # select … or_other
    dropped: bool = False  # a block skipped with everything inside (nested repeat)
    metadata: bool = False  # filled in by the device (start, deviceid…)
    unique: bool = False  # renamed because the name is used in another group

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
    notes: list[Any]
    all_names: set[str]  # every id given (groups included), for generated ids
    deduped: set[str]  # lists whose repeated values were already reported
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
        names: dict[str, tuple[int, int]] = {}  # name → first row, id of its block
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
                first, block = names[item.name]
                if block == id(stack[-1]):  # pyxform refuses it too
                    raise self.fail(
                        "XLS_NAME_DUPLICATE",
                        row,
                        "name",
                        value=item.raw,
                        first=first,
                        normalized=item.name,
                    )
                base = item.name[:58]
                item.name = next(
                    f"{base}_{n}" for n in range(2, 10**6) if f"{base}_{n}" not in names
                )
                item.unique = True
                self.note("name_unique", row, item.raw, info=True, new=item.name)
            names.setdefault(item.name, (row, id(stack[-1])))
            self.all_names.add(item.name)
            inside_dropped = any(b.kind == "begin_loop" or b.dropped for b in stack)
            if item.kind == "calculate" and item.raw == year_calc and not inside_dropped:
                self.renames[item.raw] = "_reference_year"
                self.known.add(item.raw)
                item.kind = "year"
                if not self.meta:  # our own export's convention needs no note
                    self.note("reference_year", row, item.raw, info=True)
            elif item.kind == "skip" or inside_dropped:
                self.skipped.add(item.raw)
                if item.kind == "skip":
                    self._skip_note(item, text)
            elif item.kind == "begin_loop":
                self.skipped.add(item.raw)
                self.note("type_unsupported", row, item.raw or None, value=text)
            elif item.kind == "begin_repeat" and any(b.kind == "begin_repeat" for b in stack):
                item.dropped = True
                self.skipped.add(item.raw)
            else:
                self._accept(item, stack)
            stack[-1].children.append(item)
            if item.kind.startswith("begin_"):
                stack.append(item)
        if len(stack) > 1:
            self._unbalanced(stack[-1], "unclosed", kind=stack[-1].kind[6:])
        for item in _walk(stack[0]):
            if item.dropped:
                inner = [c for c in _walk(item) if c.kind not in {"begin_group", "begin_repeat"}]
                self.note("repeat_nested", item.row, item.raw, new=len(inner))
        return stack[0]

    def _skip_note(self, item: Item, text: str) -> None:
        if item.metadata:
            self.note("type_metadata", item.row, item.raw or None, value=text)
            return
        asked = self.survey.l10n(item.cells, "label")
        self.note(
            "type_skipped",
            item.row,
            item.raw or None,
            value=text,
            new=(asked or {}).get("fr") or item.raw or "—",
        )

    def _accept(self, item: Item, stack: list[Item]) -> None:
        if not item.raw:
            raise self.fail("XLS_NAME_MISSING", item.row, "name", value=item.xls)
        if item.name != item.raw and not item.unique:
            self.renames[item.raw] = item.name
            self.note("renamed", item.row, item.raw, info=True, new=item.name)
        if item.kind != "begin_group":
            self.known.add(item.raw)
        for header, value in self.survey.filled(item.cells, unsupported_column):
            if not (header.lower().startswith("read") and value.lower() in FALSE):
                self.note("column_unsupported", item.row, header, value=value)

    def _item(self, row: int, text: str, raw: str, cells: list[str]) -> Item:
        """Our kind of a row, read as pyxform reads its type (aliases, legacy spellings)."""
        low = aliases._type_alias_map.get(text, text)
        item = Item(row, "skip", low, raw, normalize_name(raw) if raw else "", cells)
        for regex, word in ((RE_BEGIN_CONTROL, "begin"), (RE_END_CONTROL, "end")):
            match = regex.match(low) or regex.match(low.lower())
            if match:
                block = aliases.control[match.group("type").lower()]
                item.kind, item.arg = f"{word}_{block}", ""
                return item
        if low.lower().split(" ")[0] == "osm":
            return item  # OpenStreetMap drawing: skipped with a note
        select = RE_SELECT.match(low) or RE_SELECT.match(low.lower())
        if select:
            return self._select(item, select.group("select_command").lower(), select)
        if low.lower().split(" ")[0] in {"select_one", "select_multiple"} or low.lower() in {
            *aliases.select
        }:
            lists = sorted(self.lists) or ["—"]
            raise self.fail("XLS_TYPE_LIST_MISSING", row, "type", value=text, expected=lists)
        spec = QUESTION_TYPE_DICT.get(low) or QUESTION_TYPE_DICT.get(low.lower())
        if spec is None:
            known = sorted(k for k in QUESTION_TYPE_DICT if " " not in k)
            hint = did_you_mean(low.split()[0], [*known, "select_one", "begin_group"])
            raise self.fail(
                "XLS_TYPE_UNKNOWN", row, "type", value=text, expected=known, suggestion=hint
            )
        item.kind = _kind_of(low.lower(), spec)
        if item.kind == "note" and not raw:  # pyxform names unnamed notes itself
            item.raw = item.name = f"note_{row}"
        item.metadata = "jr:preload" in spec.get("bind", {})
        item.arg = low if item.kind == "skip" else ""
        return item

    def _select(self, item: Item, command: str, select: Any) -> Item:
        kind = aliases.select[command]
        arg = select.group("list_name")
        if command in aliases.select_from_file:
            if kind == "select one" and PurePath(arg).stem in GEO_BY_LIST:
                item.kind, item.arg = "select_one", PurePath(arg).stem
            else:
                item.arg = item.arg or command
            return item
        if kind not in {"select one", "select all that apply"}:
            return item  # select_one_external, rank: skipped with a note
        item.kind = "select_one" if kind == "select one" else "select_multiple"
        item.arg, item.other = arg, bool(select.group("specify_other"))
        return item

    def _close(self, stack: list[Item], item: Item) -> None:
        opened = stack[-1] if len(stack) > 1 else None
        if opened is None:
            self._unbalanced(item, "orphan")
        elif opened.kind != "begin_" + item.kind[4:]:
            self._unbalanced(item, "mismatch", kind=opened.kind, first=opened.row)
        stack.pop()

    def _unbalanced(self, item: Item, reason: str, **params: Any) -> None:
        why = texts(f"xlsform.unbalanced.{reason}", **params)
        raise self.fail("XLS_UNBALANCED", item.row, "type", value=item.xls, reason=why)

    def _resolve(self, root: Item) -> None:
        """Our type of every question (the opp sheet's when it still applies)."""
        self._calculations(root)
        for item in _walk(root):
            if (
                item.kind in {"skip", "begin_group", "begin_loop", "root", "year"}
                or item.dropped
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

    def _calculations(self, root: Item) -> None:
        """Calculations our evaluator cannot run are skipped (and what cites them, in turn)."""
        pending = [i for i in _walk(root) if i.kind == "calculate" and i.raw not in self.skipped]
        changed = True
        while changed:
            changed = False
            for item in pending:
                if item.raw in self.skipped:
                    continue
                text = self.cell(item, "calculation")
                reason = "" if text else "—"
                try:
                    refs = expressions.parse(year_back(text)).references if text else set()
                except OppError as exc:
                    reason = exc.inline("fr")[:80]
                    refs = set()
                if (not reason and (bad := sorted(refs & self.skipped))) or (
                    not reason and (bad := sorted(refs - self.known - {"_reference_year"}))
                ):
                    reason = f"${{{bad[0]}}}"
                if reason:
                    self.skipped.add(item.raw)
                    self.known.discard(item.raw)
                    self.note(
                        "calculation_dropped", item.row, "calculation", value=text, new=reason
                    )
                    changed = True

    def _plain_type(self, item: Item) -> str:
        if item.kind == "text":
            return "long_text" if "multiline" in self.appearance(item) else "text"
        if item.kind == "select_one" and item.arg in GEO_BY_LIST:
            return GEO_BY_LIST[item.arg]
        if item.kind == "select_one":
            values = {c["value"] for c in self.lists.get(item.arg, [])}
            return "yes_no" if values == set(YES_NO_VALUES) else "single_choice"
        if item.kind == "range":
            return "integer" if self._range(item)[2] else "decimal"
        return IMPORTED.get(item.kind, item.kind)

    def _range(self, item: Item) -> tuple[float, float, bool]:
        """start, end and whether every step is whole (pyxform's defaults: 1, 10, 1)."""
        params = dict(
            p.split("=", 1)
            for p in self.cell(item, "parameters").replace(";", " ").split()
            if "=" in p
        )
        numbers = []
        for key, default in (("start", "1"), ("end", "10"), ("step", "1")):
            try:
                numbers.append(float(params.get(key, default)))
            except ValueError:
                numbers.append(float(default))
        start, end, _step = numbers
        whole = all(float(n).is_integer() for n in numbers)
        return min(start, end), max(start, end), whole

    def _imported(self, item: Item) -> bool:
        return (
            item.kind not in {"skip", "begin_loop", "year"}
            and not item.dropped
            and item.raw not in self.skipped
        )

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
            skipped = [
                f"{n.row} ({n.field or '—'})"
                for n in self.notes
                if n.severity == "warning" and n.row and n.sheet == self.survey.title
            ]
            raise self.fail("XLS_EMPTY_FORM", None, None, skipped=", ".join(skipped[:20]) or "—")
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
                self._emit(child, relevances, path, questions)
        if not questions:
            if item:
                self.note("empty_group", item.row, item.raw)
            return
        if item is None:
            taken = {s["id"] for s in sections} | self.all_names
            sid = next(f"section_{n}" for n in range(1, 10_000) if f"section_{n}" not in taken)
            title = texts("xlsform.section_title")
            if not grouped:
                title = {"fr": self.settings.get("form_title") or "Questions"}
            self.note("loose", children[0].row, info=True, value=sid)
            section: dict[str, Any] = {"id": sid, "title": title}
        else:
            given = entry.get("id")
            sid = given if isinstance(given, str) else item.name
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
        out["help"] = self.texts_of(item, "hint")
        parts = [*relevances, *filter(None, [self.expression(item, "relevant", entry)])]
        out["relevant"] = " and ".join(f"({p})" for p in parts) if len(parts) > 1 else None
        out["relevant"] = out["relevant"] or (parts[0] if parts else None)
        required = self.cell(item, "required")
        out["required"] = required.lower() in TRUE
        if required.lower() not in TRUE | FALSE:
            try:
                out["required_if"] = self.expression(item, "required", entry)
                self.note("required_if", item.row, "required", info=True, value=required)
            except OppError:
                self.note("required_expr", item.row, "required", value=required)
        if kind == "calculate":
            calculation = self.expression(item, "calculation", entry)
            return {
                "id": item.name,
                "type": "calculate",
                "label": self.label(item, quiet=True),
                "calculation": calculation,
                **({"relevant": out["relevant"]} if out.get("relevant") else {}),
            }
        if item.kind == "datetime":
            self.note("datetime", item.row, item.raw)
        if item.kind == "time":
            self.note("time", item.row, item.raw, info=True)
            out["pattern"] = r"([01]?[0-9]|2[0-3]):[0-5][0-9]"
            out["pattern_hint"] = texts("xlsform.time_hint")
            out["max_length"] = 5
        if item.kind == "range":
            low, high, _whole = self._range(item)
            out |= {"min": low, "max": high}
            self.note("range", item.row, item.raw, info=True, value=f"{low:g}", new=f"{high:g}")
        out["constraint"] = self.expression(item, "constraint", entry)
        out["constraint_message"] = self._message(item, entry)
        if kind == "repeat":
            out["questions"] = []
            for child, relevances_in in self._flatten(item.children, []):
                self._emit(child, relevances_in, path, out["questions"])
        if kind in CHOICE_TYPES:
            out["choice_filter"] = self._choice_filter(item)
            out["choices"] = self._choices_of(item.arg, filtered=bool(out["choice_filter"]))
            if item.other and "other" not in {c["value"] for c in out["choices"]}:
                out["choices"].append(
                    {"value": "other", "label": texts("xlsform.other"), "exclusive": False}
                )
        if kind == "single_choice" and self.appearance(item) & OURS[kind]:
            out["appearance"] = "dropdown"
        self._appearance_note(item, OURS.get(kind, set()))
        bounds = bounds_of(out["constraint"]) if kind in {"integer", "decimal"} else None
        if bounds and not entry:
            out |= bounds
            self.note("min_max", item.row, "constraint", info=True, value=out["constraint"])
        extra = entry.get("extra")
        if not isinstance(extra, dict):
            extra = {}
        out |= {k: v for k, v in extra.items() if k not in {"id", "type", "questions"}}
        return {k: v for k, v in out.items() if v is not None}

    def _emit(
        self, item: Item, relevances: list[str], path: tuple[Any, ...], out: list[dict[str, Any]]
    ) -> None:
        """A question (and, for ``or_other``, its "specify" text question) into `out`."""
        out.append(self._question(item, relevances, (*path, "questions", len(out))))
        if not item.other:
            return
        base = item.name[:56]
        name = next(
            f"{base}_other{n or ''}"
            for n in range(10**6)
            if f"{base}_other{n or ''}" not in self.all_names
        )
        self.all_names.add(name)
        self.note("or_other_added", item.row, item.raw, info=True, new=name)
        self.where[format_path((*path, "questions", len(out)))] = ("survey", item.row, "type")
        condition = f"selected(${{{item.name}}}, 'other')"
        parent = out[-1].get("relevant")
        out.append(
            {
                "id": name,
                "type": "text",
                "label": texts("xlsform.specify_other"),
                "relevant": f"({parent}) and {condition}" if parent else condition,
            }
        )

    def _choice_filter(self, item: Item) -> str | None:
        text = self.cell(item, "choice_filter")
        if not text:
            return None
        try:
            expr = computed.filter_expression(year_back(text))
        except OppError as exc:
            self.note(
                "choice_filter_dropped",
                item.row,
                "choice_filter",
                value=text,
                new=exc.inline("fr")[:80],
            )
            return None
        refs = computed.answer_references(expr)
        missing = sorted(refs & self.skipped) or sorted(refs - self.known - {"_reference_year"})
        columns = {"name", "label"} | {
            k for c in self.lists.get(item.arg, []) for k in c.get("columns", {})
        }
        unknown = sorted(computed.choice_columns(expr) - columns)
        if missing or unknown:
            why = f"${{{missing[0]}}}" if missing else unknown[0]
            self.note("choice_filter_dropped", item.row, "choice_filter", value=text, new=why)
            return None
        for old, new in self.renames.items():
            text = text.replace(f"${{{old}}}", f"${{{new}}}")
        return text

    def label(self, item: Item, *, quiet: bool = False) -> dict[str, str]:
        label = self.texts_of(item, "label")
        if label is None and not quiet:
            self.note("label_missing", item.row, "label", value=item.raw)
        return label or {"fr": item.raw}

    def texts_of(self, item: Item, column: str) -> dict[str, str] | None:
        """A translatable cell with its ``${x}`` references following renames."""
        texts = self.survey.l10n(item.cells, column)
        if not texts:
            return texts
        out: dict[str, str] = {}
        for lang, text in texts.items():
            for ref in sorted(computed.text_references(text)):
                if ref in self.renames:
                    text = text.replace(f"${{{ref}}}", f"${{{self.renames[ref]}}}")
                elif ref in self.skipped or ref not in self.known:
                    text = text.replace(f"${{{ref}}}", "…")
                    self.note("text_ref_dropped", item.row, column, value=item.raw, new=ref)
            out[lang] = text
        return out

    def _appearance_note(self, item: Item, ours: set[str]) -> None:
        if other := self.appearance(item) - ours:
            self.note(
                "appearance", item.row, "appearance", info=True, value=" ".join(sorted(other))
            )

    def _choices_of(self, name: str, *, filtered: bool = False) -> list[dict[str, Any]]:
        """The list's choices; a cascading list keeps its columns and repeated values."""
        flagged = self.take("list", name).get("exclusive")
        flagged = flagged if isinstance(flagged, list) else []
        out: list[dict[str, Any]] = []
        for choice in self.lists[name]:
            if "duplicate_of" in choice and not filtered:
                if name not in self.deduped:
                    self.note(
                        "choice_duplicate",
                        choice["row"],
                        choice["value"],
                        sheet=self.sheets["choices"].title,
                        info=True,
                        new=name,
                    )
                continue
            kept = {k: choice[k] for k in ("value", "label")}
            kept["exclusive"] = choice["value"] in flagged
            if filtered and choice.get("columns"):
                kept["columns"] = choice["columns"]
            out.append(kept)
        self.deduped.add(name)
        return out


def _kind_of(low: str, spec: Any) -> str:
    """Our kind of a pyxform question type, from the XForm control and binding it makes."""
    bind, control = spec.get("bind", {}), spec.get("control", {})
    if "jr:preload" in bind:
        return "skip"
    if low in {"calculate", "q calculate", "add calculate prompt"}:
        return "calculate"
    tag, btype = control.get("tag"), bind.get("type")
    if tag == "input" and bind.get("readonly") == "true()":
        return "note"
    if tag == "range":
        return "range"
    if tag != "input":
        return "skip"
    kinds = {"string": "text", "int": "integer", "decimal": "decimal", "date": "date"}
    kinds |= {"dateTime": "datetime", "time": "time"}
    return kinds.get(btype, "skip")


def _walk(item: Item) -> Iterator[Item]:
    yield item
    for child in item.children:
        yield from _walk(child)


def unsupported_column(base: str) -> bool:
    return base.split("::")[0] in UNSUPPORTED_COLUMNS
