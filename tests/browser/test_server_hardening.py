"""The server as `make run` starts it (`streamlit run asgi.py`), seen by a real browser.

- Every HTTP answer carries the security headers (content security policy, no framing
  by other sites, no MIME sniffing, no referrer to other sites), and Streamlit's XSRF
  protection is still on.
- Every page of every role renders under that policy (charts included) without a single
  violation, and no page makes the browser contact any other host (the page icon used
  to come from Google's font server).
- The first visitor after a start while another program holds the database gets a clear
  page (before: a blank page listing the raw file names of pages/), without the server's
  path or process id, and reaches OPP once the file is free.
- The dashboards' data are built at server start: the first visitor is served warm; a
  visitor who triggers the build sees a notice meanwhile.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser.live_server import AppServer
from opp.indicators.catalogue import load_indicators
from opp.indicators.dashboards import load_dashboards
from opp.ui.navigation import PAGES
from opp.ui.strings import t

PASSWORD = "demo-opp-occitanie"
EMPLOI_TITLE = load_dashboards(load_indicators()).get("emploi").title.get("fr")
# Collects what the content security policy blocked, from the first byte of each page.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""
# Collects the text of every alert that ever appeared (even for a moment).
RECORD_ALERTS = """
window.__alerts = [];
new MutationObserver(() => {
  for (const el of document.querySelectorAll('[data-testid="stAlertContainer"]')) {
    if (!window.__alerts.includes(el.innerText)) window.__alerts.push(el.innerText);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def _settled(page: Page) -> None:
    """Wait until the script run that the last action started has finished."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)


def _sign_in(page: Page, url: str, account: str) -> None:
    page.goto(f"{url}/connexion")
    _settled(page)
    page.get_by_label("Adresse électronique").fill(account)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # Signed in once the menu offers the dashboards (every signed-in role has them).
    page.locator('.st-key-opp-menu a[href="emploi"]').wait_for()
    _settled(page)


def _headers(url: str, method: str = "GET") -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}


def test_server__every_answer_carries_the_security_headers(app_server: AppServer) -> None:
    with urllib.request.urlopen(app_server.url) as reply:
        static = re.search(r'src="\./(static/js/[^"]+)"', reply.read().decode())
    assert static
    for path in ("/", "/emploi", "/_stcore/health", f"/{static.group(1)}", "/nope"):
        status, headers = _headers(app_server.url + path)
        assert status in (200, 404), path
        policy = headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy, path
        assert "frame-ancestors 'self'" in policy, path
        assert "'unsafe-eval'" not in policy
        assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy
        assert headers.get("x-frame-options") == "SAMEORIGIN", path
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "same-origin", path
        # Plain HTTP (a proxy adds HTTPS): no HSTS here, it would pin localhost.
        assert "strict-transport-security" not in headers


def test_server__xsrf_protection_refuses_an_upload_without_its_token(app_server: AppServer):
    status, _ = _headers(f"{app_server.url}/_stcore/upload_file/some-session/some-file", "PUT")
    assert status == 403  # with the protection off, the same request reaches the session check


@pytest.mark.parametrize("account", ["agence@demo.opp", "cirque-draft@demo.opp"])
def test_pages__render_under_the_policy_without_contacting_another_host(
    app_server: AppServer, page: Page, account: str
) -> None:
    page.add_init_script(RECORD_VIOLATIONS)
    elsewhere: list[str] = []
    page.context.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((app_server.url, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )
    _sign_in(page, app_server.url, account)
    nav = page.locator(".st-key-opp-menu")
    paths = [link.get_attribute("href") or "" for link in nav.get_by_role("link").all()]
    assert len(paths) >= 10, paths
    titles = {spec.url_path: t(spec.title, "fr") for spec in PAGES}
    charts: dict[str, int] = {}
    for path in paths:
        nav.locator(f'a[href="{path}"]').click()
        _settled(page)
        page.locator("h1").first.wait_for()
        assert page.get_by_test_id("stException").count() == 0, path
        assert page.get_by_test_id("stAlertContentError").count() == 0, path
        if path in ("emploi", "egalite", "diffusion", "economie", "participation", ""):
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        charts[path or titles["accueil"]] = page.locator(".js-plotly-plot").count()
    assert all(charts[p] > 0 for p in ("emploi", "egalite", "diffusion", "economie")), charts
    assert page.evaluate("window.__cspViolations") == []
    assert elsewhere == []
    icon = page.locator("link[rel*='icon']").first.get_attribute("href") or ""
    assert icon.startswith((app_server.url, "/", "./", "data:")), icon


HOLDER = """
import sys, time
import duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
time.sleep(600)
"""


@pytest.fixture
def held_database(demo_file: Path, tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    """A copy of the demo region held open by another process (a CLI task, a second OPP)."""
    db = tmp_path / "opp.duckdb"
    shutil.copy(demo_file, db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "ready"
    yield db, holder
    holder.kill()
    holder.wait()


def test_locked_database__the_first_visitor_gets_a_clear_page_then_opp(
    held_database: tuple[Path, subprocess.Popen], page: Page, tmp_path: Path
) -> None:
    db, holder = held_database
    server = AppServer(db, tmp_path / "server.log")
    try:
        page.goto(f"{server.url}/emploi")  # a deep link, the first request after the start
        page.get_by_text("OPP est momentanément indisponible").wait_for()
        _settled(page)
        text = page.locator("body").inner_text()
        assert "OPP est momentanément indisponible" in text
        assert str(holder.pid) not in text
        assert str(db.parent) not in text
        # Before: Streamlit's fallback menu of the raw page files.
        for raw in ("filiere_arts_de_la_rue", "mes_donnees", "accueil"):
            assert raw not in text
        assert page.locator(".st-key-opp-menu").count() == 0
        log = server.tail(200)
        assert f"process {holder.pid}" in log
        assert str(db) in log

        holder.kill()
        holder.wait()
        page.get_by_role("button", name="Réessayer").click()
        _settled(page)
        page.get_by_role("heading", level=1).first.wait_for()
        body = page.locator("body").inner_text()
        assert "indisponible" not in body
        assert page.locator(".st-key-opp-menu").count() == 1
    finally:
        server.stop()


def _first_dashboard(server: AppServer, page: Page) -> list[str]:
    """Sign in as the Coreps, open Emploi; the alerts that appeared on the way."""
    page.add_init_script(RECORD_ALERTS)
    _sign_in(page, server.url, "coreps@demo.opp")
    page.locator('.st-key-opp-menu a[href="emploi"]').click()
    _settled(page)
    page.get_by_role("heading", level=1, name=EMPLOI_TITLE).wait_for()
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    return page.evaluate("window.__alerts")


def test_warm_up__the_first_visitor_finds_the_dashboards_data_ready(
    demo_file: Path, page: Page, tmp_path: Path
) -> None:
    shutil.copy(demo_file, tmp_path / "cold.duckdb")
    shutil.copy(demo_file, tmp_path / "warm.duckdb")
    notice = t("data.preparing", "fr")

    cold = AppServer(tmp_path / "cold.duckdb", tmp_path / "cold.log", env={"OPP_WARMUP": "0"})
    try:
        seen = _first_dashboard(cold, page)
    finally:
        cold.stop()
    assert any(notice in alert for alert in seen)  # built on demand: the visitor is told

    warm = AppServer(tmp_path / "warm.duckdb", tmp_path / "warm.log")
    try:
        deadline = time.monotonic() + 120
        while "warm-up done" not in warm.tail(50):
            assert time.monotonic() < deadline, warm.tail()
            time.sleep(0.2)
        page.context.clear_cookies()
        seen = _first_dashboard(warm, page.context.new_page())
    finally:
        warm.stop()
    assert not any(notice in alert for alert in seen)  # already built at start
