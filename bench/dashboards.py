"""Benchmark: computing every indicator of each dashboard page, cold and warm.

    .venv/bin/python bench/dashboards.py --scale 100

Builds (once, cached in bench/data/) the demo region at the given scale, then for each
page in pages/ measures, in the same run:
- raw scan: `SELECT count(*), sum(value_num), count(value_text) FROM answers` (best of 5);
- cold: a fresh frame cache (dimensions + the page's answer columns fetched from DuckDB)
  and empty disclosure caches, then every panel of the page computed;
- warm: the same panels computed again from the frames of this data generation (what a
  new viewer of the page costs until new data is submitted; viewers of an identical
  selection get the app's cached results, which cost nothing).
Times are the best of `--repeat` runs; ratios are against the raw scan.
"""

from __future__ import annotations

import argparse
import ast
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from opp.indicators import disclosure  # noqa: E402
from opp.indicators.catalogue import load_indicators  # noqa: E402
from opp.indicators.engine import Filters, compute  # noqa: E402
from opp.indicators.frames import LazyFrames  # noqa: E402
from opp.questionnaire.catalogue import load_catalogue  # noqa: E402
from opp.store import analytics, open_store  # noqa: E402

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"


def demo_database(scale: float) -> Path:
    """The demo region at `scale`, built once and reused by later runs."""
    from opp.demo.generator import build_demo

    path = DATA / f"demo-x{scale:g}.duckdb"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    store = open_store(path)
    started = time.perf_counter()
    summary = build_demo(store, scale=scale, validate=scale <= 1)
    store.checkpoint()
    store.close()
    print(
        f"built {path.name}: {summary.responses} responses, {summary.answer_rows} answer rows "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return path


def page_panels(indicator_ids: set[str]) -> dict[str, list[tuple[str, str | None]]]:
    """(indicator, breakdown) pairs each page asks for, read from the page sources."""
    pages: dict[str, list[tuple[str, str | None]]] = {}
    for path in sorted((ROOT / "pages").glob("*.py")):
        found: list[tuple[str, str | None]] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and first.value in indicator_ids):
                continue
            breakdown = None
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                breakdown = node.args[1].value
            found.append((first.value, breakdown))
        if found:
            pages[path.stem] = list(dict.fromkeys(found))
    return pages


def scan_time(store, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        analytics.scan_answers(store)
        times.append(time.perf_counter() - started)
    return min(times)


def run_page(store, surveys, indicators, panels, year: int, cache: LazyFrames | None):
    started = time.perf_counter()
    if cache is None:
        disclosure._permitted_cached.cache_clear()
        cache = LazyFrames(store, surveys, indicators)
        cache.prefetch([indicators.get(i) for i, _ in panels])
    for indicator_id, breakdown in panels:
        indicator = indicators.get(indicator_id)
        compute(cache.for_indicator(indicator), indicator, Filters(reference_year=year), breakdown)
    return time.perf_counter() - started, cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = demo_database(args.scale)
    store = open_store(path)
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    panels = page_panels(set(indicators.indicators))
    rows = store.cursor().execute("SELECT count(*) FROM answers").fetchall()[0][0]
    responses = (
        store.cursor()
        .execute("SELECT count(*) FROM responses WHERE status = 'submitted'")
        .fetchall()[0][0]
    )
    scan = scan_time(store)
    year = LazyFrames(store, surveys, indicators).years()[1]  # the last closed campaign
    report = {
        "scale": args.scale,
        "answer_rows": rows,
        "submitted_responses": responses,
        "machine": f"{platform.processor() or platform.machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "raw_scan_ms": round(scan * 1000, 1),
        "pages": {},
    }
    print(
        f"scale ×{args.scale:g}: {responses} submitted responses, {rows} answer rows; "
        f"raw scan {scan * 1000:.1f} ms"
    )
    print(
        f"{'page':32} {'panels':>6} {'cold ms':>9} {'warm ms':>9} {'cold/scan':>10} "
        f"{'warm/scan':>10}"
    )
    for page, page_list in panels.items():
        colds, warms = [], []
        for _ in range(args.repeat):
            cold, cache = run_page(store, surveys, indicators, page_list, year, None)
            warm, _ = run_page(store, surveys, indicators, page_list, year, cache)
            colds.append(cold)
            warms.append(warm)
        cold, warm = min(colds), min(warms)
        report["pages"][page] = {
            "panels": len(page_list),
            "cold_ms": round(cold * 1000, 1),
            "warm_ms": round(warm * 1000, 1),
            "cold_median_ms": round(statistics.median(colds) * 1000, 1),
            "warm_median_ms": round(statistics.median(warms) * 1000, 1),
            "cold_over_scan": round(cold / scan, 1),
            "warm_over_scan": round(warm / scan, 1),
        }
        print(
            f"{page:32} {len(page_list):>6} {cold * 1000:>9.0f} {warm * 1000:>9.0f} "
            f"{cold / scan:>10.1f} {warm / scan:>10.1f}"
        )
    store.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"dashboards-x{args.scale:g}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"→ {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
