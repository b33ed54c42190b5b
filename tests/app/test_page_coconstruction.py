"""Co-construction page: follow, propose, vote, decide, publish, compare, XLSForm."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import click, demo_viewer

from opp.questionnaire.xlsform import export_xlsform
from opp.services import codesign, questionnaires
from opp.store import open_store

PAGE = "pages/coconstruction.py"


def _texts(at) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def _choose(at, questionnaire_id: str):
    at.selectbox(key="cd_questionnaire").set_value(questionnaire_id)
    return at.run()


def _stored(db: Path, questionnaire_id: str = "cirque", target: str = "cir_kilometres"):
    """Discussions about `target` (the demo has others) and the stored versions."""
    store = open_store(db)
    try:
        admin = demo_viewer(db, "admin")
        found = codesign.discussions(store, admin, questionnaire_id)
        return [d for d in found if d.proposal.target == target], [
            v.version for v in questionnaires.history(store, questionnaire_id)
        ]
    finally:
        store.close()


@pytest.mark.parametrize("viewer_key", ["admin", "coreps", "coord:cirque", "contrib:cirque"])
def test_page_coconstruction__loads_for_every_role(run_app, demo_file, viewer_key):
    at = run_app(demo_file, PAGE, viewer_key=viewer_key)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Co-construction des questionnaires"
    options = at.selectbox(key="cd_questionnaire").options
    if viewer_key in ("admin", "coreps"):
        assert len(options) == 5
    else:
        assert all("irque" in o for o in options)
    # The Coreps follows without proposing: no tab it could not use (before: a
    # "Proposer un changement" tab that only said it was for members).
    tabs = [tab.label for tab in at.tabs]
    assert ("Proposer un changement" in tabs) == (viewer_key != "coreps"), tabs


def test_page_coconstruction__core_is_read_only_and_versions_compare(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coord:cirque")
    texts = _texts(at)
    assert any("Socle commun" in t for t in texts)
    # Versions 1.0.0 → 1.1.0 of the demo: the two harassment questions were added.
    assert any("Question ajoutée" in t and "referent\\_vhss" in t for t in texts)
    table = at.dataframe[-1].value if at.dataframe else None
    assert table is not None
    assert set(table["Élément"]) == {"libellé"}
    assert any("1.1.0" in t for t in texts)


def test_page_coconstruction__propose_vote_accept_publish(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque")
    prefix = "cd_cirque_add"
    at.selectbox(key="cd_kind").set_value("add").run()
    at.text_input(key=f"{prefix}_id").set_value("cir_kilometres")
    at.selectbox(key=f"{prefix}_type").set_value("integer").run()
    at.text_area(key=f"{prefix}_label_fr").set_value("Kilomètres parcourus en tournée")
    at.text_area(key=f"{prefix}_label_en").set_value("Kilometres travelled on tour")
    at.text_input(key=f"{prefix}_min").set_value("0")
    at.text_area(key=f"{prefix}_rationale").set_value("L'itinérance coûte : mesurons-la.")
    at = click(at, f"{prefix}_submit")
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Proposition déposée : elle est ouverte aux commentaires et aux votes."
    ]
    [discussion], versions = _stored(demo_copy)
    assert discussion.proposal.target == "cir_kilometres"
    assert versions == ["1.0.0", "1.1.0"]
    proposal_id = discussion.proposal.id

    at.run()  # the new proposal appears in the list; the author votes for it
    assert f"withdraw:{proposal_id}" in [b.key for b in at.button]  # only its author may
    # Its card names the question by its label, the id after it (before: the id alone).
    assert any(
        "Kilomètres parcourus en tournée" in m.value and "cir_kilometres" in m.value
        for m in at.markdown
        if m.value.startswith("**Ajouter une question**")
    )
    at.segmented_control(key=f"vote:{proposal_id}").set_value("pour").run()
    at = click(at, f"vote_button:{proposal_id}")
    assert not at.exception, at.exception
    [discussion], _ = _stored(demo_copy)
    assert discussion.tally["pour"] == 1

    coordinator = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    assert f"withdraw:{proposal_id}" not in [b.key for b in coordinator.button]
    coordinator.text_input(key=f"reason:{proposal_id}").set_value("Adopté en réunion de réseau")
    coordinator = click(coordinator, f"accept:{proposal_id}")
    assert not coordinator.exception, coordinator.exception
    assert any("`cir_kilometres`" in t and "nouvelle" in t for t in _texts(coordinator))
    coordinator = click(coordinator, "cd_publish")
    assert not coordinator.exception, coordinator.exception
    assert any("Version 1.2.0 publiée" in s.value for s in coordinator.success)
    [discussion], versions = _stored(demo_copy)
    assert versions == ["1.0.0", "1.1.0", "1.2.0"]
    assert (discussion.proposal.status, discussion.proposal.published_in) == ("accepted", "1.2.0")


def test_page_coconstruction__bad_proposal_is_explained_and_nothing_stored(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="contrib:cirque", lang="en")
    prefix = "cd_cirque_add"
    at.selectbox(key="cd_kind").set_value("add").run()
    at.text_input(key=f"{prefix}_id").set_value("Mauvais Id")
    at.text_area(key=f"{prefix}_label_fr").set_value("Une question")
    at.text_area(key=f"{prefix}_rationale").set_value("Parce que")
    at = click(at, f"{prefix}_submit")
    assert not at.exception, at.exception
    assert at.error, "an error message is expected"
    assert "question.id" in at.error[0].value
    at.text_input(key=f"{prefix}_id").set_value("cir_ok")
    at.text_area(key=f"{prefix}_rationale").set_value("")
    at = click(at, f"{prefix}_submit")
    assert "Rationale" in at.error[0].value
    assert _stored(demo_copy, target="cir_ok")[0] == []


def test_page_coconstruction__coreps_follows_but_cannot_propose(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    assert any("Seules les personnes" in i.value for i in at.info)
    assert not [b for b in at.button if (b.key or "").endswith("_submit")]
    assert "Proposer un changement" not in [tab.label for tab in at.tabs]


def test_page_coconstruction__xlsform_export_and_import(run_app, demo_copy, catalogue):
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    keys = [b.key for b in at.get("download_button")]
    assert "cd_xlsx" in keys
    assert "cd_yaml" in keys
    workbook = export_xlsform(catalogue.get("marionnette"))
    at.text_input(key="cd_import_id").set_value("marionnette_importe")
    at.file_uploader(key="cd_import_file").set_value(
        ("marionnette.xlsx", workbook, "application/octet-stream")
    )
    at.run()
    at = click(at, "cd_analyse")
    assert not at.exception, at.exception
    assert any("marionnette\\_importe" in m.value for m in at.markdown)
    at = click(at, "cd_import_publish")
    assert not at.exception, at.exception
    # The version by its title and number (before: `marionnette_importe@1.0.0`).
    assert any("— version " in s.value for s in at.success), [s.value for s in at.success]
    assert not any("@" in s.value for s in at.success)
    _, versions = _stored(demo_copy, "marionnette_importe", "")
    assert len(versions) == 1


def test_page_coconstruction__malformed_workbook_creates_nothing(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at.file_uploader(key="cd_import_file").set_value(
        ("casse.xlsx", b"this is not a workbook", "application/octet-stream")
    )
    at.run()
    at = click(at, "cd_analyse")
    assert not at.exception, at.exception
    assert at.error
    assert "casse.xlsx" in at.error[0].value
    assert not [b for b in at.button if b.key == "cd_import_publish"]


def test_page_coconstruction__demo_discussions_in_every_state(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coord:arts_de_la_rue")
    at.segmented_control(key="cd_status").set_value("all").run()
    assert not at.exception, at.exception
    infos = [i.value for i in at.info]
    assert any(i.startswith("Acceptée par") and "Adoptée en réunion" in i for i in infos)
    assert any(i.startswith("Refusée par") and "panorama annuel" in i for i in infos)
    # The accepted rewording is in the draft: a patch version is ready to publish.
    assert any("`adr_public_estime`" in t and "modifiée" in t for t in _texts(at))
    assert [b.label for b in at.button if b.key == "cd_publish"] == ["Publier la version 1.1.1"]
