"""XLSForm corpus: what OPP imports from each form of tests/data/xlsform-corpus/.

For every workbook: pyxform's verdict (the reference converter), then OPP's import: the
questions kept, the rows skipped (with the reasons in OPP's notes) or the error. Writes
a Markdown table to bench/results/xlsform_corpus.md (summarised in the README) and prints
the totals. Run: .venv/bin/python bench/xlsform_corpus.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "xlsform-corpus"
sys.path.insert(0, str(ROOT / "src"))

from opp.errors import OppError  # noqa: E402
from opp.questionnaire.xlsform import import_xlsform  # noqa: E402
from opp.questionnaire.xlsform_verdict import pyxform_refusal  # noqa: E402
from opp.questionnaire.xlsform_workbook import read_workbook  # noqa: E402


def survey_forms() -> list[Path]:
    return sorted(CORPUS.glob("*/*.xls*"))


def outcome(path: Path) -> dict[str, object]:
    """One row of the table (also used by the test suite)."""
    data = path.read_bytes()
    try:
        pyxform_ok = pyxform_refusal(read_workbook(data, path.name), path.name) is None
    except OppError:
        pyxform_ok = False
    row: dict[str, object] = {"form": f"{path.parent.name}/{path.name}", "pyxform": pyxform_ok}
    try:
        result = import_xlsform(data, filename=path.name, filiere="cirque")
    except OppError as exc:
        row |= {"opp": "refused", "code": exc.code, "message": exc.message("en")}
        return row
    warnings = [n for n in result.notes if n.severity == "warning"]
    reasons = Counter(n.message["en"].split(":")[0][:40] for n in warnings)
    row |= {
        "opp": "imported",
        "kept": len(result.questionnaire.questions),
        "skipped": len({n.row for n in warnings if n.row}),
        "reasons": "; ".join(f"{k} ×{v}" for k, v in reasons.most_common(4)),
    }
    return row


def main() -> None:
    rows = [outcome(path) for path in survey_forms()]
    lines = [
        "| form | pyxform | OPP | kept | rows noted | main reasons / error |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        detail = r.get("reasons") if r["opp"] == "imported" else f"{r['code']}: {r['message']}"
        detail = str(detail).replace("|", "/")[:160]
        lines.append(
            f"| {r['form']} | {'converts' if r['pyxform'] else 'refuses'} | {r['opp']} | "
            f"{r.get('kept', '—')} | {r.get('skipped', '—')} | {detail} |"
        )
    out = ROOT / "bench" / "results" / "xlsform_corpus.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    converts = [r for r in rows if r["pyxform"]]
    imported = [r for r in converts if r["opp"] == "imported"]
    print(f"{len(rows)} forms; pyxform converts {len(converts)}; OPP imports {len(imported)}")
    print(f"table: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
