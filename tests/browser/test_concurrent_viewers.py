"""Ten people opening every dashboard at once (a Coreps meeting, a campaign deadline)
must not freeze the server.

Each session signs in in its own browser context and walks every dashboard page through
the menu, all ten at the same time, against a freshly started server (cold caches). The
test fails if a session cannot finish within a generous limit, if a page shows an error,
or if the health endpoint stops answering at any moment during or after the walk.
Before the fix, Python callbacks inside Polars expressions (`map_elements`) run from
several script threads deadlocked Polars' thread pool and the whole process.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright

from browser.live_server import CHROMIUM, CHROMIUM_ARGS, AppServer
from opp.indicators.catalogue import load_indicators
from opp.indicators.dashboards import load_dashboards
from opp.ui.strings import t

SESSIONS = 10
LIMIT = 300  # seconds for the whole walk: ~10× what it takes on 2 cores (liveness, not timing)
ACCOUNTS = ("coreps@demo.opp", "agence@demo.opp")
PASSWORD = "demo-opp-occitanie"
# (menu entry, page heading) of every dashboard page
DASHBOARDS = [
    (t(f"nav.{name.replace('filiere_', 'filiere.')}", "fr"), page.title.get("fr"))
    for name, page in load_dashboards(load_indicators()).dashboards.items()
]


@pytest.fixture(scope="module")
def cold_server(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("concurrent")
    shutil.copy(demo_file, folder / "opp.duckdb")
    server = AppServer(folder / "opp.duckdb", folder / "server.log")
    yield server
    server.stop()


async def _settled(page: Page) -> None:
    """Wait until the script run that the last action started has finished."""
    await page.wait_for_timeout(250)
    await page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=0)


async def _walk(browser: object, url: str, account: str, seen: list[tuple[str, int]]) -> None:
    context = await browser.new_context(locale="fr-FR")  # type: ignore[attr-defined]
    context.set_default_timeout(0)  # no per-action limit: the whole walk has one (LIMIT)
    page = await context.new_page()
    await page.goto(f"{url}/connexion")
    await page.get_by_label("Adresse électronique").fill(account)
    await page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await _settled(page)
    menu = page.locator(".st-key-opp-menu")
    for entry, title in DASHBOARDS:
        await menu.get_by_role("link", name=entry, exact=True).click()
        await page.get_by_role("heading", level=1, name=title, exact=True).wait_for()
        await _settled(page)
        errors = await page.get_by_test_id("stAlertContentError").count()
        seen.append((title, errors))
    await context.close()


async def _all_sessions(url: str, seen: list[tuple[str, int]]) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        walks = (_walk(browser, url, ACCOUNTS[i % len(ACCOUNTS)], seen) for i in range(SESSIONS))
        try:
            await asyncio.wait_for(asyncio.gather(*walks), LIMIT)
        finally:
            await browser.close()


def test_dashboards__ten_concurrent_viewers_never_freeze_the_server(cold_server: AppServer) -> None:
    seen: list[tuple[str, int]] = []
    failures: list[BaseException] = []
    silent: list[float] = []

    def sessions() -> None:
        try:  # a thread of its own: asyncio.run needs a thread without an event loop
            asyncio.run(_all_sessions(cold_server.url, seen))
        except BaseException as err:  # noqa: BLE001 (reported below)
            failures.append(err)

    walker = threading.Thread(target=sessions, daemon=True)
    walker.start()
    while walker.is_alive():
        if not cold_server.healthy(timeout=20):
            silent.append(time.monotonic())
        walker.join(timeout=2)

    assert not silent, f"the health endpoint stopped answering:\n{cold_server.tail()}"
    assert not failures, f"{failures[0]!r}\n{cold_server.tail()}"
    assert len(seen) == SESSIONS * len(DASHBOARDS)
    assert [title for title, errors in seen if errors] == [], "pages showed an error box"
    assert cold_server.healthy()
