"""OPP runs as an installed package, away from any checkout.

Builds the wheel from the sources (`pip wheel`, the build backend of pyproject.toml),
installs it with the pinned dependencies into a new virtual environment in a temporary
folder, and runs the `opp` console script there: the questionnaires, indicator
definitions, disclosure policy and reference geography must come with the package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(argv: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{argv}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@dataclass
class Installed:
    venv: Path
    work: Path  # an empty working directory outside the checkout
    env: dict[str, str]
    wheel_files: set[str]

    def run(self, *argv: str | Path, **extra_env: str) -> str:
        return _run(list(argv), self.work, self.env | extra_env).stdout

    def python(self, code: str) -> str:
        return self.run(self.venv / "bin" / "python", "-c", code)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A virtual environment outside the checkout with OPP's wheel installed."""
    base = tmp_path_factory.mktemp("installed")
    assert not base.resolve().is_relative_to(ROOT)
    # Build from a copy of what the wheel is made of, so the checkout gets no build/ folder.
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPP_") and k != "PYTHONPATH"}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "OPP_MAIL_SENDER": "off"}
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source], base, env)
    (wheel,) = dist.glob("opp-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        wheel_files = set(archive.namelist())
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", venv], base, env)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "-q"]
    _run([*pip, "-c", ROOT / "requirements.lock", wheel], base, env)
    work = base / "work"
    work.mkdir()
    return Installed(venv, work, env, wheel_files)


@pytest.mark.slow
def test_wheel__holds_the_surveys_the_geography_and_the_assets(installed):
    for name in (
        "opp/data/surveys/socle/socle_commun.yaml",
        "opp/data/surveys/cirque/cirque.yaml",
        "opp/data/surveys/indicators/emploi.yaml",
        "opp/data/surveys/policy/disclosure.yaml",
        "opp/data/geo/occitanie-communes.csv",
        "opp/data/geo/occitanie-departements.geojson",
        "opp/data/geo/france-regions.geojson",
        "opp/ui/assets/favicon.png",
        "opp/py.typed",
        "opp/locale/fr/LC_MESSAGES/opp.po",
        "opp/locale/fr/LC_MESSAGES/opp.mo",
        "opp/locale/en/LC_MESSAGES/opp.mo",
    ):
        assert name in installed.wheel_files


@pytest.mark.slow
def test_installed_package__init_empty_and_check_surveys_outside_the_checkout(installed):
    opp = installed.venv / "bin" / "opp"
    work = installed.work
    # The package imported is the installed one, and its data is inside it.
    where = installed.python(
        "import opp, opp.settings as s; from opp.indicators.policy import policy_path;"
        " print(opp.__file__); print(s.surveys_dir()); print(s.db_path()); print(policy_path())"
    ).split()
    site = (installed.venv / "lib").resolve()
    assert Path(where[0]).resolve().is_relative_to(site)
    assert Path(where[1]).resolve().is_relative_to(site)
    assert Path(where[2]) == work / "data" / "opp.duckdb"  # next to where it runs
    assert Path(where[3]).resolve().is_relative_to(site)
    assert Path(where[3]).is_file()  # the disclosure policy, not the built-in defaults

    checked = installed.run(opp, "check-surveys")
    for line in (
        "cirque@1.1.0: 120 questions, 9 sections",
        "arts_de_la_rue@",
        "marionnette@",
        "musiques_actuelles@",
        "artistes_musiques_actuelles@",
    ):
        assert line in checked

    created = installed.run(opp, "init", "--empty")
    database = work / "data" / "opp.duckdb"
    assert f"Instance vide créée dans {database}" in created
    assert "Version publiée depuis surveys/ : cirque@1.1.0" in created
    assert database.is_file()
    again = installed.run(opp, "init", "--empty")
    assert "est déjà une instance sans démonstration" in again

    # The reference geography comes from the package too.
    geography = installed.python(
        "from opp import geo; print(len(geo.communes()), geo.communes()['31555'].nom)"
    )
    assert geography.split() == ["4485", "Toulouse"]

    # The interface texts and their formats come with it (gettext catalogues, Babel).
    english = installed.python(
        "from opp.i18n import gettext, format_number; print(gettext('nav.home', 'en'));"
        " print(gettext('nav.home', 'fr')); print(format_number(10781200, 'en'))"
    )
    assert english.split() == ["Home", "Accueil", "10,781,200"]


@pytest.mark.slow
def test_installed_package__opp_surveys_still_points_elsewhere(installed, tmp_path):
    """A deployment keeps its own questionnaires, indicators and dashboards with
    OPP_SURVEYS."""
    own = tmp_path / "surveys"
    shutil.copytree(ROOT / "src" / "opp" / "data" / "surveys", own)
    (own / "dashboards" / "participation.yaml").unlink()
    checked = installed.run(installed.venv / "bin" / "opp", "check-surveys", OPP_SURVEYS=str(own))
    assert "cirque@1.1.0" in checked
    assert "tableau de bord emploi:" in checked
    assert "tableau de bord participation:" not in checked


def test_checkout__surveys_link_to_the_package_data():
    """`surveys/` of a checkout (documented everywhere, used by `export-surveys`) is the
    package data itself, and pyproject.toml ships that folder."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]["opp"]
    assert {"data/**/*", "ui/assets/*", "py.typed"} <= set(package_data)
    assert (ROOT / "surveys").resolve() == ROOT / "src" / "opp" / "data" / "surveys"
