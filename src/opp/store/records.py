"""Typed rows read from the store (pydantic models, explicit keys)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, Protocol, Self, TypeVar

import duckdb
from pydantic import BaseModel, ConfigDict

from opp.i18n import LANGUAGES, language

AccountStatus = Literal["pending", "invited", "active", "disabled"]
TokenKind = Literal["invitation", "reset"]


class Actor(Protocol):
    """Who acts, as the audit log and the rows they write record it (the access layer's
    `Viewer` is one: the store needs these two facts, not the access model)."""

    @property
    def actor(self) -> str: ...

    @property
    def role(self) -> object: ...


@dataclass(frozen=True)
class SystemActor:
    """OPP itself, as the audit log names it when no person acts (a release published
    when a campaign closes, the schema migration's first release)."""

    actor: str = "system"
    role: str = "admin"


SYSTEM_ACTOR = SystemActor()


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def from_row(cls, names: list[str], row: tuple[Any, ...]) -> Self:
        return cls.model_validate(dict(zip(names, row, strict=True)))


class Campaign(Record):
    id: str
    filiere: str
    questionnaire_id: str
    questionnaire_version: str
    reference_year: int
    title_fr: str
    title_en: str | None = None
    opens_on: dt.date
    closes_on: dt.date
    created_at: dt.datetime

    def title(self, lang: str = "fr") -> str:
        """The title in `lang`, French when it has none in that language."""
        return str(getattr(self, f"title_{language(lang)}", None) or self.title_fr)

    def titles(self) -> dict[str, str | None]:
        """The title as written in each language (None where it was not translated)."""
        return {lang: getattr(self, f"title_{lang}", None) for lang in LANGUAGES}

    def state(self, today: dt.date) -> Literal["upcoming", "open", "closed"]:
        if today < self.opens_on:
            return "upcoming"
        if today > self.closes_on:
            return "closed"
        return "open"


class Organisation(Record):
    id: str
    name: str
    structure_type: str
    legal_form: str | None = None
    commune: str | None = None
    departement: str | None = None
    filieres: list[str]
    created_at: dt.datetime
    siret: str | None = None
    email: str | None = None
    labels: list[str] | None = None
    updated_at: dt.datetime | None = None
    archived_at: dt.datetime | None = None  # archived: out of choosers, responses kept

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class ResponseMeta(Record):
    id: str
    campaign_id: str
    organisation_id: str
    questionnaire_id: str
    questionnaire_version: str
    status: Literal["draft", "submitted"]
    consent: str
    current_section: str | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None = None
    row_version: int
    edit_until: dt.date | None = None  # a correction accepted after the campaign closed


class CorrectionRequest(Record):
    id: str
    response_id: str
    organisation_id: str
    requested_by: str
    message: str
    status: Literal["pending", "accepted", "declined"]
    created_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    decision_reason: str | None = None


class Account(Record):
    id: str
    email: str
    display_name: str
    role: str
    organisation_id: str | None = None
    filiere: str | None = None
    password_hash: str | None = None
    # pending: added by a coordinator to an organisation that has members, awaiting a
    # member's (or the agency's) approval; invited: link sent, no password yet.
    status: AccountStatus
    demo: bool = False
    created_at: dt.datetime
    last_login_at: dt.datetime | None = None
    language: str = "fr"  # of the mails this person receives
    session_epoch: int = 0  # sessions started in an earlier epoch are over


class Token(Record):
    token_hash: str
    kind: TokenKind
    account_id: str
    created_by: str | None = None
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None


R = TypeVar("R", bound=Record)


def fetch_all(
    cur: duckdb.DuckDBPyConnection, model: type[R], sql: str, params: list[Any]
) -> list[R]:
    rows = cur.execute(sql, params).fetchall()
    names = [d[0] for d in cur.description or []]
    return [model.from_row(names, row) for row in rows]


def fetch_one(
    cur: duckdb.DuckDBPyConnection, model: type[R], sql: str, params: list[Any]
) -> R | None:
    found = fetch_all(cur, model, sql, params)
    return found[0] if found else None


def single(found: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """The row of a query that always returns exactly one (counts, aggregates): DuckDB
    types `fetchone()` as optional; a missing row there is a bug, not data."""
    if found is None:
        raise LookupError("an aggregate query returned no row")
    return found
