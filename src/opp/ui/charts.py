"""Plotly figures for indicator results. Hidden cells are left out of charts (their
reason is in the table below every chart); labels come from the catalogues and go
through Plotly's own text rendering, never HTML built from user text.

Every function takes the labelled frame (`opp.ui.dashboard.labelled`), the result and the
language, so pages pass them straight to `panel(result, lang, draw, key)`. Figures are
meant to stay readable on a phone: horizontal bars for long labels, short filière names,
legends outside the plot, heights that grow with the number of bars. Maps are drawn from
the outlines in src/opp/data/geo/ and need no network access.

Frames reach Plotly as Polars frames (Plotly reads them through narwhals): no pandas
conversion and no Python callback inside a Polars expression, both of which took part
in a deadlock when several viewers rendered dashboards at once.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd  # noqa: F401 (see _warm_up)
import plotly.express as px
import plotly.graph_objects as go
import polars as pl
from plotly.colors import get_colorscale, sample_colorscale

from opp import geo
from opp.i18n import format_number, format_percent
from opp.indicators.engine import TOTAL, Result
from opp.referentiel import FILIERE_SHORT, FILIERES, SIZE_CLASSES, STRUCTURE_TYPES, unit_suffix
from opp.ui.dashboard import format_value
from opp.ui.strings import t


def _warm_up() -> None:
    """Build one figure while this module is imported, once per process.

    Plotly imports pandas and loads its templates lazily, on the first figure; done by
    several script threads at once (viewers opening dashboards together), one thread
    sees a partially imported pandas and fails. Importing this module holds the import
    lock, so the first figure is built here by one thread."""
    px.bar(pl.DataFrame({"x": ["a"], "y": [1]}), x="x", y="y").to_plotly_json()


_warm_up()

PARITY = 50
INVISIBILITY = 33
ORDER: dict[str, list[str]] = {
    "filiere": list(FILIERES),
    "departement": list(geo.DEPARTEMENTS),
    "structure_type": list(STRUCTURE_TYPES),
    "size_class": list(SIZE_CLASSES),
}
BAR_HEIGHT = 26  # pixels per horizontal bar
GROUP_COLOUR = "#0068c9"  # one colour for the groups of a breakdown…
TOTAL_COLOUR = "#8d949c"  # …and grey for their margin ("Ensemble"), shown for comparison
LEGEND_ABOVE = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title_text": ""}
LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "title_text": ""}


def _unit(result: Result, lang: str) -> str:
    return unit_suffix(result.indicator.unit, lang)


_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))  # "&" first


def chart_text(text: str | None) -> str | None:
    """Plotly interprets a few HTML tags in labels (links, line breaks): entities make any
    text show literally, whatever it contains."""
    if text is None:
        return None
    text = str(text)
    for raw, entity in _ENTITIES:
        text = text.replace(raw, entity)
    return text


def chart_text_expr(column: str) -> pl.Expr:
    """`chart_text` as a native Polars expression.

    Never a Python callback (`map_elements`) on the serving path: several Streamlit
    script threads calling back into Python from Polars' shared thread pool while others
    wait on that pool with the interpreter lock held deadlock the whole server."""
    expr = pl.col(column).cast(pl.String)
    for raw, entity in _ENTITIES:
        expr = expr.str.replace_all(raw, entity, literal=True)
    return expr


LABEL_COLUMNS = ("group_label", "series_label", "category_label")


def _axis(result: Result, lang: str) -> str:
    return chart_text(f"{result.indicator.label.get(lang)}{_unit(result, lang)}") or ""


def _published(frame: pl.DataFrame) -> pl.DataFrame:
    """Published cells only, with labels made inert for Plotly."""
    published = frame.filter(pl.col("secret").is_null() & pl.col("value").is_not_null())
    return published.with_columns(
        chart_text_expr(c) for c in LABEL_COLUMNS if c in published.columns
    )


def ordered(frame: pl.DataFrame, result: Result) -> pl.DataFrame:
    """Rows in the reference order of the breakdown (filières, départements…), the
    margin ("Ensemble") last; rows of one group keep their series order."""
    order = ORDER.get(result.breakdown or "")
    if order is None or "group" not in frame.columns:
        return frame
    rank = {value: position for position, value in enumerate(order)}
    rank[TOTAL] = len(order) + 1
    key = pl.col("group").replace_strict(rank, default=len(order), return_dtype=pl.Int64)
    return frame.sort(key, maintain_order=True)


def _prepared(frame: pl.DataFrame, result: Result, lang: str) -> pl.DataFrame:
    """Reference order, and the short names of the filières on axes and legends (the
    full names take half a phone's width; the table under the chart says the same)."""
    frame = ordered(frame, result)
    if result.breakdown != "filiere" or "group_label" not in frame.columns:
        return frame
    short = {code: names[lang] for code, names in FILIERE_SHORT.items()}
    return frame.with_columns(
        pl.col("group").replace_strict(short, default=pl.col("group_label")).alias("group_label")
    )


def _orders(frame: pl.DataFrame, *columns: str | None) -> dict[str, list[Any]]:
    return {c: list(dict.fromkeys(frame[c].to_list())) for c in columns if c}


def _height(bars: int, *, minimum: int = 280) -> int:
    return max(minimum, BAR_HEIGHT * bars + 140)


def bars(
    frame: pl.DataFrame,
    result: Result,
    lang: str,
    *,
    x: str,
    color: str | None,
    horizontal: bool = False,
    stacked: bool = True,
) -> go.Figure:
    """Bars of `value` by `x` (and `color`), e.g. performances by place and filière."""
    frame = _prepared(frame, result, lang)
    data = _published(frame)
    kwargs: dict[str, Any] = {
        "x": "value" if horizontal else x,
        "y": x if horizontal else "value",
        "color": color,
        "barmode": "stack" if stacked else "group",
        "labels": {"value": _axis(result, lang), x: "", **({color: ""} if color else {})},
        "orientation": "h" if horizontal else "v",
        "category_orders": _orders(frame, x, color),
    }
    grouped = horizontal and color is not None and not stacked
    if grouped:
        kwargs["category_orders"][x] = kwargs["category_orders"][x][::-1]
    fig = px.bar(data, color_discrete_map=FILIERE_COLOURS, **kwargs)
    fig.update_layout(legend=LEGEND_ABOVE, margin={"t": 30, "b": 10})
    if grouped:
        fig.update_yaxes(autorange="reversed")
    if color is None and fig.data:
        fig.update_traces(marker_color=_group_colours(data))
    if horizontal:
        groups = data[x].n_unique()
        per_group = 1 if stacked or not color else max(1, data[color].n_unique())
        fig.update_layout(height=_height(groups * per_group))
    if result.indicator.unit == "percent" and result.indicator.kind != "gap":
        fig.update_layout(**{"xaxis" if horizontal else "yaxis": {"range": [0, 100]}})
    return fig


# One colour per filière wherever a chart colours by filière, whatever the filters or the
# order of the rows (before: the colours changed from one visit to the next): the
# Okabe-Ito palette, told apart by people with the common colour-vision deficiencies.
FILIERE_PALETTE = {
    "arts_de_la_rue": "#E69F00",
    "marionnette": "#56B4E9",
    "cirque": "#009E73",
    "musiques_actuelles": "#CC79A7",
}
FILIERE_COLOURS = {
    name: FILIERE_PALETTE[code]
    for code, names in FILIERES.items()
    for name in (*names.values(), *FILIERE_SHORT[code].values())
}


def _group_colours(data: pl.DataFrame) -> list[str]:
    return [TOTAL_COLOUR if total else GROUP_COLOUR for total in data["is_total"].to_list()]


def parity(
    frame: pl.DataFrame,
    result: Result,
    lang: str,
    *,
    y: str = "series_label",
    color: str | None = None,
) -> go.Figure:
    """Women's share by role against the 50 % parity line and the 33 % threshold;
    with `color` (e.g. "group_label"), one bar per role and filière, side by side."""
    frame = _prepared(frame, result, lang)
    data = _published(frame)
    orders = _orders(frame, y, color)
    if color:
        orders[y] = orders[y][::-1]
    fig = px.bar(
        data,
        x="value",
        y=y,
        color=color,
        color_discrete_map=FILIERE_COLOURS,
        barmode="group",
        orientation="h",
        range_x=[0, 100],
        labels={"value": "%", y: "", **({color: ""} if color else {})},
        text_auto=".0f",
        category_orders=orders,
    )
    if color:  # first role at the top and, inside it, first colour at the top
        fig.update_yaxes(autorange="reversed")
    _benchmarks(fig, lang, vertical=True)
    per_role = max(1, data[color].n_unique()) if color else 1
    fig.update_layout(
        margin={"t": 30, "b": 10},
        legend=LEGEND_BELOW,
        height=_height(data[y].n_unique() * per_role),
    )
    return fig


def _benchmarks(fig: go.Figure, lang: str, *, vertical: bool) -> None:
    """The parity line (50 %) and the invisibility threshold (33 %), labelled outside the
    bars: above the plot for vertical lines, at the left edge for horizontal ones."""
    labels = {
        PARITY: t("chart.parity", lang, level=format_percent(PARITY, lang, 0)),
        INVISIBILITY: t("chart.invisibility", lang, level=format_percent(INVISIBILITY, lang, 0)),
    }
    styles = {PARITY: ("dash", "#444"), INVISIBILITY: ("dot", "#B3261E")}
    for level, (dash, colour) in styles.items():
        line = {"line_dash": dash, "line_color": colour}
        if vertical:
            fig.add_vline(level, **line)
            fig.add_annotation(
                x=level,
                y=1,
                yref="paper",
                yanchor="bottom",
                xanchor="left" if level == PARITY else "right",
                text=labels[level],
                showarrow=False,
                font={"color": colour, "size": 11},
            )
        else:
            fig.add_hline(
                level,
                annotation_text=labels[level],
                annotation_position="top left" if level == PARITY else "bottom left",
                annotation_font={"color": colour, "size": 11},
                **line,
            )


def trend(frame: pl.DataFrame, result: Result, lang: str, *, benchmarks: bool = False) -> go.Figure:
    """One line per series across campaign years (`benchmarks`: parity lines, 0–100 %)."""
    data = _published(frame)
    fig = px.line(
        data,
        x="group",
        y="value",
        color="series_label",
        color_discrete_map=FILIERE_COLOURS,
        markers=True,
        labels={"group": "", "value": _axis(result, lang), "series_label": ""},
    )
    fig.update_xaxes(type="category")
    # From zero: a median going from 2 to 3 must not look like a leap.
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(margin={"t": 30, "b": 10}, legend=LEGEND_ABOVE)
    if len(result.indicator.series) == 1:
        fig.update_layout(showlegend=False)
    if benchmarks:
        _benchmarks(fig, lang, vertical=False)
        fig.update_yaxes(range=[0, 100])
    return fig


def shares(frame: pl.DataFrame, result: Result, lang: str, *, y: str = "group_label") -> go.Figure:
    """Composition as shares: one 100 % bar per group, split by series (e.g. places of
    performance by filière). With a single group, one bar per series, largest first.

    A group with any hidden part has no published share and is left out (drawing the
    other parts would misstate their weight); its figures are in the table."""
    frame = _prepared(frame, result, lang)
    data = _published(frame).filter(pl.col("share").is_not_null())
    labels = {"share": "%", y: "", "series_label": "", "value": _axis(result, lang)}
    common: dict[str, Any] = {
        "x": "share",
        "orientation": "h",
        "text_auto": ".0f",
        "hover_data": {"value": ":,.0f"},
        "labels": labels,
    }
    if data[y].n_unique() <= 1:
        data = data.sort("share", descending=True)
        fig = px.bar(
            data,
            y="series_label",
            category_orders=_orders(data, "series_label"),
            **common,
        )
        fig.update_layout(height=_height(data.height))
    else:
        fig = px.bar(
            data,
            y=y,
            color="series_label",
            barmode="stack",
            category_orders=_orders(frame, y, "series_label"),
            **common,
        )
        fig.update_layout(
            legend=LEGEND_ABOVE, height=_height(data[y].n_unique()), xaxis={"range": [0, 100]}
        )
    fig.update_traces(textposition="inside")
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"}, margin={"t": 30, "b": 10})
    return fig


def boxes(
    frame: pl.DataFrame,
    result: Result,
    lang: str,
    *,
    x: str = "group_label",
    horizontal: bool = False,
    log: bool = False,
) -> go.Figure:
    """Box plots drawn from published quartiles (whiskers = 10th and 90th percentiles,
    or the quartiles where too few contributors for deciles). `horizontal`: one row per
    group, first at the top (long labels on a phone); `log`: logarithmic value axis, for
    amounts spanning several orders of magnitude (budgets)."""
    fig = go.Figure()
    rows = list(_published(_prepared(frame, result, lang)).iter_rows(named=True))
    for row in rows:
        lower = row.get("p10") if row.get("p10") is not None else row["q1"]
        upper = row.get("p90") if row.get("p90") is not None else row["q3"]
        position = {"y" if horizontal else "x": [str(row[x])]}
        fig.add_trace(
            go.Box(
                name=str(row[x]),
                q1=[row["q1"]],
                median=[row["value"]],
                q3=[row["q3"]],
                lowerfence=[lower],
                upperfence=[upper],
                boxpoints=False,
                showlegend=False,
                marker_color=TOTAL_COLOUR if row["is_total"] else GROUP_COLOUR,
                orientation="h" if horizontal else "v",
                **position,
            )
        )
    value_axis = {"title": _axis(result, lang), **({"type": "log", "dtick": "D2"} if log else {})}
    if horizontal:
        fig.update_layout(
            xaxis=value_axis, yaxis={"autorange": "reversed"}, height=_height(len(rows))
        )
    else:
        fig.update_layout(yaxis=value_axis, xaxis={"type": "category"})
    fig.update_layout(margin={"t": 30, "b": 10})
    return fig


# --- maps: filled outlines on plain axes ----------------------------------------------------
# Plotly's `geo` subplots download a world outline from a CDN even when hidden, so they
# stay blank offline; the outlines of opp/data/geo/ drawn as filled shapes need nothing else.

NO_DATA = "#eeeeee"


def _places(frame: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """The rows a map draws and the column naming them.

    Places are either the categories of the result (performances by département: the
    margin rows hold the whole population) or its breakdown groups (participation by
    département: the detail rows)."""
    data = _published(frame)
    if "category" in data.columns and data["category"].drop_nulls().len():
        return data.filter(pl.col("is_total") & pl.col("category").is_not_null()), "category_label"
    return data.filter(~pl.col("is_total")), "group_label"


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [polygon[0] for polygon in polygons]  # outer rings (no holes in these maps)


def _shape_map(
    frame: pl.DataFrame, result: Result, lang: str, shapes: dict[str, Any], scale: str
) -> go.Figure:
    data, name = _places(frame)
    published = {row["code"]: row for row in data.iter_rows(named=True)}
    values = [row["value"] for row in published.values()]
    low, high = min([0.0, *values]), max([1.0, *values])
    colours = get_colorscale(scale)
    unit = result.indicator.unit
    fig = go.Figure()
    label_x, label_y, label_text, label_colour = [], [], [], []
    for feature in shapes["features"]:
        code = feature["properties"]["code"]
        row = published.get(code)
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in _rings(feature["geometry"]):
            xs += [point[0] for point in ring] + [None]
            ys += [point[1] for point in ring] + [None]
        if row is None:
            colour = NO_DATA
            hover = t("chart.hover_empty", lang, place=feature["properties"].get("nom", code))
        else:
            level = (row["value"] - low) / (high - low)
            colour = sample_colorscale(colours, [level])[0]
            shown = format_value(row["value"], unit, lang)
            hover = t(
                "chart.hover",
                lang,
                place=row[name],
                value=shown,
                contributors=format_number(row["contributors"], lang),
            )
            largest = max(_rings(feature["geometry"]), key=len)
            label_x.append(sum(p[0] for p in largest) / len(largest))
            label_y.append(sum(p[1] for p in largest) / len(largest))
            label_text.append(shown)
            label_colour.append("white" if level > 0.6 else "#222")
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=colour,
                mode="lines",
                line={"color": "white", "width": 1},
                name=hover,
                hoveron="fills",
                hoverinfo="name",
                showlegend=False,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=label_x,
            y=label_y,
            text=label_text,
            mode="text",
            textfont={"size": 11, "color": label_colour},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(  # the colour scale alone
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker={
                "colorscale": colours,
                "cmin": low,
                "cmax": high,
                "color": [low],
                "showscale": True,
                "colorbar": {
                    "orientation": "h",
                    "yanchor": "top",
                    "y": -0.02,
                    "thickness": 12,
                    "title": {"text": _axis(result, lang), "side": "top"},
                },
            },
        )
    )
    latitudes = [
        point[1]
        for feature in shapes["features"]
        for ring in _rings(feature["geometry"])
        for point in ring
    ]
    middle = (min(latitudes) + max(latitudes)) / 2
    fig.update_xaxes(visible=False)
    # One degree of latitude is longer than one of longitude by 1 / cos(latitude).
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(middle)))
    fig.update_layout(
        height=480,
        margin={"t": 10, "b": 10, "l": 0, "r": 0},
        plot_bgcolor="rgba(0,0,0,0)",
        hovermode="closest",
    )
    return fig


def map_departements(frame: pl.DataFrame, result: Result, lang: str) -> go.Figure:
    """Map of the 13 départements of Occitanie (hidden or missing ones stay grey)."""
    return _shape_map(frame, result, lang, geo.geojson("departements"), "Reds")


def map_regions(frame: pl.DataFrame, result: Result, lang: str) -> go.Figure:
    """Map of the regions of metropolitan France (INSEE codes without 'FR-'); countries
    abroad and overseas regions have no outline: they are in the table."""
    return _shape_map(frame, result, lang, geo.geojson("regions"), "Blues")


def by_kind(frame: pl.DataFrame, result: Result, lang: str) -> go.Figure:
    """A chart chosen from the kind of figure and its breakdown alone (the Explorer, and
    a dashboard panel crossed with the answers to a question)."""
    kind = result.indicator.kind
    by = result.breakdown
    if by == "reference_year":
        if "category_label" in frame.columns and frame["category_label"].drop_nulls().len():
            frame = frame.with_columns(pl.col("category_label").alias("series_label"))
        return trend(frame, result, lang)
    if kind in ("quartiles", "items_quartiles"):
        return boxes(frame, result, lang, horizontal=True)
    categories = "category_label" in frame.columns and frame["category_label"].drop_nulls().len()
    if kind == "items_count" and categories:
        details = frame if by is None else frame.filter(~pl.col("is_total"))
        return bars(
            details,
            result,
            lang,
            x="category_label",
            color="group_label" if by else None,
            horizontal=True,
            stacked=False,
        )
    if kind == "contributors_share":
        if by is None:
            return bars(frame, result, lang, x="series_label", color=None, horizontal=True)
        return bars(
            frame.filter(~pl.col("is_total")),
            result,
            lang,
            x="series_label",
            color="group_label",
            horizontal=True,
            stacked=False,
        )
    return bars(frame, result, lang, x="group_label", color=None, horizontal=True)
