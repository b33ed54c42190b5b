"""Dashboard rendering from many threads at once (each Streamlit session runs its script
in a thread of one process): it must never deadlock, and must never call back into
Python from inside a Polars expression."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polars as pl

from opp.ui import charts

SRC = Path(__file__).resolve().parents[2] / "src" / "opp"
DRAWING = Path(__file__).with_name("concurrent_drawing.py")
THREADS = 10
ROUNDS = 30
PATIENCE = 180  # seconds; a deadlocked process never finishes (liveness, not timing)


def test_polars__no_python_callbacks_in_expressions_of_the_package() -> None:
    callback = re.compile(r"\.(map_elements|map_batches|map_rows|map_groups)\(")
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if callback.search(line)
    ]
    assert found == []


def test_charts__ten_threads_drawing_at_once_all_finish(demo_file: Path) -> None:
    command = [sys.executable, str(DRAWING), str(demo_file), str(THREADS), str(ROUNDS)]
    try:
        done = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=PATIENCE
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("drawing threads never finished: the process deadlocked") from None
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"finished {THREADS}"
    assert "Traceback" not in done.stderr


def test_chart_text_expr__same_text_as_chart_text() -> None:
    values = ["a<b>&c", None, "<img src=x>", "plain", "&amp;"]
    frame = pl.DataFrame({"label": values}).with_columns(charts.chart_text_expr("label"))
    assert frame["label"].to_list() == [charts.chart_text(v) for v in values]
