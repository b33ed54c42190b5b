"""Warm-up at server start: build in the background what the first visitors would
otherwise wait for — the heavy imports, the questionnaire and indicator catalogues,
the store, the analytical frames of every indicator (answer columns, repeat items,
participation) and the populations the differencing admits for each indicator and
year (`LazyFrames.freeze`, which stores them with the release: a server started later,
or another app server, reads them instead of computing them) — so that the first
dashboard opened after a start is served warm.

Started by the server's lifespan (`opp.ui.server`); `OPP_WARMUP=0` turns it off (a
small machine that would rather build the frames on demand). A page asking for the
frames while the warm-up builds them waits for the same build (one cache entry per
release) and says so (`opp.ui.data.frames`).

The same thread then follows the releases: every `OPP_WARMUP_EVERY` seconds (default
20) it reads the latest release's number — one indexed query; on PostgreSQL it sees a
release published through another app server — and builds a new release's frames
before a viewer asks for them, so that the first dashboard opened after a publication
is served warm too, on every server.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from opp.errors import OppError

log = logging.getLogger("opp.warmup")
DEFAULT_EVERY = 20.0  # seconds between two looks at the latest release


def enabled() -> bool:
    return os.environ.get("OPP_WARMUP", "1").strip().lower() not in ("0", "false", "no", "off")


def start() -> threading.Thread | None:
    """Run `warm()` in a background thread (unless turned off); returns the thread."""
    if not enabled():
        log.info("warm-up turned off (OPP_WARMUP=0): frames are built on first use")
        return None
    thread = threading.Thread(target=_run, name="opp-warmup", daemon=True)
    thread.start()
    return thread


def every() -> float:
    """Seconds between two looks at the latest release (`OPP_WARMUP_EVERY`, ≥ 1)."""
    try:
        return max(1.0, float(os.environ.get("OPP_WARMUP_EVERY", DEFAULT_EVERY)))
    except ValueError:
        log.warning("OPP_WARMUP_EVERY is not a number of seconds: %s used", DEFAULT_EVERY)
        return DEFAULT_EVERY


def _run(stop: threading.Event | None = None) -> None:
    """Warm once, then follow the releases until `stop` (never, in the server)."""
    stop = stop or threading.Event()
    warm()
    while not stop.wait(every()):
        follow()


def follow() -> bool:
    """Build the latest release's frames if they are not built yet; True when it did.
    Failures are logged, never raised (the next look tries again)."""
    try:
        from opp.ui import data

        if not data.latest_needs_frames():
            return False
    except OppError as err:
        log.warning("warm-up: release not read: %s", err.message("en"))
        return False
    except Exception:
        log.exception("warm-up: the latest release could not be read")
        return False
    return warm()


def warm() -> bool:
    """Build the caches; True when done. Failures are logged, never raised: visitors
    then build what they need themselves (and see why the store is unavailable)."""
    started = time.perf_counter()
    try:
        import opp.ui.charts  # noqa: F401  (Plotly and pandas: seconds of imports)
        from opp.ui import data
        from opp.ui.state import get_store

        store = get_store()
        _, indicators = data.catalogues()
        frames = data.warm_frames()
        if frames is None:
            log.info("warm-up: no release yet, nothing to build")
            return True
        everything = list(indicators.indicators.values())
        steps = frames.warm(everything)
        stored = frames.freeze(everything)
    except OppError as err:
        log.warning("warm-up stopped: %s", err.message("en"))
        return False
    except Exception:
        log.exception("warm-up failed (pages will build their data on first use)")
        return False
    log.info(
        "warm-up done in %.1f s: frames of %s (release %d), %d columns, %d steps, "
        "%d admissions stored with the release",
        time.perf_counter() - started,
        store.path,
        frames.release.id,
        len(frames.columns),
        steps,
        stored,
    )
    return True
