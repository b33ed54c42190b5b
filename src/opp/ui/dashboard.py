"""Building blocks of dashboard pages: KPI cards, labelled tables, downloads.

Every chart is followed by the table it draws (hidden cells say why) and CSV/XLSX
downloads of exactly that table, neutralised against formula injection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import streamlit as st

from opp import exports, geo
from opp.i18n import format_date, format_measure, format_number, gettext, plotly_separators
from opp.indicators import breakdowns
from opp.indicators.disclosure import filter_refused_text, perturbed_text, reason_text
from opp.indicators.engine import TOTAL, Result
from opp.referentiel import FILIERE_SHORT, dimension_label, label, unit_suffix
from opp.services.releases import Release
from opp.ui.text import plain

# Dashboard texts are `dash.<key>` in the gettext catalogues (`opp.i18n`); the headings of
# the standard breakdowns are `dash.group.<breakdown>`.
GROUPS = ("filiere", "departement", "structure_type", "size_class", "reference_year", "career_from")
# No floating toolbar: on phones it covers legends; data is downloadable below each chart.
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False}


def t(key: str, lang: str, **params: Any) -> str:
    return gettext(f"dash.{key}", lang, **params)


def release_caption(release: Release, lang: str) -> str:
    """Which release the figures come from, when, whether provisional, and that they are
    perturbed: said on every page that shows figures."""
    date = format_date(release.published_at, lang)
    text = t("release", lang, number=release.id, date=date)
    provisional = release.provisional_years()
    if provisional:
        text += t("provisional", lang, years=", ".join(map(str, provisional)))
    return f"{text}. {perturbed_text(lang)}"


def group_label(breakdown: str | None, value: str | None, lang: str) -> str:
    if value is None:
        return breakdowns.BLANK.get(lang) if breakdown in breakdowns.known() else "—"
    if value == TOTAL:
        return t("total", lang)
    if breakdown == "filiere":  # the names of the chart's axis, in its table too
        return label(FILIERE_SHORT, value, lang)
    return dimension_label(breakdown, value, lang)


def breakdown_title(breakdown: str, lang: str) -> str:
    """The heading of a breakdown's column: a dimension, or a question's label."""
    if breakdown in GROUPS:
        return t(f"group.{breakdown}", lang)
    family = geo.grouping_family(breakdown)
    if family is not None:
        return family.name(lang)
    answers = breakdowns.known().get(breakdown)
    return answers.label.get(lang) if answers is not None else breakdown


def labelled(result: Result, lang: str) -> pl.DataFrame:
    """The result table with readable labels, map codes and the secret reason."""
    series = {s.id: s.label.get(lang) for s in result.indicator.series}
    table = result.table
    rule = result.indicator.disclosure
    categories = (
        table["category"].to_list() if "category" in table.columns else [None] * table.height
    )
    codes = []
    for group, category in zip(table["group"].to_list(), categories, strict=True):
        code = category if category not in (None, "None") else group
        codes.append(code[3:] if isinstance(code, str) and code.startswith("FR-") else code)
    return table.with_columns(
        pl.Series(
            "group_label",
            [group_label(result.breakdown, g, lang) for g in table["group"].to_list()],
            dtype=pl.String,
        ),
        pl.Series(
            "series_label", [series.get(s, s) for s in table["series"].to_list()], dtype=pl.String
        ),
        pl.Series(
            "category_label",
            [geo.place_label(c, lang) if c not in (None, "None") else None for c in categories],
            dtype=pl.String,
        ),
        pl.Series("code", codes, dtype=pl.String),
        pl.Series(
            "status",
            [
                reason_text(
                    r, lang, rule.min_contributors, rule.dominance or 0.85, rule.p_percent or 0.1
                )
                for r in table["secret"].to_list()
            ],
            dtype=pl.String,
        ),
    )


def display_table(
    frame: pl.DataFrame, result: Result, lang: str, *, category_title: str | None = None
) -> pl.DataFrame:
    """The table shown under a chart and downloaded: readable columns only."""
    columns: list[pl.Expr] = []
    if result.breakdown:
        columns.append(pl.col("group_label").alias(breakdown_title(result.breakdown, lang)))
    if len(result.indicator.series) > 1:
        columns.append(pl.col("series_label").alias(t("series", lang)))
    if "category_label" in frame.columns and frame["category_label"].drop_nulls().len():
        columns.append(pl.col("category_label").alias(category_title or t("category", lang)))
    value_name = f"{result.indicator.label.get(lang)}{unit_suffix(result.indicator.unit, lang)}"
    if result.indicator.kind in ("median", "quartiles", "items_quartiles"):
        value_name = t("median", lang)
    digits = 0 if result.indicator.unit in ("count", "eur") else 1
    columns.append(pl.col("value").cast(pl.Float64).round(digits).alias(value_name))
    for extra in ("q1", "q3", "p10", "p90"):
        if extra in frame.columns:
            columns.append(pl.col(extra).cast(pl.Float64).round(digits).alias(t(extra, lang)))
    if "share" in frame.columns:
        columns.append(pl.col("share").cast(pl.Float64).round(1).alias(t("share", lang)))
    if "count" in frame.columns:
        columns.append(pl.col("count").cast(pl.Int64).alias(t("count", lang)))
    columns.append(pl.col("contributors").alias(t("contributors", lang)))
    columns.append(pl.col("status").alias(t("secret", lang)))
    return frame.select(columns)


def format_value(value: float | None, unit: str, lang: str, kind: str = "sum") -> str:
    """A figure for a card: whole numbers for counts and euros, one decimal otherwise
    (and for averages of small counts, e.g. 3.9 artists on stage)."""
    if value is None:
        return "—"
    whole = unit in ("count", "eur") and not (kind == "mean" and abs(value) < 100)
    digits = 0 if whole or abs(value) >= 100 else 1
    return format_measure(value, unit, lang, digits)


def kpi(result: Result, lang: str, *, series: str | None = None, title: str | None = None) -> None:
    """A metric card that always says how many contributors the figure rests on."""
    indicator = result.indicator
    name = title or indicator.label.get(lang)
    if result.refused:
        st.metric(name, "—", help=plain(indicator.definition.get(lang)))
        st.caption(t("secret", lang))
        return
    row = result.total(series)
    if row is None:
        st.metric(name, "—", help=plain(indicator.definition.get(lang)))
        st.caption(t("no_data", lang))
        return
    st.metric(
        name,
        format_value(row["value"], indicator.unit, lang, indicator.kind),
        help=plain(indicator.definition.get(lang)),
    )
    if row["secret"]:
        share = indicator.disclosure
        st.caption(
            plain(
                reason_text(
                    row["secret"],
                    lang,
                    share.min_contributors,
                    share.dominance or 0.85,
                    share.p_percent or 0.1,
                )
            )
        )
    else:
        key = "on_invited" if indicator.kind == "participation" else "on"
        st.caption(t(key, lang, n=format_number(row["contributors"], lang)))


REFUSAL_SHOWN = "_opp_refusal_shown"  # reset by the filter bar at every run


def new_page_run() -> None:
    """A page starts drawing its panels (called by the filter bar)."""
    st.session_state[REFUSAL_SHOWN] = False


def refused_notice(result: Result, lang: str) -> bool:
    """Explain a refused filter once per page; later panels refer to it. True when
    nothing else should be drawn."""
    if result.refused:
        if st.session_state.get(REFUSAL_SHOWN):
            st.caption(f":material/shield: {t('refused_again', lang)}")
        else:
            st.warning(filter_refused_text(lang, result.minimum), icon=":material/shield:")
            st.session_state[REFUSAL_SHOWN] = True
        return True
    if result.table.is_empty():
        st.info(t("no_data", lang))
        return True
    return False


HIDDEN_MARK = "✕"  # a hidden cell, on screen (its reason is on the same row)


def on_screen(shown: pl.DataFrame, lang: str) -> Any:
    """The table as drawn: a styled copy with numbers in the reader's format (10 781 200
    and 68,7 for a French reader, as on the cards and charts; Streamlit would show
    10781200 and 68.7) and an empty cell (a hidden value, deciles withheld under 10
    contributors) as the suppression mark, never "None". The data stay numbers;
    downloads keep them so, with the hidden cells empty and the reason in their own
    column."""
    numeric = [c for c, dtype in shown.schema.items() if dtype.is_numeric()]
    if not numeric:
        return shown
    digits = {c: 0 if shown[c].dtype.is_integer() or _whole(shown[c]) else 1 for c in numeric}
    formatter = {c: _formatter(lang, digits[c]) for c in numeric}
    return shown.to_pandas().style.format(formatter=formatter, na_rep=HIDDEN_MARK)


def _whole(column: pl.Series) -> bool:
    values = column.drop_nulls()
    return values.is_empty() or bool((values.round(0) == values).all())


def _formatter(lang: str, digits: int) -> Callable[[Any], str]:
    return lambda value: format_number(float(value), lang, digits)


LABEL_WIDTH = 120  # px: "Arts de la rue", "Haute-Garonne (31)"; longer ones end in "…"


def column_widths(shown: pl.DataFrame, lang: str) -> dict[str, Any]:
    """Widths that keep the figures in view on a phone (390 px): label columns narrow,
    number columns small with their full title in a tooltip, the secret reason last and
    wide. On a wide screen the spare width is shared among the columns (before: a long
    label column and a long value title pushed the numbers off a phone's screen)."""
    secret = t("secret", lang)
    config: dict[str, Any] = {}
    for name, dtype in shown.schema.items():
        if name == secret:
            config[name] = st.column_config.TextColumn(width="large")
        elif dtype.is_numeric():
            config[name] = st.column_config.NumberColumn(width="small", help=name)
        else:
            config[name] = st.column_config.TextColumn(width=LABEL_WIDTH)
    return config


def table_with_downloads(
    frame: pl.DataFrame,
    result: Result,
    lang: str,
    key: str,
    *,
    category_title: str | None = None,
) -> None:
    """The chart's data, and CSV/XLSX downloads of exactly that data."""
    shown = display_table(frame, result, lang, category_title=category_title)
    st.dataframe(
        on_screen(shown, lang),
        hide_index=True,
        width="stretch",
        column_config=column_widths(shown, lang),
    )
    title = result.indicator.label.get(lang)
    stem = f"{title} {result.filters.reference_year}"
    left, right = st.columns(2)
    # Built on click only: building every panel's files took a third of a warm render.
    left.download_button(
        t("csv", lang),
        lambda: exports.to_csv_bytes(shown, lang=lang),
        file_name=exports.export_filename(stem, "csv"),
        mime="text/csv",
        key=f"csv:{key}",
        icon=":material/download:",
        on_click="ignore",
    )
    notes = [
        t("source", lang),
        *([release_caption(result.release, lang)] if result.release else [perturbed_text(lang)]),
        *(n.get(lang) or n["fr"] for n in result.notes),
    ]
    right.download_button(
        t("xlsx", lang),
        lambda: exports.to_xlsx_bytes(shown, title=title, notes=notes),
        file_name=exports.export_filename(stem, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx:{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def panel(
    result: Result,
    lang: str,
    draw: Callable[[pl.DataFrame, Result, str], Any],
    key: str,
    *,
    details_only: bool = False,
    relabel: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    category_title: str | None = None,
    crossing: bool = True,
    drawing: str | None = None,
) -> None:
    """Title, definition, chart (drawn by `draw(frame, result, lang)`) and its data.
    `relabel(frame)`: readable labels of categories the catalogues do not know (the
    Explorer's answers), for the chart and the table. `crossing`: offer to break the
    figure down by the answers to a question of the common core instead. `drawing`
    names what `draw` draws (a declared chart): the figure is then built once per
    result and reused by every rerun and session (`opp.ui.data.figure`)."""
    st.subheader(plain(result.indicator.label.get(lang)))
    st.caption(plain(result.indicator.definition.get(lang)))
    if crossing:
        crossed = _crossed(result, lang, key)
        if crossed is not None:
            from opp.ui import charts  # charts imports this module

            result, draw, details_only = crossed, charts.by_kind, False
            drawing = "by_kind" if drawing is not None else None
    for note in result.notes:
        st.caption(f":material/history: {plain(note.get(lang) or note['fr'])}")
    if refused_notice(result, lang):
        return
    frame = labelled(result, lang)
    if relabel is not None:
        frame = relabel(frame)
    drawn = frame.filter(~pl.col("is_total")) if details_only else frame
    if drawn.filter(pl.col("secret").is_null()).height:
        from opp.ui.data import figure  # the data layer imports the interface's state

        def build() -> Any:
            return draw(drawn, result, lang).update_layout(separators=plotly_separators(lang))

        shown = build() if drawing is None else figure(result, lang, drawing, build)
        st.plotly_chart(shown, key=f"chart:{key}", config=CHART_CONFIG)
    else:
        st.info(t("no_data", lang))
    table_with_downloads(frame, result, lang, key, category_title=category_title)


def crossings(result: Result) -> list[str]:
    """What a panel's figure can be crossed with: the families of groupings of
    départements (when it is broken down by département and no département is chosen),
    then the questions of the common core (not under a territory filter)."""
    indicator, filters = result.indicator, result.filters
    out: list[str] = []
    if "departement" in indicator.breakdowns and filters.departement is None:
        out += [family.id for family in geo.grouping_families()]
    if breakdowns.applies(indicator) and filters.territoire is None:
        out += breakdowns.options_for(indicator)
    return out


def _crossed(result: Result, lang: str, key: str) -> Result | None:
    """The same indicator and population broken down by the answers to a question of
    the common core, when the viewer chooses one (None: the page's own breakdown)."""
    from opp.ui.data import indicator  # the data layer imports the interface's state
    from opp.ui.state import viewer

    if result.refused or result.breakdown == "reference_year":
        return None
    choices = crossings(result)
    if not choices:
        return None
    narrow, _ = st.columns([1, 2])
    chosen = narrow.selectbox(
        t("cross.label", lang),
        [None, *choices],
        format_func=lambda q: t("cross.none", lang) if q is None else breakdown_title(q, lang),
        key=f"cross:{key}",
    )
    if chosen is None:
        return None
    return indicator(result.indicator.id, result.filters, chosen, viewer())
