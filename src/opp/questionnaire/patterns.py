"""Regular expressions written by questionnaire authors, run on a linear-time engine.

Patterns come from people we do not control (`regex()` in constraints, `pattern` of text
questions, imported XLSForms). Python's `re` backtracks: an ordinary e-mail-style pattern
and a 30-character answer can hold the interpreter for minutes, freezing the whole server.
RE2 (Google's engine, `google-re2`) matches in time linear in the text and refuses the
constructs that would need backtracking (back-references, look-around); such patterns are
refused when the questionnaire is loaded or imported, with the reason, never at answer time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import re2

from opp.i18n import LANGUAGES, texts

MAX_PATTERN_MEMORY = 8 << 20  # RE2's own budget for one compiled pattern (8 MiB)

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the reason goes into our message, not to stderr
_OPTIONS.max_mem = MAX_PATTERN_MEMORY

# RE2's refusals we explain (start of its message → catalogue message `pattern.<key>`).
_REASONS = {
    "invalid escape sequence": "escape",
    "invalid perl operator": "perl_operator",
    "pattern too large": "too_large",
}


@dataclass(frozen=True)
class PatternError(Exception):
    """A pattern the linear-time engine cannot take; `reason` in French and English."""

    pattern: str
    reason: dict[str, str]


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> re2._Regexp:
    """The compiled pattern (cached); raises `PatternError` with a bilingual reason."""
    try:
        return re2.compile(pattern, options=_OPTIONS)
    except re2.error as exc:
        raw = exc.args[0] if exc.args else exc
        detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        for start, key in _REASONS.items():
            if detail.startswith(start):
                raise PatternError(pattern, texts(f"pattern.{key}", detail=detail)) from None
        raise PatternError(pattern, dict.fromkeys(LANGUAGES, detail)) from None
    except (TypeError, ValueError, OverflowError) as exc:
        raise PatternError(pattern, dict.fromkeys(LANGUAGES, str(exc))) from None


def full_match(pattern: str, text: str) -> bool:
    """`text` matches the whole pattern (text questions' `pattern`)."""
    return compile_pattern(pattern).fullmatch(text) is not None


def search(pattern: str, text: str) -> bool:
    """The pattern matches somewhere in `text` (XLSForm `regex()`)."""
    return compile_pattern(pattern).search(text) is not None
