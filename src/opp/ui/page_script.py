"""OPP's one page script: `<html lang>` follows the interface language (WCAG 3.1.1,
RGAA 8.3) and a page can ask to be shown from its top.

Streamlit's page says `<html lang="en">` whatever the interface shows (a screen reader
then reads French with an English voice), and keeps the scroll position when a step of
the answering form replaces the previous one (the next step opened at its bottom). The
content security policy forbids inline scripts of ours in the page, so:

- `PageLanguage`, an ASGI middleware, serves Streamlit's page with `lang="fr"` (the
  default interface language) and one small inline script, allowed by its hash (see
  `served_index`), which watches the page for two markers: a container named
  `st-key-opp-lang-<code>` (`language_marker`, around the menu) whose language it
  copies into `<html lang>`, and one named `st-key-opp-top-<n>` (`top_marker`) whose
  every new `<n>` scrolls the page back to its top. On a narrow screen, where the menu
  covers the page, it also closes the menu once a page was chosen in it (Streamlit's own
  menu did; our menu of page links does not by itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

DEFAULT_LANG = "fr"
MARKER_PREFIX = "opp-lang-"
TOP_PREFIX = "opp-top-"
NARROW = 768  # px: below this (Streamlit's "md" breakpoint) the menu covers the page
# Kept on one line: its SHA-256 goes into the content security policy.
LANG_SCRIPT = (
    "new MutationObserver(function(){"
    "var m=document.querySelector('[class*=\"st-key-" + MARKER_PREFIX + "\"]');"
    "var l=m&&/st-key-" + MARKER_PREFIX + "([a-z]{2})/.exec(m.className);"
    "if(l&&document.documentElement.lang!==l[1])document.documentElement.lang=l[1];"
    "var t=document.querySelector('[class*=\"st-key-" + TOP_PREFIX + "\"]');"
    "var n=t&&/st-key-" + TOP_PREFIX + "(\\d+)/.exec(t.className);"
    "if(n&&window.__oppTop!==n[1]){window.__oppTop=n[1];"
    "var s=document.querySelector('[data-testid=\"stMain\"]');if(s)s.scrollTop=0;"
    "window.scrollTo(0,0);}"
    "if(window.__oppPath!==location.pathname){"
    "var first=window.__oppPath===undefined;window.__oppPath=location.pathname;"
    "var c=document.querySelector('[data-testid=\"stSidebarCollapseButton\"] button');"
    "if(!first&&c&&window.innerWidth<" + str(NARROW) + ")c.click();}"
    "}).observe(document.documentElement,{childList:true,subtree:true});"
)
# Paths Streamlit serves that are not its page (scripts, styles, media, endpoints).
_NOT_THE_PAGE = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/")


def served_index(index_html: str) -> str:
    """Streamlit's page as OPP serves it: French by default, with the language script."""
    html = index_html.replace('<html lang="en">', f'<html lang="{DEFAULT_LANG}">', 1)
    return html.replace("</head>", f"<script>{LANG_SCRIPT}</script></head>", 1)


class PageLanguage:
    """ASGI middleware: rewrites the HTML page Streamlit serves (see `served_index`).

    The page is asked for uncompressed (the request's Accept-Encoding is dropped for page
    addresses only, a few kilobytes), so its body can be rewritten; every other answer,
    and WebSockets, pass untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or path.startswith(_NOT_THE_PAGE)
        ):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = MutableHeaders(scope=message).get("content-type", "")
                if not content_type.startswith("text/html"):
                    await send(message)
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = served_index(b"".join(chunks).decode("utf-8")).encode("utf-8")
            headers = MutableHeaders(scope=start)
            headers["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


def language_marker() -> DeltaGenerator:
    """A container named after the session's language (read by the page script); give
    it content (an empty container is not drawn)."""
    import streamlit as st

    from opp.ui.state import lang

    return st.container(key=f"{MARKER_PREFIX}{lang()}")


def top_marker(scope: str, *, scroll: bool) -> DeltaGenerator:
    """A container whose name changes when `scroll` is true: the page script then shows
    the page from its top (e.g. a new step of a form). Give it content (an empty
    container is not drawn)."""
    import streamlit as st

    counter = f"_opp_top:{scope}"
    if scroll or counter not in st.session_state:
        st.session_state[counter] = st.session_state.get(counter, 0) + 1
    return st.container(key=f"{TOP_PREFIX}{st.session_state[counter]}")
