"""Ma fiche: own figures beside peers, history, downloads."""

from __future__ import annotations

from conftest import demo_viewer

from opp.services import responses as response_store
from opp.store import open_store

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


def test_page_ma_fiche__computed_once_per_release_and_edit(run_app, demo_copy, monkeypatch):
    """No rerun recomputes Ma fiche and nobody else's write invalidates it; the
    contributor's own edit does (their figures are their answers as they stand)."""
    from conftest import demo_viewer

    from opp import restitution
    from opp.services import responses as response_store
    from opp.store import open_store

    calls: list[str] = []
    build = restitution.build

    def counted(*args, **kwargs):
        calls.append(args[-1])
        return build(*args, **kwargs)

    monkeypatch.setattr(restitution, "build", counted)
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque")
    assert not at.exception
    assert len(calls) == 1
    at.run()
    at.run()
    assert len(calls) == 1  # reruns reuse it
    me = demo_viewer(demo_copy, "contrib:cirque")
    store = open_store(demo_copy)
    try:
        mine = response_store.list_visible(store, me, status="submitted")
        # Someone else's draft saved: nothing to recompute.
        drafts = [
            r
            for r in response_store.list_visible(store, demo_viewer(demo_copy, "admin"))
            if r.organisation_id != me.organisation_id and r.status == "draft"
        ]
        for other in drafts:
            try:
                owner = demo_viewer(demo_copy, f"org:{other.organisation_id}")
            except LookupError:
                continue  # an organisation without an account
            answers = response_store.load_answers(store, owner, other.id)
            response_store.save(store, owner, other.id, answers, expected_version=other.row_version)
            break
        else:
            raise AssertionError("no draft of another organisation with an account")
    finally:
        store.close()
    at.run()
    assert len(calls) == 1
    assert mine
