"""The page every address shows when OPP cannot serve (the database is held by another
program, unreadable, or the disk failed at start): a clear message and a retry button.

It replaces the whole menu, so that a visitor never sees Streamlit's fallback (a blank
page listing the raw file names of `pages/`), whatever address they opened. What the
operator needs (path, process id) goes to the server log, with the reference shown.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from opp.errors import OppError
from opp.ui.navigation import PAGES
from opp.ui.state import lang, public_error, tr


def stop_with(err: OppError) -> NoReturn:
    """Show `err` (as a visitor may see it) at every page address, then end the run."""
    shown = public_error(err)

    def unavailable() -> None:
        st.title(tr("app.title"))
        st.error(shown.message(lang()), icon=":material/cloud_off:")
        if st.button(tr("unavailable.retry"), icon=":material/refresh:", type="primary"):
            st.rerun()

    pages = [
        st.Page(unavailable, title=tr(spec.title), url_path=spec.url_path, default=spec.default)
        for spec in PAGES
    ]
    st.navigation(pages, position="hidden").run()
    st.stop()
