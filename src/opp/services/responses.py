"""Responses and their answers: reading, answering, consent — the use cases.

A save checks who may write, re-validates the whole answer set against the campaign's
questionnaire version (never trusting the widget), then, in one transaction, replaces the
response's answers as one Arrow batch guarded by the row version (optimistic
concurrency), records a consent change and says in the audit log which answers changed.
The SQL is in `opp.services.responses`.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

import pyarrow as pa

from opp import clock
from opp.access.policy import Action, Resource, audited, forbidden, require, response_scope
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.i18n import LANGUAGES, texts
from opp.questionnaire.answers import from_rows, to_columns
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.validation import EvalContext, ValidationResult, validate_answers
from opp.referentiel import CONSENT_LEVELS
from opp.services import campaigns, questionnaires
from opp.store import audit, failures, response_marks
from opp.store import responses as repo
from opp.store.db import Cursor, Store
from opp.store.records import Campaign, ResponseMeta
from opp.store.responses import ANSWER_SCHEMA

# A draft created at the same instant by two sessions of one organisation: retries.
START_ATTEMPTS = 5


class InvalidAnswers(OppError):
    """The answer set was refused; `result` holds every field error for the form."""

    def __init__(self, result: ValidationResult) -> None:
        first = result.errors[0]
        super().__init__(
            "A_INVALID_SET",
            count=len(result.errors),
            first={lang: f"{first.path} — {first.message(lang)}" for lang in LANGUAGES},
        )
        self.result = result

    def __reduce__(self) -> tuple[Any, ...]:
        return (InvalidAnswers, (self.result,))


def _meta(store: Store, response_id: str) -> ResponseMeta:
    found = repo.by_id(store, response_id)
    if found is None:
        raise OppError("NOT_FOUND", what=texts("what.response"), value=response_id)
    return found


def get(store: Store, viewer: Viewer, response_id: str) -> ResponseMeta:
    meta = _meta(store, response_id)
    campaign = campaigns.get(store, viewer, meta.campaign_id)
    require(viewer, Action.READ_RESPONSE, resource_of(meta, campaign))
    return meta


def find(
    store: Store, viewer: Viewer, campaign_id: str, organisation_id: str
) -> ResponseMeta | None:
    """The organisation's response to a campaign, if any (access checked)."""
    found = repo.of_organisation(store, campaign_id, organisation_id)
    if found is None:
        return None
    return get(store, viewer, found.id)


def list_visible(
    store: Store,
    viewer: Viewer,
    *,
    campaign_id: str | None = None,
    organisation_id: str | None = None,
    status: str | None = None,
) -> list[ResponseMeta]:
    scope, params = response_scope(viewer)
    return repo.in_scope(
        store,
        scope,
        params,
        campaign_id=campaign_id,
        organisation_id=organisation_id,
        status=status,
    )


def start(store: Store, viewer: Viewer, campaign_id: str) -> ResponseMeta:
    """Open the viewer's organisation's response to a campaign, creating a draft if needed."""
    require(viewer, Action.ANSWER)
    campaign = campaigns.get(store, viewer, campaign_id)
    existing = find(store, viewer, campaign_id, viewer.organisation_id or "")
    if existing is not None:
        return existing
    require_may_start(store, viewer, campaign)
    for attempt in range(START_ATTEMPTS):
        meta = _new_draft(viewer, campaign)
        try:
            with store.transaction() as tx:
                repo.insert(tx, meta)
                record_consent(tx, viewer, meta.id, None, meta.consent)
                audit.record(tx, viewer, "response.create", "response", meta.id)
        except (failures.ConstraintViolation, OppError) as exc:
            if isinstance(exc, OppError) and exc.code != "WRITE_CONFLICT":
                raise
            # Another session of the same organisation is creating it at this very moment
            # (DuckDB refuses our insert or our commit): use theirs once it is committed.
            again = find(store, viewer, campaign_id, viewer.organisation_id or "")
            if again is not None:
                return again
            time.sleep(0.02 * (attempt + 1))
            continue
        store.bump()
        return meta
    raise OppError("WRITE_CONFLICT")


def require_may_start(store: Store, viewer: Viewer, campaign: Campaign) -> None:
    """A new response: the viewer's own organisation, active, of the campaign's filière,
    while the campaign is open."""
    require(viewer, Action.ANSWER)
    org = repo.organisation_facts(store, viewer.organisation_id)
    require(
        viewer,
        Action.ANSWER,
        Resource(
            organisation_id=viewer.organisation_id,
            filieres=(campaign.filiere,),
            viewer_filieres=tuple(org[0] or ()) if org else (),
            closed=_closed(campaign),
        ),
    )
    if org is not None and org[1] is not None:
        raise OppError("ORG_ARCHIVED", name=org[2])


def new_draft(viewer: Viewer, campaign: Campaign, response_id: str | None = None) -> ResponseMeta:
    """A response not stored yet (row version 0): stored by its first save."""
    return _new_draft(viewer, campaign).model_copy(
        update={"id": response_id or uuid.uuid4().hex, "row_version": 0}
    )


def _new_draft(viewer: Viewer, campaign: Campaign) -> ResponseMeta:
    if viewer.organisation_id is None:  # only a structure's account answers
        raise forbidden(viewer, Action.ANSWER)
    now = clock.now()
    return ResponseMeta(
        id=uuid.uuid4().hex,
        campaign_id=campaign.id,
        organisation_id=viewer.organisation_id,
        questionnaire_id=campaign.questionnaire_id,
        questionnaire_version=campaign.questionnaire_version,
        status="draft",
        consent="agrege",
        current_section=None,
        created_at=now,
        updated_at=now,
        submitted_at=None,
        row_version=1,
    )


def record_consent(
    cur: Cursor,
    viewer: Viewer,
    response_id: str,
    before: str | None,
    after: str,
) -> None:
    """Append to the response's consent history (inside the caller's transaction)."""
    repo.insert_consent(cur, response_id, clock.now(), viewer.actor, before, after)


def _not_editable(campaign: Campaign, meta: ResponseMeta) -> OppError | None:
    """Open campaign, or closed campaign with an accepted correction still running."""
    today = clock.today()
    if campaign.state(today) == "closed" and meta.edit_until and today <= meta.edit_until:
        return None
    return _closed(campaign)


def _closed(campaign: Campaign) -> OppError | None:
    """Why the campaign takes no answers today (None: it is open)."""
    state = campaign.state(clock.today())
    if state == "closed":
        return OppError(
            "CAMPAIGN_CLOSED",
            value=campaign.title_fr,
            closed=campaign.closes_on.strftime("%d/%m/%Y"),
        )
    if state == "upcoming":
        return OppError(
            "CAMPAIGN_NOT_OPEN",
            value=campaign.title_fr,
            opens=campaign.opens_on.strftime("%d/%m/%Y"),
        )
    return None


def resource_of(meta: ResponseMeta, campaign: Campaign) -> Resource:
    """A response as the policy sees it."""
    return Resource(
        organisation_id=meta.organisation_id, filieres=(campaign.filiere,), consent=meta.consent
    )


OWN_READ_INTERVAL = dt.timedelta(hours=1)


def load_answers(store: Store, viewer: Viewer, response_id: str) -> dict[str, Any]:
    meta = get(store, viewer, response_id)
    questionnaire = questionnaires.get(
        store, viewer, meta.questionnaire_id, meta.questionnaire_version
    )
    if audited(viewer, Action.READ_RESPONSE):
        # Anyone but the organisation itself reading individual answers leaves a trace.
        with store.transaction() as cur:
            audit.record(cur, viewer, "response.read", "response", response_id)
    elif viewer.account_id and not audit.recorded_since(
        store, viewer.actor, "response.read", response_id, clock.now() - OWN_READ_INTERVAL
    ):
        # Several people may act for one organisation: each one's reads are attributed
        # to them (once an hour per response, not at every page refresh).
        with store.transaction() as cur:
            audit.record(cur, viewer, "response.read", "response", response_id, {"own": True})
    return _stored_answers(store, questionnaire, response_id)


def check(
    store: Store, viewer: Viewer, meta: ResponseMeta, answers: dict[str, Any], *, complete: bool
) -> ValidationResult:
    """Validate answers exactly as `save` will."""
    campaign = campaigns.get(store, viewer, meta.campaign_id)
    questionnaire = questionnaires.get(
        store, viewer, meta.questionnaire_id, meta.questionnaire_version
    )
    return _validate(campaign, questionnaire, answers, complete=complete)


def _validate(
    campaign: Campaign, questionnaire: Questionnaire, answers: dict[str, Any], *, complete: bool
) -> ValidationResult:
    context = EvalContext(reference_year=campaign.reference_year, today=clock.today())
    return validate_answers(questionnaire, answers, context=context, complete=complete)


def save(
    store: Store,
    viewer: Viewer,
    response_id: str,
    answers: dict[str, Any],
    *,
    expected_version: int,
    submit: bool = False,
    current_section: str | None = None,
    consent: str | None = None,
    marks: response_marks.Marks | None = None,
) -> ResponseMeta:
    """Validate and store a whole answer set; a draft may be incomplete, a submission not."""
    meta = _meta(store, response_id)
    campaign = campaigns.get(store, viewer, meta.campaign_id)
    require(
        viewer,
        Action.EDIT_RESPONSE,
        Resource(organisation_id=meta.organisation_id, closed=_not_editable(campaign, meta)),
    )
    if consent is not None and consent not in CONSENT_LEVELS:
        raise OppError("A_CHOICE_UNKNOWN", value=consent)
    if meta.row_version != expected_version:
        raise OppError("CONFLICT", expected=expected_version, found=meta.row_version)
    submitted = submit or meta.status == "submitted"
    questionnaire = questionnaires.get(
        store, viewer, meta.questionnaire_id, meta.questionnaire_version
    )
    result = _validate(campaign, questionnaire, answers, complete=submitted)
    if not result.ok:
        raise InvalidAnswers(result)
    columns = to_columns(questionnaire, result.cleaned)
    count = len(columns["question_id"])
    batch = pa.Table.from_pydict({"response_id": [response_id] * count, **columns}, ANSWER_SCHEMA)
    previous = (
        _stored_answers(store, questionnaire, response_id) if meta.status == "submitted" else None
    )
    now = clock.now()
    updated = meta.model_copy(
        update={
            "status": "submitted" if submitted else "draft",
            "updated_at": now,
            "submitted_at": (meta.submitted_at or now) if submitted else meta.submitted_at,
            "current_section": meta.current_section if current_section is None else current_section,
            "consent": meta.consent if consent is None else consent,
            "row_version": expected_version + 1,
        }
    )
    try:
        with store.transaction() as cur:
            if not repo.update_guarded(cur, updated, expected_version):
                found = repo.row_version(cur, response_id)
                raise OppError(
                    "CONFLICT", expected=expected_version, found="?" if found is None else found
                )
            repo.replace_answers(cur, response_id, batch)
            if marks is not None:
                response_marks.replace(cur, response_id, marks)
            action = _action(meta, submit)
            detail: dict[str, Any] = {"answers": count, "section": current_section}
            if previous is not None:
                after = result.cleaned
                detail["changed_questions"] = sorted(
                    q for q in set(previous) | set(after) if previous.get(q) != after.get(q)
                )
            if consent is not None and consent != meta.consent:
                detail["consent"] = {"from": meta.consent, "to": consent}
                record_consent(cur, viewer, response_id, meta.consent, consent)
            audit.record(cur, viewer, action, "response", response_id, detail)
    except OppError as exc:
        if exc.code != "WRITE_CONFLICT":
            raise
        # Saved in another session at the same moment: the row-version rule applies.
        raise OppError("CONFLICT", expected=expected_version, found=expected_version + 1) from exc
    store.bump()
    return updated


def _action(meta: ResponseMeta, submit: bool) -> str:
    if meta.status == "submitted":
        return "response.edit"
    return "response.submit" if submit else "response.save_draft"


def _stored_answers(store: Store, questionnaire: Any, response_id: str) -> dict[str, Any]:
    return from_rows(questionnaire, repo.answer_rows(store, response_id))


def set_consent(store: Store, viewer: Viewer, response_id: str, level: str) -> ResponseMeta:
    """Change how a response may be used; allowed to its organisation at any time."""
    meta = _meta(store, response_id)
    require(viewer, Action.SET_CONSENT, Resource(organisation_id=meta.organisation_id))
    if level not in CONSENT_LEVELS:
        raise OppError("A_CHOICE_UNKNOWN", value=str(level)[:40])
    if level == meta.consent:
        return meta
    with store.transaction() as cur:
        repo.set_consent(cur, response_id, level)
        record_consent(cur, viewer, response_id, meta.consent, level)
        audit.record(
            cur,
            viewer,
            "response.consent",
            "response",
            response_id,
            {"from": meta.consent, "to": level},
        )
    store.bump()
    return _meta(store, response_id)


def consent_history(store: Store, viewer: Viewer, response_id: str) -> list[dict[str, Any]]:
    get(store, viewer, response_id)  # access check
    return repo.consent_history(store, response_id)


def read_marks(store: Store, viewer: Viewer, response_id: str) -> response_marks.Marks:
    """What the contributor said about their steps (sections confirmed empty, answers
    still to confirm), for a response the viewer may read."""
    get(store, viewer, response_id)  # the same access check as reading the response
    return response_marks.read(store, response_id)
