"""The HTTP routes that set and drop the sign-in cookie (served by `asgi.py`).

A Streamlit page cannot set an HttpOnly cookie (it talks to the browser over a
WebSocket), so a sign-in sends the browser once, as a full navigation, through
`/session/begin?handoff=…&next=/page`: the one-time handoff token is spent, the cookie's
own random token is minted, and the browser goes back to the page it was on, which now
finds its session from the cookie. `/session/end` drops the cookie after a sign-out.

The cookie: `opp_session`, HttpOnly (no script reads it), SameSite=Lax (not sent by
other sites' sub-requests or forms), Path=/, Secure when the page is served over HTTPS
(the request's scheme, or `OPP_BASE_URL` starting with https), expiring with the
session's lifetime. Only its SHA-256 is stored.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from opp import settings
from opp.services import web_session
from opp.services.storage import Store


def safe_next(value: str | None) -> str:
    """Where to send the browser afterwards: a path of this site only (never another
    host: `//host`, `/\\host` or a scheme are refused), else the home page."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if len(value) > 300 or any(ord(c) < 33 or c in '\\"<>' for c in value):
        return "/"
    return value


def secure(request: Request) -> bool:
    base = settings.setting("OPP_BASE_URL") or ""
    return request.url.scheme == "https" or base.lower().startswith("https://")


def _store() -> Store:
    from opp.ui.state import get_store

    return get_store()


def begin(request: Request) -> Response:
    """Spend the handoff, set the cookie, go back to the page. A handoff already spent
    or expired leaves the browser signed out (the page then says so)."""
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.headers["cache-control"] = "no-store"
    claimed = web_session.claim(_store(), request.query_params.get("handoff") or "")
    if claimed is None:
        return response
    token, row = claimed
    response.set_cookie(
        web_session.COOKIE_NAME,
        token,
        max_age=int((row.expires_at - row.created_at).total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )
    return response


def end(request: Request) -> Response:
    """Drop the cookie, if the session it names has ended (so that another site cannot
    sign anyone out by linking here), and go to the sign-in page."""
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.headers["cache-control"] = "no-store"
    token = request.cookies.get(web_session.COOKIE_NAME)
    if token and web_session.resume(_store(), token) is None:
        response.delete_cookie(
            web_session.COOKIE_NAME,
            path="/",
            httponly=True,
            samesite="lax",
            secure=secure(request),
        )
    return response


def routes() -> list[BaseRoute]:
    return [
        Route("/session/begin", begin, methods=["GET"]),
        Route("/session/end", end, methods=["GET"]),
    ]
