"""What the browser tests do again and again: wait for a script run, sign in, use the menu,
run axe-core on the page."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Locator, Page

PASSWORD = "demo-opp-occitanie"
MENU = ".st-key-opp-menu"  # the sidebar menu (opp.ui.navigation.MENU_KEY)
# axe-core (the copy shipped inside the pinned `axe-playwright-python` wheel: no download
# at test time), limited to the WCAG 2.1 A and AA rules (what the RGAA requires).
AXE_SCRIPT = AXE_FILE_PATH.read_text(encoding="utf-8")
AXE_RUN = """axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
})"""


def settled(page: Page) -> None:
    """Wait until the script run that the last action started has finished."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)


def menu(page: Page) -> Locator:
    return page.locator(MENU)


def menu_link(page: Page, path: str) -> Locator:
    """The menu's link to a page (`""` is Accueil)."""
    return menu(page).locator(f'a[href="{path}"]')


def menu_paths(page: Page) -> list[str]:
    return [link.get_attribute("href") or "" for link in menu(page).locator("a").all()]


def open_page(page: Page, path: str) -> None:
    """Open a page through the menu (a fresh address would start a new session)."""
    menu_link(page, path).click()
    settled(page)
    page.locator("h1").first.wait_for()


def sign_in(page: Page, url: str, account: str) -> None:
    """Sign in on Connexion and wait for the person's home page."""
    page.goto(f"{url}/connexion")
    settled(page)
    page.get_by_label("Adresse électronique").fill(account)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    menu_link(page, "emploi").wait_for()  # every signed-in role has the dashboards
    settled(page)


def axe_violations(page: Page, impacts: tuple[str, ...] = ("critical", "serious")) -> list[str]:
    """axe-core's WCAG 2.1 AA violations of these impacts on the page as it is now, one line
    each: rule, impact, how many elements, the first element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result: dict[str, Any] = page.evaluate(AXE_RUN)
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
