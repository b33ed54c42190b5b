"""Safe display of text written by users or questionnaire authors (one helper for all).

Streamlit renders Markdown in labels, captions, radio options, checkboxes and
`st.markdown`; escaping the Markdown characters makes links, images, HTML and LaTeX in such
text inert: it shows as typed. GitHub-flavoured Markdown also turns bare addresses into
links without any Markdown character (``www.example.org``, ``name@example.org``): a word
joiner (U+2060, invisible) after ``www`` and before ``@`` keeps them plain text (also
inside code spans, where a backslash would show).
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$:])")
_LINE_START = re.compile(r"^(\s*)([-=>]|\d+[.)])", re.MULTILINE)
_WWW = re.compile(r"(?i)\b(www)\.")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """Escape Markdown (and autolinks) so that `text` displays literally."""
    if text is None:
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    escaped = _WWW.sub(lambda m: m.group(1) + WORD_JOINER + ".", escaped)
    escaped = escaped.replace("@", WORD_JOINER + "@")
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
