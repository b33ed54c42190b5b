"""Widgets of the Co-construction page: a questionnaire column, a proposal card, the
proposal form. Every action calls `opp.services.codesign`, which checks who may do it."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.questionnaire import edit_form, edits
from opp.questionnaire.diff import Diff, field_label
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.question_types import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    PROPOSABLE_TYPES,
    has_choices,
    type_label,
)
from opp.services import codesign
from opp.services.storage import Store
from opp.ui.state import guarded, tr
from opp.ui.text import plain

MARK_ICONS = {
    "added": ":green-badge[{text}]",
    "changed": ":orange-badge[{text}]",
    "moved": ":blue-badge[{text}]",
    "removed": ":red-badge[{text}]",
}


def marks(changes: Diff, side: str) -> dict[str, list[str]]:
    """Question id → change kinds to flag on one side of the comparison."""
    wanted = {"published": {"removed"}, "draft": {"added", "changed", "moved"}}[side]
    out: dict[str, list[str]] = {}
    for change in changes.changes:
        if change.kind in wanted:
            out.setdefault(change.question_id, []).append(change.kind)
    return out


def questionnaire_column(q: Questionnaire, flagged: dict[str, list[str]], lang: str) -> None:
    """The filière's own sections in full; shared core sections as one line each."""
    core = [s for s in q.sections if s not in edits.editable_sections(q)]
    if core:
        st.caption(
            f":material/lock: {tr('cd.core_note')} "
            + ", ".join(plain(s.title.get(lang)) for s in core)
        )
    for section in edits.editable_sections(q):
        st.markdown(f"**{plain(section.title.get(lang))}**")
        for question in section.questions:
            badges = " ".join(
                MARK_ICONS[kind].format(text=tr(f"cd.mark.{kind}"))
                for kind in flagged.get(question.id, [])
            )
            kind = type_label(question.type, lang)
            st.markdown(
                f"- {plain(question.label.get(lang))} `{question.id}` · {plain(kind)} {badges}"
            )


def diff_table(changes: Diff, lang: str) -> pl.DataFrame:
    """One row per changed field (before / after), for the side-by-side view."""
    rows = []
    for change in changes.changes:
        fields = change.fields or ("label",)
        for name in fields:
            old = (change.old or {}).get(name) if change.kind != "added" else None
            new = (change.new or {}).get(name) if change.kind != "removed" else None
            rows.append(
                {
                    tr("cd.question"): change.question_id,
                    tr("cd.changes"): tr(f"cd.mark.{change.kind}"),
                    tr("cd.field"): field_label(name, lang),
                    tr("cd.before"): _show(old, lang),
                    tr("cd.after_value"): _show(new, lang),
                }
            )
    return pl.DataFrame(rows)


def _show(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict) and "fr" in value:
        return str(value.get(lang) or value["fr"])
    if isinstance(value, list):
        return " ; ".join(_show(v.get("label") if isinstance(v, dict) else v, lang) for v in value)
    return str(value)


def _target_label(p: codesign.Proposal, base: Questionnaire, lang: str) -> str:
    """The label of the question a proposal is about: the questionnaire's own, or the
    label the proposal gives a new question."""
    question = base.questions.get(p.target)
    if question is not None:
        return question.label.get(lang)
    try:
        edit = p.parsed
    except OppError:  # a stored payload that no longer parses keeps its id
        return p.target
    return edit.question.label.get(lang) if isinstance(edit, edits.AddQuestion) else p.target


def proposal_card(
    store: Store, viewer: Viewer, d: codesign.Discussion, base: Questionnaire, lang: str
) -> None:
    p = d.proposal
    status = codesign.STATUS_LABELS[p.status][lang]
    kind = edits.KIND_LABELS[p.kind][lang]
    with st.container(border=True):
        # The question by its label, its id after it (before: the id alone).
        st.markdown(
            f"**{plain(kind)}** · {plain(_target_label(p, base, lang))} (`{p.target}`) · "
            f"_{plain(status)}_"
        )
        st.caption(tr("cd.by", name=plain(p.author_name), date=f"{p.created_at:%d/%m/%Y}"))
        try:
            details = edit_form.describe(p.parsed, base, lang)
        except OppError:  # a stored payload that no longer parses still shows its target
            details = []
        for what, value in details:
            st.markdown(f"- {plain(what)} : {plain(value)}")
        st.markdown(f"**{tr('cd.rationale')}** : {plain(p.rationale)}")
        st.caption(tr("cd.tally", **d.tally))
        if p.status != "open":
            st.info(
                tr(
                    "cd.decided",
                    status=status.capitalize(),
                    name=plain(p.decided_by_name or "—"),
                    date=f"{(p.decided_at or p.created_at):%d/%m/%Y}",
                    reason=plain(p.decision_reason or "—"),
                )
            )
            if p.published_in:
                st.caption(tr("cd.published_in", version=p.published_in))
        with st.expander(f"{tr('cd.comments')} ({len(d.comments)})"):
            for c in d.comments:
                st.markdown(f"**{plain(c.author_name)}** · {c.created_at:%d/%m/%Y %H:%M}")
                st.text(c.body)
            if p.status == "open" and codesign.is_member(store, viewer, p.filiere):
                _comment_form(store, viewer, p)
        if p.status == "open":
            _actions(store, viewer, d, lang)


def _comment_form(store: Store, viewer: Viewer, p: codesign.Proposal) -> None:
    with st.form(f"comment:{p.id}", clear_on_submit=True):
        body = st.text_area(tr("cd.comment"), max_chars=codesign.COMMENT_LIMIT)
        if st.form_submit_button(tr("cd.comment_send")):
            with guarded():
                codesign.comment(store, viewer, p.id, body)
                st.success(tr("cd.commented"))
                st.rerun()


def _actions(store: Store, viewer: Viewer, d: codesign.Discussion, lang: str) -> None:
    p = d.proposal
    if codesign.is_member(store, viewer, p.filiere):
        options = list(codesign.VOTES)
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        choice = left.segmented_control(
            tr("cd.vote")
            + (f" · {tr('cd.my_vote', vote=tr(f'cd.vote.{d.my_vote}'))}" if d.my_vote else ""),
            options,
            format_func={v: tr(f"cd.vote.{v}") for v in options}.__getitem__,
            default=d.my_vote,
            key=f"vote:{p.id}",
        )
        vote = right.button(tr("cd.vote"), key=f"vote_button:{p.id}", disabled=choice is None)
        if vote and choice is not None:
            with guarded():
                codesign.vote(store, viewer, p.id, choice)
                st.toast(tr("cd.voted"))
                st.rerun()
        if codesign.may_withdraw(store, viewer, p) and st.button(
            tr("cd.withdraw"), key=f"withdraw:{p.id}"
        ):
            with guarded():
                codesign.withdraw(store, viewer, p.id)
                st.toast(tr("cd.withdrawn"))
                st.rerun()
    if codesign.can_decide(viewer, p.filiere):
        st.markdown(f"**{tr('cd.decision')}**")
        reason = st.text_input(tr("cd.reason"), key=f"reason:{p.id}", max_chars=2000)
        left, right = st.columns(2)
        accept = left.button(tr("cd.accept"), key=f"accept:{p.id}", type="primary")
        decline = right.button(tr("cd.decline"), key=f"decline:{p.id}")
        if accept or decline:
            with guarded():
                codesign.decide(store, viewer, p.id, accept=accept, reason=reason)
                st.toast(tr("cd.accepted" if accept else "cd.declined"))
                st.rerun()


def proposal_form(store: Store, viewer: Viewer, q: Questionnaire, lang: str) -> None:
    """Fields change with the kind of change; the service refuses what does not apply."""
    own = edits.editable_sections(q)
    own_questions = [question for s in own for question in s.questions]
    kinds = list(edits.KIND_LABELS) if own_questions else ["add"]
    if not own_questions:
        st.info(tr("cd.no_own_question"))
    kind = st.selectbox(
        tr("cd.kind"), kinds, format_func=lambda k: edits.KIND_LABELS[k][lang], key="cd_kind"
    )
    values: dict[str, Any] = {}
    prefix = f"cd_{q.id}_{kind}"
    if kind in ("add", "move"):
        _position_fields(q, own, values, prefix, allow_new=kind == "add", lang=lang)
    if kind == "add":
        values["id"] = st.text_input(tr("cd.qid"), key=f"{prefix}_id", max_chars=63)
        values["type"] = st.selectbox(
            tr("cd.qtype"),
            PROPOSABLE_TYPES,
            format_func=lambda t: type_label(t, lang),
            key=f"{prefix}_type",
        )
    else:
        candidates = [qq.id for qq in own_questions if kind != "choices" or qq.type in CHOICE_TYPES]
        values["question_id"] = st.selectbox(
            tr("cd.question"),
            candidates,
            format_func=lambda i: f"{q.questions[i].label.get(lang)} ({i})",
            key=f"{prefix}_question",
        )
    current = q.questions.get(values.get("question_id") or "")
    if kind in ("add", "reword"):
        for name, limit in (("label", 500), ("help", 2000)):
            old = getattr(current, name, None) if current else None
            left, right = st.columns(2)
            values[f"{name}_fr"] = left.text_area(
                tr(f"cd.{name}_fr"),
                value=old.fr if old else "",
                key=f"{prefix}_{name}_fr",
                max_chars=limit,
                height=80,
            )
            values[f"{name}_en"] = right.text_area(
                tr(f"cd.{name}_en"),
                value=(old.en or "") if old else "",
                key=f"{prefix}_{name}_en",
                max_chars=limit,
                height=80,
            )
    qtype = values.get("type") or (current.type if current else None)
    if kind in ("add", "reword") and qtype in NUMERIC_TYPES:
        unit = getattr(current, "unit", None) if current else None
        left, right = st.columns(2)
        values["unit_fr"] = left.text_input(
            tr("cd.unit_fr"), value=unit.fr if unit else "", key=f"{prefix}_unit_fr"
        )
        values["unit_en"] = right.text_input(
            tr("cd.unit_en"), value=(unit.en or "") if unit else "", key=f"{prefix}_unit_en"
        )
        if kind == "add":
            values["min"] = left.text_input(tr("cd.min"), key=f"{prefix}_min")
            values["max"] = right.text_input(tr("cd.max"), key=f"{prefix}_max")
    if kind == "choices" or (kind == "add" and qtype in CHOICE_TYPES):
        existing = (
            edit_form.choice_lines(current.choices)
            if kind == "choices" and current is not None and has_choices(current)
            else ""
        )
        values["choices"] = st.text_area(
            tr("cd.choices"), value=existing, key=f"{prefix}_choices", height=160
        )
    if kind == "add" and qtype != "note":
        values["required"] = st.checkbox(tr("cd.required"), key=f"{prefix}_required")
    rationale = st.text_area(
        tr("cd.rationale_input"), key=f"{prefix}_rationale", max_chars=codesign.RATIONALE_LIMIT
    )
    if st.button(tr("cd.submit"), key=f"{prefix}_submit", type="primary"):
        with guarded():
            edit = edit_form.from_form(kind, values)
            codesign.propose(store, viewer, q.id, edit, rationale)
            # Run again so that the list of proposals (drawn above) already holds it.
            st.session_state[SUBMITTED] = True
            st.rerun()
    if st.session_state.pop(SUBMITTED, False):
        st.success(tr("cd.submitted"))


SUBMITTED = "_cd_submitted"


def _position_fields(
    q: Questionnaire,
    own: list[Any],
    values: dict[str, Any],
    prefix: str,
    *,
    allow_new: bool,
    lang: str,
) -> None:
    new = "__new__"
    options = [s.id for s in own] + ([new] if allow_new else [])
    # Labels computed now (a format function must not read the session later).
    names = {s: q.sections_by_id[s].title.get(lang) for s in options if s != new}
    names[new] = tr("cd.new_section")
    section = st.selectbox(
        tr("cd.section") if allow_new else tr("cd.target_section"),
        options,
        format_func=names.__getitem__,
        key=f"{prefix}_section",
    )
    if section == new:
        values["section"] = st.text_input(tr("cd.section_id"), key=f"{prefix}_section_id")
        left, right = st.columns(2)
        values["section_title_fr"] = left.text_input(
            tr("cd.section_title_fr"), key=f"{prefix}_section_title_fr"
        )
        values["section_title_en"] = right.text_input(
            tr("cd.section_title_en"), key=f"{prefix}_section_title_en"
        )
        return
    values["section"] = section
    questions = [qq.id for qq in q.sections_by_id[section].questions]
    positions = {"": tr("cd.at_end")} | {
        i: tr("cd.after_q", label=q.questions[i].label.get(lang)) for i in questions
    }
    after = st.selectbox(
        tr("cd.after"), list(positions), format_func=positions.__getitem__, key=f"{prefix}_after"
    )
    values["after"] = after or None
