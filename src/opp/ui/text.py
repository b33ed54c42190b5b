"""Safe display of text written by users or questionnaire authors.

Streamlit renders Markdown in labels, captions and `st.markdown`; escaping the Markdown
characters makes links, images, HTML and LaTeX in such text inert: it shows as typed.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$:])")
_LINE_START = re.compile(r"^(\s*)([-=>]|\d+[.)])", re.MULTILINE)


def plain(text: object) -> str:
    """Escape Markdown so that `text` displays literally."""
    if text is None:
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
