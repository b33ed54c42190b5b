"""At-most-once mail: `python -m opp send-mail` killed with SIGKILL in the middle of a
batch, then run again — no message is sent twice, none is lost without a trace.

Runs on a DuckDB file and on a PostgreSQL database (the sender started with
`OPP_DATABASE_URL`, as on a multi-server deployment, where the outbox is claimed with
`FOR UPDATE SKIP LOCKED`)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from mailserver import MailServer

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.mail import sender
from opp.services import membership
from opp.store import open_store, outbox

pytestmark = pytest.mark.slow
ADMIN = Viewer(role=Role.ADMIN, account_id="admin")
MESSAGES = 24
WAIT = 120


@pytest.fixture(params=["duckdb", "postgres"])
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """None (the DuckDB file), or the URL of a fresh PostgreSQL database, set as
    `OPP_DATABASE_URL` for this process and the senders it starts."""
    if request.param == "duckdb":
        return None
    url = request.getfixturevalue("pg_database")
    monkeypatch.setenv("OPP_DATABASE_URL", url)
    return url


def _send_mail(db, server, *, background: bool):
    env = {
        **os.environ,
        "OPP_SMTP_URL": server.url(),
        "OPP_MAIL_FROM": "opp@example.org",
        "OPP_BASE_URL": "https://opp.example.org",
    }
    command = [sys.executable, "-m", "opp", "send-mail", "--path", str(db)]
    if background:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=WAIT
    )


def test_mail_crash__sender_killed_mid_batch_sends_nothing_twice(tmp_path, database_url):
    db = tmp_path / "mail.duckdb"
    store = open_store(db)
    ids = []
    for i in range(MESSAGES):
        invited = membership.invite(
            store, ADMIN, email=f"p{i}@example.org", display_name=f"P{i}", role=Role.COREPS
        )
        ids.append(invited.message_id)
    store.close()

    server = MailServer().start()
    try:
        server.handler.mode, server.handler.delay = "slow", 0.3
        proc = _send_mail(db, server, background=True)
        deadline = time.monotonic() + WAIT
        while len(server.received) < 6:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the sender never got going"
            time.sleep(0.05)
        time.sleep(0.15)  # most likely in the middle of a DATA exchange
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=WAIT)
        before_restart = len(server.received)
        assert before_restart < MESSAGES

        server.handler.mode = "accept"
        done = _send_mail(db, server, background=False)
        assert done.returncode in (0, 1), done.stderr
        time.sleep(0.5)  # a DATA exchange cut by the kill may still be finishing server-side
        received = [r.outbox_id for r in server.received]
    finally:
        server.stop()

    assert len(received) == len(set(received)), "a message was delivered twice"
    store = open_store(db)
    try:
        states = {m.id: m for m in outbox.recent(store, limit=1000)}
        if database_url is not None:
            # Several app servers send from one PostgreSQL outbox: a `sending` message may
            # be another live server's, so the restarted sender leaves it alone until its
            # lease is over (on the DuckDB file, the only sender knows it is its own dead
            # predecessor's). Once the lease is over, it becomes `failed` (interrupted).
            left = [m.id for m in states.values() if m.state == "sending"]
            assert len(left) <= 1
            assert not {str(i) for i in left} & set(received)  # never sent again meanwhile
            clock.freeze(dt.datetime.now(dt.UTC) + sender.LEASE + dt.timedelta(minutes=1))
            try:
                assert outbox.recover(store, sender=sender.SENDER_ID, lease=sender.LEASE) == len(
                    left
                )
            finally:
                clock.freeze(None)
            states = {m.id: m for m in outbox.recent(store, limit=1000)}
    finally:
        store.close()
    interrupted = [m for m in states.values() if m.state == "failed"]
    assert len(interrupted) <= 1
    assert all(m.last_error.startswith(outbox.INTERRUPTED) for m in interrupted)
    for message_id in ids:
        message = states[message_id]
        assert message.state in ("sent", "failed")
        if message.state == "sent":
            assert str(message_id) in received
    assert {m.id for m in states.values() if m.state == "sent"} <= {int(r) for r in received}
    assert len(received) >= MESSAGES - 1
