"""Which pages the menu offers to whom. A convenience only: every page and every call
into `opp` checks access again, so a page reached by its address shows nothing more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from opp.access.viewer import Role, Viewer
from opp.ui.state import tr

SIGNED_OUT = "signed_out"
EVERYONE = frozenset({SIGNED_OUT, *Role})
SIGNED_IN = frozenset(Role)


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str  # key in the interface strings
    icon: str
    section: str  # key of the menu section
    roles: frozenset
    filiere: str | None = None  # filière pages: contributors and coordinators see theirs
    default: bool = False

    @property
    def url_path(self) -> str:
        return self.path.removeprefix("pages/").removesuffix(".py")


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/accueil.py",
        "nav.home",
        ":material/home:",
        "nav.section.observe",
        EVERYONE,
        default=True,
    ),
    PageSpec("pages/emploi.py", "nav.emploi", ":material/work:", "nav.section.observe", SIGNED_IN),
    PageSpec(
        "pages/egalite.py", "nav.egalite", ":material/balance:", "nav.section.observe", SIGNED_IN
    ),
    PageSpec(
        "pages/diffusion.py", "nav.diffusion", ":material/map:", "nav.section.observe", SIGNED_IN
    ),
    PageSpec(
        "pages/economie.py", "nav.economie", ":material/euro:", "nav.section.observe", SIGNED_IN
    ),
    PageSpec(
        "pages/participation.py",
        "nav.participation",
        ":material/how_to_reg:",
        "nav.section.observe",
        SIGNED_IN,
    ),
    PageSpec(
        "pages/filiere_arts_de_la_rue.py",
        "nav.filiere.arts_de_la_rue",
        ":material/festival:",
        "nav.section.filieres",
        SIGNED_IN,
        "arts_de_la_rue",
    ),
    PageSpec(
        "pages/filiere_marionnette.py",
        "nav.filiere.marionnette",
        ":material/toys:",
        "nav.section.filieres",
        SIGNED_IN,
        "marionnette",
    ),
    PageSpec(
        "pages/filiere_cirque.py",
        "nav.filiere.cirque",
        ":material/attractions:",
        "nav.section.filieres",
        SIGNED_IN,
        "cirque",
    ),
    PageSpec(
        "pages/filiere_musiques_actuelles.py",
        "nav.filiere.musiques_actuelles",
        ":material/music_note:",
        "nav.section.filieres",
        SIGNED_IN,
        "musiques_actuelles",
    ),
    PageSpec(
        "pages/repondre.py",
        "nav.answer",
        ":material/edit_note:",
        "nav.section.contribute",
        frozenset({Role.CONTRIBUTEUR}),
    ),
    PageSpec(
        "pages/ma_fiche.py",
        "nav.fiche",
        ":material/insights:",
        "nav.section.contribute",
        frozenset({Role.CONTRIBUTEUR}),
    ),
    PageSpec(
        "pages/mes_donnees.py",
        "nav.mydata",
        ":material/folder_shared:",
        "nav.section.contribute",
        frozenset({Role.CONTRIBUTEUR}),
    ),
    PageSpec(
        "pages/ma_structure.py",
        "nav.organisation",
        ":material/group:",
        "nav.section.contribute",
        frozenset({Role.CONTRIBUTEUR}),
    ),
    PageSpec(
        "pages/coconstruction.py",
        "nav.codesign",
        ":material/forum:",
        "nav.section.contribute",
        SIGNED_IN,
    ),
    PageSpec(
        "pages/administration.py",
        "nav.admin",
        ":material/admin_panel_settings:",
        "nav.section.account",
        frozenset({Role.COORDINATEUR, Role.ADMIN}),
    ),
    PageSpec(
        "pages/compte.py", "nav.account", ":material/person:", "nav.section.account", SIGNED_IN
    ),
    PageSpec(
        "pages/connexion.py", "nav.login", ":material/login:", "nav.section.account", EVERYONE
    ),
    PageSpec(
        "pages/demande_compte.py",
        "nav.request",
        ":material/person_add:",
        "nav.section.account",
        frozenset({SIGNED_OUT}),
    ),
    PageSpec(
        "pages/chiffres_cles.py",
        "nav.keyfigures",
        ":material/query_stats:",
        "nav.section.opendata",
        EVERYONE,
    ),
    PageSpec(
        "pages/dictionnaire.py",
        "nav.codebook",
        ":material/menu_book:",
        "nav.section.opendata",
        EVERYONE,
    ),
)


def visible(spec: PageSpec, viewer: Viewer | None) -> bool:
    key = viewer.role if viewer else SIGNED_OUT
    if key not in spec.roles:
        return False
    scoped = viewer is not None and viewer.role in (Role.CONTRIBUTEUR, Role.COORDINATEUR)
    return not (spec.filiere and scoped and viewer.filiere != spec.filiere)


def _gate(spec: PageSpec, viewer: Viewer | None) -> Callable[[], None]:
    """What a page's address shows to whom the menu does not offer it (a bookmark, a
    shared link, a reload after the session ended): the sign-in form, which reopens the
    page once signed in, or why the account cannot open it — never Streamlit's English
    "Page not found" dialog over the home page."""

    def gate() -> None:
        from opp.access.viewer import ROLE_LABELS
        from opp.ui import signin
        from opp.ui.state import get_store, guarded, lang

        title = tr(spec.title)
        st.title(title)
        with guarded():
            if viewer is None:
                st.info(tr("login.required_for", page=title), icon=":material/login:")
                signin.render(get_store())
            else:
                role = ROLE_LABELS[viewer.role][lang()]
                st.warning(tr("nav.not_for_you", page=title, role=role), icon=":material/block:")

    gate.__name__ = f"gate_{spec.url_path}"
    return gate


def menu(viewer: Viewer | None) -> dict[str, list[st.Page]]:
    """st.navigation's sections for this viewer, in menu order. Pages the viewer may not
    open keep their address as a hidden page (`_gate`)."""
    sections: dict[str, list[st.Page]] = {}
    hidden: list[st.Page] = []
    for spec in PAGES:
        if not visible(spec, viewer):
            hidden.append(
                st.Page(
                    _gate(spec, viewer),
                    title=tr(spec.title),
                    icon=spec.icon,
                    url_path=spec.url_path,
                    visibility="hidden",
                )
            )
            continue
        page = st.Page(
            spec.path,
            title=tr(spec.title),
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.default,
        )
        sections.setdefault(tr(spec.section), []).append(page)
    if hidden:
        # Hidden pages draw no menu entry; they only need to belong to some section.
        sections[next(iter(sections))].extend(hidden)
    return sections
