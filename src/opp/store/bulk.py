"""Bulk loading for the demo region and benchmarks: Arrow batches, few transactions.

Not for user input: callers pass data already validated against the questionnaire.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from opp.questionnaire.model import Questionnaire
from opp.store import audit as audit_log
from opp.store import questionnaires
from opp.store.db import Store
from opp.store.records import Actor
from opp.store.responses import ANSWER_SCHEMA

DATA_TABLES = (
    "release_admissions",
    "release_erasures",
    "frozen_invitations",
    "release_members",
    "frozen_answers",
    "frozen_responses",
    "releases",
    "outbox",
    "campaign_contacts",
    "campaign_reminders",
    "organisation_mail_prefs",
    "membership_requests",
    "account_requests",
    "correction_requests",
    "consent_history",
    "login_attempts",
    "account_tokens",
    "accounts",
    "invitations",
    "answers",
    "response_marks",
    "responses",
    "organisations",
    "campaigns",
    "questionnaire_versions",
    "filieres",
    "audit_log",
    "meta",
)


def reset_data(store: Store) -> None:
    """Delete every row of every data table (schema kept), in one transaction."""
    with store.transaction() as cur:
        for table in DATA_TABLES:
            cur.execute(f"DELETE FROM {table}")
    store.forget_rows()
    store.bump()


def is_empty(store: Store) -> bool:
    row = store.cursor().execute("SELECT count(*) FROM organisations").fetchone()
    return not row or row[0] == 0


def publish_catalogue(
    store: Store, items: Iterable[Questionnaire], filieres: Mapping[str, Mapping[str, str]]
) -> None:
    with store.transaction() as cur:
        for code, label in filieres.items():
            cur.execute(
                "INSERT INTO filieres VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [code, label["fr"], label.get("en")],
            )
    for questionnaire in items:
        questionnaires.publish(store, questionnaire)


def _insert_rows(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    batch = pa.Table.from_pylist(rows)
    with store.transaction() as cur:
        cur.register("_bulk", batch)
        try:
            columns = ", ".join(batch.column_names)
            cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _bulk")
        finally:
            cur.unregister("_bulk")


def insert_campaigns(store: Store, rows: list[dict[str, Any]]) -> None:
    _insert_rows(store, "campaigns", rows)
    store.campaigns_written()


def insert_organisations(store: Store, rows: list[dict[str, Any]]) -> None:
    _insert_rows(store, "organisations", rows)


def insert_invitations(store: Store, rows: list[dict[str, Any]]) -> None:
    _insert_rows(store, "invitations", rows)


def insert_accounts(store: Store, rows: list[dict[str, Any]]) -> None:
    _insert_rows(store, "accounts", rows)


class ResponseWriter:
    """Accumulates responses and their answers; writes them in large batches."""

    def __init__(self, store: Store, batch_size: int = 2_000) -> None:
        self.store = store
        self.batch_size = batch_size
        self.responses: list[dict[str, Any]] = []
        self.columns: dict[str, list[Any]] = {name: [] for name in ANSWER_SCHEMA.names}
        self.rows = 0

    def add(self, response: dict[str, Any], answer_columns: dict[str, list[Any]]) -> None:
        self.responses.append(response)
        count = len(answer_columns["question_id"])
        self.columns["response_id"].extend([response["id"]] * count)
        for name, values in answer_columns.items():
            self.columns[name].extend(values)
        if len(self.responses) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.responses:
            return
        answers = pa.Table.from_pydict(self.columns, ANSWER_SCHEMA)
        responses = pa.Table.from_pylist(self.responses)
        with self.store.transaction() as cur:
            cur.register("_responses", responses)
            cur.register("_answers", answers)
            try:
                columns = ", ".join(responses.column_names)
                cur.execute(f"INSERT INTO responses ({columns}) SELECT {columns} FROM _responses")
                cur.execute("INSERT INTO answers SELECT * FROM _answers")
            finally:
                cur.unregister("_responses")
                cur.unregister("_answers")
        self.rows += answers.num_rows
        self.responses = []
        self.columns = {name: [] for name in ANSWER_SCHEMA.names}


def set_meta(store: Store, values: dict[str, str]) -> None:
    with store.transaction() as cur:
        for key, value in values.items():
            cur.execute(
                "INSERT INTO meta VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def get_meta(store: Store, key: str) -> str | None:
    row = store.cursor().execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def add_meta(store: Store, key: str, value: str) -> None:
    """Set `key` unless it is set already (the first writer wins)."""
    with store.transaction() as cur:
        cur.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT DO NOTHING", [key, value])


def audit(store: Store, actor: Actor, action: str, detail: dict[str, Any]) -> None:
    with store.transaction() as cur:
        audit_log.record(cur, actor, action, "store", store.path, detail)


def initial_consent_history(store: Store) -> None:
    """Every bulk-loaded response starts its consent history with its current level."""
    store.cursor().execute(
        "INSERT INTO consent_history SELECT id, coalesce(submitted_at, created_at), 'demo', "
        "NULL, consent FROM responses "
        "WHERE id NOT IN (SELECT response_id FROM consent_history)"
    )
