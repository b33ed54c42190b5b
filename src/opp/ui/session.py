"""Who is signed in: the session's account, its timeout, sign-in and sign-out.

The viewer object the pages pass to `opp` comes only from here. On every request the
session is checked against its account in the store (`auth.check_session`, one point
lookup): an erased organisation, a disabled account or a password changed elsewhere ends
it at once. A session inactive for longer than `auth.SESSION_TIMEOUT` is closed too.
"""

from __future__ import annotations

import logging

import streamlit as st

from opp.access import auth, client
from opp.access.viewer import ROLE_LABELS, Role, Viewer
from opp.errors import OppError
from opp.ui.state import get_store, lang

SESSION_KEY = "_opp_session"
NOTICE_KEY = "_opp_session_notice"
log = logging.getLogger("opp.ui")


def client_key() -> str:
    """The client for sign-in limits: the connection's address, or the address a declared
    trusted proxy reports (`OPP_TRUSTED_PROXIES`)."""
    peer = st.context.ip_address  # None for local connections (or outside a browser)
    headers = st.context.headers
    forwarded = headers.get("X-Forwarded-For") if headers is not None else None
    return client.client_address(
        peer if isinstance(peer, str) else None,
        forwarded if isinstance(forwarded, str) else None,
        client.trusted_proxies(),
    )


def _end(notice: str) -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state[NOTICE_KEY] = notice
    _forget_answers()


def current_viewer() -> Viewer | None:
    session: auth.Session | None = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    if session.expired():
        minutes = int(auth.SESSION_TIMEOUT.total_seconds() // 60)
        _end(OppError("SESSION_EXPIRED", minutes=minutes).message(lang()))
        return None
    try:
        viewer = auth.check_session(get_store(), session)
    except OppError as ended:
        _end(ended.message(lang()))
        return None
    session.touch()
    return viewer


def start_session(started: auth.Session | Viewer) -> None:
    if isinstance(started, Viewer):
        started = auth.start_session(get_store(), started)
    st.session_state[SESSION_KEY] = started
    st.session_state.pop(NOTICE_KEY, None)


def keep_after_password_change(epoch: int) -> None:
    """The session that changed the password stays signed in (the others end)."""
    session: auth.Session | None = st.session_state.get(SESSION_KEY)
    if session is not None:
        session.epoch = epoch


def sign_in(email: str, password: str) -> Viewer:
    viewer = auth.sign_in(get_store(), email, password, client=client_key())
    start_session(viewer)
    return viewer


def _forget_answers() -> None:
    for key in [
        k for k in st.session_state if isinstance(k, str) and k.startswith(("w:", "ans:", "sess:"))
    ]:
        del st.session_state[key]


def sign_out() -> None:
    session: auth.Session | None = st.session_state.pop(SESSION_KEY, None)
    if session is not None:
        auth.sign_out(get_store(), session.viewer)
    _forget_answers()
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()  # also leave the identity provider's session, or it signs us in again


def sso_configured() -> bool:
    """Single sign-on is offered when an [auth] section exists in secrets.toml."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def sso_viewer() -> Viewer | None:
    """Map the identity from the OIDC provider to an OPP account (once per session); the
    provider must say that the address was verified."""
    if not sso_configured():
        return None
    if not st.user.get("is_logged_in"):
        return None
    try:
        viewer = auth.sign_in_sso(
            get_store(),
            str(st.user.get("email") or ""),
            email_verified=st.user.get("email_verified") is True,
        )
    except OppError as refused:
        # Leave the provider's session too: otherwise every page would try again.
        st.session_state[NOTICE_KEY] = refused.message(lang())
        st.logout()
        return None
    start_session(viewer)
    return viewer


def signed_in_caption(viewer: Viewer) -> str:
    """Who is signed in, for the sidebar (Markdown, escaped): the name, then the role
    (with the coordinator's filière), never the same words twice."""
    from opp.referentiel import FILIERES
    from opp.ui.text import plain

    role = ROLE_LABELS[viewer.role][lang()]
    if viewer.role == Role.COORDINATEUR and viewer.filiere in FILIERES:
        role = f"{role} · {FILIERES[viewer.filiere][lang()]}"
    name = plain(viewer.name)
    if not viewer.name or viewer.name in role or role in viewer.name:
        return f"**{plain(role)}**"
    return f"**{name}**  \n{plain(role)}"
