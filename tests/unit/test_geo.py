"""Reference geography: communes, départements, places outside Occitanie."""

from __future__ import annotations

from opp import geo


def test_geo__all_communes_of_occitanie():
    communes = geo.communes()
    assert len(communes) == 4485
    assert communes["31555"].nom == "Toulouse"
    assert {c.departement for c in communes.values()} == set(geo.DEPARTEMENTS)


def test_geo__search_ignores_accents_and_abbreviations():
    assert geo.search_communes("nimes")[0].nom == "Nîmes"
    names = [c.nom for c in geo.search_communes("st girons")]
    assert "Saint-Girons" in names
    assert geo.search_communes("31555")[0].nom == "Toulouse"
    assert geo.search_communes("") == []


def test_geo__places_outside_have_french_and_english_names():
    places = geo.places_outside()
    assert "FR-76" not in places  # Occitanie is not "outside"
    assert places["FR-11"]["fr"] == "Île-de-France (France)"
    assert places["DE"] == {"fr": "Allemagne", "en": "Germany"}
    assert "FR" not in places
    assert geo.place_scope("FR-11") == "region"
    assert geo.place_scope("BE") == "abroad"


def test_geo__maps_have_the_expected_shapes():
    assert len(geo.geojson("departements")["features"]) == 13
    assert len(geo.geojson("regions")["features"]) == 13
