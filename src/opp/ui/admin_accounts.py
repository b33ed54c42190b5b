"""Administration, "Comptes" tab: invite people of every role, send reset links by mail,
disable / enable accounts, approve members (agency) and answer account requests."""

from __future__ import annotations

import polars as pl
import streamlit as st

from opp.access.policy import Action, invitable_roles, may
from opp.access.viewer import ROLE_LABELS, Role, Viewer
from opp.errors import OppError
from opp.i18n import language_name
from opp.referentiel import FILIERES, label
from opp.services import membership, organisations, requests
from opp.services.reads import Account
from opp.services.storage import Store
from opp.ui import mail_status
from opp.ui.formats import datetime_text
from opp.ui.state import lang, tr, trn
from opp.ui.text import plain

_FLASH = "admin.accounts.flash"


def _status(status: str) -> str:
    return tr(f"account.status.{status}")


def _flash(text: str, message_ids: list[int | None] | None = None) -> None:
    st.session_state[_FLASH] = (text, message_ids or [])
    st.rerun()


def render(store: Store, viewer: Viewer) -> None:
    language = lang()
    mail_status.banner()
    if flash := st.session_state.pop(_FLASH, None):
        text, ids = flash
        st.success(text)
        mail_status.show(store, ids)
    people = membership.list_accounts(store, viewer)
    st.dataframe(
        pl.DataFrame(
            [
                {
                    tr("login.email"): a.email,
                    tr("admin.name"): a.display_name,
                    tr("account.role"): ROLE_LABELS[a.role][language],
                    tr("admin.status"): _status(a.status),
                    tr("account.filiere"): label(FILIERES, a.filiere, language),
                    tr("account.last_login"): datetime_text(a.last_login_at, language),
                }
                for a in people
            ]
        ),
        hide_index=True,
    )
    _invite_form(store, viewer)
    _manage(store, viewer, people)
    if may(viewer, Action.APPROVE_MEMBER):
        _approvals(store, viewer)
    _requests(store, viewer)


def _invite_form(store: Store, viewer: Viewer) -> None:
    language = lang()
    st.header(tr("account.invite_title"))
    roles = invitable_roles(viewer)
    role = st.selectbox(
        tr("account.role"),
        roles,
        format_func=lambda r: ROLE_LABELS[r][language],
        key="invite_role",
    )
    organisation_id = filiere = None
    if role is Role.CONTRIBUTEUR:
        searched = st.text_input(tr("admin.search_orgs"), key="account_search", max_chars=100)
        orgs, matching = organisations.search(store, viewer, searched)
        names = {o.id: f"{o.name} — {o.commune or '?'}" for o in orgs}
        if matching > len(orgs):
            st.caption(trn("admin.search_count", len(orgs), shown=len(orgs), total=matching))
        organisation_id = st.selectbox(
            tr("admin.organisation"), list(names), format_func=names.__getitem__, key="invite_org"
        )
    elif role is Role.COORDINATEUR:
        filiere = st.selectbox(
            tr("account.filiere"),
            list(FILIERES),
            format_func=lambda f: FILIERES[f][language],
            key="invite_filiere",
        )
    with st.form("invite_account", clear_on_submit=True):
        email = st.text_input(tr("login.email"), max_chars=320)
        name = st.text_input(tr("admin.name"), max_chars=120)
        mail_language = st.radio(
            tr("account.mail_language"),
            ["fr", "en"],
            format_func=language_name,
            horizontal=True,
        )
        if st.form_submit_button(tr("account.invite_send"), type="primary"):
            if role is Role.CONTRIBUTEUR and organisation_id is None:
                raise OppError("ADMIN_NO_ORGANISATION")
            made = membership.invite(
                store,
                viewer,
                email=email,
                display_name=name,
                role=role,
                organisation_id=organisation_id,
                filiere=filiere,
                language=mail_language or "fr",
            )
            if made.pending:
                _flash(trn("account.invite_pending", made.notified))
            else:
                _flash(tr("account.invite_sent", email=made.account.email), [made.message_id])


def _manage(store: Store, viewer: Viewer, people: list[Account]) -> None:
    manageable = [a for a in people if a.id != viewer.account_id and membership.manages(viewer, a)]
    if not manageable:
        return
    st.header(tr("account.manage_title"))
    by_id = {a.id: a for a in manageable}
    account_id = st.selectbox(
        tr("admin.reset_for"),
        list(by_id),
        format_func=lambda aid: f"{by_id[aid].email} ({_status(by_id[aid].status)})",
        key="manage_account",
    )
    account = by_id[account_id]
    left, right = st.columns(2)
    if account.status in ("invited", "active") and left.button(
        tr("account.send_reset" if account.status == "active" else "account.resend_invitation"),
        key="reset_button",
        icon=":material/forward_to_inbox:",
    ):
        message = membership.send_reset(store, viewer, account_id)
        _flash(tr("account.reset_sent", email=account.email), [message])
    if account.status == "disabled":
        if right.button(tr("account.enable"), key="enable_button"):
            membership.set_enabled(store, viewer, account_id, enabled=True)
            _flash(tr("account.enabled", email=account.email))
    elif account.status != "pending" and right.button(
        tr("account.disable"), key="disable_button", icon=":material/block:"
    ):
        membership.set_enabled(store, viewer, account_id, enabled=False)
        _flash(tr("account.disabled", email=account.email))


def _approvals(store: Store, viewer: Viewer) -> None:
    waiting = membership.pending_approvals(store, viewer)
    if not waiting:
        return
    st.header(tr("account.approvals_title"))
    st.caption(tr("account.approvals_help"))
    for approval in waiting:
        request, account = approval.request, approval.account
        with st.container(border=True):
            st.markdown(
                plain(
                    tr(
                        "account.approval_line",
                        person=account.display_name,
                        email=account.email,
                        org=membership.organisation_name(store, request.organisation_id),
                        by=approval.asked_by,
                        date=f"{request.requested_at:%d/%m/%Y}",
                    )
                )
            )
            left, right = st.columns(2)
            if left.button(tr("account.approve"), key=f"approve:{account.id}", type="primary"):
                membership.decide_membership(store, viewer, account.id, approve=True)
                _flash(tr("account.approved", email=account.email))
            if right.button(tr("account.decline"), key=f"decline_member:{account.id}"):
                membership.decide_membership(store, viewer, account.id, approve=False)
                _flash(tr("account.declined_member", email=account.email))


def _requests(store: Store, viewer: Viewer) -> None:
    language = lang()
    waiting = requests.pending(store, viewer)
    st.header(tr("request.admin_title"))
    opened = [f for f in requests.open_filieres(store) if requests.may_decide(viewer, f)]
    for filiere in opened:
        st.caption(tr("request.link", network=FILIERES[filiere][language]))
        st.code(f"{_base_url()}/demande_compte?reseau={filiere}", language=None)
    if not waiting:
        st.caption(tr("request.none"))
    for request in waiting:
        with st.container(border=True):
            st.markdown(
                plain(
                    tr(
                        "request.line",
                        name=request.display_name,
                        email=request.email,
                        network=FILIERES[request.filiere][language],
                        date=f"{request.created_at:%d/%m/%Y}",
                    )
                )
            )
            if request.message:
                st.caption(plain(request.message))
            reason = st.text_input(
                tr("admin.reason"), key=f"req_reason:{request.id}", max_chars=1000
            )
            left, right = st.columns(2)
            if left.button(tr("request.accept"), key=f"req_accept:{request.id}", type="primary"):
                requests.accept(store, viewer, request.id)
                _flash(tr("request.accepted", email=request.email))
            if right.button(tr("request.decline"), key=f"req_decline:{request.id}"):
                requests.decline(store, viewer, request.id, reason)
                _flash(tr("request.declined", email=request.email))


def _base_url() -> str:
    from opp import settings

    return settings.base_url()
