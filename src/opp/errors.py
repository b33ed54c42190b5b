"""One error type for everything a user may cause, with messages from a catalogue.

Pages catch `OppError` and show `err.message(lang)`; nothing else should reach a user.
Each error says where (file, line, path in the document, field) and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any

from opp.error_catalogue import CATALOGUE, NOTICE_CODES, OPERATOR_CODES, template
from opp.i18n import gettext

Lang = str


def did_you_mean(value: str, candidates: Iterable[str]) -> str | None:
    """Closest candidate to a misspelt identifier, if any is close enough."""
    matches = get_close_matches(str(value), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class OppError(Exception):
    """A user-facing error: a catalogue code, its parameters and where it happened."""

    def __init__(
        self,
        code: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        **params: Any,
    ) -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.file = file
        self.line = line
        self.path = path
        self.params = params
        super().__init__(self.message("fr"))

    @property
    def for_operator(self) -> bool:
        """The message names server internals (a path, a process id): it goes to the
        operator's log and the command line, never to a visitor of the web pages."""
        return self.code in OPERATOR_CODES

    @property
    def notice(self) -> bool:
        """Not a failure but a state the page explains (e.g. no release yet): shown as
        information rather than as an error."""
        return self.code in NOTICE_CODES

    def where(self, lang: Lang = "fr") -> str:
        parts: list[str] = []
        if self.file:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(gettext("error.line", lang, line=self.line))
        if self.path:
            parts.append(self.path)
        return ", ".join(parts)

    def message(self, lang: Lang = "fr") -> str:
        """Full message in the user's language: where, what, how to fix; a sentence of
        its own (capitalised) when no location comes first."""
        text = self.inline(lang)
        return text if self.where(lang) else _sentence(text)

    def inline(self, lang: Lang = "fr") -> str:
        """The message as the catalogue writes it (lower case), to embed in another one
        ("Nom de la structure : la cellule contient une formule…")."""
        params = {k: _display(v, lang) for k, v in self.params.items()}
        text = str(template(self.code, lang)).format_map(_Defaulting(params))
        suggestion = self.params.get("suggestion")
        if isinstance(suggestion, dict):
            suggestion = None
        if suggestion:
            text += gettext("error.suggestion", lang, suggestion=suggestion)
        where = self.where(lang)
        if not where:
            return text
        return gettext("error.located", lang, where=where, text=text)

    def part(self, kind: str, lang: Lang = "fr") -> str:
        """One half of a two-part message ("what" is wrong, how to "fix" it) for reports
        that show them in columns; without halves, "what" is the whole message."""
        half = template(self.code, lang, kind)
        if half is None:
            return self.message(lang) if kind == "what" else ""
        params = {k: _display(v, lang) for k, v in self.params.items()}
        return _sentence(half.format_map(_Defaulting(params)))

    def with_location(
        self, *, file: str | None = None, line: int | None = None, path: str | None = None
    ) -> OppError:
        """Copy with location filled in where it was missing."""
        return OppError(
            self.code,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            path=self.path or path,
            **self.params,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.code, self.file, self.line, self.path, self.params))


def _rebuild(
    code: str, file: str | None, line: int | None, path: str | None, params: dict[str, Any]
) -> OppError:
    return OppError(code, file=file, line=line, path=path, **params)


def _display(value: Any, lang: Lang) -> str:
    """Parameters may be localised themselves: {"fr": ..., "en": ...}."""
    if isinstance(value, dict) and "fr" in value:
        return str(value.get(lang) or value["fr"])
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_display(v, lang) for v in value)
    return str(value)


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "?"


class OppErrorGroup(OppError):
    """Several independent errors found in one pass (e.g. a questionnaire file)."""

    def __init__(self, errors: list[OppError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(
            first.code, file=first.file, line=first.line, path=first.path, **first.params
        )

    def message(self, lang: Lang = "fr") -> str:
        if not hasattr(self, "errors"):
            return super().message(lang)
        if len(self.errors) == 1:
            return self.errors[0].message(lang)
        head = gettext("error.many", lang, n=len(self.errors))
        return "\n".join([head, *(f"- {e.message(lang)}" for e in self.errors)])

    def __reduce__(self) -> tuple[Any, ...]:
        return (OppErrorGroup, (self.errors,))


def _sentence(text: str) -> str:
    """A message shown on its own starts with a capital ("Adresse électronique ou mot de
    passe incorrect"); the catalogue writes them in lower case so that they also read well
    after a location ("surveys/x.yaml, ligne 3 : la question…")."""
    return text[:1].upper() + text[1:]
