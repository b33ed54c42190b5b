"""A real instance from the command line: `init --empty`, `create-admin`, and the demo kept
away from it (`init-db`, which `make run` calls, and `demo`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BACKENDS, on_database
from typer.testing import CliRunner

from opp import instance
from opp.access.viewer import Role
from opp.cli import app
from opp.errors import OppError
from opp.services import auth, organisations, questionnaires, reads
from opp.store import accounts, bulk, open_store
from opp.store.db import Store
from opp.store.engine_pg import redacted

runner = CliRunner()


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _read(path: Path) -> Store:
    return open_store(path)  # PostgreSQL when OPP_DATABASE_URL is set


PASSWORD = "s3cret-word"


@pytest.fixture(params=BACKENDS)
def where(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Where the instance goes: a new DuckDB file; on PostgreSQL, a new database named by
    OPP_DATABASE_URL (with a password, which no output may show; the test cluster trusts
    local connections). The URL wins over --path: the file given is then never created."""
    path = tmp_path / "opp.duckdb"
    monkeypatch.setenv("OPP_DB", str(path))
    if request.param == "postgres":
        url = request.getfixturevalue("pg_database")
        monkeypatch.setenv("OPP_DATABASE_URL", url.replace("@", f":{PASSWORD}@", 1))
        yield path
        assert not path.exists(), "the command line opened the DuckDB file, not PostgreSQL"
    else:
        monkeypatch.delenv("OPP_DATABASE_URL", raising=False)
        yield path


def _named(path: Path) -> str:
    """How the command line names the database: the file, or the URL without password."""
    url = os.environ.get("OPP_DATABASE_URL")
    return redacted(url) if url else str(path)


def test_init_empty__schema_and_questionnaires_without_demo(where, catalogue):
    path = where
    code, out = _cli("init", "--empty", "--path", str(path))
    assert code == 0, out
    assert "Instance vide créée" in out
    assert "create-admin" in out
    store = _read(path)
    try:
        assert instance.data_counts(store) == {
            "organisations": 0,
            "accounts": 0,
            "campaigns": 0,
            "responses": 0,
        }
        stored = {
            (v["questionnaire_id"], v["version"])
            for v in questionnaires.list_versions(store, instance.operator())
        }
        assert stored == {(q.id, q.version) for q in catalogue.all()}
        assert not instance.is_demo(store)
        assert instance.is_real(store)
        assert store.cursor().execute("SELECT count(*) FROM filieres").fetchone()[0] == 4
    finally:
        store.close()


def test_init_empty__says_so_when_run_again_and_keeps_the_data(where):
    path = where
    _cli("init", "--empty", "--path", str(path))
    _cli("create-admin", "agence@example.org", "--path", str(path))
    code, out = _cli("init", "--empty", "--path", str(path))
    assert code == 0
    assert "déjà une instance sans démonstration (1 compte)" in out
    store = _read(path)
    try:
        assert instance.data_counts(store)["accounts"] == 1
    finally:
        store.close()


@pytest.mark.both_backends
def test_init_empty__refuses_the_demo_file(demo_store, monkeypatch):
    path = on_database(demo_store, monkeypatch)
    code, out = _cli("init", "--empty", "--path", str(path))
    assert code == 2
    assert f"« {_named(path)} » contient la région de démonstration" in out
    assert "(--path ou OPP_DB) ou une autre base (OPP_DATABASE_URL)" in out  # either engine


def test_init_empty__refuses_a_file_holding_someone_s_data(where):
    path = where
    store = open_store(path)
    try:
        bulk.publish_catalogue(store, [], {"cirque": {"fr": "Cirque"}})
        organisations.create(
            store,
            instance.operator(),
            name="Cie déjà là",
            structure_type="compagnie",
            filieres=["cirque"],
            commune="31555",
        )
    finally:
        store.close()
    code, out = _cli("init", "--empty", "--path", str(path))
    assert code == 2
    assert "contient déjà des données (1 structure)" in out
    assert "rien n'a été créé" in out


def test_init__without_a_mode_asks_for_one(tmp_path):
    code, out = _cli("init", "--path", str(tmp_path / "x.duckdb"))
    assert code == 2
    assert "--empty" in out
    assert "--demo" in out


def test_init_db__never_puts_the_demo_into_an_empty_instance(where):
    path = where
    _cli("init", "--empty", "--path", str(path))
    code, out = _cli("init-db", "--path", str(path))  # what `make run` does
    assert code == 0
    assert f"Instance existante (sans démonstration) : {_named(path)}" in out
    store = _read(path)
    try:
        assert not instance.is_demo(store)
        assert instance.data_counts(store)["organisations"] == 0
    finally:
        store.close()


def test_demo__refuses_to_erase_a_real_instance(where):
    path = where
    _cli("init", "--empty", "--path", str(path))
    _cli("create-admin", "agence@example.org", "--path", str(path))
    code, out = _cli("demo", "--path", str(path))
    assert code == 2
    assert f"« {_named(path)} » est une instance réelle (1 compte)" in out
    assert PASSWORD not in out
    assert "--replace-real-data" in out
    store = _read(path)
    try:
        assert accounts.by_email(store, "agence@example.org") is not None
    finally:
        store.close()


def test_create_admin__prints_a_single_use_set_up_link(where, monkeypatch):
    path = where
    _cli("init", "--empty", "--path", str(path))
    monkeypatch.setenv("OPP_BASE_URL", "https://opp.example.org/")
    code, out = _cli(
        "create-admin", "Agence@Example.org", "--name", "Agence régionale", "--path", str(path)
    )
    assert code == 0, out
    link = out.strip().splitlines()[-1]
    assert link.startswith("https://opp.example.org/connexion?invitation=")
    token = link.split("invitation=")[1]
    store = _read(path)
    try:
        account = accounts.by_email(store, "agence@example.org")
        assert account.role == Role.ADMIN.value
        assert account.status == "invited"
        assert account.display_name == "Agence régionale"
        assert account.password_hash is None
        # Stored hashed only: the token itself is nowhere in the database.
        stored = store.cursor().execute("SELECT token_hash FROM account_tokens").fetchall()
        assert all(token not in row[0] for row in stored)
        viewer = auth.set_password_with_token(
            store, token, "invitation", "une phrase de passe", "une phrase de passe"
        ).viewer
        assert viewer.role is Role.ADMIN
        with pytest.raises(OppError) as again:
            auth.set_password_with_token(
                store, token, "invitation", "une autre phrase", "une autre phrase"
            )
        assert again.value.code == "TOKEN_INVALID"
        assert reads.audit_entries(store, viewer, action="account.invite")[0]["actor"].startswith(
            "operateur:"
        )
    finally:
        store.close()


def test_create_admin__refuses_a_second_administrator_unless_another(where):
    path = where
    _cli("init", "--empty", "--path", str(path))
    _cli("create-admin", "agence@example.org", "--path", str(path))
    code, out = _cli("create-admin", "autre@example.org", "--path", str(path))
    assert code == 2
    assert "existe déjà (agence@example.org)" in out
    assert "--another" in out
    code, out = _cli("create-admin", "autre@example.org", "--another", "--path", str(path))
    assert code == 0, out
    store = _read(path)
    try:
        admins = [a.email for a in accounts.all_accounts(store) if a.role == "admin"]
        assert sorted(admins) == ["agence@example.org", "autre@example.org"]
    finally:
        store.close()


def test_create_admin__a_lost_first_link_is_replaced(where):
    path = where
    _cli("init", "--empty", "--path", str(path))
    _, first = _cli("create-admin", "agence@example.org", "--path", str(path))
    code, second = _cli("create-admin", "agence@example.org", "--path", str(path))
    assert code == 0
    assert "Nouveau lien" in second
    old = first.strip().splitlines()[-1].split("invitation=")[1]
    new = second.strip().splitlines()[-1].split("invitation=")[1]
    store = _read(path)
    try:
        with pytest.raises(OppError):
            auth.peek(store, old, "invitation")
        assert auth.peek(store, new, "invitation").email == "agence@example.org"
        assert len(accounts.all_accounts(store)) == 1
    finally:
        store.close()


def test_create_admin__an_activated_administrator_is_not_replaced(where):
    path = where
    _cli("init", "--empty", "--path", str(path))
    _, out = _cli("create-admin", "agence@example.org", "--path", str(path))
    token = out.strip().splitlines()[-1].split("invitation=")[1]
    store = _read(path)
    try:
        auth.set_password_with_token(store, token, "invitation", "x" * 12, "x" * 12)
    finally:
        store.close()
    code, out = _cli("create-admin", "agence@example.org", "--path", str(path))
    assert code == 2
    assert "existe déjà" in out


def test_create_admin__bad_address_is_refused_clearly(where):
    path = where
    _cli("init", "--empty", "--path", str(path))
    code, out = _cli("create-admin", "pas-une-adresse", "--path", str(path))
    assert code == 2
    assert "Adresse électronique « pas-une-adresse » invalide" in out


def test_base_url__default_and_trailing_slash(monkeypatch):
    from opp import settings

    monkeypatch.delenv("OPP_BASE_URL", raising=False)
    assert settings.base_url() == "http://localhost:8501"
    monkeypatch.setenv("OPP_BASE_URL", "https://opp.occitanie-en-scene.fr/")
    assert settings.base_url() == "https://opp.occitanie-en-scene.fr"


def test_cli__speaks_the_operator_s_language(where, monkeypatch):
    """OPP_LANG (else the LANG locale) chooses the language of the command's output and
    of its refusals; French by default."""
    path = where
    monkeypatch.setenv("OPP_LANG", "en")
    code, out = _cli("init", "--empty", "--path", str(path))
    assert code == 0, out
    assert f"Empty instance created in {_named(path)}" in out
    assert "Next step: python -m opp create-admin YOUR@ADDRESS" in out
    _cli("create-admin", "agence@example.org", "--path", str(path))
    code, out = _cli("demo", "--path", str(path))
    assert code == 2
    assert "(1 account)" in out
    assert "compte" not in out
    monkeypatch.delenv("OPP_LANG")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    code, out = _cli("init", "--empty", "--path", str(path))
    assert "is already an instance without demo data (1 account)" in out
    monkeypatch.setenv("LANG", "C.UTF-8")
    code, out = _cli("init", "--empty", "--path", str(path))
    assert "est déjà une instance sans démonstration (1 compte)" in out


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("fr", "Importe un annuaire de structures", "Import a directory"),
        ("en", "Import a directory of structures", "Importe un annuaire"),
    ],
)
def test_cli__help_in_the_operator_s_language(lang, expected, absent):
    """`opp --help` and each command's help describe the commands in the operator's
    language (texts are read when the command line starts)."""
    env = {**os.environ, "OPP_LANG": lang, "COLUMNS": "200"}
    for args in (["--help"], ["import-organisations", "--help"]):
        done = subprocess.run(
            [sys.executable, "-m", "opp", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        shown = " ".join(done.stdout.split())
        assert expected in shown
        assert absent not in shown


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", r"^\d+ structures$"), ("en", r"^\d+ organisations$")],
)
def test_cli__demo_progress_in_the_operator_s_language(tmp_path, monkeypatch, lang, expected):
    monkeypatch.setenv("OPP_LANG", lang)
    code, out = _cli("demo", "--scale", "0.05", "--fast", "--path", str(tmp_path / "d.duckdb"))
    assert code == 0, out
    lines = out.splitlines()
    assert any(re.match(expected, line) for line in lines), lines
    so_far = "réponses jusqu'ici" if lang == "fr" else "responses so far"
    assert any(so_far in line for line in lines), lines


def test_demo__names_the_database_it_wrote_to(where):
    """`demo` ends with the database it built the region in: the file of OPP_DB, or the
    PostgreSQL database of OPP_DATABASE_URL without its password (never the file)."""
    code, out = _cli("demo", "--scale", "0.05", "--fast")
    assert code == 0, out
    assert out.rstrip().endswith(f"→ {_named(where)}"), out.splitlines()[-1]
    assert PASSWORD not in out
    store = _read(where)
    try:
        assert instance.is_demo(store)
        assert instance.data_counts(store)["organisations"] > 0
    finally:
        store.close()
