"""Accessibility (WCAG 2.1 AA, what the RGAA requires of French public bodies), checked by
axe-core in Chromium on every page of every role: zero critical and zero serious
violations. Before: captions at 3.8:1 contrast on every page, invalid list markup in the
sidebar menu, `<html lang="en">` on a French interface, every tab titled "OPP".
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from browser.helpers import axe_violations, menu, menu_paths, open_page, settled, sign_in
from browser.live_server import AppServer
from opp.ui.navigation import PAGES
from opp.ui.strings import t

TITLES = {spec.url_path: t(spec.title, "fr") for spec in PAGES}
TITLES[""] = TITLES["accueil"]


@pytest.mark.parametrize(
    "account",
    [
        None,
        "agence@demo.opp",
        "coreps@demo.opp",
        "coordination.cirque@demo.opp",
        "cirque-draft@demo.opp",
    ],
)
def test_every_page__no_critical_or_serious_violation(
    app_server: AppServer, page: Page, account: str | None
) -> None:
    if account is None:
        page.goto(f"{app_server.url}/connexion")
        settled(page)
        menu(page).locator("a").first.wait_for()
    else:
        sign_in(page, app_server.url, account)
    found: dict[str, list[str]] = {}
    paths = menu_paths(page)
    assert paths
    for path in paths:
        open_page(page, path)
        if path in ("emploi", "egalite", "diffusion", "economie", "participation"):
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        found[path] = axe_violations(page)
        assert page.evaluate("document.documentElement.lang") == "fr", path
        assert page.title() == f"{TITLES[path]} · OPP", path
    assert found == {path: [] for path in paths}
