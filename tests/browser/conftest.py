"""Browser tests: Debian's Chromium driven by Playwright against a real OPP server.

Every test here is marked `browser` (skip them locally with `-m "not browser"`; CI runs
them all). On failure, the page's screenshot is saved in `test-results/browser/`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from browser.live_server import CHROMIUM, CHROMIUM_ARGS, ROOT, AppServer

SCREENSHOTS = ROOT / "test-results" / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def app_server(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """One server on a private copy of the demo region, shared by the flow tests."""
    folder = tmp_path_factory.mktemp("server")
    shutil.copy(demo_file, folder / "opp.duckdb")
    server = AppServer(folder / "opp.duckdb", folder / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield instance
    instance.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies, no storage) and its page."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    current = context.new_page()
    yield current
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        current.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser profile (its cookies shared by its tabs), French, desktop size."""
    created = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    yield created
    created.close()
