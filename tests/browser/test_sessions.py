"""Sessions that survive a reload (issue 16), in a real browser against `make run`'s
server: the sign-in cookie (HttpOnly, SameSite=Lax, an opaque random id), a reload, a
new tab and a bookmark keep the person signed in and on their page; a page opened
signed out by its address asks to sign in (in French) and comes back to it; signing out
ends the session in every tab; a draft's step survives a reload (autosave).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from browser.live_server import AppServer
from opp.services import web_session

PASSWORD = "demo-opp-occitanie"


@pytest.fixture(scope="module")
def server(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server of this module's own (its tests sign in and out and save drafts)."""
    folder = tmp_path_factory.mktemp("sessions")
    shutil.copy(demo_file, folder / "opp.duckdb")
    running = AppServer(folder / "opp.duckdb", folder / "server.log", env={"OPP_WARMUP": "0"})
    yield running
    running.stop()


def _settled(page: Page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)


def _title(page: Page, text: str) -> None:
    """Wait for the page whose title is `text`, fully drawn."""
    page.locator("h1", has_text=text).first.wait_for(timeout=120_000)
    _settled(page)


def _signed_in(page: Page) -> bool:
    """The menu offers the dashboards only to a signed-in person."""
    return page.locator(".st-key-opp-menu").locator('a[href$="emploi"]').count() > 0


def _expect_signed_in(page: Page) -> None:
    """Wait for the signed-in menu (a busy machine draws the sidebar a moment later)."""
    page.locator(".st-key-opp-menu").locator('a[href$="emploi"]').wait_for(timeout=60_000)


def _fill_sign_in(page: Page, account: str) -> None:
    page.get_by_label("Adresse électronique").fill(account)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _sign_in(page: Page, url: str, account: str) -> None:
    page.goto(f"{url}/connexion")
    _title(page, "Connexion")
    _fill_sign_in(page, account)
    page.locator(".st-key-opp-menu").locator('a[href$="emploi"]').wait_for(timeout=120_000)
    _settled(page)


def _session_cookie(context: BrowserContext) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == web_session.COOKIE_NAME), None)


def test_sessions__reload_new_tab_and_bookmark_keep_the_person_signed_in(
    server: AppServer, context: BrowserContext
) -> None:
    page = context.new_page()
    _sign_in(page, server.url, "coreps@demo.opp")
    cookie = _session_cookie(context)
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert len(cookie["value"]) >= 40  # 32 random bytes (only its hash is stored)
    assert page.evaluate("document.cookie").find(web_session.COOKIE_NAME) == -1
    # Streamlit's XSRF protection is still on (its cookie is set beside ours).
    assert any(c["name"] == "_streamlit_xsrf" for c in context.cookies())

    page.goto(f"{server.url}/participation")
    _title(page, "Participation")
    page.reload()
    _title(page, "Participation")
    assert page.url.endswith("/participation")
    _expect_signed_in(page)

    tab = context.new_page()
    tab.goto(f"{server.url}/emploi")  # a bookmark, or a link opened in a new tab
    _title(tab, "Emploi")
    _expect_signed_in(tab)
    assert tab.get_by_text("Page not found").count() == 0


def test_sessions__a_link_opened_signed_out_asks_to_sign_in_and_returns_to_that_page(
    server: AppServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/participation")
    _title(page, "Participation")
    assert page.get_by_text("Connectez-vous pour ouvrir la page « Participation »").count() == 1
    assert page.get_by_text("Page not found").count() == 0
    assert not _signed_in(page)
    _fill_sign_in(page, "agence@demo.opp")
    page.locator(".st-key-opp-menu").locator('a[href$="emploi"]').wait_for(timeout=120_000)
    _title(page, "Participation")
    assert page.url.endswith("/participation")
    assert page.get_by_text("Connectez-vous pour ouvrir").count() == 0
    page.reload()
    _title(page, "Participation")
    _expect_signed_in(page)


def test_sessions__signing_out_ends_the_session_in_every_tab(
    server: AppServer, context: BrowserContext
) -> None:
    page = context.new_page()
    _sign_in(page, server.url, "coreps@demo.opp")
    other = context.new_page()
    other.goto(f"{server.url}/emploi")
    _title(other, "Emploi")
    _expect_signed_in(other)
    stolen = _session_cookie(context)

    page.goto(f"{server.url}/compte")
    _title(page, "Mon compte")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{server.url}/connexion", timeout=60_000)
    _title(page, "Connexion")
    assert not _signed_in(page)
    assert _session_cookie(context) is None  # the browser dropped it

    other.reload()  # the other tab: signed out too, on the same page
    _title(other, "Emploi")
    assert not _signed_in(other)
    assert other.get_by_text("Connectez-vous pour ouvrir la page « Emploi »").count() == 1

    # A copy of the old cookie opens nothing: the session ended on the server.
    context.add_cookies([{**stolen}])
    other.reload()
    _title(other, "Emploi")
    assert not _signed_in(other)


def test_sessions__a_drafts_unsaved_step_survives_a_reload(
    server: AppServer, context: BrowserContext
) -> None:
    page = context.new_page()
    _sign_in(page, server.url, "cirque-draft@demo.opp")
    page.goto(f"{server.url}/repondre")
    _title(page, "Répondre au questionnaire")
    field = page.locator('input[aria-label^="Volontaires en service civique"]')
    field.fill("3")
    field.press("Tab")
    page.get_by_text("Brouillon enregistré automatiquement").wait_for(timeout=60_000)
    _settled(page)

    page.reload()
    _title(page, "Répondre au questionnaire")
    _expect_signed_in(page)
    field = page.locator('input[aria-label^="Volontaires en service civique"]')
    assert field.input_value() == "3"
