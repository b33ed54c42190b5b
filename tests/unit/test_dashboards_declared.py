"""Dashboard pages declared as data (surveys/dashboards/*.yaml): every declaration
loads, names indicators and breakdowns that exist, and a broken one is refused with its
file, line and field, by the loader and by `python -m opp check-surveys`."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opp.errors import OppError
from opp.indicators import breakdowns
from opp.indicators.catalogue import load_indicators
from opp.indicators.dashboards import allowed_breakdowns, dashboard_files, load_dashboards
from opp.indicators.model import DIMENSIONS

ROOT = Path(__file__).resolve().parents[2]
SURVEYS = ROOT / "src" / "opp" / "data" / "surveys"
DASHBOARD_PAGES = {
    "emploi",
    "economie",
    "egalite",
    "diffusion",
    "participation",
    "filiere_arts_de_la_rue",
    "filiere_cirque",
    "filiere_marionnette",
    "filiere_musiques_actuelles",
}


@pytest.fixture(scope="module")
def indicators(catalogue):
    return load_indicators(surveys=catalogue)


@pytest.fixture(scope="module")
def declared(indicators):
    return load_dashboards(indicators)


def test_declarations__every_dashboard_page_has_one_and_draws_it(declared):
    assert set(declared.dashboards) == DASHBOARD_PAGES
    for name in DASHBOARD_PAGES:
        tree = ast.parse((ROOT / "pages" / f"{name}.py").read_text(encoding="utf-8"))
        calls = [
            node.value
            for node in tree.body
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        ]
        assert len(calls) == 1, name  # the page is its declaration's name, nothing else
        assert calls[0].func.id == "render_dashboard"
        assert [a.value for a in calls[0].args] == [name]


def test_declarations__every_indicator_breakdown_and_series_exists(declared, indicators):
    answers = breakdowns.known()
    checked = 0
    for name, page in declared.dashboards.items():
        assert page.title.en, name
        assert page.intro.en, name
        for section in page.sections:
            for card in section.kpis:
                indicator = indicators.get(card.indicator)
                if card.series:
                    assert card.series in {s.id for s in indicator.series}, (name, card)
            for panel in section.panels:
                indicator = indicators.get(panel.indicator)
                for breakdown in panel.breakdowns():
                    checked += 1
                    if breakdown is None:
                        continue
                    assert breakdown in DIMENSIONS or breakdown in answers, (name, panel.key)
                    assert breakdown in allowed_breakdowns(indicator), (name, panel.key)
        keys = [p.key for p in page.panels()]
        assert len(keys) == len(set(keys)), name
    assert checked >= 45


def test_declarations__filiere_pages_are_scoped_to_their_filiere(declared):
    for name, page in declared.dashboards.items():
        expected = name.removeprefix("filiere_") if name.startswith("filiere_") else None
        assert page.filiere == expected


def test_declarations__benchmark_reads_the_declarations(declared, indicators):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from dashboards import page_panels
    finally:
        sys.path.remove(str(ROOT / "bench"))
    panels = page_panels(indicators)
    assert panels == {name: page.figures() for name, page in declared.dashboards.items()}
    assert ("part_femmes_par_fonction", "filiere") in panels["egalite"]  # the compare default
    assert ("effectif_permanent_total", None) in panels["emploi"]  # a KPI card


def _copy(tmp_path: Path) -> Path:
    own = tmp_path / "surveys"
    shutil.copytree(SURVEYS, own)
    return own


BROKEN = """\
title: {fr: Emploi, en: Employment}
intro: {fr: Emplois, en: Jobs}
sections:
  - kpis:
      - indicator: efectif_permanent_total
    panels:
      - key: contrats
        indicator: permanents_par_contrat
        breakdown: couleur
        chart: bars
      - key: contrats
        indicator: masse_salariale
        chart: {kind: camembert}
"""


def test_declarations__mistakes_are_located_and_explained(tmp_path, indicators):
    own = _copy(tmp_path)
    (own / "dashboards" / "emploi.yaml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(OppError) as refused:
        load_dashboards(indicators, own)
    message = refused.value.message("fr")
    # The chart kind is checked by the model: that file stops there.
    assert "surveys/dashboards/emploi.yaml" in message
    assert "ligne 13" in message
    assert "camembert" in message
    assert "map_departements" in message  # the possible kinds
    # Once the model accepts it, names are checked against the catalogues.
    (own / "dashboards" / "emploi.yaml").write_text(
        BROKEN.replace("{kind: camembert}", "trend"), encoding="utf-8"
    )
    with pytest.raises(OppError) as refused:
        load_dashboards(indicators, own)
    message = refused.value.message("fr")
    assert "ligne 5" in message
    assert "efectif_permanent_total" in message
    assert "Vouliez-vous dire « effectif_permanent_total »" in message
    assert "ligne 9" in message
    assert "couleur" in message
    assert "structure_type" in message
    assert "ligne 11" in message
    assert "« contrats » est déjà utilisé" in message
    english = refused.value.message("en")
    assert "Did you mean 'effectif_permanent_total'" in english


def test_declarations__check_surveys_reports_a_broken_declaration(tmp_path):
    own = _copy(tmp_path)
    good = subprocess.run(
        [sys.executable, "-m", "opp", "check-surveys", "--root", str(own)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert "tableau de bord emploi: 5 panneaux" in good.stdout
    page = own / "dashboards" / "filiere_cirque.yaml"
    page.write_text(
        page.read_text(encoding="utf-8").replace("cir_chapiteau", "cir_chapitaux", 1),
        encoding="utf-8",
    )
    bad = subprocess.run(
        [sys.executable, "-m", "opp", "check-surveys", "--root", str(own)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0
    output = bad.stdout + bad.stderr
    assert "surveys/dashboards/filiere_cirque.yaml, ligne 35" in output.lower()
    assert "cir_chapitaux" in output
    assert "cir_chapiteau" in output
    assert "Traceback" not in output


def test_declarations__a_new_file_is_a_new_declaration(tmp_path, indicators):
    """A network's own page: a file is enough (its page file names it)."""
    own = _copy(tmp_path)
    (own / "dashboards" / "benevolat.yaml").write_text(
        "title: {fr: Bénévolat, en: Volunteering}\n"
        "intro: {fr: Les bénévoles., en: Volunteers.}\n"
        "sections:\n"
        "  - panels:\n"
        "      - {key: benevoles, indicator: benevoles_total, breakdown: forme_juridique}\n",
        encoding="utf-8",
    )
    loaded = load_dashboards(indicators, own)
    assert len(dashboard_files(own)) == len(DASHBOARD_PAGES) + 1
    page = loaded.get("benevolat")
    assert page.figures() == [("benevoles_total", "forme_juridique")]
    assert page.panels()[0].chart.kind == "auto"
    with pytest.raises(OppError) as unknown:
        loaded.get("benevolats")
    assert "Vouliez-vous dire « benevolat »" in unknown.value.message("fr")
