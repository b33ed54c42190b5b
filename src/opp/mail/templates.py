"""The text of every mail OPP sends, French first, English when the person chose it.

A template is a function of the message's parameters returning a subject and a list of
blocks (paragraphs, and at most a few links); `opp.mail.render` turns the blocks into the
plain-text body and an HTML alternative where everything is escaped. Parameters never
hold answer content or a password, and a link carrying a token is only minted when the
message is sent (`link` in the parameters is filled by the sender).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opp import i18n

Params = dict[str, Any]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


Block = str | Link


@dataclass(frozen=True)
class Draft:
    subject: str
    blocks: list[Block]


def _value(params: Params, key: str, lang: str) -> str:
    """A parameter in the message's language ({"fr": …, "en": …} values are localised)."""
    value = params.get(key)
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("fr") or "")
    return "" if value is None else str(value)


def _link(params: Params, label: str) -> list[Block]:
    url = params.get("link")
    return [Link(label, str(url))] if url else []


SIGNATURE = {
    "fr": "— OPP, observation participative et partagée du spectacle vivant en Occitanie",
    "en": "— OPP, participatory observation of the live performance sector in Occitanie",
}
AUTOMATIC = {
    "fr": "Ce message est envoyé automatiquement : n'y répondez pas.",
    "en": "This message is sent automatically: please do not reply.",
}


def _account_invitation(p: Params, lang: str) -> Draft:
    name, role, org = _value(p, "name", lang), _value(p, "role", lang), _value(p, "org", lang)
    days = _value(p, "days", lang)
    inviter = _value(p, "inviter", lang)
    if lang == "en":
        where = f" for {org}" if org else ""
        blocks: list[Block] = [
            f"Hello {name},",
            (
                f"{inviter} invites you to OPP, the observation platform of the live performance "
                f"sector in Occitanie, as: {role}{where}."
            ),
            (
                "Open the link below to choose your password. It can be used once and is valid "
                f"for {days} days."
            ),
            *_link(p, "Activate my account"),
            (
                "If you did not expect this invitation, ignore this message: nothing happens "
                "without the link."
            ),
        ]
        return Draft("Your invitation to OPP", blocks)
    where = f" pour {org}" if org else ""
    blocks = [
        f"Bonjour {name},",
        (
            f"{inviter} vous invite sur OPP, la plateforme d'observation du spectacle vivant en "
            f"Occitanie, en tant que : {role}{where}."
        ),
        (
            "Ouvrez le lien ci-dessous pour choisir votre mot de passe. Il ne sert qu'une fois et "
            f"reste valable {days} jours."
        ),
        *_link(p, "Activer mon compte"),
        (
            "Si vous n'attendiez pas cette invitation, ignorez ce message : rien ne se passe sans "
            "le lien."
        ),
    ]
    return Draft("Votre invitation sur OPP", blocks)


def _password_reset(p: Params, lang: str) -> Draft:
    name, hours = _value(p, "name", lang), _value(p, "hours", lang)
    if lang == "en":
        return Draft(
            "Choose a new OPP password",
            [
                f"Hello {name},",
                (
                    "A new password was requested for your OPP account. Open the link below to "
                    f"choose it; the link can be used once and is valid for {hours} hours."
                ),
                *_link(p, "Choose a new password"),
                "If you did not ask for it, ignore this message: your password stays as it is.",
            ],
        )
    return Draft(
        "Choisir un nouveau mot de passe OPP",
        [
            f"Bonjour {name},",
            (
                "Un nouveau mot de passe a été demandé pour votre compte OPP. Ouvrez le lien "
                "ci-dessous pour le choisir ; il ne sert qu'une fois et reste valable "
                f"{hours} heures."
            ),
            *_link(p, "Choisir un nouveau mot de passe"),
            "Si vous ne l'avez pas demandé, ignorez ce message : votre mot de passe ne change pas.",
        ],
    )


def _campaign_text(p: Params, lang: str) -> tuple[str, str, str, str]:
    return (
        _value(p, "name", lang),
        _value(p, "campaign", lang),
        _value(p, "org", lang),
        _value(p, "closes", lang),
    )


def _campaign_invitation(p: Params, lang: str) -> Draft:
    name, campaign, org, closes = _campaign_text(p, lang)
    activate = p.get("link_kind") == "invitation"
    if lang == "en":
        how = (
            "Your account is ready: open the link below to choose your password (valid 14 "
            "days), then answer."
            if activate
            else "Sign in to OPP and open the 'Answer' page."
        )
        return Draft(
            f"Observation: {campaign}",
            [
                f"Hello {name},",
                (
                    f"The campaign « {campaign} » is open for {org} until {closes}. Your "
                    "answers are saved at every step, and only aggregate figures that identify "
                    "no organisation are ever published."
                ),
                how,
                *_link(p, "Activate my account" if activate else "Answer"),
            ],
        )
    how = (
        "Votre compte est prêt : ouvrez le lien ci-dessous pour choisir votre mot de passe "
        "(valable 14 jours), puis répondez."
        if activate
        else "Connectez-vous à OPP et ouvrez la page « Répondre »."
    )
    return Draft(
        f"Observation : {campaign}",
        [
            f"Bonjour {name},",
            (
                f"La campagne « {campaign} » est ouverte pour {org} jusqu'au {closes}. Vos "
                "réponses sont enregistrées à chaque étape, et seuls des chiffres agrégés "
                "n'identifiant aucune structure sont publiés."
            ),
            how,
            *_link(p, "Activer mon compte" if activate else "Répondre"),
        ],
    )


def _reminder(p: Params, lang: str) -> Draft:
    name, campaign, org, closes = _campaign_text(p, lang)
    activate = p.get("link_kind") == "invitation"
    draft = p.get("status") == "draft"
    if lang == "en":
        state = "a draft is saved and not submitted yet" if draft else "no answer yet"
        return Draft(
            f"Reminder: {campaign} closes on {closes}",
            [
                f"Hello {name},",
                f"The campaign « {campaign} » closes on {closes}; for {org}: {state}.",
                *_link(p, "Activate my account" if activate else "Answer"),
                "To stop these reminders, untick them on the 'My organisation' page.",
            ],
        )
    state = "un brouillon est enregistré, pas encore envoyé" if draft else "pas encore de réponse"
    return Draft(
        f"Rappel : {campaign} se termine le {closes}",
        [
            f"Bonjour {name},",
            f"La campagne « {campaign} » se termine le {closes} ; pour {org} : {state}.",
            *_link(p, "Activer mon compte" if activate else "Répondre"),
            "Pour ne plus recevoir ces rappels, décochez-les sur la page « Ma structure ».",
        ],
    )


def _correction_decision(p: Params, lang: str) -> Draft:
    name, campaign = _value(p, "name", lang), _value(p, "campaign", lang)
    accepted, reason, until = p.get("accepted"), _value(p, "reason", lang), _value(p, "until", lang)
    if lang == "en":
        head = (
            f"Your correction request for « {campaign} » was accepted: you can edit the "
            f"response until {until} (page 'My data')."
            if accepted
            else f"Your correction request for « {campaign} » was declined."
        )
        return Draft(
            "Your correction request",
            [
                f"Hello {name},",
                head,
                *([f"Reason given: {reason}"] if reason else []),
                *_link(p, "My data"),
            ],
        )
    head = (
        f"Votre demande de correction pour « {campaign} » est acceptée : vous pouvez "
        f"modifier la réponse jusqu'au {until} (page « Mes données »)."
        if accepted
        else f"Votre demande de correction pour « {campaign} » est refusée."
    )
    return Draft(
        "Votre demande de correction",
        [
            f"Bonjour {name},",
            head,
            *([f"Motif indiqué : {reason}"] if reason else []),
            *_link(p, "Mes données"),
        ],
    )


def _codesign_decision(p: Params, lang: str) -> Draft:
    name, questionnaire = _value(p, "name", lang), _value(p, "questionnaire", lang)
    target, reason = _value(p, "target", lang), _value(p, "reason", lang)
    accepted = p.get("accepted")
    if lang == "en":
        head = (
            f"Your proposal on « {questionnaire} » ({target}) was accepted into the draft of "
            "the next version."
            if accepted
            else f"Your proposal on « {questionnaire} » ({target}) was declined."
        )
        return Draft(
            "Your questionnaire proposal",
            [f"Hello {name},", head, f"Reason given: {reason}", *_link(p, "Co-design")],
        )
    head = (
        f"Votre proposition sur « {questionnaire} » ({target}) est acceptée dans le brouillon "
        "de la prochaine version."
        if accepted
        else f"Votre proposition sur « {questionnaire} » ({target}) est refusée."
    )
    return Draft(
        "Votre proposition sur le questionnaire",
        [f"Bonjour {name},", head, f"Motif indiqué : {reason}", *_link(p, "Co-construction")],
    )


def _member_approval(p: Params, lang: str) -> Draft:
    name, person, email = (
        _value(p, "name", lang),
        _value(p, "person", lang),
        _value(p, "email", lang),
    )
    org, inviter = _value(p, "org", lang), _value(p, "inviter", lang)
    if lang == "en":
        return Draft(
            f"Approve a new member of {org}?",
            [
                f"Hello {name},",
                (
                    f"{inviter} asks to give {person} ({email}) access to the data of {org} on "
                    "OPP. Nobody joins your organisation without a member's approval: approve or "
                    "decline on the 'My organisation' page."
                ),
                *_link(p, "My organisation"),
            ],
        )
    return Draft(
        f"Accepter un nouveau membre pour {org} ?",
        [
            f"Bonjour {name},",
            (
                f"{inviter} demande à donner à {person} ({email}) l'accès aux données de {org} sur "
                "OPP. Personne ne rejoint votre structure sans l'accord d'un de ses membres : "
                "acceptez ou refusez sur la page « Ma structure »."
            ),
            *_link(p, "Ma structure"),
        ],
    )


def _member_added(p: Params, lang: str) -> Draft:
    name, person, email = (
        _value(p, "name", lang),
        _value(p, "person", lang),
        _value(p, "email", lang),
    )
    org, by = _value(p, "org", lang), _value(p, "inviter", lang)
    if lang == "en":
        return Draft(
            f"A new member for {org}",
            [
                f"Hello {name},",
                (
                    f"{by} gave {person} ({email}) access to the data of {org} on OPP. If this "
                    "is a mistake, tell the Occitanie en scène team; you see every member on the "
                    "'My organisation' page."
                ),
                *_link(p, "My organisation"),
            ],
        )
    return Draft(
        f"Un nouveau membre pour {org}",
        [
            f"Bonjour {name},",
            (
                f"{by} a donné à {person} ({email}) l'accès aux données de {org} sur OPP. S'il "
                "s'agit d'une erreur, prévenez l'équipe d'Occitanie en scène ; tous les membres "
                "figurent sur la page « Ma structure »."
            ),
            *_link(p, "Ma structure"),
        ],
    )


def _signin_alert(p: Params, lang: str) -> Draft:
    name, count = _value(p, "name", lang), _value(p, "count", lang)
    if lang == "en":
        return Draft(
            "Failed sign-in attempts on your OPP account",
            [
                f"Hello {name},",
                (
                    f"{count} attempts to sign in to your OPP account failed in the last "
                    "minutes; further attempts are now slowed down. If it was you, nothing to do. "
                    "Otherwise, choose a new password from the sign-in page ('Forgot your "
                    "password?')."
                ),
                *_link(p, "Sign in"),
            ],
        )
    return Draft(
        "Tentatives de connexion à votre compte OPP",
        [
            f"Bonjour {name},",
            (
                f"{count} tentatives de connexion à votre compte OPP ont échoué ces dernières "
                "minutes ; les suivantes sont désormais ralenties. Si c'était vous, rien à faire. "
                "Sinon, choisissez un nouveau mot de passe depuis la page de connexion (« Mot de "
                "passe oublié ? »)."
            ),
            *_link(p, "Se connecter"),
        ],
    )


def _request_declined(p: Params, lang: str) -> Draft:
    name, network, reason = (
        _value(p, "name", lang),
        _value(p, "network", lang),
        _value(p, "reason", lang),
    )
    if lang == "en":
        return Draft(
            "Your OPP account request",
            [
                f"Hello {name},",
                f"The network « {network} » declined your request for an OPP account.",
                *([f"Reason given: {reason}"] if reason else []),
            ],
        )
    return Draft(
        "Votre demande de compte OPP",
        [
            f"Bonjour {name},",
            f"Le réseau « {network} » a refusé votre demande de compte OPP.",
            *([f"Motif indiqué : {reason}"] if reason else []),
        ],
    )


TEMPLATES: dict[str, Callable[[Params, str], Draft]] = {
    "account_invitation": _account_invitation,
    "password_reset": _password_reset,
    "campaign_invitation": _campaign_invitation,
    "reminder": _reminder,
    "correction_decision": _correction_decision,
    "codesign_decision": _codesign_decision,
    "member_approval": _member_approval,
    "member_added": _member_added,
    "signin_alert": _signin_alert,
    "request_declined": _request_declined,
}

KIND_LABELS: dict[str, dict[str, str]] = {
    "account_invitation": {"fr": "Invitation (compte)", "en": "Account invitation"},
    "password_reset": {"fr": "Réinitialisation du mot de passe", "en": "Password reset"},
    "campaign_invitation": {"fr": "Invitation à une campagne", "en": "Campaign invitation"},
    "reminder": {"fr": "Rappel de campagne", "en": "Campaign reminder"},
    "correction_decision": {"fr": "Décision sur une correction", "en": "Correction decision"},
    "codesign_decision": {"fr": "Décision sur une proposition", "en": "Proposal decision"},
    "member_approval": {"fr": "Accord d'un membre demandé", "en": "Member approval asked"},
    "member_added": {"fr": "Nouveau membre ajouté", "en": "New member added"},
    "signin_alert": {"fr": "Alerte de connexion", "en": "Sign-in alert"},
    "request_declined": {"fr": "Demande de compte refusée", "en": "Account request declined"},
}


def draft(kind: str, params: Params, lang: str) -> Draft:
    """The subject and blocks of a message (French unless `lang` is "en")."""
    language = i18n.language(lang)
    made = TEMPLATES[kind](params, language)
    return Draft(made.subject, [*made.blocks, AUTOMATIC[language], SIGNATURE[language]])
