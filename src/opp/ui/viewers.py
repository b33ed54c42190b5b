"""Demo profile selector (until accounts exist): pick a role and a scope."""

from __future__ import annotations

import streamlit as st

from opp import clock
from opp.access.viewer import ROLE_LABELS, Role, Viewer
from opp.referentiel import FILIERES, label
from opp.store import stats
from opp.ui.state import get_store, lang, tr


@st.cache_data(show_spinner=False, ttl=600)
def _profiles(path: str, generation: int, today: str) -> list[dict]:
    return stats.demo_profiles(get_store(), None, today)


def demo_viewers() -> dict[str, tuple[str, Viewer]]:
    """Stable key → (label in the session's language, viewer)."""
    store = get_store()
    language = lang()
    out: dict[str, tuple[str, Viewer]] = {}
    kinds = {
        "carry_forward": {"fr": "à reprendre de l'an dernier", "en": "to carry forward"},
        "draft": {"fr": "brouillon en cours", "en": "draft in progress"},
    }
    contributor = ROLE_LABELS[Role.CONTRIBUTEUR][language]
    profiles = _profiles(store.path, store.generation, clock.today().isoformat())
    # Structures first (the common case), individual artists after them.
    for p in sorted(profiles, key=lambda p: p["structure_type"] == "artiste"):
        kind = kinds[p["kind"]][language]
        text = f"{contributor} — {p['name']} ({label(FILIERES, p['filiere'], language)}, {kind})"
        out[f"org:{p['id']}"] = (
            text,
            Viewer(
                role=Role.CONTRIBUTEUR,
                organisation_id=p["id"],
                filiere=p["filiere"],
                name=p["name"],
                account_id=f"demo-{p['id'][:8]}",
            ),
        )
    for code in FILIERES:
        text = f"{ROLE_LABELS[Role.COORDINATEUR][language]} — {label(FILIERES, code, language)}"
        out[f"coord:{code}"] = (
            text,
            Viewer(role=Role.COORDINATEUR, filiere=code, account_id=f"demo-coord-{code}"),
        )
    out["coreps"] = (
        ROLE_LABELS[Role.COREPS][language],
        Viewer(role=Role.COREPS, account_id="demo-coreps"),
    )
    out["admin"] = (
        ROLE_LABELS[Role.ADMIN][language],
        Viewer(role=Role.ADMIN, account_id="demo-admin"),
    )
    return out


def viewer_selector() -> Viewer:
    """Sidebar selector; the chosen viewer is kept in the session."""
    options = demo_viewers()
    keys = list(options)
    if st.session_state.get("viewer_key") not in options:
        st.session_state["viewer_key"] = keys[0]
    key = st.sidebar.selectbox(
        tr("viewer.label"),
        keys,
        format_func=lambda k: options[k][0] if k in options else k,
        help=tr("viewer.help"),
        key="viewer_key",
    )
    chosen = options[key][1]
    st.session_state["viewer"] = chosen
    return chosen
