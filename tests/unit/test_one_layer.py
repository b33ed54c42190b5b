"""One layer: every published number comes out of the indicators package's disclosure
layer. Pages, interface blocks, reports, exports and open data show or write what the
layer returns; none of them aggregates answers itself, and the exact (unprotected)
cell statistics never leave the package."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "opp"
# Everything that shows, writes or hands out figures.
PUBLISHERS = [
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((SRC / "ui").glob("*.py")),
    *[SRC / f"{name}.py" for name in ("reports", "opendata", "restitution", "exports", "mydata")],
]
AGGREGATION = re.compile(
    r"\.(group_by|agg|quantile|median|mean|std|var)\(|\.sum\(\)"
    r"|\b(count|sum|avg|median|quantile_cont)\s*\(.*\bFROM\b|FROM\s+(frozen_)?answers",
    re.IGNORECASE,
)
ALLOWED = "# not published"  # a line that computes something never shown (e.g. k-anonymity)


def _lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text().splitlines(), 1))


def test_one_layer__no_page_or_export_aggregates_answers_itself() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in PUBLISHERS
        for number, line in _lines(path)
        if AGGREGATION.search(line) and ALLOWED not in line
    ]
    assert found == []


def test_one_layer__exact_cell_statistics_stay_in_the_indicators_package() -> None:
    exact = re.compile(r"\b(exact_cells|cell_stats|exact_value)\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in [*SRC.rglob("*.py"), *(ROOT / "pages").glob("*.py")]
        if "indicators" not in path.relative_to(SRC if SRC in path.parents else ROOT).parts
        for number, line in _lines(path)
        if exact.search(line)
    ]
    assert found == []


def test_one_layer__the_check_sees_an_aggregate_when_there_is_one() -> None:
    for line in (
        'shown = frame.group_by("filiere").agg(pl.col("v").sum())',
        "total = table['value'].sum()",
        "cur.execute('SELECT sum(value_num) FROM answers')",
        "rows = cur.sql('SELECT * FROM frozen_answers')",
    ):
        assert AGGREGATION.search(line), line
