"""A dashboard's figures are built once per result: a rerun, or another viewer of the
same scope, reuses them; another language, another scope or another breakdown gets its
own (issue 17, warm renders rebuilt every Plotly figure)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from test_page_emploi import chart_keys

from opp import exports
from opp.ui import charts

PAGE = "pages/egalite.py"


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """How many figures each chart function has drawn."""
    calls: Counter = Counter()
    for name in ("bars", "parity", "trend", "shares", "boxes"):
        original = getattr(charts, name)

        def counting(*args, _original=original, _name=name, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(charts, name, counting)
    return calls


def _specs(at) -> dict[str, dict]:
    return {
        key: json.loads(chart.proto.spec)
        for key, chart in zip(chart_keys(at), at.get("plotly_chart"), strict=True)
    }


def test_figures__a_rerun_reuses_every_figure(run_app, demo_copy, drawn):
    at = run_app(demo_copy, PAGE, viewer_key="coreps")
    assert not at.exception
    first = sum(drawn.values())
    assert first >= 5  # every panel drew its figure once
    before = _specs(at)
    at.run()  # a rerun: same results, no figure drawn again, the same charts sent
    assert sum(drawn.values()) == first
    assert _specs(at) == before
    # Another session of the same scope shares them too.
    other = run_app(demo_copy, PAGE, viewer_key="coreps")
    assert sum(drawn.values()) == first
    assert _specs(other) == before


def test_figures__language_breakdown_and_scope_get_their_own(run_app, demo_copy, drawn):
    at = run_app(demo_copy, PAGE, viewer_key="coreps")
    first = sum(drawn.values())
    french = _specs(at)
    # Another breakdown of the compared panel: its figure only is drawn.
    at.button_group(key="egalite_compare").set_value("size_class").run()
    assert not at.exception
    assert sum(drawn.values()) == first + 1
    assert _specs(at)["parite_comparaison"] != french["parite_comparaison"]
    assert _specs(at)["parite"] == french["parite"]
    # English: every figure drawn again, with English labels.
    english = run_app(demo_copy, PAGE, viewer_key="coreps", lang="en")
    assert not english.exception
    assert sum(drawn.values()) == 2 * first + 1
    assert _specs(english)["parite"] != french["parite"]
    assert "Direction" in json.dumps(french["parite"])
    assert "Management" in json.dumps(_specs(english)["parite"])
    # A coordinator's scope (one filière) is never served the Coreps' figures.
    before = sum(drawn.values())
    coordinator = run_app(demo_copy, "pages/filiere_cirque.py", viewer_key="coord:cirque")
    assert not coordinator.exception
    again = sum(drawn.values())
    assert again > before
    coreps = run_app(demo_copy, "pages/filiere_cirque.py", viewer_key="coreps")
    assert not coreps.exception
    assert sum(drawn.values()) > again  # same page, other scope: figures of its own


EXPLORER = "pages/explorer.py"


@pytest.fixture
def explored_drawn(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Figures the Explorer drew (its charts go through `charts.by_kind`) and download
    files built (they must wait for a click)."""
    calls: Counter = Counter()
    original = charts.by_kind

    def counting(*args, **kwargs):
        calls["by_kind"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(charts, "by_kind", counting)
    for name in ("to_csv_bytes", "to_xlsx_bytes"):
        built = getattr(exports, name)

        def building(*args, _built=built, _name=name, **kwargs):
            calls[_name] += 1
            return _built(*args, **kwargs)

        monkeypatch.setattr(exports, name, building)
    return calls


def _explore(at, questionnaire_id: str, question_id: str, breakdown: str | None = None):
    at.selectbox(key="explorer_questionnaire").set_value(questionnaire_id).run()
    at.selectbox(key=f"explorer_question:{questionnaire_id}").set_value(question_id).run()
    if breakdown:
        at.selectbox(key="explorer_breakdown").set_value(breakdown).run()
    return at


def test_figures__the_explorer_reuses_the_figure_of_an_unchanged_result(
    run_app, demo_file, explored_drawn
):
    at = _explore(
        run_app(demo_file, EXPLORER, viewer_key="coreps"), "cirque", "forme_juridique", "filiere"
    )
    assert not at.exception, at.exception
    drawn = explored_drawn["by_kind"]
    spec = at.get("plotly_chart")[0].proto.spec
    at.run()  # a rerun: the same result, its figure reused and sent unchanged
    assert not at.exception, at.exception
    assert explored_drawn["by_kind"] == drawn
    assert at.get("plotly_chart")[0].proto.spec == spec
    # Another session of the same scope shares it; no download file was built yet.
    other = _explore(
        run_app(demo_file, EXPLORER, viewer_key="coreps"), "cirque", "forme_juridique", "filiere"
    )
    assert explored_drawn["by_kind"] == drawn
    assert other.get("plotly_chart")[0].proto.spec == spec
    assert explored_drawn["to_csv_bytes"] == explored_drawn["to_xlsx_bytes"] == 0
    # Another breakdown, another question or another language: a figure of its own.
    other.selectbox(key="explorer_breakdown").set_value("departement").run()
    assert explored_drawn["by_kind"] == drawn + 1
    assert other.get("plotly_chart")[0].proto.spec != spec
    before = explored_drawn["by_kind"]
    english = _explore(
        run_app(demo_file, EXPLORER, viewer_key="coreps", lang="en"),
        "cirque",
        "forme_juridique",
        "filiere",
    )
    assert not english.exception, english.exception
    assert explored_drawn["by_kind"] > before  # its own figures, in English
    assert english.get("plotly_chart")[0].proto.spec != spec
