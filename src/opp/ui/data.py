"""Cached access to catalogues, analytical frames and indicator results (app layer only).

Figures come from the latest release, which never changes: keys are the database path
and the release number, so a result is computed once per release and no write (a draft
saved, a response submitted) makes a dashboard cold again. Results also key on the
viewer's scope, so a viewer never receives a result computed for a wider or different
scope. Answer columns are fetched lazily, only those the indicators on screen need, and
kept for the release.
"""

from __future__ import annotations

import streamlit as st

from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.indicators.catalogue import IndicatorCatalogue, load_indicators
from opp.indicators.engine import Filters, Result
from opp.indicators.frames import LazyFrames
from opp.indicators.model import Indicator
from opp.indicators.service import result
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.store import releases
from opp.ui.state import get_store


@st.cache_resource(show_spinner=False)
def _catalogues(model_class: int) -> tuple[SurveyCatalogue, IndicatorCatalogue]:
    surveys = load_catalogue()
    return surveys, load_indicators(surveys=surveys)


def catalogues() -> tuple[SurveyCatalogue, IndicatorCatalogue]:
    """Loaded once per process; keyed on the model class so a code reload rebuilds it."""
    return _catalogues(id(Indicator))


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
    return _frames(get_store().path, release_id())


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
    return _result(get_store().path, release_id(), scope, indicator_id, filters, breakdown, viewer)
