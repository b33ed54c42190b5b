"""Baseline for the dashboards benchmark: the same indicators in straightforward pandas.

    .venv/bin/python bench/dashboards.py --scale 100 --pandas   # measured beside ours
    .venv/bin/python bench/pandas_baseline.py --scale 1         # equality check only

What an analyst would write without OPP's engine: read the long-format `answers` rows the
page needs, joined with the response, campaign and organisation dimensions, into pandas
(`SELECT … FROM answers JOIN responses … .df()`), `pivot_table` them to one column per
question (one row per response, and one row per repeat item for the repeat groups), then
compute each (indicator, breakdown) pair of the page with `groupby`: sum, mean, median and
quartiles, ratio of sums, share of contributors meeting a condition, gap of means, count
of repeat items per category, participation rate; each cell with its contributor count,
the margin (all values of the breakdown), and the parts' shares of compositions.

It does NOT apply disclosure control (thresholds, dominance, differencing, secondary
suppression): OPP's engine does strictly more work for each panel. Run by itself, this
script compares every published (non-suppressed) cell of every dashboard panel with OPP's
engine and prints the result; `bench/dashboards.py --pandas` times it.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from opp import geo  # noqa: E402
from opp.indicators.catalogue import IndicatorCatalogue, column_kinds, item_columns  # noqa: E402
from opp.indicators.model import QUANTILE_KINDS, Indicator, Series  # noqa: E402
from opp.questionnaire.catalogue import SurveyCatalogue  # noqa: E402
from opp.store.db import Store  # noqa: E402

TOTAL = "__total__"  # same margin label as opp.indicators.engine
DIMS = ["reference_year", "filiere", "departement", "structure_type"]
VALUE = {"num": "value_num", "text": "value_text", "bool": "value_bool", "list": "value_list"}
QUANTILES = {0.1: "p10", 0.25: "q1", 0.5: "median", 0.75: "q3", 0.9: "p90"}

Panels = list[tuple[str, str | None]]


@dataclass
class PandasFrames:
    """The pivoted frames of one page: responses × questions, items × questions."""

    responses: pd.DataFrame
    items: dict[str, pd.DataFrame] = field(default_factory=dict)
    participation: pd.DataFrame | None = None


# --- cold part: long rows from DuckDB, pivoted -------------------------------------------


def wanted(
    indicators: list[Indicator], surveys: SurveyCatalogue
) -> tuple[dict[str, str], dict[str, dict[str, str]], bool]:
    """Top-level questions, repeat-group questions and whether participation is needed."""
    top: dict[str, str] = {"effectif_permanent": "num"}  # size class of every response
    items: dict[str, dict[str, str]] = {}
    for indicator in indicators:
        if indicator.kind == "participation":
            continue
        if indicator.repeat:
            items.setdefault(indicator.repeat, {}).update(item_columns(indicator, surveys))
        else:
            top |= column_kinds([indicator], surveys)
    participation = any(i.kind == "participation" for i in indicators)
    return top, items, participation


def load(
    store: Store, surveys: SurveyCatalogue, catalogue: IndicatorCatalogue, panels: Panels
) -> PandasFrames:
    """Fetch the page's long answer rows with their dimensions and pivot them."""
    indicators = list({i: catalogue.get(i) for i, _ in panels}.values())
    top, items, participation = wanted(indicators, surveys)
    item_questions = {q: k for columns in items.values() for q, k in columns.items()}
    kinds = {**top, **item_questions}
    values = sorted({VALUE[k] for k in kinds.values()})
    where = [f"(a.item = 0 AND a.question_id IN ({', '.join('?' * len(top))}))"]
    params: list[str] = list(top)
    if items:
        where.append(
            f"(a.item > 0 AND a.group_id IN ({', '.join('?' * len(items))}) "
            f"AND a.question_id IN ({', '.join('?' * len(item_questions))}))"
        )
        params += [*items, *item_questions]
    sql = f"""
        SELECT a.response_id, a.item, a.group_id, a.question_id,
               {", ".join(f"a.{v}" for v in values)},
               c.reference_year, c.filiere, o.departement, o.structure_type
        FROM answers a
        JOIN responses r ON r.id = a.response_id
        JOIN campaigns c ON c.id = r.campaign_id
        JOIN organisations o ON o.id = r.organisation_id
        WHERE r.status = 'submitted' AND ({" OR ".join(where)})
    """
    long = store.cursor().execute(sql, params).df()
    dims = long.drop_duplicates("response_id").set_index("response_id")[DIMS]
    responses = dims.join(_pivot(long[long["item"] == 0], top, ["response_id"]))
    responses["size_class"] = _size_class(responses)
    responses = responses.reset_index()
    frames = PandasFrames(responses)
    for repeat, columns in items.items():
        rows = long[(long["item"] > 0) & (long["group_id"] == repeat)]
        wide = _pivot(rows, columns, ["response_id", "item"]).reset_index()
        keys = responses[["response_id", *DIMS, "size_class"]]
        frames.items[repeat] = wide.merge(keys, on="response_id", how="inner")
    if participation:
        frames.participation = (
            store.cursor()
            .execute(
                """
                SELECT i.campaign_id, i.organisation_id, c.reference_year, c.filiere,
                       o.departement, o.structure_type, NULL::VARCHAR AS size_class,
                       coalesce(r.status = 'submitted', false) AS submitted
                FROM invitations i
                JOIN campaigns c ON c.id = i.campaign_id
                JOIN organisations o ON o.id = i.organisation_id
                LEFT JOIN responses r
                  ON r.campaign_id = i.campaign_id AND r.organisation_id = i.organisation_id
                """
            )
            .df()
        )
        frames.participation["response_id"] = np.arange(len(frames.participation))
    return frames


def _pivot(rows: pd.DataFrame, columns: dict[str, str], index: list[str]) -> pd.DataFrame:
    """One column per question, one pivot per value column (numbers, text, booleans…)."""
    parts = []
    for kind in ("num", "text", "bool", "list"):
        questions = [q for q, k in columns.items() if k == kind]
        if not questions:
            continue
        subset = rows[rows["question_id"].isin(questions)]
        parts.append(
            subset.pivot_table(
                index=index, columns="question_id", values=VALUE[kind], aggfunc="first"
            )
        )
    wide = pd.concat(parts, axis=1) if parts else pd.DataFrame()
    for q in columns:  # a question nobody answered is still a column
        if q not in wide.columns:
            wide[q] = np.nan
    return wide


def _size_class(frame: pd.DataFrame) -> pd.Series:
    staff = frame["effectif_permanent"]
    size = np.select(
        [staff <= 0, staff < 3, staff < 10, staff >= 10], ["0", "1-2", "3-9", "10+"], None
    )
    size = pd.Series(size, index=frame.index, dtype=object)
    size[(frame["structure_type"] == "artiste") | staff.isna()] = None
    return size


# --- warm part: groupby ---------------------------------------------------------------


def compute(
    frames: PandasFrames, indicator: Indicator, year: int, breakdown: str | None
) -> pd.DataFrame:
    """Cells of one panel: `group`, `series`, [`category`], `value`, `contributors`…"""
    if breakdown is not None and breakdown not in indicator.breakdowns:
        breakdown = None
    if indicator.kind == "participation":
        frame = frames.participation
    elif indicator.repeat:
        frame = frames.items[indicator.repeat]
    else:
        frame = frames.responses
    artist = frame["structure_type"] == "artiste"
    frame = frame[artist if indicator.audience == "artiste" else ~artist]
    if indicator.filieres:
        frame = frame[frame["filiere"].isin(indicator.filieres)]
    if breakdown != "reference_year":
        frame = frame[frame["reference_year"] == year]
    long = pd.concat([_contributions(frame, indicator, s) for s in indicator.series])
    by = ["series", *(["category"] if "category" in long.columns else [])]
    if breakdown == "reference_year":  # a trend: one figure per campaign year
        return _aggregate(long, indicator, ["reference_year", *by]).rename(
            columns={"reference_year": "group"}
        )
    total = _aggregate(long, indicator, by).assign(group=TOTAL, is_total=True)
    if breakdown is None:
        cells = total
    else:
        detail = _aggregate(long, indicator, [breakdown, *by]).rename(columns={breakdown: "group"})
        cells = pd.concat([detail.assign(is_total=False), total], ignore_index=True)
    if indicator.composition:
        whole = cells.groupby(["group", *by[1:]], dropna=False)["value"].transform("sum")
        cells["share"] = cells["value"] / whole * 100
    return cells


def _sum(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    return frame[columns].astype(float).sum(axis=1, min_count=1)


def _contributions(frame: pd.DataFrame, indicator: Indicator, series: Series) -> pd.DataFrame:
    kind = indicator.kind
    out = frame[["response_id", *DIMS, "size_class"]].copy()
    if series.count_positive:
        values = frame[series.count_positive].astype(float)
        out["v"] = (values > 0).sum(axis=1).where(values.notna().any(axis=1))
    elif kind in ("sum", "mean", "median", "quartiles", "items_quartiles"):
        out["v"] = _sum(frame, series.questions or [series.question])
    elif kind in ("ratio", "gap"):
        if kind == "ratio":
            out["num"] = _sum(frame, series.numerator)
            out["den"] = _sum(frame, series.denominator)
            positive = out["den"] > 0
        else:
            out["num"] = _sum(frame, [series.reference])
            out["den"] = _sum(frame, [series.compared])
            positive = out["num"] > 0
        out = out[out["num"].notna() & out["den"].notna() & positive]
        out["v"] = out["num"]
    elif kind == "contributors_share":
        out["v"] = _condition(frame[series.condition.question], series.condition)
    elif kind == "items_count":
        out["v"] = 1.0
        out["category"] = _category(frame, series)
        if series.group_by:
            out = out[out["category"].notna()]
    else:  # participation
        out["v"] = frame["submitted"].astype(float)
    out = out[out["v"].notna()]
    if series.where is not None:  # only the contributors meeting the series' condition
        column = series.where.question
        if column not in frame.columns:
            return out.iloc[0:0].assign(series=series.id)
        keep = _condition(frame[column], series.where) == 1
        out = out[keep.reindex(out.index, fill_value=False)]
    return out.assign(series=series.id)


def _condition(column: pd.Series, cond) -> pd.Series:
    if cond.contains is not None:
        hit = column.map(lambda x: x is not None and cond.contains in list(x), na_action="ignore")
    elif cond.one_of is not None:
        hit = column.astype(str).isin(cond.one_of)
    elif isinstance(cond.equals, bool):
        hit = column == cond.equals
    else:
        hit = column.astype(str) == str(cond.equals)
    base = column.notna()
    if cond.among is not None:
        base &= column.astype(str).isin(cond.among)
    return hit.astype(float).where(base)


def _category(frame: pd.DataFrame, series: Series) -> pd.Series:
    if series.group_by is None:
        return pd.Series(None, index=frame.index, dtype=object)
    column = frame[series.group_by]
    if series.group_as == "departement":
        mapping = {code: c.departement for code, c in geo.communes().items()}
        return column.map(mapping)
    if series.group_as == "place_scope":
        return column.str.startswith("FR-").map({True: "region", False: "abroad"})
    return column


def _aggregate(long: pd.DataFrame, indicator: Indicator, by: list[str]) -> pd.DataFrame:
    kind = indicator.kind
    grouped = long.groupby(by, dropna=False, sort=False)
    contributors = grouped["response_id"].nunique().rename("contributors")
    if kind in ("sum", "items_count"):
        value = grouped["v"].sum()
    elif kind == "mean":
        value = grouped["v"].mean()
    elif kind in ("contributors_share", "participation"):
        value = grouped["v"].mean() * 100
    elif kind == "ratio":
        sums = grouped[["num", "den"]].sum()
        value = sums["num"] / sums["den"] * indicator.scale
    elif kind == "gap":
        means = grouped[["num", "den"]].mean()
        value = (means["num"] - means["den"]) / means["num"] * 100
    else:
        value = None
    if kind in QUANTILE_KINDS:
        quantiles = grouped["v"].quantile(list(QUANTILES)).unstack().rename(columns=QUANTILES)
        enough = contributors >= 10  # whiskers only from 10 contributors
        quantiles.loc[~enough, ["p10", "p90"]] = np.nan
        cells = quantiles.rename(columns={"median": "value"}).join(contributors)
    else:
        cells = pd.DataFrame({"value": value, "contributors": contributors})
    return cells.reset_index()


def page(frames: PandasFrames, catalogue: IndicatorCatalogue, panels: Panels, year: int):
    return [compute(frames, catalogue.get(i), year, b) for i, b in panels]


# --- check: the same values as OPP's engine for every published cell --------------------


def _key(group, series, category) -> tuple[str | None, str, str | None]:
    def text(x):
        if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
            return None
        return str(x)

    return (text(group), str(series), text(category))


def compare(ours, theirs: pd.DataFrame) -> tuple[int, list[str]]:
    """(published cells equal, differences) between an engine Result and pandas cells."""
    expected = {
        _key(r["group"], r["series"], r.get("category")): r for r in theirs.to_dict("records")
    }
    equal, differences = 0, []
    for row in ours.table.iter_rows(named=True):
        if row.get("secret") is not None or row["value"] is None:
            continue
        key = _key(row["group"], row["series"], row.get("category"))
        other = expected.get(key)
        if other is None:
            differences.append(f"{ours.indicator.id} {key}: missing in pandas")
            continue
        same = math.isclose(row["value"], other["value"], rel_tol=1e-9, abs_tol=1e-9)
        same &= row["contributors"] == other["contributors"]
        if same:
            equal += 1
        else:
            differences.append(
                f"{ours.indicator.id} {key}: ours {row['value']} ({row['contributors']}) "
                f"pandas {other['value']} ({other['contributors']})"
            )
    return equal, differences


def check(
    store: Store,
    surveys: SurveyCatalogue,
    catalogue: IndicatorCatalogue,
    year: int,
    pages: dict[str, Panels],
) -> tuple[int, list[str]]:
    """Compare every published cell of every dashboard panel; print a summary."""
    from opp.indicators.engine import Filters
    from opp.indicators.engine import compute as engine_compute
    from opp.indicators.frames import LazyFrames

    ours_frames = LazyFrames(store, surveys, catalogue)
    panels = list(dict.fromkeys(p for page_list in pages.values() for p in page_list))
    theirs_frames = load(store, surveys, catalogue, panels)
    equal, differences, suppressed = 0, [], 0
    for indicator_id, breakdown in panels:
        indicator = catalogue.get(indicator_id)
        ours = engine_compute(
            ours_frames.for_indicator(indicator), indicator, Filters(reference_year=year), breakdown
        )
        theirs = compute(theirs_frames, indicator, year, breakdown)
        suppressed += ours.table.filter(ours.table["secret"].is_not_null()).height
        n, diff = compare(ours, theirs)
        equal += n
        differences += diff
        if (indicator_id, breakdown) in (
            ("effectif_permanent_total", None),
            ("budget_median", None),
        ):
            total = ours.total()
            mine = theirs[theirs["group"] == TOTAL].iloc[0]
            print(
                f"check {indicator_id} ({year}): ours {total['value']:.6g} "
                f"({total['contributors']} contributors) · pandas {mine['value']:.6g} "
                f"({mine['contributors']} contributors)"
            )
    print(
        f"check: {equal} published cells of {len(panels)} panels equal to pandas, "
        f"{len(differences)} differ ({suppressed} cells suppressed by disclosure control "
        "are not compared)"
    )
    for line in differences[:20]:
        print("  ", line)
    return equal, differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1, help="demo region scale (default 1)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from dashboards import demo_database, page_panels

    from opp.indicators.catalogue import load_indicators
    from opp.indicators.frames import LazyFrames
    from opp.questionnaire.catalogue import load_catalogue
    from opp.store import open_store

    store = open_store(demo_database(args.scale))
    surveys = load_catalogue()
    catalogue = load_indicators(surveys=surveys)
    year = LazyFrames(store, surveys, catalogue).years()[1]
    pages = page_panels(catalogue)
    _, differences = check(store, surveys, catalogue, year, pages)
    store.close()
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
