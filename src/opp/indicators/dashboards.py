"""Dashboard pages declared as data (``surveys/dashboards/<page>.yaml``).

A declaration says what a dashboard page shows: its title and introduction, then
sections of KPI cards and panels, each panel naming its indicator, its breakdown, its
chart and its widget key. One function of the interface (`opp.ui.declared`) draws any
declaration, so a network adds a panel by editing a file, without writing Python; the
benchmarks read the same files to know which figures a page computes.

Loading checks each file against the model (file, line and field of every mistake, as
for questionnaires) and then against the catalogues: every indicator must exist, every
breakdown must be one the indicator allows (a dimension or an answer of the common
core), every KPI series must be one of its indicator's series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from opp import settings
from opp.errors import OppError, OppErrorGroup, did_you_mean
from opp.indicators import breakdowns
from opp.indicators.catalogue import IndicatorCatalogue
from opp.indicators.model import DIMENSIONS, Indicator
from opp.questionnaire.loader import errors_from_pydantic
from opp.questionnaire.model import Id, L10n
from opp.questionnaire.yaml_source import SourceDoc, format_path, parse_yaml, read_text
from opp.referentiel import FILIERES

FOLDER = "dashboards"
ChartKind = Literal[
    "bars", "trend", "shares", "boxes", "parity", "map_departements", "map_regions", "auto"
]
Filter = Literal["structure_type", "size_class", "departement"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Chart(_Frozen):
    """How a panel draws its table. `kind` names a chart of `opp.ui.charts`; the other
    fields are its options (ignored by kinds that have no such option). "auto" chooses
    from the indicator's kind and breakdown, as the Explorer does."""

    kind: ChartKind
    x: Literal["group_label", "series_label"] = "group_label"
    color: Literal["group_label", "series_label"] | None = None
    horizontal: bool = False
    stacked: bool = True
    log: bool = False  # boxes: logarithmic axis (budgets)
    benchmarks: bool = False  # trend, parity: the 40 % / 50 % parity lines

    @model_validator(mode="before")
    @classmethod
    def _from_str(cls, data: Any) -> Any:
        """`chart: trend` is short for `chart: {kind: trend}`."""
        return {"kind": data} if isinstance(data, str) else data


class Compare(_Frozen):
    """A panel whose breakdown the reader chooses among a few (e.g. égalité: compare by
    filière, organisation type or size)."""

    label: L10n
    options: list[str] = Field(min_length=2)


class Panel(_Frozen):
    key: Id  # the widget keys of the panel ("chart:<key>", "csv:<key>"), unique in a page
    indicator: Id
    breakdown: str | None = None
    compare: Compare | None = None  # the reader picks the breakdown (the first by default)
    chart: Chart = Field(default_factory=lambda: Chart(kind="auto"))
    details_only: bool = False  # draw the groups only, not the "All" bar (kept in the table)
    # Divided by each territory's population (per 10,000 inhabitants), from the published
    # figure: only for a figure by département or grouping (a map of counts).
    per_inhabitant: bool = False

    @model_validator(mode="after")
    def _one_breakdown(self) -> Panel:
        if self.compare is not None and self.breakdown is not None:
            raise ValueError("« breakdown » et « compare » s'excluent : gardez-en un")
        return self

    def breakdowns(self) -> list[str | None]:
        """Every breakdown the panel may compute (one, or each option to compare)."""
        return list(self.compare.options) if self.compare else [self.breakdown]


class Kpi(_Frozen):
    indicator: Id
    series: Id | None = None  # the card shows this series' total (default: the first)
    title: L10n | None = None  # default: the indicator's label; "{year}" is replaced
    years_back: int = Field(default=0, ge=0)  # the n-th campaign before the selected one


class Section(_Frozen):
    title: L10n | None = None
    intro: L10n | None = None
    # Filters that do not apply to this section's figures (artists have no organisation
    # type or size): they are dropped, and `ignored_notice` says so when one was set.
    ignore_filters: list[Filter] = Field(default_factory=list)
    ignored_notice: L10n | None = None
    kpis: list[Kpi] = Field(default_factory=list)
    panels: list[Panel] = Field(default_factory=list)
    # After the panels: the artists' career-stage transitions from one campaign to the
    # next (a figure of its own, not an indicator of the catalogue).
    career_paths: bool = False


class Dashboard(_Frozen):
    title: L10n
    intro: L10n
    filiere: str | None = None  # a filière page: its scope check and fixed filière filter
    # A "Territoire" box under the filter bar: a grouping of départements as the population.
    territory_filter: bool = False
    ignore_filters: list[Filter] = Field(default_factory=list)
    ignored_notice: L10n | None = None
    sections: list[Section] = Field(min_length=1)

    def panels(self) -> list[Panel]:
        return [p for s in self.sections for p in s.panels]

    def figures(self) -> list[tuple[str, str | None]]:
        """Every (indicator, breakdown) pair the page computes with no widget changed
        (KPI cards first, then panels, in page order, without repeats): what the
        benchmarks measure."""
        pairs: list[tuple[str, str | None]] = []
        for section in self.sections:
            pairs += [(k.indicator, None) for k in section.kpis]
            pairs += [(p.indicator, p.breakdowns()[0]) for p in section.panels]
        return list(dict.fromkeys(pairs))


@dataclass
class DashboardCatalogue:
    dashboards: dict[str, Dashboard] = field(default_factory=dict)

    def get(self, name: str) -> Dashboard:
        if name not in self.dashboards:
            raise OppError(
                "D_NOT_FOUND",
                value=name,
                expected=sorted(self.dashboards),
                suggestion=did_you_mean(name, self.dashboards),
            )
        return self.dashboards[name]


def dashboard_files(root: Path | None = None) -> list[Path]:
    return sorted(((root or settings.surveys_dir()) / FOLDER).glob("*.yaml"))


def load_dashboards(indicators: IndicatorCatalogue, root: Path | None = None) -> DashboardCatalogue:
    """Every declaration of the surveys folder, checked; every broken file reported at
    once (file, line, field, and how to fix it)."""
    catalogue = DashboardCatalogue()
    errors: list[OppError] = []
    for path in dashboard_files(root):
        try:
            doc = parse_yaml(read_text(path), f"surveys/{FOLDER}/{path.name}")
            dashboard = parse(doc)
        except OppError as exc:
            errors += exc.errors if isinstance(exc, OppErrorGroup) else [exc]
            continue
        found = check(dashboard, doc, indicators)
        if found:
            errors += found
            continue
        catalogue.dashboards[path.stem] = dashboard
    if errors:
        raise OppErrorGroup(errors)
    return catalogue


def parse(doc: SourceDoc) -> Dashboard:
    if not isinstance(doc.data, dict):
        raise OppError("YAML_NOT_MAPPING", file=doc.file, line=1)
    try:
        return Dashboard.model_validate(doc.data)
    except ValidationError as exc:
        raise OppErrorGroup(errors_from_pydantic(exc, doc, Dashboard)) from None


def check(dashboard: Dashboard, doc: SourceDoc, indicators: IndicatorCatalogue) -> list[OppError]:
    """What the model alone cannot see: names that must exist in the catalogues."""
    errors: list[OppError] = []

    def where(*path: str | int) -> dict[str, Any]:
        return {"file": doc.file, "line": doc.line_of(path), "path": format_path(path)}

    if dashboard.filiere is not None and dashboard.filiere not in FILIERES:
        errors.append(
            OppError(
                "D_FILIERE",
                **where("filiere"),
                value=dashboard.filiere,
                expected=list(FILIERES),
                suggestion=did_you_mean(dashboard.filiere, FILIERES),
            )
        )
    keys: set[str] = set()
    for s, section in enumerate(dashboard.sections):
        for k, card in enumerate(section.kpis):
            at = ("sections", s, "kpis", k)
            found = _indicator(card.indicator, indicators, where(*at, "indicator"))
            if isinstance(found, OppError):
                errors.append(found)
                continue
            series = [x.id for x in found.series]
            if card.series is not None and card.series not in series:
                errors.append(
                    OppError(
                        "D_SERIES",
                        **where(*at, "series"),
                        value=card.series,
                        indicator=found.id,
                        expected=series,
                        suggestion=did_you_mean(card.series, series),
                    )
                )
        for p, panel in enumerate(section.panels):
            at = ("sections", s, "panels", p)
            if panel.key in keys:
                errors.append(
                    OppError("Q_ID_DUPLICATE", **where(*at, "key"), value=panel.key, first="key")
                )
            keys.add(panel.key)
            found = _indicator(panel.indicator, indicators, where(*at, "indicator"))
            if isinstance(found, OppError):
                errors.append(found)
                continue
            field_name = "compare" if panel.compare else "breakdown"
            for breakdown in panel.breakdowns():
                if breakdown is not None and breakdown not in allowed_breakdowns(found):
                    errors.append(
                        OppError(
                            "I_BREAKDOWN",
                            **where(*at, field_name),
                            value=breakdown,
                            expected=allowed_breakdowns(found),
                        )
                    )
    return errors


def allowed_breakdowns(indicator: Indicator) -> list[str]:
    """The dimensions the indicator allows, then the answers of the common core."""
    return [d for d in DIMENSIONS if d in indicator.breakdowns] + breakdowns.options_for(indicator)


def _indicator(
    indicator_id: str, indicators: IndicatorCatalogue, where: dict[str, Any]
) -> Indicator | OppError:
    if indicator_id in indicators.indicators:
        return indicators.indicators[indicator_id]
    return OppError(
        "I_NOT_FOUND",
        **where,
        value=indicator_id,
        expected=sorted(indicators.indicators),
        suggestion=did_you_mean(indicator_id, indicators.indicators),
    )
