"""A response is stored by its first save, not by opening the form.

Opening Répondre only reads; the first "save" (a step, or a submission) inserts the
response, its answers, the first line of its consent history and the audit lines in one
transaction, after the same validation as every later save (`services.responses.save`). Two
sessions of one organisation saving first at the same moment: one wins, the other gets the
conflict message and nothing of theirs is overwritten.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from opp import clock
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.questionnaire.answers import to_columns
from opp.referentiel import CONSENT_LEVELS
from opp.services import campaigns, questionnaires
from opp.services.responses import (
    InvalidAnswers,
    _validate,
    record_consent,
    require_may_start,
)
from opp.store import audit, failures, response_marks
from opp.store import responses as repo
from opp.store.db import Store
from opp.store.records import ResponseMeta
from opp.store.responses import ANSWER_SCHEMA


def create(
    store: Store,
    viewer: Viewer,
    unsaved: ResponseMeta,
    answers: dict[str, Any],
    *,
    submit: bool = False,
    current_section: str | None = None,
    consent: str | None = None,
    marks: response_marks.Marks | None = None,
) -> ResponseMeta:
    """Store a response that exists only in the form (`unsaved`, row version 0)."""
    campaign = campaigns.get(store, viewer, unsaved.campaign_id)
    require_may_start(store, viewer, campaign)
    if consent is not None and consent not in CONSENT_LEVELS:
        raise OppError("A_CHOICE_UNKNOWN", value=consent)
    questionnaire = questionnaires.get(
        store, viewer, campaign.questionnaire_id, campaign.questionnaire_version
    )
    result = _validate(campaign, questionnaire, answers, complete=submit)
    if not result.ok:
        raise InvalidAnswers(result)
    columns = to_columns(questionnaire, result.cleaned)
    count = len(columns["question_id"])
    batch = pa.Table.from_pydict({"response_id": [unsaved.id] * count, **columns}, ANSWER_SCHEMA)
    now = clock.now()
    meta = unsaved.model_copy(
        update={
            "organisation_id": viewer.organisation_id,
            "questionnaire_id": campaign.questionnaire_id,
            "questionnaire_version": campaign.questionnaire_version,
            "status": "submitted" if submit else "draft",
            "consent": consent or unsaved.consent,
            "current_section": current_section,
            "created_at": now,
            "updated_at": now,
            "submitted_at": now if submit else None,
            "row_version": 1,
        }
    )
    try:
        with store.transaction() as cur:
            repo.insert(cur, meta)
            repo.insert_answers(cur, batch)
            if marks is not None:
                response_marks.replace(cur, meta.id, marks)
            record_consent(cur, viewer, meta.id, None, meta.consent)
            audit.record(cur, viewer, "response.create", "response", meta.id)
            action = "response.submit" if submit else "response.save_draft"
            audit.record(
                cur,
                viewer,
                action,
                "response",
                meta.id,
                {"answers": count, "section": current_section},
            )
    except failures.ConstraintViolation as exc:
        # The organisation's other session stored its response first.
        raise OppError("CONFLICT", expected=0, found=1) from exc
    except OppError as exc:
        if exc.code != "WRITE_CONFLICT":
            raise
        raise OppError("CONFLICT", expected=0, found=1) from exc
    store.bump()
    return meta
