"""Everything OPP holds about a contributor and their organisation, in one export.

The account (without its password hash), the organisation, every response with its
answers labelled by question, the consent history, correction requests and the audit
entries about them. JSON keeps the structure; the tables suit CSV/XLSX.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from opp import clock
from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.questionnaire.model import RepeatQuestion
from opp.questionnaire.question_types import format_value
from opp.services import campaigns, corrections, organisations, questionnaires
from opp.services import responses as response_store
from opp.store import accounts, audit, codesign, outbox
from opp.store.db import Store


def collect(store: Store, viewer: Viewer) -> dict[str, Any]:
    """The contributor's whole file (their own organisation only)."""
    require(viewer, Action.EXPORT_OWN_DATA)
    org = organisations.get(store, viewer, viewer.organisation_id or "")
    people = [
        a.model_dump(exclude={"password_hash"})
        for a in accounts.all_accounts(store)
        if a.organisation_id == org.id
    ]
    items = []
    for meta in response_store.list_visible(store, viewer, organisation_id=org.id):
        campaign = campaigns.get(store, viewer, meta.campaign_id)
        questionnaire = questionnaires.get(
            store, viewer, meta.questionnaire_id, meta.questionnaire_version
        )
        answers = response_store.load_answers(store, viewer, meta.id)
        items.append(
            {
                **meta.model_dump(),
                "campaign": {
                    "id": campaign.id,
                    "title": campaign.title_fr,
                    "reference_year": campaign.reference_year,
                },
                "answers": labelled_answers(questionnaire, answers),
                "consent_history": response_store.consent_history(store, viewer, meta.id),
            }
        )
    ids = [org.id, *(i["id"] for i in items), *(p["id"] for p in people)]
    return {
        "exported_at": clock.now(),
        "organisation": org.model_dump(),
        "accounts": people,
        "responses": items,
        "correction_requests": [c.model_dump() for c in corrections.visible(store, viewer)],
        "audit": audit.concerning(store, ids, [p["id"] for p in people]),
        "codesign": codesign.authored_by(store, [p["id"] for p in people]),
        "mails": [
            {
                "id": m.id,
                "kind": m.kind,
                "recipient": m.recipient,
                "state": m.state,
                "created_at": m.created_at,
                "sent_at": m.sent_at,
            }
            for m in outbox.for_accounts(store, [p["id"] for p in people])
        ],
    }


def labelled_answers(questionnaire: Any, answers: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for section, question, parent in questionnaire.iter_questions():
        if parent is not None or question.id not in answers:
            continue
        value = answers[question.id]
        if isinstance(question, RepeatQuestion):
            children = {c.id: c for c in question.questions}
            for number, item in enumerate(value, start=1):
                for child_id, child_value in item.items():
                    child = children[child_id]
                    rows.append(_row(section, child, child_value, number, question.id))
            continue
        rows.append(_row(section, question, value, 0, None))
    return rows


def _row(section: Any, question: Any, value: Any, item: int, group: str | None) -> dict[str, Any]:
    return {
        "section": section.id,
        "question_id": question.id,
        "label_fr": question.label.get("fr"),
        "label_en": question.label.get("en"),
        "group": group,
        "item": item,
        "value": value,
        "display_fr": format_value(question, value, "fr"),
        "display_en": format_value(question, value, "en"),
    }


def to_json(data: dict[str, Any]) -> bytes:
    def default(value: Any) -> Any:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return str(value)

    return json.dumps(data, ensure_ascii=False, indent=2, default=default).encode("utf-8")


def to_tables(data: dict[str, Any]) -> dict[str, pl.DataFrame]:
    """The same file as tables: answers (long), responses, consent, corrections, audit."""
    answers = [
        {
            "campagne": r["campaign"]["title"],
            "annee": r["campaign"]["reference_year"],
            "reponse": r["id"],
            **{k: (v if not isinstance(v, list) else ", ".join(map(str, v))) for k, v in a.items()},
        }
        for r in data["responses"]
        for a in r["answers"]
    ]
    for row in answers:
        row["value"] = None if row["value"] is None else str(row["value"])
    responses = [
        {k: v for k, v in r.items() if k not in ("answers", "consent_history", "campaign")}
        | {"campagne": r["campaign"]["title"], "annee": r["campaign"]["reference_year"]}
        for r in data["responses"]
    ]
    consent = [
        {"reponse": r["id"], **entry} for r in data["responses"] for entry in r["consent_history"]
    ]
    audit_rows = [
        {**{k: v for k, v in e.items() if k != "detail"}, "detail": json.dumps(e["detail"])}
        for e in data["audit"]
    ]
    tables = {
        "reponses": answers,
        "questionnaires": responses,
        "consentement": consent,
        "corrections": data["correction_requests"],
        "journal": audit_rows,
        "structure": [data["organisation"]],
        "comptes": data["accounts"],
        "propositions": data["codesign"]["proposals"],
        "commentaires": data["codesign"]["comments"],
        "votes": data["codesign"]["votes"],
        "courriels": data.get("mails", []),
    }
    return {
        name: pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()
        for name, rows in tables.items()
    }
