"""E-mail: settings, rendering, delivery through a real SMTP server (aiosmtpd), retries,
failures and the at-most-once rule."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from mailserver import MailServer, self_signed_certificate

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.mail import config as mail_config
from opp.mail import render, sender
from opp.services import auth, membership, organisations
from opp.store import accounts, outbox

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin", name="Agence")


def _org(store, name="Cie du Test"):
    return organisations.create(
        store, ADMIN, name=name, structure_type="compagnie", filieres=["cirque"]
    )


def _invite(store, email="camille@example.org", name="Camille", language="fr"):
    org = _org(store)
    return membership.invite(
        store,
        ADMIN,
        email=email,
        display_name=name,
        organisation_id=org.id,
        language=language,
    )


def _token_of(received) -> str:
    url = re.search(r"https://opp\.example\.org/connexion\?\S+", received.text()).group(0)
    query = parse_qs(urlsplit(url).query)
    return (query.get("invitation") or query.get("reinitialisation"))[0]


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay.local", ("relay.local", 25, "plain", None, None)),
        ("smtp+starttls://u:p@mx.example.org", ("mx.example.org", 587, "starttls", "u", "p")),
        ("smtps://a%40b.fr:p%3As@mx:2465", ("mx", 2465, "ssl", "a@b.fr", "p:s")),
    ],
)
def test_mail_config__smtp_urls(url, expected):
    assert mail_config.parse_smtp_url(url) == expected


def test_mail_config__a_bad_url_is_explained_without_its_password(monkeypatch):
    monkeypatch.setenv("OPP_SMTP_URL", "imap://user:tres-secret@host")
    monkeypatch.setenv("OPP_MAIL_FROM", "opp@example.org")
    status = mail_config.status()
    assert status.state == "invalid"
    message = status.error.message("fr")
    assert "smtp+starttls://" in message
    assert "tres-secret" not in message


def test_mail_config__settings_go_together_and_none_means_not_configured(monkeypatch):
    assert mail_config.status().state == "missing"
    monkeypatch.setenv("OPP_SMTP_URL", "smtp://relay")
    with pytest.raises(OppError) as info:
        mail_config.load()
    assert "OPP_MAIL_FROM" in info.value.message("fr")


def test_mail_config__read_from_secrets_toml(monkeypatch, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        'OPP_SMTP_URL = "smtps://u:p@mx.example.org"\nOPP_MAIL_FROM = "OPP <o@example.org>"\n'
        'OPP_BASE_URL = "https://opp.example.org/"\n[auth]\nclient_id = "x"\n'
    )
    monkeypatch.setenv("OPP_SECRETS_FILE", str(secrets))
    config = mail_config.load()
    assert (config.host, config.port, config.security) == ("mx.example.org", 465, "ssl")
    assert config.base_url == "https://opp.example.org"


# --- rendering -----------------------------------------------------------------------------


def test_mail_render__names_are_escaped_in_html_and_cannot_add_headers():
    hostile = "<img src=x onerror=alert(1)> Cie\r\nBcc: victim@example.org"
    made = render.render(
        "campaign_invitation",
        {
            "name": hostile,
            "org": hostile,
            "campaign": {"fr": "Campagne\nBcc: x@y.z", "en": "Campaign"},
            "closes": "30/06/2026",
            "link": "https://opp.example.org/repondre?a=1&b=<2>",
        },
        "fr",
    )
    assert "<img" not in made.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in made.html
    assert "b=&lt;2&gt;" in made.html
    assert "\n" not in made.subject
    assert "\r" not in made.subject
    message = render.build_message(
        made, sender="OPP <o@example.org>", recipient="a@example.org", outbox_id=1, now=clock.now()
    )
    assert message["Bcc"] is None
    assert message.get_body(("plain",)).get_content().startswith("Bonjour <img")


def test_mail_render__french_first_english_when_chosen():
    params = {"name": "Sam", "hours": 48, "link": "https://x/connexion?reinitialisation=t"}
    assert render.render("password_reset", params, "fr").subject.startswith("Choisir")
    assert render.render("password_reset", params, "en").subject.startswith("Choose")
    assert render.render("password_reset", params, "de").subject.startswith("Choisir")


# --- delivery ------------------------------------------------------------------------------


def test_mail_sender__an_invitation_arrives_and_its_link_opens_the_account(
    tmp_store, mail_settings
):
    invitation = _invite(tmp_store)
    stored = outbox.get(tmp_store, invitation.message_id)
    assert stored.state == "queued"
    assert "link" not in stored.params  # no usable link is ever stored
    report = sender.drain(tmp_store, mail_config.load())
    assert report.sent == 1
    (received,) = mail_settings.received
    assert received.rcpt_tos == ["camille@example.org"]
    assert received.message["Subject"] == "Votre invitation sur OPP"
    assert received.message["From"] == "OPP Occitanie <opp@example.org>"
    assert "Cie du Test" in received.text()
    assert received.html().count("<a href=") == 1
    token = _token_of(received)
    assert auth.peek(tmp_store, token, "invitation").email == "camille@example.org"
    session = auth.set_password_with_token(
        tmp_store, token, "invitation", "une phrase de passe", "une phrase de passe"
    )
    assert session.viewer.organisation_id == invitation.account.organisation_id
    sent = outbox.get(tmp_store, invitation.message_id)
    assert sent.state == "sent"
    assert sent.message_id == received.message["Message-ID"]


def test_mail_sender__an_invitation_already_used_is_not_sent(tmp_store, mail_settings):
    # The account was set up meanwhile (another link, e.g. the one `create-admin` prints):
    # the queued invitation has nothing left to say and leaves no mail.
    invitation = _invite(tmp_store)
    token, _ = auth.mint_token(tmp_store, invitation.account.id, "invitation")
    auth.set_password_with_token(
        tmp_store, token, "invitation", "une phrase de passe", "une phrase de passe"
    )
    report = sender.drain(tmp_store, mail_config.load())
    assert (report.sent, report.failed, report.cancelled) == (0, 0, 1)
    assert mail_settings.received == []
    cancelled = outbox.get(tmp_store, invitation.message_id)
    assert cancelled.state == "cancelled"
    assert "déjà activé" in cancelled.last_error


def test_mail_sender__english_when_the_person_chose_english(tmp_store, mail_settings):
    _invite(tmp_store, language="en")
    sender.drain(tmp_store, mail_config.load())
    assert mail_settings.received[0].message["Subject"] == "Your invitation to OPP"


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_sender__tls_and_login(tmp_store, tmp_path, monkeypatch, security):
    cert = self_signed_certificate(tmp_path)
    server = MailServer(security, cert).start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))
        monkeypatch.setenv("OPP_SMTP_URL", server.url())
        monkeypatch.setenv("OPP_MAIL_FROM", "opp@example.org")
        _invite(tmp_store)
        report = sender.drain(tmp_store, mail_config.load())
        assert report.sent == 1, report
        assert len(server.received) == 1
        # A wrong password: nothing leaves, the message waits with the server's answer.
        monkeypatch.setenv("OPP_SMTP_URL", server.url().replace("secret", "mauvais"))
        membership.invite(
            tmp_store, ADMIN, email="deux@example.org", display_name="D", role=Role.COREPS
        )
        report = sender.drain(tmp_store, mail_config.load())
        assert (report.sent, report.retried) == (0, 1)
        waiting = outbox.recent(tmp_store, state="queued")
        assert "535" in waiting[0].last_error
    finally:
        server.stop()
    assert len(server.received) == 1


def _advance(minutes: float) -> None:
    clock.freeze(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes))


def test_mail_sender__smtp_down_refused_then_4xx_then_5xx_nothing_lost_or_duplicated(
    tmp_store, mail_settings, monkeypatch
):
    invitation = _invite(tmp_store)
    reset_for = membership.invite(
        tmp_store, ADMIN, email="sam@example.org", display_name="Sam", role=Role.COREPS
    )
    assert accounts.by_id(tmp_store, invitation.account.id)  # the action succeeded
    ids = [invitation.message_id, reset_for.message_id]
    config = mail_config.load()
    try:
        # 1. Connection refused: nothing sent, both wait with the reason and a backoff.
        monkeypatch.setenv(
            "OPP_SMTP_URL", f"smtp://127.0.0.1:{__import__('mailserver').free_port()}"
        )
        report = sender.drain(tmp_store, mail_config.load())
        assert report.sent == 0
        assert report.retried == 2
        for message_id in ids:
            message = outbox.get(tmp_store, message_id)
            assert message.state == "queued"
            assert "Connection refused" in message.last_error or "111" in message.last_error
            assert message.next_attempt_at > clock.now()
        assert sender.drain(tmp_store, config).handled == 0  # not due yet: nothing tried
        # 2. The server answers 450 (try later): still queued, second attempt counted.
        _advance(2)
        mail_settings.handler.mode = "defer"
        report = sender.drain(tmp_store, config)
        assert report.retried == 2
        assert all(outbox.get(tmp_store, i).attempts == 2 for i in ids)
        assert "450" in outbox.get(tmp_store, ids[0]).last_error
        # 3. The server answers 550 (no such user): failed at once, with the reason.
        _advance(10)
        mail_settings.handler.mode = "reject"
        report = sender.drain(tmp_store, config)
        assert report.failed == 2
        failed = outbox.get(tmp_store, ids[0])
        assert failed.state == "failed"
        assert "550" in failed.last_error
        # Back up: an operator queues them again; each arrives exactly once.
        mail_settings.handler.mode = "accept"
        with tmp_store.transaction() as cur:
            assert outbox.requeue(cur, ids) == 2
        assert sender.drain(tmp_store, config).sent == 2
        assert sender.drain(tmp_store, config).handled == 0
    finally:
        clock.freeze(None)
    received = sorted(r.outbox_id for r in mail_settings.received)
    assert received == sorted(str(i) for i in ids)


def test_mail_sender__gives_up_after_the_last_attempt(tmp_store, mail_settings):
    invitation = _invite(tmp_store)
    mail_settings.handler.mode = "defer"
    config = mail_config.load()
    try:
        for attempt in range(sender.MAX_ATTEMPTS):
            _advance(sum(sender.backoff(n).total_seconds() / 60 for n in range(attempt + 1)))
            sender.drain(tmp_store, config)
    finally:
        clock.freeze(None)
    message = outbox.get(tmp_store, invitation.message_id)
    assert message.state == "failed"
    assert message.attempts == sender.MAX_ATTEMPTS
    assert "450" in message.last_error


def test_mail_sender__a_message_left_sending_by_a_dead_sender_is_never_sent_again(
    tmp_store, mail_settings
):
    invitation = _invite(tmp_store)
    with tmp_store.transaction() as cur:  # another process claimed it, then died
        assert outbox.claim(cur, invitation.message_id, "other-host:123:dead")
    if tmp_store.multi_process:
        # PostgreSQL: other app servers may be alive; one that holds a claim beyond the
        # lease is gone (test_several_servers: a live server's claim is left alone).
        clock.freeze(dt.datetime.now(dt.UTC) + sender.LEASE + dt.timedelta(minutes=1))
    try:
        report = sender.drain(tmp_store, mail_config.load())
    finally:
        clock.freeze(None)
    assert report.interrupted == 1
    assert report.sent == 0
    message = outbox.get(tmp_store, invitation.message_id)
    assert message.state == "failed"
    assert message.last_error == outbox.INTERRUPTED
    assert mail_settings.received == []


def test_mail_sender__demo_accounts_get_no_mail_and_disabled_ones_lose_theirs(
    tmp_store, mail_settings
):
    from opp.mail import queue

    demo = accounts.by_id(tmp_store, _invite(tmp_store).account.id).model_copy(
        update={"demo": True}
    )
    with tmp_store.transaction() as cur:
        assert queue.to_account(cur, demo, "signin_alert", {"count": 5}, created_by="t") is None
    org = _org(tmp_store, "Autre")
    leaving = membership.invite(
        tmp_store, ADMIN, email="x@example.org", display_name="X", organisation_id=org.id
    )
    membership.set_enabled(tmp_store, ADMIN, leaving.account.id, enabled=False)
    sender.drain(tmp_store, mail_config.load())
    message = outbox.get(tmp_store, leaving.message_id)
    assert message.state == "failed"
    assert "désactivé" in message.last_error
    assert "x@example.org" not in {r.rcpt_tos[0] for r in mail_settings.received}
    with pytest.raises(OppError) as info:
        membership.send_reset(tmp_store, ADMIN, leaving.account.id)
    assert info.value.code == "ACCOUNT_NOT_RESETTABLE"


def test_mail_sender__the_background_thread_sends_and_runs_scheduled_work(tmp_store, mail_settings):
    import time

    from opp.mail.maintenance import run_maintenance

    ran: list[int] = []

    def maintenance(store) -> None:
        ran.append(1)
        run_maintenance(store)

    thread = sender.BackgroundSender(tmp_store, interval=0.05, maintenance=maintenance)
    thread.start()
    try:
        invitation = _invite(tmp_store)
        for _ in range(400):  # waits for an event, bounded; never a timing assertion
            if outbox.get(tmp_store, invitation.message_id).state == "sent":
                break
            time.sleep(0.05)
    finally:
        thread.stop()
        thread.join()
    assert outbox.get(tmp_store, invitation.message_id).state == "sent"
    assert [r.outbox_id for r in mail_settings.received] == [str(invitation.message_id)]
    assert ran


def test_mail_sender__without_settings_mail_waits_in_the_outbox(tmp_store):
    invitation = _invite(tmp_store)
    assert mail_config.status().state == "missing"
    assert outbox.get(tmp_store, invitation.message_id).state == "queued"
