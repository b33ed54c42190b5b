"""Artists' development paths: how career stages change from one campaign to the next.

The artists' questionnaire asks each year where an artist stands in their career
(`art_stade_carriere`: emerging, developing, established, changing career or pausing).
Following the artists who answered two consecutive campaigns gives a transition matrix:
how many were at stage *a* in year N and at stage *b* in year N+1. Only aggregates are
published, through the disclosure layer:

- the cells are populations of one lattice (`disclosure.permitted_combinations`) whose
  two axes are the stage of year N (with "no answer") and the stage of year N+1 (with
  "no answer" and "did not answer in N+1"); its margins are the artists of year N by
  stage — the Explorer's figures of that question — so no published transition cell
  lies 1 … t−1 artists from such a margin or from another cell;
- the threshold is the policy's for individual artists (5);
- each published count carries the cell key noise (record keys of the artist's two
  responses), never under the threshold; row shares are computed from the published
  counts and hidden with any hidden cell of their row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.i18n import texts
from opp.indicators import disclosure, service
from opp.indicators import perturbation as noise
from opp.indicators.engine import Filters, Result
from opp.indicators.model import Indicator
from opp.indicators.policy import DisclosurePolicy, load_policy
from opp.indicators.publish import TABLE_SCHEMA, _empty
from opp.indicators.rows import scope_frame
from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue

QUESTION = "art_stade_carriere"
QUESTIONNAIRE = "artistes_musiques_actuelles"
BREAKDOWN = "career_from"  # the table's group: the stage of year N


def stages(surveys: SurveyCatalogue) -> list[tuple[str, Any]]:
    """The career stages (value, label) in form order."""
    question = surveys.get(QUESTIONNAIRE).questions[QUESTION]
    return [(c.value, c.label) for c in getattr(question, "choices", [])]


def _indicator(surveys: SurveyCatalogue) -> Indicator:
    base = Indicator.model_validate(
        {
            "id": "parcours_artistes",
            "domain": "filiere",
            "label": texts("paths.label"),
            "definition": texts("paths.definition"),
            "kind": "sum",
            "unit": "count",
            "audience": "artiste",
            "series": [
                {"id": value, "label": label.model_dump(), "question": QUESTION}
                for value, label in stages(surveys)
            ],
        }
    )
    rule = load_policy().rule_for(base, set())
    return base.model_copy(update={"disclosure": rule})


def transitions(
    store: Any,
    viewer: Viewer | None,
    year: int,
    filters: Filters | None = None,
    *,
    frames: service.FrameSource | None = None,
    surveys: SurveyCatalogue | None = None,
    policy: DisclosurePolicy | None = None,
) -> Result:
    """The published transition matrix from `year` to `year + 1` (group = stage in
    `year`, series = stage in `year + 1`, value = artists, share = % of the row)."""
    if viewer is None:
        raise OppError("AUTH_REQUIRED")
    surveys = surveys or load_catalogue()
    if frames is None:
        from opp.indicators.catalogue import load_indicators
        from opp.indicators.frames import LazyFrames

        frames = LazyFrames(store, surveys, load_indicators(surveys=surveys))
    indicator = _indicator(surveys)
    filters = service.scoped_filters(
        viewer, Filters(year, filiere=(filters or Filters(year)).filiere)
    )
    available = frames.years()
    if year not in available or year + 1 not in available:
        raise OppError(
            "T_PATH_YEAR", value=year, expected=[y for y in sorted(available) if y + 1 in available]
        )
    base = getattr(frames, "base", None)
    responses = base if base is not None else getattr(frames, "responses")  # noqa: B009
    answers = frames.answer_column(QUESTION, "text").cast(pl.String)
    artists = scope_frame(responses.with_columns(answers.alias(QUESTION)), indicator)
    if filters.filiere is not None:
        artists = artists.filter(pl.col("filiere") == filters.filiere)
    table = _matrix(artists, indicator, year, policy or load_policy())
    return Result(
        indicator,
        filters,
        BREAKDOWN,
        table,
        minimum=indicator.disclosure.min_contributors,
        release=frames.release,
    )


def _matrix(
    artists: pl.DataFrame, indicator: Indicator, year: int, policy: DisclosurePolicy
) -> pl.DataFrame:
    values = [s.id for s in indicator.series]
    k = len(values)
    before = artists.filter(pl.col("reference_year") == year).select(
        "organisation_id", pl.col(QUESTION).alias("_from"), pl.col("_key").alias("_k0")
    )
    after = artists.filter(pl.col("reference_year") == year + 1).select(
        "organisation_id", pl.col(QUESTION).alias("_to"), pl.col("_key").alias("_k1")
    )
    pairs = before.join(after, on="organisation_id", how="left").unique(
        "organisation_id", keep="first"
    )
    if pairs.is_empty():
        return _empty()
    position = {v: i for i, v in enumerate(values)}
    rows = pairs.with_columns(
        pl.col("_from").replace_strict(position, default=k, return_dtype=pl.Int64).alias("_a"),
        pl.when(pl.col("_k1").is_null())
        .then(k + 1)  # did not answer in year + 1
        .otherwise(pl.col("_to").replace_strict(position, default=k, return_dtype=pl.Int64))
        .alias("_b"),
        (
            (pl.col("_k0").cast(pl.Int64) + pl.col("_k1").fill_null(0).cast(pl.Int64))
            % noise.KEY_MODULUS
        ).alias("_ck"),
    )
    atoms = np.zeros((k + 1, k + 2), dtype=np.int64)
    np.add.at(atoms, (rows["_a"].to_numpy(), rows["_b"].to_numpy()), 1)
    permitted = disclosure.permitted_combinations(atoms, indicator.disclosure.min_contributors)
    minimum = indicator.disclosure.min_contributors
    out = []
    for a, origin in enumerate(values):
        for b, target in enumerate(values):
            cell = rows.filter((pl.col("_a") == a) & (pl.col("_b") == b))
            n = cell.height
            if n == 0:
                continue  # like every breakdown: a cell without contributors has no row
            reason = None
            if n < minimum:
                reason = "min_contributors"
            elif not permitted[a + 1, b + 1]:
                reason = "differencing"
            shown = None
            if reason is None:
                ck = int(cell["_ck"].sum()) % noise.KEY_MODULUS
                purpose = f"parcours:{QUESTION}|{year}|{origin}>{target}"
                shown = max(n + noise.count_noise(ck, purpose, policy.perturbation.counts), minimum)
            out.append(
                {
                    "group": origin,
                    "series": target,
                    "value": None if shown is None else float(shown),
                    "contributors": shown,
                    "is_total": False,
                    "secret": reason,
                }
            )
    table = pl.DataFrame(out, schema=TABLE_SCHEMA, orient="row")
    return table.with_columns(
        pl.when(pl.col("secret").is_null().all().over("group"))
        .then(pl.col("value") / pl.col("value").sum().over("group") * 100)
        .otherwise(None)
        .alias("share")
    )
