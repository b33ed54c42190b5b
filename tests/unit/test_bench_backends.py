"""bench/backends.py (issue 20) measures the DuckDB file and PostgreSQL in one run: its
dry run (tiny demo, a throwaway PostgreSQL cluster) submits from one process on the file
and from one and two processes on PostgreSQL, loses or doubles no submission, computes
the same dashboard page on both, and writes the table docs/PERFORMANCE.md quotes.
Nothing here looks at how long anything took."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench-backends")
    done = subprocess.run(
        [sys.executable, "bench/backends.py", "--dry-run", "--results", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((out / "backends.json").read_text(encoding="utf-8"))
    return report, (out / "backends.md").read_text(encoding="utf-8")


def test_bench_backends__submits_from_one_process_on_duckdb_and_two_on_postgres(dry_run):
    report, _ = dry_run
    duck, pg = report["backends"]["duckdb"], report["backends"]["postgres"]
    assert set(duck["submissions"]) == {"1"}  # the file admits one process
    assert set(pg["submissions"]) == {"1", "2"}
    for backend in (duck, pg):
        for result in backend["submissions"].values():
            assert result["submissions"] == report["per_configuration"]
            assert result["errors"] == 0, result["error_samples"]
            assert result["conflicts"] == 0
            assert result["processes"] * result["threads_per_process"] == 16


def test_bench_backends__every_acknowledged_submission_is_in_the_database(dry_run):
    report, _ = dry_run
    for backend in report["backends"].values():
        assert backend["submitted_after"] == backend["submitted_expected"]
        assert backend["submitted_after"] > backend["database"]["submitted_responses"]


def test_bench_backends__same_demo_and_pages_on_both_backends(dry_run):
    report, section = dry_run
    duck, pg = report["backends"]["duckdb"], report["backends"]["postgres"]
    assert duck["database"] == pg["database"]  # the same generator and seed
    assert duck["dashboards"]["pages"].keys() == pg["dashboards"]["pages"].keys()
    assert duck["dashboards"]["pages"]
    assert "one process per file" in section
    assert "| PostgreSQL | 2 × 8 |" in section


def test_bench_run_all__includes_the_backends_benchmark():
    listed = subprocess.run(
        [sys.executable, "bench/run_all.py", "--dry-run", "--only", "backends"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "bench/backends.py --scale 100" in listed
