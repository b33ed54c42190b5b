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
from opp.indicators import breakdowns
from opp.indicators.disclosure import FILTER_REFUSED, PERTURBED, reason_text
from opp.indicators.engine import TOTAL, Result
from opp.questionnaire.display import format_number
from opp.referentiel import FILIERE_SHORT, dimension_label, label, unit_suffix
from opp.store.releases import Release
from opp.ui.text import plain

# text key → language → text ("group": breakdown → language → text)
TEXTS: dict[str, dict[str, Any]] = {
    "total": {"fr": "Ensemble", "en": "All"},
    "on": {"fr": "sur {n} contributeurs", "en": "based on {n} contributors"},
    "on_invited": {"fr": "sur {n} structures invitées", "en": "out of {n} invited organisations"},
    "secret": {"fr": "Secret statistique", "en": "Statistical confidentiality"},
    "value": {"fr": "Valeur", "en": "Value"},
    "share": {"fr": "Part (%)", "en": "Share (%)"},
    "contributors": {"fr": "Contributeurs", "en": "Contributors"},
    "count": {"fr": "Nombre (estimé)", "en": "Number (estimated)"},
    "answer": {"fr": "Réponse", "en": "Answer"},
    "group": {
        "filiere": {"fr": "Filière", "en": "Branch"},
        "departement": {"fr": "Département", "en": "Département"},
        "structure_type": {"fr": "Type de structure", "en": "Organisation type"},
        "size_class": {"fr": "Taille", "en": "Size"},
        "reference_year": {"fr": "Année", "en": "Year"},
    },
    "series": {"fr": "Série", "en": "Series"},
    "category": {"fr": "Lieu", "en": "Place"},
    "median": {"fr": "Médiane", "en": "Median"},
    "q1": {"fr": "1er quartile", "en": "1st quartile"},
    "q3": {"fr": "3e quartile", "en": "3rd quartile"},
    "p10": {"fr": "1er décile", "en": "1st decile"},
    "p90": {"fr": "9e décile", "en": "9th decile"},
    "csv": {"fr": "Télécharger (CSV)", "en": "Download (CSV)"},
    "xlsx": {"fr": "Télécharger (Excel)", "en": "Download (Excel)"},
    "source": {
        "fr": "Source : OPP — observation participative et partagée du spectacle vivant en "
        "Occitanie. Cases masquées : secret statistique.",
        "en": "Source: OPP — participatory observation of live performance in Occitanie. "
        "Hidden cells: statistical confidentiality.",
    },
    "no_data": {
        "fr": "Pas de donnée publiable pour cette sélection.",
        "en": "No publishable figure for this selection.",
    },
    "release": {
        "fr": "Chiffres de la publication n° {number} du {date}",
        "en": "Figures of release no. {number} of {date}",
    },
    "provisional": {
        "fr": " (provisoires pour {years} : campagne encore ouverte)",
        "en": " (provisional for {years}: campaign still open)",
    },
}
# No floating toolbar: on phones it covers legends; data is downloadable below each chart.
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False}


def t(key: str, lang: str) -> str:
    return str(TEXTS[key][lang])


def release_caption(release: Release, lang: str) -> str:
    """Which release the figures come from, when, whether provisional, and that they are
    perturbed: said on every page that shows figures."""
    date = release.published_at.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    text = TEXTS["release"][lang].format(number=release.id, date=date)
    provisional = release.provisional_years()
    if provisional:
        text += TEXTS["provisional"][lang].format(years=", ".join(map(str, provisional)))
    return f"{text}. {PERTURBED[lang]}"


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
    if breakdown in TEXTS["group"]:
        return str(TEXTS["group"][breakdown][lang])
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
    return f"{format_number(value, lang, digits)}{unit_suffix(unit, lang)}"


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
        st.caption(TEXTS[key][lang].format(n=format_number(row["contributors"], lang)))


REFUSAL_SHOWN = "_opp_refusal_shown"  # reset by the filter bar at every run
REFUSED_AGAIN = {
    "fr": "Filtre refusé (secret statistique) : voir l'explication plus haut.",
    "en": "Filter refused (statistical confidentiality): see the explanation above.",
}


def new_page_run() -> None:
    """A page starts drawing its panels (called by the filter bar)."""
    st.session_state[REFUSAL_SHOWN] = False


def refused_notice(result: Result, lang: str) -> bool:
    """Explain a refused filter once per page; later panels refer to it. True when
    nothing else should be drawn."""
    if result.refused:
        if st.session_state.get(REFUSAL_SHOWN):
            st.caption(f":material/shield: {REFUSED_AGAIN[lang]}")
        else:
            st.warning(FILTER_REFUSED[lang].format(n=result.minimum), icon=":material/shield:")
            st.session_state[REFUSAL_SHOWN] = True
        return True
    if result.table.is_empty():
        st.info(t("no_data", lang))
        return True
    return False


HIDDEN_MARK = "✕"  # a hidden cell, on screen (its reason is on the same row)


def on_screen(shown: pl.DataFrame, lang: str) -> Any:
    """The table as drawn: a table with an empty cell (a hidden value, deciles withheld
    under 10 contributors) becomes a styled copy, numbers in the reader's format and the
    empty cell as the suppression mark, never "None". The data stay numbers; downloads
    keep them so, with the hidden cells empty and the reason in their own column."""
    numeric = [c for c, dtype in shown.schema.items() if dtype.is_numeric()]
    if not any(shown[c].null_count() for c in numeric):
        return shown  # nothing hidden: no styled copy (it costs a few ms per table)
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
        *([release_caption(result.release, lang)] if result.release else [PERTURBED[lang]]),
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
) -> None:
    """Title, definition, chart (drawn by `draw(frame, result, lang)`) and its data.
    `relabel(frame)`: readable labels of categories the catalogues do not know (the
    Explorer's answers), for the chart and the table. `crossing`: offer to break the
    figure down by the answers to a question of the common core instead."""
    st.subheader(plain(result.indicator.label.get(lang)))
    st.caption(plain(result.indicator.definition.get(lang)))
    if crossing:
        crossed = _crossed(result, lang, key)
        if crossed is not None:
            from opp.ui import charts  # charts imports this module

            result, draw, details_only = crossed, charts.by_kind, False
    for note in result.notes:
        st.caption(f":material/history: {plain(note.get(lang) or note['fr'])}")
    if refused_notice(result, lang):
        return
    frame = labelled(result, lang)
    if relabel is not None:
        frame = relabel(frame)
    drawn = frame.filter(~pl.col("is_total")) if details_only else frame
    if drawn.filter(pl.col("secret").is_null()).height:
        st.plotly_chart(draw(drawn, result, lang), key=f"chart:{key}", config=CHART_CONFIG)
    else:
        st.info(t("no_data", lang))
    table_with_downloads(frame, result, lang, key, category_title=category_title)


CROSS = {
    "label": {"fr": "Croiser avec une réponse", "en": "Cross with an answer"},
    "none": {"fr": "Ventilation de la page", "en": "The page's breakdown"},
}


def _crossed(result: Result, lang: str, key: str) -> Result | None:
    """The same indicator and population broken down by the answers to a question of
    the common core, when the viewer chooses one (None: the page's own breakdown)."""
    from opp.ui.data import indicator  # the data layer imports the interface's state
    from opp.ui.state import viewer

    if (
        result.refused
        or result.breakdown == "reference_year"
        or not breakdowns.applies(result.indicator)
    ):
        return None
    options = breakdowns.known()
    narrow, _ = st.columns([1, 2])
    chosen = narrow.selectbox(
        CROSS["label"][lang],
        [None, *breakdowns.options_for(result.indicator)],
        format_func=lambda q: CROSS["none"][lang] if q is None else options[q].label.get(lang),
        key=f"cross:{key}",
    )
    if chosen is None:
        return None
    return indicator(result.indicator.id, result.filters, chosen, viewer())
