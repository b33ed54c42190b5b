"""The common filter bar of the dashboards, kept when moving between pages."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from opp import geo
from opp.i18n import gettext
from opp.indicators.engine import Filters
from opp.indicators.service import FrameSource, scope_filiere
from opp.referentiel import FILIERES, SIZE_CLASSES, STRUCTURE_TYPES, label
from opp.ui.dashboard import new_page_run, release_caption
from opp.ui.state import lang, viewer
from opp.ui.text import plain

ALL = "__all__"
# Texts: `filters.<key>` in the gettext catalogues (opp.i18n).


def _t(key: str, lang: str) -> str:
    return gettext(f"filters.{key}", lang)


KEPT = "_opp_filters"  # the filters' values of this session, kept across pages


def _changed(key: str) -> None:
    st.session_state[f"{KEPT}:changed:{key}"] = True


def _restore(key: str, options: list[Any]) -> None:
    """Give a filter box its kept value before it is drawn. Streamlit's own
    `persist_state` shows the kept choice on a page reached from another one, but the
    first render returns the default: the figures then disagreed with the box. A choice
    the visitor just made (the box's `on_change`) is left alone."""
    kept = st.session_state.setdefault(KEPT, {})
    if st.session_state.pop(f"{KEPT}:changed:{key}", False) or not _new_page():
        return
    if key in kept and kept[key] in options:
        # Written even when equal: only a value set this run is honoured on first render.
        st.session_state[key] = kept[key]


def _new_page() -> bool:
    """Whether this run is the first of the filter bar on this page (a page switch):
    only then are the boxes handed their kept values (writing a widget's state on every
    run would resend it to the browser each time)."""
    ctx = get_script_run_ctx()
    page = ctx.page_script_hash if ctx is not None else ""
    return st.session_state.get(f"{KEPT}:page") != page


def _keep(key: str, value: Any) -> Any:
    st.session_state.setdefault(KEPT, {})[key] = value
    return value


def _choice(dimension: str, options: dict[str, str], key: str, fixed: str | None) -> str | None:
    language = lang()
    everyone = _t("all" if dimension in ("filiere", "size_class") else "all_m", language)
    codes = [ALL, *options]
    if fixed is not None:
        # Said in plain text, not as a disabled list: its faded label failed contrast.
        st.markdown(f"{_t(dimension, language)}  \n**{plain(options.get(fixed, fixed))}**")
        return fixed
    _restore(key, codes)
    value = st.selectbox(
        _t(dimension, language),
        codes,
        format_func=lambda c: everyone if c == ALL else options.get(c, c),
        key=key,
        persist_state="session",
        on_change=_changed,
        args=(key,),
    )
    value = _keep(key, value)
    return None if value in (None, ALL) else value


def filter_bar(source: FrameSource, *, filiere: str | None = None) -> Filters:
    """Year, filière, département, type and size, then which release the figures come
    from and that they are perturbed.

    `filiere` fixes the filière (filière pages); so does the viewer's scope (contributors
    and coordinators see their own filière's aggregates).
    """
    language = lang()
    new_page_run()
    years = source.years()
    if not years:
        st.info(_t("no_year", language), icon=":material/hourglass_empty:")
        st.stop()
    filiere = filiere or scope_filiere(viewer())
    with st.container(border=True):
        cols = st.columns(5)
        with cols[0]:
            _restore("filter_year", years)
            year = st.selectbox(
                _t("year", language),
                years,
                key="filter_year",
                persist_state="session",
                on_change=_changed,
                args=("filter_year",),
            )
            year = _keep("filter_year", year)
        with cols[1]:
            chosen_filiere = _choice(
                "filiere",
                {k: label(FILIERES, k, language) for k in FILIERES},
                "filter_filiere",
                filiere,
            )
        with cols[2]:
            departement = _choice(
                "departement",
                {k: f"{v} ({k})" for k, v in geo.DEPARTEMENTS.items()},
                "filter_departement",
                None,
            )
        with cols[3]:
            structure_type = _choice(
                "structure_type",
                {k: label(STRUCTURE_TYPES, k, language) for k in STRUCTURE_TYPES if k != "artiste"},
                "filter_structure_type",
                None,
            )
        with cols[4]:
            size_class = _choice(
                "size_class",
                {k: label(SIZE_CLASSES, k, language) for k in SIZE_CLASSES},
                "filter_size_class",
                None,
            )
    ctx = get_script_run_ctx()
    st.session_state[f"{KEPT}:page"] = ctx.page_script_hash if ctx is not None else ""
    st.caption(f":material/verified: {release_caption(source.release, language)}")
    return Filters(
        reference_year=int(year) if year is not None else years[0],  # years is not empty
        filiere=chosen_filiere,
        departement=departement,
        structure_type=structure_type,
        size_class=size_class,
    )
