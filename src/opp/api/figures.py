"""Indicator results as the API publishes them: one row per published cell, with codes,
French and English labels, and the reason of every suppressed cell. Pure functions of a
`Result` (computed by `opp.indicators.service.result`, the dashboards' own path)."""

from __future__ import annotations

import csv
import io
from typing import Any

from opp.exports import neutralise
from opp.i18n import gettext
from opp.indicators.disclosure import reason_text
from opp.indicators.engine import TOTAL, Result
from opp.indicators.model import Indicator
from opp.referentiel import dimension_label


def group_label(breakdown: str | None, value: str | None, lang: str) -> str:
    """Readable label of a breakdown value (codes stay in `group`)."""
    if value is None:
        return ""
    if value == TOTAL:
        return gettext("api.all", lang)
    return dimension_label(breakdown, value, lang)


def describe(indicator: Indicator) -> dict[str, Any]:
    """An indicator's entry in the catalogue."""
    return {
        "id": indicator.id,
        "domain": indicator.domain,
        "label": indicator.label.texts(),
        "definition": indicator.definition.texts(),
        "unit": indicator.unit,
        "kind": indicator.kind,
        "series": [{"id": s.id, "label": s.label.texts()} for s in indicator.series],
        "breakdowns": list(indicator.breakdowns),
        "filieres": indicator.filieres,
    }


def _reason(secret: str | None, indicator: Indicator, lang: str) -> str | None:
    """The reason the dashboards show under a suppressed cell (same words)."""
    if not secret:
        return None
    rule = indicator.disclosure
    return reason_text(
        secret, lang, rule.min_contributors, rule.dominance or 0.85, rule.p_percent or 0.1
    )


def cells(result: Result) -> list[dict[str, Any]]:
    """The published cells: value and contributors null where the cell is suppressed,
    `secret` (the rule) and its reason in French and English."""
    indicator = result.indicator
    series = {s.id: s for s in indicator.series}
    rows = []
    for cell in result.table.iter_rows(named=True):
        group = None if cell["is_total"] else cell["group"]
        secret = cell["secret"]
        shown = series.get(cell["series"])
        row: dict[str, Any] = {
            "group": group,
            "group_label_fr": group_label(result.breakdown, cell["group"], "fr"),
            "group_label_en": group_label(result.breakdown, cell["group"], "en"),
            "is_total": cell["is_total"],
            "series": cell["series"],
            "series_label_fr": shown.label.fr if shown else cell["series"],
            "series_label_en": shown.label.get("en") if shown else cell["series"],
            "category": cell.get("category"),
            "value": cell["value"],
            "contributors": cell["contributors"],
            "secret": secret,
            "secret_reason_fr": _reason(secret, indicator, "fr"),
            "secret_reason_en": _reason(secret, indicator, "en"),
        }
        for extra in ("q1", "q3", "p10", "p90", "share"):
            if extra in cell:
                row[extra] = cell[extra]
        rows.append(row)
    return rows


def payload(result: Result) -> dict[str, Any]:
    """The JSON document of one indicator's result."""
    release = result.release
    return {
        "indicator": describe(result.indicator),
        "release": (
            {"id": release.id, "published_at": release.published_at.isoformat()}
            if release is not None
            else None
        ),
        "filters": {
            "year": result.filters.reference_year,
            **result.filters.active(),
            **({"territoire": result.filters.territoire} if result.filters.territoire else {}),
        },
        "breakdown": result.breakdown,
        "refused": result.refused,
        "minimum_contributors": result.minimum,
        "perturbed": True,
        "notes": result.notes,
        "cells": cells(result),
    }


CSV_COLUMNS = (
    "indicator",
    "year",
    "breakdown",
    "group",
    "group_label_fr",
    "group_label_en",
    "is_total",
    "series",
    "series_label_fr",
    "series_label_en",
    "category",
    "value",
    "contributors",
    "q1",
    "q3",
    "p10",
    "p90",
    "share",
    "secret",
    "secret_reason_fr",
    "secret_reason_en",
)


def to_csv(result: Result) -> str:
    """The cells as CSV (UTF-8, comma, header row; empty where suppressed), every text
    cell neutralised against formula injection."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in cells(result):
        full = {
            "indicator": result.indicator.id,
            "year": result.filters.reference_year,
            "breakdown": result.breakdown or "",
            **row,
        }
        writer.writerow(
            {
                k: ("" if v is None else neutralise(v) if isinstance(v, str) else v)
                for k, v in full.items()
            }
        )
    return out.getvalue()
