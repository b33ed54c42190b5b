"""The text of every mail OPP sends, in the recipient's language: `letter.<template>.*`
in the gettext catalogues (opp.i18n).

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
from opp.i18n import gettext

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


def _t(key: str, lang: str, **params: Any) -> str:
    return gettext(f"letter.{key}", lang, **params)


def _link(params: Params, key: str, lang: str) -> list[Block]:
    url = params.get("link")
    return [Link(_t(f"link.{key}", lang), str(url))] if url else []


def _reason(reason: str, lang: str) -> list[Block]:
    return [_t("reason", lang, reason=reason)] if reason else []


def _account_invitation(p: Params, lang: str) -> Draft:
    name, role, org = _value(p, "name", lang), _value(p, "role", lang), _value(p, "org", lang)
    where = _t("account_invitation.where", lang, org=org) if org else ""
    inviter = _value(p, "inviter", lang)
    return Draft(
        _t("account_invitation.subject", lang),
        [
            _t("hello", lang, name=name),
            _t("account_invitation.invites", lang, inviter=inviter, role=role, where=where),
            _t("account_invitation.choose", lang, days=_value(p, "days", lang)),
            *_link(p, "activate", lang),
            _t("account_invitation.unexpected", lang),
        ],
    )


def _password_reset(p: Params, lang: str) -> Draft:
    return Draft(
        _t("password_reset.subject", lang),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t("password_reset.body", lang, hours=_value(p, "hours", lang)),
            *_link(p, "new_password", lang),
            _t("password_reset.unexpected", lang),
        ],
    )


def _campaign_text(p: Params, lang: str) -> dict[str, str]:
    return {key: _value(p, key, lang) for key in ("campaign", "org", "closes")}


def _campaign_invitation(p: Params, lang: str) -> Draft:
    text = _campaign_text(p, lang)
    activate = p.get("link_kind") == "invitation"
    how = "how_activate" if activate else "how_sign_in"
    return Draft(
        _t("campaign_invitation.subject", lang, **text),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t("campaign_invitation.body", lang, **text),
            _t(f"campaign_invitation.{how}", lang),
            *_link(p, "activate" if activate else "answer", lang),
        ],
    )


def _reminder(p: Params, lang: str) -> Draft:
    text = _campaign_text(p, lang)
    activate = p.get("link_kind") == "invitation"
    state = _t(
        "reminder.state_draft" if p.get("status") == "draft" else "reminder.state_none", lang
    )
    return Draft(
        _t("reminder.subject", lang, **text),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t("reminder.body", lang, state=state, **text),
            *_link(p, "activate" if activate else "answer", lang),
            _t("reminder.stop", lang),
        ],
    )


def _correction_decision(p: Params, lang: str) -> Draft:
    campaign, until = _value(p, "campaign", lang), _value(p, "until", lang)
    head = "accepted" if p.get("accepted") else "declined"
    return Draft(
        _t("correction_decision.subject", lang),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t(f"correction_decision.{head}", lang, campaign=campaign, until=until),
            *_reason(_value(p, "reason", lang), lang),
            *_link(p, "my_data", lang),
        ],
    )


def _codesign_decision(p: Params, lang: str) -> Draft:
    questionnaire, target = _value(p, "questionnaire", lang), _value(p, "target", lang)
    head = "accepted" if p.get("accepted") else "declined"
    return Draft(
        _t("codesign_decision.subject", lang),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t(f"codesign_decision.{head}", lang, questionnaire=questionnaire, target=target),
            _t("reason", lang, reason=_value(p, "reason", lang)),
            *_link(p, "codesign", lang),
        ],
    )


def _member_text(p: Params, lang: str) -> dict[str, str]:
    return {key: _value(p, key, lang) for key in ("person", "email", "org", "inviter")}


def _member_approval(p: Params, lang: str) -> Draft:
    text = _member_text(p, lang)
    return Draft(
        _t("member_approval.subject", lang, **text),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t("member_approval.body", lang, **text),
            *_link(p, "my_organisation", lang),
        ],
    )


def _member_added(p: Params, lang: str) -> Draft:
    text = _member_text(p, lang)
    return Draft(
        _t("member_added.subject", lang, **text),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t("member_added.body", lang, by=text["inviter"], **text),
            *_link(p, "my_organisation", lang),
        ],
    )


def _signin_alert(p: Params, lang: str) -> Draft:
    return Draft(
        _t("signin_alert.subject", lang),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t("signin_alert.body", lang, count=_value(p, "count", lang)),
            *_link(p, "sign_in", lang),
        ],
    )


def _request_declined(p: Params, lang: str) -> Draft:
    return Draft(
        _t("request_declined.subject", lang),
        [
            _t("hello", lang, name=_value(p, "name", lang)),
            _t("request_declined.body", lang, network=_value(p, "network", lang)),
            *_reason(_value(p, "reason", lang), lang),
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


def kind_label(kind: str, lang: str) -> str:
    """What kind of message it is, for the agency's outbox ("Rappel de campagne")."""
    return _t(f"kind.{kind}", lang)


def draft(kind: str, params: Params, lang: str) -> Draft:
    """The subject and blocks of a message (French unless `lang` is "en")."""
    language = i18n.language(lang)
    made = TEMPLATES[kind](params, language)
    return Draft(made.subject, [*made.blocks, _t("automatic", language), _t("signature", language)])
