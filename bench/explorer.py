"""Benchmark: the Explorer, cold and warm, against a raw scan of the release's answers.

    .venv/bin/python bench/explorer.py --scale 100

For a fixed set of questions of every kind (a single choice, a multiple choice, a yes/no,
a number's quartiles and total, a repeat group's items, a repeat question by answer),
with no breakdown, by département and by an answer of the common core (collective agreement):
- raw scan: `analytics.scan_answers` on the latest release (best of 5);
- cold: fresh frames (nothing fetched) and empty lattice caches, then every question;
- warm: the same questions again on the same frames (a new selection of a viewer once the
  release's columns are fetched; identical selections are the app's cached results).
Times are the best of `--repeat` runs; ratios are against the raw scan. Results go to
bench/results/explorer-x{scale}.json and .md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dashboards import demo_database, describe, machine, write_results  # noqa: E402

from opp.access.viewer import Role, Viewer  # noqa: E402
from opp.indicators import admitted, explore  # noqa: E402
from opp.indicators.catalogue import load_indicators  # noqa: E402
from opp.indicators.engine import Filters  # noqa: E402
from opp.indicators.frames import LazyFrames  # noqa: E402
from opp.questionnaire.catalogue import load_catalogue  # noqa: E402
from opp.store import analytics, open_store, releases  # noqa: E402

COREPS = Viewer(role=Role.COREPS, account_id="bench")
QUESTIONS = (
    ("cirque", "forme_juridique", "shares"),
    ("cirque", "labels", "shares"),
    ("cirque", "charte_egalite", "shares"),
    ("cirque", "budget_total", "quartiles"),
    ("cirque", "budget_total", "total"),
    ("cirque", "detail_representations", "items"),
    ("cirque", "rep_type_lieu", "items"),
)
BREAKDOWNS = (None, "departement", "convention_collective")


def run(store, surveys, indicators, year: int, frames: LazyFrames | None):
    started = time.perf_counter()
    if frames is None:
        admitted.clear()
        frames = LazyFrames(store, surveys, indicators)
    for questionnaire_id, question_id, measure in QUESTIONS:
        for breakdown in BREAKDOWNS:
            explore.distribution(
                store,
                COREPS,
                questionnaire_id,
                question_id,
                Filters(reference_year=year),
                breakdown,
                measure=measure,
                frames=frames,
                surveys=surveys,
            )
    return time.perf_counter() - started, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    store = open_store(demo_database(args.scale))
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    release = releases.latest(store)
    scans, colds, warms = [], [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        analytics.scan_answers(store, release.id)
        scans.append(time.perf_counter() - started)
        year = LazyFrames(store, surveys, indicators).years()[0]
        cold, frames = run(store, surveys, indicators, year, None)
        warm, _ = run(store, surveys, indicators, year, frames)
        colds.append(cold)
        warms.append(warm)
    scan, cold, warm = min(scans), min(colds), min(warms)
    calls = len(QUESTIONS) * len(BREAKDOWNS)
    report = {
        "scale": args.scale,
        "machine": machine(),
        "calls": calls,
        "scan_s": scan,
        "cold_s": cold,
        "warm_s": warm,
        "cold_ratio": cold / scan,
        "warm_ratio": warm / scan,
    }
    section = (
        f"### Explorer ×{args.scale:g} ({describe(report['machine'])})\n\n"
        f"| | time | per call | ratio to a raw scan |\n|---|---|---|---|\n"
        f"| raw scan | {scan * 1000:.0f} ms | | 1 |\n"
        f"| cold ({calls} calls) | {cold * 1000:.0f} ms | {cold / calls * 1000:.0f} ms "
        f"| {cold / scan:.1f} |\n"
        f"| warm ({calls} calls) | {warm * 1000:.0f} ms | {warm / calls * 1000:.0f} ms "
        f"| {warm / scan:.1f} |\n"
    )
    print(section)
    write_results(f"explorer-x{args.scale:g}", report, section)
    store.close()


if __name__ == "__main__":
    main()
