"""Plotly figures for indicator results. Hidden cells are left out of charts (their
reason is in the table below every chart); labels come from the catalogues and go
through Plotly's own text rendering, never HTML built from user text."""

from __future__ import annotations

from typing import Any

import plotly.express as px
import plotly.graph_objects as go
import polars as pl

from opp import geo
from opp.indicators.engine import Result

PARITY = 50
INVISIBILITY = 33
UNIT_SUFFIX = {"percent": " %", "eur": " €", "points": " pts"}


def _unit(result: Result) -> str:
    return UNIT_SUFFIX.get(result.indicator.unit, "")


def _published(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("secret").is_null() & pl.col("value").is_not_null())


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
    data = _published(frame).to_pandas()
    axis_value = f"{result.indicator.label.get(lang)}{_unit(result)}"
    kwargs: dict[str, Any] = {
        "x": "value" if horizontal else x,
        "y": x if horizontal else "value",
        "color": color,
        "barmode": "stack" if stacked else "group",
        "labels": {"value": axis_value, x: "", **({color: ""} if color else {})},
        "orientation": "h" if horizontal else "v",
        "category_orders": {c: list(dict.fromkeys(frame[c].to_list())) for c in (x, color) if c},
    }
    fig = px.bar(data, **kwargs)
    fig.update_layout(legend_title_text="", margin={"t": 30, "b": 10})
    return fig


def parity(frame: pl.DataFrame, result: Result, lang: str, *, y: str = "series_label") -> go.Figure:
    """Women's share by role against the 50 % parity line and the 33 % threshold."""
    data = _published(frame).to_pandas()
    fig = px.bar(
        data,
        x="value",
        y=y,
        orientation="h",
        range_x=[0, 100],
        labels={"value": "%", y: ""},
        text_auto=".0f",
    )
    fig.add_vline(
        x=PARITY,
        line_dash="dash",
        line_color="#444",
        annotation_text="parité" if lang == "fr" else "parity",
    )
    fig.add_vline(
        x=INVISIBILITY,
        line_dash="dot",
        line_color="#B3261E",
        annotation_text="seuil d'invisibilité 33 %"
        if lang == "fr"
        else "invisibility threshold 33%",
        annotation_position="bottom right",
    )
    fig.update_layout(margin={"t": 30, "b": 10}, yaxis={"autorange": "reversed"})
    return fig


def trend(frame: pl.DataFrame, result: Result, lang: str) -> go.Figure:
    data = _published(frame).to_pandas()
    fig = px.line(
        data,
        x="group",
        y="value",
        color="series_label",
        markers=True,
        labels={
            "group": "",
            "value": f"{result.indicator.label.get(lang)}{_unit(result)}",
            "series_label": "",
        },
    )
    fig.update_xaxes(type="category")
    fig.update_layout(margin={"t": 30, "b": 10})
    return fig


def boxes(frame: pl.DataFrame, result: Result, lang: str, *, x: str = "group_label") -> go.Figure:
    """Box plots drawn from published quartiles (whiskers = 10th and 90th percentiles)."""
    fig = go.Figure()
    for row in _published(frame).iter_rows(named=True):
        lower = row.get("p10") if row.get("p10") is not None else row["q1"]
        upper = row.get("p90") if row.get("p90") is not None else row["q3"]
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
            )
        )
    fig.update_layout(
        yaxis_title=f"{result.indicator.label.get(lang)}{_unit(result)}", margin={"t": 30, "b": 10}
    )
    return fig


def map_departements(frame: pl.DataFrame, result: Result, lang: str) -> go.Figure:
    """Choropleth of the 13 départements of Occitanie (hidden ones stay grey)."""
    data = _published(frame)
    fig = px.choropleth(
        data.to_pandas(),
        geojson=geo.geojson("departements"),
        featureidkey="properties.code",
        locations="code",
        color="value",
        hover_name="group_label",
        color_continuous_scale="Reds",
        labels={"value": result.indicator.label.get(lang)},
    )
    _outline(fig, geo.geojson("departements"))
    return fig


def map_regions(frame: pl.DataFrame, result: Result, lang: str) -> go.Figure:
    """Choropleth of the regions of metropolitan France (INSEE codes without 'FR-')."""
    data = _published(frame)
    fig = px.choropleth(
        data.to_pandas(),
        geojson=geo.geojson("regions"),
        featureidkey="properties.code",
        locations="code",
        color="value",
        hover_name="group_label",
        color_continuous_scale="Blues",
        labels={"value": result.indicator.label.get(lang)},
    )
    _outline(fig, geo.geojson("regions"))
    return fig


def _outline(fig: go.Figure, shapes: dict[str, Any]) -> None:
    """Draw every area (grey when no published value) and zoom on them."""
    codes = [f["properties"]["code"] for f in shapes["features"]]
    fig.add_trace(
        go.Choropleth(
            geojson=shapes,
            featureidkey="properties.code",
            locations=codes,
            z=[0] * len(codes),
            colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]],
            showscale=False,
            hoverinfo="skip",
            marker_line_color="white",
        )
    )
    fig.data = (fig.data[-1], *fig.data[:-1])
    fig.update_geos(fitbounds="locations", visible=False)
    fig.update_layout(margin={"t": 10, "b": 10, "l": 0, "r": 0})
