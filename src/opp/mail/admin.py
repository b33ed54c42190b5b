"""The outbox as the agency sees it: counts, messages, queue failed ones again, send
now. Administrators only; queuing again is audited (it may send a message twice when its
first delivery is unknown — an operator's decision, never an automatic one)."""

from __future__ import annotations

from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.mail import config as mail_config
from opp.mail.sender import Report, drain
from opp.store import audit, outbox
from opp.store.db import Store
from opp.store.outbox import Message

STATES = outbox.STATES  # a message's states, in the order the page shows them


def _admin(viewer: Viewer) -> None:
    require(viewer, Action.READ_OUTBOX)


def counts(store: Store, viewer: Viewer) -> dict[str, int]:
    _admin(viewer)
    return outbox.counts(store)


def messages(store: Store, viewer: Viewer, state: str | None, limit: int = 300) -> list[Message]:
    _admin(viewer)
    return outbox.recent(store, state=state, limit=limit)


def requeue(store: Store, viewer: Viewer, message_ids: list[int]) -> int:
    _admin(viewer)
    with store.transaction() as cur:
        n = outbox.requeue(cur, [int(i) for i in message_ids])
        audit.record(cur, viewer, "mail.requeue", "outbox", None, {"ids": message_ids[:100]})
    return n


def send_now(store: Store, viewer: Viewer, config: mail_config.MailConfig) -> Report:
    _admin(viewer)
    return drain(store, config, limit=200)
