"""Dashboard pieces of issue 17's items 4 and 5, each one function a page calls:
a trend panel with its "échantillon constant" option, the territory filter (groupings
of départements), and per-inhabitant panels. The figures come from `opp.indicators`
(`trends`, `territories`, `per_inhabitant`) through the cached data layer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from opp import geo
from opp.i18n import gettext
from opp.indicators import paths, per_inhabitant, trends
from opp.indicators.engine import Filters, Result
from opp.ui import charts
from opp.ui.dashboard import panel
from opp.ui.data import career_paths, catalogues, constant_sample, frames
from opp.ui.filters import ALL, KEPT, _changed, _keep
from opp.ui.state import viewer


def _t(key: str, lang: str, **params: object) -> str:
    """A text of these panels: `followed.<key>` in the gettext catalogues."""
    return gettext(f"followed.{key}", lang, **params)


def territory_filter(filters: Filters, lang: str, *, key: str = "filter_territoire") -> Filters:
    """A grouping of départements as the population (none when a département is
    chosen: the département is the narrower choice)."""
    options = {g.id: g.name(lang) for g in geo.groupings().values()}
    narrow, _ = st.columns([1, 2])
    if filters.departement is not None:
        narrow.caption(_t("one_departement", lang))
        return filters
    codes = [ALL, *options]
    _restore(key, codes)
    chosen = narrow.selectbox(
        _t("territory", lang),
        codes,
        format_func=lambda code: _t("all", lang) if code == ALL else options[code],
        help=_t("territory_help", lang),
        key=key,
        persist_state="session",
        on_change=_changed,
        args=(key,),
    )
    chosen = _keep(key, chosen)
    return replace(filters, territoire=None if chosen in (None, ALL) else chosen)


def _restore(key: str, codes: list[Any]) -> None:
    """Kept across pages like the filter bar's boxes: on the first run of a page, the
    box gets the value chosen on another page (Streamlit's first render would return
    the default and the figures would disagree with the box)."""
    ctx = get_script_run_ctx()
    page = ctx.page_script_hash if ctx is not None else ""
    marker = f"{KEPT}:page:{key}"
    kept = st.session_state.setdefault(KEPT, {})
    changed = st.session_state.pop(f"{KEPT}:changed:{key}", False)
    if st.session_state.get(marker) != page and not changed and kept.get(key) in codes:
        st.session_state[key] = kept[key]
    st.session_state[marker] = page


def trend_panel(
    result: Result,
    lang: str,
    draw: Callable[[pl.DataFrame, Result, str], Any],
    key: str,
    *,
    drawing: str | None = None,
) -> None:
    """A trend over all respondents, or — when the viewer ticks "échantillon constant"
    — over the structures that answered every year of a chosen period. `drawing` names
    the declared chart so that the figure is reused (`opp.ui.data.figure`); the span is
    part of that name, since the two trends share indicator, filters and breakdown."""
    span = sample_span(result, lang, key)
    if span is not None:
        result = constant_sample(result.indicator.id, span, result.filters, viewer())
        drawing = f"{drawing}|constant:{','.join(map(str, span))}" if drawing else None
    panel(result, lang, draw, key, crossing=False, drawing=drawing)


def sample_span(result: Result, lang: str, key: str) -> tuple[int, ...] | None:
    """The "Échantillon constant" switch and its period box above a trend: the span
    chosen, or None for the trend over all respondents."""
    years = sorted(frames().years())
    followed = result.indicator.kind != "participation" and result.filters.territoire is None
    spans = trends.spans(years)
    if not followed or not spans:
        return None
    left, right = st.columns([1, 2])
    on = left.toggle(_t("constant", lang), key=f"constant:{key}", help=_t("constant_help", lang))
    if not on:
        return None
    span: tuple[int, ...] | None = right.selectbox(
        _t("span", lang),
        spans,
        index=spans.index(tuple(years)) if tuple(years) in spans else 0,
        format_func=lambda s: f"{s[0]} – {s[-1]}",
        key=f"span:{key}",
    )
    return span


def per_inhabitant_panel(
    result: Result,
    lang: str,
    draw: Callable[[pl.DataFrame, Result, str], Any],
    key: str,
) -> None:
    """The panel of a figure by territory divided by each territory's population (per
    10,000 inhabitants), from the published figure; the population's source below."""
    # The population's source line comes with the result's notes (shown and exported).
    panel(per_inhabitant.per_10000(result), lang, draw, key, crossing=False)


def career_paths_panel(reference_year: int, lang: str, key: str = "parcours_artistes") -> None:
    """Career-stage transitions of the artists who answered the campaign before
    `reference_year` and that one (counts by stage of year N, stacked by stage of year
    N+1), with its table and downloads."""
    before = reference_year - 1
    st.markdown(f"**{_t('paths', lang, before=before, after=reference_year)}**")
    current = viewer()
    if before not in frames().years() or current is None:
        st.info(_t("paths_none", lang, year=reference_year))
        return
    result = career_paths(before, current)
    surveys, _ = catalogues()
    names = {value: label.get(lang) for value, label in paths.stages(surveys)}

    def relabel(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            pl.col("group").replace_strict(names, default=pl.col("group")).alias("group_label")
        )

    panel(
        result,
        lang,
        lambda f, r, lg: charts.bars(
            f, r, lg, x="group_label", color="series_label", horizontal=True
        ),
        key,
        relabel=relabel,
        crossing=False,
    )
