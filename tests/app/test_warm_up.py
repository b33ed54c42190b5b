"""The server's warm-up follows the releases: a release published while the server runs
(here, or through another app server on PostgreSQL) has its frames built — and its
differencing admissions stored with it — before a viewer asks, so the first dashboard
opened after a publication is served warm."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from conftest import publish_release

from opp.store import admissions, open_store
from opp.ui import data, warmup


@pytest.fixture
def served(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's store is a private copy of the demo region; nothing built yet."""
    monkeypatch.delenv("OPP_DATABASE_URL", raising=False)
    monkeypatch.setenv("OPP_DB", str(demo_copy))
    monkeypatch.setattr(data, "_built", {})
    return demo_copy


def test_warm_up__a_new_release_gets_its_frames_before_anyone_asks(
    served: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert data.latest_needs_frames()
    assert warmup.follow()  # the start: the latest release's frames are built
    first = data.warm_frames()
    assert first is not None
    assert not data.latest_needs_frames()
    assert not warmup.follow()  # nothing new: nothing rebuilt

    store = open_store(served)  # another connection publishes, as an admin's page would
    try:
        release = publish_release(store)
    finally:
        store.close()
    assert data.latest_needs_frames()
    with caplog.at_level(logging.INFO, logger="opp.warmup"):
        assert warmup.follow()
    assert f"(release {release.id})" in caplog.text
    assert data._built["key"][1] == release.id
    # The differencing's admissions are stored with the new release for every server.
    store = open_store(served)
    try:
        assert admissions.load(store, release.id)
    finally:
        store.close()
    built = data.latest_frames()  # what a page gets now: already built, the new release
    assert built.release.id == release.id
    assert built is not first
    assert not data.latest_needs_frames()


def test_warm_up__the_follower_stops_when_asked_and_reads_its_interval(
    served: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPP_WARMUP_EVERY", "quickly")
    assert warmup.every() == warmup.DEFAULT_EVERY  # not a number: the default, logged
    monkeypatch.setenv("OPP_WARMUP_EVERY", "0.01")
    assert warmup.every() == 1.0  # never busier than once a second
    stop = threading.Event()
    stop.set()
    warmup._run(stop)  # warms once, then sees the stop at its first wait
    assert not data.latest_needs_frames()
