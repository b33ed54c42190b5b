"""Sign-in page: password, demo accounts, invitation and reset links, session expiry."""

from __future__ import annotations

import datetime as dt

from conftest import APP, demo_viewer, link_token

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.demo.accounts import DEMO_PASSWORD
from opp.services import auth, membership
from opp.store import accounts, open_store, outbox
from opp.ui.session import SESSION_KEY

PAGE = "pages/connexion.py"
ADMIN = Viewer(role=Role.ADMIN, account_id="test-admin")


def _submit(at):
    next(b for b in at.button if b.label in ("Se connecter", "Sign in")).click().run()


def test_page_connexion__signed_out_visitor_sees_the_form_and_demo_accounts(run_app, demo_file):
    at = run_app(demo_file, PAGE)
    assert not at.exception
    assert at.text_input(key="login_email")
    text = " ".join(m.value for m in at.markdown)
    assert "agence@demo.opp" in text.replace("\\\\", "").replace("\u2060", "")
    assert any(DEMO_PASSWORD in c.value for c in at.caption)


def test_page_connexion__sign_in_with_email_and_password(run_app, demo_copy):
    at = run_app(demo_copy, PAGE)
    at.text_input(key="login_email").set_value("coordination.cirque@demo.opp")
    at.text_input(key="login_password").set_value(DEMO_PASSWORD)
    _submit(at)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "connecté·e en tant que" in at.info[0].value
    session = at.session_state[SESSION_KEY]
    assert session.viewer.role is Role.COORDINATEUR
    assert session.viewer.filiere == "cirque"


def test_page_connexion__wrong_password_is_explained_and_nothing_opens(run_app, demo_copy):
    at = run_app(demo_copy, PAGE)
    at.text_input(key="login_email").set_value("agence@demo.opp")
    at.text_input(key="login_password").set_value("pas le bon mot de passe")
    _submit(at)
    assert not at.exception
    assert "mot de passe incorrect" in at.error[0].value
    assert SESSION_KEY not in at.session_state


def test_page_connexion__one_click_demo_account(run_app, demo_copy):
    at = run_app(demo_copy, PAGE)
    next(b for b in at.button if b.key == "demo:demo-coreps").click().run()
    assert at.session_state[SESSION_KEY].viewer.role is Role.COREPS


def _fresh_app(db, monkeypatch, **query):
    """The app as a browser opening a link (query parameters), nobody signed in."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OPP_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update(query)
    return at


def test_page_connexion__invitation_link_sets_the_password(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    try:
        made = membership.invite(
            store, ADMIN, email="nouvelle@example.org", display_name="Nouvelle", role=Role.COREPS
        )
        token = link_token(store, made.account.id)
    finally:
        store.close()
    at = _fresh_app(demo_copy, monkeypatch, invitation=token)
    at.run().switch_page(PAGE).run()
    assert "Bienvenue, Nouvelle" in " ".join(m.value for m in at.markdown)
    first, second = list(at.text_input)[:2]
    first.set_value("ma phrase de passe secrète")
    second.set_value("ma phrase de passe secrète")
    next(b for b in at.button if b.label == "Enregistrer et me connecter").click().run()
    assert not at.exception
    assert at.session_state[SESSION_KEY].viewer.role is Role.COREPS
    store = open_store(demo_copy)
    try:
        assert accounts.by_email(store, "nouvelle@example.org").status == "active"
        assert auth.sign_in(store, "nouvelle@example.org", "ma phrase de passe secrète")
    finally:
        store.close()


def test_page_connexion__used_link_is_refused_clearly(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    try:
        token = link_token(store, "demo-coreps", "reset")
        auth.set_password_with_token(store, token, "reset", "x" * 14, "x" * 14)
    finally:
        store.close()
    at = _fresh_app(demo_copy, monkeypatch, reinitialisation=token)
    at.run().switch_page(PAGE).run()
    assert not at.exception
    assert "a déjà servi" in at.error[0].value


def test_page_connexion__expired_session_asks_to_sign_in_again(demo_file, monkeypatch):
    at = _fresh_app(demo_file, monkeypatch)
    at.session_state[SESSION_KEY] = auth.Session(
        viewer=demo_viewer(demo_file, "admin"),
        last_seen=clock.now() - auth.SESSION_TIMEOUT - dt.timedelta(minutes=1),
    )
    at.run().switch_page(PAGE).run()
    assert not at.exception
    assert "session a expiré" in at.warning[0].value
    assert SESSION_KEY not in at.session_state


def test_page_connexion__forgotten_password_sends_a_link_and_says_the_same_either_way(
    run_app, demo_copy
):
    at = run_app(demo_copy, PAGE)
    for address in ("nouvelle@example.org", "personne@example.org"):
        at.text_input(key="forgot_email").set_value(address)
        next(b for b in at.button if b.label == "Recevoir un lien").click().run()
        assert not at.exception
        assert "Si un compte existe pour cette adresse" in at.success[0].value
    store = open_store(demo_copy)
    try:
        assert outbox.recent(store, kind="password_reset") == []  # neither is an account
        made = membership.invite(
            store, ADMIN, email="vraie@example.org", display_name="V", role=Role.COREPS
        )
        token = link_token(store, made.account.id)
        auth.set_password_with_token(store, token, "invitation", "x" * 14, "x" * 14)
    finally:
        store.close()
    at.text_input(key="forgot_email").set_value("vraie@example.org")
    next(b for b in at.button if b.label == "Recevoir un lien").click().run()
    store = open_store(demo_copy)
    try:
        (mail,) = outbox.recent(store, kind="password_reset")
        assert mail.recipient == "vraie@example.org"
    finally:
        store.close()


def test_page_connexion__a_disabled_account_is_signed_out_at_once(
    demo_file, demo_copy, monkeypatch
):
    at = _fresh_app(demo_copy, monkeypatch)
    at.session_state[SESSION_KEY] = auth.Session(
        viewer=demo_viewer(demo_file, "coreps"), last_seen=clock.now()
    )
    at.run().switch_page(PAGE).run()
    assert "connecté·e en tant que" in at.info[0].value
    store = open_store(demo_copy)
    try:
        membership.set_enabled(store, ADMIN, "demo-coreps", enabled=False)
    finally:
        store.close()
    at.run()
    assert SESSION_KEY not in at.session_state
    assert "désactivé" in at.warning[0].value
