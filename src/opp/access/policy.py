"""Who may do what: ONE table, role × action → rule, checked in the data layer whatever
page asks.

A rule is a conjunction of scope conditions on the viewer and the resource acted on (own
organisation, own filière, consent level, campaign open…); a missing cell refuses. Every
check in `opp` and its pages goes through `may` / `require` (or `sql_scope` for list
queries, `filieres_in_scope` for menus of filières), so the table below is the whole
policy: the README's permission matrix and the permission tests are generated from it.

Individual answers are visible to their own organisation, to the coordinators of the
campaign's filière when the contributor chose the "réseau" (or "ouvert") consent level,
and to administrators. Coreps members only ever see aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from opp.access.policy_texts import ACTION_LABELS
from opp.access.viewer import ROLE_LABELS, Role, Viewer
from opp.errors import OppError
from opp.referentiel import FILIERES

NETWORK_CONSENTS = ("reseau", "ouvert")


class Action(StrEnum):
    """Everything the policy decides; values are stable (tests and labels use them)."""

    READ_CAMPAIGN = "read_campaign"
    READ_QUESTIONNAIRE = "read_questionnaire"
    READ_RESPONSE = "read_response"
    ANSWER = "answer"
    EDIT_RESPONSE = "edit_response"
    SET_CONSENT = "set_consent"
    REQUEST_CORRECTION = "request_correction"
    READ_CORRECTIONS = "read_corrections"
    DECIDE_CORRECTION = "decide_correction"
    ERASE_RESPONSE = "erase_response"
    ERASE_ORGANISATION = "erase_organisation"
    EXPORT_OWN_DATA = "export_own_data"
    READ_FICHE = "read_fiche"
    READ_ORGANISATION = "read_organisation"
    LIST_MEMBERS = "list_members"
    MAIL_PREFERENCES = "mail_preferences"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    INVITE_ORGANISATIONS = "invite_organisations"
    MAIL_CAMPAIGN = "mail_campaign"
    REOPEN_CAMPAIGN = "reopen_campaign"
    IMPORT_DIRECTORY = "import_directory"
    MANAGE_ORGANISATION = "manage_organisation"
    ASSIGN_FILIERE = "assign_filiere"
    RETIRE_ORGANISATION = "retire_organisation"
    MERGE_ORGANISATIONS = "merge_organisations"
    INVITE_PERSON = "invite"
    ADD_MEMBER_DIRECTLY = "add_member_directly"
    APPROVE_MEMBER = "approve_member"
    SIGN_AS_AGENCY = "sign_as_agency"
    MANAGE_ACCOUNTS = "manage_accounts"
    RESET_PASSWORD = "reset"  # noqa: S105 (an action name, not a password)
    DISABLE_ACCOUNT = "disable"
    DECIDE_REQUEST = "decide_request"
    READ_OUTBOX = "read_outbox"
    READ_AUDIT = "read_audit"
    READ_AGGREGATES = "read_aggregates"
    EXPORT_OPEN_DATA = "export_open_data"
    PUBLISH_RELEASE = "publish_release"
    PUBLISH_OPEN_DATA = "publish_open_data"
    READ_CODESIGN = "read_codesign"
    PROPOSE = "propose"
    COMMENT = "comment"
    VOTE = "vote"
    WITHDRAW = "withdraw"
    DECIDE_PROPOSAL = "decide_proposal"
    PUBLISH_QUESTIONNAIRE = "publish_questionnaire"
    IMPORT_QUESTIONNAIRE = "import_questionnaire"


@dataclass(frozen=True)
class Resource:
    """The facts about what is acted on that rules may consult; the store fills in
    those its action's rules need (a fact left out makes its condition fail)."""

    organisation_id: str | None = None  # the organisation it belongs to
    filieres: tuple[str, ...] = ()  # the filière(s) it belongs to; (): none (cross-filière)
    consent: str | None = None  # a response's consent level
    author: str | None = None  # who filed it (a proposal), as `Viewer.actor`
    account_id: str | None = None  # the account acted on
    account_role: Role | None = None  # that account's role (or the role of a new one)
    viewer_filieres: tuple[str, ...] = ()  # filières of the viewer's own organisation
    closed: OppError | None = None  # why it is not open to answers (None: open)


class Condition(StrEnum):
    """A scope condition: what must hold between the viewer and the resource."""

    OWN_ORGANISATION = "own_organisation"
    OWN_FILIERE = "own_filiere"
    ONLY_OWN_FILIERE = "only_own_filiere"
    MEMBER_FILIERE = "member_filiere"
    NETWORK_CONSENT = "network_consent"
    PERSON = "person"
    CONTRIBUTOR_ACCOUNT = "contributor_account"
    NOT_SELF = "not_self"
    OWN_PROPOSAL = "own_proposal"
    CAMPAIGN_OPEN = "campaign_open"


@dataclass(frozen=True)
class ConditionSpec:
    holds: Callable[[Viewer, Resource], bool]
    ready: Callable[[Viewer], bool]  # the viewer has what the condition compares
    text: str  # how the README's matrix says it


CONDITIONS: dict[Condition, ConditionSpec] = {
    Condition.OWN_ORGANISATION: ConditionSpec(
        lambda v, r: r.organisation_id == v.organisation_id,
        lambda v: bool(v.organisation_id),
        "own organisation",
    ),
    Condition.OWN_FILIERE: ConditionSpec(
        lambda v, r: v.filiere in r.filieres,
        lambda v: bool(v.filiere),
        "own filière",
    ),
    Condition.ONLY_OWN_FILIERE: ConditionSpec(
        lambda v, r: r.filieres == (v.filiere,),
        lambda v: bool(v.filiere),
        "only when own filière is its only filière",
    ),
    Condition.MEMBER_FILIERE: ConditionSpec(
        lambda v, r: bool(set(r.filieres) & set(r.viewer_filieres)),
        lambda v: bool(v.organisation_id),
        "own organisation's filière(s)",
    ),
    Condition.NETWORK_CONSENT: ConditionSpec(
        lambda v, r: r.consent in NETWORK_CONSENTS,
        lambda v: True,
        'consent "réseau" or "ouvert"',
    ),
    Condition.PERSON: ConditionSpec(
        lambda v, r: bool(v.account_id),
        lambda v: bool(v.account_id),
        "signed in as a person",
    ),
    Condition.CONTRIBUTOR_ACCOUNT: ConditionSpec(
        lambda v, r: r.account_role is Role.CONTRIBUTEUR,
        lambda v: True,
        "contributor accounts",
    ),
    Condition.NOT_SELF: ConditionSpec(
        lambda v, r: r.account_id is not None and r.account_id != v.account_id,
        lambda v: True,
        "any account but own",
    ),
    Condition.OWN_PROPOSAL: ConditionSpec(
        lambda v, r: r.author is not None and r.author == v.actor,
        lambda v: True,
        "own proposals",
    ),
    Condition.CAMPAIGN_OPEN: ConditionSpec(
        lambda v, r: r.closed is None,
        lambda v: True,
        "campaign open",
    ),
}


@dataclass(frozen=True)
class Rule:
    """Allowed when every condition holds (none: on everything). `note` is shown in the
    README's matrix (what else happens: audited, members told…)."""

    conditions: tuple[Condition, ...] = ()
    note: str = ""
    audited: bool = False  # every use leaves a line in the audit log, whoever the owner


def rule(*conditions: Condition, note: str = "", audited: bool = False) -> Rule:
    return Rule(tuple(conditions), note, audited)


ANY = rule()
C, K, R, A = Role.CONTRIBUTEUR, Role.COORDINATEUR, Role.COREPS, Role.ADMIN
OWN_ORG = rule(Condition.OWN_ORGANISATION)
OWN_FIL = rule(Condition.OWN_FILIERE)
MEMBER = rule(Condition.MEMBER_FILIERE)

# The policy. A role missing from an action's row is refused that action.
POLICY: dict[Action, dict[Role, Rule]] = {
    Action.READ_CAMPAIGN: {C: ANY, K: ANY, R: ANY, A: ANY},
    Action.READ_QUESTIONNAIRE: {C: ANY, K: ANY, R: ANY, A: ANY},
    Action.READ_RESPONSE: {
        C: OWN_ORG,
        K: rule(Condition.OWN_FILIERE, Condition.NETWORK_CONSENT, audited=True),
        A: rule(audited=True),
    },
    Action.ANSWER: {
        C: rule(Condition.OWN_ORGANISATION, Condition.MEMBER_FILIERE, Condition.CAMPAIGN_OPEN)
    },
    Action.EDIT_RESPONSE: {
        C: rule(
            Condition.OWN_ORGANISATION,
            Condition.CAMPAIGN_OPEN,
            note="or an accepted correction's window",
        )
    },
    Action.SET_CONSENT: {C: rule(Condition.OWN_ORGANISATION, note="any time")},
    Action.REQUEST_CORRECTION: {C: rule(Condition.OWN_ORGANISATION, note="after closing")},
    Action.READ_CORRECTIONS: {C: OWN_ORG, K: OWN_FIL, A: ANY},
    Action.DECIDE_CORRECTION: {K: OWN_FIL, A: ANY},
    Action.ERASE_RESPONSE: {C: OWN_ORG, A: rule(note="on request")},
    Action.ERASE_ORGANISATION: {C: OWN_ORG, A: rule(note="on request")},
    Action.EXPORT_OWN_DATA: {C: OWN_ORG},
    Action.READ_FICHE: {C: OWN_ORG},
    Action.READ_ORGANISATION: {C: OWN_ORG, K: OWN_FIL, A: ANY},
    Action.LIST_MEMBERS: {C: OWN_ORG},
    Action.MAIL_PREFERENCES: {C: OWN_ORG},
    Action.MANAGE_CAMPAIGNS: {
        K: rule(Condition.OWN_FILIERE, note="on the filière's own questionnaire"),
        A: rule(note="on the filière's own questionnaire"),
    },
    Action.INVITE_ORGANISATIONS: {K: OWN_FIL, A: ANY},
    Action.MAIL_CAMPAIGN: {K: OWN_FIL, A: ANY},
    Action.REOPEN_CAMPAIGN: {A: rule(audited=True)},
    Action.IMPORT_DIRECTORY: {K: rule(Condition.OWN_FILIERE, note="its structures"), A: ANY},
    Action.MANAGE_ORGANISATION: {K: OWN_FIL, A: ANY},
    Action.ASSIGN_FILIERE: {K: OWN_FIL, A: ANY},
    Action.RETIRE_ORGANISATION: {K: rule(Condition.ONLY_OWN_FILIERE), A: ANY},
    Action.MERGE_ORGANISATIONS: {A: ANY},
    Action.INVITE_PERSON: {
        C: rule(Condition.OWN_ORGANISATION, Condition.PERSON, Condition.CONTRIBUTOR_ACCOUNT),
        K: rule(
            Condition.OWN_FILIERE,
            Condition.CONTRIBUTOR_ACCOUNT,
            note="an organisation with members: pending their approval",
        ),
        A: rule(note="any role; into an organisation with members: audited, members told"),
    },
    Action.ADD_MEMBER_DIRECTLY: {
        C: rule(Condition.OWN_ORGANISATION, Condition.PERSON),
        A: rule(note="members told"),
    },
    Action.APPROVE_MEMBER: {
        C: rule(Condition.OWN_ORGANISATION, Condition.PERSON, Condition.NOT_SELF),
        A: rule(note="audited, members told"),
    },
    Action.SIGN_AS_AGENCY: {A: ANY},
    Action.MANAGE_ACCOUNTS: {K: OWN_FIL, A: ANY},
    Action.RESET_PASSWORD: {
        K: rule(Condition.OWN_FILIERE, Condition.CONTRIBUTOR_ACCOUNT),
        A: rule(Condition.NOT_SELF),
    },
    Action.DISABLE_ACCOUNT: {
        K: rule(Condition.OWN_FILIERE, Condition.CONTRIBUTOR_ACCOUNT),
        A: rule(Condition.NOT_SELF),
    },
    Action.DECIDE_REQUEST: {K: OWN_FIL, A: ANY},
    Action.READ_OUTBOX: {A: ANY},
    Action.READ_AUDIT: {A: ANY},
    Action.READ_AGGREGATES: {C: OWN_FIL, K: OWN_FIL, R: ANY, A: ANY},
    Action.EXPORT_OPEN_DATA: {K: OWN_FIL, A: ANY},
    Action.PUBLISH_RELEASE: {A: ANY},
    Action.PUBLISH_OPEN_DATA: {A: ANY},
    Action.READ_CODESIGN: {C: MEMBER, K: OWN_FIL, R: ANY, A: ANY},
    Action.PROPOSE: {C: MEMBER, K: OWN_FIL, A: ANY},
    Action.COMMENT: {C: MEMBER, K: OWN_FIL, A: ANY},
    Action.VOTE: {C: MEMBER, K: OWN_FIL, A: ANY},
    Action.WITHDRAW: {
        C: rule(Condition.MEMBER_FILIERE, Condition.OWN_PROPOSAL),
        K: rule(Condition.OWN_FILIERE, Condition.OWN_PROPOSAL),
        A: rule(Condition.OWN_PROPOSAL),
    },
    Action.DECIDE_PROPOSAL: {K: OWN_FIL, A: ANY},
    Action.PUBLISH_QUESTIONNAIRE: {K: OWN_FIL, A: ANY},
    Action.IMPORT_QUESTIONNAIRE: {K: OWN_FIL, A: ANY},
}


# --- the entry points ---------------------------------------------------------------------


def rule_of(viewer: Viewer | None, action: Action) -> Rule | None:
    """The cell of the table for this viewer's role (None: refused; signed out: refused)."""
    if viewer is None:
        return None
    return POLICY[action].get(viewer.role)


def may(viewer: Viewer | None, action: Action, resource: Resource | None = None) -> bool:
    """May `viewer` do `action` on `resource`? Without a resource: may they do it on
    anything at all (their role has the action and they have the scope it needs)."""
    found = rule_of(viewer, action)
    if found is None or viewer is None:
        return False
    if not all(CONDITIONS[c].ready(viewer) for c in found.conditions):
        return False
    if resource is None:
        return True
    return all(CONDITIONS[c].holds(viewer, resource) for c in found.conditions)


def require(viewer: Viewer, action: Action, resource: Resource | None = None) -> None:
    """Raise FORBIDDEN unless `may`; a resource that is only closed (every scope
    condition holds) raises why it is closed instead, which says what to do."""
    if may(viewer, action, resource):
        return
    found = rule_of(viewer, action)
    if found is not None and resource is not None and resource.closed is not None:
        others = tuple(c for c in found.conditions if c is not Condition.CAMPAIGN_OPEN)
        if may_with(viewer, others, resource):
            raise resource.closed
    raise forbidden(viewer, action)


def may_with(viewer: Viewer, conditions: Iterable[Condition], resource: Resource) -> bool:
    return all(
        CONDITIONS[c].ready(viewer) and CONDITIONS[c].holds(viewer, resource) for c in conditions
    )


def audited(viewer: Viewer | None, action: Action) -> bool:
    """Whether the viewer's use of `action` is audited each time (e.g. reading
    someone else's answers)."""
    found = rule_of(viewer, action)
    return found is not None and found.audited


def unrestricted(viewer: Viewer | None, action: Action) -> bool:
    """The viewer may do `action` on everything (their rule has no condition)."""
    found = rule_of(viewer, action)
    return found is not None and not found.conditions


def filieres_in_scope(viewer: Viewer | None, action: Action = Action.MANAGE_CAMPAIGNS) -> list[str]:
    """The filières on which the viewer may do `action` (default: administer campaigns,
    structures and accounts), in the referential's order."""
    return [f for f in FILIERES if may(viewer, action, Resource(filieres=(f,)))]


def roles_allowed(action: Action) -> frozenset[Role]:
    """Roles that have `action` in some scope (what the menu offers to whom)."""
    return frozenset(POLICY[action])


def invitable_roles(viewer: Viewer) -> list[Role]:
    """Roles of the accounts the viewer may create by invitation."""
    found = rule_of(viewer, Action.INVITE_PERSON)
    if found is None:
        return []
    if Condition.CONTRIBUTOR_ACCOUNT in found.conditions:
        return [Role.CONTRIBUTEUR]
    return list(Role)


def forbidden(viewer: Viewer, action: Action | str) -> OppError:
    return OppError(
        "FORBIDDEN",
        role=ROLE_LABELS[viewer.role],
        action=ACTION_LABELS.get(str(action), str(action)),
    )


# --- the same rules as SQL, for list queries ---------------------------------------------

_SQL: dict[Condition, Callable[[Viewer, dict[str, str]], tuple[str, list[Any]]]] = {
    Condition.OWN_ORGANISATION: lambda v, col: (
        f"{col['organisation']} = ?",
        [v.organisation_id or ""],
    ),
    Condition.OWN_FILIERE: lambda v, col: (
        (f"list_contains({col['filieres']}, ?)", [v.filiere or ""])
        if "filieres" in col
        else (f"{col['filiere']} = ?", [v.filiere or ""])
    ),
    Condition.NETWORK_CONSENT: lambda v, col: (
        f"{col['consent']} IN ({', '.join('?' for _ in NETWORK_CONSENTS)})",
        list(NETWORK_CONSENTS),
    ),
}


def sql_scope(viewer: Viewer, action: Action, columns: dict[str, str]) -> tuple[str, list[Any]]:
    """SQL condition (with bound parameters) limiting rows to those `viewer` may `action`.

    `columns` names the SQL expressions holding the resource's facts (keys
    "organisation", "filiere" or "filieres" (a list), "consent"): fixed identifiers chosen
    by the calling code, never user input.
    """
    found = rule_of(viewer, action)
    if found is None or not may(viewer, action):
        return "FALSE", []
    if not found.conditions:
        return "TRUE", []
    parts, params = [], []
    for condition in found.conditions:
        sql, values = _SQL[condition](viewer, columns)
        parts.append(sql)
        params += values
    return "(" + " AND ".join(parts) + ")", params


def response_scope(viewer: Viewer, alias_r: str = "r", alias_c: str = "c") -> tuple[str, list[Any]]:
    """SQL condition limiting responses (alias_r) of campaigns (alias_c) to readable ones."""
    columns = {
        "organisation": f"{alias_r}.organisation_id",
        "filiere": f"{alias_c}.filiere",
        "consent": f"{alias_r}.consent",
    }
    return sql_scope(viewer, Action.READ_RESPONSE, columns)


def can_publish_open_data(viewer: Viewer) -> bool:
    """A campaign's open-data package speaks for the whole observation: the agency's."""
    return may(viewer, Action.PUBLISH_OPEN_DATA)
