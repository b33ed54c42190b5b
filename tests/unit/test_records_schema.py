"""The store's pydantic records match the tables the migrations create.

A record is read from a row by column name (`Record.from_row`) and several are written
back positionally (`INSERT INTO t VALUES (?, …)` with `model_dump()`): a column added,
renamed or retyped by a migration without its record (or the reverse) breaks reads or
writes silently. Checked on a fresh database, migrated from nothing, on DuckDB and on
PostgreSQL (the same migrations, transpiled).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal, Union

import pytest
from pydantic import BaseModel

from opp.store.api_tokens import ApiToken
from opp.store.codesign import Comment, Proposal
from opp.store.db import Store
from opp.store.engine_pg import PgStore
from opp.store.open_packages import OpenPackage
from opp.store.records import (
    Account,
    Campaign,
    CorrectionRequest,
    Organisation,
    ResponseMeta,
    Token,
)
from opp.store.releases import Release
from opp.store.web_sessions import WebSession

pytestmark = pytest.mark.both_backends

# Every record read whole from one table.
RECORDS: dict[type[BaseModel], str] = {
    Campaign: "campaigns",
    Organisation: "organisations",
    ResponseMeta: "responses",
    CorrectionRequest: "correction_requests",
    Account: "accounts",
    Token: "account_tokens",
    Proposal: "proposals",
    Comment: "proposal_comments",
    ApiToken: "api_tokens",
    OpenPackage: "open_packages",
    WebSession: "web_sessions",
    Release: "releases",
}

# DuckDB column type → the Python types a field reading it may declare.
SCALARS: dict[str, tuple[type, ...]] = {
    "VARCHAR": (str,),
    "INTEGER": (int,),
    "BIGINT": (int,),
    "DOUBLE": (float,),
    "BOOLEAN": (bool,),
    "DATE": (dt.date,),
    "TIMESTAMP": (dt.datetime,),
    "BLOB": (bytes,),
    "JSON": (tuple, list, dict),  # parsed by the record (e.g. a release's campaigns)
}


# PostgreSQL's name of a column type (information_schema's udt_name) → DuckDB's.
PG_TYPES = {
    "text": "VARCHAR",
    "int4": "INTEGER",
    "int8": "BIGINT",
    "float8": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "bytea": "BLOB",
    "json": "JSON",
    "numeric": "UBIGINT",
}


def _columns(store: Store, table: str) -> list[tuple[str, str, bool, bool]]:
    """(name, type, nullable, has a default) of a table's columns, in order, with DuckDB's
    type names on both backends."""
    postgres = isinstance(store, PgStore)
    rows = (
        store.cursor()
        .execute(
            f"SELECT column_name, {'udt_name' if postgres else 'data_type'}, "
            "is_nullable = 'YES', column_default IS NOT NULL "
            "FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        )
        .fetchall()
    )
    if postgres:  # arrays are `_text`
        rows = [
            (n, PG_TYPES[t[1:]] + "[]" if t.startswith("_") else PG_TYPES[t], null, default)
            for n, t, null, default in rows
        ]
    return [(str(n), str(t), bool(null), bool(default)) for n, t, null, default in rows]


def _shape(annotation: Any) -> tuple[set[Any], bool]:
    """The Python types an annotation accepts (outer types, Literal values' types, list
    as list[item]) and whether it accepts None."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        kinds: set[Any] = set()
        optional = False
        for arm in typing.get_args(annotation):
            arm_kinds, arm_optional = _shape(arm)
            kinds |= arm_kinds
            optional = optional or arm_optional
        return kinds, optional
    if annotation is type(None):
        return set(), True
    if origin is Literal:
        return {type(value) for value in typing.get_args(annotation)}, False
    if origin in (list, tuple):
        item = typing.get_args(annotation)[0]
        return {(list, item)} if origin is list else {tuple}, False
    return {annotation}, False


def _compatible(column_type: str, kinds: set[Any]) -> bool:
    if column_type.endswith("[]"):
        allowed = SCALARS.get(column_type[:-2], ())
        return bool(kinds) and all(
            isinstance(k, tuple) and k[0] is list and k[1] in allowed for k in kinds
        )
    allowed = SCALARS.get(column_type, ())
    return bool(kinds) and all(k in allowed for k in kinds)


@pytest.mark.parametrize("record", list(RECORDS), ids=lambda r: r.__name__)
def test_records__match_the_migrated_tables(tmp_store: Store, record: type[BaseModel]) -> None:
    table = RECORDS[record]
    columns = _columns(tmp_store, table)
    assert columns, f"no table {table} after the migrations"
    fields = record.model_fields
    # Same names in the same order: some records are inserted positionally.
    assert list(fields) == [name for name, *_ in columns], (
        f"{record.__name__} fields differ from the columns of {table}"
    )
    for name, column_type, nullable, has_default in columns:
        kinds, optional = _shape(fields[name].annotation)
        assert _compatible(column_type, kinds), (
            f"{record.__name__}.{name} is {fields[name].annotation}, column {table}.{name} "
            f"is {column_type}"
        )
        # A column that may hold NULL needs a field that accepts None — unless the column
        # has a default (rows written without it get the default, never NULL).
        assert optional or not nullable or has_default, (
            f"{table}.{name} may be NULL but {record.__name__}.{name} refuses None"
        )


def test_records__the_check_sees_a_mismatch(tmp_store: Store) -> None:
    """The comparison itself: a record with a renamed or retyped field is caught."""

    class Renamed(BaseModel):
        id: str
        filiere: str
        questionnaire: str  # the column is questionnaire_id

    class Retyped(BaseModel):
        reference_year: str  # the column is an INTEGER

    names = [name for name, *_ in _columns(tmp_store, "campaigns")]
    assert list(Renamed.model_fields) != names[:3]
    kinds, _ = _shape(Retyped.model_fields["reference_year"].annotation)
    assert not _compatible("INTEGER", kinds)
    kinds, optional = _shape(Organisation.model_fields["labels"].annotation)
    assert _compatible("VARCHAR[]", kinds)
    assert optional
    assert not _compatible("VARCHAR", kinds)
