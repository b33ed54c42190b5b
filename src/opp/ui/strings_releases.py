"""Interface strings of releases (Administration › Publications)."""

from __future__ import annotations

RELEASE_STRINGS: dict[str, dict[str, str]] = {
    "releases.tab": {"fr": "Publications", "en": "Releases"},
    "releases.help": {
        "fr": (
            "Les tableaux de bord, l'explorateur, les téléchargements et Ma fiche montrent "
            "la dernière publication, jamais les réponses en cours : une réponse envoyée, "
            "corrigée ou effacée n'apparaît qu'à la publication suivante. Une publication "
            "est faite à la clôture de chaque campagne ; l'agence peut en faire une à tout "
            "moment, et y inclure des campagnes ouvertes (chiffres provisoires)."
        ),
        "en": (
            "Dashboards, the explorer, downloads and Ma fiche show the latest release, "
            "never live answers: a response submitted, corrected or erased appears at the "
            "next release only. A release is made when each campaign closes; the agency "
            "can make one at any time, and include open campaigns (provisional figures)."
        ),
    },
    "releases.none": {"fr": "Aucune publication pour l'instant.", "en": "No release yet."},
    "releases.due": {
        "fr": (
            "Une nouvelle publication est due : {closed} campagne(s) close(s) non encore "
            "publiée(s), {changed} réponse(s) de campagnes closes corrigée(s) depuis, "
            "{erased} effacement(s) dont les copies figées attendent la publication."
        ),
        "en": (
            "A new release is due: {closed} closed campaign(s) not released yet, "
            "{changed} response(s) of closed campaigns corrected since, {erased} "
            "erasure(s) whose frozen copies await the next release."
        ),
    },
    "releases.provisional_changes": {
        "fr": (
            "{count} réponse(s) envoyée(s) ou modifiée(s) depuis dans les campagnes "
            "ouvertes publiées à titre provisoire : elles n'apparaîtront qu'à la prochaine "
            "publication. Chaque publication provisoire est un regard de plus sur les mêmes "
            "structures : publiez-en avec parcimonie."
        ),
        "en": (
            "{count} response(s) submitted or changed since in the open campaigns released "
            "provisionally: they appear at the next release only. Each provisional release "
            "is one more look at the same organisations: publish them sparingly."
        ),
    },
    "releases.up_to_date": {
        "fr": "La dernière publication est à jour.",
        "en": "The latest release is up to date.",
    },
    "releases.include_open": {
        "fr": "Campagnes ouvertes à publier à titre provisoire",
        "en": "Open campaigns to release provisionally",
    },
    "releases.note": {"fr": "Note (facultative)", "en": "Note (optional)"},
    "releases.confirm": {
        "fr": "Je confirme : tous les chiffres publiés changeront pour ceux de cette publication.",
        "en": "I confirm: every published figure will change to this release's.",
    },
    "releases.publish": {"fr": "Publier", "en": "Publish"},
    "releases.published": {
        "fr": "Publication n° {number} faite : {responses} réponses.",
        "en": "Release no. {number} published: {responses} responses.",
    },
    "releases.confirm_first": {
        "fr": "Cochez la confirmation avant de publier.",
        "en": "Tick the confirmation before publishing.",
    },
    "releases.col.number": {"fr": "N°", "en": "No."},
    "releases.col.date": {"fr": "Date", "en": "Date"},
    "releases.col.reason": {"fr": "Motif", "en": "Reason"},
    "releases.col.campaigns": {"fr": "Campagnes", "en": "Campaigns"},
    "releases.col.responses": {"fr": "Réponses", "en": "Responses"},
    "releases.reason.campaign_closed": {"fr": "clôture de campagne", "en": "campaign closed"},
    "releases.reason.agency": {"fr": "publication de l'agence", "en": "agency release"},
    "releases.reason.demo": {"fr": "démonstration", "en": "demo"},
    "releases.reason.migration": {
        "fr": "mise à jour d'OPP (première publication)",
        "en": "OPP upgrade (first release)",
    },
    "releases.provisional": {"fr": "provisoire", "en": "provisional"},
}
