"""Who is signed in: the session's account, its timeout, sign-in and sign-out.

The viewer object the pages pass to `opp` comes only from here. A sign-in starts a
browser session (`opp.services.web_session`) and sends the browser once through
`/session/begin` (`opp.ui.server`), which sets the HttpOnly cookie; a reload, a new tab
or a bookmark then finds the session again from that cookie. On every request the
session is checked in the store (ended, idle longer than `auth.SESSION_TIMEOUT`, older
than `web_session.LIFETIME`) and against its account (`auth.check_session`, one point
lookup): an erased organisation, a disabled account or a password changed elsewhere ends
it at once, in every tab.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import streamlit as st

from opp.access import client
from opp.access.viewer import ROLE_LABELS, Role, Viewer
from opp.errors import OppError
from opp.services import auth, web_session
from opp.ui.state import get_store, lang

SESSION_KEY = "_opp_session"
NOTICE_KEY = "_opp_session_notice"
REDIRECT_KEY = "_opp_redirect"
BEGIN_PATH = "/session/begin"
END_PATH = "/session/end"
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


def _cookie_token() -> str | None:
    """The session cookie sent with this tab's connection (None outside a browser)."""
    try:
        cookies = st.context.cookies
    except Exception:  # noqa: BLE001 (no request context: page tests)
        return None
    token = cookies.get(web_session.COOKIE_NAME) if cookies is not None else None
    return token if isinstance(token, str) and token else None


def _resume() -> auth.Session | None:
    """A browser session found from the cookie (reload, new tab, bookmark)."""
    token = _cookie_token()
    if token is None:
        return None
    store = get_store()
    session = web_session.resume(store, token)
    if session is None:
        return None
    st.session_state[SESSION_KEY] = session
    chosen = web_session.language(store, session)
    if chosen in ("fr", "en"):
        st.session_state["lang"] = chosen
    return session


def current_viewer() -> Viewer | None:
    session: auth.Session | None = st.session_state.get(SESSION_KEY) or _resume()
    if session is None:
        return None
    if session.web_id is not None:
        try:
            return web_session.check(get_store(), session)
        except OppError as ended:
            _end(ended.message(lang()))
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
    """Sign the tab in and start the browser session behind the cookie: the next run
    sends the browser through `/session/begin` to set it (`send_redirect`)."""
    store = get_store()
    if isinstance(started, Viewer):
        started = auth.start_session(store, started)
    handoff = web_session.begin(store, started, language=lang())
    st.session_state[SESSION_KEY] = started
    st.session_state[REDIRECT_KEY] = (BEGIN_PATH, {"handoff": handoff})
    st.session_state.pop(NOTICE_KEY, None)


def keep_after_password_change(epoch: int) -> None:
    """The session that changed the password stays signed in (the others end)."""
    session: auth.Session | None = st.session_state.get(SESSION_KEY)
    if session is not None:
        web_session.keep_after_password_change(get_store(), session, epoch)


def remember_language(language: str) -> None:
    """Keep the language chosen in this browser session across reloads."""
    session: auth.Session | None = st.session_state.get(SESSION_KEY)
    if session is not None and session.web_id is not None:
        web_session.set_language(get_store(), session, language)


def redirect_pending() -> bool:
    """A sign-in or sign-out of this run still has to send the browser through its
    session route (`send_redirect`)."""
    return REDIRECT_KEY in st.session_state


def send_redirect(page_path: str) -> None:
    """Send the browser through the pending session route (set the cookie after a
    sign-in, drop it after a sign-out), then back to `page_path`. Called by app.py once
    the page is known; the whole page reloads, signed in by the cookie."""
    pending = st.session_state.pop(REDIRECT_KEY, None)
    if pending is None:
        return
    route, params = pending
    query = {"next": "/" + page_path.lstrip("/"), **params}
    target = f"{route}?{urlencode(query)}"
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    # The message st.login/st.logout use to send the browser to a server route.
    msg = ForwardMsg()
    msg.auth_redirect.url = target
    ctx.enqueue(msg)


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
    """End the session everywhere (every tab of this browser) and drop the cookie."""
    session: auth.Session | None = st.session_state.pop(SESSION_KEY, None)
    if session is not None:
        if session.web_id is not None:
            web_session.end(get_store(), session.web_id, "signed_out")
        auth.sign_out(get_store(), session.viewer)
    st.session_state[REDIRECT_KEY] = (END_PATH, {"next": "/connexion"})
    _forget_answers()
    if sso_configured() and st.user.get("is_logged_in"):
        st.session_state.pop(REDIRECT_KEY, None)  # st.logout sends the browser away instead
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
        role = f"{role} · {FILIERES.label(viewer.filiere, lang())}"
    name = plain(viewer.name)
    if not viewer.name or viewer.name in role or role in viewer.name:
        return f"**{plain(role)}**"
    return f"**{name}**  \n{plain(role)}"
