"""Administration → Annuaire, import: upload a CSV/XLSX file, read the dry-run report
(row, column, what is wrong, how to fix; what will be created, updated, left as is), then
confirm. The import applies exactly the previewed plan or nothing (`DIR_CHANGED`)."""

from __future__ import annotations

import hashlib

import polars as pl
import streamlit as st

from opp import geo
from opp.access.viewer import Viewer
from opp.directory.headers import CANONICAL
from opp.directory.service import ImportReport, check_file, import_file
from opp.directory.values import FIELD_LABELS
from opp.referentiel import FILIERES, LABELS, LEGAL_FORMS, STRUCTURE_TYPES, Labels, label
from opp.services.storage import Store
from opp.ui.state import guarded, tr, trn
from opp.ui.text import plain

_REPORT = "dir.report"  # (file digest, report) of the last check
_FLASH = "dir.flash"
SHOWN_ROWS = 2_000  # rows of the report tables drawn (all are counted)
TEMPLATE = (
    "nom;siret;code_commune;filiere;type_structure;email;labels\n"
    "Compagnie exemple;;31555;cirque;compagnie;contact@exemple.fr;\n"
)


def render(store: Store, viewer: Viewer, lang: str) -> None:
    """Drawn inside its own guard: a refused action shows its message here and the
    rest of the page still renders."""
    with guarded():
        _render(store, viewer, lang)


def _render(store: Store, viewer: Viewer, lang: str) -> None:
    st.header(tr("dir.import"))
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash)
    st.markdown(tr("dir.import_help"))
    st.download_button(
        tr("dir.template"),
        ("\ufeff" + TEMPLATE).encode("utf-8"),
        file_name="annuaire-modele.csv",
        mime="text/csv",
        key="dir_template",
        on_click="ignore",
    )
    upload = st.file_uploader(tr("dir.file"), type=["csv", "xlsx"], key="dir_file")
    if upload is None:
        st.session_state.pop(_REPORT, None)
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if st.button(tr("dir.check"), key="dir_check", icon=":material/fact_check:"):
        with st.spinner(tr("dir.checking")):
            st.session_state[_REPORT] = (digest, check_file(store, viewer, data, upload.name))
    kept = st.session_state.get(_REPORT)
    if kept is None or kept[0] != digest:
        return
    report: ImportReport = kept[1]
    _show(report, lang)
    changes = report.count("create") + report.count("update")
    if not report.ok:
        return
    if not changes:
        st.info(tr("dir.nothing"))
        return
    label = tr("dir.apply", create=report.count("create"), update=report.count("update"))
    if st.button(label, key="dir_apply", type="primary", icon=":material/upload:"):
        with st.spinner(tr("dir.importing")):
            done = import_file(
                store, viewer, data, upload.name, expected=report.fingerprint, checked=report
            )
        st.session_state.pop(_REPORT, None)
        st.session_state[_FLASH] = tr(
            "dir.applied",
            create=done.count("create"),
            update=done.count("update"),
            unchanged=done.count("unchanged"),
        )
        st.rerun()


def _show(report: ImportReport, lang: str) -> None:
    st.caption(
        plain(
            trn(
                "dir.summary",
                report.rows_read,
                file=report.filename,
                rows=report.rows_read,
                kind=report.kind.upper() or "?",
            )
        )
    )
    columns = st.columns(4)
    for column, (key, value) in zip(
        columns,
        (
            ("dir.to_create", report.count("create")),
            ("dir.to_update", report.count("update")),
            ("dir.unchanged", report.count("unchanged")),
            ("dir.errors", len(report.errors)),
        ),
        strict=True,
    ):
        column.metric(tr(key), f"{value:,}".replace(",", " "))
    if report.errors:
        st.error(trn("dir.refused", len(report.errors)), icon=":material/block:")
    if report.issues:
        st.markdown(f"**{tr('dir.issues')}**")
        st.dataframe(
            pl.DataFrame(
                [
                    {
                        tr("dir.col.row"): issue.row,
                        tr("dir.col.column"): issue.column or "",
                        tr("dir.col.level"): tr(f"dir.level.{issue.severity}"),
                        tr("dir.col.what"): issue.what(lang),
                        tr("dir.col.fix"): issue.fix(lang),
                    }
                    for issue in report.issues[:SHOWN_ROWS]
                ],
                schema_overrides={tr("dir.col.row"): pl.Int64},
            ),
            hide_index=True,
        )
    if report.planned:
        st.markdown(f"**{tr('dir.plan')}**")
        st.dataframe(
            pl.DataFrame(
                [
                    {
                        tr("dir.col.row"): row.row,
                        tr("dir.col.action"): tr(f"dir.action.{row.action}"),
                        tr("dir.col.name"): row.fields.name,
                        tr("dir.col.changes"): _changes(row.changes, lang),
                    }
                    for row in report.planned[:SHOWN_ROWS]
                ]
            ),
            hide_index=True,
        )


def _changes(changes: dict, lang: str) -> str:
    parts = []
    for name, (before, after) in sorted(changes.items()):
        shown = FIELD_LABELS.get(name, {}).get(lang) or CANONICAL.get(name, name)
        parts.append(f"{shown} : {_value(name, before, lang)} → {_value(name, after, lang)}")
    return " ; ".join(parts)


# Fields whose values are codes of a shared vocabulary: shown by their label.
_VOCABULARIES: dict[str, Labels] = {
    "structure_type": STRUCTURE_TYPES,
    "filieres": FILIERES,
    "labels": LABELS,
    "legal_form": LEGAL_FORMS,
}


def _value(field: str, value: object, lang: str = "fr") -> str:
    """A value as the report shows it: labels, not codes (`ecole` → "École / centre de
    formation"), communes by name."""
    if value in (None, [], ""):
        return "∅"
    values = value if isinstance(value, list) else [value]
    if field in _VOCABULARIES:
        return ", ".join(label(_VOCABULARIES[field], str(v), lang) for v in values)
    if field == "commune":
        return ", ".join(geo.place_label(str(v), lang) for v in values)
    return ", ".join(str(v) for v in values)
