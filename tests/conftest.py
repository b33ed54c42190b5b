"""Shared fixtures and factories: temporary stores, small questionnaires, responses, demo data."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import textwrap
import traceback
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.demo.generator import build_demo
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.questionnaire.loader import load_text
from opp.questionnaire.model import Questionnaire
from opp.services import auth
from opp.services import campaigns as campaign_store
from opp.services import organisations as org_store
from opp.services import responses as response_store
from opp.store import Store, accounts, bulk, open_store, questionnaires
from opp.ui import state as page_state
from opp.ui.session import SESSION_KEY

ROOT = Path(__file__).resolve().parents[1]
ADMIN = Viewer(role=Role.ADMIN, account_id="test-admin")
pytest_plugins = ["pytester"]  # test_page_guard.py runs a test inside a test

# Tests never read a developer's .streamlit/secrets.toml nor their mail settings, and the
# server's background mail sender stays off unless a test starts one itself.
os.environ["OPP_SECRETS_FILE"] = str(ROOT / "tests" / "no-secrets.toml")
os.environ["OPP_MAIL_SENDER"] = "off"
# The command line speaks the operator's language (OPP_LANG, else LANG): tests read its
# French output whatever the developer's locale (a test sets OPP_LANG=en to read English).
os.environ["OPP_LANG"] = "fr"
for _name in ("OPP_SMTP_URL", "OPP_MAIL_FROM", "OPP_BASE_URL", "OPP_TRUSTED_PROXIES"):
    os.environ.pop(_name, None)
# An unexpected exception inside a page's `guarded()` block fails the test (users would
# only see "erreur inattendue"): see `page_errors_fail_the_test` below.
os.environ[page_state.FAIL_ON_PAGE_ERROR] = "1"


@pytest.fixture(autouse=True)
def page_errors_fail_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which a page caught an unexpected exception in `guarded()`
    (AppTest runs pages in this process). A test that provokes one on purpose takes the
    `expected_page_errors` fixture and checks them itself."""
    page_state.page_errors.clear()
    yield
    caught = list(page_state.page_errors)
    page_state.page_errors.clear()
    if caught and "expected_page_errors" not in request.fixturenames:
        shown = "\n".join(
            "".join(traceback.format_exception(error)).rstrip() for error in caught[:3]
        )
        pytest.fail(f"{len(caught)} unexpected error(s) caught by a page's guarded():\n{shown}")


@pytest.fixture
def expected_page_errors() -> list[BaseException]:
    """The unexpected exceptions pages caught during this test (the test checks them)."""
    return page_state.page_errors


BACKENDS = ("duckdb", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `both_backends` (a module's `pytestmark`) that take `tmp_store` (or
    `demo_store`) run twice: on a DuckDB file and on a fresh PostgreSQL database; one also marked
    `duckdb_only` (what only the DuckDB file has, such as its file modes) runs once."""
    marked = metafunc.definition.get_closest_marker
    if not marked("both_backends"):
        return
    backends = BACKENDS[:1] if marked("duckdb_only") else BACKENDS
    for fixture in ("tmp_store", "demo_store"):  # the first one a test takes
        if fixture in metafunc.fixturenames:
            metafunc.parametrize(fixture, backends, indirect=True)
            return


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A throwaway PostgreSQL cluster for the whole session (tests/pg_cluster.py). Never
    skipped: when PostgreSQL cannot start, the tests that need it fail with the reason."""
    from pg_cluster import ClusterError, start_cluster

    try:
        cluster = start_cluster()
    except ClusterError as exc:
        pytest.fail(f"PostgreSQL could not be started: {exc}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Any) -> str:
    """A migrated database that each test's database is copied from (CREATE DATABASE …
    TEMPLATE: a file copy, much faster than migrating again). Its name is returned."""
    from opp.store.engine_pg import PgStore

    admin = pg_admin(pg_cluster)
    admin.execute("CREATE DATABASE opp_template")
    admin.close()
    store = PgStore(pg_cluster.url("opp_template"))
    store.close()
    return "opp_template"


def pg_admin(cluster: Any) -> Any:
    import psycopg

    return psycopg.connect(cluster.url(), autocommit=True)


def pg_copy(cluster: Any, template: str) -> Iterator[str]:
    """The URL of a new database copied from `template`, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with pg_admin(cluster) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield cluster.url(name)
    with pg_admin(cluster) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pg_store(request: pytest.FixtureRequest, template: str) -> Iterator[Store]:
    """A `PgStore` on a fresh copy of the database built by the session fixture
    `template` (`pg_template`, `pg_demo_template`), closed and dropped after use."""
    from opp.store.engine_pg import PgStore

    copies = pg_copy(request.getfixturevalue("pg_cluster"), request.getfixturevalue(template))
    store = PgStore(next(copies))
    yield store
    store.close()
    next(copies, None)


@pytest.fixture
def pg_database(pg_cluster: Any, pg_template: str) -> Iterator[str]:
    """The URL of a fresh, migrated PostgreSQL database, dropped after the test."""
    yield from pg_copy(pg_cluster, pg_template)


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster: Any, pg_template: str) -> str:
    """The demo region at scale 1 in a PostgreSQL database, built once per session."""
    from opp.store.engine_pg import PgStore

    with pg_admin(pg_cluster) as admin:
        admin.execute(f"CREATE DATABASE opp_demo TEMPLATE {pg_template}")
    store = PgStore(pg_cluster.url("opp_demo"))
    build_demo(store)
    store.close()
    return "opp_demo"


@pytest.fixture(scope="module", params=BACKENDS)
def module_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """An empty, migrated store shared by a module's tests (they build one world and
    only read it), once on DuckDB and once on PostgreSQL."""
    store: Store
    if request.param == "postgres":
        yield from pg_store(request, "pg_template")
    else:
        store = open_store(tmp_path_factory.mktemp("module") / "opp.duckdb")
        yield store
        store.close()


@pytest.fixture
def tmp_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated store: a temporary DuckDB file, or (modules marked
    `both_backends`, second run) a fresh PostgreSQL database."""
    backend = getattr(request, "param", "duckdb")
    if backend == "postgres":
        from opp.store.engine_pg import PgStore

        store: Store = PgStore(request.getfixturevalue("pg_database"))
    else:
        store = open_store(tmp_path / "opp.duckdb")
    yield store
    store.close()


@pytest.fixture(scope="session")
def catalogue() -> SurveyCatalogue:
    return load_catalogue()


SMALL = """
id: petit
filiere: cirque
title: {fr: Petit questionnaire, en: Small questionnaire}
version: 1.0.0
status: published
sections:
  - id: s1
    title: {fr: Emploi, en: Employment}
    questions:
      - id: effectif
        type: integer
        label: {fr: Effectif permanent, en: Permanent staff}
        required: true
        min: 0
        max: 1000
      - id: femmes
        type: integer
        label: {fr: Dont femmes, en: Of which women}
        relevant: ${effectif} > 0
        min: 0
      - id: nom
        type: text
        label: {fr: Nom, en: Name}
        carry_forward: true
        personal: true
  - id: s2
    title: {fr: Diffusion, en: Touring}
    questions:
      - id: lieu_type
        type: single_choice
        label: {fr: Type de lieu, en: Venue type}
        choices:
          - {value: salle, label: {fr: Salle, en: Hall}}
          - {value: rue, label: {fr: Rue, en: Street}}
      - id: dates
        type: repeat
        label: {fr: Représentations, en: Performances}
        questions:
          - id: jour
            type: date
            label: {fr: Date, en: Date}
            required: true
          - id: commune
            type: commune
            label: {fr: Commune, en: Municipality}
          - id: cachet
            type: money
            label: {fr: Prix de cession, en: Fee}
rules:
  - id: femmes_max
    check: ${femmes} <= ${effectif}
    message: {fr: Plus de femmes que d'effectif, en: More women than staff}
    fields: [femmes]
"""


def publish_release(store: Store, *, today: dt.date | None = None, seed: int | None = None) -> Any:
    """A release of everything submitted so far: closed campaigns, and every open one
    (provisional), as the agency would publish it. `seed`: draw the new record keys from
    a seeded generator (tests that measure an attack's success rate must be repeatable);
    default: the operating system's generator, as in production."""
    from opp.services import releases

    day = today or clock.today()
    open_ids = [c.id for c in campaign_store.list_all(store, ADMIN) if c.state(day) == "open"]
    keys = random.Random(seed) if seed is not None else None
    return releases.publish(store, ADMIN, include_open=open_ids, today=day, keys=keys)


@pytest.fixture
def make_questionnaire() -> Callable[..., Questionnaire]:
    """Build a questionnaire from YAML text (default: a small two-section one)."""

    def factory(text: str = SMALL, **overrides: Any) -> Questionnaire:
        q = load_text(textwrap.dedent(text), "test.yaml").questionnaire
        return q.model_copy(update=overrides) if overrides else q

    return factory


@pytest.fixture
def make_response(tmp_store: Store) -> Callable[..., dict[str, Any]]:
    """Create questionnaire version, open campaign, organisation and (optionally) answers.

    Returns ids and the contributor viewer, so tests can act as that organisation.
    """

    def factory(
        questionnaire: Questionnaire,
        answers: dict[str, Any] | None = None,
        *,
        submit: bool = False,
        reference_year: int = 2025,
        opens: dt.date | None = None,
        closes: dt.date | None = None,
        organisation_name: str = "Compagnie Test",
        store: Store | None = None,
    ) -> dict[str, Any]:
        target = store or tmp_store
        questionnaires.publish(target, questionnaire)
        today = clock.today()
        campaign = campaign_store.create(
            target,
            ADMIN,
            filiere=questionnaire.filiere,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            reference_year=reference_year,
            title_fr=f"Test {reference_year}",
            title_en=None,
            opens_on=opens or today - dt.timedelta(days=10),
            closes_on=closes or today + dt.timedelta(days=10),
            campaign_id=f"{questionnaire.id}-{reference_year}-{uuid.uuid4().hex[:6]}",
        )
        org = org_store.create(
            target,
            ADMIN,
            name=organisation_name,
            structure_type="compagnie",
            filieres=[questionnaire.filiere],
            commune="31555",
        )
        viewer = Viewer(
            role=Role.CONTRIBUTEUR, organisation_id=org.id, filiere=questionnaire.filiere
        )
        meta = response_store.start(target, viewer, campaign.id)
        if answers is not None:
            meta = response_store.save(
                target, viewer, meta.id, answers, expected_version=meta.row_version, submit=submit
            )
        return {"campaign": campaign, "organisation": org, "viewer": viewer, "response": meta}

    return factory


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo region at scale 1, built once per test session (do not write to it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = open_store(path)
    build_demo(store)
    store.checkpoint()
    store.close()
    return path


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database, for tests that write."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_file, target)
    return target


@pytest.fixture(scope="module", params=BACKENDS)
def module_demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A private copy of the demo region shared by a module's tests, once on DuckDB (a
    copy of `demo_file`) and once on PostgreSQL (a copy of `pg_demo_template`). Both are
    built by the same generator with the same seed; tests compare what the store returns,
    not fixed figures. `on_database(store, monkeypatch)` points the CLI and the app at it."""
    store: Store
    if request.param == "postgres":
        yield from pg_store(request, "pg_demo_template")
    else:
        path = tmp_path_factory.mktemp("module-demo") / "opp.duckdb"
        shutil.copy(request.getfixturevalue("demo_file"), path)
        store = open_store(path)
        yield store
        store.close()


def on_database(store: Store, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The `--path` (or `OPP_DB`) that makes the command line and the app open `store`:
    its DuckDB file; for PostgreSQL, `OPP_DATABASE_URL` is set to the store's database
    (it wins over the file) and the path returned is never created."""
    url = getattr(store, "url", None)
    if url is None:
        monkeypatch.delenv("OPP_DATABASE_URL", raising=False)
        return Path(store.path)
    monkeypatch.setenv("OPP_DATABASE_URL", url)
    return Path(os.environ.get("TMPDIR", "/tmp")) / f"unused-{uuid.uuid4().hex[:8]}.duckdb"


@pytest.fixture
def demo_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """A private copy of the demo region: a DuckDB file, or (modules marked
    `both_backends`, second run) a PostgreSQL database copied from the demo template."""
    store: Store
    if getattr(request, "param", "duckdb") == "postgres":
        yield from pg_store(request, "pg_demo_template")
    else:
        store = open_store(request.getfixturevalue("demo_copy"))
        yield store
        store.close()


__all__ = ["ADMIN", "ROOT", "SMALL", "bulk", "publish_release"]


@pytest.fixture
def mail_server() -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) on a free local port; `.received` lists messages."""
    from mailserver import MailServer

    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(monkeypatch: pytest.MonkeyPatch, mail_server: Any) -> Any:
    """OPP configured to send through `mail_server`; returns the server."""
    monkeypatch.setenv("OPP_SMTP_URL", mail_server.url())
    monkeypatch.setenv("OPP_MAIL_FROM", "OPP Occitanie <opp@example.org>")
    monkeypatch.setenv("OPP_BASE_URL", "https://opp.example.org/")
    return mail_server


def link_token(store: Store, account_id: str, kind: str = "invitation") -> str:
    """A fresh link token for an account, as the mail sender mints it (tests only: in the
    app a token only ever leaves in a mail)."""
    token, _ = auth.mint_token(store, account_id, kind)
    return token


APP = ROOT / "app.py"


@pytest.fixture
def run_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Start the app on a database file, optionally on a page, signed in as a demo account.

    `viewer_key`: "admin", "coreps", "coord:<filière>", "contrib:<questionnaire>" (the demo
    contributor who can carry answers forward) or "org:<organisation id>" (the demo
    contributor account of that organisation); None leaves the visitor signed out. The
    sign-in form itself is tested in test_page_connexion.py.
    """
    from streamlit.testing.v1 import AppTest

    def factory(
        db: Path,
        page: str | None = None,
        *,
        viewer_key: str | None = None,
        lang: str | None = None,
    ) -> AppTest:
        monkeypatch.setenv("OPP_DB", str(db))
        at = AppTest.from_file(str(APP), default_timeout=90)
        if lang:
            at.session_state["lang"] = lang
        if viewer_key:
            at.session_state[SESSION_KEY] = auth.Session(
                viewer=demo_viewer(db, viewer_key), last_seen=clock.now()
            )
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return factory


@pytest.fixture
def run_page_alone(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Run one page script by itself (as a typed address would, outside the menu), signed
    in as a demo account: proves a page protects itself rather than relying on the menu."""
    from streamlit.testing.v1 import AppTest

    def factory(db: Path, page: str, *, viewer_key: str | None = None) -> AppTest:
        monkeypatch.setenv("OPP_DB", str(db))
        at = AppTest.from_file(str(ROOT / page), default_timeout=90)
        if viewer_key:
            at.session_state[SESSION_KEY] = auth.Session(
                viewer=demo_viewer(db, viewer_key), last_seen=clock.now()
            )
        return at.run()

    return factory


def demo_viewer(db: Path | Store, key: str) -> Viewer:
    """The viewer of a demo account, chosen by a short key (see `run_app`), read from an
    open store or from the database `open_store(db)` opens (`OPP_DATABASE_URL` if set)."""
    if isinstance(db, Store):
        everyone = accounts.all_accounts(db)
    else:
        store = open_store(db)
        try:
            everyone = accounts.all_accounts(store)
        finally:
            store.close()
    role, _, scope = key.partition(":")
    if role == "contrib":  # the demo contributor who can carry forward answers
        email = f"{scope.replace('_', '-')}-carry-forward@demo.opp"
        return auth.viewer_of(next(a for a in everyone if a.email == email))
    for account in everyone:
        if (
            (role == "admin" and account.role == "admin")
            or (role == "coreps" and account.role == "coreps")
            or (role == "coord" and account.role == "coordinateur" and account.filiere == scope)
            or (role == "org" and account.organisation_id == scope)
        ):
            return auth.viewer_of(account)
    raise LookupError(f"no demo account for {key}")


def widget(elements: Any, suffix: str) -> Any:
    """The widget whose key ends with `:<suffix>` (keys embed the response id)."""
    found = [w for w in elements if w.key and w.key.endswith(f":{suffix}")]
    assert found, f"no widget for {suffix}: {[w.key for w in elements]}"
    return found[0]


def _required(element: Any) -> bool:
    return "\\*" in (element.label or "")


def fill_required(at: Any) -> int:
    """Give every empty required widget on the current step a neutral valid value."""
    changed = 0
    for box in at.number_input:
        if _required(box) and box.value is None and box.key and box.key.startswith("w:"):
            box.set_value(0)
            changed += 1
    for text in at.text_input:
        if _required(text) and not text.value and text.key and text.key.startswith("w:"):
            text.set_value("Réponse de test")
            changed += 1
    for radio in at.radio:
        if _required(radio) and radio.value is None and radio.key.startswith("w:"):
            # Yes/no radios hold booleans; choice radios accept their displayed label.
            radio.set_value(
                True if radio.options in (["Oui", "Non"], ["Yes", "No"]) else radio.options[0]
            )
            changed += 1
    for box in at.selectbox:
        if _required(box) and box.value is None and box.key.startswith("w:"):
            box.select_index(0)
            changed += 1
    for multi in at.multiselect:
        if _required(multi) and not multi.value and multi.key.startswith("w:"):
            multi.set_value([multi.options[0]])
            changed += 1
    return changed


def click(at: Any, prefix: str) -> Any:
    """Click the button whose key starts with `prefix` and rerun."""
    button = next(b for b in at.button if b.key and b.key.startswith(prefix))
    return button.click().run()


def confirm_empty_step(at: Any) -> None:
    """Tick "Rien à déclarer pour cette section" when the current step is empty."""
    for box in at.checkbox:
        if box.key and box.key.startswith("nothing:") and not box.value:
            box.check()


def walk_to_review(at: Any, max_steps: int = 20) -> Any:
    """Fill required answers step after step until the review page; a step left empty is
    confirmed empty ("Rien à déclarer pour cette section")."""
    for _ in range(max_steps):
        if any(b.key and b.key.startswith("submit:") for b in at.button):
            return at
        fill_required(at)
        confirm_empty_step(at)
        at.run()
        click(at, "next:")
        assert not at.exception, at.exception
    raise AssertionError("never reached the review step")


# --- a real full disk ------------------------------------------------------------------------


class SmallDisk:
    """A small file system of the test's own (a tmpfs), which the test fills to the last
    byte and frees again: the disk of a server that has run out of space."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / "filler"

    def fill(self, leave: int = 0) -> None:
        """Write a filler file until the file system refuses (ENOSPC), then give back
        `leave` bytes (room for a small write, not for a large one)."""
        import errno

        chunk = b"\0" * (1 << 20)
        with self.filler.open("ab", buffering=0) as out:
            while len(chunk) >= 1:
                try:
                    out.write(chunk)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    chunk = chunk[: len(chunk) // 2]
            if leave:
                out.truncate(out.tell() - leave)
        assert shutil.disk_usage(self.root).free < leave + 4096

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A 48 MiB tmpfs mounted for the test (needs root and the right to mount, as in CI
    here); skipped elsewhere (tests/reliability/test_full_disk.py then uses a file-size
    limit in a subprocess instead)."""
    import os
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield SmallDisk(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
