"""Analytical reads of one release: answers pivoted to one row per response (or item).

Figures are computed from releases only (`store/releases.py`), never from live rows:
these functions read the frozen copies a release includes. Only `opp.indicators` calls
this module, and it never hands these rows to a viewer: every figure leaves through the
disclosure-control layer. Question ids become column names, so they are checked against
the identifier pattern (an allowlist) first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import polars as pl
import pyarrow as pa

from opp.errors import OppError
from opp.questionnaire.model import ID_RE
from opp.store.db import Store

ValueKind = Literal["num", "text", "bool", "list", "date"]
_COLUMN = {
    "num": "value_num",
    "text": "value_text",
    "bool": "value_bool",
    "list": "value_list",
    "date": "value_date",
}

# One row per response of a release with the dimensions every indicator can be cut by,
# as they were when the response was frozen, and its record key (cell key method).
_RESPONSES = """
    SELECT f.response_id, f.organisation_id, f.questionnaire_id, f.consent,
           f.reference_year, f.filiere, f.departement, f.structure_type,
           f.record_key AS _key, f.snapshot AS _snapshot
    FROM release_members m JOIN frozen_responses f ON f.snapshot = m.snapshot
    WHERE m.release_id = ?
"""
RESPONSE_DIMENSIONS = (
    "response_id",
    "organisation_id",
    "questionnaire_id",
    "consent",
    "reference_year",
    "filiere",
    "departement",
    "structure_type",
    "_key",
)


def _check_ids(question_ids: Iterable[str]) -> None:
    for qid in question_ids:
        if not ID_RE.match(qid):
            raise OppError("Q_ID_INVALID", value=qid)


def response_dims(store: Store, release_id: int) -> pl.DataFrame:
    """One row per response of the release with its dimensions (the rows of every frame),
    in the byte order of the response ids: each row's number (`_rid`) and the order
    ties are broken in (`cells._magnitude`) are the same on every server and engine.
    Sorted by Polars rather than ORDER BY: a third of the read at ×100 on the file, and
    independent of PostgreSQL's collation."""
    with store.relation_cursor() as cur:
        rows = cur.sql(_RESPONSES, params=[release_id]).pl()
    return rows.sort("response_id")


def _row_numbers(dims: pl.DataFrame) -> pa.Table:
    """(snapshot, _row) of the rows of `dims`, as an Arrow table DuckDB can join."""
    return pl.DataFrame(
        {
            "snapshot": dims["_snapshot"],
            "_row": pl.arange(0, dims.height, eager=True, dtype=pl.UInt32),
        }
    ).to_arrow()


def _long_rows(
    store: Store, dims: pl.DataFrame, ids: list[str], kinds: set[ValueKind], *, repeat: str | None
) -> pl.DataFrame:
    """The long answer rows of questions `ids` of the responses in `dims`: `_row` (the
    response's row in `dims`), `item`, `_col` (the question's position in `ids`) and the
    value columns of `kinds`; top-level answers, or the items of the repeat `repeat`.

    DuckDB (or PostgreSQL) joins the long rows to the row numbers of `dims` (so drafts,
    and responses submitted since `dims` was read, drop out) and sends small integers
    instead of the 32-character ids: at ×100 a page's millions of long rows would
    otherwise pass through memory as strings. Both filters are joins with small
    registered tables (twice as fast at ×100 as `question_id IN (…)` with the column
    position computed per row), and the SQL is the same on both engines.
    """
    questions = pl.DataFrame(
        {"question_id": ids, "_col": pl.Series(range(len(ids)), dtype=pl.UInt16)}
    ).to_arrow()
    values = ", ".join(f"a.{c}" for c in sorted({_COLUMN[k] for k in kinds}))
    where = "a.group_id = ?" if repeat is not None else "a.item = 0"
    sql = (
        f"SELECT k._row, a.item, q._col, {values} "
        "FROM frozen_answers a "
        "JOIN _opp_questions q ON q.question_id = a.question_id "
        f"JOIN _opp_rows k ON k.snapshot = a.snapshot WHERE {where}"
    )
    with store.relation_cursor() as cur:
        cur.register("_opp_rows", _row_numbers(dims))
        cur.register("_opp_questions", questions)
        return cur.sql(sql, params=[repeat] if repeat is not None else None).pl()


def _pivoted(
    long: pl.DataFrame, ids: list[str], columns: Mapping[str, ValueKind], index: list[str]
) -> pl.DataFrame:
    """The questions of `columns` (found in `long`) as one column each, one row per
    `index` value present in `long`; a question with no answer is a column of nulls."""
    parts = []
    for kind in ("text", "bool", "list", "date", "num"):
        wanted_ids = [q for q in ids if columns.get(q) == kind]
        if not wanted_ids:
            continue
        column = _COLUMN[kind]
        positions = {ids.index(q): q for q in wanted_ids}
        rows = long.filter(pl.col("_col").is_in(list(positions))).select(
            *index,
            pl.col("_col").replace_strict(positions, return_dtype=pl.String).alias("question_id"),
            column,
        )
        wide = (
            rows.pivot(on="question_id", index=index, values=column, aggregate_function="first")
            if rows.height
            else rows.select(index)
        )
        dtype = long.schema[column]
        parts.append(
            wide.with_columns(
                pl.lit(None, dtype=dtype).alias(q) for q in wanted_ids if q not in wide.columns
            ).select(*index, *wanted_ids)
        )
    return parts[0] if len(parts) == 1 else _joined(parts, index)


def _joined(parts: list[pl.DataFrame], index: list[str]) -> pl.DataFrame:
    out = parts[0]
    for part in parts[1:]:
        out = out.join(part, on=index, how="full", coalesce=True)
    return out


def answer_columns(store: Store, dims: pl.DataFrame, columns: dict[str, ValueKind]) -> pl.DataFrame:
    """Top-level answers of `columns`, one row per row of `dims` (`response_dims` of a
    release, sorted by response_id).

    Pivoting client-side is several times faster than SQL FILTER aggregates or PIVOT
    once more than a few questions are wanted: numbers are scattered into a matrix and
    the few non-numeric questions pivoted.
    """
    _check_ids(columns)
    if not columns:
        return pl.DataFrame()
    ids = list(columns)
    long = _long_rows(store, dims, ids, set(columns.values()), repeat=None)
    out: dict[str, pl.Series] = {}
    numeric = [q for q in ids if columns[q] == "num"]
    if numeric:
        rows = long.filter(pl.col("value_num").is_not_null())
        matrix = np.full((dims.height, len(ids)), np.nan)
        matrix[rows["_row"].to_numpy(), rows["_col"].to_numpy()] = rows["value_num"].to_numpy()
        wanted = [ids.index(q) for q in numeric]
        block = pl.from_numpy(matrix[:, wanted], schema=numeric).fill_nan(None)
        out |= {q: block[q] for q in numeric}
    others = {q: k for q, k in columns.items() if k != "num"}
    if others:
        base = pl.DataFrame({"_row": pl.arange(0, dims.height, eager=True, dtype=pl.UInt32)})
        wide = _pivoted(long, ids, others, ["_row"])  # it takes the rows of `others` only
        aligned = base.join(wide, on="_row", how="left")
        out |= {q: aligned[q] for q in others}
    return pl.DataFrame([out[q] for q in ids])


def with_size_class(frame: pl.DataFrame) -> pl.DataFrame:
    """Size class from the permanent headcount (none for individual artists)."""
    staff = pl.col("effectif_permanent")
    size = (
        pl.when((pl.col("structure_type") == "artiste") | staff.is_null())
        .then(None)
        .when(staff <= 0)
        .then(pl.lit("0"))
        .when(staff < 3)
        .then(pl.lit("1-2"))
        .when(staff < 10)
        .then(pl.lit("3-9"))
        .otherwise(pl.lit("10+"))
    )
    return frame.with_columns(size.cast(pl.String).alias("size_class"))


def response_frame(store: Store, release_id: int, columns: dict[str, ValueKind]) -> pl.DataFrame:
    """The release's responses × top-level answers of `columns`, plus `size_class`."""
    dims = response_dims(store, release_id)
    wanted: dict[str, ValueKind] = {"effectif_permanent": "num", **columns}
    return with_size_class(dims.hstack(answer_columns(store, dims, wanted)))


def item_columns(
    store: Store, dims: pl.DataFrame, repeat_id: str, columns: dict[str, ValueKind]
) -> pl.DataFrame:
    """One row per repeat item of the responses in `dims`: `_row` (the response's row in
    `dims`), `item`, then `columns`. The caller gathers the response's dimensions by
    `_row`: half a million performances need not each bring their strings from DuckDB."""
    _check_ids([repeat_id, *columns])
    ids = list(columns)
    none = pl.DataFrame(
        {"_row": pl.Series([], dtype=pl.UInt32), "item": pl.Series([], dtype=pl.Int32)}
    )
    if not ids:
        return none
    long = _long_rows(store, dims, ids, set(columns.values()), repeat=repeat_id)
    if not long.height:
        return none.with_columns(
            pl.lit(None, dtype=long.schema[_COLUMN[k]]).alias(q) for q, k in columns.items()
        )
    return _pivoted(long, ids, columns, ["_row", "item"]).sort("_row", "item")


def participation_frame(store: Store, release_id: int) -> pl.DataFrame:
    """One row per invitation of the release: organisation, campaign dimensions, whether
    it was answered (as it stood when the release was published), its record key."""
    sql = """
        SELECT campaign_id, organisation_id, reference_year, filiere, departement,
               structure_type, NULL::VARCHAR AS size_class, submitted, started,
               record_key AS _key
        FROM frozen_invitations WHERE release_id = ?
        ORDER BY campaign_id, organisation_id
    """
    with store.relation_cursor() as cur:
        return cur.sql(sql, params=[release_id]).pl()


def scan_answers(store: Store, release_id: int) -> int:
    """A raw full scan of a release's answers: the baseline of the benchmarks."""
    row = (
        store.cursor()
        .execute(
            "SELECT count(*), sum(a.value_num), count(a.value_text) FROM frozen_answers a "
            "JOIN release_members m ON m.snapshot = a.snapshot WHERE m.release_id = ?",
            [release_id],
        )
        .fetchall()
    )
    return int(row[0][0])
