"""Analytical reads: answers pivoted to one row per response, with its dimensions.

Only `opp.indicators` calls this module, and it never returns these rows to a viewer:
every figure leaves through the disclosure-control layer. Question ids become column
names, so they are checked against the identifier pattern (an allowlist) first.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from opp.errors import OppError
from opp.questionnaire.model import ID_RE
from opp.store.db import Store

DIMENSIONS = ("filiere", "reference_year", "departement", "structure_type")
_VALUE_EXPR = {
    "num": "value_num",
    "text": "value_text",
    "bool": "value_bool",
}


def _check_ids(question_ids: list[str]) -> None:
    for qid in question_ids:
        if not ID_RE.match(qid):
            raise OppError("Q_ID_INVALID", value=qid)


def wide_answers(
    store: Store,
    numeric: list[str],
    *,
    text: list[str] | None = None,
    reference_year: int | None = None,
    filiere: str | None = None,
    questionnaire_id: str | None = None,
) -> pl.DataFrame:
    """Submitted responses × requested questions (top-level answers only)."""
    text = text or []
    _check_ids([*numeric, *text])
    columns = [
        f'max(a.value_num) FILTER (WHERE a.question_id = ?) AS "{qid}"' for qid in numeric
    ] + [f'max(a.value_text) FILTER (WHERE a.question_id = ?) AS "{qid}"' for qid in text]
    params: list[Any] = [*numeric, *text]
    where = ["r.status = 'submitted'", "a.item = 0"]
    wanted = [*numeric, *text]
    where.append(f"a.question_id IN ({', '.join('?' for _ in wanted)})")
    params += wanted
    for column, value in (
        ("c.reference_year", reference_year),
        ("c.filiere", filiere),
        ("c.questionnaire_id", questionnaire_id),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = (
        "SELECT r.id AS response_id, r.organisation_id, c.filiere, c.reference_year, "
        "o.departement, o.structure_type, "
        + ", ".join(columns)
        + " FROM answers a JOIN responses r ON r.id = a.response_id "
        "JOIN campaigns c ON c.id = r.campaign_id "
        "JOIN organisations o ON o.id = r.organisation_id "
        f"WHERE {' AND '.join(where)} GROUP BY ALL"
    )
    with store.relation_cursor() as cur:
        return cur.sql(sql, params=params).pl()
