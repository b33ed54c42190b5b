"""The open-data package of a campaign (issue 16): a Frictionless data package that the
reference library validates, with codes, labels, licence and the service's very cells
(suppressed ones empty, with their reason)."""

from __future__ import annotations

import csv
import json
import zipfile

import frictionless
import pytest
from conftest import on_database
from typer.testing import CliRunner

from opp import datapackage
from opp.access.viewer import SYSTEM
from opp.cli import app
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters
from opp.indicators.service import build_frames, result
from opp.questionnaire.catalogue import load_catalogue
from opp.services import campaigns
from opp.store import Store, open_packages


@pytest.fixture(scope="module")
def published(module_demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The package of a cirque campaign of the demo region, on DuckDB then on PostgreSQL."""
    folder = tmp_path_factory.mktemp("package")
    store = module_demo_store
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    frames = build_frames(store, surveys, indicators)
    years = frames.years()
    campaign = next(
        c for c in campaigns.list_all(store, SYSTEM, filiere="cirque") if c.reference_year in years
    )
    package = datapackage.build(frames, indicators, SYSTEM, campaign)
    path = datapackage.write(package, folder / "out")
    return {
        "store": store,
        "package": package,
        "path": path,
        "frames": frames,
        "indicators": indicators,
        "campaign": campaign,
    }


def test_datapackage__validates_with_frictionless(published):
    report = frictionless.validate(str(published["path"]))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads(published["path"].read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["title"] == "Licence Ouverte / Etalab 2.0"
    assert {"title", "description", "sources", "contributors", "created"} <= set(descriptor)
    assert len(descriptor["resources"]) >= 20  # indicator × breakdown


def _rows(published: dict, name: str) -> list[dict[str, str]]:
    resource = next(r for r in published["package"].descriptor["resources"] if r["name"] == name)
    text = published["package"].files[resource["path"]].decode("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_datapackage__cells_are_the_services_with_suppressions_and_reasons(published):
    campaign = published["campaign"]
    found = None
    for resource in published["package"].descriptor["resources"]:
        rows = _rows(published, resource["name"])
        if any(r["secret"] for r in rows) and any(r["valeur"] for r in rows):
            found = resource, rows
            break
    assert found, "no file with both published and suppressed cells"
    resource, rows = found
    indicator = published["indicators"].get(rows[0]["indicateur"])
    breakdown = rows[0]["ventilation"] or None
    shown = result(
        published["frames"],
        indicator,
        Filters(reference_year=campaign.reference_year, filiere=campaign.filiere),
        breakdown,
        SYSTEM,
    )
    expected = [("" if v is None else v) for v in shown.table["value"].to_list()]
    assert [float(r["valeur"]) if r["valeur"] else "" for r in rows] == expected
    hidden = [r for r in rows if r["secret"]]
    assert all(r["valeur"] == "" and r["contributeurs"] == "" for r in hidden)
    assert all(r["secret_motif_fr"].startswith("secret statistique") for r in hidden)
    assert all(r["secret_motif_en"].startswith("statistical confidentiality") for r in hidden)
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["valeur"]["type"] == "number"
    assert resource["schema"]["missingValues"] == [""]


def test_datapackage__codes_are_insee_with_french_and_english_labels(published):
    rows = next(
        _rows(published, r["name"])
        for r in published["package"].descriptor["resources"]
        if r["name"].endswith("-departement")
    )
    groups = [r for r in rows if r["code"]]
    assert groups
    assert all(len(r["code"]) in (2, 3) and r["code_region"] == "76" for r in groups)
    toulouse = [r for r in groups if r["code"] == "31"]
    assert not toulouse or toulouse[0]["libelle_fr"].startswith("Haute-Garonne")
    assert all(r["libelle_en"] for r in groups)
    assert {r["filiere"] for r in rows} == {"cirque"}


def test_datapackage__cli_publishes_a_campaign(published, tmp_path, monkeypatch):
    target = tmp_path / "paquet"
    database = on_database(published["store"], monkeypatch)
    outcome = CliRunner().invoke(
        app,
        [
            "publish",
            "--campaign",
            published["campaign"].id,
            "--to",
            str(target),
            "--path",
            str(database),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert "Chiffres clés" in outcome.output
    assert (target / "datapackage.json").exists()
    shown = open_packages.latest(published["store"])
    assert shown.campaign_id == published["campaign"].id
    opened = datapackage.open_zip(shown.content)
    assert set(opened.tables) == {r["name"] for r in published["package"].descriptor["resources"]}
    assert frictionless.validate(str(target / "datapackage.json")).valid
    refused = CliRunner().invoke(
        app,
        [
            "publish",
            "--campaign",
            "nope",
            "--to",
            str(tmp_path / "x"),
            "--path",
            str(database),
        ],
    )
    assert refused.exit_code == 2
    assert "Campagne" in refused.output
    assert not (tmp_path / "x").exists()


def test_datapackage__zip_holds_the_same_files(published):
    blob = datapackage.zip_bytes(published["package"])
    with zipfile.ZipFile(__import__("io").BytesIO(blob)) as archive:
        names = set(archive.namelist())
    assert "datapackage.json" in names
    assert set(published["package"].files) <= names


def test_datapackage__only_the_agency_publishes(published):
    from opp.access.viewer import Role, Viewer
    from opp.errors import OppError

    coordinator = Viewer(role=Role.COORDINATEUR, account_id="c", filiere="cirque")
    with pytest.raises(OppError) as info:
        datapackage.build(
            published["frames"], published["indicators"], coordinator, published["campaign"]
        )
    assert info.value.code == "FORBIDDEN"
