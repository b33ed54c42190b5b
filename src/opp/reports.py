"""The fiche as a self-contained HTML report (Plotly inlined, works offline) and a PDF.

Every text comes from data or catalogues and is HTML-escaped; the HTML embeds Plotly's
JavaScript once and loads nothing from the network.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

import plotly.graph_objects as go
from fpdf import FPDF
from plotly.offline import get_plotlyjs

from opp.i18n import format_measure, gettext, plotly_separators
from opp.referentiel import FILIERES, label, unit_suffix
from opp.restitution import Fiche, Line, group_label, withheld_text


def _t(key: str, lang: str) -> str:
    """A text of the sheet (`fiche.report.<key>` in the gettext catalogues)."""
    return gettext(f"fiche.report.{key}", lang)


def value_text(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    whole = float(value).is_integer() or abs(value) >= 10
    digits = 0 if (unit in ("count", "eur") and whole) or abs(value) >= 100 else 1
    return format_measure(value, unit, lang, digits)


def position_figure(line: Line, lang: str) -> go.Figure:
    """Quartile boxes of each peer group, and a marker for the contributor's value."""
    fig = go.Figure()
    for comparison in line.comparisons:
        if comparison.withheld:
            continue
        name = html.escape(group_label(comparison.group, lang))
        fig.add_trace(
            go.Box(
                name=name,
                y=[name],
                q1=[comparison.q1],
                median=[comparison.median],
                q3=[comparison.q3],
                lowerfence=[comparison.q1],
                upperfence=[comparison.q3],
                orientation="h",
                boxpoints=False,
                showlegend=False,
                marker_color="#8aa4c8",
            )
        )
    if line.own is not None:
        fig.add_vline(
            x=line.own,
            line_color="#B3261E",
            line_width=3,
            annotation_text=_t("you", lang),
            annotation_position="top",
        )
    fig.update_layout(
        height=90 + 45 * len(line.comparisons),
        # The peer groups' names need their room (before: cut to "le", "re").
        margin={"t": 30, "b": 20, "l": 10, "r": 10},
        yaxis={"automargin": True},
        xaxis_title=html.escape(unit_suffix(line.indicator.unit, lang).strip()),
        separators=plotly_separators(lang),
    )
    return fig


def history_figure(fiche: Fiche, line: Line, lang: str) -> go.Figure | None:
    series = line.series or line.indicator.series[0].id
    rows = fiche.history.filter(
        (fiche.history["indicator"] == line.indicator.id) & (fiche.history["series"] == series)
    )
    if rows.height < 2:
        return None
    fig = go.Figure(
        go.Scatter(
            x=[str(y) for y in rows["reference_year"].to_list()],
            y=rows["value"].to_list(),
            mode="lines+markers",
            line_color="#B3261E",
        )
    )
    fig.update_layout(
        height=220,
        margin={"t": 20, "b": 20, "l": 10, "r": 10},
        xaxis_type="category",
        yaxis={"automargin": True, "rangemode": "tozero"},  # a scale that starts at zero
        separators=plotly_separators(lang),
    )
    return fig


STYLE = (
    "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;"
    "color:#222}table{border-collapse:collapse;width:100%;margin:.5rem 0}"
    "td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}"
    "h2{margin-top:2rem;font-size:1.15rem}.note{color:#666;font-size:.9rem}</style>"
)


def _cell(text: Any) -> str:
    return html.escape(str(text))


def to_html(fiche: Fiche, lang: str = "fr") -> str:
    """One HTML file: styles, Plotly's JavaScript inlined, a section per indicator."""
    title = _t("title", lang).format(org=fiche.organisation.name)
    subtitle = _t("subtitle", lang).format(
        campaign=fiche.campaign.title(lang), filiere=label(FILIERES, fiche.campaign.filiere, lang)
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{_cell(title)}</title>",
        STYLE,
        f"<script>{get_plotlyjs()}</script>",
        "</head><body>",
        f"<h1>{_cell(title)}</h1>",
        f'<p class="note">{_cell(subtitle)}</p>',
    ]
    for index, line in enumerate(fiche.lines):
        unit = line.indicator.unit
        parts.append(f"<h2>{_cell(line.label.get(lang))}</h2>")
        parts.append(
            f"<p><strong>{_cell(_t('you', lang))} : "
            f"{_cell(value_text(line.own, unit, lang))}</strong></p>"
        )
        parts.append(
            "<table><tr>"
            + "".join(
                f"<th>{_cell(_t(k, lang))}</th>" for k in ("group", "median", "quartiles", "n")
            )
            + "</tr>"
        )
        for comparison in line.comparisons:
            if comparison.withheld:
                cells = [group_label(comparison.group, lang), withheld_text(lang), "", ""]
            else:
                cells = [
                    group_label(comparison.group, lang),
                    value_text(comparison.median, unit, lang),
                    (
                        f"{value_text(comparison.q1, unit, lang)} – "
                        f"{value_text(comparison.q3, unit, lang)}"
                    ),
                    str(comparison.contributors),
                ]
            parts.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
        parts.append(
            position_figure(line, lang).to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=f"position-{index}",
                config={"displayModeBar": False},
            )
        )
        trend = history_figure(fiche, line, lang)
        if trend is not None:
            parts.append(f'<p class="note">{_cell(_t("history", lang))}</p>')
            parts.append(
                trend.to_html(
                    full_html=False,
                    include_plotlyjs=False,
                    div_id=f"history-{index}",
                    config={"displayModeBar": False},
                )
            )
        for gap in fiche.gaps_of(line):
            parts.append(f'<p class="note">{_cell(gap[lang])}</p>')
    parts.append(f'<p class="note">{_cell(_t("footer", lang))}</p></body></html>')
    return "\n".join(parts)


def _latin1(text: str) -> str:
    """The PDF core font is Latin-1: keep French accents, replace the rest readably."""
    replacements = {
        "\u202f": " ",
        "\u00a0": " ",
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "·": "-",
        "€": "EUR",
        "≥": ">=",
        "≤": "<=",
    }
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


class _Move(TypedDict):
    new_x: str
    new_y: str


NEXT_LINE: _Move = {"new_x": "LMARGIN", "new_y": "NEXT"}


# DejaVu Sans (Debian's fonts-dejavu-core, installed by the Makefile; free licence):
# every character of a name or a label, "—", "œ", "€", "≥" included. Without it the
# PDF falls back to the core Helvetica, Latin-1 only (see `_latin1`).
FONT_DIR = Path(os.environ.get("OPP_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT = "DejaVu"


def _pdf() -> tuple[FPDF, str, Callable[[str], str]]:
    """A4 document, its font family and how texts must be prepared for it."""
    pdf = FPDF(format="A4")
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return pdf, "Helvetica", _latin1
    pdf.add_font(FONT, "", regular)
    pdf.add_font(FONT, "B", bold)
    pdf.add_font(FONT, "I", regular)  # the oblique face is in fonts-dejavu-extra only
    return pdf, FONT, str


def to_pdf(fiche: Fiche, lang: str = "fr") -> bytes:
    """A printable A4 version: the same tables, a bar showing where the value sits on a
    scale with its ends written under it."""
    pdf, font, prepare = _pdf()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(font, "B", 15)
    pdf.multi_cell(
        0,
        8,
        prepare(_t("title", lang).format(org=fiche.organisation.name)),
        **NEXT_LINE,
    )
    pdf.set_font(font, "", 9)
    pdf.multi_cell(
        0,
        5,
        prepare(
            _t("subtitle", lang).format(
                campaign=fiche.campaign.title(lang),
                filiere=label(FILIERES, fiche.campaign.filiere, lang),
            )
        ),
    )
    for line in fiche.lines:
        unit = line.indicator.unit
        pdf.ln(3)
        pdf.set_font(font, "B", 11)
        pdf.multi_cell(0, 6, prepare(line.label.get(lang)), **NEXT_LINE)
        pdf.set_font(font, "", 10)
        pdf.cell(
            0,
            6,
            prepare(f"{_t('you', lang)} : {value_text(line.own, unit, lang)}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for comparison in line.comparisons:
            group = group_label(comparison.group, lang)
            if comparison.withheld:
                text = f"{group} : {withheld_text(lang)}"
            else:
                text = (
                    f"{group} : {_t('median', lang).lower()} "
                    f"{value_text(comparison.median, unit, lang)}, Q1-Q3 "
                    f"{value_text(comparison.q1, unit, lang)} – "
                    f"{value_text(comparison.q3, unit, lang)} ({comparison.contributors})"
                )
            pdf.set_font(font, "", 9)
            pdf.multi_cell(0, 5, prepare(text), **NEXT_LINE)
            if not comparison.withheld and line.own is not None:
                _position_bar(pdf, line.own, comparison, unit, lang, prepare)
        for gap in fiche.gaps_of(line):
            pdf.set_font(font, "I", 8)
            pdf.multi_cell(0, 4, prepare(gap[lang]), **NEXT_LINE)
    pdf.ln(4)
    pdf.set_font(font, "I", 8)
    pdf.multi_cell(0, 4, prepare(_t("footer", lang)), **NEXT_LINE)
    return bytes(pdf.output())


def _position_bar(
    pdf: FPDF, own: float, comparison: Any, unit: str, lang: str, prepare: Callable[[str], str]
) -> None:
    """A small scale: the quartile box in grey, the median line, the value in red, and
    the scale's two ends written under it (before: bars without any scale)."""
    low = min(own, comparison.q1)
    high = max(own, comparison.q3)
    span = (high - low) or 1.0
    x0, width, y = pdf.l_margin, 120.0, pdf.get_y() + 1

    def at(value: float) -> float:
        return x0 + (value - low) / span * width

    pdf.set_draw_color(200, 200, 200)
    pdf.line(x0, y + 2, x0 + width, y + 2)
    pdf.set_fill_color(190, 205, 225)
    pdf.rect(at(comparison.q1), y, max(at(comparison.q3) - at(comparison.q1), 0.5), 4, style="F")
    pdf.set_draw_color(40, 40, 40)
    pdf.line(at(comparison.median), y, at(comparison.median), y + 4)
    pdf.set_fill_color(179, 38, 30)
    pdf.ellipse(at(own) - 1.5, y + 0.5, 3, 3, style="F")
    pdf.set_draw_color(120, 120, 120)
    for end in (x0, x0 + width):  # ticks at both ends
        pdf.line(end, y + 1, end, y + 5)
    pdf.set_font(size=7)
    pdf.set_xy(x0 - 10, y + 5)
    pdf.cell(20, 3, prepare(value_text(low, unit, lang)), align="C")
    pdf.set_xy(x0 + width - 10, y + 5)
    pdf.cell(20, 3, prepare(value_text(high, unit, lang)), align="C")
    pdf.set_y(y + 9)
