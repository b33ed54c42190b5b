"""The audit log as a person reads it (Administration → Journal d'audit): labelled
columns, dates as dates, actions in words, details as "clé : valeur" rather than Python
dictionaries. Never answer content: the log holds none."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from opp.access.viewer import ROLE_LABELS, Viewer
from opp.store import campaigns
from opp.store.db import Store
from opp.ui.formats import datetime_text, version_label

COLUMNS = {
    "date": {"fr": "Date", "en": "Date"},
    "entry": {"fr": "Entrée", "en": "Entry"},
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
    "store": {"fr": "base de données", "en": "database"},
}


def action_label(action: str, lang: str) -> str:
    """The action in words; an action this table does not know keeps its code."""
    entry = ACTIONS.get(action)
    return (entry.get(lang) or entry["fr"]) if entry else action


# Words for the keys found in entries' details.
DETAIL_KEYS: dict[str, dict[str, str]] = {
    "method": {"fr": "méthode", "en": "method"},
    "answers": {"fr": "réponses enregistrées", "en": "answers stored"},
    "section": {"fr": "étape", "en": "step"},
    "changed_questions": {"fr": "questions modifiées", "en": "questions changed"},
    "consent": {"fr": "consentement", "en": "consent"},
    "campaigns": {"fr": "campagnes", "en": "campaigns"},
    "responses": {"fr": "réponses", "en": "responses"},
    "erased": {"fr": "effacées", "en": "erased"},
    "changes": {"fr": "changements", "en": "changes"},
    "scale": {"fr": "échelle", "en": "scale"},
    "seed": {"fr": "graine", "en": "seed"},
    "own": {"fr": "par la structure elle-même", "en": "by the organisation itself"},
    "reason": {"fr": "motif", "en": "reason"},
    "count": {"fr": "nombre", "en": "count"},
}
SYSTEM = {"fr": "Système", "en": "System"}
YES_NO = {True: {"fr": "oui", "en": "yes"}, False: {"fr": "non", "en": "no"}}


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return YES_NO[value][lang]
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return f"{value['from']} → {value['to']}"
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items())
    return str(value)


def detail_text(detail: Any, lang: str = "fr") -> str:
    """`{'method': 'password'}` → "méthode : password" (keys in words, lists joined,
    nested values as "clé : valeur"), at most 200 characters."""
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
        if value in (None, "", [], {}):
            continue
        if value is True and key in DETAIL_KEYS and key == "own":
            parts.append(DETAIL_KEYS[key][lang])
            continue
        name = DETAIL_KEYS.get(key, {}).get(lang) or key.replace("_", " ")
        parts.append(f"{name} : {_shown(value, lang)}")
    return " · ".join(parts)[:200]


def object_text(kind: str, object_id: str, lang: str, names: dict[str, str]) -> str:
    """What an entry is about, in words: a campaign or questionnaire version by its name
    ("… — version 1.0.0", not `cirque@1.0.0`), a release by its number, other objects by
    their kind and the start of their id."""
    word = OBJECTS.get(kind, {}).get(lang, kind)
    left, right = QUOTES.get(lang, QUOTES["fr"])
    if object_id in names:
        return f"{word} {left}{names[object_id]}{right}"
    if kind == "questionnaire" and "@" in object_id:
        qid, version = object_id.split("@", 1)
        return f"{word} {left}{version_label(names.get(qid, qid), version)}{right}"
    if kind == "release":
        return f"{word} {NUMBER.get(lang, NUMBER['fr'])} {object_id}"
    if kind == "store":
        return DATABASE[lang]
    if len(object_id) == 32 and all(c in "0123456789abcdef" for c in object_id):
        return f"{word} {object_id[:8]}…"  # an opaque id: its start tells entries apart
    return f"{word} {object_id}".strip()


DATABASE = {"fr": "la base de données", "en": "the database"}
QUOTES = {"fr": ("« ", " »"), "en": ("“", "”")}
NUMBER = {"fr": "n°", "en": "no."}


def _when(value: Any, lang: str) -> str:
    return datetime_text(value, lang) if isinstance(value, dt.datetime) else str(value or "")


def sentence(entry: dict[str, Any], lang: str, names: dict[str, str] | None = None) -> str:
    """One entry as a sentence: who (and as what), did what, on what, with what details."""
    who = entry.get("actor_name") or (
        SYSTEM[lang]
        if entry.get("actor") in (None, "", "system", "demo")
        else str(entry.get("actor"))
    )
    role = ROLE_LABELS.get(entry.get("role") or "", {}).get(lang)
    action = action_label(entry.get("action") or "", lang)
    what = object_text(
        entry.get("object_type") or "", str(entry.get("object_id") or ""), lang, names or {}
    )
    text = f"{who}{f' ({role})' if role else ''} — {action} : {what}"
    detail = detail_text(entry.get("detail"), lang)
    return f"{text} ({detail})." if detail else f"{text}."


def audit_table(
    entries: list[dict[str, Any]], lang: str, names: dict[str, str] | None = None
) -> pl.DataFrame:
    """The audit log as a person reads it: when, and one sentence per entry (who, what,
    on what). `names`: readable names of campaigns and questionnaires by id."""
    when = COLUMNS["date"][lang]
    entry_column = COLUMNS["entry"][lang]
    rows = [
        {when: _when(e.get("occurred_at"), lang), entry_column: sentence(e, lang, names)}
        for e in entries
    ]
    return pl.DataFrame(rows, schema={when: pl.String, entry_column: pl.String})


def object_names(store: Store, viewer: Viewer, lang: str) -> dict[str, str]:
    """Readable names of what entries are about: campaigns (their title) and
    questionnaires (their catalogue title)."""
    from opp.ui.data import catalogues

    names = {c.id: c.title(lang) for c in campaigns.list_all(store, viewer)}
    surveys, _ = catalogues()
    for questionnaire_id in surveys.questionnaires:
        names[questionnaire_id] = surveys.get(questionnaire_id).title.get(lang)
    return names
