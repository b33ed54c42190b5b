"""Restitution ("Ma fiche"): a contributor's own figures beside their peers'.

For one of their responses: each key indicator computed on their own answers (as they
stand now: it is their own data), next to the median and quartiles of the contributors
of their filière, of the same structure type and of the same size class (the campaign
year). The peers come from the latest release and their quartiles go through the
disclosure layer like every published figure (`indicators.peers`): perturbed, never a
peer's exact value, and unchanged when the contributor edits their own answers. A peer
group under the quantile threshold is withheld, with the reason. Plus their own history
across campaigns (their own answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from opp.access.policy import Action, Resource, require
from opp.access.viewer import Viewer
from opp.i18n import LANGUAGES, gettext, texts
from opp.indicators import peers
from opp.indicators.catalogue import IndicatorCatalogue
from opp.indicators.model import Indicator, L10n
from opp.indicators.policy import load_policy
from opp.indicators.rows import contributions, scope_frame
from opp.indicators.service import FrameSource
from opp.services import campaigns, organisations, questionnaires
from opp.services import responses as response_store
from opp.store import analytics
from opp.store.db import Store
from opp.store.records import Campaign, Organisation, ResponseMeta

PEER_MINIMUM = load_policy().min_contributors_sensitive

# (indicator, series) shown on the fiche, in this order; series None = the only one.
FICHE: tuple[tuple[str, str | None], ...] = (
    ("effectif_permanent_total", None),
    ("etp_permanents_total", None),
    ("intermittents_employes", "artistes"),
    ("intermittents_employes", "techniciens"),
    ("part_masse_salariale_budget", None),
    ("part_femmes_par_fonction", "direction"),
    ("part_femmes_par_fonction", "artistique"),
    ("part_femmes_par_fonction", "technique"),
    ("part_femmes_par_fonction", "administration"),
    ("part_femmes_par_fonction", "scene"),
    ("representations_total", None),
    ("representations_par_spectacle", None),
    ("prix_cession", None),
    ("representations_espace_public", None),
    ("budget_total", None),
    ("part_ressources_propres", None),
    ("adr_gratuite_espace_public", None),
    ("adr_festivals", "total"),
    ("mar_budget_production", None),
    ("mar_apports_non_monetaires", None),
    ("cir_artistes_plateau", None),
    ("cir_semaines_itinerance", None),
    ("mus_concerts", None),
    ("mus_artistes_region", None),
    ("art_nombre_sources", None),
    ("art_part_revenu_artistique", None),
    ("art_concerts", "occitanie"),
)
GROUPS = ("filiere", "structure_type", "size_class")  # texts: `fiche.group.<group>`


def group_label(group: str, lang: str) -> str:
    """Whom the contributor is compared with ("Votre filière")."""
    return gettext(f"fiche.group.{group}", lang)


@dataclass
class Comparison:
    group: str
    contributors: int
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    withheld: bool = False


@dataclass
class Line:
    indicator: Indicator
    series: str | None
    own: float | None
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.indicator.id}/{self.series or ''}"

    @property
    def label(self) -> L10n:
        if self.series and len(self.indicator.series) > 1:
            chosen = next(s for s in self.indicator.series if s.id == self.series)
            return L10n(
                **{
                    lang: gettext(
                        "fiche.series_label",
                        lang,
                        indicator=self.indicator.label.get(lang),
                        series=chosen.label.get(lang),
                    )
                    for lang in LANGUAGES
                }
            )
        return self.indicator.label


@dataclass
class Fiche:
    organisation: Organisation
    campaign: Campaign
    response: ResponseMeta
    lines: list[Line]
    history: pl.DataFrame  # reference_year, indicator, series, value
    # Per line key: years whose questionnaire did not ask what the line rests on.
    gaps: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def gaps_of(self, line: Line) -> list[dict[str, str]]:
        return self.gaps.get(line.key, [])


def per_contributor(frame: pl.DataFrame, indicator: Indicator, series: str | None) -> pl.DataFrame:
    """One value per contributor (response) for one series: what a fiche compares."""
    long = contributions(frame, indicator)
    if long.is_empty():
        return long.select(pl.lit(None).alias("response_id"), pl.lit(None).alias("value"))
    wanted = series or indicator.series[0].id
    long = long.filter(pl.col("series") == wanted)
    kind = indicator.kind
    if kind == "ratio":
        value = pl.col("num") / pl.col("den") * indicator.scale
    elif kind == "gap":
        value = (pl.col("num") - pl.col("den")) / pl.col("num") * 100
    elif kind == "contributors_share":
        value = pl.col("v") * 100
    else:
        value = pl.col("v")
    keep = [
        c
        for c in (
            "response_id",
            "_key",
            "reference_year",
            "filiere",
            "structure_type",
            "size_class",
        )
        if c in long.columns
    ]
    return long.select(*keep, value.cast(pl.Float64).alias("value")).filter(
        pl.col("value").is_not_null() & pl.col("value").is_finite()
    )


def _compare(
    values: pl.DataFrame, group: str, indicator: Indicator, series: str | None
) -> Comparison:
    """The peers' published distribution (`indicators.peers`), or withheld."""
    shown = peers.distribution(values, indicator, series)
    if shown is None:
        return Comparison(group, 0, withheld=True)
    return Comparison(group, shown["contributors"], shown["q1"], shown["median"], shown["q3"])


def _own_frame(
    store: Store, viewer: Viewer, meta: ResponseMeta, campaign: Campaign, org: Organisation
) -> pl.DataFrame:
    """The contributor's own response as a one-row frame: their answers as they stand."""
    answers = response_store.load_answers(store, viewer, meta.id)
    scalars = {
        question_id: value
        for question_id, value in answers.items()
        if not isinstance(value, list | dict) or question_id in ("labels",)
    }
    numbers = {
        k: (float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v)
        for k, v in scalars.items()
    }
    row = {
        "response_id": meta.id,
        "organisation_id": meta.organisation_id,
        "reference_year": campaign.reference_year,
        "filiere": campaign.filiere,
        "departement": org.departement,
        "structure_type": org.structure_type,
        **numbers,
    }
    return analytics.with_size_class(
        pl.DataFrame([row], infer_schema_length=None).with_columns(
            pl.col("effectif_permanent").cast(pl.Float64)
            if "effectif_permanent" in row
            else pl.lit(None, dtype=pl.Float64).alias("effectif_permanent")
        )
    )


def build(
    store: Store,
    viewer: Viewer,
    frames: FrameSource,
    indicators: IndicatorCatalogue,
    response_id: str,
) -> Fiche:
    """The fiche of one of the viewer's own submitted responses."""
    meta = response_store.get(store, viewer, response_id)
    require(viewer, Action.READ_FICHE, Resource(organisation_id=meta.organisation_id))
    campaign = campaigns.get(store, viewer, meta.campaign_id)
    org = organisations.get(store, viewer, meta.organisation_id)
    mine = [
        (other, campaigns.get(store, viewer, other.campaign_id))
        for other in response_store.list_visible(store, viewer, status="submitted")
    ]
    own_frames = {other.id: _own_frame(store, viewer, other, c, org) for other, c in mine}
    peers_of_year = (pl.col("reference_year") == campaign.reference_year) & (
        pl.col("filiere") == campaign.filiere
    )
    lines: list[Line] = []
    history: list[dict[str, Any]] = []
    for indicator_id, series in FICHE:
        if indicator_id not in indicators.indicators:
            continue
        indicator = indicators.get(indicator_id)
        own_values = per_contributor(own_frames[meta.id], indicator, series)
        if own_values.is_empty():
            continue  # not asked in this questionnaire, or not answered
        own_row = own_values.row(0, named=True)
        frame = scope_frame(frames.for_indicator(indicator), indicator)
        if {"reference_year", "filiere"} <= set(frame.columns):
            frame = frame.filter(peers_of_year)
        # The peers as released: the same published distribution for every contributor.
        values = per_contributor(frame, indicator, series)
        comparisons = [_compare(values, "filiere", indicator, series)]
        for dimension in ("structure_type", "size_class"):
            if own_row.get(dimension) is not None and dimension in values.columns:
                same = values.filter(pl.col(dimension) == own_row[dimension])
                comparisons.append(_compare(same, dimension, indicator, series))
        lines.append(Line(indicator, series, own_row["value"], comparisons))
        for other, other_campaign in mine:
            own = per_contributor(own_frames[other.id], indicator, series)
            if own.height:
                history.append(
                    {
                        "reference_year": other_campaign.reference_year,
                        "indicator": indicator_id,
                        "series": series or indicator.series[0].id,
                        "value": own["value"][0],
                    }
                )
    frame = pl.DataFrame(
        history,
        schema={
            "reference_year": pl.Int64,
            "indicator": pl.String,
            "series": pl.String,
            "value": pl.Float64,
        },
    ).sort("indicator", "series", "reference_year")
    gaps = _gaps(store, viewer, lines)
    return Fiche(org, campaign, meta, lines, frame, gaps)


def _gaps(store: Store, viewer: Viewer, shown: list[Line]) -> dict[str, list[dict[str, str]]]:
    """Years where the contributor's own questionnaire version lacked a line's question
    (so the history has no point that year: not forgotten, not asked)."""
    out: dict[str, list[dict[str, str]]] = {}
    seen: set[tuple[str, int]] = set()
    metas = response_store.list_visible(store, viewer, status="submitted")
    for meta in metas:
        year = campaigns.get(store, viewer, meta.campaign_id).reference_year
        version = questionnaires.get(
            store, viewer, meta.questionnaire_id, meta.questionnaire_version
        )
        for line in shown:
            key = line.key
            wanted = line.series or line.indicator.series[0].id
            used = next(s for s in line.indicator.series if s.id == wanted).used_questions()
            if (key, year) in seen or used <= set(version.questions):
                continue
            seen.add((key, year))
            out.setdefault(key, []).append(texts("fiche.not_asked", year=year, version=version.key))
    return out


def withheld_text(lang: str) -> str:
    return gettext("fiche.withheld", lang, n=PEER_MINIMUM)
