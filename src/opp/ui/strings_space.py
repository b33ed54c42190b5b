"""Interface texts of the contributor space (Mes données, Ma fiche)."""

from __future__ import annotations

SPACE_STRINGS: dict[str, dict[str, str]] = {
    "nav.mydata": {"fr": "Mes données", "en": "My data"},
    "nav.fiche": {"fr": "Ma fiche", "en": "My sheet"},
    "mydata.title": {"fr": "Mes données", "en": "My data"},
    "mydata.intro": {
        "fr": "Tout ce que l'observation détient sur votre structure : vos réponses, l'usage "
        "que vous en autorisez, vos demandes de correction. Vous pouvez tout exporter ou "
        "tout effacer.",
        "en": "Everything the observation holds about your organisation: your answers, the "
        "use you allow, your correction requests. You can export or erase all of it.",
    },
    "mydata.only_contributors": {
        "fr": "Cet espace est celui des structures contributrices.",
        "en": "This space belongs to contributing organisations.",
    },
    "mydata.responses": {"fr": "Mes réponses", "en": "My responses"},
    "mydata.none": {"fr": "Aucune réponse pour l'instant.", "en": "No response yet."},
    "mydata.status": {"fr": "Statut", "en": "Status"},
    "mydata.updated": {"fr": "Dernière modification", "en": "Last change"},
    "mydata.edit": {"fr": "Modifier ces réponses", "en": "Edit these answers"},
    "mydata.window": {
        "fr": "Correction acceptée : vous pouvez modifier jusqu'au {date}.",
        "en": "Correction accepted: you can edit until {date}.",
    },
    "mydata.consent": {"fr": "Utilisation de ces réponses", "en": "Use of these answers"},
    "mydata.consent_save": {"fr": "Enregistrer ce choix", "en": "Save this choice"},
    "mydata.consent_saved": {"fr": "Choix enregistré.", "en": "Choice saved."},
    "mydata.consent_history": {"fr": "Historique des choix", "en": "History of choices"},
    "mydata.correction": {"fr": "Demander une correction", "en": "Ask for a correction"},
    "mydata.correction_help": {
        "fr": "La campagne est close : décrivez ce qu'il faut corriger ; votre coordination "
        "accepte (vous pourrez alors modifier pendant 14 jours) ou refuse, avec un motif.",
        "en": "The campaign is closed: describe what needs correcting; your coordinator "
        "accepts (you can then edit for 14 days) or declines, with a reason.",
    },
    "mydata.correction_send": {"fr": "Envoyer la demande", "en": "Send the request"},
    "mydata.correction_sent": {"fr": "Demande envoyée.", "en": "Request sent."},
    "mydata.corrections": {"fr": "Demandes de correction", "en": "Correction requests"},
    "mydata.erase_response": {"fr": "Effacer cette réponse", "en": "Erase this response"},
    "mydata.erase_help": {
        "fr": "Définitif : les réponses quittent la base et tous les chiffres calculés "
        "ensuite. Recopiez EFFACER pour confirmer.",
        "en": "Final: the answers leave the database and every figure computed afterwards. "
        "Type ERASE to confirm.",
    },
    "mydata.confirm": {"fr": "Confirmation", "en": "Confirmation"},
    "mydata.erased": {"fr": "Réponse effacée.", "en": "Response erased."},
    "mydata.export": {"fr": "Exporter toutes mes données", "en": "Export all my data"},
    "mydata.export_help": {
        "fr": "Compte, structure, chaque réponse avec le libellé des questions, historique du "
        "consentement, demandes de correction et journal des actions vous concernant.",
        "en": "Account, organisation, every response with question labels, consent history, "
        "correction requests and the log of actions about you.",
    },
    "mydata.json": {"fr": "Tout (JSON)", "en": "Everything (JSON)"},
    "mydata.xlsx": {"fr": "Tout (Excel, une feuille par table)", "en": "Everything (Excel)"},
    "mydata.csv": {"fr": "Réponses (CSV)", "en": "Answers (CSV)"},
    "mydata.erase_all": {
        "fr": "Effacer ma structure et mon compte",
        "en": "Erase my organisation and my account",
    },
    "mydata.erase_all_help": {
        "fr": "Définitif : toutes les réponses de la structure, ses invitations et ses comptes "
        "sont effacés ; vous serez déconnecté·e. Recopiez EFFACER pour confirmer.",
        "en": "Final: every response of the organisation, its invitations and accounts are "
        "erased; you will be signed out. Type ERASE to confirm.",
    },
    "fiche.title": {"fr": "Ma fiche", "en": "My sheet"},
    "fiche.intro": {
        "fr": "Vos chiffres (tels que vous les avez saisis) à côté de la médiane et des "
        "quartiles des structures de votre filière, du même type et de la même taille, "
        "tirés de la dernière publication des chiffres (au moins 5 structures, valeurs "
        "légèrement perturbées : secret statistique), et leur évolution d'une campagne à "
        "l'autre.",
        "en": "Your figures (as you entered them) beside the median and quartiles of the "
        "organisations of your branch, of the same type and size, from the latest release "
        "of the figures (at least 5 organisations, slightly perturbed values: statistical "
        "confidentiality), and how they change from one campaign to the next.",
    },
    "fiche.campaign": {"fr": "Campagne", "en": "Campaign"},
    "fiche.none": {
        "fr": "Votre fiche apparaîtra quand une de vos réponses aura été envoyée.",
        "en": "Your sheet will appear once one of your responses has been submitted.",
    },
    "fiche.html": {"fr": "Télécharger (HTML, hors ligne)", "en": "Download (HTML, offline)"},
    "fiche.pdf": {"fr": "Télécharger (PDF)", "en": "Download (PDF)"},
    "fiche.you": {"fr": "Vous", "en": "You"},
    "admin.corrections": {"fr": "Corrections", "en": "Corrections"},
    "admin.accept": {"fr": "Accepter", "en": "Accept"},
    "admin.decline": {"fr": "Refuser", "en": "Decline"},
    "admin.reason": {
        "fr": "Motif (transmis à la structure)",
        "en": "Reason (sent to the organisation)",
    },
    "admin.no_corrections": {"fr": "Aucune demande en attente.", "en": "No pending request."},
    "admin.opendata": {"fr": "Données ouvertes", "en": "Open data"},
    "admin.opendata_help": {
        "fr": "Tout vient de la dernière publication, par la même couche de secret "
        "statistique que les tableaux de bord.",
        "en": "Everything comes from the latest release, through the same statistical "
        "confidentiality layer as the dashboards.",
    },
    "opendata.aggregates": {"fr": "Agrégats (par défaut)", "en": "Aggregates (default)"},
    "opendata.aggregates_help": {
        "fr": "Chaque indicateur, pour l'ensemble et par ventilation : exactement les cases "
        "publiées (valeurs perturbées, cases masquées avec leur motif).",
        "en": "Every indicator, overall and by breakdown: exactly the published cells "
        "(perturbed values, hidden cells with their reason).",
    },
    "opendata.records": {
        "fr": "Données par structure (consentement « ouvert »)",
        "en": "Record-level data ('open' consent)",
    },
    "opendata.records_help": {
        "fr": "Seulement les réponses des structures qui ont choisi « ouvert » : sans nom, "
        "commune ni question personnelle ou de rémunération ; filière, département, type, "
        "taille et année de création regroupés jusqu'à ce qu'au moins 5 structures se "
        "ressemblent, les autres retenues.",
        "en": "Only responses of organisations that chose 'open': no name, municipality, "
        "personal or pay question; branch, département, type, size and year founded "
        "grouped until at least 5 organisations look alike, the others withheld.",
    },
    "opendata.prepare": {"fr": "Préparer", "en": "Prepare"},
    "opendata.package": {
        "fr": "Paquet de données d'une campagne (Frictionless)",
        "en": "A campaign's data package (Frictionless)",
    },
    "opendata.package_help": {
        "fr": "Pour un portail de données ouvertes : datapackage.json (titre, description, "
        "licence Licence Ouverte / Etalab 2.0, sources, contributeurs) et un CSV par "
        "indicateur et ventilation, avec codes INSEE, libellés français et anglais et le "
        "motif de chaque cellule masquée. Mêmes chiffres que les tableaux de bord (dernière "
        "publication, secret statistique). En ligne de commande : python -m opp publish "
        "--campaign ID --to DOSSIER.",
        "en": "For an open-data portal: datapackage.json (title, description, licence "
        "Licence Ouverte / Etalab 2.0, sources, contributors) and one CSV per indicator and "
        "breakdown, with INSEE codes, French and English labels and the reason of every "
        "hidden cell. Same figures as the dashboards (latest release, statistical "
        "confidentiality). Command line: python -m opp publish --campaign ID --to FOLDER.",
    },
    "opendata.package_none": {
        "fr": "Aucune campagne n'a encore de chiffres publiés.",
        "en": "No campaign has published figures yet.",
    },
    "opendata.package_campaign": {"fr": "Campagne", "en": "Campaign"},
    "nav.keyfigures": {"fr": "Chiffres clés", "en": "Key figures"},
    "nav.section.opendata": {"fr": "Données ouvertes", "en": "Open data"},
    "nav.codebook": {"fr": "Dictionnaire des variables", "en": "Codebook"},
    "codebook.title": {"fr": "Dictionnaire des variables", "en": "Codebook"},
    "codebook.help": {
        "fr": "Chaque variable d'une version de questionnaire : libellé, type, unité, choix "
        "et leurs codes, versions et années où elle a été posée, et si elle est personnelle. "
        "En tableur (XLSX) ou en Table Schema Frictionless (JSON) pour relire les données "
        "ouvertes.",
        "en": "Every variable of a questionnaire version: label, type, unit, choices and "
        "their codes, versions and years it was asked, and whether it is personal. As a "
        "spreadsheet (XLSX) or a Frictionless Table Schema (JSON) to read the open data.",
    },
    "codebook.none": {
        "fr": "Aucun questionnaire publié.",
        "en": "No published questionnaire.",
    },
    "codebook.version": {"fr": "Questionnaire et version", "en": "Questionnaire and version"},
    "codebook.latest": {"fr": "la plus récente", "en": "latest"},
    "codebook.schema": {"fr": "Table Schema (JSON)", "en": "Table Schema (JSON)"},
    "keyfig.title": {"fr": "Chiffres clés", "en": "Key figures"},
    "keyfig.help": {
        "fr": "Les chiffres publiés en données ouvertes par Occitanie en scène : agrégés, "
        "légèrement perturbés, toute cellule de moins de 3 contributeurs masquée (secret "
        "statistique). Réutilisables librement (Licence Ouverte / Etalab 2.0).",
        "en": "The figures Occitanie en scène publishes as open data: aggregated, slightly "
        "perturbed, every cell of fewer than 3 contributors hidden (statistical "
        "confidentiality). Free to reuse (Licence Ouverte / Etalab 2.0).",
    },
    "keyfig.none": {
        "fr": "Aucun paquet de données ouvertes n'a encore été publié.",
        "en": "No open-data package has been published yet.",
    },
    "keyfig.source": {
        "fr": "Publié le {date}, publication n° {release} de l'observation — {licence}.",
        "en": "Published on {date}, release {release} of the observation — {licence}.",
    },
    "keyfig.secret": {"fr": "secret statistique", "en": "confidential"},
    "keyfig.charts": {"fr": "Détail", "en": "Detail"},
    "keyfig.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "keyfig.by": {"fr": "Par", "en": "By"},
    "keyfig.by.departement": {"fr": "département", "en": "département"},
    "keyfig.by.structure_type": {"fr": "type de structure", "en": "structure type"},
    "keyfig.by.size_class": {"fr": "taille", "en": "size"},
    "keyfig.value": {"fr": "Valeur", "en": "Value"},
    "keyfig.download": {
        "fr": "Télécharger le paquet de données (zip)",
        "en": "Download the data package (zip)",
    },
    "opendata.package_publish": {
        "fr": "Publier sur la page « Chiffres clés »",
        "en": "Publish on the 'Key figures' page",
    },
    "opendata.package_published": {
        "fr": "Publié : la page publique « Chiffres clés » montre désormais ce paquet.",
        "en": "Published: the public 'Key figures' page now shows this package.",
    },
    "opendata.package_ready": {
        "fr": "Paquet prêt : {n} fichiers CSV et datapackage.json.",
        "en": "Package ready: {n} CSV files and datapackage.json.",
    },
    "opendata.package_download": {
        "fr": "Télécharger le paquet (zip)",
        "en": "Download the package (zip)",
    },
    "opendata.report": {
        "fr": "{published} structure(s) publiée(s) sur {candidates} « ouvertes » ; "
        "{withheld} retenue(s) (moins de 5 semblables) ; questions jamais publiées par "
        "structure : {dropped}.",
        "en": "{published} organisation(s) published out of {candidates} 'open' ones; "
        "{withheld} withheld (fewer than 5 alike); questions never published per "
        "organisation: {dropped}.",
    },
}
