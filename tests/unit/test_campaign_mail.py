"""Campaign mail: invitations that reach every structure (accounts, or the directory
address), reminders to those that have not submitted (at most one a day, never after an
opt-out), scheduled reminders, where each organisation stands, decision mails."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import link_token

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.mail import campaign as campaign_mail
from opp.mail import config as mail_config
from opp.mail import sender
from opp.questionnaire import edits
from opp.services import auth, campaigns, codesign, corrections, membership, organisations
from opp.services import responses as response_store
from opp.store import outbox

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin", name="Agence")
COORD = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="coord", name="Coord")
PASSWORD = "une phrase de passe solide"


@pytest.fixture
def world(tmp_store, make_questionnaire, make_response):
    q = make_questionnaire()
    made = make_response(q, organisation_name="A — avec compte")
    campaign = made["campaign"]
    org_a = made["organisation"]
    invited = membership.invite(
        tmp_store, ADMIN, email="alix@example.org", display_name="Alix", organisation_id=org_a.id
    )
    token = link_token(tmp_store, invited.account.id)
    alix = auth.set_password_with_token(tmp_store, token, "invitation", PASSWORD, PASSWORD).viewer
    orgs = {"a": org_a.id}
    for key, email in (("b", "contact@cie-b.example.org"), ("c", None)):
        org = organisations.create(
            tmp_store,
            ADMIN,
            name=f"{key.upper()} — annuaire",
            structure_type="lieu",
            filieres=["cirque"],
            commune="31555",
        )
        tmp_store.cursor().execute(
            "UPDATE organisations SET email = ? WHERE id = ?", [email, org.id]
        )
        orgs[key] = org.id
    other = organisations.create(
        tmp_store, ADMIN, name="Marionnette", structure_type="lieu", filieres=["marionnette"]
    )
    return {
        "store": tmp_store,
        "campaign": campaign,
        "orgs": orgs,
        "alix": alix,
        "q": q,
        "other": other.id,
    }


def test_campaign_mail__inviting_the_filiere_reaches_accounts_and_directory_addresses(world):
    store, campaign = world["store"], world["campaign"]
    summary = campaign_mail.invite_by_mail(store, COORD, campaign.id)
    assert summary.organisations == 2
    assert summary.messages == 2
    assert summary.new_accounts == 1
    assert summary.unreachable == ["C — annuaire"]
    sent = {m.recipient: m for m in outbox.recent(store, kind="campaign_invitation")}
    assert set(sent) == {"alix@example.org", "contact@cie-b.example.org"}
    assert sent["alix@example.org"].link_kind is None  # active: a link to the Answer page
    assert sent["contact@cie-b.example.org"].link_kind == "invitation"
    assert sent["contact@cie-b.example.org"].organisation_id == world["orgs"]["b"]
    again = campaign_mail.invite_by_mail(store, COORD, campaign.id)
    assert (again.organisations, again.messages, again.new_accounts) == (0, 0, 0)
    assert len(outbox.recent(store, kind="campaign_invitation")) == 2


def test_campaign_mail__the_link_in_the_received_mail_opens_the_structures_account(
    world, mail_settings
):
    store, campaign = world["store"], world["campaign"]
    campaign_mail.invite_by_mail(store, COORD, campaign.id, [world["orgs"]["b"]])
    report = sender.drain(store, mail_config.load())
    # Alix's own account invitation is not sent: Alix set the account up meanwhile.
    assert (report.sent, report.cancelled) == (1, 1)
    (received,) = [r for r in mail_settings.received if "Test 2025" in r.message["Subject"]]
    assert received.rcpt_tos == ["contact@cie-b.example.org"]
    assert "Test 2025" in received.message["Subject"]
    url = re.search(r"https://opp\.example\.org/connexion\?\S+", received.text()).group(0)
    token = parse_qs(urlsplit(url).query)["invitation"][0]
    session = auth.set_password_with_token(store, token, "invitation", PASSWORD, PASSWORD)
    assert session.viewer.organisation_id == world["orgs"]["b"]
    assert (
        response_store.start(store, session.viewer, campaign.id).organisation_id
        == (world["orgs"]["b"])
    )


def test_campaign_mail__reminders_go_to_those_not_submitted_once_a_day(world):
    store, campaign, orgs = world["store"], world["campaign"], world["orgs"]
    campaign_mail.invite_by_mail(store, COORD, campaign.id)
    first = campaign_mail.remind(store, COORD, campaign.id)
    assert first.organisations == 2  # A (draft) and B (not started); C has no address
    assert campaign_mail.remind(store, COORD, campaign.id).organisations == 0
    alix = world["alix"]
    meta = response_store.find(store, alix, campaign.id, orgs["a"])
    response_store.save(
        store, alix, meta.id, {"effectif": 3}, expected_version=meta.row_version, submit=True
    )
    clock.freeze(dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    try:
        second = campaign_mail.remind(store, COORD, campaign.id)
    finally:
        clock.freeze(None)
    assert second.organisations == 1
    reminders = outbox.recent(store, kind="reminder")
    assert [m.organisation_id for m in reminders].count(orgs["a"]) == 1
    assert [m.organisation_id for m in reminders].count(orgs["b"]) == 2


def test_campaign_mail__an_organisation_can_opt_out_of_reminders(world):
    store, campaign = world["store"], world["campaign"]
    campaign_mail.invite_by_mail(store, COORD, campaign.id)
    campaign_mail.set_reminders(store, world["alix"], enabled=False)
    assert not campaign_mail.reminders_enabled(store, world["alix"])
    campaign_mail.remind(store, COORD, campaign.id)
    assert {m.organisation_id for m in outbox.recent(store, kind="reminder")} == {
        world["orgs"]["b"]
    }
    with pytest.raises(OppError):
        campaign_mail.set_reminders(store, COORD, enabled=False)


def test_campaign_mail__scheduled_reminders_run_once_on_their_day(world):
    store, campaign = world["store"], world["campaign"]  # closes in 10 days
    campaign_mail.invite_by_mail(store, COORD, campaign.id)
    campaign_mail.set_schedule(store, COORD, campaign.id, campaign_mail.parse_days("14, 3"))
    assert campaign_mail.run_scheduled(store) == 2  # 14 days before closing: due already
    assert campaign_mail.run_scheduled(store) == 0
    planned = {p["days_before"]: p for p in campaign_mail.schedule(store, COORD, campaign.id)}
    assert planned[14]["done_at"] is not None
    assert planned[3]["done_at"] is None
    day = dt.datetime.combine(campaign.closes_on - dt.timedelta(days=3), dt.time(9), dt.UTC)
    clock.freeze(day)
    try:
        assert campaign_mail.run_scheduled(store) == 2
    finally:
        clock.freeze(None)
    assert len(outbox.recent(store, kind="reminder")) == 4


def test_campaign_mail__schedules_are_checked(world):
    with pytest.raises(OppError) as info:
        campaign_mail.parse_days("14, demain")
    assert "14, 3" in info.value.message("fr")
    assert campaign_mail.parse_days(" 3, 14 ,3") == [14, 3]


def test_campaign_mail__where_each_organisation_stands_and_the_reply_rate(world):
    store, campaign, orgs = world["store"], world["campaign"], world["orgs"]
    campaign_mail.invite_by_mail(store, COORD, campaign.id)
    campaign_mail.remind(store, COORD, campaign.id)
    alix = world["alix"]
    meta = response_store.find(store, alix, campaign.id, orgs["a"])
    response_store.save(
        store, alix, meta.id, {"effectif": 3}, expected_version=meta.row_version, submit=True
    )
    rows = {r["id"]: r for r in campaign_mail.participation(store, COORD, campaign.id)}
    assert rows[orgs["a"]]["status"] == "submitted"
    assert rows[orgs["b"]]["status"] == "non_commence"
    assert rows[orgs["b"]]["mailed_at"] is not None
    assert rows[orgs["b"]]["reminded_on"] == [clock.today()]
    assert rows[orgs["c"]]["mailed_at"] is None
    assert not rows[orgs["c"]]["reachable"]
    rate = campaign_mail.reply_rate(store, COORD, campaign.id)
    assert rate[-1]["invited"] == 3
    assert rate[-1]["submitted"] == 1
    assert rate[-1]["rate"] == pytest.approx(1 / 3)
    assert rate[0]["day"] == campaign.opens_on


def test_campaign_mail__only_the_filieres_coordinators_and_the_agency(world):
    store, campaign = world["store"], world["campaign"]
    other = Viewer(role=Role.COORDINATEUR, filiere="marionnette", account_id="m")
    for call in (
        lambda v: campaign_mail.invite_by_mail(store, v, campaign.id),
        lambda v: campaign_mail.remind(store, v, campaign.id),
        lambda v: campaign_mail.participation(store, v, campaign.id),
    ):
        with pytest.raises(OppError) as info:
            call(other)
        assert info.value.code == "FORBIDDEN"
        call(ADMIN)


def test_campaign_mail__no_reminder_for_a_closed_campaign(world):
    store, campaign = world["store"], world["campaign"]
    campaigns.close(store, ADMIN, campaign.id)
    with pytest.raises(OppError) as info:
        campaign_mail.remind(store, COORD, campaign.id)
    assert info.value.code == "CAMPAIGN_NOT_RUNNING"


def test_campaign_mail__correction_decisions_are_mailed_without_answers(world):
    store, campaign, alix = world["store"], world["campaign"], world["alix"]
    meta = response_store.find(store, alix, campaign.id, world["orgs"]["a"])
    response_store.save(
        store, alix, meta.id, {"effectif": 7}, expected_version=meta.row_version, submit=True
    )
    campaigns.close(store, ADMIN, campaign.id)
    request = corrections.request(store, alix, meta.id, "Il manque deux salariés.")
    corrections.decide(store, COORD, request.id, accept=True, reason="D'accord")
    (message,) = outbox.recent(store, kind="correction_decision")
    assert message.recipient == "alix@example.org"
    assert message.params["accepted"] is True
    assert "7" not in str(message.params.get("campaign"))
    assert "effectif" not in str(message.params)


def test_campaign_mail__codesign_decisions_are_mailed_to_the_author(world):
    store, alix = world["store"], world["alix"]
    proposal = codesign.propose(
        store,
        alix,
        "petit",
        edits.parse_edit(
            {
                "kind": "add",
                "section": "s1",
                "after": "effectif",
                "question": {"id": "chapiteaux", "type": "integer", "label": {"fr": "Nb"}},
            }
        ),
        "Les chapiteaux comptent.",
    )
    codesign.decide(store, COORD, proposal.id, accept=False, reason="Déjà demandé ailleurs.")
    (message,) = outbox.recent(store, kind="codesign_decision")
    assert message.recipient == "alix@example.org"
    assert message.params["reason"] == "Déjà demandé ailleurs."
    assert message.params["accepted"] is False
