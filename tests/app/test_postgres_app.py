"""The app on PostgreSQL (`OPP_DATABASE_URL`): the pages read the same demo region from
the database server as from the DuckDB file — published figures (releases, the
disclosure layer, analytics through Arrow), the directory, a dashboard, the agency's
administration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import pg_copy

from opp.store import releases
from opp.store.engine_pg import PgStore


@pytest.fixture
def pg_demo(
    pg_cluster: Any, pg_demo_template: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A copy of the demo region in PostgreSQL, and the app pointed at it."""
    copies = pg_copy(pg_cluster, pg_demo_template)
    url = next(copies)
    monkeypatch.setenv("OPP_DATABASE_URL", url)
    yield url
    next(copies, None)


def test_postgres_app__the_landing_page_shows_the_published_figures(
    run_app: Any, pg_demo: str, tmp_path: Path
) -> None:
    at = run_app(tmp_path / "unused.duckdb")  # OPP_DATABASE_URL wins over the file
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    store = PgStore(pg_demo)
    try:
        structures = (
            store.cursor()
            .execute("SELECT count(*) FROM organisations WHERE structure_type <> 'artiste'")
            .fetchone()
        )
        latest = releases.latest(store)
    finally:
        store.close()
    assert latest is not None
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Structures inscrites"].replace(" ", "") == str(structures[0])
    assert metrics["Réponses publiées"].replace(" ", "") == str(latest.responses)
    assert len(at.dataframe) == 1
    assert not (tmp_path / "unused.duckdb").exists()


@pytest.mark.parametrize(
    ("page", "viewer"),
    [("pages/emploi.py", "coreps"), ("pages/administration.py", "admin")],
)
def test_postgres_app__a_dashboard_and_the_administration_render(
    run_app: Any, pg_demo: str, tmp_path: Path, page: str, viewer: str | None
) -> None:
    at = run_app(tmp_path / "unused.duckdb", page, viewer_key=viewer)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.dataframe or at.metric


def test_postgres_app__the_cached_store_follows_the_database_url(
    pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's store is cached per process: setting OPP_DATABASE_URL with the same
    OPP_DB must open PostgreSQL, not hand out the cached DuckDB store of that file."""
    from opp.ui import state

    monkeypatch.setenv("OPP_DB", str(tmp_path / "opp.duckdb"))
    monkeypatch.delenv("OPP_DATABASE_URL", raising=False)
    on_file = state.get_store()
    monkeypatch.setenv("OPP_DATABASE_URL", pg_database)
    on_server = state.get_store()
    try:
        assert not isinstance(on_file, PgStore)
        assert isinstance(on_server, PgStore)
        assert state.get_store() is on_server  # still one store per database
    finally:
        on_file.close()
        on_server.close()
