"""A dashboard's figures are built once per result: a rerun, or another viewer of the
same scope, reuses them; another language, another scope or another breakdown gets its
own (issue 17, warm renders rebuilt every Plotly figure)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from test_page_emploi import chart_keys

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
