"""Who joins which organisation, and how accounts are managed: invitations of every role,
colleagues, approvals by an organisation's members, reset mails, disabling.

Nobody takes over an organisation: a coordinator (or anyone but the agency) who adds a
person to an organisation that already has members only *asks*; a member approves or
declines (the agency may approve too: audited, and every member is told by mail). Links
go by mail to the invited person's own address, minted when the mail leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from opp.access.policy import Action, Resource, filieres_in_scope, may, require
from opp.access.viewer import ROLE_LABELS, Role, Viewer
from opp.errors import OppError
from opp.i18n import Vocabulary, texts
from opp.mail import queue
from opp.referentiel import FILIERES
from opp.services import auth, organisations
from opp.store import accounts, audit, memberships
from opp.store import organisations as org_store
from opp.store.db import Store
from opp.store.records import Account

AGENCY_NAME = texts("mail.agency_name")


@dataclass(frozen=True)
class Invitation:
    account: Account
    message_id: int | None  # the invitation mail (None while waiting for an approval)
    pending: bool  # a member of the organisation must approve first
    notified: int = 0  # mails to the organisation's members (approval asked, or told)


def _inviter(viewer: Viewer) -> Any:
    """How a mail names whoever invited: the agency as a team, anyone else by name."""
    if may(viewer, Action.SIGN_AS_AGENCY) or not viewer.name:
        return AGENCY_NAME
    return viewer.name


def invitation_params(store: Store, viewer: Viewer, account: Account) -> dict[str, Any]:
    return invitation_params_for(viewer, account, organisation_name(store, account.organisation_id))


def members(store: Store, organisation_id: str) -> list[Account]:
    """Who already belongs to the organisation (invited or active; not pending or
    disabled)."""
    return [
        a for a in accounts.members(store, organisation_id) if a.status in ("invited", "active")
    ]


def _check_target(
    store: Store,
    viewer: Viewer,
    role: Role,
    organisation_id: str | None,
    filiere: str | None,
) -> tuple[str | None, str | None]:
    """Who may invite whom; returns the (organisation, filière) of the new account."""
    require(viewer, Action.INVITE_PERSON)
    org = None
    if role is Role.CONTRIBUTEUR and organisation_id is not None:
        org = organisations.get(store, viewer, organisation_id)  # refuses other organisations
    require(
        viewer,
        Action.INVITE_PERSON,
        Resource(
            organisation_id=organisation_id,
            filieres=tuple(org.filieres) if org else (),
            account_role=role,
        ),
    )
    if role is Role.CONTRIBUTEUR:
        if org is None:
            raise OppError("ADMIN_NO_ORGANISATION")
        # The account's filière: the one asked for if the inviter may give it, else the
        # inviter's own, else the organisation's first.
        given = [filiere] if filiere in filieres_in_scope(viewer, Action.ASSIGN_FILIERE) else []
        wanted = [f for f in [*given, viewer.filiere] if f in org.filieres]
        return org.id, next(iter(wanted or org.filieres), None)
    if role is Role.COORDINATEUR:
        if filiere not in FILIERES:
            raise OppError("ADMIN_NO_FILIERE")
        return None, filiere
    return None, None


def invite(
    store: Store,
    viewer: Viewer,
    *,
    email: str,
    display_name: str,
    role: Role = Role.CONTRIBUTEUR,
    organisation_id: str | None = None,
    filiere: str | None = None,
    language: str = "fr",
) -> Invitation:
    """Create an account and mail its invitation link to the person's address.

    The agency invites any role; a coordinator, contributors of their filière's
    organisations; a contributor, colleagues of their own organisation. Joining an
    organisation that has members needs one of them to approve, unless the inviter is a
    member (a colleague) or the agency (then every member is told by mail).
    """
    email = auth.check_email(email)
    display_name = (display_name or "").strip()[:120] or email
    organisation_id, filiere = _check_target(store, viewer, role, organisation_id, filiere)
    existing = members(store, organisation_id) if organisation_id else []
    direct = may(viewer, Action.ADD_MEMBER_DIRECTLY, Resource(organisation_id=organisation_id))
    pending = bool(existing) and not direct
    account = auth.new_account(
        email=email,
        display_name=display_name,
        role=role,
        organisation_id=organisation_id,
        filiere=filiere,
        status="pending" if pending else "invited",
        language=language,
    )
    notified = 0
    message_id: int | None = None
    with store.transaction() as cur:
        accounts.insert_account(cur, account)
        detail: dict[str, Any] = {"role": role.value}
        if pending:
            memberships.insert(
                cur, account.id, organisation_id or "", viewer.actor, viewer.name or viewer.actor
            )
            params = _member_params(store, viewer, account)
            for member in existing:
                if member.status == "active":
                    notified += (
                        queue.to_account(
                            cur,
                            member,
                            "member_approval",
                            params,
                            created_by=viewer.actor,
                            path="organisation",
                        )
                        is not None
                    )
            detail["pending_approval"] = True
        else:
            message_id = queue.to_account(
                cur,
                account,
                "account_invitation",
                invitation_params_for(viewer, account, organisation_name(store, organisation_id)),
                created_by=viewer.actor,
                link_kind="invitation",
            )
            if existing and viewer.organisation_id != organisation_id:  # not a colleague
                notified = _tell_members(cur, store, viewer, account, existing)
                detail["members_told"] = notified
        audit.record(cur, viewer, "account.invite", "account", account.id, detail)
    return Invitation(account, message_id, pending, notified)


def organisation_name(store: Store, organisation_id: str | None) -> str:
    return org_store.organisation_name(store, organisation_id)


def invitation_params_for(viewer: Viewer, account: Account, org_name: str) -> dict[str, Any]:
    return {
        "inviter": _inviter(viewer),
        "role": ROLE_LABELS[account.role],
        "org": org_name,
        "days": auth.INVITATION_VALIDITY.days,
    }


def _member_params(store: Store, viewer: Viewer, account: Account) -> dict[str, Any]:
    return {
        "person": account.display_name,
        "email": account.email,
        "org": organisation_name(store, account.organisation_id),
        "inviter": _inviter(viewer),
    }


def _tell_members(
    cur: Any, store: Store, viewer: Viewer, account: Account, existing: list[Account]
) -> int:
    params = _member_params(store, viewer, account)
    return sum(
        queue.to_account(
            cur, member, "member_added", params, created_by=viewer.actor, path="organisation"
        )
        is not None
        for member in existing
    )


@dataclass(frozen=True)
class Approval:
    request: memberships.Request
    account: Account  # the person waiting to join
    asked_by: str  # the name of whoever asked


def pending_approvals(store: Store, viewer: Viewer) -> list[Approval]:
    """Requests the viewer may decide: their own organisation's (a member), or all
    (the agency)."""
    if not may(viewer, Action.APPROVE_MEMBER):
        return []
    out = []
    for request in memberships.pending(store):
        if not may(viewer, Action.APPROVE_MEMBER, _joining(request)):
            continue
        account = accounts.by_id(store, request.account_id)
        if account is None:
            continue
        out.append(Approval(request, account, request.requested_by_name))
    return out


def decide_membership(store: Store, viewer: Viewer, account_id: str, *, approve: bool) -> None:
    """A member (or the agency) approves or declines a person joining the organisation.
    Approved: the invitation mail leaves. Declined: the account is removed."""
    request = memberships.get(store, account_id)
    account = accounts.by_id(store, account_id)
    if request is None or account is None or request.status != "pending":
        raise OppError("MEMBERSHIP_DECIDED")
    require(viewer, Action.APPROVE_MEMBER, _joining(request))
    with store.transaction() as cur:
        if not memberships.decide(
            cur, account_id, "approved" if approve else "declined", viewer.actor
        ):
            raise OppError("MEMBERSHIP_DECIDED")
        if approve:
            accounts.set_status(cur, account_id, "invited")
            invited = account.model_copy(update={"status": "invited"})
            queue.to_account(
                cur,
                invited,
                "account_invitation",
                invitation_params_for(
                    viewer, invited, organisation_name(store, account.organisation_id)
                ),
                created_by=viewer.actor,
                link_kind="invitation",
            )
            told = 0
            if viewer.organisation_id != request.organisation_id:  # not a member: tell them
                others = [m for m in members(store, request.organisation_id) if m.id != account_id]
                told = _tell_members(cur, store, viewer, account, others)
            audit.record(
                cur,
                viewer,
                "account.member_approved",
                "account",
                account_id,
                {"members_told": told},
            )
        else:
            accounts.delete_account(cur, account_id)
            audit.record(cur, viewer, "account.member_declined", "account", account_id)


# --- managing accounts -------------------------------------------------------------------


def _joining(request: memberships.Request) -> Resource:
    return Resource(organisation_id=request.organisation_id, account_id=request.account_id)


def account_resource(account: Account) -> Resource:
    """An account as the policy sees it (the agency manages every account but its own; a
    coordinator, their filière's contributors)."""
    return Resource(
        account_id=account.id,
        account_role=Role(account.role),
        organisation_id=account.organisation_id,
        filieres=(account.filiere,) if account.filiere else (),
    )


def manages(viewer: Viewer, account: Account) -> bool:
    """May the viewer reset, disable or enable this account?"""
    return may(viewer, Action.DISABLE_ACCOUNT, account_resource(account))


def _managed(store: Store, viewer: Viewer, account_id: str, action: Action) -> Account:
    account = accounts.by_id(store, account_id)
    if account is None:
        raise OppError("NOT_FOUND", what=texts("what.account"), value=account_id[:40])
    require(viewer, action, account_resource(account))
    return account


# An account's state as a message names it ("un compte « désactivé »", never the code).
STATUS_LABELS: Final = Vocabulary("account.status", ("pending", "invited", "active", "disabled"))


def send_reset(store: Store, viewer: Viewer, account_id: str) -> int | None:
    """Mail a reset link to the account's own address (or its invitation again if it was
    never activated). The link never appears on the screen of whoever asked."""
    account = _managed(store, viewer, account_id, Action.RESET_PASSWORD)
    if account.status in ("disabled", "pending"):
        raise OppError(
            "ACCOUNT_NOT_RESETTABLE", status=STATUS_LABELS.get(account.status, account.status)
        )
    return auth.queue_reset(store, viewer, account)


def set_enabled(store: Store, viewer: Viewer, account_id: str, *, enabled: bool) -> None:
    """Disable (sessions end at their next request, links are revoked) or enable again."""
    account = _managed(store, viewer, account_id, Action.DISABLE_ACCOUNT)
    if account.status == "pending":
        raise OppError(
            "ACCOUNT_NOT_RESETTABLE", status=STATUS_LABELS.get(account.status, account.status)
        )
    status = ("active" if account.password_hash else "invited") if enabled else "disabled"
    with store.transaction() as cur:
        accounts.set_status(cur, account_id, status)
        if not enabled:
            accounts.revoke_all_tokens(cur, account_id)
            accounts.bump_epoch(cur, account_id)
        audit.record(
            cur, viewer, "account.enabled" if enabled else "account.disabled", "account", account_id
        )


def list_accounts(store: Store, viewer: Viewer) -> list[Account]:
    """Administrators see every account, coordinators those of their filière."""
    require(viewer, Action.MANAGE_ACCOUNTS)
    return [
        a
        for a in accounts.all_accounts(store)
        if may(viewer, Action.MANAGE_ACCOUNTS, Resource(filieres=(a.filiere,) if a.filiere else ()))
    ]


def organisation_people(store: Store, viewer: Viewer) -> list[Account]:
    """The members of the viewer's own organisation (a contributor sees who else may act
    for it)."""
    require(viewer, Action.LIST_MEMBERS)
    return accounts.members(store, viewer.organisation_id or "")
