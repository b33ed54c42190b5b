"""Cached access to catalogues, analytical frames and indicator results (app layer only).

Keys: the database path and its data generation (bumped by every write), so a result is
reused until new data is submitted; results also key on the viewer's scope, so a viewer
never receives a result computed for a wider or different scope. Answer columns are
fetched lazily, only those the indicators on screen need, and kept for the generation.
"""

from __future__ import annotations

import streamlit as st

from opp.access.viewer import Viewer
from opp.indicators.catalogue import IndicatorCatalogue, load_indicators
from opp.indicators.engine import Filters, Result
from opp.indicators.frames import LazyFrames
from opp.indicators.model import Indicator
from opp.indicators.service import result
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.ui.state import get_store, tr


@st.cache_resource(show_spinner=False)
def _catalogues(model_class: int) -> tuple[SurveyCatalogue, IndicatorCatalogue]:
    surveys = load_catalogue()
    return surveys, load_indicators(surveys=surveys)


def catalogues() -> tuple[SurveyCatalogue, IndicatorCatalogue]:
    """Loaded once per process; keyed on the model class so a code reload rebuilds it."""
    return _catalogues(id(Indicator))


# One entry: every viewer asks for the current generation, so an older one is never
# asked for again (a session still rendering with it keeps its own reference); keeping
# two doubled the memory of the frames after each submission.
@st.cache_resource(show_spinner=False, max_entries=1)
def _frames(path: str, generation: int) -> LazyFrames:
    surveys, indicators = catalogues()
    return LazyFrames(get_store(), surveys, indicators)


def frames() -> LazyFrames:
    """The frames of the current data generation. Building them takes a moment (seconds
    on a large region): the visitor who triggers it, or who arrives while the server's
    warm-up builds them, sees a notice meanwhile instead of a page that seems stuck."""
    store = get_store()
    key = (store.path, store.generation)
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


def warm_frames() -> LazyFrames:
    """Build the current generation's frames outside any page (the server's warm-up)."""
    store = get_store()
    built = _frames(store.path, store.generation)
    _built["key"] = (store.path, store.generation)
    return built


# The (path, generation) whose frames were built last: pages show no notice for those.
_built: dict[str, tuple[str, int]] = {}


@st.cache_data(show_spinner=False, max_entries=2_000)
def _result(
    path: str,
    generation: int,
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
    store = get_store()
    scope = viewer.scope_key if viewer else ("public", "", "")
    # Shown only if the result takes more than half a second (a first computation).
    with st.spinner(tr("data.computing"), show_time=True):
        return _result(
            store.path, store.generation, scope, indicator_id, filters, breakdown, viewer
        )
