"""The public "Chiffres clés" page: the latest published open-data package, as it was
published (`opp.datapackage.open_zip` on the stored files), with its charts. No sign-in:
every figure here is in that package, already through the disclosure layer."""

from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from opp import datapackage
from opp.i18n import format_number, plotly_separators
from opp.services import reads
from opp.services.reads import OpenPackage
from opp.ui.state import get_store, lang, tr
from opp.ui.text import plain

UNITS = {"eur": " €", "percent": " %", "points": " pts", "fte": " ETP"}
BREAKDOWN_KEYS = ("departement", "structure_type", "size_class")


# A published package never changes: read once per package (keyed by its id).
@st.cache_resource(show_spinner=False, max_entries=2)
def _opened(path: str, package_id: str) -> tuple[OpenPackage, datapackage.OpenedPackage] | None:
    found = reads.open_package(get_store(), package_id)
    return None if found is None else (found, datapackage.open_zip(found.content))


def latest() -> tuple[OpenPackage, datapackage.OpenedPackage] | None:
    """The latest published package, opened (None before the first)."""
    store = get_store()
    package_id = reads.latest_open_package_id(store)
    return _opened(str(store.path), package_id) if package_id else None


def _unit_of(resource: dict) -> str:
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "valeur")
    return field.get("unit", "count")


def _shown(value: float | None, unit: str, language: str) -> str:
    if value is None:
        return tr("keyfig.secret")
    digits = 1 if unit in ("percent", "ratio", "points", "fte") else 0
    return format_number(value, language, digits) + UNITS.get(unit, "")


def _title(resource: dict) -> str:
    return resource["title"].rsplit(" — ", 1)[0]


def render() -> None:
    language = lang()
    found = latest()
    if found is None:
        st.info(tr("keyfig.none"), icon=":material/info:")
        return
    record, opened = found
    descriptor = opened.descriptor
    st.subheader(plain(descriptor["title"]))
    st.caption(
        plain(
            tr(
                "keyfig.source",
                date=record.published_at.strftime("%d/%m/%Y"),
                release=record.release_id,
                licence=descriptor["licenses"][0]["title"],
            )
        )
    )
    resources = {r["name"]: r for r in descriptor["resources"]}
    totals = [r for r in descriptor["resources"] if r["name"].endswith("-ensemble")]
    columns = st.columns(4)
    for index, resource in enumerate(totals[:12]):
        table = opened.tables[resource["name"]]
        first = table.row(0, named=True) if table.height else None
        value = first["valeur"] if first else None
        columns[index % 4].metric(
            plain(_title(resource)), _shown(value, _unit_of(resource), language)
        )
    broken = sorted(
        {
            r["name"].rsplit("-", 1)[0]
            for r in descriptor["resources"]
            if r["name"].rsplit("-", 1)[1] in BREAKDOWN_KEYS
        }
    )
    if not broken:
        return
    st.subheader(tr("keyfig.charts"))
    names = {n: _title(resources.get(f"{n}-ensemble") or {"title": n}) for n in broken}
    chosen = st.selectbox(
        tr("keyfig.indicator"), broken, format_func=lambda n: names.get(n, n), key="kf_ind"
    )
    available = [b for b in BREAKDOWN_KEYS if f"{chosen}-{b}" in resources]
    breakdown = (
        st.segmented_control(
            tr("keyfig.by"),
            available,
            format_func=lambda b: tr(f"keyfig.by.{b}"),
            default=available[0],
            key="kf_by",
        )
        or available[0]
    )
    resource = resources[f"{chosen}-{breakdown}"]
    table = opened.tables[resource["name"]]
    label = f"libelle_{language}"
    groups = table.filter(pl.col("code").is_not_null() & (pl.col("code") != ""))
    shown = groups.filter(pl.col("valeur").is_not_null())
    if shown.height:
        fig = px.bar(
            shown.to_pandas(),
            x="valeur",
            y=label,
            color=f"serie_libelle_{language}" if shown["serie"].n_unique() > 1 else None,
            orientation="h",
            labels={"valeur": tr("keyfig.value"), label: "", f"serie_libelle_{language}": ""},
            height=max(280, 32 * shown.height + 120),
        )
        fig.update_layout(separators=plotly_separators(language))
        st.plotly_chart(fig, config={"displayModeBar": False})
    hidden = groups.filter(pl.col("secret").is_not_null())
    for row in hidden.iter_rows(named=True):
        reason = row[f"secret_motif_{language}"] or row["secret_motif_fr"]
        st.caption(plain(f"{row[label]} — {reason}"))
    st.download_button(
        tr("keyfig.download"),
        record.content,
        file_name=f"{descriptor['name']}.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/download:",
        key="kf_zip",
    )
