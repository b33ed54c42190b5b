"""What a sector professional does, in a real browser on a real server (one server for
this module, on its own copy of the demo region, since these flows write).

Sessions live in the browser tab (issue 16 brings sessions kept across reloads), so every
flow moves through the menu, never by typing a new address after signing in.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser.helpers import axe_violations, menu, menu_paths, open_page, settled, sign_in
from browser.live_server import AppServer
from opp.access.viewer import Role, Viewer
from opp.ui.navigation import PAGES, visible


@pytest.fixture(scope="module")
def server(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("flows")
    shutil.copy(demo_file, folder / "opp.duckdb")
    instance = AppServer(folder / "opp.duckdb", folder / "server.log")
    yield instance
    instance.stop()


@pytest.mark.parametrize(
    ("account", "viewer", "home", "identity"),
    [
        ("agence@demo.opp", Viewer(Role.ADMIN), "administration", "Occitanie en scène"),
        ("coreps@demo.opp", Viewer(Role.COREPS), "", "Membre du Coreps"),
        (
            "coordination.cirque@demo.opp",
            Viewer(Role.COORDINATEUR, filiere="cirque"),
            "filiere_cirque",
            "Coordination de filière · Arts du cirque",
        ),
        (
            "cirque-draft@demo.opp",
            Viewer(Role.CONTRIBUTEUR, filiere="cirque"),
            "repondre",
            "Contributeur·rice",
        ),
    ],
)
def test_sign_in__each_role_reaches_its_home_with_every_page_in_the_menu(
    server: AppServer, page: Page, account: str, viewer: Viewer, home: str, identity: str
) -> None:
    sign_in(page, server.url, account)
    # Before: the person stayed on the sign-in page.
    assert page.url == f"{server.url}/{home}"
    # Every page of the role is listed (before: "View 3 more" hid Administration).
    expected = [spec.url_path for spec in PAGES if visible(spec, viewer)]
    assert menu_paths(page) == ["" if p == "accueil" else p for p in expected]
    assert page.get_by_role("button", name="View").count() == 0
    sidebar = page.get_by_test_id("stSidebarUserContent").inner_text()
    assert identity in sidebar
    first_line = sidebar.splitlines()[0]
    assert first_line.count(first_line) == 1
    assert "Membre du Coreps — Membre du Coreps" not in sidebar
    assert "(agence) (" not in sidebar


def test_contributor__error_shown_once_fixed_next_step_from_its_top_then_submitted(
    server: AppServer, page: Page
) -> None:
    sign_in(page, server.url, "cirque-draft@demo.opp")
    page.get_by_role("heading", name="Emploi", exact=True).wait_for()
    total = page.get_by_role("spinbutton", name="Salarié·es permanent·es au 31 décembre")
    cdi = page.get_by_role("spinbutton", name="dont en CDI (personnes)")
    kept = cdi.input_value()
    cdi.fill(str(int(total.input_value()) + 7))
    cdi.press("Tab")
    settled(page)
    page.get_by_role("button", name="Enregistrer et continuer").click()
    settled(page)
    page.get_by_test_id("stAlertContainer").filter(has_text="à corriger").wait_for()
    # the message under the question is drawn after the one at the top of the step
    page.get_by_test_id("stAlertContainer").filter(has_text="CDI + CDD").first.wait_for()
    alerts = page.get_by_test_id("stAlertContainer").all_inner_texts()
    rule = [a for a in alerts if "CDI + CDD" in a]
    # Before: the same message 8 times under "4 réponses à corriger".
    assert len(rule) == 1, alerts
    assert any("1 réponse à corriger" in a for a in alerts), alerts
    # Fixed: back to the draft's value, where the parts add up to the total.
    cdi.fill(kept)
    cdi.press("Tab")
    settled(page)
    page.get_by_role("button", name="Enregistrer et continuer").click()
    settled(page)
    page.get_by_role("heading", name="Emploi", exact=True).wait_for(state="detached")
    # The corrected step's message goes with it (the previous step's elements can linger
    # a moment after the next one is drawn: waited for, at most 10 s, never ignored).
    expect(page.get_by_test_id("stAlertContainer").filter(has_text="CDI")).to_have_count(
        0, timeout=10_000
    )
    # The next step opens at its top (before: scrolled to its bottom).
    page.wait_for_timeout(500)
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") == 0
    _submit_then_reload(page)


def _submit_then_reload(page: Page) -> None:
    """Go through the remaining steps (an empty one is confirmed empty, not passed
    through), submit, reload: the submitted state with a progress that adds up."""
    main = page.get_by_test_id("stMain")
    continue_ = page.get_by_role("button", name="Enregistrer et continuer").last
    review = page.get_by_role("heading", name="Relecture et envoi")
    # A step's elements can linger a moment after the next one is drawn: the last is current.
    nothing = page.get_by_role("checkbox", name="Rien à déclarer pour cette section").last
    confirmed = 0
    for _ in range(30):
        continue_.or_(review).first.wait_for()
        if review.count():
            break
        if nothing.count() and not nothing.is_checked():
            page.get_by_text("Rien à déclarer pour cette section", exact=True).last.click()
            settled(page)
            confirmed += 1
        # A click right after a run can be lost while the page settles (the loop retries).
        page.wait_for_timeout(1000)
        with contextlib.suppress(PlaywrightTimeout):  # the review page came meanwhile
            continue_.click(timeout=5_000)
        settled(page)
    assert review.count(), main.inner_text()[:600]
    assert confirmed  # the demo draft leaves steps empty
    assert "à terminer" not in _alerts(page), _alerts(page)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    settled(page)
    page.get_by_text("Merci ! Vos réponses sont enregistrées.", exact=False).wait_for()
    page.reload()
    settled(page)
    page.get_by_text("· envoyée").wait_for()
    # Before: "envoyée" next to "2 étape(s) complète(s) sur 8".
    steps = page.get_by_text(re.compile(r"\d+ étapes? terminées? sur \d+")).first
    steps.wait_for()
    done, total = re.findall(r"\d+", steps.inner_text())[:2]
    assert done == total, steps.inner_text()
    assert "rien à déclarer" in main.inner_text()


def _alerts(page: Page) -> str:
    return "\n".join(page.get_by_test_id("stAlertContainer").all_inner_texts())


def _alerts(page: Page) -> str:
    return "\n".join(page.get_by_test_id("stAlertContainer").all_inner_texts())


def test_dashboard__a_table_downloads_as_csv(server: AppServer, page: Page) -> None:
    sign_in(page, server.url, "coreps@demo.opp")
    open_page(page, "emploi")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger (CSV)").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header = text.splitlines()[0]
    assert "Filière" in header
    assert len(text.splitlines()) > 2


def test_ma_fiche__html_and_pdf_reports_download(server: AppServer, page: Page) -> None:
    sign_in(page, server.url, "cirque-carry-forward@demo.opp")
    open_page(page, "ma_fiche")
    with page.expect_download() as html:
        page.get_by_role("button", name="Télécharger (HTML, hors ligne)").click()
    body = Path(html.value.path()).read_text(encoding="utf-8")
    assert body.lstrip().lower().startswith("<!doctype html") or "<html" in body[:200]
    assert "Plotly" in body
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Télécharger (PDF)").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")


def test_mes_donnees__export_everything_as_json(server: AppServer, page: Page) -> None:
    sign_in(page, server.url, "cirque-carry-forward@demo.opp")
    open_page(page, "mes_donnees")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tout (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["organisation"]["name"]
    assert data["responses"]


def test_administration__every_tab_opens_without_error_and_passes_axe(
    server: AppServer, page: Page
) -> None:
    sign_in(page, server.url, "agence@demo.opp")
    tabs = page.get_by_role("tab")
    names = tabs.all_inner_texts()
    assert len(names) >= 8, names
    problems: dict[str, list[str]] = {}
    for index, name in enumerate(names):
        tabs.nth(index).click()
        settled(page)
        assert page.get_by_test_id("stException").count() == 0, name
        problems[name] = axe_violations(page)
    assert problems == {name: [] for name in names}


def test_english__menu_title_and_page_language_follow(server: AppServer, page: Page) -> None:
    sign_in(page, server.url, "coreps@demo.opp")
    assert page.evaluate("document.documentElement.lang") == "fr"
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    settled(page)
    menu(page).get_by_text("Employment", exact=True).wait_for()
    assert _until(lambda: page.evaluate("document.documentElement.lang") == "en")
    assert page.title() == "Home · OPP"
    open_page(page, "emploi")
    assert page.title() == "Employment · OPP"
    assert page.get_by_role("heading", level=1).first.inner_text() == "Employment"


def _field(page: Page, key: str, kind: str = "textarea") -> Locator:
    """The input of the widget with this Streamlit key."""
    return page.locator(f".st-key-{key} {kind}").first


def test_codesign__a_coordinator_proposes_a_question_then_votes_for_it(
    server: AppServer, page: Page
) -> None:
    sign_in(page, server.url, "coordination.cirque@demo.opp")
    open_page(page, "coconstruction")
    page.get_by_role("tab", name="Proposer un changement").click()
    settled(page)
    prefix = "cd_cirque_add"
    _field(page, f"{prefix}_id", "input").fill("cir_navettes")
    _field(page, f"{prefix}_id", "input").press("Tab")
    _field(page, f"{prefix}_label_fr").fill("Navettes de public organisées")
    _field(page, f"{prefix}_label_en").fill("Audience shuttles organised")
    _field(page, f"{prefix}_rationale").fill("Le public rural vient en navette : comptons-les.")
    _field(page, f"{prefix}_rationale").press("Tab")
    settled(page)
    page.locator(f".st-key-{prefix}_submit button").click()
    settled(page)
    page.get_by_text("Proposition déposée").wait_for()
    page.get_by_role("tab", name="Propositions").click()
    settled(page)
    page.get_by_text("Navettes de public organisées").first.wait_for()
    card = page.get_by_test_id("stVerticalBlock").filter(has_text="cir_navettes").last
    card.get_by_text("Pour", exact=True).click()
    settled(page)
    card.get_by_role("button", name="Voter").click()
    settled(page)
    # The vote is stored and shown on the card (the one-off "Vote enregistré" message can
    # be gone by the time the page settles).
    card.get_by_text("Votre vote : Pour").wait_for()
    card.get_by_text("Pour 1").wait_for()


def _width(locator: Locator) -> float:
    return (locator.bounding_box() or {}).get("width", 0)


def _until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    """Poll a condition (the page's security policy forbids Playwright's string
    predicates, which it evaluates with eval)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_mobile__the_menu_closes_after_choosing_a_page_and_nothing_overflows(
    browser: Browser, server: AppServer
) -> None:
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        sign_in(page, server.url, "coreps@demo.opp")
        sidebar = page.get_by_test_id("stSidebar")
        page.get_by_test_id("stExpandSidebarButton").click()
        _until(lambda: _width(sidebar) > 0)
        menu(page).locator('a[href="emploi"]').click()
        settled(page)
        page.get_by_role("heading", level=1, name="Emploi").wait_for()
        # Before (our menu of links): the menu stayed open over the page.
        assert _until(lambda: _width(sidebar) == 0)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
        # The table under the first chart keeps its figures in view: the grid lists the
        # columns it draws on screen, and the column after the figures' one is among
        # them (before: "Filière" and "Série" took the width, the numbers were off-screen).
        table = page.get_by_test_id("stDataFrame").first
        table.scroll_into_view_if_needed()
        table.locator("th").first.wait_for(state="attached")
        headers = table.locator("th").all_inner_texts()
        assert headers[:2] == ["Filière", "Série"], headers
        assert "Part (%)" in headers, headers
    finally:
        context.close()
