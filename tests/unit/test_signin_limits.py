"""Sign-in limits (issue 15, items 2 and 5): client addresses behind a proxy, failures
counted per account and per address independently of successes elsewhere, delays rather
than locks, a mail to the owner, nothing typed in the e-mail field stored in clear."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import link_token

from opp import clock
from opp.access import client, throttle
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.services import auth, membership, reads
from opp.store import outbox

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin")
PASSWORD = "une phrase de passe solide"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """These tests make hundreds of attempts: argon2 with small costs keeps them quick
    (the rules under test do not depend on the hash's cost)."""
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", cheap)
    monkeypatch.setattr(auth, "_DUMMY", cheap.hash("x"))


@pytest.fixture
def frozen():
    moments = [START]

    def advance(seconds: float = 0) -> None:
        moments[0] += dt.timedelta(seconds=seconds)
        clock.freeze(moments[0])

    advance()
    yield advance
    clock.freeze(None)


def _account(store, email: str) -> str:
    invited = membership.invite(store, ADMIN, email=email, display_name=email, role=Role.COREPS)
    token = link_token(store, invited.account.id)
    auth.set_password_with_token(store, token, "invitation", PASSWORD, PASSWORD)
    return invited.account.id


def _fail(store, email: str, client_key: str) -> str:
    with pytest.raises(OppError) as info:
        auth.sign_in(store, email, "mauvaise phrase", client=client_key)
    return info.value.code


# --- client address -------------------------------------------------------------------


TRUSTED = client.parse_trusted("127.0.0.1, 10.0.0.0/8, ::1")


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not a declared proxy: header ignored
        (None, None, "127.0.0.1"),  # local connection (Streamlit reports None)
        (None, "198.51.100.7", "198.51.100.7"),  # local proxy, declared
        ("10.0.0.5", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # rightmost untrusted hop
        ("10.0.0.5", "198.51.100.7, 10.1.1.1", "198.51.100.7"),  # chain of proxies
        ("10.0.0.5", "bogus, 10.1.1.1", "10.1.1.1"),  # garbage: stop at what we can vouch for
        ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_signin_limits__client_address_from_declared_proxies_only(peer, header, expected):
    assert client.client_address(peer, header, TRUSTED) == expected


def test_signin_limits__without_declared_proxies_the_header_is_ignored():
    assert client.client_address(None, "198.51.100.7", []) == "127.0.0.1"


def test_signin_limits__a_bad_proxy_setting_is_explained(monkeypatch):
    monkeypatch.setenv("OPP_TRUSTED_PROXIES", "127.0.0.1, reverse-proxy")
    with pytest.raises(OppError) as info:
        client.trusted_proxies()
    assert "reverse-proxy" in info.value.message("fr")
    assert "OPP_TRUSTED_PROXIES" in info.value.message("en")


def test_signin_limits__people_behind_one_proxy_do_not_share_a_counter(tmp_store, frozen):
    _account(tmp_store, "sam@example.org")
    attacker = client.client_address(None, "6.6.6.6", TRUSTED)
    for i in range(throttle.FREE_CLIENT_FAILURES + 3):
        _fail(tmp_store, f"inconnu{i}@example.org", attacker)
    assert _fail(tmp_store, "autre@example.org", attacker) == "AUTH_DELAYED"
    neighbour = client.client_address(None, "198.51.100.7", TRUSTED)
    assert auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client=neighbour)


# --- per account, per address ------------------------------------------------------------


def test_signin_limits__failures_on_an_account_bring_growing_delays_not_a_lock(tmp_store, frozen):
    _account(tmp_store, "sam@example.org")
    for i in range(throttle.FREE_ACCOUNT_FAILURES):
        assert _fail(tmp_store, "sam@example.org", f"9.9.9.{i}") == "AUTH_FAILED"
    with pytest.raises(OppError) as delayed:
        auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")
    assert delayed.value.code == "AUTH_DELAYED"
    assert "2 secondes" in delayed.value.message("fr")
    frozen(2)
    assert _fail(tmp_store, "sam@example.org", "9.9.9.9") == "AUTH_FAILED"
    with pytest.raises(OppError) as longer:
        auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")
    assert "4 secondes" in longer.value.message("fr")
    frozen(4)
    assert auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")


def test_signin_limits__the_delay_is_capped_so_a_stranger_cannot_lock_forever(tmp_store, frozen):
    _account(tmp_store, "sam@example.org")
    failures = 0
    for i in range(200):  # a stranger retries from many addresses as soon as allowed
        with pytest.raises(OppError) as refused:
            auth.sign_in(tmp_store, "sam@example.org", "devinette", client=f"9.9.{i}.1")
        if refused.value.code == "AUTH_FAILED":
            failures += 1
            if failures == 14:
                break
        else:
            frozen(refused.value.params["seconds"])
    with pytest.raises(OppError) as info:
        auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")
    assert info.value.params["seconds"] <= throttle.MAX_DELAY.total_seconds()
    frozen(throttle.MAX_DELAY.total_seconds())
    assert auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")


def test_signin_limits__the_owner_at_a_known_address_is_not_delayed_by_a_stranger(
    tmp_store, frozen
):
    _account(tmp_store, "sam@example.org")
    assert auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")
    frozen(60)
    for i in range(12):
        _fail(tmp_store, "sam@example.org", f"9.9.9.{i}")
    assert auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")
    assert _fail(tmp_store, "sam@example.org", "5.5.5.5") == "AUTH_DELAYED"


def test_signin_limits__a_success_elsewhere_does_not_reset_an_address(tmp_store, frozen):
    """Before: any success from an address restarted its count, so an attacker with an
    account of their own was never slowed down."""
    _account(tmp_store, "mallory@example.org")
    _account(tmp_store, "victim@example.org")
    for round_ in range(5):
        for _ in range(5):
            _fail(tmp_store, f"guess{round_}@example.org", "6.6.6.6")
        if round_ < 3:
            assert auth.sign_in(tmp_store, "mallory@example.org", PASSWORD, client="6.6.6.6")
    assert _fail(tmp_store, "victim@example.org", "6.6.6.6") == "AUTH_DELAYED"


def test_signin_limits__the_owner_mistyping_is_cleared_by_their_own_success(tmp_store, frozen):
    _account(tmp_store, "sam@example.org")
    for _ in range(throttle.FREE_ACCOUNT_FAILURES - 1):
        _fail(tmp_store, "sam@example.org", "1.1.1.1")
    assert auth.sign_in(tmp_store, "sam@example.org", PASSWORD, client="1.1.1.1")
    for _ in range(throttle.FREE_ACCOUNT_FAILURES - 1):
        assert _fail(tmp_store, "sam@example.org", "1.1.1.1") == "AUTH_FAILED"


def test_signin_limits__the_owner_is_told_by_mail_once(tmp_store, frozen):
    account_id = _account(tmp_store, "sam@example.org")
    for i in range(throttle.FREE_ACCOUNT_FAILURES + 4):
        with pytest.raises(OppError) as refused:
            auth.sign_in(tmp_store, "sam@example.org", "devinette", client=f"9.9.9.{i}")
        frozen(refused.value.params.get("seconds", 1))
    alerts = outbox.recent(tmp_store, kind="signin_alert")
    assert len(alerts) == 1
    assert alerts[0].account_id == account_id
    assert alerts[0].recipient == "sam@example.org"


def test_signin_limits__unknown_addresses_are_delayed_like_known_ones(tmp_store, frozen):
    for _ in range(throttle.FREE_ACCOUNT_FAILURES):
        _fail(tmp_store, "nobody@example.org", "9.9.9.9")
    assert _fail(tmp_store, "nobody@example.org", "8.8.8.8") == "AUTH_DELAYED"


# --- what was typed is never kept in clear (issue 15, item 5) -----------------------------


def test_signin_limits__a_password_typed_in_the_email_field_is_not_stored(tmp_store):
    secret = "MonMotDePasse-Secret-2026"
    _fail(tmp_store, secret, "1.2.3.4")
    _fail(tmp_store, "Sam@Example.org", "1.2.3.4")
    attempts = tmp_store.cursor().execute("SELECT * FROM login_attempts").fetchall()
    entries = reads.audit_entries(tmp_store, ADMIN)
    dumped = str(attempts) + str(entries)
    assert secret not in dumped
    assert secret.lower() not in dumped
    assert "sam@example.org" not in dumped.lower()
    assert {e["object_id"] for e in entries if e["action"] == "auth.failure"} == {"inconnu"}


def test_signin_limits__the_keyed_hash_uses_the_configured_secret(tmp_store, monkeypatch):
    first = auth.attempt_key(tmp_store, "x@example.org", None)
    assert first == auth.attempt_key(tmp_store, "X@example.org ", None)
    monkeypatch.setenv("OPP_SECRET_KEY", "une clé de l'instance")
    assert auth.attempt_key(tmp_store, "x@example.org", None) != first


def test_signin_limits__old_attempts_and_failures_are_scrubbed_by_the_migration(tmp_path):
    from opp.store import migrations
    from opp.store.db import Store

    store = Store(tmp_path / "v5.duckdb", migrate=False)
    try:
        migrations.migrate(store, target=5)
        cur = store.cursor()
        now = clock.now()
        cur.execute(
            "INSERT INTO accounts (id, email, display_name, role, status, created_at) "
            "VALUES ('acc-1', 'sam@example.org', 'Sam', 'coreps', 'active', ?)",
            [now],
        )
        cur.execute(
            "INSERT INTO login_attempts VALUES (?, 'motdepasse-en-clair', '1.2.3.4', false)",
            [now],
        )
        for typed in ("motdepasse-en-clair", "Sam@example.org"):
            cur.execute(
                "INSERT INTO audit_log (occurred_at, actor, role, action, object_type, "
                "object_id, detail) VALUES (?, 'anonyme', 'contributeur', 'auth.failure', "
                "'account', ?, '{}')",
                [now, typed],
            )
        migrations.migrate(store)
        assert cur.execute("SELECT count(*) FROM login_attempts").fetchone()[0] == 0
        kept = cur.execute(
            "SELECT object_id FROM audit_log WHERE action = 'auth.failure' ORDER BY id"
        ).fetchall()
        assert [k[0] for k in kept] == ["inconnu", "acc-1"]
    finally:
        store.close()
