"""Cached results never cross scopes: a coordinator never gets another filière's result."""

from __future__ import annotations

import pytest
import streamlit as st

from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.indicators.engine import Filters
from opp.ui import data

CIRQUE = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="c")
MARIONNETTE = Viewer(role=Role.COORDINATEUR, filiere="marionnette", account_id="m")


@pytest.fixture
def cached_app(demo_file, monkeypatch):
    monkeypatch.setenv("OPP_DB", str(demo_file))
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_cache__a_result_for_one_filiere_is_never_served_to_another(cached_app):
    year = data.frames().years()[1]
    everyone = Filters(reference_year=year)
    for_cirque = data.indicator("representations_total", everyone, None, CIRQUE)
    for_marionnette = data.indicator("representations_total", everyone, None, MARIONNETTE)
    assert for_cirque.filters.filiere == "cirque"
    assert for_marionnette.filters.filiere == "marionnette"
    assert for_cirque.total()["value"] != for_marionnette.total()["value"]
    # Asking explicitly for the other filière is refused, even with a warm cache.
    with pytest.raises(OppError) as info:
        data.indicator("representations_total", Filters(year, filiere="cirque"), None, MARIONNETTE)
    assert info.value.code == "FORBIDDEN"


def test_cache__scope_is_part_of_every_result_key(cached_app):
    year = data.frames().years()[1]
    coreps = Viewer(role=Role.COREPS, account_id="x")
    wide = data.indicator("representations_total", Filters(year), None, coreps)
    narrow = data.indicator("representations_total", Filters(year), None, CIRQUE)
    assert wide.filters.filiere is None
    assert narrow.filters.filiere == "cirque"
    assert wide.total()["value"] > narrow.total()["value"]
