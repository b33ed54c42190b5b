"""Every page loads on demo data, for every kind of viewer, without any error shown."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BACKENDS, pg_copy

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
VIEWERS = ["admin", "coreps", "coord:cirque", "contrib:cirque", None]  # None: signed out


def test_pages__every_page_is_in_the_navigation():
    from opp.ui.navigation import PAGES as MENU

    assert sorted(spec.path for spec in MENU) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_pages__every_page_leaves_legacy_pages_mode(page):
    """A deep link opened first after a start must still go through app.py."""
    tree = ast.parse((ROOT / page).read_text(encoding="utf-8"))
    calls = [
        node.value.func.id
        for node in tree.body
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
    ]
    assert calls, f"{page} calls nothing"
    assert calls[0] in {"require_shell", "render_dashboard"}
    if calls[0] == "render_dashboard":  # a declared dashboard: its renderer starts so
        from opp.ui import declared

        body = ast.parse(Path(declared.__file__).read_text(encoding="utf-8"))
        render = next(
            n for n in body.body if isinstance(n, ast.FunctionDef) and n.name == "render_dashboard"
        )
        first = render.body[1]  # after the docstring
        assert isinstance(first, ast.Expr)
        assert first.value.func.id == "require_shell"


@pytest.fixture(scope="module")
def pg_demo_url(pg_cluster: Any, pg_demo_template: str) -> Iterator[str]:
    """One copy of the demo region in PostgreSQL for this module's page runs (as
    `demo_file` is one DuckDB file for all of them)."""
    yield from pg_copy(pg_cluster, pg_demo_template)


@pytest.fixture(params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The database the app opens: the demo file; on PostgreSQL, `OPP_DATABASE_URL`
    names the copy of the demo region (it wins over the file, which is never created)."""
    if request.param == "postgres":
        monkeypatch.setenv("OPP_DATABASE_URL", request.getfixturevalue("pg_demo_url"))
        unused = request.getfixturevalue("tmp_path") / "unused.duckdb"
        yield unused
        assert not unused.exists(), "the app opened the DuckDB file, not PostgreSQL"
    else:
        monkeypatch.delenv("OPP_DATABASE_URL", raising=False)
        yield request.getfixturevalue("demo_file")


def _visible(db: Path, page: str, viewer_key: str | None) -> bool:
    from conftest import demo_viewer

    from opp.ui.navigation import PAGES as MENU
    from opp.ui.navigation import visible

    viewer = demo_viewer(db, viewer_key) if viewer_key else None
    return visible(next(spec for spec in MENU if spec.path == page), viewer)


@pytest.mark.parametrize("viewer_key", VIEWERS)
@pytest.mark.parametrize("page", PAGES)
def test_pages__load_without_error(run_app, run_page_alone, demo_db, page, viewer_key):
    """Through the menu when offered; by its address otherwise (then it explains). On the
    DuckDB file and on PostgreSQL: every query of every page runs on both engines."""
    if _visible(demo_db, page, viewer_key):
        at = run_app(demo_db, page, viewer_key=viewer_key)
    else:
        at = run_page_alone(demo_db, page, viewer_key=viewer_key)
        assert at.info or at.warning, "a page out of the menu says why it shows nothing"
        assert not at.metric
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
