"""Cached access to catalogues, analytical frames and indicator results (app layer only).

Figures come from the latest release, which never changes: keys are the database path
and the release number, so a result is computed once per release and no write (a draft
saved, a response submitted) makes a dashboard cold again. Results also key on the
viewer's scope, so a viewer never receives a result computed for a wider or different
scope. Answer columns are fetched lazily, only those the indicators on screen need, and
kept for the release.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from opp import restitution
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.indicators import explore, paths, trends
from opp.indicators.catalogue import IndicatorCatalogue, load_indicators
from opp.indicators.dashboards import Dashboard, DashboardCatalogue, load_dashboards
from opp.indicators.engine import Filters, Result
from opp.indicators.frames import LazyFrames
from opp.indicators.model import Indicator
from opp.indicators.service import result
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.services import releases
from opp.ui.state import get_store, tr, viewer


@st.cache_resource(show_spinner=False)
def _catalogues(model_class: int) -> tuple[SurveyCatalogue, IndicatorCatalogue]:
    surveys = load_catalogue()
    return surveys, load_indicators(surveys=surveys)


def catalogues() -> tuple[SurveyCatalogue, IndicatorCatalogue]:
    """Loaded once per process; keyed on the model class so a code reload rebuilds it."""
    return _catalogues(id(Indicator))


@st.cache_resource(show_spinner=False)
def _dashboards(model_class: int) -> DashboardCatalogue:
    _, indicators = catalogues()
    return load_dashboards(indicators)


def dashboard_declaration(name: str) -> Dashboard:
    """A dashboard page's declaration (surveys/dashboards/<name>.yaml), loaded and
    checked once per process with every other declaration."""
    return _dashboards(id(Dashboard)).get(name)


# One entry: every viewer asks for the latest release, so an older one is never asked
# for again (a session still rendering with it keeps its own reference).
@st.cache_resource(show_spinner=False, max_entries=1)
def _frames(path: str, release_id: int) -> LazyFrames:
    surveys, indicators = catalogues()
    store = get_store()
    return LazyFrames(store, surveys, indicators, releases.get(store, release_id))


def release_id() -> int:
    """The latest release's number (refused, with an explanation, before the first)."""
    found = releases.latest_id(get_store())
    if found is None:
        raise OppError("RELEASE_NONE")
    return found


def frames() -> LazyFrames:
    """The frames of the latest release. Building them takes a moment (seconds on a
    large region): the visitor who triggers it, or who arrives while the server's
    warm-up builds them, sees a notice meanwhile instead of a page that seems stuck."""
    key = (get_store().path, release_id())
    if _built.get("key") == key:
        return _frames(*key)
    notice = st.empty()
    notice.info(tr("data.preparing"), icon=":material/hourglass_top:")
    try:
        built = _frames(*key)
    finally:
        notice.empty()
    _built["key"] = key
    return built


def warm_frames() -> LazyFrames | None:
    """Build the latest release's frames outside any page (the server's warm-up);
    nothing before the first release."""
    store = get_store()
    found = releases.latest_id(store)
    if found is None:
        return None
    built = _frames(store.path, found)
    _built["key"] = (store.path, found)
    return built


def latest_needs_frames() -> bool:
    """Whether a release exists whose frames this process has not built yet (the
    warm-up's follower asks: one indexed query)."""
    store = get_store()
    found = releases.latest_id(store)
    return found is not None and _built.get("key") != (store.path, found)


def latest_frames() -> LazyFrames:
    """The latest release's frames for a caller outside a page (the read API): the same
    cached frames the dashboards read."""
    store = get_store()
    found = release_id()
    built = _frames(store.path, found)
    _built["key"] = (store.path, found)
    return built


# The (path, release) whose frames were built last: pages show no notice for those.
_built: dict[str, tuple[str, int]] = {}


@st.cache_data(show_spinner=False, max_entries=2_000)
def _result(
    path: str,
    release: int,
    scope: tuple[str, str, str],
    indicator_id: str,
    filters: Filters,
    breakdown: str | None,
    _viewer: Viewer | None,
) -> Result:
    # `scope` (role, organisation, filière) is in the key; `_viewer` carries the same.
    _, indicators = catalogues()
    return result(frames(), indicators.get(indicator_id), filters, breakdown, _viewer)


def indicator(
    indicator_id: str, filters: Filters, breakdown: str | None, viewer: Viewer | None
) -> Result:
    scope = viewer.scope_key if viewer else ("public", "", "")
    # Shown only if the result takes more than half a second (a first computation).
    with st.spinner(tr("data.computing"), show_time=True):
        return _result(
            get_store().path, release_id(), scope, indicator_id, filters, breakdown, viewer
        )


# Figures of the dashboards' panels, shared by every session: a rerun (a widget moved
# elsewhere on the page, a second visitor) reuses the figure of an unchanged result
# instead of building it again (Plotly figures were ~40 % of a warm render).
@st.cache_resource(show_spinner=False, max_entries=4_000)
def _figure(key: tuple[Any, ...], _build: Callable[[], Any]) -> Any:
    # `key` names the result (database, release, viewer's scope, indicator, filters,
    # breakdown), the language and the drawing; `_build` draws it the first time.
    return _build()


def figure(result: Result, lang: str, drawing: str, build: Callable[[], Any]) -> Any:
    """The figure `build()` draws for this result, built once per result identity —
    release, the viewer's scope, indicator, filters, breakdown — language and drawing
    (a declared chart: its kind and options). The figure is only read afterwards
    (Streamlit serialises a copy), so sessions may share it."""
    if result.release is None:  # not from a frozen release: nothing identifies it
        return build()
    current = viewer()
    scope = current.scope_key if current else ("public", "", "")
    key = (
        get_store().path,
        result.release.id,
        scope,
        result.indicator.id,
        result.filters,
        result.breakdown,
        lang,
        drawing,
    )
    return _figure(key, build)


@st.cache_data(show_spinner=False, max_entries=2_000)
def _explored(
    path: str,
    release: int,
    scope: tuple[str, str, str],
    questionnaire_id: str,
    question_id: str,
    measure: str,
    filters: Filters,
    breakdown: str | None,
    _viewer: Viewer,
) -> Result:
    # Keyed like `_result`: the release and the viewer's scope decide what is seen.
    surveys, _ = catalogues()
    data = frames()
    return explore.distribution(
        get_store(),
        _viewer,
        questionnaire_id,
        question_id,
        filters,
        breakdown,
        measure=measure,
        frames=data,
        surveys=surveys,
    )


def explored(
    questionnaire_id: str,
    question_id: str,
    measure: str,
    filters: Filters,
    breakdown: str | None,
    viewer: Viewer,
) -> Result:
    """One question's distribution (the Explorer), computed once per release and scope."""
    with st.spinner(tr("data.computing"), show_time=True):
        return _explored(
            get_store().path,
            release_id(),
            viewer.scope_key,
            questionnaire_id,
            question_id,
            measure,
            filters,
            breakdown,
            viewer,
        )


@st.cache_data(show_spinner=False, max_entries=500, ttl=3600)
def _fiche(
    path: str,
    release: int,
    account: str,
    scope: tuple[str, str, str],
    response_id: str,
    versions: tuple[tuple[str, int], ...],
    _viewer: Viewer,
) -> restitution.Fiche:
    # Peers come from the release; the contributor's own figures from their submitted
    # answers as they stand, whose row versions are in the key (an edit shows at once).
    # Per person and for an hour at most: reading one's answers is audited hourly.
    _, indicators = catalogues()
    return restitution.build(get_store(), _viewer, frames(), indicators, response_id)


def fiche(viewer: Viewer, response_id: str, submitted: list[Any]) -> restitution.Fiche:
    """Ma fiche of one submitted response, computed once per release and edit: no
    rerun recomputes it, and nobody else's write invalidates it."""
    versions = tuple(sorted((r.id, r.row_version) for r in submitted))
    with st.spinner(tr("data.computing"), show_time=True):
        return _fiche(
            get_store().path,
            release_id(),
            viewer.account_id or "",
            viewer.scope_key,
            response_id,
            versions,
            viewer,
        )


@st.cache_data(show_spinner=False, max_entries=500)
def _constant_sample(
    path: str,
    release: int,
    scope: tuple[str, str, str],
    indicator_id: str,
    span: tuple[int, ...],
    filters: Filters,
    _viewer: Viewer | None,
) -> Result:
    # Keyed like `_result`: the release and the viewer's scope decide what is seen.
    _, indicators = catalogues()
    return trends.constant_sample(
        get_store(), _viewer, indicator_id, span, filters, frames=frames(), indicators=indicators
    )


def constant_sample(
    indicator_id: str, span: tuple[int, ...], filters: Filters, viewer: Viewer | None
) -> Result:
    """A trend on the constant sample of `span`, computed once per release and scope."""
    scope = viewer.scope_key if viewer else ("public", "", "")
    with st.spinner(tr("data.computing"), show_time=True):
        return _constant_sample(
            get_store().path, release_id(), scope, indicator_id, span, filters, viewer
        )


@st.cache_data(show_spinner=False, max_entries=200)
def _paths(
    path: str, release: int, scope: tuple[str, str, str], year: int, _viewer: Viewer
) -> Result:
    surveys, _ = catalogues()
    return paths.transitions(get_store(), _viewer, year, frames=frames(), surveys=surveys)


def career_paths(year: int, viewer: Viewer) -> Result:
    """Artists' career-stage transitions from `year` to the next, once per release."""
    with st.spinner(tr("data.computing"), show_time=True):
        return _paths(get_store().path, release_id(), viewer.scope_key, year, viewer)


@st.cache_data(show_spinner=False, max_entries=500)
def _explored_sample(
    path: str,
    release: int,
    scope: tuple[str, str, str],
    questionnaire_id: str,
    question_id: str,
    measure: str,
    span: tuple[int, ...],
    filters: Filters,
    _viewer: Viewer,
) -> Result:
    surveys, _ = catalogues()
    return explore.constant_sample(
        get_store(),
        _viewer,
        questionnaire_id,
        question_id,
        span,
        filters,
        measure=measure,
        frames=frames(),
        surveys=surveys,
    )


def explored_sample(
    questionnaire_id: str,
    question_id: str,
    measure: str,
    span: tuple[int, ...],
    filters: Filters,
    viewer: Viewer,
) -> Result:
    """One question year by year on the constant sample of `span` (the Explorer)."""
    with st.spinner(tr("data.computing"), show_time=True):
        return _explored_sample(
            get_store().path,
            release_id(),
            viewer.scope_key,
            questionnaire_id,
            question_id,
            measure,
            span,
            filters,
            viewer,
        )
