"""My account: change the password (the old one stops working), sign out."""

from __future__ import annotations

import pytest

from opp.demo.accounts import DEMO_PASSWORD
from opp.errors import OppError
from opp.services import auth
from opp.store import accounts, open_store
from opp.ui.session import SESSION_KEY

PAGE = "pages/compte.py"


def test_page_compte__change_password(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coreps")
    current, new, again = list(at.text_input)[:3]
    current.set_value(DEMO_PASSWORD)
    new.set_value("une toute nouvelle phrase")
    again.set_value("une toute nouvelle phrase")
    next(b for b in at.button if b.label == "Changer de mot de passe").click().run()
    assert not at.exception
    assert "Mot de passe changé." in [s.value for s in at.success]
    at.run()  # this session stays signed in; every other one ends (test_auth)
    assert SESSION_KEY in at.session_state
    store = open_store(demo_copy)
    try:
        assert auth.sign_in(store, "coreps@demo.opp", "une toute nouvelle phrase")
        with pytest.raises(OppError):
            auth.sign_in(store, "coreps@demo.opp", DEMO_PASSWORD)
    finally:
        store.close()


def test_page_compte__wrong_current_password_changes_nothing(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coreps")
    current, new, again = list(at.text_input)[:3]
    current.set_value("pas le bon")
    new.set_value("une toute nouvelle phrase")
    again.set_value("une toute nouvelle phrase")
    next(b for b in at.button if b.label == "Changer de mot de passe").click().run()
    assert "mot de passe incorrect" in at.error[0].value
    store = open_store(demo_copy)
    try:
        assert auth.sign_in(store, "coreps@demo.opp", DEMO_PASSWORD)
    finally:
        store.close()


def test_page_compte__sign_out(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coreps")
    at.button(key="sign_out_account").click().run()
    assert SESSION_KEY not in at.session_state


def test_page_compte__language_of_the_mails(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coreps")
    at.radio[0].set_value("en")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    assert "Langue des courriels enregistrée." in [s.value for s in at.success]
    store = open_store(demo_copy)
    try:
        assert accounts.by_id(store, "demo-coreps").language == "en"
    finally:
        store.close()


def test_page_compte__an_api_token_is_shown_once_and_can_be_revoked(run_app, demo_copy):
    from opp.services import api_tokens

    at = run_app(demo_copy, PAGE, viewer_key="coreps")
    name = next(t for t in at.text_input if t.label == "Nom du jeton")
    next(b for b in at.button if b.label == "Créer un jeton").click().run()
    assert "Donnez un nom au jeton" in at.error[0].value  # nothing created
    name = next(t for t in at.text_input if t.label == "Nom du jeton")
    name.set_value("tableur Coreps")
    next(b for b in at.button if b.label == "Créer un jeton").click().run()
    assert not at.exception
    [shown] = [c.value for c in at.code]
    assert shown.startswith("opp_")
    at.run()
    assert not [c.value for c in at.code]  # shown once
    store = open_store(demo_copy)
    try:
        viewer, row = api_tokens.authenticate(store, shown)
        assert viewer.role.value == "coreps"
    finally:
        store.close()
    at.button(key=f"api_revoke:{row.id}").click().run()
    assert any("révoqué le" in m.value for m in at.markdown)
    store = open_store(demo_copy)
    try:
        with pytest.raises(OppError) as info:
            api_tokens.authenticate(store, shown)
        assert info.value.code == "API_TOKEN_REVOKED"
    finally:
        store.close()
