"""Signing out of OPP also signs out of the identity provider (st.login), or the next
page would sign the person in again."""

from __future__ import annotations

import pytest

from opp.access.viewer import Role, Viewer
from opp.ui import session

pytestmark = pytest.mark.both_backends


class _State(dict):
    pass


def test_session__sign_out_leaves_the_identity_providers_session(monkeypatch, tmp_store):
    calls: list[str] = []
    state = _State({session.SESSION_KEY: None})
    monkeypatch.setattr(session.st, "session_state", state)
    monkeypatch.setattr(session, "sso_configured", lambda: True)
    monkeypatch.setattr(session.st, "user", {"is_logged_in": True})
    monkeypatch.setattr(session.st, "logout", lambda: calls.append("logout"))
    monkeypatch.setattr(session, "get_store", lambda: tmp_store)
    from opp.services import auth

    state[session.SESSION_KEY] = auth.Session(
        viewer=Viewer(role=Role.COREPS, account_id="x"), last_seen=auth.clock.now()
    )
    session.sign_out()
    assert calls == ["logout"]
    assert session.SESSION_KEY not in state


def test_session__without_single_sign_on_nothing_else_happens(monkeypatch, tmp_store):
    calls: list[str] = []
    monkeypatch.setattr(session.st, "session_state", _State())
    monkeypatch.setattr(session, "sso_configured", lambda: False)
    monkeypatch.setattr(session.st, "logout", lambda: calls.append("logout"))
    session.sign_out()
    assert calls == []
