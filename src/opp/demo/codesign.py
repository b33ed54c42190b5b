"""A few co-design discussions in the demo, so the Co-construction page shows every
state: open proposals with votes and comments, one accepted into the draft, one declined.
Made through the co-design service with the demo accounts (as a real network would)."""

from __future__ import annotations

from typing import Any

from opp.access.viewer import Role, Viewer
from opp.questionnaire import edits
from opp.services import auth, codesign
from opp.store import accounts
from opp.store.db import Store

KM = {
    "kind": "add",
    "section": "cir_chapiteau_itinerance",
    "after": "cir_semaines_itinerance",
    "question": {
        "id": "cir_kilometres_tournee",
        "type": "integer",
        "label": {
            "fr": "Kilomètres parcourus par le convoi sur l'année de référence",
            "en": "Kilometres travelled by the convoy during the reference year",
        },
        "help": {
            "fr": "Total des trajets entre lieux de représentation, convoi complet "
            "(camions, caravanes), hors trajets personnels.",
            "en": "Total of trips between performance places, whole convoy (lorries, "
            "caravans), personal trips excluded.",
        },
        "unit": {"fr": "km", "en": "km"},
        "min": 0,
        "max": 500000,
    },
}
AUDIENCE_HELP = {
    "kind": "reword",
    "question_id": "adr_public_estime",
    "help": {
        "fr": "Total sur l'année de référence : comptage, estimation de la compagnie ou "
        "chiffre de l'organisateur. En cas de doute, donnez l'estimation basse.",
        "en": "Total over the reference year: a count, the company's estimate or the "
        "presenter's figure. When in doubt, give the low estimate.",
    },
}
RETIRE_FORMS = {"kind": "retire", "question_id": "adr_formes"}
WORKSHOPS = {
    "kind": "add",
    "section": "mar_fabrication",
    "question": {
        "id": "mar_ateliers_fabrication",
        "type": "yes_no",
        "label": {
            "fr": "Menez-vous des ateliers de fabrication avec des publics ?",
            "en": "Do you run puppet-making workshops with the public?",
        },
    },
}


def _viewers(store: Store) -> dict[str, Viewer]:
    out: dict[str, Viewer] = {}
    for account in accounts.all_accounts(store):
        if not account.demo:
            continue
        viewer = auth.viewer_of(account)
        if viewer.role is Role.COORDINATEUR:
            out[f"coord:{viewer.filiere}"] = viewer
        elif viewer.role is Role.CONTRIBUTEUR:
            kind = "draft" if account.email.split("@")[0].endswith("-draft") else "carry"
            questionnaire = account.email.split("@")[0].rsplit("-", 1 if kind == "draft" else 2)
            out[f"{kind}:{questionnaire[0]}"] = viewer
    return out


def seed_codesign(store: Store) -> int:
    """Create the demo discussions; returns how many proposals were filed."""
    who = _viewers(store)
    filed = 0

    def propose(key: str, questionnaire: str, edit: dict[str, Any], why: str) -> Any:
        nonlocal filed
        viewer = who.get(key)
        if viewer is None:
            return None
        filed += 1
        return codesign.propose(store, viewer, questionnaire, edits.parse_edit(edit), why)

    km = propose(
        "carry:cirque",
        "cirque",
        KM,
        "L'itinérance pèse sur les budgets et les équipes : la mesurer aide à défendre "
        "les aides à la mobilité.",
    )
    if km is not None:
        for key, vote in (("carry:cirque", "pour"), ("draft:cirque", "pour")):
            if key in who:
                codesign.vote(store, who[key], km.id, vote)
        if "coord:cirque" in who:
            codesign.comment(
                store,
                who["coord:cirque"],
                km.id,
                "Bonne idée. Précisons « convoi complet » pour éviter de compter les "
                "voitures personnelles ; à voter avant la prochaine campagne.",
            )
            codesign.vote(store, who["coord:cirque"], km.id, "abstention")
    help_change = propose(
        "carry:arts-de-la-rue",
        "arts_de_la_rue",
        AUDIENCE_HELP,
        "Les chiffres de public varient beaucoup selon qui compte : une consigne commune.",
    )
    retire = propose(
        "draft:arts-de-la-rue",
        "arts_de_la_rue",
        RETIRE_FORMS,
        "Question longue à remplir, peu utilisée.",
    )
    coordinator = who.get("coord:arts_de_la_rue")
    if coordinator is not None and help_change is not None and retire is not None:
        codesign.vote(store, coordinator, help_change.id, "pour")
        codesign.decide(
            store,
            coordinator,
            help_change.id,
            accept=True,
            reason="Adoptée en réunion du réseau ; entre dans la prochaine version.",
        )
        codesign.comment(
            store,
            coordinator,
            retire.id,
            "Les formes artistiques servent au panorama de la filière publié chaque année.",
        )
        codesign.decide(
            store,
            coordinator,
            retire.id,
            accept=False,
            reason="Indispensable au panorama annuel ; nous allons plutôt raccourcir la liste.",
        )
    propose(
        "carry:marionnette",
        "marionnette",
        WORKSHOPS,
        "La transmission des savoir-faire de fabrication est une spécificité de la filière.",
    )
    return filed
