"""Dictionnaire des variables (public): the codebook of each questionnaire version."""

from __future__ import annotations

PAGE = "pages/dictionnaire.py"


def test_page_dictionnaire__shows_the_codebook_of_the_chosen_version(run_app, demo_file):
    at = run_app(demo_file, PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    assert {"variable", "libellé", "personnelle", "versions", "années"} <= set(table.columns)
    assert len(table) > 10
    keys = [b.proto.id for b in at.get("download_button")]
    assert any(k.endswith("cb_xlsx") for k in keys)
    assert any(k.endswith("cb_schema") for k in keys)
    before = at.dataframe[0].value["variable"].tolist()
    at.session_state["cb_version"] = "musiques_actuelles@1.0.0"
    at.run()
    assert not at.exception
    assert at.dataframe[0].value["variable"].tolist() != before
