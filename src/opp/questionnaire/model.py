"""Pydantic models of a questionnaire: sections (form steps) holding typed questions.

A questionnaire file may `include` shared modules (the common core); the loader composes
them into one `Questionnaire` whose question ids are unique. Expressions are kept as
source text here and parsed (and checked) by the loader, so a model always round-trips
to YAML/JSON unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from opp.i18n import LANGUAGES, language

ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Choice values are stored as written by real forms (accents, spaces, "-99", quotes…):
# any text of 1 to 100 characters without control characters or surrounding blanks.
CHOICE_VALUE_RE = re.compile(r"^[^\x00-\x1f\x7f\s](?:[^\x00-\x1f\x7f]{0,98}[^\x00-\x1f\x7f\s])?$")
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
LANGS = ("fr", "en")

Id = Annotated[str, Field(pattern=ID_RE.pattern)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class L10n(_Frozen):
    """A text in French (mandatory) and English; a plain string means French only."""

    fr: str = Field(min_length=1)
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_str(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"fr": data}
        return data

    def get(self, lang: str = "fr") -> str:
        """The text in `lang`, French when it has none in that language."""
        return str(getattr(self, language(lang), None) or self.fr)

    def texts(self) -> dict[str, str]:
        """The text in every language (French where a translation is missing)."""
        return {lang: self.get(lang) for lang in LANGUAGES}


class Choice(_Frozen):
    value: Annotated[str, Field(pattern=CHOICE_VALUE_RE.pattern)]
    label: L10n
    exclusive: bool = False  # e.g. "aucun": cannot be ticked with another choice
    # Other columns of the choice (XLSForm choices sheet), read by `choice_filter`
    # expressions as bare names: ``departement = ${departement}``.
    columns: dict[Annotated[str, Field(pattern=ID_RE.pattern)], str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _coerce_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), int | float):
            return {**data, "value": str(data["value"])}
        return data


class QuestionBase(_Frozen):
    id: Id
    label: L10n
    help: L10n | None = None
    required: bool = False
    # Required only when this expression holds (XLSForm ``required`` with an expression).
    required_if: str | None = None
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: L10n | None = None
    # Answers that rarely change are offered again next campaign, marked "à confirmer".
    carry_forward: bool = False
    # Personal data (names, e-mails, individual pay…) never leaves as open data.
    personal: bool = False
    unit: L10n | None = None

    @property
    def has_value(self) -> bool:
        return True

    @property
    def choice_values(self) -> list[str]:
        return []


class TextQuestion(QuestionBase):
    type: Literal["text"]
    min_length: int | None = Field(default=None, ge=0)
    max_length: int = Field(default=300, ge=1, le=10_000)
    pattern: str | None = None
    pattern_hint: L10n | None = None


class LongTextQuestion(QuestionBase):
    type: Literal["long_text"]
    min_length: int | None = Field(default=None, ge=0)
    max_length: int = Field(default=5_000, ge=1, le=50_000)


class _Bounded(QuestionBase):
    min: float | None = None
    max: float | None = None


class IntegerQuestion(_Bounded):
    type: Literal["integer"]


class DecimalQuestion(_Bounded):
    type: Literal["decimal"]
    decimals: int = Field(default=2, ge=0, le=6)


class MoneyQuestion(_Bounded):
    """An amount in euros (stored with cents)."""

    type: Literal["money"]
    min: float | None = 0


class PercentageQuestion(_Bounded):
    type: Literal["percentage"]
    min: float | None = 0
    max: float | None = 100


class YesNoQuestion(QuestionBase):
    type: Literal["yes_no"]


class _WithChoices(QuestionBase):
    choices: list[Choice] = Field(min_length=1)
    # Cascading selects: a choice is offered when this holds for it; bare names are the
    # choice's columns (``name`` its value), ``${x}`` the answers (XLSForm choice_filter).
    choice_filter: str | None = None

    @property
    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices]

    def choice_label(self, value: str, lang: str = "fr") -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label.get(lang)
        return value


class SingleChoiceQuestion(_WithChoices):
    type: Literal["single_choice"]
    appearance: Literal["radio", "dropdown"] | None = None


class MultipleChoiceQuestion(_WithChoices):
    type: Literal["multiple_choice"]
    min_selected: int | None = Field(default=None, ge=0)
    max_selected: int | None = Field(default=None, ge=1)


class DateQuestion(QuestionBase):
    type: Literal["date"]
    min_date: dt.date | None = None
    max_date: dt.date | None = None


class CommuneQuestion(QuestionBase):
    """One of the communes of Occitanie (INSEE code); the département follows from it."""

    type: Literal["commune"]


class DepartementQuestion(QuestionBase):
    type: Literal["departement"]


class RegionCountryQuestion(QuestionBase):
    """A place outside Occitanie: another French region (FR-<INSEE>) or a country (ISO)."""

    type: Literal["region_country"]


class NoteQuestion(QuestionBase):
    """Text shown in the form; holds no answer."""

    type: Literal["note"]

    @property
    def has_value(self) -> bool:
        return False


class CalculateQuestion(QuestionBase):
    """A value computed from other answers (XLSForm ``calculate``), never asked.

    Relevance, constraints, rules and labels (``${x}``) can use it; it is recomputed from
    the answers whenever needed and not stored.
    """

    type: Literal["calculate"]
    calculation: str = Field(min_length=1)
    label: L10n = Field(default_factory=lambda: L10n(fr="Calcul"))

    @property
    def has_value(self) -> bool:
        return False


ScalarQuestion = Annotated[
    TextQuestion
    | LongTextQuestion
    | IntegerQuestion
    | DecimalQuestion
    | MoneyQuestion
    | PercentageQuestion
    | YesNoQuestion
    | SingleChoiceQuestion
    | MultipleChoiceQuestion
    | DateQuestion
    | CommuneQuestion
    | DepartementQuestion
    | RegionCountryQuestion
    | NoteQuestion
    | CalculateQuestion,
    Field(discriminator="type"),
]


class RepeatQuestion(QuestionBase):
    """A list of items, each answering the same questions (e.g. one per performance)."""

    type: Literal["repeat"]
    questions: list[ScalarQuestion] = Field(min_length=1)
    min_items: int = Field(default=0, ge=0)
    max_items: int = Field(default=500, ge=1, le=5_000)
    item_label: L10n | None = None  # e.g. "Représentation"


Question = Annotated[
    TextQuestion
    | LongTextQuestion
    | IntegerQuestion
    | DecimalQuestion
    | MoneyQuestion
    | PercentageQuestion
    | YesNoQuestion
    | SingleChoiceQuestion
    | MultipleChoiceQuestion
    | DateQuestion
    | CommuneQuestion
    | DepartementQuestion
    | RegionCountryQuestion
    | NoteQuestion
    | CalculateQuestion
    | RepeatQuestion,
    Field(discriminator="type"),
]

# Every type key, in the order of the `Question` union (the type registry, in
# `question_types`, holds what each type means).
QUESTION_TYPES: tuple[str, ...] = tuple(
    get_args(model.model_fields["type"].annotation)[0] for model in get_args(get_args(Question)[0])
)


class Section(_Frozen):
    """One step of the form."""

    id: Id
    title: L10n
    description: L10n | None = None
    relevant: str | None = None
    questions: list[Question] = Field(min_length=1)
    # Which included module (or the questionnaire itself) the section comes from.
    origin: str | None = None


class Rule(_Frozen):
    """A consistency rule between answers, e.g. women + men + other ≤ headcount."""

    id: Id
    check: str
    message: L10n
    fields: list[Id] = Field(min_length=1)  # the message is shown next to these questions
    severity: Literal["error", "warning"] = "error"


class ChangelogEntry(_Frozen):
    version: str
    date: dt.date
    changes: list[L10n] = Field(min_length=1)
    # Questions this version added: lets tools rebuild the previous version (demo data,
    # and the "did not exist that year" notes of indicators).
    added: list[Id] = Field(default_factory=list)


class ModuleRef(_Frozen):
    id: Id
    version: str


def _both_languages() -> list[Literal["fr", "en"]]:
    return ["fr", "en"]


class Questionnaire(_Frozen):
    id: Id
    kind: Literal["questionnaire", "module"] = "questionnaire"
    filiere: str
    audience: Literal["structure", "artiste"] = "structure"
    title: L10n
    description: L10n | None = None
    version: str
    status: Literal["draft", "published", "archived"] = "draft"
    languages: list[Literal["fr", "en"]] = Field(default_factory=_both_languages)
    include: list[Id] = Field(default_factory=list)
    composed_from: list[ModuleRef] = Field(default_factory=list)
    choice_lists: dict[Id, list[Choice]] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    changelog: list[ChangelogEntry] = Field(default_factory=list)

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not SEMVER_RE.match(value):
            raise ValueError("expected MAJOR.MINOR.PATCH")
        return value

    # --- navigation helpers (pure, cached) --------------------------------------------------

    def iter_questions(self) -> Iterator[tuple[Section, Question, RepeatQuestion | None]]:
        """Every question in document order, with its section and enclosing repeat."""
        for section in self.sections:
            for question in section.questions:
                yield section, question, None
                if isinstance(question, RepeatQuestion):
                    for child in question.questions:
                        yield section, child, question

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for _, q, _ in self.iter_questions()}

    @cached_property
    def parent_repeat(self) -> dict[str, str]:
        """Child question id → id of the repeat group that contains it."""
        return {q.id: r.id for _, q, r in self.iter_questions() if r is not None}

    @cached_property
    def section_of(self) -> dict[str, str]:
        return {q.id: s.id for s, q, _ in self.iter_questions()}

    @cached_property
    def sections_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    def question(self, question_id: str) -> Question:
        return self.questions[question_id]

    @property
    def key(self) -> str:
        """Identifier of this exact version, e.g. ``cirque@1.2.0``."""
        return f"{self.id}@{self.version}"

    def definition_json(self) -> str:
        return self.model_dump_json(exclude_defaults=True, by_alias=True)
