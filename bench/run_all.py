"""Run every benchmark of bench/ in sequence, then say where the results went.

    .venv/bin/python bench/run_all.py              # or: make bench
    .venv/bin/python bench/run_all.py --dry-run    # only print the commands
    .venv/bin/python bench/run_all.py --only pages --scales 1

Each benchmark runs as its own process (`.venv/bin/python bench/<name>.py --scale N`),
one after the other (they must not compete for the machine's cores):

- dashboards.py at ×1, ×10 and ×100, with `--pandas` (indicator computation, cold and
  warm, beside a raw scan and a pandas pivot-and-group baseline);
- polars_baseline.py at ×100 (the Emploi panels, cold and warm, beside a plain Polars
  script on Parquet exports of the same release);
- pages.py at ×1 and ×100 (every page rendered through AppTest beside a trivial page;
  the ×100 run adds the growth ×1 → ×100);
- submissions.py at ×1 and ×100, memory.py at ×100 (it measures ×1 beside it);
- concurrent_viewers.py at ×1 and ×100 (a server started as `make run` does, and 1, 5
  and 10 Chromium sessions walking the dashboards at once);
- backends.py at ×100 (the DuckDB file against PostgreSQL on a throwaway cluster:
  submissions by 16 submitters from 1 and 2 app processes, dashboards cold and warm;
  `bench/backends.py --dry-run` runs it at tiny sizes in about a minute).

Every benchmark runs with MALLOC_ARENA_MAX=2, as `make run` starts the server.

The demo databases are built once per scale and cached in bench/data/ (×100 takes
several minutes the first time). Nothing here measures anything itself: each script
describes what it measures in its own `--help`. A failing benchmark is reported and the
others still run; the exit status is non-zero if any failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"

# (script, scales, extra arguments), in the order they run.
PLAN: tuple[tuple[str, tuple[int, ...], tuple[str, ...]], ...] = (
    ("dashboards", (1, 10, 100), ("--pandas",)),
    ("explorer", (1, 100), ()),
    ("polars_baseline", (100,), ()),  # the Emploi panels beside a plain Polars script
    ("pages", (1, 100), ()),
    ("submissions", (1, 100), ()),
    ("memory", (100,), ()),  # also measures ×1 and the imports-only baseline
    ("concurrent_viewers", (1, 100), ()),  # a real server and 1, 5, 10 browser sessions
    ("backends", (100,), ()),  # the DuckDB file against PostgreSQL, 1 and 2 app processes
)


def commands(only: list[str] | None, scales: list[int] | None) -> list[list[str]]:
    python = str(PYTHON if PYTHON.exists() else Path(sys.executable))
    out = []
    for name, plan_scales, extra in PLAN:
        script = BENCH / f"{name}.py"
        if only and name not in only:
            continue
        if not script.exists():
            print(f"(bench/{name}.py not found: skipped)")
            continue
        for scale in plan_scales:
            if scales and scale not in scales:
                continue
            out.append([python, str(script.relative_to(ROOT)), "--scale", str(scale), *extra])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__
    parser.add_argument(
        "--only",
        action="append",
        choices=[name for name, _, _ in PLAN],
        help="only this benchmark (repeatable)",
    )
    parser.add_argument(
        "--scales", help="comma-separated scales to keep from the plan (e.g. 1,100)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")] if args.scales else None
    plan = commands(args.only, scales)
    if args.dry_run:
        for command in plan:
            print(" ".join(command))
        return
    started = time.time()
    failed = []
    for command in plan:
        shown = " ".join(command[1:])
        print(f"\n=== {shown}", flush=True)
        begin = time.perf_counter()
        code = subprocess.call(command, cwd=ROOT, env=os.environ | {"MALLOC_ARENA_MAX": "2"})
        took = time.perf_counter() - begin
        print(f"=== {shown}: {'ok' if code == 0 else f'FAILED ({code})'} in {took:.0f} s")
        if code != 0:
            failed.append(shown)
    written = sorted(
        p for p in RESULTS.glob("*") if p.is_file() and p.stat().st_mtime >= started - 1
    )
    print("\nResults written:")
    for path in written:
        print(f"  {path.relative_to(ROOT)}")
    if failed:
        print("Failed: " + "; ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
