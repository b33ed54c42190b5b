"""The audit log as a person reads it (Administration → Journal d'audit): labelled
columns, dates as dates, actions in words, details as "clé : valeur" rather than Python
dictionaries. Never answer content: the log holds none."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from opp.access.viewer import ROLE_LABELS
from opp.i18n import format_datetime, gettext, has_message

# Texts: `audit.column.<name>`, `audit.action.<action>`, `audit.object.<type>` in the
# gettext catalogues (opp.i18n).
COLUMNS = ("date", "person", "role", "action", "object", "detail")


def _known(msgid: str, lang: str, fallback: str) -> str:
    return gettext(msgid, lang) if has_message(msgid, "fr") else fallback


def action_label(action: str, lang: str) -> str:
    """The action in words; an action this table does not know keeps its code."""
    return _known(f"audit.action.{action}", lang, action)


def detail_text(detail: Any) -> str:
    """`{'method': 'password'}` → "method : password" (lists joined, nested values as
    compact JSON), at most 200 characters."""
    if detail in (None, "", {}):
        return ""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return detail[:200]
    if not isinstance(detail, dict):
        return str(detail)[:200]
    parts = []
    for key, value in detail.items():
        if isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            shown = json.dumps(value, ensure_ascii=False)
        else:
            shown = str(value)
        parts.append(f"{key.replace('_', ' ')} : {shown}")
    return " · ".join(parts)[:200]


def _when(value: Any, lang: str) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value, lang)
    return str(value or "")


def audit_table(entries: list[dict[str, Any]], lang: str) -> pl.DataFrame:
    """The rows of the audit log with labelled columns, ready to show."""
    names = {key: gettext(f"audit.column.{key}", lang) for key in COLUMNS}
    rows = []
    for e in entries:
        role = ROLE_LABELS.get(e.get("role") or "", {}).get(lang, e.get("role") or "")
        kind = e.get("object_type") or ""
        kind = _known(f"audit.object.{kind}", lang, kind) if kind else kind
        rows.append(
            {
                names["date"]: _when(e.get("occurred_at"), lang),
                names["person"]: e.get("actor_name") or e.get("actor") or "",
                names["role"]: role,
                names["action"]: action_label(e.get("action") or "", lang),
                names["object"]: f"{kind} {e.get('object_id') or ''}".strip(),
                names["detail"]: detail_text(e.get("detail")),
            }
        )
    return pl.DataFrame(rows, schema=dict.fromkeys(names.values(), pl.String))
