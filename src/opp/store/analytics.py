"""Analytical reads: answers pivoted to one row per response (or per repeat item).

Only `opp.indicators` calls this module, and it never hands these rows to a viewer:
every figure leaves through the disclosure-control layer. Question ids become column
names, so they are checked against the identifier pattern (an allowlist) first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import polars as pl

from opp.errors import OppError
from opp.questionnaire.model import ID_RE
from opp.store.db import Store

ValueKind = Literal["num", "text", "bool", "list"]
_COLUMN = {"num": "value_num", "text": "value_text", "bool": "value_bool", "list": "value_list"}

# One row per submitted response with the dimensions every indicator can be cut by.
_RESPONSES = """
    SELECT r.id AS response_id, r.organisation_id, r.questionnaire_id, r.consent,
           c.reference_year, c.filiere, o.departement, o.structure_type
    FROM responses r
    JOIN campaigns c ON c.id = r.campaign_id
    JOIN organisations o ON o.id = r.organisation_id
    WHERE r.status = 'submitted'
"""
_SIZE_CLASS = """
    CASE WHEN structure_type = 'artiste' OR effectif_permanent IS NULL THEN NULL
         WHEN effectif_permanent <= 0 THEN '0'
         WHEN effectif_permanent < 3 THEN '1-2'
         WHEN effectif_permanent < 10 THEN '3-9'
         ELSE '10+' END
"""


def _check_ids(question_ids: Iterable[str]) -> None:
    for qid in question_ids:
        if not ID_RE.match(qid):
            raise OppError("Q_ID_INVALID", value=qid)


def _pivot_columns(columns: dict[str, ValueKind]) -> tuple[str, list[str]]:
    parts, params = [], []
    for qid, kind in columns.items():
        parts.append(f'any_value(a.{_COLUMN[kind]}) FILTER (WHERE a.question_id = ?) AS "{qid}"')
        params.append(qid)
    return ", ".join(parts), params


def response_frame(store: Store, columns: dict[str, ValueKind]) -> pl.DataFrame:
    """Submitted responses × top-level answers of `columns`, plus `size_class`."""
    wanted = {"effectif_permanent": "num", **columns}
    _check_ids(wanted)
    select, params = _pivot_columns(wanted)
    placeholders = ", ".join("?" for _ in wanted)
    sql = f"""
        WITH r AS ({_RESPONSES}),
        wide AS (
            SELECT r.*, {select}
            FROM r LEFT JOIN answers a
              ON a.response_id = r.response_id AND a.item = 0
             AND a.question_id IN ({placeholders})
            GROUP BY ALL
        )
        SELECT *, {_SIZE_CLASS} AS size_class FROM wide
    """
    with store.relation_cursor() as cur:
        return cur.sql(sql, params=[*params, *wanted]).pl()


def item_frame(store: Store, repeat_id: str, columns: dict[str, ValueKind]) -> pl.DataFrame:
    """One row per repeat item of submitted responses, with the response's dimensions."""
    _check_ids([repeat_id, *columns])
    select, params = _pivot_columns(columns)
    placeholders = ", ".join("?" for _ in columns)
    sql = f"""
        WITH r AS ({_RESPONSES}),
        size AS (
            SELECT response_id, value_num AS effectif_permanent FROM answers
            WHERE question_id = 'effectif_permanent' AND item = 0
        ),
        items AS (
            SELECT a.response_id, a.item, {select}
            FROM answers a
            WHERE a.group_id = ? AND a.question_id IN ({placeholders})
            GROUP BY ALL
        )
        SELECT r.*, items.item, {", ".join(f'items."{q}"' for q in columns)},
               {_SIZE_CLASS.replace("effectif_permanent", "size.effectif_permanent")}
               AS size_class
        FROM items JOIN r USING (response_id)
        LEFT JOIN size USING (response_id)
    """
    with store.relation_cursor() as cur:
        return cur.sql(sql, params=[*params, repeat_id, *columns]).pl()


def participation_frame(store: Store) -> pl.DataFrame:
    """One row per invitation: organisation, campaign dimensions, whether it was answered."""
    sql = """
        SELECT i.campaign_id, i.organisation_id, c.reference_year, c.filiere,
               o.departement, o.structure_type, NULL::VARCHAR AS size_class,
               coalesce(r.status = 'submitted', false) AS submitted,
               r.id IS NOT NULL AS started
        FROM invitations i
        JOIN campaigns c ON c.id = i.campaign_id
        JOIN organisations o ON o.id = i.organisation_id
        LEFT JOIN responses r
          ON r.campaign_id = i.campaign_id AND r.organisation_id = i.organisation_id
    """
    with store.relation_cursor() as cur:
        return cur.sql(sql).pl()


def scan_answers(store: Store) -> int:
    """A raw full scan of the answers table: the baseline of the benchmarks."""
    row = (
        store.cursor()
        .execute("SELECT count(*), sum(value_num), count(value_text) FROM answers")
        .fetchall()
    )
    return int(row[0][0])
