"""Administration → Annuaire, structures: search, edit a record, archive or restore,
delete one created by mistake, create one, and merge duplicates after a preview (agency).
Every action goes through `opp.services.organisations` / `organisation_merge`, which check
permissions and values again and audit."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from opp import geo
from opp.access.policy import Action, filieres_in_scope, may
from opp.access.viewer import Viewer
from opp.errors import OppError
from opp.referentiel import (
    FILIERES,
    LABELS,
    LEGAL_FORMS,
    RESPONSE_STATUSES,
    STRUCTURE_TYPES,
    label,
)
from opp.services import organisation_archive, organisation_merge, organisations
from opp.services.organisations import Organisation
from opp.services.storage import Store
from opp.ui.state import guarded, tr, trn
from opp.ui.text import plain

_FLASH = "org.flash"
_PREVIEW = "org.merge_preview"
_SHOW = ("active", "archived", "all")
_ARCHIVED = {"active": False, "archived": True, "all": None}


def render(store: Store, viewer: Viewer, lang: str) -> None:
    """Drawn inside its own guard: a refused action shows its message here and the
    rest of the page still renders."""
    with guarded():
        _render(store, viewer, lang)


def _render(store: Store, viewer: Viewer, lang: str) -> None:
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash)
    st.header(tr("org.list"))
    left, right = st.columns([3, 2])
    text = left.text_input(tr("org.search"), key="org_search", max_chars=100)
    show = right.segmented_control(
        tr("org.show"),
        _SHOW,
        format_func=lambda k: tr(f"org.show.{k}"),
        default="active",
        key="org_show",
    )
    found, total = organisations.search(store, viewer, text, archived=_ARCHIVED[show or "active"])
    if not found:
        st.info(tr("org.none"))
    else:
        _table(found, lang)
        if total > len(found):
            st.caption(trn("org.count", len(found), shown=len(found), total=total))
        _selected(store, viewer, found, lang)
    with st.expander(tr("org.new"), icon=":material/add_business:"):
        _create(store, viewer, lang)
    if may(viewer, Action.MERGE_ORGANISATIONS):
        with st.expander(tr("org.merge"), icon=":material/merge:"):
            _merge(store, viewer, lang)


def _table(found: list[Organisation], lang: str) -> None:
    st.dataframe(
        pl.DataFrame(
            [
                {
                    tr("org.col.name"): o.name,
                    tr("org.col.siret"): o.siret or "",
                    tr("org.col.commune"): geo.place_label(o.commune, lang),
                    tr("org.col.filieres"): ", ".join(label(FILIERES, f, lang) for f in o.filieres),
                    tr("org.col.type"): label(STRUCTURE_TYPES, o.structure_type, lang),
                    tr("org.col.email"): o.email or "",
                    tr("org.col.state"): tr(
                        "org.state.archived" if o.archived else "org.state.active"
                    ),
                }
                for o in found
            ]
        ),
        hide_index=True,
    )


def _selected(store: Store, viewer: Viewer, found: list[Organisation], lang: str) -> None:
    by_id = {o.id: o for o in found}
    chosen = st.selectbox(
        tr("org.selected"),
        list(by_id),
        format_func=lambda oid: f"{by_id[oid].name} — {geo.place_label(by_id[oid].commune)}",
        key="org_selected",
    )
    org = by_id[chosen]
    if may(viewer, Action.MANAGE_ORGANISATION, organisations.resource_of(org)):
        with st.form(f"org_edit:{org.id}"):
            st.markdown(f"**{tr('org.edit')}**")
            values = _fields(viewer, org, lang, prefix=f"edit:{org.id}")
            if st.form_submit_button(tr("org.save"), type="primary"):
                saved = organisations.update(store, viewer, org.id, **values)
                st.session_state[_FLASH] = tr("org.saved" if saved != org else "org.unchanged")
                st.rerun()
    usage = organisation_archive.usage(store, viewer, org.id)
    st.caption(
        tr(
            "org.usage",
            responses=usage.responses,
            drafts=usage.drafts_open,
            accounts=usage.accounts,
            invitations=usage.invitations,
            pending=usage.invitations_pending,
        )
    )
    if not may(viewer, Action.RETIRE_ORGANISATION, organisations.resource_of(org)):
        return
    left, right = st.columns(2)
    if org.archived:
        if left.button(tr("org.restore"), key="org_restore", icon=":material/unarchive:"):
            organisation_archive.restore(store, viewer, org.id)
            st.session_state[_FLASH] = tr("org.restored")
            st.rerun()
    elif left.button(
        tr("org.archive"), key="org_archive", icon=":material/archive:", help=tr("org.archive_help")
    ):
        withdrawn = organisation_archive.archive(store, viewer, org.id)
        st.session_state[_FLASH] = trn("org.archived", withdrawn)
        st.rerun()
    if right.button(
        tr("org.delete"),
        key="org_delete",
        icon=":material/delete:",
        disabled=bool(usage.responses or usage.accounts),
    ):
        organisation_archive.delete(store, viewer, org.id)
        st.session_state[_FLASH] = tr("org.deleted")
        st.rerun()


def _fields(viewer: Viewer, org: Organisation | None, lang: str, prefix: str) -> dict[str, Any]:
    """The record's widgets (inside a form); values as typed, checked by the store."""
    filiere_choices = filieres_in_scope(viewer, Action.ASSIGN_FILIERE)
    current_filieres = list(org.filieres) if org else list(filiere_choices[:1])
    name = st.text_input(
        tr("org.f.name"), org.name if org else "", max_chars=200, key=f"{prefix}:name"
    )
    left, right = st.columns(2)
    siret = left.text_input(
        tr("org.f.siret"), (org.siret if org else "") or "", max_chars=40, key=f"{prefix}:siret"
    )
    commune = right.text_input(
        tr("org.f.commune"),
        (org.commune if org else "") or "",
        max_chars=80,
        key=f"{prefix}:commune",
    )
    structure_type = left.selectbox(
        tr("org.f.type"),
        list(STRUCTURE_TYPES),
        index=list(STRUCTURE_TYPES).index(org.structure_type) if org else 0,
        format_func=lambda c: label(STRUCTURE_TYPES, c, lang),
        key=f"{prefix}:type",
    )
    email = right.text_input(
        tr("org.f.email"), (org.email if org else "") or "", max_chars=254, key=f"{prefix}:email"
    )
    # A coordinator sees and sets their filière only; the others stay as they are.
    others = [f for f in current_filieres if f not in filiere_choices]
    filieres = st.multiselect(
        tr("org.f.filieres"),
        filiere_choices,
        default=[f for f in current_filieres if f in filiere_choices],
        format_func=lambda c: label(FILIERES, c, lang),
        key=f"{prefix}:filieres",
        placeholder=tr("admin.choose"),
    )
    labels = st.multiselect(
        tr("org.f.labels"),
        list(LABELS),
        default=[x for x in (org.labels or []) if x in LABELS] if org else [],
        format_func=lambda c: label(LABELS, c, lang),
        key=f"{prefix}:labels",
        placeholder=tr("admin.choose"),
    )
    legal_forms = ["", *LEGAL_FORMS]
    legal_form = st.selectbox(
        tr("org.f.legal_form"),
        legal_forms,
        index=legal_forms.index(org.legal_form) if org and org.legal_form in LEGAL_FORMS else 0,
        format_func=lambda c: label(LEGAL_FORMS, c, lang) if c else "—",
        key=f"{prefix}:legal_form",
    )
    return {
        "name": name,
        "siret": siret,
        "commune": commune,
        "structure_type": structure_type,
        "email": email,
        "filieres": [*others, *filieres],
        "labels": labels,
        "legal_form": legal_form or None,
    }


def _create(store: Store, viewer: Viewer, lang: str) -> None:
    with st.form("org_new", clear_on_submit=True):
        values = _fields(viewer, None, lang, prefix="new")
        if st.form_submit_button(tr("org.create"), type="primary"):
            created = organisations.create(store, viewer, **values)
            st.session_state[_FLASH] = tr("org.created", name=plain(created.name))
            st.rerun()


def _chooser(
    store: Store, viewer: Viewer, search_key: str, pick_key: str, title: str
) -> str | None:
    text = st.text_input(tr(search_key), key=f"org_merge_search:{pick_key}", max_chars=100)
    found, _ = organisations.search(store, viewer, text, archived=None, limit=30)
    names = {o.id: f"{o.name} — {geo.place_label(o.commune)} — {o.siret or '∅'}" for o in found}
    return st.selectbox(
        tr(title),
        list(names),
        format_func=names.__getitem__,
        index=None,
        key=f"org_merge:{pick_key}",
    )


def _merge(store: Store, viewer: Viewer, lang: str) -> None:
    st.caption(tr("org.merge_help"))
    left, right = st.columns(2)
    with left:
        keep = _chooser(store, viewer, "org.search_keep", "keep", "org.keep")
    with right:
        drop = _chooser(store, viewer, "org.search_drop", "drop", "org.drop")
    if not keep or not drop:
        return
    if st.button(tr("org.preview"), key="org_merge_preview"):
        try:
            st.session_state[_PREVIEW] = organisation_merge.preview(store, viewer, keep, drop)
        except OppError:
            st.session_state.pop(_PREVIEW, None)
            raise
    shown: organisation_merge.MergePreview | None = st.session_state.get(_PREVIEW)
    if shown is None or (shown.keep.id, shown.drop.id) != (keep, drop):
        return
    st.info(
        tr(
            "org.preview_text",
            drop=plain(shown.drop.name),
            keep=plain(shown.keep.name),
            responses=shown.responses,
            accounts=shown.accounts,
            invitations=shown.invitations,
            corrections=shown.corrections,
            filieres=", ".join(label(FILIERES, f, lang) for f in shown.filieres),
        )
    )
    if shown.filled:
        st.caption(tr("org.preview_filled", fields=", ".join(sorted(shown.filled))))
    for conflict in shown.conflicts:
        owner = {"keep": shown.keep.name, "drop": shown.drop.name}
        other = "drop" if conflict.kept_owner == "keep" else "keep"
        st.warning(
            tr(
                "org.preview_conflict",
                campaign=plain(conflict.campaign_title),
                kept=plain(owner[conflict.kept_owner]),
                kept_status=label(RESPONSE_STATUSES, conflict.kept_status, lang),
                erased=plain(owner[other]),
                erased_status=label(RESPONSE_STATUSES, conflict.erased_status, lang),
            ),
            icon=":material/warning:",
        )
    if st.button(tr("org.merge_confirm"), key="org_merge_confirm", type="primary"):
        st.session_state.pop(_PREVIEW, None)
        organisation_merge.merge(store, viewer, keep, drop, expected=shown.token)
        st.session_state[_FLASH] = tr("org.merged")
        st.rerun()
