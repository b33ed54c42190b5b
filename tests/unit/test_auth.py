"""Accounts: hashing, sign-in limits, invitation and reset tokens, demo accounts, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from opp import clock
from opp.access import auth
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.store import accounts, audit, bulk, organisations

ADMIN = Viewer(role=Role.ADMIN, account_id="admin")
PASSWORD = "une phrase de passe solide"


@pytest.fixture
def member(tmp_store):
    org = organisations.create(
        tmp_store, ADMIN, name="Cie", structure_type="compagnie", filieres=["cirque"]
    )
    link = auth.invite(
        tmp_store,
        ADMIN,
        email="Camille@Example.org",
        display_name="Camille",
        organisation_id=org.id,
    )
    auth.set_password_with_token(tmp_store, link.token, "invitation", PASSWORD, PASSWORD)
    return tmp_store, org, link


def test_auth__password_is_stored_as_argon2_never_in_clear(member):
    store, _, link = member
    account = accounts.by_id(store, link.account.id)
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash
    assert account.status == "active"
    assert account.email == "camille@example.org"


def test_auth__sign_in_gives_the_accounts_scope(member):
    store, org, _ = member
    viewer = auth.sign_in(store, "camille@example.org", PASSWORD, client="1.2.3.4")
    assert viewer.role is Role.CONTRIBUTEUR
    assert viewer.organisation_id == org.id
    assert viewer.filiere == "cirque"


def test_auth__wrong_password_is_refused_without_saying_which_part(member):
    store, _, _ = member
    with pytest.raises(OppError) as info:
        auth.sign_in(store, "camille@example.org", "pas le bon", client="c")
    assert info.value.code == "AUTH_FAILED"
    with pytest.raises(OppError) as unknown:
        auth.sign_in(store, "personne@example.org", PASSWORD, client="c")
    assert unknown.value.message("fr") == info.value.message("fr")


def test_auth__attempts_are_limited_per_account(member):
    store, _, _ = member
    for _ in range(auth.MAX_ACCOUNT_FAILURES):
        with pytest.raises(OppError):
            auth.sign_in(store, "camille@example.org", "mauvais", client=f"c{_}")
    with pytest.raises(OppError) as info:
        auth.sign_in(store, "camille@example.org", PASSWORD, client="autre")
    assert info.value.code == "AUTH_LOCKED"
    assert "15 minutes" in info.value.message("fr")
    later = dt.datetime.now(dt.UTC) + auth.LOCK_WINDOW + dt.timedelta(minutes=1)
    clock.freeze(later)
    try:
        assert auth.sign_in(store, "camille@example.org", PASSWORD, client="autre")
    finally:
        clock.freeze(None)


def test_auth__attempts_are_limited_per_client(member):
    store, _, _ = member
    for i in range(auth.MAX_CLIENT_FAILURES):
        with pytest.raises(OppError):
            auth.sign_in(store, f"inconnu{i}@example.org", "x", client="9.9.9.9")
    with pytest.raises(OppError) as info:
        auth.sign_in(store, "camille@example.org", PASSWORD, client="9.9.9.9")
    assert info.value.code == "AUTH_LOCKED"
    assert auth.sign_in(store, "camille@example.org", PASSWORD, client="1.1.1.1")


def test_auth__invitation_token_is_single_use_and_stored_hashed(member):
    store, _, link = member
    raw = store.cursor().execute("SELECT token_hash FROM account_tokens").fetchall()
    assert link.token not in {r[0] for r in raw}
    with pytest.raises(OppError) as info:
        auth.set_password_with_token(store, link.token, "invitation", PASSWORD, PASSWORD)
    assert info.value.code == "TOKEN_INVALID"


def test_auth__expired_token_is_refused_with_its_date(tmp_store):
    link = auth.invite(tmp_store, ADMIN, email="x@example.org", display_name="X", role=Role.COREPS)
    clock.freeze(dt.datetime.now(dt.UTC) + auth.INVITATION_VALIDITY + dt.timedelta(days=1))
    try:
        with pytest.raises(OppError) as info:
            auth.peek(tmp_store, link.token, "invitation")
    finally:
        clock.freeze(None)
    assert info.value.code == "TOKEN_EXPIRED"
    assert link.expires_at.strftime("%d/%m/%Y") in info.value.message("fr")


def test_auth__reset_link_replaces_the_password_and_revokes_older_links(member):
    store, _, link = member
    first = auth.issue_reset(store, ADMIN, link.account.id)
    second = auth.issue_reset(store, ADMIN, link.account.id)
    with pytest.raises(OppError):
        auth.peek(store, first.token, "reset")
    new = "encore une autre phrase"
    auth.set_password_with_token(store, second.token, "reset", new, new)
    with pytest.raises(OppError):
        auth.sign_in(store, "camille@example.org", PASSWORD, client="c")
    assert auth.sign_in(store, "camille@example.org", new, client="c")


def test_auth__weak_or_mismatched_passwords_are_explained(member):
    store, _, link = member
    reset = auth.issue_reset(store, ADMIN, link.account.id)
    with pytest.raises(OppError) as short:
        auth.set_password_with_token(store, reset.token, "reset", "court", "court")
    assert "au moins 12 caractères" in short.value.message("fr")
    with pytest.raises(OppError) as differ:
        auth.set_password_with_token(store, reset.token, "reset", PASSWORD, PASSWORD + "!")
    assert differ.value.code == "PASSWORD_MISMATCH"
    assert auth.peek(store, reset.token, "reset")  # refused attempts did not use the link


def test_auth__invalid_email_is_refused(tmp_store):
    with pytest.raises(OppError) as info:
        auth.invite(tmp_store, ADMIN, email="pas-une-adresse", display_name="X", role=Role.COREPS)
    assert "nom@domaine.fr" in info.value.message("fr")


def test_auth__duplicate_account_is_refused(member):
    store, org, _ = member
    with pytest.raises(OppError) as info:
        auth.invite(
            store, ADMIN, email="camille@example.org", display_name="Bis", organisation_id=org.id
        )
    assert info.value.code == "ACCOUNT_EXISTS"


def test_auth__demo_accounts_only_work_on_demo_data(tmp_store):
    bulk.insert_accounts(
        tmp_store,
        [
            {
                "id": "demo-x",
                "email": "demo@demo.opp",
                "display_name": "Démo",
                "role": "coreps",
                "organisation_id": None,
                "filiere": None,
                "password_hash": auth.hash_password(PASSWORD),
                "status": "active",
                "demo": True,
                "created_at": clock.now(),
            }
        ],
    )
    with pytest.raises(OppError) as info:
        auth.sign_in(tmp_store, "demo@demo.opp", PASSWORD)
    assert info.value.code == "AUTH_DEMO_OFF"
    bulk.set_meta(tmp_store, {"demo": "true"})
    assert auth.sign_in(tmp_store, "demo@demo.opp", PASSWORD).role is Role.COREPS


def test_auth__audit_records_logins_and_failures_without_secrets(member):
    store, _, _ = member
    auth.sign_in(store, "camille@example.org", PASSWORD, client="c")
    with pytest.raises(OppError):
        auth.sign_in(store, "camille@example.org", "mauvais mot", client="c")
    entries = audit.list_entries(store, ADMIN)
    actions = [e["action"] for e in entries]
    assert actions[:2] == ["auth.failure", "auth.login"]
    assert "account.activated" in actions
    assert "account.invite" in actions
    text = str(entries)
    assert PASSWORD not in text
    assert "mauvais mot" not in text


def test_auth__session_expires_after_inactivity():
    session = auth.Session(viewer=ADMIN, last_seen=clock.now())
    assert not session.expired()
    assert session.expired(clock.now() + auth.SESSION_TIMEOUT + dt.timedelta(seconds=1))
