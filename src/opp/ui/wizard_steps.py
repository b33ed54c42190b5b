"""The answering wizard's progress: the header (steps done, what they are made of, the
list of steps to jump to) and the "Rien à déclarer pour cette section" box of an empty
step. Split from `wizard` to keep each module small."""

from __future__ import annotations

import streamlit as st

from opp import answering
from opp.questionnaire.model import Section
from opp.questionnaire.progress import Progress
from opp.ui.text import plain
from opp.ui.wizard_texts import STATUS_ICONS, wn, wt


def marks_of(session: answering.AnswerSession) -> tuple[frozenset[str], frozenset[str]]:
    """The marks as stored (to tell whether ticking a box needs a save)."""
    return frozenset(session.empty_sections), frozenset(session.carried)


def nothing_key(rid: str, section_id: str) -> str:
    return f"nothing:{rid}:{section_id}"


def header(
    session: answering.AnswerSession,
    visible: list[Section],
    progress: Progress,
    step: int,
    lang: str,
    submitted: bool,
) -> None:
    q = session.questionnaire
    st.header(plain(q.title.get(lang)))
    status = wt("status_submitted", lang) if submitted else wt("status_draft", lang)
    st.caption(f"{wt('year', lang, year=session.campaign.reference_year)} · {status}")
    st.progress(
        progress.done / max(1, progress.total),
        text=wn("progress", progress.done, lang, done=progress.done, total=progress.total),
    )
    st.caption(progress_detail(progress, lang))
    rid = session.meta.id
    labels = [
        f"{STATUS_ICONS[progress.states.get(s.id, 'empty')]} {i + 1}. {s.title.get(lang)}"
        for i, s in enumerate(visible)
    ] + [f"✓ {wt('review', lang)}"]
    with st.expander(wt("steps", lang), expanded=False):
        for i, text in enumerate(labels):
            if st.button(plain(text), key=f"goto:{rid}:{i}", type="tertiary", disabled=i == step):
                st.session_state[f"goto:{rid}"] = i  # wizard._k("goto", rid)
                st.rerun()
        st.caption(wt("legend", lang))


def progress_detail(progress: Progress, lang: str) -> str:
    """ "3 répondues · 1 rien à déclarer · 2 à confirmer": what the count is made of."""
    return " · ".join(
        f"{STATUS_ICONS[state]} {wn(f'state_{state}', n, lang)}"
        for state, n in progress.counts().items()
        if n
    )


def nothing_to_declare(
    session: answering.AnswerSession, section: Section, progress: Progress, lang: str
) -> None:
    """An empty step is an omission until the person says it does not concern them."""
    if progress.states.get(section.id) not in ("empty", "confirmed_empty"):
        return
    rid = session.meta.id
    st.checkbox(
        wt("nothing", lang),
        value=section.id in session.empty_sections,
        key=nothing_key(rid, section.id),
        disabled=not session.editable or session.meta.status == "submitted",
        help=wt("nothing_help", lang),
    )
