"""XLSForm workbook → checked questionnaire (see `xlsform` for the mapping table).

Pipeline: sheets (`xlsform_workbook`) → settings, opp sheet, choices → survey rows into a
tree of groups and repeats (names normalised, balance checked) → our question types →
sections with their expressions translated → the loader's model and checks, whose errors
are pointed back at the cell they come from. Every loss or transformation is an
`ImportNote`. The survey steps live in `xlsform_survey` (mixed into `Importer`); this module
keeps the other sheets, the expression cells and the questionnaire as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from pathlib import PurePath
from typing import Any

from opp.errors import OppError, OppErrorGroup, did_you_mean
from opp.questionnaire import expressions, loader
from opp.questionnaire.model import CHOICE_VALUE_RE, Questionnaire
from opp.questionnaire.xlsform import (
    OPP_SHEET,
    ImportNote,
    ImportResult,
    Severity,
    from_odk,
    make_note,
    normalize_name,
    year_back,
)
from opp.questionnaire.xlsform_survey import Item, SurveyReader, unsupported_column
from opp.questionnaire.xlsform_verdict import pyxform_refusal
from opp.questionnaire.xlsform_workbook import MAX_DEPTH, Workbook, nesting_depth, read_workbook
from opp.questionnaire.yaml_source import SourceDoc

TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
SURVEY_COLUMNS = {"type", "name", "label", "hint", "required", "relevant", "constraint"}
SURVEY_COLUMNS |= {"constraint_message", "appearance", "calculation", "choice_filter"}
COLUMN_OF = {"label": "label", "title": "label", "help": "hint", "relevant": "relevant"}
COLUMN_OF |= {"constraint": "constraint", "constraint_message": "constraint_message"}
COLUMN_OF |= {"choices": "type", "min": "constraint", "max": "constraint"}
COLUMN_OF |= {"required_if": "required", "calculation": "calculation"}
COLUMN_OF |= {"choice_filter": "choice_filter"}
CHOICE_OWN = {"list_name", "name", "label", "image", "audio", "video", "big-image", "media"}


class Importer(SurveyReader):
    """One import: the state shared by its steps, so that notes and errors can name cells."""

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
        self.all_names: set[str] = set()
        self.deduped: set[str] = set()
        self.types: dict[str, str] = {}
        self.entries: dict[str, dict[str, Any]] = {}  # opp payloads that still apply

    def note(
        self, key: str, row: int | None = None, field: str | None = None, **params: Any
    ) -> None:
        """Record a note; `sheet` defaults to the survey, `info=True` for a mere change."""
        sheet = params.pop("sheet", None) or self.sheets["survey"].title
        severity: Severity = "info" if params.pop("info", False) else "warning"
        self.notes.append(make_note(key, sheet, row, field, severity, **params))

    def fail(
        self, code: str, row: int | None, col: str | None, sheet: str = "survey", **params: Any
    ) -> OppError:
        """An error located at a cell: ``file, line 12, survey!C12 (type)``."""
        return OppError(code, **self.at(sheet, row, col), **params)

    def at(self, sheet: str, row: int | None, column: str | None = None) -> dict[str, Any]:
        book = self.sheets.get(sheet)
        cell = f"{book.title if book else sheet}!{book.letter(column or '') if book else ''}"
        cell = (cell + str(row or "")).rstrip("!")
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

    # --- sheets ------------------------------------------------------------------------------

    def run(self) -> ImportResult:
        """Our mapping, then pyxform's verdict: a form it refuses is refused, with our
        message when our reading found the problem too (French, located), else its own."""
        book = read_workbook(self.data, self.filename)
        result = self._run(book)
        refusal = pyxform_refusal(book, self.filename)
        if refusal is not None:
            raise refusal
        return result

    def _run(self, book: Workbook) -> ImportResult:
        self.sheets = book.sheets
        if "survey" not in self.sheets:
            found = [s.title for s in self.sheets.values()] or ["—"]
            raise OppError("XLS_SHEET_MISSING", file=self.filename, path="survey", found=found)
        self.survey = self.sheets["survey"]
        for column in ("type", "name"):
            if column not in self.survey.columns:
                raise self.fail("XLS_COLUMN_MISSING", 1, None, column=column)
        depth, row = nesting_depth(
            [(r, self.survey.get(cells, "type")) for r, cells in self.survey.rows]
        )
        if depth > MAX_DEPTH:
            raise self.fail("XLS_TOO_DEEP", row, "type", depth=depth, limit=MAX_DEPTH)
        self._settings()
        self._opp()
        self._choices()
        self._formulas(book.formulas)
        root = self._tree()
        self._resolve(root)
        questionnaire = self._validate(self._assemble(root))
        self._report()
        return ImportResult(questionnaire, self.notes)

    def _settings(self) -> None:
        self.settings: dict[str, str] = {}
        sheet = self.sheets.get("settings")
        for row, cells in sheet.rows[:1] if sheet else []:
            assert sheet is not None  # a row comes from a sheet
            for base in sheet.columns:
                value = self.settings[base] = sheet.get(cells, base)
                ours = base in {"form_title", "form_id", "version", "default_language"}
                if value and not ours and (base, value) != ("style", "pages"):
                    self.note("setting", row, base, sheet=sheet.title, info=True, value=value)
        for each in self.sheets.values():
            each.set_default_language(self.settings.get("default_language", ""))

    def _formulas(self, formulas: list[Any]) -> None:
        for cell in formulas:
            key = "formula" if cell.value else "formula_empty"
            title = (
                self.sheets[cell.sheet.lower()].title
                if cell.sheet.lower() in self.sheets
                else cell.sheet
            )
            self.note(key, cell.row, cell.column, sheet=title, value=cell.formula, new=cell.value)

    def _opp(self) -> None:
        sheet = self.sheets.get(OPP_SHEET)
        for row, cells in sheet.rows if sheet else []:
            assert sheet is not None  # a row comes from a sheet
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
        if sheet is None:
            return
        for row, cells in sheet.rows:
            list_name, value = sheet.get(cells, "list_name"), sheet.get(cells, "name")
            for header, text in sheet.filled(cells, unsupported_column):
                self.note("column_unsupported", row, header, sheet=sheet.title, value=text)
            if not list_name or not value:
                self.note("choice_row", row, sheet=sheet.title)
                continue
            value = " ".join(value.split())[:100]
            if not CHOICE_VALUE_RE.match(value):
                raise self.fail("XLS_CHOICE_INVALID", row, "name", "choices", value=value)
            label = sheet.l10n(cells, "label")
            if label is None:
                self.note("choice_label", row, sheet=sheet.title, value=value)
            columns = {
                normalize_name(base): sheet.get(cells, base)[:200]
                for base in sheet.columns
                if base not in CHOICE_OWN and sheet.get(cells, base)
            }
            entry = {"value": value, "label": label or value, "columns": columns, "row": row}
            if (list_name, value) in first:
                entry["duplicate_of"] = first[list_name, value]
            first.setdefault((list_name, value), row)
            self.lists.setdefault(list_name, []).append(entry)

    # --- expressions -------------------------------------------------------------------------

    def expression(self, item: Item, column: str, entry: dict[str, Any]) -> str | None:
        """A relevance or constraint cell; the original when the cell is as exported."""
        text = self.cell(item, column)
        sent, orig = (_mapping(entry.get(k)) for k in ("sent", "orig"))
        if column in sent:
            if _same(text, sent[column]):
                return orig.get(column)
            self.note("opp_edited", item.row, column, info=True, value=item.raw)
        if not text:
            return None
        if any(chr(q) in text for q in TYPOGRAPHIC):
            straight = text.translate(TYPOGRAPHIC)
            self.note("quotes", item.row, column, info=True, value=text, new=straight)
            text = straight
        try:
            expr = expressions.parse(year_back(text))
        except OppError as exc:
            # pyxform does not read expressions: one OPP cannot evaluate is dropped, not
            # the whole form (ODK may still refuse it when the form is opened).
            reason = exc.inline("fr").split(" : ", 1)[-1][:100]
            self.note("expr_unsupported", item.row, column, value=text, new=reason)
            return None
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
        if expr.uses_self and column != "constraint":
            self.note("expr_unsupported", item.row, column, value=text, new="« . »")
            return None
        return from_odk(expr.rename(self.renames) if self.renames else expr, self.yes_no)

    def _message(self, item: Item, entry: dict[str, Any]) -> dict[str, str] | None:
        sent = _mapping(entry.get("sent"))
        if "constraint_message" in sent:
            written = _mapping(sent["constraint_message"])
            texts = self.survey.texts(item.cells, "constraint_message")
            if all(_same(texts.get(lang, ""), written.get(lang)) for lang in {*written, *texts}):
                orig = entry.get("orig")
                return orig.get("constraint_message") if isinstance(orig, dict) else None
            self.note("opp_edited", item.row, "constraint_message", info=True, value=item.raw)
        return self.survey.l10n(item.cells, "constraint_message")

    # --- questionnaire -----------------------------------------------------------------------

    def _assemble(self, root: Item) -> dict[str, Any]:
        sections = self._sections(root)
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
            if sheet is None:
                continue
            for header in sheet.other_languages:
                self.note("language_other", None, header, sheet=sheet.title, info=True)
            for header in sheet.used(partial(_unknown_column, known)):
                self.note("column_unknown", None, header, sheet=sheet.title, info=True)
            for base in sorted(sheet.french_missing):
                self.note("french_missing", None, base, sheet=sheet.title)
        for key in sorted(set(self.opp) - self.used):
            row, name = self.opp[key][0], key.split(":", 1)[1]
            self.note("opp_row", row, sheet=OPP_SHEET, info=True, value=name)


def _all(section: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for question in section["questions"]:
        yield question
        yield from question.get("questions", [])


def _unknown_column(known: set[str], base: str) -> bool:
    return base not in known and not unsupported_column(base)


def _mapping(value: Any) -> dict[str, Any]:
    """A payload field that should be an object; anything else (a hand edit) counts as empty."""
    return value if isinstance(value, dict) else {}


def _same(cell: str, written: Any) -> bool:
    """A cell still holds what the export wrote (Excel drops surrounding blanks and CRs)."""
    if written is None or isinstance(written, str):
        return cell == (written or "").replace("\r\n", "\n").strip()
    return False
