"""Chiffres clés (public): the latest published open-data package with its charts, for
visitors who are not signed in; nothing before a package is published."""

from __future__ import annotations

from opp import datapackage
from opp.access.viewer import SYSTEM
from opp.indicators.catalogue import load_indicators
from opp.indicators.service import build_frames
from opp.questionnaire.catalogue import load_catalogue
from opp.services import campaigns
from opp.store import open_packages, open_store

PAGE = "pages/chiffres_cles.py"


def _publish(db) -> datapackage.DataPackage:
    store = open_store(db)
    try:
        surveys = load_catalogue()
        indicators = load_indicators(surveys=surveys)
        frames = build_frames(store, surveys, indicators)
        campaign = next(
            c
            for c in campaigns.list_all(store, SYSTEM, filiere="cirque")
            if c.reference_year in frames.years()
        )
        package = datapackage.build(frames, indicators, SYSTEM, campaign)
        datapackage.publish(store, SYSTEM, package, campaign)
        assert open_packages.latest(store).title == package.descriptor["title"]
        return package
    finally:
        store.close()


def test_page_chiffres_cles__nothing_before_a_package_is_published(run_app, demo_copy):
    at = run_app(demo_copy, PAGE)
    assert not at.exception
    assert "Aucun paquet de données ouvertes" in at.info[0].value


def test_page_chiffres_cles__shows_the_published_package_without_sign_in(run_app, demo_copy):
    package = _publish(demo_copy)
    at = run_app(demo_copy, PAGE)
    assert not at.exception
    assert package.descriptor["title"] in [s.value for s in at.subheader]
    assert len(at.metric) >= 4
    total = next(r for r in package.descriptor["resources"] if r["name"].endswith("-ensemble"))
    rows = package.files[total["path"]].decode().splitlines()
    assert rows[1]  # the first published file has a whole-population row
    assert at.get("plotly_chart")
    assert at.selectbox(key="kf_ind").options
    english = run_app(demo_copy, PAGE, lang="en")
    assert english.title[0].value == "Key figures"
