"""The audit log as a person reads it (Administration → Journal d'audit): labelled
columns, dates as dates, actions in words, details as "clé : valeur" rather than Python
dictionaries. Never answer content: the log holds none."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from opp.access.viewer import ROLE_LABELS

COLUMNS = {
    "date": {"fr": "Date", "en": "Date"},
    "person": {"fr": "Personne", "en": "Person"},
    "role": {"fr": "Rôle", "en": "Role"},
    "action": {"fr": "Action", "en": "Action"},
    "object": {"fr": "Objet", "en": "Object"},
    "detail": {"fr": "Détail", "en": "Detail"},
}
ACTIONS: dict[str, dict[str, str]] = {
    "demo.build": {"fr": "Données de démonstration créées", "en": "Demo data built"},
    "auth.login": {"fr": "Connexion", "en": "Sign-in"},
    "auth.logout": {"fr": "Déconnexion", "en": "Sign-out"},
    "auth.failure": {"fr": "Connexion refusée", "en": "Sign-in refused"},
    "account.invite": {"fr": "Compte invité", "en": "Account invited"},
    "account.activated": {"fr": "Compte activé", "en": "Account activated"},
    "account.password_changed": {"fr": "Mot de passe changé", "en": "Password changed"},
    "account.password_reset": {"fr": "Mot de passe réinitialisé", "en": "Password reset"},
    "account.disable": {"fr": "Compte désactivé", "en": "Account disabled"},
    "account.enable": {"fr": "Compte réactivé", "en": "Account enabled"},
    "account.member_approved": {"fr": "Membre accepté", "en": "Member approved"},
    "account.member_declined": {"fr": "Membre refusé", "en": "Member declined"},
    "account.setup_renewed": {"fr": "Lien d'activation renouvelé", "en": "Set-up link renewed"},
    "account_request.create": {"fr": "Demande de compte", "en": "Account request"},
    "account_request.accepted": {"fr": "Demande de compte acceptée", "en": "Request accepted"},
    "account_request.declined": {"fr": "Demande de compte refusée", "en": "Request declined"},
    "campaign.create": {"fr": "Campagne ouverte", "en": "Campaign opened"},
    "campaign.close": {"fr": "Campagne close", "en": "Campaign closed"},
    "campaign.reopen": {"fr": "Campagne rouverte", "en": "Campaign reopened"},
    "campaign.schedule_close": {"fr": "Clôture programmée", "en": "Closing scheduled"},
    "campaign.invite": {"fr": "Structures invitées", "en": "Organisations invited"},
    "campaign.invite_mail": {"fr": "Invitations envoyées", "en": "Invitations mailed"},
    "campaign.remind": {"fr": "Rappel envoyé", "en": "Reminder sent"},
    "campaign.reminder_schedule": {"fr": "Rappels programmés", "en": "Reminders scheduled"},
    "codesign.propose": {"fr": "Proposition déposée", "en": "Proposal filed"},
    "codesign.comment": {"fr": "Commentaire", "en": "Comment"},
    "codesign.vote": {"fr": "Vote", "en": "Vote"},
    "codesign.publish": {"fr": "Version publiée", "en": "Version published"},
    "codesign.discard_draft": {"fr": "Brouillon abandonné", "en": "Draft discarded"},
    "codesign.import": {"fr": "Questionnaire importé", "en": "Questionnaire imported"},
    "correction.request": {"fr": "Demande de correction", "en": "Correction request"},
    "directory.import": {"fr": "Import de l'annuaire", "en": "Directory import"},
    "mail.requeue": {"fr": "Courriels renvoyés", "en": "Mail queued again"},
    "organisation.create": {"fr": "Structure créée", "en": "Organisation created"},
    "organisation.update": {"fr": "Structure modifiée", "en": "Organisation updated"},
    "organisation.archive": {"fr": "Structure archivée", "en": "Organisation archived"},
    "organisation.restore": {"fr": "Structure rétablie", "en": "Organisation restored"},
    "organisation.delete": {"fr": "Structure supprimée", "en": "Organisation deleted"},
    "organisation.merge": {"fr": "Structures fusionnées", "en": "Organisations merged"},
    "organisation.erase": {"fr": "Structure effacée", "en": "Organisation erased"},
    "organisation.reminders": {"fr": "Rappels de la structure", "en": "Reminders setting"},
    "release.publish": {"fr": "Publication des chiffres", "en": "Figures released"},
    "response.create": {"fr": "Réponse commencée", "en": "Response started"},
    "response.save_draft": {"fr": "Brouillon enregistré", "en": "Draft saved"},
    "response.submit": {"fr": "Réponse envoyée", "en": "Response submitted"},
    "response.edit": {"fr": "Réponse modifiée", "en": "Response edited"},
    "response.read": {"fr": "Réponse consultée", "en": "Response read"},
    "response.consent": {"fr": "Consentement modifié", "en": "Consent changed"},
    "response.erase": {"fr": "Réponse effacée", "en": "Response erased"},
}
OBJECTS: dict[str, dict[str, str]] = {
    "account": {"fr": "compte", "en": "account"},
    "response": {"fr": "réponse", "en": "response"},
    "campaign": {"fr": "campagne", "en": "campaign"},
    "organisation": {"fr": "structure", "en": "organisation"},
    "questionnaire": {"fr": "questionnaire", "en": "questionnaire"},
    "proposal": {"fr": "proposition", "en": "proposal"},
    "release": {"fr": "publication", "en": "release"},
}


def action_label(action: str, lang: str) -> str:
    """The action in words; an action this table does not know keeps its code."""
    entry = ACTIONS.get(action)
    return (entry.get(lang) or entry["fr"]) if entry else action


def detail_text(detail: Any) -> str:
    """`{'method': 'password'}` → "method : password" (lists joined, nested values as
    compact JSON), at most 200 characters."""
    if detail in (None, "", {}):
        return ""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return detail[:200]
    if not isinstance(detail, dict):
        return str(detail)[:200]
    parts = []
    for key, value in detail.items():
        if isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            shown = json.dumps(value, ensure_ascii=False)
        else:
            shown = str(value)
        parts.append(f"{key.replace('_', ' ')} : {shown}")
    return " · ".join(parts)[:200]


def _when(value: Any, lang: str) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M")
    return str(value or "")


def audit_table(entries: list[dict[str, Any]], lang: str) -> pl.DataFrame:
    """The rows of the audit log with labelled columns, ready to show."""
    names = {key: value[lang] for key, value in COLUMNS.items()}
    rows = []
    for e in entries:
        role = ROLE_LABELS.get(e.get("role") or "", {}).get(lang, e.get("role") or "")
        kind = OBJECTS.get(e.get("object_type") or "", {}).get(lang, e.get("object_type") or "")
        rows.append(
            {
                names["date"]: _when(e.get("occurred_at"), lang),
                names["person"]: e.get("actor_name") or e.get("actor") or "",
                names["role"]: role,
                names["action"]: action_label(e.get("action") or "", lang),
                names["object"]: f"{kind} {e.get('object_id') or ''}".strip(),
                names["detail"]: detail_text(e.get("detail")),
            }
        )
    return pl.DataFrame(rows, schema=dict.fromkeys(names.values(), pl.String))
