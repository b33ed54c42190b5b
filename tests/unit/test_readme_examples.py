"""The README's examples work: YAML loads with the questionnaire loader, TOML is read by
OPP's settings, and the deployment commands run as written.

A README example that no longer parses (an unquoted `?` in a flow mapping) or that names
a command option OPP no longer has misleads exactly the people who follow it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from opp import settings
from opp.indicators import dashboards
from opp.indicators.catalogue import load_indicators
from opp.questionnaire.loader import load_text
from opp.questionnaire.yaml_source import parse_yaml
from opp.store import open_store

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^( *)```(\w+)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[tuple[int, str]]:
    """(line number, text) of every fenced block of `language`, unindented."""
    found = []
    for match in FENCE.finditer(README):
        if match.group(2) == language:
            line = README.count("\n", 0, match.start()) + 1
            found.append((line, textwrap.dedent(match.group(3))))
    return found


def as_questionnaire(data: Any, text: str) -> str:
    """A whole questionnaire as written, or a list of questions as one section's."""
    if isinstance(data, dict):
        return text
    body = textwrap.indent(text, " " * 6)
    return (
        "id: exemple\nfiliere: cirque\ntitle: {fr: Exemple, en: Example}\nversion: 1.0.0\n"
        f"sections:\n  - id: s1\n    title: {{fr: S1, en: S1}}\n    questions:\n{body}"
    )


def test_readme__has_yaml_toml_and_shell_examples():
    assert len(blocks("yaml")) >= 2
    assert len(blocks("toml")) >= 2
    assert len(blocks("sh")) >= 4


def is_dashboard(data: Any) -> bool:
    """A dashboard declaration (surveys/dashboards/), not a questionnaire."""
    return isinstance(data, dict) and "intro" in data


@pytest.mark.parametrize(("line", "text"), blocks("yaml"), ids=lambda v: str(v)[:12])
def test_readme__yaml_example_loads_with_the_questionnaire_loader(line, text, catalogue):
    data = yaml.safe_load(text)  # fails on YAML syntax (README.md line `line`)
    if is_dashboard(data):
        return  # loaded by the next test
    located = load_text(as_questionnaire(data, text), f"README.md:{line}", catalogue.modules)
    questionnaire = located.questionnaire
    ids = {q["id"] for q in data} if isinstance(data, list) else set()
    assert ids <= set(questionnaire.questions)
    if isinstance(data, dict):  # the questionnaire example: its rule and its include hold
        assert {r["id"] for r in data["rules"]} <= {r.id for r in questionnaire.rules}
        assert "effectif_permanent" in questionnaire.questions  # from the common core


def test_readme__dashboard_example_loads_with_the_declaration_loader(catalogue):
    """The "Tableaux de bord déclarés" example is a valid declaration: every field
    known, its indicator, KPI and breakdown by an answer of the common core exist."""
    declared = [(line, text) for line, text in blocks("yaml") if is_dashboard(yaml.safe_load(text))]
    assert len(declared) == 1
    line, text = declared[0]
    doc = parse_yaml(text, f"README.md:{line}")
    page = dashboards.parse(doc)
    assert dashboards.check(page, doc, load_indicators(surveys=catalogue)) == []
    assert page.figures() == [
        ("benevoles_total", None),
        ("benevoles_total", "convention_collective"),
    ]


def test_readme__toml_settings_are_read_by_opp(tmp_path, monkeypatch):
    """The mail settings example, saved as secrets.toml, is what OPP reads."""
    (line, text), *_ = [b for b in blocks("toml") if "OPP_SMTP_URL" in b[1]]
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(text, encoding="utf-8")
    monkeypatch.setenv("OPP_SECRETS_FILE", str(secrets))
    for name in ("OPP_SMTP_URL", "OPP_MAIL_FROM", "OPP_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    written = tomllib.loads(text)
    for name, value in written.items():
        assert settings.setting(name) == value, f"README.md:{line} {name}"
    assert settings.base_url() == "https://opp.example.org"


def test_readme__every_toml_example_parses():
    for line, text in blocks("toml"):
        assert tomllib.loads(text), f"README.md:{line}"


def _commands(text: str) -> list[list[str]]:
    joined = text.replace("\\\n", " ")  # a command continued on the next line
    lines = [ln.split("#", 1)[0].strip() for ln in joined.splitlines()]
    return [shlex.split(ln) for ln in lines if ln]


def _annuaire(path: Path) -> None:
    """A small directory spreadsheet with the README's column names."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nom de la structure", "N° SIRET", "Code INSEE", "filiere", "type_structure"])
    sheet.append(["Compagnie du README", "", "31555", "cirque", "compagnie"])
    sheet.append(["Festival du README", "", "34172", "arts_de_la_rue", "festival"])
    book.save(path)


def test_readme__deploy_for_real_runs_as_written(tmp_path):
    """Every `python -m opp` command of the shell examples, in order, in a fresh folder,
    with the variables the README exports: an empty instance, its administrator, the
    directory import (dry run, then for real)."""
    env = {**os.environ}
    ran: list[str] = []
    _annuaire(tmp_path / "annuaire.xlsx")
    for line, text in blocks("sh"):
        for argv in _commands(text):
            if argv[0] == "export":
                name, value = argv[1].split("=", 1)
                env[name] = str(tmp_path / "opp.duckdb") if name == "OPP_DB" else value
                continue
            if argv[0] == "make":
                continue  # `make run` serves the app, `make test` is this suite
            assert argv[:3] == [".venv/bin/python", "-m", "opp"], f"README.md:{line} {argv}"
            done = subprocess.run(
                [sys.executable, *argv[1:]],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, f"README.md:{line} {argv}: {done.stderr}"
            ran.append(argv[3])
    assert ran == [
        "init",
        "create-admin",
        "import-organisations",
        "import-organisations",
    ]
    store = open_store(tmp_path / "opp.duckdb")
    try:
        cur = store.cursor()
        admins = cur.execute("SELECT email FROM accounts WHERE role = 'admin'").fetchall()
        assert admins == [("agence@example.org",)]
        names = {n for (n,) in cur.execute("SELECT name FROM organisations").fetchall()}
        assert names == {"Compagnie du README", "Festival du README"}
    finally:
        store.close()
