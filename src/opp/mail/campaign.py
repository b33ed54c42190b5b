"""Campaign mail: invitations to the organisations of a filière, reminders to those that
have not submitted (by hand or scheduled), and where each organisation stands.

An organisation is reached through its accounts (invited or active); one that has none
but a directory address gets an account for that address, and its mail carries the link
that activates it. At most one reminder per organisation per day, never to an
organisation that opted out of reminders or has submitted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from opp import clock
from opp.access.policy import Action, Resource, require
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.i18n import LANGUAGES
from opp.mail.queue import PATHS
from opp.services import auth, campaigns, invitations
from opp.store import accounts, audit, campaign_mail, outbox
from opp.store.db import Store
from opp.store.records import Campaign

SYSTEM_MAILER = Viewer(role=Role.ADMIN, account_id="system", name="OPP")
DEFAULT_SCHEDULE = (14, 3)


@dataclass
class MailSummary:
    invited: int = 0  # organisations newly invited to the campaign
    organisations: int = 0  # organisations written to
    messages: int = 0  # messages queued
    new_accounts: int = 0  # accounts created for directory addresses
    unreachable: list[str] = field(default_factory=list)  # organisation names, no address


def _campaign(store: Store, viewer: Viewer, campaign_id: str) -> Campaign:
    campaign = campaigns.get(store, viewer, campaign_id)
    require(viewer, Action.MAIL_CAMPAIGN, Resource(filieres=(campaign.filiere,)))
    return campaign


def _dates(campaign: Campaign) -> dict[str, Any]:
    return {
        "campaign": {lang: campaign.title(lang) for lang in LANGUAGES},
        "closes": campaign.closes_on.strftime("%d/%m/%Y"),
    }


def _message(
    kind: str, row: dict[str, Any], campaign: Campaign, viewer: Viewer, extra: dict[str, Any]
) -> dict[str, Any]:
    invited = row["status" if kind == "campaign_invitation" else "account_status"] == "invited"
    return {
        "kind": kind,
        "recipient": row["email"],
        "account_id": row["account_id"],
        "organisation_id": row["organisation_id"],
        "campaign_id": campaign.id,
        "language": row["language"],
        "params": {
            "name": row["display_name"],
            "org": row["org_name"],
            **_dates(campaign),
            **extra,
            **({} if invited else {"path": PATHS["answer"]}),
        },
        "link_kind": "invitation" if invited else None,
        "created_by": viewer.actor,
    }


def invite_by_mail(
    store: Store,
    viewer: Viewer,
    campaign_id: str,
    organisation_ids: list[str] | None = None,
) -> MailSummary:
    """Invite organisations to the campaign — `organisation_ids`, or (None) every
    organisation of the filière — and mail each invited one never mailed for it."""
    campaign = _campaign(store, viewer, campaign_id)
    if campaign.state(clock.today()) == "closed":
        raise OppError("CAMPAIGN_NOT_RUNNING", value=campaign.title_fr)
    invited = 0
    if organisation_ids is None:
        invited = invitations.invite_all(store, viewer, campaign_id)
    elif organisation_ids:
        invited = invitations.invite(store, viewer, campaign_id, organisation_ids)
    summary = _mail_invitations(store, viewer, campaign, organisation_ids)
    summary.invited = invited
    return summary


def mail_invited(store: Store, viewer: Viewer, campaign_id: str) -> MailSummary:
    """Mail the organisations already invited (e.g. before mail existed) that never
    received this campaign's invitation."""
    campaign = _campaign(store, viewer, campaign_id)
    if campaign.state(clock.today()) == "closed":
        raise OppError("CAMPAIGN_NOT_RUNNING", value=campaign.title_fr)
    return _mail_invitations(store, viewer, campaign, None)


def not_mailed_count(store: Store, viewer: Viewer, campaign_id: str) -> int:
    _campaign(store, viewer, campaign_id)
    return campaign_mail.count_not_mailed(store, campaign_id)


def _mail_invitations(
    store: Store, viewer: Viewer, campaign: Campaign, organisation_ids: list[str] | None
) -> MailSummary:
    """One transaction: accounts for directory addresses, the contacts, the messages."""
    campaign_id = campaign.id
    rows = campaign_mail.not_yet_mailed(store, campaign_id, organisation_ids)
    summary = MailSummary()
    messages: list[dict[str, Any]] = []
    per_org: dict[str, int] = defaultdict(int)
    new_accounts = _accounts_for_directory(store, rows, summary)
    for row in rows:
        if row["account_id"] is None:
            made = new_accounts.get(row["organisation_id"])
            if made is None:
                continue
            row = {
                **row,
                "account_id": made.id,
                "email": made.email,
                "display_name": made.display_name,
                "status": "invited",
                "language": made.language,
            }
        messages.append(_message("campaign_invitation", row, campaign, viewer, {}))
        per_org[row["organisation_id"]] += 1
    with store.transaction() as cur:
        accounts.insert_many(cur, list(new_accounts.values()))
        recorded = campaign_mail.record_contacts(
            cur, campaign_id, "invitation", per_org, viewer.actor
        )
        kept = [m for m in messages if m["organisation_id"] in recorded]
        outbox.enqueue_many(cur, kept)
        summary.organisations, summary.messages = len(recorded), len(kept)
        audit.record(
            cur,
            viewer,
            "campaign.invite_mail",
            "campaign",
            campaign_id,
            {
                "organisations": summary.organisations,
                "messages": summary.messages,
                "new_accounts": summary.new_accounts,
                "unreachable": len(summary.unreachable),
            },
        )
    return summary


def _accounts_for_directory(
    store: Store, rows: list[dict[str, Any]], summary: MailSummary
) -> dict[str, Any]:
    """Accounts to create for organisations reached only through their directory
    address (invited contributors; the mail carries their activation link)."""
    without = {r["organisation_id"]: r for r in rows if r["account_id"] is None}
    addresses: dict[str, str] = {}
    for org_id, row in without.items():
        try:
            addresses[org_id] = auth.check_email(row["org_email"] or "")
        except OppError:
            summary.unreachable.append(row["org_name"])
    taken = campaign_mail.existing_emails(store, list(set(addresses.values())))
    made: dict[str, Any] = {}
    for org_id, email in addresses.items():
        if email in taken:  # an account elsewhere already uses it: not this organisation's
            summary.unreachable.append(without[org_id]["org_name"])
            continue
        taken.add(email)
        made[org_id] = auth.new_account(
            email=email,
            display_name=without[org_id]["org_name"],
            role=Role.CONTRIBUTEUR,
            organisation_id=org_id,
            filiere=None,
            status="invited",
            language="fr",
        )
    summary.new_accounts = len(made)
    return made


def remind(store: Store, viewer: Viewer, campaign_id: str) -> MailSummary:
    """Remind every invited organisation that has not submitted (and wants reminders),
    at most once a day each."""
    campaign = _campaign(store, viewer, campaign_id)
    if campaign.state(clock.today()) != "open":
        raise OppError("CAMPAIGN_NOT_RUNNING", value=campaign.title_fr)
    rows = campaign_mail.to_remind(store, campaign_id)
    days_left = (campaign.closes_on - clock.today()).days
    messages = [
        _message("reminder", row, campaign, viewer, {"status": row["status"], "days": days_left})
        for row in rows
    ]
    per_org: dict[str, int] = defaultdict(int)
    for m in messages:
        per_org[m["organisation_id"]] += 1
    summary = MailSummary()
    with store.transaction() as cur:
        recorded = campaign_mail.record_contacts(
            cur, campaign_id, "reminder", per_org, viewer.actor
        )
        kept = [m for m in messages if m["organisation_id"] in recorded]
        outbox.enqueue_many(cur, kept)
        summary.organisations, summary.messages = len(recorded), len(kept)
        audit.record(
            cur,
            viewer,
            "campaign.remind",
            "campaign",
            campaign_id,
            {"organisations": summary.organisations, "messages": summary.messages},
        )
    return summary


def parse_days(text: str) -> list[int]:
    """ "14, 3" → [14, 3]; a clear OppError otherwise."""
    days: list[int] = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 60:
            raise OppError("REMINDER_DAYS", value=text[:40])
        days.append(int(part))
    return sorted(set(days), reverse=True)


def set_schedule(store: Store, viewer: Viewer, campaign_id: str, days: list[int]) -> None:
    _campaign(store, viewer, campaign_id)
    if any(not 1 <= d <= 60 for d in days):
        raise OppError("REMINDER_DAYS", value=", ".join(map(str, days)))
    with store.transaction() as cur:
        campaign_mail.set_schedule(cur, campaign_id, days, viewer.actor)
        audit.record(
            cur, viewer, "campaign.reminder_schedule", "campaign", campaign_id, {"days": days}
        )


def schedule(store: Store, viewer: Viewer, campaign_id: str) -> list[dict[str, Any]]:
    _campaign(store, viewer, campaign_id)
    return campaign_mail.schedule(store, campaign_id)


def run_scheduled(store: Store) -> int:
    """Send the scheduled reminders whose day has come (the sender calls this); a
    campaign closed meanwhile marks its reminder done without mail. Returns how many
    organisations were reminded."""
    total = 0
    for due in campaign_mail.due_reminders(store, clock.today()):
        campaign = campaigns.get(store, SYSTEM_MAILER, due["campaign_id"])
        reminded = 0
        if campaign.state(clock.today()) == "open":
            reminded = remind(store, SYSTEM_MAILER, campaign.id).organisations
        with store.transaction() as cur:
            campaign_mail.mark_done(cur, campaign.id, due["days_before"], reminded)
        total += reminded
    return total


def set_reminders(store: Store, viewer: Viewer, *, enabled: bool) -> None:
    """An organisation's members decide whether it receives campaign reminders."""
    require(viewer, Action.MAIL_PREFERENCES)
    organisation_id = viewer.organisation_id or ""
    campaign_mail.set_reminders(store, organisation_id, enabled, viewer.actor)
    with store.transaction() as cur:
        audit.record(
            cur,
            viewer,
            "organisation.reminders",
            "organisation",
            organisation_id,
            {"enabled": enabled},
        )


def reminders_enabled(store: Store, viewer: Viewer) -> bool:
    require(viewer, Action.MAIL_PREFERENCES)
    return campaign_mail.reminders_enabled(store, viewer.organisation_id or "")


def participation(store: Store, viewer: Viewer, campaign_id: str) -> list[dict[str, Any]]:
    """Per invited organisation: invited, mailed, reminded (dates), draft / submitted."""
    _campaign(store, viewer, campaign_id)
    return campaign_mail.per_organisation(store, campaign_id)


def reply_rate(store: Store, viewer: Viewer, campaign_id: str) -> list[dict[str, Any]]:
    """Day by day from the opening: organisations invited so far, submitted so far, and
    the reply rate (submitted / invited)."""
    campaign = _campaign(store, viewer, campaign_id)
    invited_by_day, submitted_by_day = campaign_mail.daily_counts(store, campaign_id)
    last = min(clock.today(), campaign.closes_on)
    first = min([campaign.opens_on, *invited_by_day, *submitted_by_day])
    out: list[dict[str, Any]] = []
    invited = submitted = 0
    day = first
    while day <= last:
        invited += invited_by_day.get(day, 0)
        submitted += submitted_by_day.get(day, 0)
        if day >= campaign.opens_on:
            out.append(
                {
                    "day": day,
                    "invited": invited,
                    "submitted": submitted,
                    "rate": submitted / invited if invited else None,
                }
            )
        day += dt.timedelta(days=1)
    return out
