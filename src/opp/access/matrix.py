"""The README's permission matrix, rendered from the policy table (never written by hand).

`opp permissions-matrix --write` (or `make permissions`) puts it between the two markers
of README.md; a test fails when the README's copy differs from what this renders.
"""

from __future__ import annotations

from pathlib import Path

from opp.access.policy import CONDITIONS, POLICY, Rule
from opp.access.policy_texts import ACTION_DOCS
from opp.access.viewer import Role

START = (
    "<!-- permission-matrix: generated from src/opp/access/policy.py by "
    "`make permissions`; do not edit by hand -->"
)
END = "<!-- /permission-matrix -->"
HEADERS = {
    Role.CONTRIBUTEUR: "contributeur",
    Role.COORDINATEUR: "coordinateur de filière",
    Role.COREPS: "Coreps",
    Role.ADMIN: "administrateur",
}


def cell(found: Rule | None) -> str:
    """✗ refused, ✓ on everything, else the conditions (and what else happens)."""
    if found is None:
        return "✗"
    conditions = [CONDITIONS[c].text for c in found.conditions]
    text = "✓" if not conditions else ", ".join(conditions)
    extras = [e for e in (found.note, "audited" if found.audited else "") if e]
    return f"{text} ({'; '.join(extras)})" if extras else text


def markdown() -> str:
    """The matrix as a Markdown table: one row per action, one column per role."""
    roles = list(HEADERS)
    lines = [
        "| action | " + " | ".join(HEADERS[r] for r in roles) + " |",
        "|---" * (len(roles) + 1) + "|",
    ]
    for action, cells in POLICY.items():
        row = [ACTION_DOCS[action.value], *(cell(cells.get(r)) for r in roles)]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def replaced(text: str) -> str:
    """`text` (the README) with the generated matrix between its markers."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        msg = f"the README has no permission-matrix markers ({START!r} … {END!r})"
        raise ValueError(msg)
    return text[: start + len(START)] + "\n\n" + markdown() + "\n" + text[end:]


def write(readme: Path) -> bool:
    """Regenerate the README's matrix; True when the file changed."""
    before = readme.read_text(encoding="utf-8")
    after = replaced(before)
    if after != before:
        readme.write_text(after, encoding="utf-8")
    return after != before
