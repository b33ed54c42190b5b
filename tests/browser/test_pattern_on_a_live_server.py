"""A catastrophic pattern and a 34-character answer, typed in a real browser on a real
server, must not freeze it (issue 15, item 6).

Under Python's backtracking `re`, the classic e-mail pattern below took minutes on such
an answer while holding the interpreter: the health endpoint stopped answering and
SIGTERM was ignored. With RE2 the answer is refused at once with the questionnaire's
message, and a thread polling the health endpoint throughout never misses an answer.
"""

from __future__ import annotations

import datetime as dt
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser.helpers import settled
from browser.live_server import AppServer
from opp import clock, instance
from opp.access.viewer import Role, Viewer
from opp.questionnaire.catalogue import load_catalogue
from opp.questionnaire.loader import load_text
from opp.services import auth, campaigns, invitations, membership, organisations
from opp.store import open_store, questionnaires

ADMIN = Viewer(role=Role.ADMIN, account_id="admin", name="Agence")
PASSWORD = "une phrase de passe assez longue"
EMAIL = (
    r"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}"
    r"(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$"
)
ANSWER = "a" * 33 + "!"
FORM = f"""
id: contact
filiere: cirque
title: Contact de la structure
version: 1.0.0
sections:
  - id: s1
    title: Contact
    questions:
      - id: courriel
        type: text
        label: Courriel de contact
        required: true
        constraint: 'regex(., ''{EMAIL}'')'
        constraint_message: Adresse non valide, par exemple nom@domaine.fr
  - id: s2
    title: Fin
    questions:
      - id: remarque
        type: text
        label: Remarque
"""


def _instance(db: Path) -> str:
    """A real instance with one structure invited to a campaign on that questionnaire;
    returns the structure's person's address."""
    store = open_store(db)
    try:
        instance.init_empty(store, load_catalogue().all())
        form = load_text(FORM, "contact.yaml").questionnaire
        questionnaires.publish(store, form)
        campaign = campaigns.create(
            store,
            ADMIN,
            filiere="cirque",
            questionnaire_id=form.id,
            questionnaire_version=form.version,
            reference_year=clock.today().year - 1,
            title_fr="Contact",
            title_en=None,
            opens_on=clock.today() - dt.timedelta(days=1),
            closes_on=clock.today() + dt.timedelta(days=20),
        )
        org = organisations.create(
            store, ADMIN, name="Cie Motif", structure_type="compagnie", filieres=["cirque"]
        )
        invitations.invite(store, ADMIN, campaign.id, [org.id])
        person = membership.invite(
            store, ADMIN, email="motif@example.org", display_name="Motif", organisation_id=org.id
        ).account
        token, _ = auth.mint_token(store, person.id, "invitation")
        auth.set_password_with_token(store, token, "invitation", PASSWORD, PASSWORD)
    finally:
        store.close()
    return "motif@example.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    folder = tmp_path_factory.mktemp("pattern")
    address = _instance(folder / "opp.duckdb")
    live = AppServer(folder / "opp.duckdb", folder / "server.log")
    yield live, address
    live.stop()


class HealthWatch(threading.Thread):
    """Polls the health endpoint until stopped; counts the polls that got no answer."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = f"{url}/_stcore/health"
        self.polls = 0
        self.missed = 0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=10) as reply:
                    ok = reply.status == 200
            except OSError:
                ok = False
            self.polls += 1
            self.missed += 0 if ok else 1
            self.halt.wait(0.2)


def test_pattern__a_catastrophic_answer_is_refused_and_the_server_keeps_answering(
    server: tuple[AppServer, str], page: Page
):
    live, address = server
    page.goto(f"{live.url}/connexion")
    page.get_by_label("Adresse électronique").fill(address)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # A contributor lands on Répondre, their home page, once signed in.
    field = page.get_by_label("Courriel de contact")
    expect(field).to_be_visible(timeout=60_000)

    watch = HealthWatch(live.url)
    watch.start()
    try:
        field.fill(ANSWER)
        field.press("Enter")
        settled(page)  # Enter reruns the page: a click during that rerun may be lost
        page.get_by_role("button", name="Enregistrer et continuer").click()
        # The questionnaire's own message (its "@" carries a word joiner against auto-links).
        refusal = page.get_by_text("Adresse non valide, par exemple nom").first
        expect(refusal).to_be_visible(timeout=60_000)
        settled(page)
        # The same person corrects the answer: accepted, the next step opens.
        field.fill("contact@ciemotif.fr")
        field.press("Enter")
        settled(page)
        page.get_by_role("button", name="Enregistrer et continuer").click()
        expect(page.get_by_label("Remarque")).to_be_visible(timeout=60_000)
    finally:
        watch.halt.set()
        watch.join(timeout=30)
    assert watch.polls >= 1
    assert watch.missed == 0
    assert live.healthy()
