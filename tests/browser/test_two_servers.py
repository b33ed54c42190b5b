"""Two app servers on one PostgreSQL (issue 20), in a real browser: the shape of a
deployment behind a reverse proxy, where a person's next visit may reach another server.

Both servers run `make run`'s command with the same `OPP_DATABASE_URL` and nothing else
in common (no shared secret in the environment: the keyed-hash key is kept in the
database). A browser's cookies belong to the host, not the port, so the sign-in cookie
set by one server is presented to the other, exactly as behind a proxy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import pg_copy
from playwright.sync_api import BrowserContext, Page

from browser.helpers import menu_link, settled, sign_in
from browser.live_server import AppServer


@pytest.fixture(scope="module")
def servers(
    pg_cluster: Any, pg_demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AppServer, AppServer]]:
    copies = pg_copy(pg_cluster, pg_demo_template)
    url = next(copies)
    folder = tmp_path_factory.mktemp("two_servers")
    env = {"OPP_DATABASE_URL": url, "OPP_WARMUP": "0"}
    first = AppServer(folder / "unused.duckdb", folder / "first.log", env=env)
    try:
        second = AppServer(folder / "unused.duckdb", folder / "second.log", env=env)
    except BaseException:
        first.stop()
        raise
    yield first, second
    try:
        first.stop()
    finally:
        second.stop()
        next(copies, None)
    assert not (folder / "unused.duckdb").exists()  # the store was PostgreSQL, not a file


def _title(page: Page, text: str) -> None:
    page.locator("h1", has_text=text).first.wait_for(timeout=120_000)
    settled(page)


def test_two_servers__signed_in_on_one_signed_in_on_the_other_signed_out_everywhere(
    servers: tuple[AppServer, AppServer], context: BrowserContext
) -> None:
    first, second = servers
    page = context.new_page()
    sign_in(page, first.url, "coreps@demo.opp")

    # The next request reaches the other server: the same person, on the page asked for,
    # with the figures the first server shows (one release, one disclosure layer).
    other = context.new_page()
    other.goto(f"{second.url}/emploi")
    _title(other, "Emploi")
    menu_link(other, "emploi").wait_for(timeout=60_000)
    assert other.get_by_text("Connectez-vous pour ouvrir").count() == 0
    page.goto(f"{first.url}/emploi")
    _title(page, "Emploi")
    metrics = '[data-testid="stMetricValue"]'
    for shown in (page, other):  # the KPI cards of the page's first section
        shown.bring_to_front()
        shown.locator(metrics).nth(2).wait_for(timeout=120_000)
    first_cards = page.locator(metrics).all_inner_texts()[:3]
    assert first_cards == other.locator(metrics).all_inner_texts()[:3]
    assert all(first_cards)

    # Signing out through the second server ends the session on the first one too.
    other.goto(f"{second.url}/compte")
    _title(other, "Mon compte")
    other.get_by_role("button", name="Se déconnecter").first.click()
    settled(other)
    page.goto(f"{first.url}/participation")
    _title(page, "Participation")
    assert page.get_by_text("Connectez-vous pour ouvrir la page « Participation »").count() == 1
    assert menu_link(page, "emploi").count() == 0
