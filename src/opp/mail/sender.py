"""Drain the outbox: claim a message, mint its link, render it, send it, record the outcome.

Used by the background thread of the server process (`BackgroundSender`, started once per
process by `opp.ui.mailer`) and by `python -m opp send-mail` (which exits when nothing
is due). Delivery is **at most once**: a message is claimed (committed as `sending`)
before the SMTP conversation and marked `sent` after it; a sender that dies in between
leaves a message whose fate is unknown, which the next sender marks `failed`
("interrupted") rather than sending twice — an operator may queue it again from the
Administration page. Errors the server reports before accepting the message are retried
with exponential backoff (4xx, network) or failed at once (5xx).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from opp import clock
from opp.mail import config as mail_config
from opp.mail.render import build_message, render
from opp.mail.smtp import ConnectionFailed, Outcome, Result, Session
from opp.services import auth
from opp.store import accounts, outbox
from opp.store.db import Cursor, Store
from opp.store.outbox import INTERRUPTED, Message

log = logging.getLogger("opp.mail")

# Who claims messages: one id per process (DuckDB lets one process open the file, so a
# `sending` row claimed by another id belongs to a process that is gone).
SENDER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
LEASE = dt.timedelta(minutes=10)  # longer than any SMTP conversation (timeouts of 30 s)
MAX_ATTEMPTS = 8
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=4)
BATCH = 50


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt after `attempts` tries: 1, 2, 4 … minutes, capped."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    interrupted: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.cancelled


ACTIVATED = "compte déjà activé / account already activated"


def _prepare(store: Store, message: Message, config: mail_config.MailConfig) -> dict | str | Result:
    """The parameters to render (with the link), the reason not to send at all, or a
    cancellation (the message has become pointless)."""
    params = dict(message.params)
    link_kind = message.link_kind
    if message.account_id is not None:
        account = accounts.by_id(store, message.account_id)
        if account is None:
            return "compte supprimé / account erased"
        if account.status == "disabled":
            return "compte désactivé / account disabled"
        if message.kind == "account_invitation" and account.status == "active":
            # Set up meanwhile (e.g. with the link `create-admin` printed): nothing to say.
            return Result(Outcome.CANCELLED, ACTIVATED)
        if link_kind == "invitation" and account.status == "active":
            link_kind = None  # activated meanwhile: the link leads to the page instead
            params.setdefault("path", "/repondre")
        if link_kind == "invitation" and account.status == "pending":
            return "compte en attente d'accord / account awaiting approval"
    if link_kind is not None:
        if message.account_id is None:
            return "lien impossible / no link"
        params["link"] = auth.mint_link(store, message.account_id, link_kind, config.base_url)
    elif params.get("path"):
        params["link"] = f"{config.base_url}{params['path']}"
    params["link_kind"] = link_kind
    return params


def send_one(
    store: Store, session: Session, message: Message, config: mail_config.MailConfig
) -> Result:
    prepared = _prepare(store, message, config)
    if isinstance(prepared, Result):
        return prepared
    if isinstance(prepared, str):
        return Result(Outcome.FAILED, prepared)
    rendered = render(message.kind, prepared, message.language)
    mime = build_message(
        rendered,
        sender=config.sender,
        recipient=message.recipient,
        outbox_id=message.id,
        now=clock.now(),
    )
    result = session.send(mime)
    if result.outcome is Outcome.SENT:
        return Result(Outcome.SENT, str(mime["Message-ID"]))
    return result


def _record(store: Store, message: Message, result: Result, report: Report) -> None:
    def write(cur: Cursor) -> None:
        if result.outcome is Outcome.SENT:
            outbox.mark_sent(cur, message.id, result.error)
            report.sent += 1
        elif result.outcome is Outcome.CANCELLED:
            outbox.mark_cancelled(cur, message.id, result.error)
            report.cancelled += 1
        elif result.outcome is Outcome.RETRY and message.attempts < MAX_ATTEMPTS:
            outbox.mark_retry(
                cur, message.id, result.error, clock.now() + backoff(message.attempts)
            )
            report.retried += 1
        elif result.outcome is Outcome.UNKNOWN:
            outbox.mark_failed(cur, message.id, f"{INTERRUPTED}: {result.error}")
            report.interrupted += 1
        else:
            outbox.mark_failed(cur, message.id, result.error)
            report.failed += 1

    store.retrying(write)


def _defer_all(store: Store, ids: list[int], result: Result, report: Report) -> None:
    """The server could not be reached: every due message waits (attempt counted)."""
    for message_id in ids:

        def claim(cur: Cursor, message_id: int = message_id) -> Message | None:
            return outbox.claim(cur, message_id, SENDER_ID)

        message = store.retrying(claim)
        if message is not None:
            _record(store, message, result, report)


def drain(
    store: Store,
    config: mail_config.MailConfig,
    *,
    stop: threading.Event | None = None,
    limit: int | None = None,
    sender_id: str = SENDER_ID,
) -> Report:
    """Send every due message (or `limit` of them); returns what happened. Several
    senders (threads, app servers) may drain one outbox at once: each message is claimed
    by one of them (`outbox.claim_next`). `sender_id` names this process in the claims."""
    report = Report()
    report.interrupted += outbox.recover(store, sender=sender_id, lease=LEASE)

    def claim(cur: Cursor) -> Message | None:
        return outbox.claim_next(cur, sender_id, shared=store.multi_process)

    while not (stop and stop.is_set()):
        if limit is not None and report.handled >= limit:
            break
        if not outbox.due(store, 1):
            break
        batch = BATCH if limit is None else min(BATCH, limit - report.handled)
        claimed = 0
        try:
            with Session(config) as session:
                while claimed < batch and not (stop and stop.is_set()):
                    message = store.retrying(claim)
                    if message is None:
                        break  # nothing due, or what is due is being sent by another
                    claimed += 1
                    if not session.alive:  # the previous message lost the connection
                        try:
                            session.__enter__()
                        except ConnectionFailed as failed:
                            _record(store, message, failed.result, report)
                            raise
                    result = send_one(store, session, message, config)
                    _record(store, message, result, report)
        except ConnectionFailed as failed:
            report.errors.append(failed.result.error)
            _defer_all(store, outbox.due(store, 10_000), failed.result, report)
            break
        if claimed == 0:
            break
    return report


class BackgroundSender(threading.Thread):
    """The server process's sender: every few seconds, queue scheduled reminders and
    drain the outbox; never raises (problems go to the operator's log)."""

    def __init__(
        self,
        store: Store,
        *,
        interval: float = 5.0,
        maintenance: Callable[[Store], None] | None = None,
    ) -> None:
        super().__init__(name="opp-mail-sender", daemon=True)
        self.store = store
        self.interval = interval
        self.maintenance = maintenance
        self.stop_event = threading.Event()
        self.last_report: Report | None = None

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.tick()
            self.stop_event.wait(self.interval)

    def tick(self) -> None:
        try:
            if self.maintenance is not None:
                self.maintenance(self.store)
            config = mail_config.load()
            if config is not None:
                self.last_report = drain(self.store, config, stop=self.stop_event)
        except Exception:  # the thread must live on; the operator reads the log
            log.exception("mail sender: unexpected error")

    def stop(self) -> None:
        self.stop_event.set()
