"""Which pages the menu offers to whom. A convenience only: every page and every call
into `opp` checks access again, so a page reached by its address shows nothing more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from opp.access.policy import Action, Resource, may, roles_allowed
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
        roles_allowed(Action.ANSWER),
    ),
    PageSpec(
        "pages/ma_fiche.py",
        "nav.fiche",
        ":material/insights:",
        "nav.section.contribute",
        roles_allowed(Action.READ_FICHE),
    ),
    PageSpec(
        "pages/mes_donnees.py",
        "nav.mydata",
        ":material/folder_shared:",
        "nav.section.contribute",
        roles_allowed(Action.EXPORT_OWN_DATA),
    ),
    PageSpec(
        "pages/ma_structure.py",
        "nav.organisation",
        ":material/group:",
        "nav.section.contribute",
        roles_allowed(Action.LIST_MEMBERS),
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
        roles_allowed(Action.MANAGE_CAMPAIGNS),
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
    if spec.filiere is None:
        return True
    return may(viewer, Action.READ_AGGREGATES, Resource(filieres=(spec.filiere,)))


def home(viewer: Viewer | None) -> PageSpec:
    """Where a person lands after signing in: a contributor on Répondre (their campaign),
    a coordinator on their filière's page, the agency on Administration, anyone else on
    Accueil."""
    shown = [spec for spec in PAGES if visible(spec, viewer)]
    role = viewer.role if viewer else None
    for spec in shown:
        if role == Role.COORDINATEUR and spec.filiere:
            return spec
        if role is not None and spec.url_path == LANDING.get(role):
            return spec
    return PAGES[0]


LANDING = {Role.CONTRIBUTEUR: "repondre", Role.ADMIN: "administration"}
_LANDING_KEY = "_opp_land"


def request_landing() -> None:
    """After a sign-in: the next run opens the person's home page (`land`)."""
    st.session_state[_LANDING_KEY] = True


def landing_path(viewer: Viewer | None) -> str | None:
    """The home page's address when a sign-in asked to land there (`request_landing`):
    the cookie route then sends the browser straight to it."""
    if st.session_state.pop(_LANDING_KEY, False) and viewer is not None:
        spec = home(viewer)
        return "" if spec.default else spec.url_path  # the default page lives at "/"
    return None


def land(viewer: Viewer | None) -> None:
    """Open the signed-in person's home page once after `request_landing` (the menu of
    this run already holds their pages)."""
    if st.session_state.pop(_LANDING_KEY, False) and viewer is not None:
        st.switch_page(home(viewer).path)


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
    """The pages of this viewer by menu section, in menu order. Pages the viewer may not
    open keep their address as a hidden page (`_gate`), drawn in no menu."""
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


MENU_KEY = "opp-menu"


def draw_menu(sections: dict[str, list[st.Page]]) -> None:
    """The sidebar menu: every page the viewer has, under its section's name, all visible.

    Drawn with `st.page_link` rather than Streamlit's own menu, whose sections put
    headers and wrappers directly inside its list (invalid list markup for screen readers,
    axe rules `list`/`listitem`) and which folds anything past ten pages behind an
    English "View N more" button.
    """
    from opp.ui.page_script import language_marker

    with st.sidebar.container(key=MENU_KEY), language_marker():
        for title, pages in sections.items():
            st.markdown(f"**{title}**")
            for page in pages:
                if page.visibility == "visible":
                    st.page_link(page)
