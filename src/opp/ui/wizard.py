"""The answering wizard: sections as steps, live relevance, autosave, review, submit.

State kept in `st.session_state` per response id:
- ``ans:<rid>``   working answers (what the widgets show)
- ``sess:<rid>``  the `AnswerSession` (response metadata, questionnaire, carried answers)
- ``step:<rid>``  index of the current step among the visible sections (+1 = review)
- ``show:<rid>``  field errors to display after an attempt to continue
Every step change saves a draft through `opp.answering.save` (the store re-validates).
A draft is also saved as soon as a value of the current step changes (autosave), when
what was typed is valid so far: a reload, a new tab or a closed browser keeps it. An
already submitted response is only changed by an explicit save.
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

from opp import answering
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.questionnaire.model import RepeatQuestion, Section
from opp.questionnaire.progress import Progress
from opp.questionnaire.question_types import format_value
from opp.questionnaire.validation import FieldError, ValidationResult, answer_resolver
from opp.referentiel import CONSENT_LEVELS
from opp.services.responses import InvalidAnswers
from opp.services.storage import Store
from opp.ui.form import forget_widgets, render_question, widget_key
from opp.ui.page_script import top_marker
from opp.ui.repeat import render_repeat
from opp.ui.text import plain
from opp.ui.wizard_steps import header, marks_of, nothing_key, nothing_to_declare
from opp.ui.wizard_texts import STATUS_ICONS, wn, wt


def _k(kind: str, rid: str) -> str:
    return f"{kind}:{rid}"


def start(store: Store, viewer: Viewer, campaign_id: str) -> str:
    """Open (or resume) the response and prepare the session; returns the response id."""
    cache_key = f"open:{viewer.organisation_id}:{campaign_id}"
    rid = st.session_state.get(cache_key)
    if rid and _k("sess", rid) in st.session_state:
        return rid
    session = answering.open_session(store, viewer, campaign_id)
    rid = session.meta.id
    st.session_state[cache_key] = rid
    _load(session)
    return rid


def _load(session: answering.AnswerSession, keep_step: bool = False) -> None:
    rid = session.meta.id
    st.session_state[_k("sess", rid)] = session
    st.session_state[_k("ans", rid)] = dict(session.answers)
    st.session_state[_k("marks", rid)] = marks_of(session)
    forget_widgets(rid)
    if not keep_step:
        ids = [s.id for s in session.questionnaire.sections]
        current = session.meta.current_section
        st.session_state[_k("step", rid)] = ids.index(current) if current in ids else 0
        if session.meta.status == "submitted":
            st.session_state[_k("step", rid)] = 0


def _visible_sections(session: answering.AnswerSession, result: ValidationResult) -> list[Section]:
    return [s for s in session.questionnaire.sections if s.id not in result.hidden]


def _merge_widgets(
    session: answering.AnswerSession, answers: dict[str, Any], section: Section
) -> None:
    """Copy the current widget values of a section into the working answers."""
    rid = session.meta.id
    for question in section.questions:
        if isinstance(question, RepeatQuestion) or not question.has_value:
            continue
        key = widget_key(rid, question.id)
        if key in st.session_state:
            value = st.session_state[key]
            if value in ("", []):
                value = None
            if value is None:
                answers.pop(question.id, None)
            else:
                answers[question.id] = value
            if value != session.answers.get(question.id):
                session.carried.discard(question.id)
    nothing = st.session_state.get(nothing_key(rid, section.id))
    if nothing is not None:
        if nothing:
            session.empty_sections.add(section.id)
        else:
            session.empty_sections.discard(section.id)


def render(store: Store, viewer: Viewer, rid: str, lang: str) -> None:
    session: answering.AnswerSession = st.session_state[_k("sess", rid)]
    answers: dict[str, Any] = st.session_state[_k("ans", rid)]
    submitted = session.meta.status == "submitted"
    # Widget values first, so relevance below reflects what the user just typed.
    draft_view = answering.check(session, answers, complete=False)
    visible = _visible_sections(session, draft_view)
    step = min(st.session_state.get(_k("step", rid), 0), len(visible))
    if step < len(visible):
        _merge_widgets(session, answers, visible[step])
    goto = st.session_state.get(_k("goto", rid))
    if step < len(visible) and goto is None:
        session = _autosave(store, viewer, session, answers, visible[step])
    full = answering.check(session, answers, complete=True)
    visible = _visible_sections(session, full)
    step = min(step, len(visible))
    progress = answering.steps(session, answers)
    goto = st.session_state.pop(_k("goto", rid), None)
    # Jumping from a step saves it first (from the review page there is nothing to save).
    saved = goto is not None and (
        step >= len(visible)
        or not session.editable
        or _save_step(store, viewer, session, answers, visible[step], visible, goto, False, lang)
    )
    if saved and goto != step:
        _go(rid, goto)
    # A new step opens at its top, not where the previous one was left.
    with top_marker(rid, scroll=st.session_state.pop(_k("top", rid), False)):
        header(session, visible, progress, step, lang, submitted)
    flash = st.session_state.pop(_k("flash", rid), None)
    if flash:
        kind, text = flash
        (st.error if kind == "error" else st.warning)(text, icon=":material/error:")
    if session.carried and session.carried_from:
        st.info(wt("carried", lang, year=session.carried_from), icon=":material/history:")
    if not session.editable:
        st.warning(wt("closed", lang), icon=":material/lock:")
    if step >= len(visible):
        _review(store, viewer, session, answers, full, visible, progress, lang)
        return
    section = visible[step]
    _section(session, answers, section, full, lang)
    nothing_to_declare(session, section, progress, lang)
    autosaved = st.session_state.get(_k("autosaved", rid))
    if autosaved is not None:
        st.caption(wt("autosaved", lang, time=autosaved.strftime("%H:%M")))
    _navigation(store, viewer, session, answers, visible, step, lang)


def distinct(errors: list[FieldError]) -> list[FieldError]:
    """Each problem once: the same error listed twice (the step's errors and the whole
    check's) or a rule between several answers (CDI + CDD = effectif) reported on each of
    its questions is one problem, shown under its first question and counted once."""
    seen: set[tuple] = set()
    kept: list[FieldError] = []
    for error in errors:
        key = (
            (error.repeat_id, error.item, error.rule_id)
            if error.rule_id
            else (error.repeat_id, error.item, error.question_id, error.code)
        )
        if key not in seen:
            seen.add(key)
            kept.append(error)
    return kept


def _section(
    session: answering.AnswerSession,
    answers: dict[str, Any],
    section: Section,
    full: ValidationResult,
    lang: str,
) -> None:
    rid = session.meta.id
    shown_errors = distinct(st.session_state.get(_k("show", rid), []))
    resolve = answer_resolver(session.questionnaire, answers, context=session.context)
    st.markdown(f"### {plain(section.title.get(lang))}")
    if section.description:
        st.caption(plain(section.description.get(lang)))
    for question in section.questions:
        if question.id in full.hidden:
            continue
        errors = [e for e in shown_errors if e.question_id == question.id and e.item is None]
        if isinstance(question, RepeatQuestion):

            def commit(items: list[dict[str, Any]], qid: str = question.id) -> None:
                if items:
                    answers[qid] = items
                else:
                    answers.pop(qid, None)

            items = render_repeat(
                question,
                answers.get(question.id) or [],
                scope=rid,
                lang=lang,
                errors=[e for e in shown_errors if e.repeat_id == question.id] + errors,
                resolve_outer=resolve,
                commit=commit,
                disabled=not session.editable,
            )
            commit(items)  # an item being added may still be empty: keep it
            continue
        render_question(
            question,
            answers.get(question.id),
            scope=rid,
            lang=lang,
            errors=errors,
            carried=question.id in session.carried,
            disabled=not session.editable,
            resolve=resolve,
        )


def _navigation(
    store: Store,
    viewer: Viewer,
    session: answering.AnswerSession,
    answers: dict[str, Any],
    visible: list[Section],
    step: int,
    lang: str,
) -> None:
    rid = session.meta.id
    left, right = st.columns(2)
    back = left.button(
        wt("previous", lang), key=f"prev:{rid}", disabled=step == 0, icon=":material/arrow_back:"
    )
    forward = right.button(
        wt("next", lang), key=f"next:{rid}", type="primary", icon=":material/arrow_forward:"
    )
    target = step - 1 if back else step + 1 if forward else None
    if target is None:
        return
    if not session.editable:
        _go(rid, target)
    section = visible[step]
    if _save_step(store, viewer, session, answers, section, visible, target, forward, lang):
        _go(rid, target)


def _go(rid: str, step: int) -> None:
    """Open another step (or the review page), shown from its top."""
    st.session_state[_k("step", rid)] = step
    st.session_state[_k("top", rid)] = True
    st.rerun()


def _save_step(
    store: Store,
    viewer: Viewer,
    session: answering.AnswerSession,
    answers: dict[str, Any],
    section: Section,
    visible: list[Section],
    target: int,
    strict: bool,
    lang: str,
) -> bool:
    """Save a draft; on "continue", also require this step to be complete (or confirmed
    empty) and confirm its carried-forward answers."""
    rid = session.meta.id
    submitted = session.meta.status == "submitted"
    result = answering.check(session, answers, complete=submitted)
    section_view = answering.check(session, answers, complete=True).for_section(
        session.questionnaire, section.id
    )
    blocking = distinct(result.errors)
    if blocking:
        st.session_state[_k("show", rid)] = distinct(blocking + section_view)
        _flash(rid, "error", wn("fix_first", len(blocking), lang))
        st.rerun()
    next_section = visible[target].id if target < len(visible) else section.id
    if strict:
        answering.confirm_step(session, section)
    try:
        fresh = answering.save(store, viewer, session, answers, current_section=next_section)
    except InvalidAnswers as err:
        st.session_state[_k("show", rid)] = err.result.errors
        _flash(rid, "error", err.message(lang))
        st.rerun()
    except OppError as err:
        _flash(rid, "error", err.message(lang))
        st.rerun()
    _load(fresh, keep_step=True)
    if strict and section_view:
        st.session_state[_k("show", rid)] = section_view
        _flash(rid, "warning", wt("saved_incomplete", lang))
        st.rerun()
    if strict and answering.steps(fresh, fresh.answers).states.get(section.id) == "empty":
        st.session_state[_k("show", rid)] = []
        _flash(rid, "warning", wt("saved_empty", lang))
        st.rerun()
    st.session_state[_k("show", rid)] = []
    st.toast(wt("saved", lang), icon=":material/save:")
    return True


def _autosave(
    store: Store,
    viewer: Viewer,
    session: answering.AnswerSession,
    answers: dict[str, Any],
    section: Section,
) -> answering.AnswerSession:
    """Save a draft whose current step changed, if nothing typed is invalid; the widgets
    keep their state (the person may be typing). Returns the session to use."""
    rid = session.meta.id
    marks_changed = marks_of(session) != st.session_state.get(_k("marks", rid))
    if not session.editable or session.meta.status != "draft":
        return session
    if not marks_changed and (
        answers == session.answers or answers == st.session_state.get(_k("typed", rid))
    ):
        return session  # nothing new (the store may have normalised what was typed)
    if answering.check(session, answers, complete=False).errors:
        return session  # shown when they continue; nothing invalid is stored
    try:
        fresh = answering.save(store, viewer, session, answers, current_section=section.id)
    except (InvalidAnswers, OppError):
        return session  # the explicit save says why
    st.session_state[_k("sess", rid)] = fresh
    st.session_state[_k("marks", rid)] = marks_of(fresh)
    st.session_state[_k("typed", rid)] = copy.deepcopy(answers)
    st.session_state[_k("autosaved", rid)] = fresh.meta.updated_at
    return fresh


def _flash(rid: str, kind: str, text: str) -> None:
    """A message for the next run (shown above the step after the rerun)."""
    st.session_state[_k("flash", rid)] = (kind, text)


def _review(
    store: Store,
    viewer: Viewer,
    session: answering.AnswerSession,
    answers: dict[str, Any],
    full: ValidationResult,
    visible: list[Section],
    progress: Progress,
    lang: str,
) -> None:
    rid = session.meta.id
    st.markdown(f"### {wt('review', lang)}")
    st.caption(wt("review_help", lang))
    for section in visible:
        icon = STATUS_ICONS[progress.states.get(section.id, "empty")]
        with st.expander(f"{icon} {plain(section.title.get(lang))}", expanded=False):
            for question in section.questions:
                if question.id in full.hidden or not question.has_value:
                    continue
                value = answers.get(question.id)
                shown = plain(format_value(question, value, lang))
                st.markdown(f"**{plain(question.label.get(lang))}**  \n{shown}")
                if isinstance(question, RepeatQuestion) and value:
                    from opp.ui.repeat import summarise

                    for number, item in enumerate(value, start=1):
                        st.caption(f"{number}. {plain(summarise(question, item, lang))}")
                for error in full.for_question(question.id):
                    st.error(plain(error.message(lang)), icon=":material/warning:")
    consent = st.radio(
        wt("consent", lang),
        list(CONSENT_LEVELS),
        index=list(CONSENT_LEVELS).index(session.meta.consent)
        if session.meta.consent in CONSENT_LEVELS
        else 0,
        format_func=lambda c: CONSENT_LEVELS[c][lang],
        key=f"consent:{rid}",
        help=wt("consent_help", lang),
    )
    left, right = st.columns(2)
    if left.button(wt("previous", lang), key=f"prev-review:{rid}", icon=":material/arrow_back:"):
        _go(rid, max(0, len(visible) - 1))
    label = wt("resubmit", lang) if session.meta.status == "submitted" else wt("submit", lang)
    if not full.ok:
        st.warning(wn("incomplete", len(distinct(full.errors)), lang), icon=":material/pending:")
    titles = {s.id: s.title.get(lang) for s in visible}
    left_steps = [sid for sid in progress.left if sid in titles]
    if left_steps:
        names = ", ".join(f"« {titles[sid]} »" for sid in left_steps)
        st.warning(
            plain(wn("steps_left", len(left_steps), lang, sections=names)),
            icon=":material/pending:",
        )
    if right.button(
        label,
        key=f"submit:{rid}",
        type="primary",
        disabled=not full.ok or bool(left_steps) or not session.editable,
        icon=":material/send:",
    ):
        try:
            fresh = answering.save(store, viewer, session, answers, submit=True, consent=consent)
        except InvalidAnswers as err:
            st.session_state[_k("show", rid)] = err.result.errors
            _flash(rid, "error", err.message(lang))
            st.rerun()
        except OppError as err:
            _flash(rid, "error", err.message(lang))
            st.rerun()
        _load(fresh, keep_step=True)
        st.session_state[_k("done", rid)] = True
        st.rerun()
    if st.session_state.pop(_k("done", rid), False):
        st.success(wt("thanks", lang), icon=":material/check_circle:")
