"""The question-type registry: one descriptor per question type, the one place for what a
type means.

A descriptor says how a raw answer becomes a stored value (`parse`, then the question's
own limits: `check`), how an answer reads (`display`), which value column holds it
(`value_kind`, used by the long-format rows and the analytics pivot), how it maps to
XLSForm (`xls`), how the codebook and open data treat it, and its name in the
co-design form (`label`). Code that depends on the type asks the registry
(`descriptor(question)`) instead of testing classes; adding a type means adding its
pydantic model and one descriptor here (plus one widget in `opp.ui.widgets`).
Structural tests (is it a repeat group?) stay `isinstance` checks: they are about the
form's shape, not about a type's behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

from opp import geo
from opp.i18n import texts
from opp.questionnaire import coercion, display, xlsform_limits
from opp.questionnaire.coercion import Check, Coerced, Parser
from opp.questionnaire.display import Formatter
from opp.questionnaire.model import (
    QUESTION_TYPES,
    CalculateQuestion,
    Choice,
    CommuneQuestion,
    DateQuestion,
    DecimalQuestion,
    DepartementQuestion,
    IntegerQuestion,
    L10n,
    LongTextQuestion,
    MoneyQuestion,
    MultipleChoiceQuestion,
    NoteQuestion,
    PercentageQuestion,
    QuestionBase,
    RegionCountryQuestion,
    RepeatQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
    _WithChoices,
)

YES_NO_LIST = "oui_non"  # XLSForm list of yes/no questions (values true / false)
ValueKind = Literal["num", "text", "bool", "list", "date"]
TableSchemaType = Literal["string", "integer", "number", "boolean", "date"]


def _none(_question: Any) -> str | None:
    return None


def _always(appearance: str) -> Callable[[Any], str | None]:
    def appearance_of(_question: Any) -> str | None:
        return appearance

    return appearance_of


def _dropdown(question: Any) -> str | None:
    return "minimal" if question.appearance == "dropdown" else None


@dataclass(frozen=True)
class XlsMapping:
    """How a type is written to (and read back from) an XLSForm survey sheet."""

    type: str  # survey type on export: text, integer, decimal, date, note, select_one…
    # A fixed choice list exported with it (yes/no, geography): its name and choices.
    list_name: str | None = None
    choices: Callable[[], list[Choice]] | None = None
    appearance: Callable[[Any], str | None] = _none  # the appearance written on export
    # The question's own limits as constraint parts (what `check` refuses, for ODK).
    limits: Callable[[Any], list[xlsform_limits.Part]] = xlsform_limits.no_limits
    # XLSForm kinds read as this type when nothing else decides (an opp sheet, a list).
    imported_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionType:
    """Everything OPP does differently for one question type."""

    key: str  # the `type` literal of the model, e.g. "money"
    model: type[QuestionBase]
    label: L10n  # the type's name in the co-design form
    display: Formatter = display.as_text
    parse: Parser | None = None  # None: the type holds no answer of its own
    check: Check | None = None
    value_kind: ValueKind | None = None  # stored value column; None: nothing stored
    whole_number: bool = False  # numbers read back as int
    choices: bool = False  # answers are codes of the question's own choice list
    xls: XlsMapping | None = None  # None: not exported to XLSForm
    table_schema: TableSchemaType | None = None  # codebook column type; None: no column
    # Standard code list its values come from (codebook), e.g. INSEE communes.
    codes: L10n | None = None
    # Never in open records (free text and places can identify a structure).
    withheld_from_open_data: bool = False
    proposable: bool = True  # a co-design proposal may add a question of this type

    @property
    def numeric(self) -> bool:
        return self.value_kind == "num"

    def coerce(self, question: Any, raw: Any) -> Coerced:
        """Typed value of a raw, non-empty answer, or the problem with it."""
        if self.parse is None:
            return None, None
        value, problem = self.parse(question, raw)
        if problem is not None or value is None or self.check is None:
            return value, problem
        problem = self.check(question, value)
        return (None, problem) if problem else (value, None)


def _yes_no_choices() -> list[Choice]:
    return [
        Choice(value=v, label=_label(f"qtype.{name}"))
        for v, name in (("true", "yes"), ("false", "no"))
    ]


def _commune_choices() -> list[Choice]:
    return [Choice(value=c.code, label=L10n(fr=c.label())) for c in geo.communes().values()]


def _departement_choices() -> list[Choice]:
    return [
        Choice(value=code, label=L10n(fr=f"{name} ({code})"))
        for code, name in geo.DEPARTEMENTS.items()
    ]


def _place_choices() -> list[Choice]:
    return [Choice(value=code, label=L10n(**label)) for code, label in geo.places_outside().items()]


def _label(msgid: str) -> L10n:
    """A text of a descriptor, from the catalogue (`qtype.<name>`) in every language."""
    return L10n(**texts(msgid))


def _number(
    key: str, model: type[QuestionBase], label: L10n, display: Formatter, parse: Parser, xls: str
) -> QuestionType:
    """A number: value column `num`, the question's min/max checked."""
    imported = (xls,) if xls == key else ()
    return QuestionType(
        key,
        model,
        label,
        display=display,
        parse=parse,
        check=coercion.check_bounds,
        value_kind="num",
        whole_number=key == "integer",
        table_schema="integer" if key == "integer" else "number",
        xls=XlsMapping(xls, limits=xlsform_limits.number_limits, imported_from=imported),
    )


def _text(key: str, model: type[QuestionBase], label: L10n, xls: XlsMapping) -> QuestionType:
    """Free text: kept out of open records (it can name a person or a structure)."""
    return QuestionType(
        key,
        model,
        label,
        parse=coercion.parse_text,
        check=coercion.check_text,
        value_kind="text",
        table_schema="string",
        xls=xls,
        withheld_from_open_data=True,
    )


def _place(
    key: str, model: type[QuestionBase], label: L10n, parse: Parser, codes: L10n, xls: XlsMapping
) -> QuestionType:
    """A code of a geographic reference list: shown by its name, kept out of open records."""
    return QuestionType(
        key,
        model,
        label,
        display=display.place,
        parse=parse,
        value_kind="text",
        table_schema="string",
        codes=codes,
        xls=xls,
        withheld_from_open_data=True,
    )


_DESCRIPTORS: tuple[QuestionType, ...] = (
    _text(
        "text",
        TextQuestion,
        _label("qtype.short_text"),
        XlsMapping("text", limits=xlsform_limits.text_limits, imported_from=("text", "time")),
    ),
    _text(
        "long_text",
        LongTextQuestion,
        _label("qtype.long_text"),
        XlsMapping("text", appearance=_always("multiline"), limits=xlsform_limits.text_limits),
    ),
    _number(
        "integer",
        IntegerQuestion,
        _label("qtype.whole_number"),
        display.integer,
        coercion.parse_integer,
        "integer",
    ),
    _number(
        "decimal",
        DecimalQuestion,
        _label("qtype.decimal_number"),
        display.decimal,
        coercion.parse_decimal,
        "decimal",
    ),
    _number(
        "money",
        MoneyQuestion,
        _label("qtype.amount"),
        display.money,
        coercion.rounded_to(2),
        "decimal",
    ),
    _number(
        "percentage",
        PercentageQuestion,
        _label("qtype.percentage"),
        display.percentage,
        coercion.rounded_to(2),
        "decimal",
    ),
    QuestionType(
        "yes_no",
        YesNoQuestion,
        _label("qtype.yes_no"),
        display=display.yes_no,
        parse=coercion.parse_yes_no,
        value_kind="bool",
        table_schema="boolean",
        xls=XlsMapping("select_one", list_name=YES_NO_LIST, choices=_yes_no_choices),
    ),
    QuestionType(
        "single_choice",
        SingleChoiceQuestion,
        _label("qtype.single_choice"),
        display=display.single_choice,
        parse=coercion.parse_single,
        value_kind="text",
        choices=True,
        table_schema="string",
        xls=XlsMapping("select_one", appearance=_dropdown, imported_from=("select_one",)),
    ),
    QuestionType(
        "multiple_choice",
        MultipleChoiceQuestion,
        _label("qtype.multiple_choice"),
        display=display.multiple_choice,
        parse=coercion.parse_multiple,
        check=coercion.check_multiple,
        value_kind="list",
        choices=True,
        table_schema="string",
        xls=XlsMapping(
            "select_multiple",
            limits=xlsform_limits.selection_limits,
            imported_from=("select_multiple",),
        ),
    ),
    QuestionType(
        "date",
        DateQuestion,
        _label("qtype.date"),
        display=display.date,
        parse=coercion.parse_date,
        check=coercion.check_date,
        value_kind="date",
        table_schema="date",
        xls=XlsMapping(
            "date", limits=xlsform_limits.date_limits, imported_from=("date", "datetime")
        ),
    ),
    _place(
        "commune",
        CommuneQuestion,
        _label("qtype.municipality_in_occitanie"),
        coercion.code_in(geo.communes, "A_COMMUNE_UNKNOWN", 5),
        _label("qtype.commune_code"),
        XlsMapping(
            "select_one",
            list_name="communes_occitanie",
            choices=_commune_choices,
            appearance=_always("autocomplete"),
        ),
    ),
    _place(
        "departement",
        DepartementQuestion,
        _label("qtype.departement"),
        coercion.code_in(lambda: geo.DEPARTEMENTS, "A_DEPARTEMENT_UNKNOWN", 2),
        _label("qtype.departement_code"),
        XlsMapping(
            "select_one",
            list_name="departements_occitanie",
            choices=_departement_choices,
            appearance=_always("minimal"),
        ),
    ),
    _place(
        "region_country",
        RegionCountryQuestion,
        _label("qtype.region_or_country"),
        coercion.code_in(geo.places_outside, "A_PLACE_UNKNOWN", 0),
        _label("qtype.place_code"),
        XlsMapping(
            "select_one",
            list_name="regions_pays",
            choices=_place_choices,
            appearance=_always("autocomplete"),
        ),
    ),
    QuestionType(
        "note",
        NoteQuestion,
        _label("qtype.information_text"),
        xls=XlsMapping("note", imported_from=("note",)),
    ),
    QuestionType(
        "calculate",
        CalculateQuestion,
        _label("qtype.calculation"),
        xls=XlsMapping("calculate"),  # read back by the survey mapping (`calculation` column)
        table_schema="number",
        proposable=False,  # written with the agency, in the files
    ),
    QuestionType(
        "repeat",
        RepeatQuestion,
        _label("qtype.repeated_group"),
        display=display.items,
        xls=XlsMapping("begin_repeat", imported_from=("begin_repeat",)),
        proposable=False,  # designed with the agency, in the files
    ),
)

REGISTRY: dict[str, QuestionType] = {d.key: d for d in _DESCRIPTORS}
BY_MODEL: dict[type[QuestionBase], QuestionType] = {d.model: d for d in _DESCRIPTORS}

NUMERIC_TYPES = frozenset(k for k, d in REGISTRY.items() if d.numeric)
CHOICE_TYPES = frozenset(k for k, d in REGISTRY.items() if d.choices)
PROPOSABLE_TYPES: tuple[str, ...] = tuple(k for k in QUESTION_TYPES if REGISTRY[k].proposable)


def descriptor(question: Any) -> QuestionType:
    """The descriptor of a question (model instance) or of a type key ("money")."""
    if isinstance(question, str):
        return REGISTRY[question]
    return BY_MODEL[type(question)]


def coerce(question: Any, raw: Any) -> Coerced:
    """Typed value of a non-repeat question's answer (`None, None`: not answered)."""
    if coercion.is_empty(raw):
        return None, None
    return descriptor(question).coerce(question, raw)


def format_value(question: Any, value: Any, lang: str = "fr") -> str:
    """One answer as text, in the reader's language."""
    if value is None:
        return "—"
    return descriptor(question).display(question, value, lang)


def has_choices(question: Any) -> TypeGuard[_WithChoices]:
    """Whether answers are codes of the question's own choice list."""
    return descriptor(question).choices


def value_kind(question_type: str) -> ValueKind:
    """The value column holding answers of this type ("text" for types storing nothing)."""
    return REGISTRY[question_type].value_kind or "text"


def type_label(question_type: str, lang: str = "fr") -> str:
    return REGISTRY[question_type].label.get(lang)
