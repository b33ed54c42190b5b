"""What the sender does besides sending: queue the scheduled campaign reminders that are
due, and forget what is no longer needed (old sign-in attempts, old sent mail)."""

from __future__ import annotations

import datetime as dt

from opp import clock
from opp.store import accounts, outbox
from opp.store.db import Store

ATTEMPTS_KEPT = dt.timedelta(days=31)  # the longest rule looks 30 days back
OUTBOX_KEPT = dt.timedelta(days=90)


def run_maintenance(store: Store, *, purge: bool = True) -> None:
    from opp.mail import campaign

    campaign.run_scheduled(store)
    if purge:
        accounts.purge_attempts(store, clock.now() - ATTEMPTS_KEPT)
        outbox.purge(store, clock.now() - OUTBOX_KEPT)
