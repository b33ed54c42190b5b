"""The server starts one background mail sender per process and database, on the first
request, and it sends what the pages queue."""

from __future__ import annotations

import threading
import time

from opp.store import outbox


def test_mailer__one_sender_per_process_started_by_the_app(
    run_app, demo_copy, mail_settings, monkeypatch
):
    from opp.ui import mailer

    monkeypatch.setenv("OPP_MAIL_SENDER", "on")
    mailer._sender.clear()
    try:
        run_app(demo_copy, "pages/connexion.py")
        senders = [t for t in threading.enumerate() if t.name == "opp-mail-sender"]
        assert len(senders) == 1
        run_app(demo_copy, "pages/accueil.py")  # another session: still one sender
        assert len([t for t in threading.enumerate() if t.name == "opp-mail-sender"]) == 1
        # Demo accounts get no mail; a real one does, through the running thread.
        from opp.access.viewer import Role, Viewer
        from opp.services import membership

        store = senders[0].store
        made = membership.invite(
            store,
            Viewer(role=Role.ADMIN, account_id="admin"),
            email="reel@example.org",
            display_name="Réel",
            role=Role.COREPS,
        )
        for _ in range(400):  # bounded wait for the thread, never a timing assertion
            if outbox.get(store, made.message_id).state == "sent":
                break
            time.sleep(0.05)
        assert [r.rcpt_tos for r in mail_settings.received] == [["reel@example.org"]]
    finally:
        for thread in [t for t in threading.enumerate() if t.name == "opp-mail-sender"]:
            thread.stop()
            thread.join()
        mailer._sender.clear()
