"""Published versions written back to surveys/ files: loading the file gives the version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opp import settings
from opp.access.viewer import SYSTEM
from opp.cli import app
from opp.questionnaire import edits
from opp.questionnaire.catalogue import load_catalogue, survey_files
from opp.questionnaire.loader import Located, load_text
from opp.questionnaire.yaml_export import file_path, to_yaml
from opp.services import codesign
from opp.services import questionnaires as questionnaire_reads
from opp.store import open_store, questionnaires
from tests.conftest import demo_viewer

pytestmark = pytest.mark.both_backends

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


def _same(a, b) -> bool:
    return json.loads(a.definition_json()) == json.loads(b.definition_json())


@pytest.mark.parametrize("path", survey_files(SURVEYS), ids=lambda p: p.stem)
def test_yaml_export__every_shipped_file_round_trips(path: Path, catalogue):
    modules = {k: v.questionnaire for k, v in catalogue.modules.items()}
    questionnaire = catalogue.get(path.stem)
    text = to_yaml(questionnaire, modules)
    back = load_text(text, "export.yaml", {k: Located(v, []) for k, v in modules.items()})
    assert _same(back.questionnaire, questionnaire)
    # Only the questionnaire's own part is written: the core stays in its module file.
    if questionnaire.include:
        assert "effectif_permanent" not in text
        assert "include:\n- socle_commun" in text
    assert str(file_path(questionnaire)) == str(path.relative_to(SURVEYS))


def test_yaml_export__version_published_in_app_becomes_a_file_a_fresh_install_loads(
    demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    coordinator = demo_viewer(demo_copy, "coord:cirque")
    store = open_store(demo_copy)
    try:
        edit = edits.parse_edit(
            {
                "kind": "add",
                "section": "cir_chapiteau_itinerance",
                "question": {
                    "id": "cir_kilometres",
                    "type": "integer",
                    "label": {"fr": "Kilomètres parcourus en tournée", "en": "Touring km"},
                    "unit": {"fr": "km", "en": "km"},
                    "min": 0,
                },
            }
        )
        proposal = codesign.propose(store, coordinator, "cirque", edit, "Mesurer l'itinérance")
        codesign.decide(store, coordinator, proposal.id, accept=True, reason="Voté en réunion")
        published = codesign.publish(store, coordinator, "cirque")
    finally:
        store.close()
    assert published.version == "1.2.0"

    folder = tmp_path / "surveys"
    shutil.copytree(SURVEYS, folder)
    result = CliRunner().invoke(
        app,
        [
            "export-surveys",
            "--to",
            str(folder),
            "--path",
            str(demo_copy),
            "--questionnaire",
            "cirque",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "cirque@1.2.0" in result.output
    text = (folder / "cirque" / "cirque.yaml").read_text(encoding="utf-8")
    assert "cir_kilometres" in text
    assert "version: 1.2.0" in text

    # A fresh install reads the files: the new version is there, identical to the stored one.
    catalogue = load_catalogue(folder)
    assert _same(catalogue.get("cirque"), published)
    assert catalogue.get("cirque").changelog[-1].added == ["cir_kilometres"]

    # An existing database picks it up on the next `init-db` (published once, never twice).
    fresh = tmp_path / "fresh.duckdb"
    monkeypatch.setattr(settings, "surveys_dir", lambda: folder)
    store = open_store(fresh)
    try:
        first = questionnaires.sync(store, catalogue.all())
        again = questionnaires.sync(store, catalogue.all())
        assert "cirque@1.2.0" in first[0]
        assert again == ([], [])
        stored = questionnaire_reads.get(store, SYSTEM, "cirque", "1.2.0")
        assert _same(stored, published)
    finally:
        store.close()


def test_yaml_export__unknown_questionnaire_is_a_clear_cli_error(demo_file: Path, tmp_path: Path):
    result = CliRunner().invoke(
        app,
        [
            "export-surveys",
            "--to",
            str(tmp_path),
            "--path",
            str(demo_file),
            "--questionnaire",
            "cirqe",
        ],
    )
    assert result.exit_code == 2
    assert "« cirqe » introuvable" in result.output
    assert not any(tmp_path.iterdir())


def test_yaml_export__file_edited_without_new_version_is_reported(tmp_store, catalogue):
    cirque = catalogue.get("cirque")
    questionnaires.publish(tmp_store, cirque)
    changed = cirque.model_copy(update={"title": cirque.title.model_copy(update={"fr": "Autre"})})
    assert questionnaires.sync(tmp_store, [changed]) == ([], ["cirque@1.1.0"])
    assert questionnaire_reads.get(tmp_store, SYSTEM, "cirque", "1.1.0").title.fr != "Autre"
