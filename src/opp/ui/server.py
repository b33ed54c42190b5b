"""What OPP adds to Streamlit's web server (`st.App`, Starlette), used by `asgi.py`.

`asgi.py` builds the one ASGI application that `make run` serves: Streamlit's own
routes (the page, its WebSocket, health, uploads; XSRF protection kept on) plus

- `middleware()`: security headers on every HTTP answer (content security policy that
  Streamlit's page satisfies, no framing by other sites, no MIME sniffing, no referrer
  sent elsewhere), added by a plain ASGI middleware so WebSockets pass untouched;
- `routes()`: OPP's own HTTP routes, beside Streamlit's, served by the same process:
  `/session/begin` and `/session/end` set and drop the sign-in cookie
  (`opp.ui.session_routes`), and the read API under `/api/v1/` (`opp.api.routes`, fed
  with the dashboards' own cached catalogue and frames);
- `lifespan`: server start and stop. At start, every address is routed through app.py
  (`no_legacy_pages_mode`) and a background thread warms the caches the first visitor
  would otherwise wait for (catalogues, analytical frames of every dashboard
  indicator), see `opp.ui.warmup`;
- `configure_logging()`: OPP's operator log lines on the server's standard error.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Where Streamlit's page comes from: its inline scripts are allowed by their hash.
STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP source expressions ('sha256-…') for each inline <script> of a page."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in _INLINE_SCRIPT.findall(index_html)
    ]


def content_security_policy(index_html: str) -> str:
    """The policy every answer carries: only this server's own scripts, styles, fonts,
    images and connections (the WebSocket included); nothing from another host.

    Streamlit's page needs inline styles (its CSS-in-JS writes <style> elements and
    style attributes), `blob:`/`data:` images and fonts (charts, downloads, icons) and
    `blob:` workers; its one inline script is allowed by hash, never 'unsafe-inline'.
    Its protobuf library tries to compile a small WebAssembly module
    ('wasm-unsafe-eval': WebAssembly only, JavaScript `eval` stays forbidden).
    """
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(index_html)])
    directives = {
        "default-src": "'self'",
        "script-src": scripts,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' data: blob:",
        "worker-src": "'self' blob:",
        "frame-src": "'self' blob: data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(index_html: str | None = None) -> list[tuple[str, str]]:
    """The headers added to every HTTP answer (names lower-case, as ASGI sends them)."""
    html = index_html if index_html is not None else STREAMLIT_INDEX.read_text(encoding="utf-8")
    return [
        ("content-security-policy", content_security_policy(html)),
        ("x-frame-options", "SAMEORIGIN"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("cross-origin-opener-policy", "same-origin"),
    ]


# Sent only over HTTPS (a browser ignores it on plain HTTP, and it must not pin a
# development server on localhost to HTTPS).
HSTS = ("strict-transport-security", "max-age=31536000")


class SecurityHeaders:
    """ASGI middleware: adds `headers` to every HTTP response (WebSockets untouched).

    A header the route already set is replaced, so a policy cannot be loosened by a
    route by accident; OPP's own routes that need another policy say so here.
    """

    def __init__(self, app: ASGIApp, headers: Iterable[tuple[str, str]]) -> None:
        self.app = app
        self.headers = list(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    headers[name] = value
                if secure:
                    headers[HSTS[0]] = HSTS[1]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware() -> list[Middleware]:
    """OPP's middleware, run before Streamlit's own (path checks, session, gzip). The
    sign-in cookie is read by the page's own run (`opp.ui.session`, from the WebSocket
    request's cookies), so no middleware is needed for it."""
    from opp.ui.page_script import PageLanguage, served_index

    index = served_index(STREAMLIT_INDEX.read_text(encoding="utf-8"))
    return [
        Middleware(SecurityHeaders, headers=security_headers(index)),
        Middleware(PageLanguage),  # <html lang> follows the interface language
    ]


def routes() -> list[BaseRoute]:
    """OPP's HTTP routes beside Streamlit's (Streamlit refuses routes under its own
    prefixes `/_stcore/`, `/media/`, `/component/`, `/static/`)."""
    from starlette.routing import Mount

    from opp.api import routes as api
    from opp.ui import data, session_routes
    from opp.ui.state import get_store

    backend = api.Backend(
        store=get_store, catalogue=lambda: data.catalogues()[1], frames=data.latest_frames
    )
    return [*session_routes.routes(), Mount("/api/v1", routes=api.routes(backend))]


def configure_logging() -> None:
    """OPP's log lines (operator messages: storage failures, unavailable store, warm-up,
    unexpected errors with their reference) on the server's standard error, with the
    time; `OPP_LOG_LEVEL` (default INFO) sets how much."""
    logger = logging.getLogger("opp")
    if any(getattr(h, "_opp", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._opp = True  # type: ignore[attr-defined]  # our mark on a stdlib handler
    logger.addHandler(handler)
    logger.setLevel(os.environ.get("OPP_LOG_LEVEL", "INFO").upper())
    logger.propagate = False


def no_legacy_pages_mode() -> None:
    """Every request runs app.py (language, viewer, menu), whatever address it opens.

    Because a `pages/` folder sits beside app.py, Streamlit would start each new session
    in its legacy multipage mode: the first request for an address ran the page file
    alone and drew a menu of the raw file names (`filiere_arts_de_la_rue`, …) until
    app.py's `st.navigation` had run once. `opp.ui.state.require_shell` leaves that mode
    for runs started otherwise (AppTest, `streamlit run app.py`).
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Server start: app.py for every address, caches warmed in the background; stop:
    nothing to release (the store's connection closes with the process)."""
    from opp.ui import warmup

    no_legacy_pages_mode()
    warmup.start()
    yield
