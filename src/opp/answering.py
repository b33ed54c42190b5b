"""The answering service: what a contributor's form needs, without any UI.

Opens the organisation's response to a campaign (or a new one that exists only in the
form: nothing is stored until the first save), pre-fills stable answers from the previous
campaign ("carry forward", to be confirmed), and saves each step as a draft or submits —
always through `services.first_save.create`, then `services.responses.save`, which
re-validate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opp import clock
from opp.access.policy import Action, may, require
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.i18n import LANGUAGES, gettext
from opp.questionnaire.model import Questionnaire, RepeatQuestion, Section
from opp.questionnaire.progress import Progress, progress
from opp.questionnaire.validation import (
    EvalContext,
    ValidationResult,
    section_statuses,
    validate_answers,
)
from opp.services import campaigns, first_save, organisations, questionnaires, responses
from opp.store import response_marks
from opp.store.db import Store
from opp.store.records import Campaign, ResponseMeta


@dataclass
class AnswerSession:
    """Everything the form shows for one response."""

    meta: ResponseMeta
    campaign: Campaign
    questionnaire: Questionnaire
    answers: dict[str, Any]
    carried: set[str] = field(default_factory=set)  # pre-filled, "à confirmer"
    carried_from: int | None = None  # reference year of the response they come from
    empty_sections: set[str] = field(default_factory=set)  # "Rien à déclarer" ticked

    @property
    def context(self) -> EvalContext:
        return EvalContext(reference_year=self.campaign.reference_year, today=clock.today())

    @property
    def stored(self) -> bool:
        """False until the first save: opening the form creates nothing."""
        return self.meta.row_version > 0

    @property
    def editable(self) -> bool:
        """Open campaign, or an accepted correction whose window is still running."""
        today = clock.today()
        window = self.meta.edit_until is not None and today <= self.meta.edit_until
        return self.campaign.state(today) == "open" or window


def campaigns_for(store: Store, viewer: Viewer) -> list[Campaign]:
    """Open campaigns the viewer's organisation may answer (its filières, its audience)."""
    if not may(viewer, Action.ANSWER) or not viewer.organisation_id:
        return []
    org = organisations.get(store, viewer, viewer.organisation_id)
    if org.archived:
        return []
    audience = "artiste" if org.structure_type == "artiste" else "structure"
    found = campaigns.open_for(store, viewer, org.filieres)
    # Closed campaigns where a correction was accepted for this organisation's response.
    today = clock.today()
    for meta in responses.list_visible(store, viewer, organisation_id=org.id):
        if meta.edit_until is not None and today <= meta.edit_until:
            campaign = campaigns.get(store, viewer, meta.campaign_id)
            if campaign.id not in {c.id for c in found}:
                found.append(campaign)
    return [c for c in found if _audience(store, viewer, c) == audience]


def _audience(store: Store, viewer: Viewer, campaign: Campaign) -> str:
    q = questionnaires.get(store, viewer, campaign.questionnaire_id, campaign.questionnaire_version)
    return q.audience


def open_session(store: Store, viewer: Viewer, campaign_id: str) -> AnswerSession:
    """Resume the viewer's response, or prepare a new one without storing anything (it is
    stored by its first save); new responses get carried-forward answers."""
    require(viewer, Action.ANSWER)
    campaign = campaigns.get(store, viewer, campaign_id)
    meta = responses.find(store, viewer, campaign_id, viewer.organisation_id or "")
    if meta is None:
        responses.require_may_start(store, viewer, campaign)
        meta = responses.new_draft(viewer, campaign)
        answers: dict[str, Any] = {}
    else:
        answers = responses.load_answers(store, viewer, meta.id)
    questionnaire = questionnaires.get(
        store, viewer, meta.questionnaire_id, meta.questionnaire_version
    )
    session = AnswerSession(meta, campaign, questionnaire, answers)
    if not answers and meta.row_version <= 1:
        _carry_forward(store, viewer, session)
    elif session.stored:
        # What the person had ticked or not yet confirmed survives a reload.
        marks = responses.read_marks(store, viewer, meta.id)
        session.empty_sections = set(marks.empty_sections)
        session.carried = set(marks.to_confirm) & set(answers)
        if session.carried:
            previous = campaigns.previous(store, viewer, campaign)
            session.carried_from = previous.reference_year if previous else None
    return session


def _carry_forward(store: Store, viewer: Viewer, session: AnswerSession) -> None:
    previous = campaigns.previous(store, viewer, session.campaign)
    if previous is None or viewer.organisation_id is None:
        return
    old = responses.find(store, viewer, previous.id, viewer.organisation_id)
    if old is None or old.status != "submitted":
        return
    old_answers = responses.load_answers(store, viewer, old.id)
    for question_id, value in old_answers.items():
        question = session.questionnaire.questions.get(question_id)
        if question is None or not question.carry_forward:
            continue
        if isinstance(question, RepeatQuestion):
            continue
        session.answers[question_id] = value
        session.carried.add(question_id)
    if session.carried:
        session.carried_from = previous.reference_year


def check(session: AnswerSession, answers: dict[str, Any], *, complete: bool) -> ValidationResult:
    """Same checks the store applies on save (shown next to the fields before saving)."""
    return validate_answers(
        session.questionnaire, answers, context=session.context, complete=complete
    )


def statuses(session: AnswerSession, answers: dict[str, Any]) -> dict[str, str]:
    return section_statuses(session.questionnaire, answers, session.context)


def steps(session: AnswerSession, answers: dict[str, Any]) -> Progress:
    """What is really done, step by step (answered, confirmed empty, to confirm…)."""
    return progress(
        session.questionnaire,
        answers,
        session.context,
        empty_sections=session.empty_sections,
        to_confirm=session.carried,
        submitted=session.meta.status == "submitted",
    )


def confirm_step(session: AnswerSession, section: Section) -> None:
    """The person saved this step: its carried-forward answers are confirmed."""
    session.carried -= {q.id for q in section.questions}


def _marks(session: AnswerSession, answers: dict[str, Any]) -> response_marks.Marks:
    """The marks worth keeping: empty sections still empty, carried answers still there."""
    states = progress(session.questionnaire, answers, session.context).states
    return response_marks.Marks(
        empty_sections=frozenset(
            s for s in session.empty_sections if states.get(s) in ("empty", "confirmed_empty")
        ),
        to_confirm=frozenset(session.carried & set(answers)),
    )


def require_steps_done(session: AnswerSession, answers: dict[str, Any]) -> None:
    """Refuse a submission while a step is not done, naming those steps."""
    left = progress(
        session.questionnaire,
        answers,
        session.context,
        empty_sections=session.empty_sections,
        to_confirm=session.carried,
    ).left
    if not left:
        return
    titles = {s.id: s.title for s in session.questionnaire.sections}
    raise OppError(
        "A_STEPS_LEFT",
        n=len(left),
        sections={
            lang: ", ".join(gettext("text.quoted", lang, text=titles[s].get(lang)) for s in left)
            for lang in LANGUAGES
        },
    )


def save(
    store: Store,
    viewer: Viewer,
    session: AnswerSession,
    answers: dict[str, Any],
    *,
    submit: bool = False,
    current_section: str | None = None,
    consent: str | None = None,
) -> AnswerSession:
    """Store the answers (draft or submission) and return the refreshed session; the
    first save stores the response itself. A submission needs every step done."""
    if submit:
        require_steps_done(session, answers)
    marks = _marks(session, answers)
    if not session.stored:
        meta = first_save.create(
            store,
            viewer,
            session.meta,
            answers,
            submit=submit,
            current_section=current_section,
            consent=consent,
            marks=marks,
        )
    else:
        meta = responses.save(
            store,
            viewer,
            session.meta.id,
            answers,
            expected_version=session.meta.row_version,
            submit=submit,
            current_section=current_section,
            consent=consent,
            marks=marks,
        )
    stored = responses.load_answers(store, viewer, meta.id)
    return AnswerSession(
        meta,
        session.campaign,
        session.questionnaire,
        stored,
        carried=set(marks.to_confirm) & set(stored),
        carried_from=session.carried_from,
        empty_sections=set(marks.empty_sections),
    )
