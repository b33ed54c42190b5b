"""One SQL text for both engines: repositories write DuckDB's dialect, and on PostgreSQL
each statement is transpiled once by `sqlglot` (cached per statement text).

Three things sqlglot leaves to us:
- placeholders: DuckDB's `?` become named `%(pN)s` (psycopg's syntax), numbered in the
  order they appear in the DuckDB text, so that a function sqlglot expands into an
  expression using its argument twice (`list_contains(x, ?)`) still binds the right value;
  every other `%` is doubled when the statement has parameters (psycopg would read
  `LIKE 'a%'` as a placeholder);
- `UBIGINT` (the cell-key method's 64-bit keys) has no PostgreSQL type: it becomes
  `NUMERIC(20, 0)`, read back as Python ints (see engine_pg);
- what sqlglot cannot translate (`INSERT OR IGNORE`, `INSERT … BY NAME`, `arg_max`,
  `GROUP BY ALL`, `any_value` (PostgreSQL 16+)) must
  not reach PostgreSQL silently wrong: `to_postgres` refuses it, and the repository's SQL
  is written in the portable form both engines accept instead.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.tokens import TokenType

_NOT_PORTABLE = re.compile(
    r"\bINSERT\s+OR\s+(?:IGNORE|REPLACE)\b|\bINTO\s+\S+\s+BY\s+NAME\b|\barg_(?:max|min)\s*\(|"
    r"\bGROUP\s+BY\s+ALL\b|\bany_value\s*\(",
    re.I,
)
_DUCKDB = DuckDB()
_ALIASES = itertools.count(1)
_NAMED = re.compile(r"%%\((p\d+|n_\w+)\)s")


class NotPortable(ValueError):
    """A statement written in DuckDB-only SQL that PostgreSQL would not run as meant."""


@dataclass(frozen=True)
class Statement:
    """A transpiled statement and how to bind DuckDB's positional parameters to it."""

    sql: str
    placeholders: int  # how many `?` the DuckDB text had
    names: frozenset[str] = frozenset()  # its named parameters (`$keep`)

    def bind(self, params: Sequence[Any] | Mapping[str, Any] | None) -> dict[str, Any] | None:
        if params is None:
            params = ()
        if isinstance(params, Mapping):
            if set(params) != self.names:
                raise NotPortable(f"parameters {sorted(params)} for {sorted(self.names)}")
            return {f"n_{name}": value for name, value in params.items()}
        if len(params) != self.placeholders:
            raise NotPortable(
                f"{len(params)} parameters given for {self.placeholders} placeholders"
            )
        if not self.placeholders:
            return None
        return {f"p{i + 1}": value for i, value in enumerate(params)}


def _numbered(sql: str) -> tuple[str, int]:
    """`sql` with its `?` numbered `$1, $2…` in the order of the text (the tree's walk
    order is not the text's: LIMIT comes first), string literals left alone."""
    marks = [
        t.start
        for t in _DUCKDB.tokenize(sql)
        # `?::VARCHAR[]` is one token to sqlglot (`?::`): its `?` is a placeholder too.
        if (t.token_type == TokenType.PLACEHOLDER and t.text == "?")
        or (t.token_type == TokenType.QDCOLON and t.text == "?::")
    ]
    for n, start in reversed(list(enumerate(marks, start=1))):
        sql = f"{sql[:start]}${n}{sql[start + 1 :]}"
    return sql, len(marks)


def _placeholder(node: exp.Expression) -> exp.Expression:
    """`$1` (a numbered `?`) → `%(p1)s`, `$name` → `%(n_name)s`."""
    if isinstance(node, exp.Placeholder) and node.this is not None:
        name = str(node.this)
        return exp.Placeholder(this=f"p{name}" if name.isdigit() else f"n_{name}")
    return node


def _portable(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.ArrayContains):
        # DuckDB's list_contains(list, x): sqlglot's CASE repeats x, and PostgreSQL cannot
        # type a parameter it only sees in `x IS NULL`; `x = ANY(list)` says the same.
        return exp.Coalesce(
            this=exp.EQ(this=node.expression, expression=exp.Any(this=exp.Paren(this=node.this))),
            expressions=[exp.false()],
        )
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.UBIGINT:
        return exp.DataType.build("DECIMAL(20, 0)")
    if (
        isinstance(node, exp.Subquery)
        and not node.alias
        and isinstance(node.parent, exp.From | exp.Join)
    ):  # PostgreSQL before 16 wants a name for a subquery in FROM
        node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{next(_ALIASES)}")))
    return node


@functools.lru_cache(maxsize=4096)
def to_postgres(sql: str) -> Statement:
    """The PostgreSQL form of one DuckDB statement (cached: repositories reuse their texts)."""
    if _NOT_PORTABLE.search(sql):
        raise NotPortable(f"DuckDB-only SQL, write it in the portable form: {sql[:120]}")
    numbered, count = _numbered(sql)
    trees = [t for t in sqlglot.parse(numbered, read="duckdb") if t is not None]
    if len(trees) != 1:
        raise NotPortable(f"one statement at a time: {sql[:120]}")
    names = frozenset(
        str(p.this) for p in trees[0].find_all(exp.Placeholder) if not str(p.this).isdigit()
    )
    tree = trees[0].transform(_placeholder).transform(_portable)
    text = tree.sql(dialect="postgres")
    if count or names:  # psycopg reads `%` as a placeholder only when given parameters
        text = text.replace("%", "%%")
    return Statement(sql=_NAMED.sub(r"%(\1)s", text), placeholders=count, names=names)
