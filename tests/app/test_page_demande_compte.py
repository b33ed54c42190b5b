"""Request an account from a network's public link: sent, nothing created before the
coordinator accepts; bad input explained."""

from __future__ import annotations

from opp.access.viewer import Role, Viewer
from opp.services import requests
from opp.store import accounts, open_store

PAGE = "pages/demande_compte.py"
COORD = Viewer(role=Role.COORDINATEUR, filiere="musiques_actuelles", account_id="c")


def _fresh(db, monkeypatch, **query):
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OPP_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update(query)
    return at.run().switch_page(PAGE).run()


def _fill(at, name: str, email: str):
    next(t for t in at.text_input if t.label == "Nom (ou nom d'artiste)").set_value(name)
    next(t for t in at.text_input if t.label == "Adresse électronique").set_value(email)
    next(b for b in at.button if b.label == "Envoyer la demande").click().run()


def test_page_demande_compte__a_musician_asks_and_nothing_exists_yet(demo_copy, monkeypatch):
    at = _fresh(demo_copy, monkeypatch, reseau="musiques_actuelles")
    assert not at.exception
    assert at.selectbox(key="request_network").value == "musiques_actuelles"
    _fill(at, "Lou Bass", "lou@example.org")
    assert not at.exception
    assert "Demande transmise" in at.success[0].value
    store = open_store(demo_copy)
    try:
        assert accounts.by_email(store, "lou@example.org") is None
        (request,) = requests.pending(store, COORD)
        assert (request.display_name, request.email) == ("Lou Bass", "lou@example.org")
    finally:
        store.close()


def test_page_demande_compte__bad_input_is_explained(demo_copy, monkeypatch):
    at = _fresh(demo_copy, monkeypatch)
    _fill(at, "Lou", "pas-une-adresse")
    assert "nom@domaine.fr" in at.error[0].value
    store = open_store(demo_copy)
    try:
        assert requests.pending(store, COORD) == []
    finally:
        store.close()


def test_page_demande_compte__the_coordinator_accepts_from_administration(
    run_app, demo_copy, monkeypatch
):
    at = _fresh(demo_copy, monkeypatch, reseau="musiques_actuelles")
    _fill(at, "Lou Bass", "lou@example.org")
    at = run_app(demo_copy, "pages/administration.py", viewer_key="coord:musiques_actuelles")
    assert any("demande_compte?reseau=musiques_actuelles" in c.value for c in at.code)
    next(b for b in at.button if b.key and b.key.startswith("req_accept:")).click().run()
    assert not at.exception
    assert any("lou@example.org" in s.value for s in at.success)
    store = open_store(demo_copy)
    try:
        account = accounts.by_email(store, "lou@example.org")
        assert account.status == "invited"
        assert account.filiere == "musiques_actuelles"
    finally:
        store.close()
