"""Browser sessions behind the cookie (issue 16): a random token stored only hashed, a
one-time handoff, lifetime, idle time and every way a session ends."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import link_token

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.services import auth, membership, organisations, web_session
from opp.store import web_sessions

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
        email="camille@example.org",
        display_name="Camille",
        organisation_id=org.id,
    )
    token = link_token(tmp_store, invited.account.id)
    auth.set_password_with_token(tmp_store, token, "invitation", PASSWORD, PASSWORD)
    return tmp_store, org, invited.account


@pytest.fixture
def frozen():
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    clock.freeze(start)
    yield start
    clock.freeze(None)


def signed_in(store) -> tuple[auth.Session, str]:
    """A browser that signed in and claimed its cookie: (tab session, cookie token)."""
    session = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    handoff = web_session.begin(store, session, language="en")
    claimed = web_session.claim(store, handoff)
    assert claimed is not None
    return session, claimed[0]


def test_web_session__only_hashes_of_the_tokens_are_stored(member):
    store, _, account = member
    session = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    handoff = web_session.begin(store, session)
    token, _ = web_session.claim(store, handoff)
    dump = str(store.cursor().execute("SELECT * FROM web_sessions").fetchall())
    assert handoff not in dump
    assert token not in dump
    assert web_session.digest(token) in dump
    assert len(token) >= 40  # 32 random bytes, URL-safe
    row = web_sessions.by_id(store, session.web_id)
    assert row.account_id == account.id
    assert row.handoff_hash is None  # spent


def test_web_session__a_handoff_is_spent_once_and_expires(member, frozen):
    store, _, _ = member
    session = auth.start_session(store, auth.sign_in(store, "camille@example.org", PASSWORD))
    handoff = web_session.begin(store, session)
    assert web_session.claim(store, "not-a-handoff") is None
    assert web_session.claim(store, handoff) is not None
    assert web_session.claim(store, handoff) is None  # replayed
    late = web_session.begin(store, session)
    clock.freeze(frozen + web_session.HANDOFF_VALIDITY + dt.timedelta(seconds=1))
    assert web_session.claim(store, late) is None


def test_web_session__the_cookie_finds_the_session_its_viewer_and_language(member):
    store, org, _ = member
    _, token = signed_in(store)
    resumed = web_session.resume(store, token)
    assert resumed is not None
    viewer = web_session.check(store, resumed)
    assert viewer.organisation_id == org.id
    assert viewer.role is Role.CONTRIBUTEUR
    assert web_session.language(store, resumed) == "en"
    assert web_session.resume(store, token + "x") is None
    assert web_session.resume(store, "") is None


def test_web_session__sign_out_ends_it_in_every_tab(member):
    store, _, _ = member
    tab, token = signed_in(store)
    other_tab = web_session.resume(store, token)
    web_session.end(store, tab.web_id, "signed_out")
    assert web_session.resume(store, token) is None  # a reload or new tab: signed out
    with pytest.raises(OppError) as info:
        web_session.check(store, other_tab)  # a tab still open
    assert info.value.code == "SESSION_ENDED_SIGNED_OUT"


def test_web_session__idle_time_ends_it_and_activity_keeps_it(member, frozen):
    store, _, _ = member
    tab, token = signed_in(store)
    for minutes in (20, 40, 60):  # active every 20 minutes: still signed in after an hour
        clock.freeze(frozen + dt.timedelta(minutes=minutes))
        web_session.check(store, web_session.resume(store, token))
    clock.freeze(
        frozen + dt.timedelta(minutes=60) + auth.SESSION_TIMEOUT + dt.timedelta(seconds=61)
    )
    with pytest.raises(OppError) as info:
        web_session.check(store, web_session.resume(store, token))
    assert info.value.code == "SESSION_EXPIRED"
    assert "30 minutes" in info.value.message("fr")
    assert web_session.resume(store, token) is None
    assert web_sessions.by_id(store, tab.web_id).ended_reason == "idle"


def test_web_session__it_ends_after_its_lifetime_even_when_active(member, frozen):
    store, _, _ = member
    _, token = signed_in(store)
    step = dt.timedelta(minutes=20)
    at = frozen
    with pytest.raises(OppError) as info:  # noqa: PT012 (active until the lifetime ends)
        while True:
            at += step
            clock.freeze(at)
            web_session.check(store, web_session.resume(store, token))
    assert info.value.code == "SESSION_TOO_OLD"
    assert at - frozen >= web_session.LIFETIME


def test_web_session__a_password_change_ends_the_others_and_keeps_this_one(member):
    store, _, _ = member
    laptop, laptop_cookie = signed_in(store)
    _, phone_cookie = signed_in(store)
    new = "phrase de passe nouvelle"
    epoch = auth.change_password(store, laptop.viewer, PASSWORD, new, new)
    web_session.keep_after_password_change(store, laptop, epoch)
    assert web_session.check(store, web_session.resume(store, laptop_cookie)).name == "Camille"
    assert web_session.resume(store, phone_cookie) is None


def test_web_session__a_password_changed_elsewhere_ends_it(member):
    store, _, account = member
    _, cookie = signed_in(store)
    reset = link_token(store, account.id, "reset")
    auth.set_password_with_token(
        store, reset, "reset", "autre phrase longue", "autre phrase longue"
    )
    with pytest.raises(OppError) as info:
        web_session.check(store, web_session.resume(store, cookie))
    assert info.value.code == "SESSION_ENDED_CHANGED"
    assert web_session.resume(store, cookie) is None


def test_web_session__a_disabled_account_is_signed_out(member):
    store, _, account = member
    _, cookie = signed_in(store)
    membership.set_enabled(store, ADMIN, account.id, enabled=False)
    with pytest.raises(OppError) as info:
        web_session.check(store, web_session.resume(store, cookie))
    assert info.value.code == "SESSION_ENDED_DISABLED"
    membership.set_enabled(store, ADMIN, account.id, enabled=True)
    assert web_session.resume(store, cookie) is None  # re-enabling does not revive it


def test_web_session__an_erased_organisation_signs_its_members_out(member):
    from opp.services import erasure

    store, _, _ = member
    tab, cookie = signed_in(store)
    erasure.erase_organisation(store, tab.viewer, "EFFACER")
    assert web_session.resume(store, cookie) is None
    with pytest.raises(OppError) as info:
        web_session.check(store, tab)
    assert info.value.code == "SESSION_ENDED_GONE"


def test_web_session__next_address_stays_on_this_site():
    from opp.ui.session_routes import safe_next

    assert safe_next("/emploi") == "/emploi"
    assert safe_next("/repondre?x=1") == "/repondre?x=1"
    for hostile in (
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "",
        None,
        "emploi",
    ):
        assert safe_next(hostile) == "/"
