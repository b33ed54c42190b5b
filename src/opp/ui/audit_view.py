"""The audit log as a person reads it (Administration → Journal d'audit): labelled
columns, dates as dates, actions in words, details as "clé : valeur" rather than Python
dictionaries. Never answer content: the log holds none."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from opp.access.viewer import ROLE_LABELS, Viewer
from opp.i18n import format_datetime, gettext, has_message
from opp.services import reads
from opp.services.storage import Store
from opp.ui.formats import version_label

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


def object_name(kind: str, object_id: str, names: dict[str, str]) -> str:
    """What an entry is about, by name: a campaign by its title, a questionnaire version
    as "… — version 1.0.0" (not `cirque@1.0.0`), an opaque id by its start."""
    if object_id in names:
        return names[object_id]
    if kind == "questionnaire" and "@" in object_id:
        questionnaire_id, version = object_id.split("@", 1)
        return version_label(names.get(questionnaire_id, questionnaire_id), version)
    if len(object_id) == 32 and all(c in "0123456789abcdef" for c in object_id):
        return f"{object_id[:8]}…"  # an opaque id: its start tells entries apart
    return object_id


def object_names(store: Store, viewer: Viewer, lang: str) -> dict[str, str]:
    """Readable names of what entries are about: campaigns (their title) and
    questionnaires (their catalogue title)."""
    from opp.ui.data import catalogues

    names = {c.id: c.title(lang) for c in reads.campaigns_in_scope(store, viewer)}
    surveys, _ = catalogues()
    for questionnaire_id in surveys.questionnaires:
        names[questionnaire_id] = surveys.get(questionnaire_id).title.get(lang)
    return names


def audit_table(
    entries: list[dict[str, Any]], lang: str, names_of_objects: dict[str, str] | None = None
) -> pl.DataFrame:
    """The rows of the audit log with labelled columns, ready to show;
    `names_of_objects`: readable names of campaigns and questionnaires by id
    (`object_names`)."""
    names = {key: gettext(f"audit.column.{key}", lang) for key in COLUMNS}
    known = names_of_objects or {}
    rows = []
    for e in entries:
        role = ROLE_LABELS.get(e.get("role") or "", {}).get(lang, e.get("role") or "")
        kind = e.get("object_type") or ""
        shown = object_name(e.get("object_type") or "", str(e.get("object_id") or ""), known)
        kind = _known(f"audit.object.{kind}", lang, kind) if kind else kind
        rows.append(
            {
                names["date"]: _when(e.get("occurred_at"), lang),
                names["person"]: e.get("actor_name") or e.get("actor") or "",
                names["role"]: role,
                names["action"]: action_label(e.get("action") or "", lang),
                names["object"]: f"{kind} {shown}".strip(),
                names["detail"]: detail_text(e.get("detail")),
            }
        )
    return pl.DataFrame(rows, schema=dict.fromkeys(names.values(), pl.String))
