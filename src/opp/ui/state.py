"""Session-wide things every page needs: the store, the language, the viewer."""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from opp import settings
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.services.storage import Store, is_storage_failure, open_store
from opp.ui.strings import ngettext, t

log = logging.getLogger("opp.ui")

# The page icon, shipped with OPP (no request to any outside host).
FAVICON = Path(__file__).parent / "assets" / "favicon.png"


@st.cache_resource(show_spinner=False)
def _store(where: str) -> Store:
    # One connection per process, shared by every session; each thread gets a cursor.
    # `where` is `store_key()`: open_store reads OPP_DATABASE_URL itself when it is set.
    return open_store(where)


def store_key() -> str:
    """What decides which database the app opens: `OPP_DATABASE_URL` when set (it wins
    over the file), else the DuckDB file. The cached store is keyed by it, so that a
    change of either never hands out the store of the other database."""
    return settings.database_url() or str(settings.db_path())


def get_store() -> Store:
    return _store(store_key())


def open_store_for_run() -> Store:
    """The store, reopened first if a fatal error invalidated it (once per page run, by
    `require_shell`: one trivial query), so that one failure does not fail every later
    request until the server is restarted."""
    store = get_store()
    store.revive()
    return store


@contextmanager
def timed_run(page: str) -> Iterator[None]:
    """Log how long a page run took: DEBUG for every run (`OPP_LOG_LEVEL=DEBUG`, read by
    bench/concurrent_viewers.py), INFO when slower than `SLOW_RUN` seconds (a busy
    server: see docs/PERFORMANCE.md, "Concurrent viewers")."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        level = logging.INFO if seconds > SLOW_RUN else logging.DEBUG
        runs.log(level, "page run %s %.3f s", page or "accueil", seconds)


SLOW_RUN = 5.0
runs = logging.getLogger("opp.runs")


def lang() -> str:
    value = st.session_state.get("lang", "fr")
    return value if value in ("fr", "en") else "fr"


def tr(key: str, **params: object) -> str:
    """Interface text in the session's language."""
    return t(key, lang(), **params)


def trn(key: str, n: int, **params: object) -> str:
    """The singular or plural form of an interface text for the count `n`."""
    return ngettext(key, n, lang(), **params)


def viewer() -> Viewer | None:
    """The signed-in viewer (None when signed out or when the session has expired)."""
    from opp.ui.session import current_viewer

    return current_viewer()


def public_error(err: OppError) -> OppError:
    """The error as a visitor may see it: one that names server internals (a path, a
    process id) is logged for the operator and replaced by a reference to that line."""
    if not err.for_operator:
        return err
    ref = uuid.uuid4().hex[:8]
    log.error("OPP unavailable (ref %s): %s", ref, err.message("en"))
    return OppError("STORE_UNAVAILABLE", ref=ref)


def show_error(err: OppError) -> None:
    if err.notice:
        st.info(err.message(lang()), icon=":material/hourglass_empty:")
        return
    st.error(public_error(err).message(lang()), icon=":material/error:")


@contextmanager
def guarded() -> Iterator[None]:
    """Show `OppError`s nicely; log anything else and show a reference, never a traceback."""
    try:
        yield
    except OppError as err:
        show_error(err)
    except Exception as exc:  # st.rerun/st.stop raise BaseException subclasses and pass through
        if is_storage_failure(exc):  # a read failed: full disk, disk error, fatal…
            show_error(get_store().failed(exc, "read"))
            return
        ref = uuid.uuid4().hex[:8]
        log.exception("unexpected error (ref %s)", ref)
        st.error(tr("error.unexpected", ref=ref), icon=":material/error:")
        if os.environ.get(FAIL_ON_PAGE_ERROR):
            page_errors.append(exc)


# Under tests (tests/conftest.py sets this variable), an unexpected exception caught by
# `guarded()` is also kept in `page_errors`, and a fixture fails the test with it: a page
# that crashed shows users only a generic message, which a test would not notice.
FAIL_ON_PAGE_ERROR = "OPP_FAIL_ON_PAGE_ERROR"
page_errors: list[BaseException] = []


def require_shell() -> None:
    """Make sure the page runs inside app.py's navigation (language, viewer, menu), on a
    usable store (reopened first if a fatal error invalidated it).

    Streamlit starts in its legacy "pages/ folder" mode until `st.navigation` has run
    once: a deep link (e.g. /repondre) opened first after a server start would run the
    page alone. On a session's first run we leave that mode and rerun, so app.py runs
    and routes to this page (a first run has no pending clicks to lose).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st.session_state.get(SHELL_READY):
        PagesManager.uses_pages_directory = False
        st.rerun()
    try:
        open_store_for_run()
    except OppError as err:  # the file could not be reopened (held, disk full…)
        show_error(err)
        st.stop()


SHELL_READY = "_opp_shell_ready"


def require_viewer() -> Viewer:
    """The signed-in viewer, or a sign-in invitation and the end of the page."""
    current = viewer()
    if current is None:
        st.info(tr("login.required"), icon=":material/login:")
        st.stop()
    return current
