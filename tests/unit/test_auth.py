"""Accounts: hashing, links (single use, expiring, revoked), demo accounts, sessions that
end when the account changes, audit without secrets."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import link_token

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.services import auth, membership, organisations, reads
from opp.store import accounts, bulk

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin")
PASSWORD = "une phrase de passe solide"


@pytest.fixture
def member(tmp_store):
    org = organisations.create(
        tmp_store, ADMIN, name="Cie", structure_type="compagnie", filieres=["cirque"]
    )
    invited = membership.invite(
        tmp_store,
        ADMIN,
        email="Camille@Example.org",
        display_name="Camille",
        organisation_id=org.id,
    )
    token = link_token(tmp_store, invited.account.id)
    auth.set_password_with_token(tmp_store, token, "invitation", PASSWORD, PASSWORD)
    return tmp_store, org, invited.account


def test_auth__password_is_stored_as_argon2_never_in_clear(member):
    store, _, account = member
    stored = accounts.by_id(store, account.id)
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    assert stored.status == "active"
    assert stored.email == "camille@example.org"


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


def test_auth__invitation_token_is_single_use_and_stored_hashed(member):
    store, _, account = member
    token = link_token(store, account.id, "reset")
    raw = store.cursor().execute("SELECT token_hash FROM account_tokens").fetchall()
    assert token not in {r[0] for r in raw}
    auth.set_password_with_token(store, token, "reset", PASSWORD, PASSWORD)
    with pytest.raises(OppError) as info:
        auth.set_password_with_token(store, token, "reset", PASSWORD, PASSWORD)
    assert info.value.code == "TOKEN_INVALID"


def test_auth__expired_token_is_refused_with_its_date(tmp_store):
    invited = membership.invite(
        tmp_store, ADMIN, email="x@example.org", display_name="X", role=Role.COREPS
    )
    token, expires = auth.mint_token(tmp_store, invited.account.id, "invitation")
    clock.freeze(dt.datetime.now(dt.UTC) + auth.INVITATION_VALIDITY + dt.timedelta(days=1))
    try:
        with pytest.raises(OppError) as info:
            auth.peek(tmp_store, token, "invitation")
    finally:
        clock.freeze(None)
    assert info.value.code == "TOKEN_EXPIRED"
    assert expires.strftime("%d/%m/%Y") in info.value.message("fr")


def test_auth__reset_link_replaces_the_password_and_revokes_older_links(member):
    store, _, account = member
    first = link_token(store, account.id, "reset")
    second = link_token(store, account.id, "reset")
    with pytest.raises(OppError):
        auth.peek(store, first, "reset")
    new = "encore une autre phrase"
    auth.set_password_with_token(store, second, "reset", new, new)
    with pytest.raises(OppError):
        auth.sign_in(store, "camille@example.org", PASSWORD, client="c")
    assert auth.sign_in(store, "camille@example.org", new, client="c")


def test_auth__reset_links_issued_before_a_password_change_stop_working(member):
    """Issue 15 item 4: a link mailed before a password change must not outlive it."""
    store, _, account = member
    viewer = auth.sign_in(store, "camille@example.org", PASSWORD, client="c")
    token = link_token(store, account.id, "reset")
    auth.change_password(
        store, viewer, PASSWORD, "une toute autre phrase", "une toute autre phrase"
    )
    with pytest.raises(OppError) as info:
        auth.peek(store, token, "reset")
    assert info.value.code == "TOKEN_INVALID"


def test_auth__weak_or_mismatched_passwords_are_explained(member):
    store, _, account = member
    reset = link_token(store, account.id, "reset")
    with pytest.raises(OppError) as short:
        auth.set_password_with_token(store, reset, "reset", "court", "court")
    assert "au moins 12 caractères" in short.value.message("fr")
    with pytest.raises(OppError) as differ:
        auth.set_password_with_token(store, reset, "reset", PASSWORD, PASSWORD + "!")
    assert differ.value.code == "PASSWORD_MISMATCH"
    assert auth.peek(store, reset, "reset")  # refused attempts did not use the link


def test_auth__invalid_email_is_refused(tmp_store):
    with pytest.raises(OppError) as info:
        membership.invite(
            tmp_store, ADMIN, email="pas-une-adresse", display_name="X", role=Role.COREPS
        )
    assert "nom@domaine.fr" in info.value.message("fr")


def test_auth__duplicate_account_is_refused(member):
    store, org, _ = member
    with pytest.raises(OppError) as info:
        membership.invite(
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
    store, _, account = member
    auth.sign_in(store, "camille@example.org", PASSWORD, client="c")
    with pytest.raises(OppError):
        auth.sign_in(store, "camille@example.org", "mauvais mot", client="c")
    entries = reads.audit_entries(store, ADMIN)
    actions = [e["action"] for e in entries]
    assert actions[:2] == ["auth.failure", "auth.login"]
    assert entries[0]["object_id"] == account.id
    assert "account.activated" in actions
    assert "account.invite" in actions
    text = str(entries)
    assert PASSWORD not in text
    assert "mauvais mot" not in text


def test_auth__session_expires_after_inactivity():
    session = auth.Session(viewer=ADMIN, last_seen=clock.now())
    assert not session.expired()
    assert session.expired(clock.now() + auth.SESSION_TIMEOUT + dt.timedelta(seconds=1))


# --- sessions follow their account (issue 15, item 4) --------------------------------------


def test_auth__a_password_change_ends_the_other_sessions_not_this_one(member):
    store, _, _ = member
    laptop = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    phone = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    new = "phrase de passe nouvelle"
    laptop.epoch = auth.change_password(store, laptop.viewer, PASSWORD, new, new)
    assert auth.check_session(store, laptop).account_id == laptop.viewer.account_id
    with pytest.raises(OppError) as info:
        auth.check_session(store, phone)
    assert info.value.code == "SESSION_ENDED_CHANGED"


def test_auth__a_reset_ends_every_session_and_starts_a_new_one(member):
    store, _, account = member
    old = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    token = link_token(store, account.id, "reset")
    new = auth.set_password_with_token(
        store, token, "reset", "autre phrase longue", "autre phrase longue"
    )
    with pytest.raises(OppError):
        auth.check_session(store, old)
    assert auth.check_session(store, new).account_id == account.id


def test_auth__a_disabled_account_is_signed_out_at_its_next_request(member):
    store, _, account = member
    session = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    membership.set_enabled(store, ADMIN, account.id, enabled=False)
    with pytest.raises(OppError) as info:
        auth.check_session(store, session)
    assert info.value.code == "SESSION_ENDED_DISABLED"
    with pytest.raises(OppError) as refused:
        auth.sign_in(store, "camille@example.org", PASSWORD, client="c")
    assert refused.value.code == "AUTH_DISABLED"
    membership.set_enabled(store, ADMIN, account.id, enabled=True)
    assert auth.sign_in(store, "camille@example.org", PASSWORD, client="c")
    actions = [e["action"] for e in reads.audit_entries(store, ADMIN, object_id=account.id)]
    assert {"account.disabled", "account.enabled"} <= set(actions)


def test_auth__a_session_of_an_erased_organisation_ends(member):
    from opp.services import erasure

    store, org, _ = member
    viewer = auth.sign_in(store, "camille@example.org", PASSWORD)
    session = auth.start_session(store, viewer)
    erasure.erase_organisation(store, viewer, "EFFACER")
    with pytest.raises(OppError) as info:
        auth.check_session(store, session)
    assert info.value.code == "SESSION_ENDED_GONE"
    assert organisations.list_visible(store, ADMIN) == []
    assert org.id


def test_auth__a_session_follows_role_and_scope_changes(member):
    store, _, account = member
    session = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    with store.transaction() as cur:
        cur.execute("UPDATE accounts SET display_name = 'Camille D.' WHERE id = ?", [account.id])
    assert auth.check_session(store, session).name == "Camille D."


def test_auth__single_sign_on_requires_a_verified_address(member):
    store, _, _ = member
    with pytest.raises(OppError) as info:
        auth.sign_in_sso(store, "camille@example.org", email_verified=False)
    assert info.value.code == "AUTH_SSO_UNVERIFIED"
    assert auth.sign_in_sso(store, "camille@example.org", email_verified=True).name == "Camille"
    with pytest.raises(OppError) as unknown:
        auth.sign_in_sso(store, "nobody@example.org", email_verified=True)
    assert unknown.value.code == "AUTH_SSO_UNKNOWN"
    invited = membership.invite(
        store, ADMIN, email="new@example.org", display_name="N", role=Role.COREPS
    )
    assert auth.sign_in_sso(store, "new@example.org", email_verified=True).role is Role.COREPS
    membership.set_enabled(store, ADMIN, invited.account.id, enabled=False)
    with pytest.raises(OppError) as disabled:
        auth.sign_in_sso(store, "new@example.org", email_verified=True)
    assert disabled.value.code == "AUTH_DISABLED"
