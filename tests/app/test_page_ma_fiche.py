"""Ma fiche: own figures beside peers, history, downloads."""

from __future__ import annotations

from conftest import demo_viewer

from opp.store import open_store
from opp.store import responses as response_store

PAGE = "pages/ma_fiche.py"


def test_page_ma_fiche__shows_my_figures_and_peer_comparisons(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="contrib:cirque")
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.metric, "one card per indicator"
    assert all(m.label == "Vous" for m in at.metric)
    assert len(at.dataframe) == len(at.metric)
    assert len(at.get("download_button")) == 2
    assert at.get("plotly_chart")


def test_page_ma_fiche__lists_only_submitted_responses(run_app, demo_file):
    viewer = demo_viewer(demo_file, "contrib:cirque")
    store = open_store(demo_file)
    try:
        submitted = response_store.list_visible(store, viewer, status="submitted")
    finally:
        store.close()
    at = run_app(demo_file, PAGE, viewer_key="contrib:cirque")
    assert len(at.selectbox(key="fiche_response").options) == len(submitted)


def test_page_ma_fiche__in_english(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="contrib:cirque", lang="en")
    assert at.title[0].value == "My sheet"
    assert all(m.label == "You" for m in at.metric)
