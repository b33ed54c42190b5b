"""Co-construction: proposals, votes, the draft of the next version, versions, XLSForm."""

import polars as pl
import streamlit as st

from opp import clock
from opp.access.policy import Action, filieres_in_scope
from opp.i18n import format_date
from opp.questionnaire import xlsform
from opp.questionnaire.diff import diff, next_version
from opp.questionnaire.yaml_export import file_path, to_yaml
from opp.referentiel import FILIERES, label
from opp.services import codesign, reads
from opp.ui import codesign as widgets
from opp.ui.data import catalogues
from opp.ui.formats import version_label
from opp.ui.state import get_store, guarded, lang, require_shell, require_viewer, tr
from opp.ui.text import plain

require_shell()

language = lang()
st.title(tr("cd.title"))
st.caption(tr("cd.intro"))
store = get_store()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _surveys_modules() -> dict:
    surveys, _ = catalogues()
    return {k: v.questionnaire for k, v in surveys.modules.items()}


with guarded():
    current = require_viewer()
    available = codesign.codesign_questionnaires(store, current)
    if not available:
        st.info(tr("cd.none"))
        st.stop()
    by_id = {q.id: q for q in available}
    chosen = st.selectbox(
        tr("cd.questionnaire"),
        list(by_id),
        format_func=lambda i: (
            f"{by_id[i].title.get(language)} — {label(FILIERES, by_id[i].filiere, language)} "
            f"(v{by_id[i].version})"
        ),
        key="cd_questionnaire",
    )
    latest = by_id[chosen]
    member = codesign.is_member(store, current, latest.filiere)
    decider = codesign.can_decide(current, latest.filiere)
    # Only the filière's members may propose: nobody else sees a tab they cannot use.
    names = ["proposals", "propose", "draft", "versions", "xlsform"]
    if not member:
        names.remove("propose")
        st.info(tr("cd.members_only"), icon=":material/visibility:")
    tabs = dict(zip(names, st.tabs([tr(f"cd.tab.{n}") for n in names]), strict=True))

    with tabs["proposals"]:
        statuses = ["open", "accepted", "declined", "withdrawn", "all"]
        shown = {s: codesign.STATUS_LABELS[s][language] for s in statuses[:-1]}
        shown["all"] = tr("cd.all")
        status = st.segmented_control(
            tr("cd.status_filter"), statuses, format_func=shown.get, default="open", key="cd_status"
        )
        found = codesign.discussions(
            store, current, chosen, None if status in (None, "all") else status
        )
        if not found:
            st.info(tr("cd.no_proposal"))
        draft = codesign.draft(store, current, chosen)
        for discussion in found:
            widgets.proposal_card(store, current, discussion, draft.questionnaire, language)

    if "propose" in tabs:
        with tabs["propose"]:
            draft = codesign.draft(store, current, chosen)
            widgets.proposal_form(store, current, draft.questionnaire, language)

    with tabs["draft"]:
        draft = codesign.draft(store, current, chosen)
        left, right = st.columns(2)
        with left:
            st.header(tr("cd.published", version=latest.version))
            widgets.questionnaire_column(
                latest, widgets.marks(draft.changes, "published"), language
            )
        with right:
            st.header(tr("cd.draft"))
            if draft.changes.empty:
                st.caption(tr("cd.draft_same", version=latest.version))
            widgets.questionnaire_column(
                draft.questionnaire, widgets.marks(draft.changes, "draft"), language
            )
        if not draft.changes.empty:
            st.markdown(f"**{tr('cd.changes')}**")
            for change in draft.changes.changes:
                st.markdown(f"- {plain(change.describe(language))}")
            if decider:
                upcoming = next_version(latest.version, draft.changes)
                one, two = st.columns(2)
                if one.button(tr("cd.publish", version=upcoming), type="primary", key="cd_publish"):
                    with guarded():
                        published = codesign.publish(store, current, chosen)
                        st.success(tr("cd.published_ok", version=published.version))
                if two.button(tr("cd.discard"), key="cd_discard"):
                    with guarded():
                        codesign.discard_draft(store, current, chosen)
                        st.success(tr("cd.discarded"))

    with tabs["versions"]:
        history = reads.questionnaire_history(store, chosen)
        versions = [v.version for v in history]
        if len(versions) < 2:
            st.info(tr("cd.single_version"))
        else:
            left, right = st.columns(2)
            old_v = left.selectbox(tr("cd.from"), versions, index=len(versions) - 2, key="cd_v1")
            new_v = right.selectbox(tr("cd.to"), versions, index=len(versions) - 1, key="cd_v2")
            pick = {v.version: v for v in history}
            changes = diff(pick[old_v], pick[new_v])
            if changes.empty:
                st.info(tr("cd.no_diff"))
            else:
                for change in changes.changes:
                    st.markdown(f"- {plain(change.describe(language))}")
                st.dataframe(widgets.diff_table(changes, language), hide_index=True)
                one, two = st.columns(2)
                with one:
                    st.markdown(f"**v{old_v}**")
                    widgets.questionnaire_column(
                        pick[old_v], widgets.marks(changes, "published"), language
                    )
                with two:
                    st.markdown(f"**v{new_v}**")
                    widgets.questionnaire_column(
                        pick[new_v], widgets.marks(changes, "draft"), language
                    )
        st.markdown(f"**{tr('cd.changelog')}**")
        for entry in reversed(latest.changelog):
            st.markdown(
                tr(
                    "cd.history_entry",
                    version=entry.version,
                    date=format_date(entry.date, language),
                )
            )
            for line in entry.changes:
                st.markdown(f"- {plain(line.get(language))}")

    with tabs["xlsform"]:
        st.header(tr("cd.export"))
        st.caption(tr("cd.export_help"))
        history = reads.questionnaire_history(store, chosen)
        version = st.selectbox(
            tr("cd.tab.versions"),
            [v.version for v in reversed(history)],
            key="cd_export_version",
        )
        target = next(v for v in history if v.version == version)
        one, two = st.columns(2)
        one.download_button(
            tr("cd.download_xlsx"),
            # Built on click only (the commune list makes an export take ~0.5 s).
            lambda: xlsform.export_xlsform(target),
            file_name=f"{target.id}-{target.version}.xlsx",
            mime=XLSX,
            key="cd_xlsx",
            icon=":material/download:",
            on_click="ignore",
        )
        two.download_button(
            tr("cd.download_yaml"),
            lambda: to_yaml(target, _surveys_modules(), clock.today().isoformat()),
            file_name=file_path(target).name,
            mime="application/yaml",
            key="cd_yaml",
            icon=":material/download:",
            on_click="ignore",
        )
        st.header(tr("cd.import"))
        filieres = filieres_in_scope(current, Action.IMPORT_QUESTIONNAIRE)
        if not filieres:
            st.info(tr("cd.import_denied"))
        else:
            st.caption(tr("cd.import_help"))
            filiere = st.selectbox(
                tr("cd.import_filiere"),
                filieres,
                format_func=lambda f: label(FILIERES, f, language),
                key="cd_import_filiere",
            )
            new_id = st.text_input(tr("cd.import_id"), key="cd_import_id", max_chars=63)
            upload = st.file_uploader("XLSForm", type=["xlsx"], key="cd_import_file")
            if upload is not None and st.button(tr("cd.analyse"), key="cd_analyse"):
                with guarded():
                    imported = xlsform.import_xlsform(
                        upload.getvalue(),
                        filename=upload.name,
                        filiere=filiere,
                        questionnaire_id=new_id.strip() or None,
                    )
                    st.session_state["cd_imported"] = imported
            imported = st.session_state.get("cd_imported")
            if imported is not None:
                q = imported.questionnaire
                st.markdown(f"**{tr('cd.report')}**")
                st.markdown(
                    plain(
                        tr(
                            "cd.import_summary",
                            title=q.title.get(language),
                            id=q.id,
                            version=q.version,
                            sections=len(q.sections),
                            questions=len(q.questions),
                        )
                    )
                )
                if imported.notes:
                    st.dataframe(
                        pl.DataFrame(
                            [
                                {
                                    tr("cd.report_sheet"): n.sheet,
                                    tr("cd.report_row"): n.row,
                                    tr("cd.report_field"): n.field or "",
                                    tr("cd.report_level"): n.severity,
                                    tr("cd.report_message"): n.message.get(language)
                                    or n.message["fr"],
                                }
                                for n in imported.notes
                            ]
                        ),
                        hide_index=True,
                    )
                else:
                    st.success(tr("cd.report_clean"))
                if st.button(tr("cd.import_publish"), type="primary", key="cd_import_publish"):
                    with guarded():
                        published = codesign.import_questionnaire(store, current, q)
                        st.session_state.pop("cd_imported", None)
                        name = version_label(published.title.get(language), published.version)
                        st.success(tr("cd.imported", name=name))
