"""The error codes, and which of them are for the operator or are notices.

The messages themselves are gettext messages, `err.<CODE>` in
`src/opp/locale/<lang>/LC_MESSAGES/opp.po` (a two-part message, shown in two columns by
the directory import report, is `err.<CODE>.what` plus `err.<CODE>.fix`). Templates say
what is wrong and how to fix it, in lower case (they also follow a location: "x.yaml,
ligne 3 : la question…"); the location is prefixed by `OppError.message`. Parameters are
filled with `str.format_map`. Adding an error: add its message to both catalogues; the
code exists once its message does.

Two audiences. Messages in `OPERATOR_CODES` name server internals (a file path, a
process id, what to do with the file): the command line prints them, the web pages
never show them to a visitor — they log them and show `STORE_UNAVAILABLE` with a
reference instead (`opp.ui.state.show_error`). The other messages are written for the
person using the site: what happened to what they did, what to do, a reference the
operator finds in the log.
"""

from __future__ import annotations

from typing import Final

from opp import i18n

PREFIX: Final = "err."

# Messages for the operator (command line, server log), never shown to a visitor.
OPERATOR_CODES: Final = frozenset(
    {
        "STORE_LOCKED",
        "STORE_UNREADABLE",
        "STORE_TOO_NEW",
        "STORE_MEMORY_LIMIT",
        "STORE_CONNECT",
        "STORE_URL",
        "COMPACT_POSTGRES",
        "BACKUP_TARGET_NOT_EMPTY",
        "BACKUP_RESTORE_TARGET",
    }
)
# Not errors but states a page explains (shown as information, not as an error box).
NOTICE_CODES: Final = frozenset({"RELEASE_NONE"})


def _codes() -> frozenset[str]:
    """Every code with a message in the (French) catalogue."""
    out = set()
    for msgid in i18n.message_ids(i18n.DEFAULT):
        if msgid.startswith(PREFIX):
            code = msgid[len(PREFIX) :]
            out.add(code.removesuffix(".what").removesuffix(".fix"))
    return frozenset(out)


CATALOGUE: Final = _codes()


def template(code: str, lang: str, part: str | None = None) -> str | None:
    """The message of `code` in `lang` (French where a translation is missing); `part`
    ("what" or "fix") one half of a two-part message, None when it has no halves."""
    if part is not None:
        msgid = f"{PREFIX}{code}.{part}"
        return i18n.gettext(msgid, lang) if i18n.has_message(msgid, i18n.DEFAULT) else None
    halves = (template(code, lang, "what"), template(code, lang, "fix"))
    if halves[0] is not None:
        return " ".join(h for h in halves if h)
    return i18n.gettext(f"{PREFIX}{code}", lang)
