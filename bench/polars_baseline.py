"""OPP against a plain Polars script computing the same Emploi panels from Parquet.

    .venv/bin/python bench/polars_baseline.py --scale 100 [--repeat 5] [--page emploi]

What an analyst with a Parquet export would write (no DuckDB, no disclosure control):
the page's answers, one row per response and one column per question, are exported once
(not timed) from the same release OPP reads; then, in the same run and interleaved:

- **polars cold (raw answers)**: the release's answers as stored — a long Parquet file,
  one row per answer, every question — filtered to the page's questions, pivoted to one
  column per question and joined to the responses' dimensions (what OPP's cold does from
  DuckDB), then every (indicator, breakdown) pair of the page's declaration
  (surveys/dashboards/<page>.yaml) computed with `group_by`: sums, ratios of sums,
  medians and quartiles, shares of contributors, each cell with its contributor count
  and the margin;
- **polars cold (wide export)**: the same from a Parquet export already holding one row
  per response and only the page's columns (the pivot done beforehand, untimed);
- **polars warm**: the same computations on the frame already in memory;
- **OPP cold**: a new frame cache (the release's dimensions and the page's answer
  columns fetched from DuckDB) and empty disclosure caches in memory, then every pair
  computed by the engine with disclosure control (thresholds, dominance, differencing,
  noise); the differencing's admissions frozen with the release at its publication
  (here by the set-up, untimed, like the script's Parquet export) are read from the
  store, as by a server started on a published release;
- **OPP warm**: the same pairs on the frames already built, each indicator-year's
  contributions and atom counts in the release's memo (`opp.indicators.memo`), as the
  service computes them for a viewer with a new selection of a year already shown (a
  repeated selection is served from the app's result cache);
- **OPP warm, another filter** (`structure_type = lieu`), against the script computing
  the same filtered panels: a viewer narrowing the page (the memo's rows, new cells);
- **OPP warm, memo empty**: the frames built but nothing computed yet (the first viewer
  of another campaign year, or an indicator-year the memo let go), against the script's
  warm.

Before timing, every exact cell OPP computes (before disclosure) is checked equal to the
script's. Results: bench/results/polars-x{scale}.json and .md (ratios OPP / Polars).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dashboards import (  # noqa: E402
    DATA,
    RESULTS,
    demo_database,
    describe,
    frozen_admissions,
    machine,
    page_panels,
)

from opp.indicators import admitted  # noqa: E402
from opp.indicators.catalogue import IndicatorCatalogue, load_indicators  # noqa: E402
from opp.indicators.engine import TOTAL, Filters, compute, exact_cells  # noqa: E402
from opp.indicators.frames import LazyFrames  # noqa: E402
from opp.indicators.memo import Memo  # noqa: E402
from opp.indicators.model import Indicator, Series  # noqa: E402
from opp.questionnaire.catalogue import load_catalogue  # noqa: E402
from opp.store import open_store  # noqa: E402

Panels = list[tuple[str, str | None]]
# "Another filter" of the warm measures: a viewer narrowing the page to one type.
WHERE = {"structure_type": "lieu"}
WHERE_TEXT = "structure_type = lieu"
DIMS = ["response_id", "reference_year", "filiere", "departement", "structure_type", "size_class"]
QUANTILES = {"p10": 0.1, "q1": 0.25, "median": 0.5, "q3": 0.75, "p90": 0.9}


# --- the export (not timed) -----------------------------------------------------------------


def export(frames: LazyFrames, indicators: IndicatorCatalogue, panels: Panels, path: Path) -> None:
    """One row per response of the release, one column per question the page uses."""
    wanted = [indicators.get(i) for i, _ in dict.fromkeys(panels)]
    frames.prefetch(wanted)
    columns: dict[str, pl.Series] = {}
    for indicator in wanted:
        frame = frames.for_indicator(indicator)
        for question in sorted(indicator.used_questions()):
            columns[question] = frame[question]
    base = frames.base.select([c for c in DIMS if c in frames.base.columns])
    base.hstack(list(columns.values())).write_parquet(path)


def export_long(store, frames: LazyFrames, dims_path: Path, long_path: Path) -> None:
    """The release's answers as they are stored (long format: one row per answer, every
    question) and its responses' dimensions: what an analyst holding the raw data has."""
    frames.base.select([c for c in DIMS if c in frames.base.columns]).write_parquet(dims_path)
    sql = (
        "SELECT r.response_id, a.question_id, a.value_num, a.value_bool, a.value_text "
        "FROM frozen_answers a JOIN release_members m ON m.snapshot = a.snapshot "
        "JOIN frozen_responses r ON r.snapshot = a.snapshot "
        f"WHERE m.release_id = {int(frames.release.id)} AND a.item = 0"
    )
    with store.relation_cursor() as cur:
        cur.sql(sql).pl().write_parquet(long_path)


def load_long(dims_path: Path, long_path: Path, questions: list[str]) -> pl.DataFrame:
    """Cold from the raw data: the page's answers read from the long Parquet (pushed-down
    filter), pivoted to one column per question and joined to the dimensions."""
    long = (
        pl.scan_parquet(long_path)
        .filter(pl.col("question_id").is_in(questions))
        .select("response_id", "question_id", "value_num")
        .collect()
    )
    wide = long.pivot(on="question_id", index="response_id", values="value_num")
    return pl.read_parquet(dims_path).join(wide, on="response_id", how="left")


# --- the plain script -----------------------------------------------------------------------


def _value(series: Series, kind: str) -> dict[str, pl.Expr]:
    """Per response: the series' value (and numerator/denominator for a ratio)."""

    def summed(names: list[str]) -> pl.Expr:
        cols = [pl.col(n).cast(pl.Float64) for n in names]
        return pl.when(pl.any_horizontal([c.is_not_null() for c in cols])).then(
            pl.sum_horizontal(cols)
        )

    if kind == "ratio":
        return {"num": summed(series.numerator or []), "den": summed(series.denominator or [])}
    if kind == "contributors_share" and series.condition is not None:
        cond = series.condition
        column = pl.col(cond.question)
        if isinstance(cond.equals, bool):
            hit = column.cast(pl.Boolean) == cond.equals
        else:
            hit = column.cast(pl.String) == str(cond.equals)
        return {"v": pl.when(column.is_not_null()).then(hit.cast(pl.Float64))}
    return {"v": summed(series.questions or [series.question or ""])}


def _cells(frame: pl.DataFrame, indicator: Indicator, by: list[str]) -> pl.DataFrame:
    parts = []
    for series in indicator.series:
        exprs = _value(series, indicator.kind)
        long = frame.select(*by, **exprs)
        if indicator.kind == "ratio":
            long = long.filter(
                pl.col("num").is_not_null() & pl.col("den").is_not_null() & (pl.col("den") > 0)
            )
            aggs = [
                (pl.col("num").sum() / pl.col("den").sum() * indicator.scale).alias("value"),
                pl.len().alias("n"),
            ]
        else:
            long = long.filter(pl.col("v").is_not_null())
            if indicator.kind in ("median", "quartiles"):
                aggs = [
                    pl.col("v").quantile(q, "linear").alias(name) for name, q in QUANTILES.items()
                ]
                aggs.append(pl.len().alias("n"))
            elif indicator.kind in ("mean", "contributors_share"):
                scale = 100 if indicator.kind == "contributors_share" else 1
                aggs = [(pl.col("v").mean() * scale).alias("value"), pl.len().alias("n")]
            else:
                aggs = [pl.col("v").sum().alias("value"), pl.len().alias("n")]
        grouped = long.group_by(by).agg(aggs) if by else long.select(aggs)
        parts.append(grouped.with_columns(pl.lit(series.id).alias("series")))
    cells = pl.concat(parts, how="diagonal_relaxed")
    if "median" in cells.columns:
        cells = cells.rename({"median": "value"})
    return cells


def panel(
    frame: pl.DataFrame,
    indicator: Indicator,
    year: int,
    breakdown: str | None,
    where: dict[str, str] | None = None,
):
    """One panel: the breakdown's cells and the margin (TOTAL); `where`: filters."""
    rows = frame.filter(pl.col("structure_type") != "artiste")
    for column, value in (where or {}).items():
        rows = rows.filter(pl.col(column) == value)
    if indicator.filieres:
        rows = rows.filter(pl.col("filiere").is_in(indicator.filieres))
    if breakdown != "reference_year":
        rows = rows.filter(pl.col("reference_year") == year)
    total = _cells(rows, indicator, []).with_columns(pl.lit(TOTAL).alias("group"))
    if breakdown is None:
        return total
    detail = _cells(rows, indicator, [breakdown]).rename({breakdown: "group"})
    return pl.concat(
        [detail.with_columns(pl.col("group").cast(pl.String)), total], how="diagonal_relaxed"
    )


def page(
    frame: pl.DataFrame,
    indicators: IndicatorCatalogue,
    panels: Panels,
    year: int,
    where: dict[str, str] | None = None,
) -> list:
    return [panel(frame, indicators.get(i), year, b, where) for i, b in panels]


# --- OPP, measured the same way ------------------------------------------------------------


def opp_page(
    store,
    surveys,
    indicators,
    panels: Panels,
    year: int,
    cache: LazyFrames | None,
    where: dict[str, str] | None = None,
):
    """Cold (a new frame cache, empty disclosure caches) when `cache` is None."""
    started = time.perf_counter()
    filters = Filters(reference_year=year, **(where or {}))
    if cache is None:
        admitted.clear()
        # One scan of the release's answers: the headcount and the page's columns.
        cache = LazyFrames(
            store, surveys, indicators, prefetch=[indicators.get(i) for i, _ in panels]
        )
    for indicator_id, breakdown in panels:
        indicator = indicators.get(indicator_id)
        frame = cache.for_indicator(indicator)
        # As the service does (`service.result`): the release's memo of indicator-years.
        compute(frame, indicator, filters, breakdown, memo=cache.memo)
    return time.perf_counter() - started, cache


def check(
    frames: LazyFrames,
    frame: pl.DataFrame,
    indicators,
    panels: Panels,
    year: int,
    where: dict[str, str] | None = None,
):
    """Every exact cell of OPP (before disclosure) equals the script's."""
    equal = differ = 0
    filters = Filters(year, **(where or {}))
    for indicator_id, breakdown in panels:
        indicator = indicators.get(indicator_id)
        if breakdown == "reference_year":
            continue  # OPP computes one year at a time; the script all at once
        ours = exact_cells(frames.for_indicator(indicator), indicator, filters, breakdown).select(
            "group", "series", "value", "n"
        )
        theirs = panel(frame, indicator, year, breakdown, where).select(
            "group", "series", "value", "n"
        )
        joined = ours.join(theirs, on=["group", "series"], how="full", suffix="_p")
        for row in joined.iter_rows(named=True):
            same = row["n"] == row["n_p"] and (
                row["value"] == row["value_p"]
                or (
                    row["value"] is not None
                    and row["value_p"] is not None
                    and abs(row["value"] - row["value_p"]) <= 1e-6 * max(1, abs(row["value"]))
                )
            )
            equal += same
            differ += not same
    return equal, differ


# --- run --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--page", default="emploi")
    args = parser.parse_args()

    store = open_store(demo_database(args.scale))
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    panels = page_panels(indicators)[args.page]
    questions = sorted(set().union(*(indicators.get(i).used_questions() for i, _ in panels)))
    frozen_admissions(store, surveys, indicators)
    warm_frames = LazyFrames(store, surveys, indicators)
    year = warm_frames.years()[1]  # the last closed campaign
    stem = f"{args.page}-x{args.scale:g}"
    wide, dims, long = (DATA / f"{stem}{s}.parquet" for s in ("", "-dims", "-answers"))
    export(warm_frames, indicators, panels, wide)
    export_long(store, warm_frames, dims, long)
    frame = pl.read_parquet(wide)
    equal, differ = check(warm_frames, frame, indicators, panels, year)
    filtered_equal, filtered_differ = check(warm_frames, frame, indicators, panels, year, WHERE)
    equal, differ = equal + filtered_equal, differ + filtered_differ
    raw_equal, raw_differ = check(
        warm_frames, load_long(dims, long, questions), indicators, panels, year
    )
    print(f"{len(panels)} panels; exact cells: {equal} equal, {differ} differ (wide)")
    print(f"exact cells from the raw answers: {raw_equal} equal, {raw_differ} differ")

    load = os.getloadavg()
    keys = (
        "opp_cold",
        "opp_warm",
        "opp_warm_filter",
        "opp_warm_no_memo",
        "pl_cold",
        "pl_cold_raw",
        "pl_warm",
        "pl_warm_filter",
    )
    times: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(args.repeat):  # interleaved: the machine's load affects each alike
        started = time.perf_counter()
        page(pl.read_parquet(wide), indicators, panels, year)
        times["pl_cold"].append(time.perf_counter() - started)
        started = time.perf_counter()
        page(load_long(dims, long, questions), indicators, panels, year)
        times["pl_cold_raw"].append(time.perf_counter() - started)
        started = time.perf_counter()
        page(frame, indicators, panels, year)
        times["pl_warm"].append(time.perf_counter() - started)
        started = time.perf_counter()
        page(frame, indicators, panels, year, WHERE)
        times["pl_warm_filter"].append(time.perf_counter() - started)
        seconds, cache = opp_page(store, surveys, indicators, panels, year, None)
        times["opp_cold"].append(seconds)
        times["opp_warm"].append(opp_page(store, surveys, indicators, panels, year, cache)[0])
        times["opp_warm_filter"].append(
            opp_page(store, surveys, indicators, panels, year, cache, WHERE)[0]
        )
        cache.memo = Memo()  # frames built, nothing computed yet: another year's first viewer
        times["opp_warm_no_memo"].append(
            opp_page(store, surveys, indicators, panels, year, cache)[0]
        )
    best = {k: min(v) for k, v in times.items()}
    ms = {k: round(v * 1000, 1) for k, v in best.items()}
    report: dict[str, Any] = {
        "scale": args.scale,
        "page": args.page,
        "panels": len(panels),
        "responses": frame.height,
        "answer_rows": pl.scan_parquet(long).select(pl.len()).collect().item(),
        "best_ms": ms,
        "median_ms": {k: round(sorted(v)[len(v) // 2] * 1000, 1) for k, v in times.items()},
        "ratio_cold_wide": round(best["opp_cold"] / best["pl_cold"], 2),
        "ratio_cold_raw": round(best["opp_cold"] / best["pl_cold_raw"], 2),
        "ratio_warm": round(best["opp_warm"] / best["pl_warm"], 2),
        "ratio_warm_filter": round(best["opp_warm_filter"] / best["pl_warm_filter"], 2),
        "ratio_warm_no_memo": round(best["opp_warm_no_memo"] / best["pl_warm"], 2),
        "check": {"equal": equal + raw_equal, "differ": differ + raw_differ},
        "load_at_start": [round(x, 2) for x in load],
        "load_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": machine(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"polars-{stem}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    opp = "OPP: DuckDB release → frames → engine, disclosure control"
    lines = [
        (
            f"### {args.page}, ×{args.scale:g}: {frame.height} responses, "
            f"{report['answer_rows']} answer rows"
        ),
        "",
        "| | cold ms | warm ms | OPP / this, cold | OPP / this, warm |",
        "|---|---:|---:|---:|---:|",
        f"| {opp} | {ms['opp_cold']} | {ms['opp_warm']} | | |",
        (
            f"| OPP, warm with another filter ({WHERE_TEXT}) / the script with it | | "
            f"{ms['opp_warm_filter']} / {ms['pl_warm_filter']} | | "
            f"**{report['ratio_warm_filter']}** |"
        ),
        (
            f"| OPP, warm with the memo empty (frames built, nothing computed: a year's "
            f"first viewer) | | {ms['opp_warm_no_memo']} | | **{report['ratio_warm_no_memo']}** |"
        ),
        (
            f"| Polars from the raw answers (long Parquet → filter, pivot, join) | "
            f"{ms['pl_cold_raw']} | {ms['pl_warm']} | **{report['ratio_cold_raw']}** | "
            f"**{report['ratio_warm']}** |"
        ),
        (
            f"| Polars from a wide export of the page's columns (Parquet) | {ms['pl_cold']} | "
            f"{ms['pl_warm']} | **{report['ratio_cold_wide']}** | **{report['ratio_warm']}** |"
        ),
        "",
        (
            f"Best of {args.repeat} interleaved runs; {len(panels)} (indicator, breakdown) "
            f"pairs of surveys/dashboards/{args.page}.yaml; exact cells "
            f"{report['check']['equal']} equal, {report['check']['differ']} differ. "
            f"{describe(report['machine'])}; at the end {report['load_at_end']}."
        ),
    ]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    store.close()


if __name__ == "__main__":
    main()
