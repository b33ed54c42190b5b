"""Publishing a release (`PUBLISH_RELEASE`: the agency) and the reads the pages make of
releases (public: every figure comes from the latest one). The freezing itself is
`opp.store.releases`, which takes no viewer."""

from __future__ import annotations

import datetime as dt

from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.store import releases as repo
from opp.store.db import Store
from opp.store.releases import KeySource, Pending, Release, ReleaseCampaign

__all__ = [
    "Pending",
    "Release",
    "ReleaseCampaign",
    "get",
    "latest",
    "latest_id",
    "list_all",
    "pending",
    "provisional_still_open",
    "publish",
]


def publish(
    store: Store,
    viewer: Viewer,
    *,
    include_open: list[str] | tuple[str, ...] = (),
    reason: str = "agency",
    note: str | None = None,
    today: dt.date | None = None,
    published_at: dt.datetime | None = None,
    keys: KeySource | None = None,
) -> Release:
    """Publish the next release: every closed campaign (final) and the open campaigns of
    `include_open` (provisional), as their submitted responses stand now."""
    require(viewer, Action.PUBLISH_RELEASE)
    return repo.publish(
        store,
        viewer,
        include_open=include_open,
        reason=reason,
        note=note,
        today=today,
        published_at=published_at,
        keys=keys,
    )


def latest(store: Store) -> Release | None:
    """The latest published release (None before the first)."""
    return repo.latest(store)


def latest_id(store: Store) -> int | None:
    """The latest release's number: part of every figure's cache key."""
    return repo.latest_id(store)


def get(store: Store, release_id: int) -> Release:
    """One release by number."""
    return repo.get(store, release_id)


def list_all(store: Store) -> list[Release]:
    """Every release, as the publication page lists them."""
    return repo.list_all(store)


def pending(store: Store, today: dt.date | None = None) -> Pending:
    """What a new release would change (closed campaigns not yet in one, changed ones)."""
    return repo.pending(store, today)


def provisional_still_open(store: Store, today: dt.date | None = None) -> list[str]:
    """Open campaigns the latest release holds: a new release keeps them by default."""
    return repo.provisional_still_open(store, today)
