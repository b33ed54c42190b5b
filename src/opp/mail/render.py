"""From a template's blocks to a MIME message: plain text plus an escaped HTML alternative.

Pure functions: no I/O, no clock but what is passed in. Every value that came from a
person (a name, an organisation, a reason) is escaped in the HTML part and stripped of
line breaks in the subject, so a name cannot add a header or a tag.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from opp.i18n import gettext, language
from opp.mail.templates import Draft, Link, Params, draft

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(kind: str, params: Params, lang: str) -> Rendered:
    return render_draft(draft(kind, params, lang), lang)


def render_draft(made: Draft, lang: str) -> Rendered:
    subject = _CONTROL.sub(" ", made.subject).strip()[:200]
    text_parts: list[str] = []
    html_parts: list[str] = []
    for block in made.blocks:
        if isinstance(block, Link):
            text_parts.append(gettext("mail.link_line", lang, label=block.label, url=block.url))
            url = html.escape(block.url, quote=True)
            html_parts.append(
                f'<p><a href="{url}">{html.escape(block.label)}</a><br>'
                f'<span style="font-size:90%">{url}</span></p>'
            )
        else:
            text_parts.append(block)
            html_parts.append(f"<p>{html.escape(block)}</p>")
    body = "\n".join(html_parts)
    page = (
        f'<!DOCTYPE html><html lang="{language(lang)}"><head>'
        f'<meta charset="utf-8"><title>{html.escape(subject)}</title></head>'
        f'<body style="font-family:sans-serif;line-height:1.5">{body}</body></html>'
    )
    return Rendered(subject=subject, text="\n\n".join(text_parts) + "\n", html=page)


def build_message(
    rendered: Rendered,
    *,
    sender: str,
    recipient: str,
    outbox_id: int,
    now: dt.datetime,
) -> EmailMessage:
    """A MIME message ready for `smtplib` (multipart/alternative, UTF-8)."""
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(now.replace(tzinfo=dt.UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "opp.invalid"
    message["Message-ID"] = make_msgid(idstring=f"opp{outbox_id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-OPP-Outbox"] = str(outbox_id)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
