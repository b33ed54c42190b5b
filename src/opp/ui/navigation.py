"""Which pages the menu offers to whom. A convenience only: every page and every call
into `opp` checks access again, so a page reached by its address shows nothing more."""

from __future__ import annotations

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
        "pages/explorer.py",
        "nav.explorer",
        ":material/query_stats:",
        "nav.section.observe",
        SIGNED_IN,
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
)


def visible(spec: PageSpec, viewer: Viewer | None) -> bool:
    key = viewer.role if viewer else SIGNED_OUT
    if key not in spec.roles:
        return False
    scoped = viewer is not None and viewer.role in (Role.CONTRIBUTEUR, Role.COORDINATEUR)
    return not (spec.filiere and scoped and viewer.filiere != spec.filiere)


def menu(viewer: Viewer | None) -> dict[str, list[st.Page]]:
    """st.navigation's sections for this viewer, in menu order."""
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if not visible(spec, viewer):
            continue
        page = st.Page(
            spec.path,
            title=tr(spec.title),
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.default,
        )
        sections.setdefault(tr(spec.section), []).append(page)
    return sections
