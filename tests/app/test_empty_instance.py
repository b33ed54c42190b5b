"""An agency's own instance (`init --empty` + `create-admin`): every page of every role
renders, and nothing demo-specific (demo accounts, sign-in buttons, demo texts) shows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from opp import clock, instance
from opp.access.viewer import Role, Viewer
from opp.services import auth, campaigns, invitations, membership, organisations
from opp.store import open_store, outbox
from opp.ui.navigation import PAGES

APP = Path(__file__).resolve().parents[2] / "app.py"

DEMO_WORDS = re.compile(r"d[ée]mo|make run|barre latérale|sidebar", re.IGNORECASE)


@pytest.fixture(scope="module")
def real_instance(tmp_path_factory, catalogue) -> tuple[Path, dict[str, Viewer | None]]:
    path = tmp_path_factory.mktemp("real") / "opp.duckdb"
    store = open_store(path)
    try:
        instance.init_empty(store, catalogue.all())
        link = instance.create_admin(store, "agence@example.org", name="Agence")
        token = link.url.split("invitation=")[1]
        admin = auth.set_password_with_token(
            store, token, "invitation", "une phrase de passe", "une phrase de passe"
        ).viewer
        org = organisations.create(
            store,
            admin,
            name="Compagnie Réelle",
            structure_type="compagnie",
            filieres=["cirque"],
            commune="31555",
        )
        campaign = campaigns.create(
            store,
            admin,
            filiere="cirque",
            questionnaire_id="cirque",
            questionnaire_version="1.1.0",
            reference_year=clock.today().year - 1,
            title_fr="Cirque — première campagne",
            title_en=None,
            opens_on=clock.today(),
            closes_on=clock.today() + dt.timedelta(days=30),
        )
        invitations.invite(store, admin, campaign.id, [org.id])

        def invited(email: str, **kwargs: Any) -> Viewer:
            return auth.viewer_of(
                membership.invite(store, admin, email=email, display_name=email, **kwargs).account
            )

        viewers: dict[str, Viewer | None] = {
            "anonyme": None,
            "admin": admin,
            "coordination": invited("coord@example.org", role=Role.COORDINATEUR, filiere="cirque"),
            "coreps": invited("coreps@example.org", role=Role.COREPS),
            "contributeur": invited("cie@example.org", organisation_id=org.id),
        }
    finally:
        store.close()
    return path, viewers


def _texts(at: Any) -> str:
    """Everything a page shows (titles, texts, labels, options, messages), main and sidebar."""
    parts = []
    for block in (at.main, at.sidebar):
        for node in block:
            proto = getattr(node, "proto", None)
            if proto is not None:
                parts.append(str(proto))
    return "\n".join(parts)


@pytest.mark.parametrize("role", ["anonyme", "admin", "coordination", "coreps", "contributeur"])
def test_empty_instance__every_page_renders_without_anything_demo(real_instance, role, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from opp.ui.session import SESSION_KEY

    path, viewers = real_instance
    viewer = viewers[role]
    monkeypatch.setenv("OPP_DB", str(path))
    visited = 0
    for spec in PAGES:
        at = AppTest.from_file(str(APP), default_timeout=90)
        if viewer is not None:
            at.session_state[SESSION_KEY] = auth.Session(viewer=viewer, last_seen=clock.now())
        at.run()
        try:
            at.switch_page(spec.path).run()
        except ValueError:
            continue  # not in this role's menu (each page protects itself: tested elsewhere)
        visited += 1
        assert not at.exception, (spec.path, at.exception)
        assert not at.error, (spec.path, [e.value for e in at.error])
        shown = DEMO_WORDS.findall(_texts(at))
        assert not shown, (spec.path, shown)
    assert visited >= 2


def test_empty_instance__sign_in_page_has_no_demo_accounts(real_instance, run_app):
    path, _ = real_instance
    at = run_app(path, "pages/connexion.py")
    assert not at.exception
    assert not [b for b in at.button if b.key and b.key.startswith("demo:")]
    assert not DEMO_WORDS.findall(_texts(at))


def _luhn(digits13: str) -> str:
    for last in "0123456789":
        candidate = digits13 + last
        total = sum(
            (v - 9 if v > 9 else v)
            for v in (int(c) * (2 if i % 2 else 1) for i, c in enumerate(reversed(candidate)))
        )
        if total % 10 == 0:
            return candidate
    raise AssertionError


def _links(received: list[Any]) -> dict[str, str]:
    """Recipient → the link its mail carries."""
    out = {}
    for mail in received:
        found = re.search(r"https://opp\.example\.org/connexion\?invitation=[\w-]+", mail.text())
        out[mail.rcpt_tos[0]] = found.group(0) if found else ""
    return out


def _send_mail(runner: Any, cli: Any, db: Path) -> None:
    sent = runner.invoke(cli, ["send-mail", "--path", str(db)])
    assert sent.exit_code == 0, sent.output


def test_real_instance__from_an_empty_install_to_reminders_and_participation(
    tmp_path, monkeypatch, mail_settings
):
    """`init --empty` → `create-admin` → the set-up link → a directory of 30 structures
    (a file with an error refused whole first) → a campaign → its filière invited by mail
    → a real SMTP server receives the mails → a link opens an account → the contributor
    answers and submits → a reminder reaches only those who have not → participation."""
    from conftest import walk_to_review
    from streamlit.testing.v1 import AppTest
    from typer.testing import CliRunner

    from opp.cli import app as cli
    from opp.ui.session import SESSION_KEY

    db = tmp_path / "opp.duckdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--empty", "--path", str(db)]).exit_code == 0
    made = runner.invoke(cli, ["create-admin", "agence@example.org", "--path", str(db)])
    link = made.output.strip().splitlines()[-1]
    assert link.startswith("https://opp.example.org/connexion?invitation=")

    monkeypatch.setenv("OPP_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update(invitation=link.split("invitation=")[1])
    at.run().switch_page("pages/connexion.py").run()
    first, second = list(at.text_input)[:2]
    first.set_value("la phrase de passe de l'agence")
    second.set_value("la phrase de passe de l'agence")
    next(b for b in at.button if b.label == "Enregistrer et me connecter").click().run()
    assert at.session_state[SESSION_KEY].viewer.role is Role.ADMIN

    at.switch_page("pages/administration.py").run()
    header = "nom;siret;code_commune;filiere;type_structure;email"
    rows = [
        f"Structure {i:02d};{_luhn(f'77{i:011d}')};31555;cirque;compagnie;s{i:02d}@example.org"
        for i in range(30)
    ]
    broken = [header, *rows[:29], "Structure 29;;;cirque;compagnie;s29@example.org"]
    upload = at.file_uploader(key="dir_file")
    upload.set_value(("annuaire.csv", "\n".join(broken).encode(), "text/csv")).run()
    at.button(key="dir_check").click().run()
    assert any("rien ne sera importé" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "dir_apply"]
    fixed = "\n".join([header, *rows]).encode()
    at.file_uploader(key="dir_file").set_value(("annuaire.csv", fixed, "text/csv")).run()
    at.button(key="dir_check").click().run()
    at.button(key="dir_apply").click().run()
    assert "structures créées : 30" in " ".join(s.value for s in at.success)

    at.selectbox(key="camp_questionnaire").set_value("cirque").run()
    assert at.selectbox(key="camp_version").value == "1.1.0"  # the latest, proposed first
    next(t for t in at.text_input if t.label == "Titre (français)").set_value("Cirque — 1re")
    next(b for b in at.button if b.label == "Créer la campagne").click().run()
    assert "Campagne créée." in [s.value for s in at.success]
    invite_all = next(b for b in at.button if b.key == "invite_all_button")
    assert "(30)" in invite_all.label
    invite_all.click().run()
    done = " ".join(s.value for s in at.success)
    assert "30 structures invitées." in done
    assert "courriels en file : 30" in done
    assert not at.exception
    assert not DEMO_WORDS.findall(_texts(at))

    # The mails leave (cron's `send-mail`) and a real SMTP server receives one per address.
    _send_mail(runner, cli, db)
    # The administrator's own set-up mail, queued by `create-admin`, does not leave: the
    # printed link was used first. Each structure gets its campaign mail and its link.
    invitations_received = list(mail_settings.received)
    links = _links(invitations_received)
    assert sorted(links) == [f"s{i:02d}@example.org" for i in range(30)]
    assert all(links.values())  # each mail carries its own activation link
    assert len(set(links.values())) == 30
    assert all("Cirque — 1re" in m.text() for m in invitations_received)
    store = open_store(db)
    try:
        [admin_mail] = outbox.recent(store, kind="account_invitation")
        assert (admin_mail.state, admin_mail.recipient) == ("cancelled", "agence@example.org")
    finally:
        store.close()

    # Structure 00's person opens the link, chooses a password, answers and submits.
    person = AppTest.from_file(str(APP), default_timeout=90)
    person.query_params.update(invitation=links["s00@example.org"].split("invitation=")[1])
    person.run().switch_page("pages/connexion.py").run()
    first, second = list(person.text_input)[:2]
    first.set_value("la phrase de passe de la compagnie")
    second.set_value("la phrase de passe de la compagnie")
    next(b for b in person.button if b.label == "Enregistrer et me connecter").click().run()
    contributor = person.session_state[SESSION_KEY].viewer
    assert contributor.role is Role.CONTRIBUTEUR
    person.switch_page("pages/repondre.py").run()
    walk_to_review(person)
    next(b for b in person.button if b.key and b.key.startswith("submit:")).click().run()
    assert not person.exception
    assert "Merci" in person.success[0].value

    # The agency reminds: only the 29 structures that have not submitted get a mail.
    at.run()
    next(b for b in at.button if b.key == "remind_button").click().run()
    assert any("Structures contactées par courriel : 29" in s.value for s in at.success), [
        s.value for s in at.success
    ]
    _send_mail(runner, cli, db)
    reminders = mail_settings.received[len(invitations_received) :]
    reminded = sorted(m.rcpt_tos[0] for m in reminders)
    assert reminded == [f"s{i:02d}@example.org" for i in range(1, 30)]
    # Their accounts are still to be activated: each reminder carries a fresh link.
    assert all("connexion?invitation=" in m.text() for m in reminders)

    # Participation, per structure and as a rate, matches what happened.
    at.run()
    table = next(d.value for d in at.dataframe if "Rappels" in d.value.columns)
    by_name = {row["Structure"]: row for row in table.to_dict("records")}
    assert len(by_name) == 30
    assert by_name["Structure 00"]["Statut"] == "Réponse envoyée"
    assert by_name["Structure 00"]["Rappels"] == ""
    today = f"{clock.today():%d/%m/%Y}"  # Paris, as OPP shows it (not the machine's UTC)
    assert {by_name[f"Structure {i:02d}"]["Rappels"] for i in range(1, 30)} == {today}
    assert {by_name[f"Structure {i:02d}"]["Statut"] for i in range(1, 30)} == {
        "Invitées, pas commencé"
    }
    assert "Aujourd'hui — réponses envoyées : 1 ; structures invitées : 30." in [
        c.value for c in at.caption
    ]
    assert not at.exception
