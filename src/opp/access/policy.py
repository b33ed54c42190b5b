"""Who may do what: checked in the data layer, whatever page asks.

Individual answers are visible to their own organisation, to the coordinators of the
campaign's filière when the contributor chose the "réseau" (or "ouvert") consent level,
and to administrators. Coreps members only ever see aggregates.
"""

from __future__ import annotations

from typing import Any

from opp.access.viewer import ROLE_LABELS, Role, Viewer
from opp.errors import OppError

NETWORK_CONSENTS = ("reseau", "ouvert")

ACTIONS: dict[str, dict[str, str]] = {
    "read_response": {"fr": "lire cette réponse", "en": "read this response"},
    "edit_response": {"fr": "modifier cette réponse", "en": "edit this response"},
    "answer": {
        "fr": "répondre au nom d'une structure",
        "en": "answer on behalf of an organisation",
    },
    "manage_campaigns": {"fr": "gérer les campagnes", "en": "manage campaigns"},
    "publish_open_data": {
        "fr": "publier le paquet de données ouvertes d'une campagne",
        "en": "publish a campaign's open-data package",
    },
    "read_organisation": {"fr": "voir cette structure", "en": "see this organisation"},
    "read_audit": {"fr": "consulter le journal d'audit", "en": "read the audit log"},
    "invite": {"fr": "inviter ce compte", "en": "invite this account"},
    "reset": {
        "fr": "réinitialiser le mot de passe de ce compte",
        "en": "reset this account's password",
    },
    "manage_accounts": {"fr": "gérer les comptes", "en": "manage accounts"},
    "approve_member": {
        "fr": "accepter un nouveau membre dans cette structure",
        "en": "approve a new member of this organisation",
    },
    "disable": {"fr": "désactiver ou réactiver ce compte", "en": "disable or enable this account"},
    "decide_request": {
        "fr": "répondre aux demandes de compte de ce réseau",
        "en": "answer this network's account requests",
    },
    "read_outbox": {"fr": "consulter les courriels envoyés", "en": "read the outbox"},
    "mail_campaign": {
        "fr": "écrire aux structures de cette campagne",
        "en": "mail this campaign's organisations",
    },
    "mail_preferences": {
        "fr": "régler les courriels de cette structure",
        "en": "set this organisation's mail preferences",
    },
    "read_codesign": {
        "fr": "suivre la co-construction de cette filière",
        "en": "follow this branch's co-design",
    },
    "propose": {
        "fr": "proposer un changement au questionnaire d'une autre filière",
        "en": "propose a change to another branch's questionnaire",
    },
    "comment": {"fr": "commenter cette proposition", "en": "comment on this proposal"},
    "vote": {"fr": "voter sur cette proposition", "en": "vote on this proposal"},
    "withdraw": {
        "fr": "retirer la proposition de quelqu'un d'autre",
        "en": "withdraw someone else's proposal",
    },
    "decide_proposal": {
        "fr": "accepter ou refuser les propositions de cette filière",
        "en": "accept or decline this branch's proposals",
    },
    "publish_questionnaire": {
        "fr": "publier une nouvelle version de ce questionnaire",
        "en": "publish a new version of this questionnaire",
    },
    "publish_release": {
        "fr": "publier une nouvelle publication des chiffres",
        "en": "publish a new release of the figures",
    },
    "manage_directory": {
        "fr": "gérer les structures de cette filière",
        "en": "manage this branch's organisations",
    },
    "merge_organisations": {
        "fr": "fusionner des structures",
        "en": "merge organisations",
    },
    "reopen_campaign": {"fr": "rouvrir une campagne close", "en": "reopen a closed campaign"},
    "read_aggregates": {
        "fr": "voir les chiffres d'une autre filière",
        "en": "see another branch's figures",
    },
}


def forbidden(viewer: Viewer, action: str) -> OppError:
    return OppError(
        "FORBIDDEN",
        role=ROLE_LABELS[viewer.role],
        action=ACTIONS.get(action, {"fr": action, "en": action}),
    )


def can_read_response(viewer: Viewer, *, organisation_id: str, filiere: str, consent: str) -> bool:
    if viewer.role is Role.ADMIN:
        return True
    if viewer.role is Role.CONTRIBUTEUR:
        return viewer.organisation_id == organisation_id
    if viewer.role is Role.COORDINATEUR:
        return viewer.filiere == filiere and consent in NETWORK_CONSENTS
    return False


def can_edit_response(viewer: Viewer, *, organisation_id: str) -> bool:
    """Only the organisation itself answers; nobody edits someone else's answers."""
    return viewer.role is Role.CONTRIBUTEUR and viewer.organisation_id == organisation_id


def can_manage_campaigns(viewer: Viewer, filiere: str) -> bool:
    if viewer.role is Role.ADMIN:
        return True
    return viewer.role is Role.COORDINATEUR and viewer.filiere == filiere


def can_publish_releases(viewer: Viewer) -> bool:
    """Releases are the agency's: each one makes every figure of the region change."""
    return viewer.role is Role.ADMIN


def can_publish_open_data(viewer: Viewer) -> bool:
    """A campaign's open-data package speaks for the whole observation: the agency's."""
    return viewer.role is Role.ADMIN


def can_manage_directory(viewer: Viewer) -> bool:
    """The agency keeps the whole directory; a coordinator their filière's structures."""
    return viewer.role is Role.ADMIN or (viewer.role is Role.COORDINATEUR and bool(viewer.filiere))


def can_manage_organisation(viewer: Viewer, filieres: list[str]) -> bool:
    """Edit a structure's record: the agency, or a coordinator of one of its filières."""
    if viewer.role is Role.ADMIN:
        return True
    return viewer.role is Role.COORDINATEUR and viewer.filiere in (filieres or [])


def can_retire_organisation(viewer: Viewer, filieres: list[str]) -> bool:
    """Archive or delete a structure: the agency, or the coordinator of its only filière
    (a structure shared with other filières is not one network's to retire)."""
    if viewer.role is Role.ADMIN:
        return True
    return viewer.role is Role.COORDINATEUR and list(filieres or []) == [viewer.filiere]


def assignable_filieres(viewer: Viewer, every: list[str]) -> list[str]:
    """Filières the viewer may give a structure: all for the agency, their own for a
    coordinator (other filières of a shared structure stay as they are)."""
    if viewer.role is Role.ADMIN:
        return list(every)
    return [viewer.filiere] if viewer.role is Role.COORDINATEUR and viewer.filiere else []


def can_merge_organisations(viewer: Viewer) -> bool:
    """Merging moves responses and accounts between structures: the agency only."""
    return viewer.role is Role.ADMIN


def can_reopen_campaign(viewer: Viewer) -> bool:
    return viewer.role is Role.ADMIN


def response_scope(viewer: Viewer, alias_r: str = "r", alias_c: str = "c") -> tuple[str, list[Any]]:
    """SQL condition (with bound parameters) limiting responses to what `viewer` may read.

    The aliases are fixed identifiers chosen by the calling code, never user input.
    """
    if viewer.role is Role.ADMIN:
        return "TRUE", []
    if viewer.role is Role.CONTRIBUTEUR:
        return f"{alias_r}.organisation_id = ?", [viewer.organisation_id or ""]
    if viewer.role is Role.COORDINATEUR:
        return (
            f"({alias_c}.filiere = ? AND {alias_r}.consent IN ('reseau', 'ouvert'))",
            [viewer.filiere or ""],
        )
    return "FALSE", []
