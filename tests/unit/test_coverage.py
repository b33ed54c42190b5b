"""Figures say when a question was not asked in a given year (questionnaire versions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from opp.access.viewer import Role, Viewer
from opp.indicators import coverage
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters
from opp.indicators.service import build_frames, result
from opp.restitution import Line, _gaps
from opp.store import open_store

pytestmark = pytest.mark.both_backends

COREPS = Viewer(role=Role.COREPS, account_id="coreps")


@pytest.fixture(scope="module")
def demo_frames(demo_file: Path, catalogue):
    store = open_store(demo_file)
    try:
        indicators = load_indicators()
        yield build_frames(store, catalogue, indicators), indicators
    finally:
        store.close()


def test_coverage__question_added_later_is_flagged_for_the_earlier_year(demo_frames):
    frames, indicators = demo_frames
    vhss = indicators.get("engagements_egalite")
    years = frames.years()
    earliest, latest = min(years), max(years)
    old = result(frames, vhss, Filters(reference_year=earliest), None, COREPS)
    texts = [n["fr"] for n in old.notes]
    assert len(texts) == 2  # référent VHSS and formation VHSS, added in version 1.1.0
    assert all(f"n'était pas posée en {earliest}" in t for t in texts)
    assert any("référent" in t for t in texts)
    assert all("@1.0.0" in t for t in texts)
    assert all(f"was not asked in {earliest}" in n["en"] for n in old.notes)
    # The referent series has no answer that year: no figure rather than a false 0 %.
    referent = old.table.filter(old.table["series"] == "referent")
    assert referent.filter(referent["value"].is_not_null() & referent["value"].eq(0)).height == 0
    assert result(frames, vhss, Filters(reference_year=latest), None, COREPS).notes == []
    # A trend names the year that lacks the question, once per question.
    trend = result(frames, vhss, Filters(reference_year=latest), "reference_year", COREPS)
    assert [str(earliest) in n["fr"] for n in trend.notes] == [True, True]


def test_coverage__indicator_on_questions_always_asked_has_no_note(demo_frames):
    frames, indicators = demo_frames
    staff = indicators.get("effectif_permanent_total")
    for year in frames.years():
        assert (
            result(frames, staff, Filters(reference_year=year), "reference_year", COREPS).notes
            == []
        )


def test_coverage__partial_absence_names_the_versions(demo_frames):
    frames, indicators = demo_frames
    vhss = indicators.get("engagements_egalite")
    year = min(frames.years())
    asked = list(frames.asked().asked)
    # Pretend the cirque questionnaire of that year already asked the question.
    patched = [
        coverage.Asked(
            a.reference_year, a.filiere, a.audience, a.key, a.questions | {"referent_vhss"}
        )
        if a.filiere == "cirque" and a.reference_year == year
        else a
        for a in asked
    ]
    cov = coverage.Coverage(tuple(patched), frames.asked().labels)
    notes = coverage.notes(cov, vhss, Filters(reference_year=year), None)
    referent = [n["fr"] for n in notes if "référent" in n["fr"]]
    assert len(referent) == 1
    assert referent[0].startswith(f"En {year}, ")
    assert "cirque@1.0.0" not in referent[0]
    assert "marionnette@1.0.0" in referent[0]
    only_cirque = coverage.notes(cov, vhss, Filters(reference_year=year, filiere="cirque"), None)
    assert not [n for n in only_cirque if "référent" in n["fr"]]


def test_coverage__restitution_history_says_which_years_lacked_the_question(
    tmp_store, make_questionnaire, make_response
):
    v1 = make_questionnaire()
    indicators = load_indicators()
    staff = indicators.get("effectif_permanent_total")
    old = make_response(v1, {"effectif": 3}, submit=True, reference_year=2024)
    viewer = old["viewer"]
    line = Line(staff, None, 3.0)
    gaps = _gaps(tmp_store, viewer, [line])
    # `effectif_permanent` is not in the small test questionnaire: that year is flagged.
    [note] = gaps[line.key]
    assert note["fr"].startswith("2024 : question pas encore (ou plus) posée")
    assert "petit@1.0.0" in note["fr"]
