"""Interface texts of the Administration page's directory (import, structures, merge) and
of the campaign life cycle; merged into `STRINGS`."""

from __future__ import annotations

ADMIN_STRINGS: dict[str, dict[str, str]] = {
    # Placeholder of the lists to choose from (Streamlit's own is English: "Choose options").
    "admin.choose": {"fr": "Choisissez…", "en": "Choose…"},
    "releases.none_open": {"fr": "Aucune campagne ouverte", "en": "No open campaign"},
    # --- campaign states and life cycle --------------------------------------------------
    "admin.state.open": {"fr": "ouverte", "en": "open"},
    "admin.state.closed": {"fr": "close", "en": "closed"},
    "admin.state.upcoming": {"fr": "à venir", "en": "upcoming"},
    "camp.manage": {"fr": "Gérer une campagne", "en": "Manage a campaign"},
    "camp.choose": {"fr": "Campagne à gérer", "en": "Campaign to manage"},
    "camp.closing_date": {
        "fr": "Clôture programmée (dernier jour pour répondre)",
        "en": "Scheduled closing (last day to answer)",
    },
    "camp.closing_help": {
        "fr": "La campagne se ferme d'elle-même le lendemain de cette date.",
        "en": "The campaign closes by itself the day after this date.",
    },
    "camp.schedule": {"fr": "Enregistrer la date de clôture", "en": "Save the closing date"},
    "camp.scheduled": {
        "fr": "La campagne se fermera après le {date}.",
        "en": "The campaign will close after {date}.",
    },
    "camp.close_ask": {"fr": "Clore maintenant…", "en": "Close now…"},
    "camp.close_confirm_text": {
        "fr": "Clore « {title} » maintenant ? {drafts} brouillon(s) jamais envoyé(s) "
        "seront figés : personne ne pourra plus les compléter ni les envoyer. Les réponses "
        "envoyées deviennent non modifiables (une correction passe alors par une demande).",
        "en": "Close '{title}' now? {drafts} draft(s) never submitted will be frozen: nobody "
        "will be able to complete or submit them. Submitted answers become read-only "
        "(corrections then go through a request).",
    },
    "camp.close_confirm": {"fr": "Confirmer la clôture", "en": "Confirm closing"},
    "camp.cancel": {"fr": "Annuler", "en": "Cancel"},
    "camp.closed_done": {
        "fr": "Campagne close ; {drafts} brouillon(s) figé(s).",
        "en": "Campaign closed; {drafts} draft(s) frozen.",
    },
    "camp.closed_since": {
        "fr": "Campagne close depuis le {date}.",
        "en": "Campaign closed since {date}.",
    },
    "camp.reopen_until": {"fr": "Rouvrir jusqu'au", "en": "Reopen until"},
    "camp.reopen": {"fr": "Rouvrir la campagne", "en": "Reopen the campaign"},
    "camp.reopened": {
        "fr": "Campagne rouverte jusqu'au {date}.",
        "en": "Campaign reopened until {date}.",
    },
    "camp.reopen_agency_only": {
        "fr": "Seule l'agence peut rouvrir une campagne close.",
        "en": "Only the agency can reopen a closed campaign.",
    },
    "camp.version": {"fr": "Version du questionnaire", "en": "Questionnaire version"},
    "camp.latest": {
        "fr": "{version} — dernière version publiée ({date})",
        "en": "{version} — latest published version ({date})",
    },
    "camp.older": {
        "fr": "{version} — version antérieure ({date})",
        "en": "{version} — earlier version ({date})",
    },
    "camp.none": {
        "fr": "Aucun questionnaire publié pour votre filière.",
        "en": "No questionnaire published for your branch.",
    },
    # --- directory import ----------------------------------------------------------------
    "admin.directory": {"fr": "Annuaire", "en": "Directory"},
    "dir.import": {"fr": "Importer un annuaire", "en": "Import a directory"},
    "dir.import_help": {
        "fr": "Un fichier CSV (séparateur « ; » ou « , ») ou XLSX, une ligne par structure, "
        "avec une ligne d'en-tête : **nom**, **siret** (facultatif, vérifié), "
        "**code_commune** (code INSEE ou nom de commune), **filiere** (une ou plusieurs, "
        "séparées par « ; »), **type_structure**, **email**, **labels**. Les intitulés "
        "courants sont reconnus (« Nom de la structure », « Code INSEE »…). Une structure "
        "est reconnue par son SIRET, ou sans SIRET par son nom et sa commune. Rien n'est "
        "importé tant que le fichier contient une erreur.",
        "en": "A CSV (';' or ',' separated) or XLSX file, one row per organisation, with a "
        "header row: **nom**, **siret** (optional, checked), **code_commune** (INSEE code "
        "or commune name), **filiere** (one or several, separated by ';'), "
        "**type_structure**, **email**, **labels**. Usual headers are recognised ('Nom de "
        "la structure', 'Code INSEE'…). An organisation is recognised by its SIRET, or "
        "without SIRET by its name and commune. Nothing is imported while the file has an "
        "error.",
    },
    "dir.template": {"fr": "Modèle CSV", "en": "CSV template"},
    "dir.file": {"fr": "Fichier de l'annuaire", "en": "Directory file"},
    "dir.check": {"fr": "Vérifier le fichier", "en": "Check the file"},
    "dir.checking": {"fr": "Vérification du fichier…", "en": "Checking the file…"},
    "dir.importing": {"fr": "Import en cours…", "en": "Importing…"},
    "dir.summary": {
        "fr": "{file} : {rows} ligne(s) lue(s) ({kind}).",
        "en": "{file}: {rows} row(s) read ({kind}).",
    },
    "dir.to_create": {"fr": "À créer", "en": "To create"},
    "dir.to_update": {"fr": "À mettre à jour", "en": "To update"},
    "dir.unchanged": {"fr": "Inchangées", "en": "Unchanged"},
    "dir.errors": {"fr": "Erreurs", "en": "Errors"},
    "dir.refused": {
        "fr": "{n} erreur(s) : rien ne sera importé. Corrigez le fichier (lignes et colonnes "
        "ci-dessous), puis vérifiez-le à nouveau.",
        "en": "{n} error(s): nothing will be imported. Fix the file (rows and columns below), "
        "then check it again.",
    },
    "dir.issues": {"fr": "Problèmes", "en": "Problems"},
    "dir.plan": {"fr": "Ce que l'import fera", "en": "What the import will do"},
    "dir.col.row": {"fr": "Ligne", "en": "Row"},
    "dir.col.column": {"fr": "Colonne", "en": "Column"},
    "dir.col.level": {"fr": "Niveau", "en": "Level"},
    "dir.col.what": {"fr": "Problème", "en": "Problem"},
    "dir.col.fix": {"fr": "Comment corriger", "en": "How to fix"},
    "dir.col.action": {"fr": "Action", "en": "Action"},
    "dir.col.name": {"fr": "Structure", "en": "Organisation"},
    "dir.col.changes": {"fr": "Changements", "en": "Changes"},
    "dir.level.error": {"fr": "erreur", "en": "error"},
    "dir.level.warning": {"fr": "avertissement", "en": "warning"},
    "dir.action.create": {"fr": "création", "en": "create"},
    "dir.action.update": {"fr": "mise à jour", "en": "update"},
    "dir.action.unchanged": {"fr": "inchangée", "en": "unchanged"},
    "dir.apply": {
        "fr": "Importer : {create} création(s), {update} mise(s) à jour",
        "en": "Import: {create} to create, {update} to update",
    },
    "dir.applied": {
        "fr": "Annuaire importé : {create} structure(s) créée(s), {update} mise(s) à jour, "
        "{unchanged} inchangée(s).",
        "en": "Directory imported: {create} organisation(s) created, {update} updated, "
        "{unchanged} unchanged.",
    },
    "dir.nothing": {
        "fr": "Le fichier ne change rien à l'annuaire.",
        "en": "The file changes nothing in the directory.",
    },
    # --- organisations -------------------------------------------------------------------
    "org.list": {"fr": "Structures", "en": "Organisations"},
    "org.search": {
        "fr": "Rechercher (nom, code commune ou SIRET)",
        "en": "Search (name, commune code or SIRET)",
    },
    "org.show": {"fr": "Afficher", "en": "Show"},
    "org.show.active": {"fr": "actives", "en": "active"},
    "org.show.archived": {"fr": "archivées", "en": "archived"},
    "org.show.all": {"fr": "toutes", "en": "all"},
    "org.count": {
        "fr": "{shown} structure(s) affichée(s) sur {total} ; précisez la recherche pour les "
        "autres.",
        "en": "{shown} organisation(s) shown out of {total}; narrow the search for the others.",
    },
    "org.none": {"fr": "Aucune structure trouvée.", "en": "No organisation found."},
    "org.col.name": {"fr": "Nom", "en": "Name"},
    "org.col.siret": {"fr": "SIRET", "en": "SIRET"},
    "org.col.commune": {"fr": "Commune", "en": "Commune"},
    "org.col.filieres": {"fr": "Filières", "en": "Branches"},
    "org.col.type": {"fr": "Type", "en": "Type"},
    "org.col.email": {"fr": "Adresse", "en": "E-mail"},
    "org.col.state": {"fr": "État", "en": "State"},
    "org.state.active": {"fr": "active", "en": "active"},
    "org.state.archived": {"fr": "archivée", "en": "archived"},
    "org.selected": {"fr": "Structure à modifier", "en": "Organisation to edit"},
    "org.edit": {"fr": "Modifier la fiche", "en": "Edit the record"},
    "org.new": {"fr": "Nouvelle structure", "en": "New organisation"},
    "org.f.name": {"fr": "Nom", "en": "Name"},
    "org.f.siret": {"fr": "SIRET (14 chiffres, facultatif)", "en": "SIRET (14 digits, optional)"},
    "org.f.commune": {
        "fr": "Commune (code INSEE ou nom)",
        "en": "Commune (INSEE code or name)",
    },
    "org.f.filieres": {"fr": "Filières", "en": "Branches"},
    "org.f.type": {"fr": "Type de structure", "en": "Organisation type"},
    "org.f.email": {"fr": "Adresse électronique", "en": "E-mail address"},
    "org.f.labels": {"fr": "Labels et conventionnements", "en": "Labels and agreements"},
    "org.f.legal_form": {"fr": "Forme juridique", "en": "Legal form"},
    "org.save": {"fr": "Enregistrer", "en": "Save"},
    "org.create": {"fr": "Créer la structure", "en": "Create the organisation"},
    "org.saved": {"fr": "Fiche enregistrée.", "en": "Record saved."},
    "org.unchanged": {"fr": "Rien n'a changé.", "en": "Nothing changed."},
    "org.created": {"fr": "Structure « {name} » créée.", "en": "Organisation '{name}' created."},
    "org.usage": {
        "fr": "{responses} réponse(s) (dont {drafts} brouillon(s) de campagnes en cours), "
        "{accounts} compte(s) de personnes, {invitations} invitation(s) dont {pending} à une "
        "campagne en cours sans réponse.",
        "en": "{responses} response(s) ({drafts} draft(s) of running campaigns), {accounts} "
        "people's account(s), {invitations} invitation(s), {pending} of them to a running "
        "campaign without an answer.",
    },
    "org.archive": {"fr": "Archiver", "en": "Archive"},
    "org.archive_help": {
        "fr": "Une structure archivée quitte les listes d'invitation et les invitations sans "
        "réponse des campagnes en cours ; ses réponses passées restent dans les chiffres.",
        "en": "An archived organisation leaves the invitation lists and the unanswered "
        "invitations of running campaigns; its past answers stay in the figures.",
    },
    "org.archived": {
        "fr": "Structure archivée ({n} invitation(s) en cours retirée(s)).",
        "en": "Organisation archived ({n} running invitation(s) withdrawn).",
    },
    "org.restore": {"fr": "Rétablir", "en": "Restore"},
    "org.restored": {"fr": "Structure rétablie.", "en": "Organisation restored."},
    "org.delete": {"fr": "Supprimer (créée par erreur)", "en": "Delete (created by mistake)"},
    "org.deleted": {"fr": "Structure supprimée.", "en": "Organisation deleted."},
    "org.merge": {"fr": "Fusionner des doublons", "en": "Merge duplicates"},
    "org.merge_help": {
        "fr": "Les réponses, comptes, invitations et demandes de correction du doublon "
        "passent à la structure gardée ; le doublon est supprimé. Un aperçu détaille tout "
        "avant de confirmer.",
        "en": "The duplicate's responses, accounts, invitations and correction requests move "
        "to the kept organisation; the duplicate is deleted. A preview details everything "
        "before you confirm.",
    },
    "org.keep": {"fr": "Structure gardée", "en": "Organisation kept"},
    "org.drop": {"fr": "Doublon (supprimé après fusion)", "en": "Duplicate (deleted afterwards)"},
    "org.search_keep": {"fr": "Rechercher la structure gardée", "en": "Search the kept one"},
    "org.search_drop": {"fr": "Rechercher le doublon", "en": "Search the duplicate"},
    "org.preview": {"fr": "Aperçu de la fusion", "en": "Merge preview"},
    "org.preview_text": {
        "fr": "« {drop} » sera fusionnée dans « {keep} » : {responses} réponse(s), "
        "{accounts} compte(s), {invitations} invitation(s) et {corrections} demande(s) de "
        "correction changent de structure. Filières après fusion : {filieres}.",
        "en": "'{drop}' will be merged into '{keep}': {responses} response(s), {accounts} "
        "account(s), {invitations} invitation(s) and {corrections} correction request(s) "
        "move. Branches afterwards: {filieres}.",
    },
    "org.preview_filled": {
        "fr": "Champs vides de la structure gardée, repris du doublon : {fields}.",
        "en": "Empty fields of the kept organisation, taken from the duplicate: {fields}.",
    },
    "org.preview_conflict": {
        "fr": "Campagne « {campaign} » : les deux ont répondu. La réponse de « {kept} » "
        "({kept_status}) est gardée ; celle de « {erased} » ({erased_status}) sera effacée.",
        "en": "Campaign '{campaign}': both answered. The response of '{kept}' ({kept_status}) "
        "is kept; the one of '{erased}' ({erased_status}) will be erased.",
    },
    "org.merge_confirm": {"fr": "Confirmer la fusion", "en": "Confirm the merge"},
    "org.merged": {"fr": "Structures fusionnées.", "en": "Organisations merged."},
}
