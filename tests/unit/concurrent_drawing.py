"""Run by test_concurrent_rendering.py in a process of its own (a deadlocked process
cannot be stopped from inside): draws dashboard charts from many threads at once and
prints how many threads finished. Usage: concurrent_drawing.py DEMO_FILE THREADS ROUNDS"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters, compute
from opp.indicators.service import build_frames
from opp.questionnaire.catalogue import load_catalogue
from opp.store import open_store
from opp.ui import charts
from opp.ui.dashboard import labelled

CHARTS = {
    "part_femmes_par_fonction": (charts.parity, "filiere"),
    "representations_par_lieu": (charts.shares, "filiere"),
    "budget_median": (charts.boxes, "filiere"),
    "effectif_permanent_total": (charts.trend, "reference_year"),
    "representations_par_departement": (charts.map_departements, None),
}


def inputs(demo_file: Path) -> list:
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    store = open_store(demo_file)
    try:
        frames = build_frames(store, surveys, indicators)
    finally:
        store.close()
    year = frames.years()[0]
    out = []
    for indicator_id, (draw, breakdown) in CHARTS.items():
        indicator = indicators.get(indicator_id)
        result = compute(frames.for_indicator(indicator), indicator, Filters(year), breakdown)
        out.append((draw, labelled(result, "fr"), result))
    return out


def main(demo_file: str, threads: str, rounds: str) -> None:
    drawn = inputs(Path(demo_file))
    finished: list[int] = []

    def draw_all() -> None:
        for _ in range(int(rounds)):
            for draw, frame, result in drawn:
                draw(frame, result, "fr").to_plotly_json()
        finished.append(1)

    workers = [threading.Thread(target=draw_all) for _ in range(int(threads))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(f"finished {len(finished)}")  # noqa: T201 (read by the test)


if __name__ == "__main__":
    main(*sys.argv[1:])
