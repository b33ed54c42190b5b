"""Messages of running a real instance: set-up, the directory of structures, organisations
and the campaign life cycle; merged into `CATALOGUE`.

Directory issues are written as two halves, what is wrong and how to fix it, so a report
can show them in two columns; the full message (`fr`, `en`) is both halves together.
"""

from __future__ import annotations

# code: (what (fr), how to fix (fr), what (en), how to fix (en))
_TWO_PART: dict[str, tuple[str, str, str, str]] = {
    # --- reading the file ----------------------------------------------------------------
    "DIR_EMPTY_FILE": (
        "le fichier est vide.",
        "Choisissez le fichier de l'annuaire (CSV ou XLSX) avec une ligne d'en-tête.",
        "the file is empty.",
        "Choose the directory file (CSV or XLSX) with a header row.",
    ),
    "DIR_TOO_BIG": (
        "le fichier pèse {size} Mo, au-delà de la limite de {limit} Mo.",
        "Découpez-le en plusieurs fichiers, ou retirez les colonnes inutiles.",
        "the file weighs {size} MB, above the {limit} MB limit.",
        "Split it into several files, or remove unneeded columns.",
    ),
    "DIR_TOO_MANY_ROWS": (
        "le fichier compte plus de {limit} lignes de structures.",
        (
            "Découpez-le en fichiers de {limit} lignes au plus : chacun est importé en entier "
            "ou pas du tout."
        ),
        "the file holds more than {limit} rows of organisations.",
        "Split it into files of at most {limit} rows: each is imported whole or not at all.",
    ),
    "DIR_TOO_MANY_COLUMNS": (
        "le fichier compte {count} colonnes (au plus {limit}).",
        (
            "Gardez les colonnes de l'annuaire (nom, siret, code_commune, filiere, "
            "type_structure, email, labels) et retirez les autres."
        ),
        "the file has {count} columns (at most {limit}).",
        (
            "Keep the directory columns (nom, siret, code_commune, filiere, type_structure, "
            "email, labels) and remove the others."
        ),
    ),
    "DIR_CELL_TOO_LONG": (
        "la cellule compte {length} caractères (au plus {limit}).",
        "Raccourcissez-la : une cellule de l'annuaire tient sur une ligne.",
        "the cell holds {length} characters (at most {limit}).",
        "Shorten it: a directory cell fits on one line.",
    ),
    "DIR_ENCODING": (
        (
            "le fichier n'est ni en UTF-8 ni en Windows-1252 (octet illisible {byte} vers "
            "l'octet n° {offset})."
        ),
        (
            "Enregistrez-le depuis votre tableur au format « CSV UTF-8 » (Fichier → Enregistrer "
            "sous), ou en classeur .xlsx."
        ),
        "the file is neither UTF-8 nor Windows-1252 (unreadable byte {byte} near byte {offset}).",
        "Save it from your spreadsheet as 'CSV UTF-8' (File → Save as), or as an .xlsx workbook.",
    ),
    "DIR_BINARY": (
        "ce fichier n'est pas un texte CSV (il contient des octets nuls).",
        "Enregistrez l'annuaire au format CSV (séparateur « ; » ou « , ») ou XLSX.",
        "this file is not CSV text (it contains null bytes).",
        "Save the directory as CSV (';' or ',' separated) or XLSX.",
    ),
    "DIR_OLD_XLS": (
        "c'est un classeur Excel ancien format (.xls), que OPP ne lit pas.",
        "Ouvrez-le et enregistrez-le en « Classeur Excel (.xlsx) » ou en « CSV UTF-8 ».",
        "this is an old-format Excel workbook (.xls), which OPP does not read.",
        "Open it and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'.",
    ),
    "DIR_NOT_XLSX": (
        "le classeur ne peut pas être lu ({reason}).",
        "Enregistrez-le à nouveau en « Classeur Excel (.xlsx) » ou en « CSV UTF-8 ».",
        "the workbook cannot be read ({reason}).",
        "Save it again as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'.",
    ),
    "DIR_ZIP_BOMB": (
        "décompressé, ce classeur dépasserait {limit} Mo : il a été refusé sans être ouvert.",
        (
            "Gardez seulement la feuille de l'annuaire (sans images ni autres feuilles), ou "
            "enregistrez-la en CSV."
        ),
        "uncompressed, this workbook would exceed {limit} MB: it was refused without being opened.",
        "Keep only the directory sheet (no pictures or other sheets), or save it as CSV.",
    ),
    "DIR_CSV_SYNTAX": (
        "le fichier CSV est mal formé ({reason}).",
        (
            "Vérifiez les guillemets de cette ligne (un guillemet ouvert doit être refermé), "
            "ou enregistrez à nouveau le fichier depuis votre tableur."
        ),
        "the CSV file is malformed ({reason}).",
        (
            "Check the quotes on this row (an opened quote must be closed), or save the file "
            "again from your spreadsheet."
        ),
    ),
    "DIR_NO_HEADER": (
        (
            "aucune ligne d'en-tête reconnue dans les premières lignes (il faut au moins une "
            "colonne « nom »)."
        ),
        (
            "Mettez en première ligne les noms de colonnes : nom, siret, code_commune, filiere, "
            "type_structure, email, labels."
        ),
        "no header row recognised in the first rows (at least a 'nom' column is needed).",
        (
            "Put the column names on the first row: nom, siret, code_commune, filiere, "
            "type_structure, email, labels."
        ),
    ),
    "DIR_NO_ROWS": (
        "le fichier n'a pas de ligne de structure sous l'en-tête.",
        "Ajoutez une ligne par structure sous la ligne d'en-tête.",
        "the file has no organisation row below the header.",
        "Add one row per organisation below the header row.",
    ),
    "DIR_COLUMN_MISSING": (
        "la colonne « {column} » manque.",
        "Ajoutez-la ; en-têtes acceptés : {accepted}.",
        "the '{column}' column is missing.",
        "Add it; accepted headers: {accepted}.",
    ),
    "DIR_COLUMN_TWICE": (
        "deux colonnes désignent « {field} » : « {first} » et « {second} ».",
        "Gardez-en une seule.",
        "two columns mean '{field}': '{first}' and '{second}'.",
        "Keep only one.",
    ),
    "DIR_COLUMN_IGNORED": (
        "colonne « {column} » non reconnue : elle est ignorée.",
        "Renommez-la si elle doit être importée ; en-têtes acceptés : {accepted}.",
        "column '{column}' not recognised: it is ignored.",
        "Rename it if it must be imported; accepted headers: {accepted}.",
    ),
    # --- values --------------------------------------------------------------------------
    "DIR_FORMULA": (
        "la cellule contient une formule de tableur (« {value} »), qui n'est pas importée.",
        "Remplacez-la par sa valeur : copiez la colonne, puis Collage spécial → Valeurs.",
        "the cell holds a spreadsheet formula ('{value}'), which is not imported.",
        "Replace it with its value: copy the column, then Paste special → Values.",
    ),
    "DIR_FORMULA_LIKE": (
        "« {value} » commence par « {char} », qu'un tableur prendrait pour une formule.",
        "Retirez ce caractère au début du nom.",
        "'{value}' starts with '{char}', which a spreadsheet would take for a formula.",
        "Remove that character at the start of the name.",
    ),
    "DIR_CONTROL_CHAR": (
        "la valeur contient un caractère de contrôle invisible.",
        "Retapez la valeur dans la cellule.",
        "the value holds an invisible control character.",
        "Type the value again in the cell.",
    ),
    "DIR_REQUIRED": (
        "{field} manquant.",
        "Renseignez-le : {hint}.",
        "{field} missing.",
        "Fill it in: {hint}.",
    ),
    "DIR_TOO_LONG": (
        "{field} trop long ({length} caractères, au plus {limit}).",
        "Raccourcissez-le.",
        "{field} too long ({length} characters, at most {limit}).",
        "Shorten it.",
    ),
    "DIR_SIRET_FORMAT": (
        "« {value} » n'est pas un SIRET ({count} chiffres).",
        (
            "Un SIRET compte 14 chiffres (SIREN à 9 chiffres puis NIC à 5 chiffres) ; "
            "recopiez-le depuis annuaire-entreprises.data.gouv.fr, ou laissez la case vide."
        ),
        "'{value}' is not a SIRET ({count} digits).",
        (
            "A SIRET has 14 digits (9-digit SIREN then 5-digit NIC); copy it from "
            "annuaire-entreprises.data.gouv.fr, or leave the cell empty."
        ),
    ),
    "DIR_SIRET_SIREN": (
        "« {value} » est un SIREN (9 chiffres, l'entreprise), pas un SIRET (l'établissement).",
        "Ajoutez les 5 chiffres du NIC de l'établissement, ou laissez la case vide.",
        "'{value}' is a SIREN (9 digits, the company), not a SIRET (the establishment).",
        "Add the establishment's 5-digit NIC, or leave the cell empty.",
    ),
    "DIR_SIRET_KEY": (
        "la clé de contrôle du SIRET « {value} » est fausse (un chiffre mal recopié ?).",
        "Vérifiez chaque chiffre sur annuaire-entreprises.data.gouv.fr.",
        "the check digit of SIRET '{value}' is wrong (a mistyped digit?).",
        "Check each digit on annuaire-entreprises.data.gouv.fr.",
    ),
    "DIR_COMMUNE_UNKNOWN": (
        "« {value} » n'est pas une commune d'Occitanie connue de la géographie de référence.",
        (
            "Donnez le code INSEE de la commune (5 caractères, pas le code postal : Toulouse "
            "est 31555, pas 31000) ou son nom exact."
        ),
        "'{value}' is not a commune of Occitanie in the reference geography.",
        (
            "Give the commune's INSEE code (5 characters, not the postcode: Toulouse is 31555, "
            "not 31000) or its exact name."
        ),
    ),
    "DIR_COMMUNE_AMBIGUOUS": (
        "« {value} » désigne plusieurs communes : {candidates}.",
        "Indiquez le code INSEE de la bonne commune.",
        "'{value}' names several communes: {candidates}.",
        "Give the INSEE code of the right one.",
    ),
    "DIR_DEPARTEMENT_MISMATCH": (
        (
            "le département « {value} » ne correspond pas à la commune {commune} (département "
            "{expected})."
        ),
        (
            "Corrigez l'un ou l'autre ; le département se déduit de la commune, la colonne peut "
            "être retirée."
        ),
        "département '{value}' does not match commune {commune} (département {expected}).",
        (
            "Fix one or the other; the département follows from the commune, the column can be "
            "removed."
        ),
    ),
    "DIR_VALUE_UNKNOWN": (
        "valeur « {value} » inconnue pour « {field} ».",
        "Valeurs possibles (code ou libellé) : {expected}.",
        "unknown value '{value}' for '{field}'.",
        "Possible values (code or label): {expected}.",
    ),
    "DIR_FILIERE_OUTSIDE": (
        "« {value} » n'est pas votre filière ({own}).",
        "Importez seulement des structures de votre filière ; l'agence importe les autres.",
        "'{value}' is not your branch ({own}).",
        "Import only organisations of your branch; the agency imports the others.",
    ),
    "DIR_EMAIL_INVALID": (
        "adresse électronique « {value} » invalide.",
        "Une seule adresse par structure, de la forme nom@domaine.fr.",
        "invalid e-mail address '{value}'.",
        "One address per organisation, like name@domain.org.",
    ),
    "DIR_NO_KEY": (
        "ni SIRET ni commune : la structure ne peut pas être reconnue d'un import à l'autre.",
        "Ajoutez le SIRET, ou au moins le code commune.",
        (
            "neither SIRET nor commune: the organisation cannot be recognised from one import "
            "to the next."
        ),
        "Add the SIRET, or at least the commune code.",
    ),
    # --- duplicates and the store --------------------------------------------------------
    "DIR_DUPLICATE_SIRET": (
        "même SIRET que la ligne {other}.",
        "Gardez une seule ligne par établissement.",
        "same SIRET as row {other}.",
        "Keep one row per establishment.",
    ),
    "DIR_DUPLICATE_NAME": (
        "même nom et même commune que la ligne {other}.",
        "Supprimez le doublon, ou donnez le SIRET de chacun des deux établissements.",
        "same name and commune as row {other}.",
        "Remove the duplicate, or give the SIRET of each establishment.",
    ),
    "DIR_SAME_TARGET": (
        "cette ligne et la ligne {other} désignent la même structure de l'annuaire (« {name} »).",
        "Gardez une seule des deux lignes.",
        "this row and row {other} designate the same organisation of the directory ('{name}').",
        "Keep only one of the two rows.",
    ),
    "DIR_AMBIGUOUS_MATCH": (
        "{count} structures de l'annuaire portent ce nom dans cette commune.",
        (
            "Fusionnez-les d'abord (Administration → Annuaire → Fusionner des doublons), ou "
            "ajoutez le SIRET."
        ),
        "{count} organisations of the directory have this name in this commune.",
        "Merge them first (Administration → Directory → Merge duplicates), or add the SIRET.",
    ),
    "DIR_OUTSIDE_SCOPE": (
        (
            "l'annuaire tient déjà cette structure (même SIRET, ou même nom dans la même "
            "commune), dans une autre filière que la vôtre."
        ),
        "Retirez cette ligne ; l'agence peut ajouter votre filière à cette structure.",
        (
            "the directory already holds this organisation (same SIRET, or same name in the "
            "same commune), in another branch than yours."
        ),
        "Remove this row; the agency can add your branch to this organisation.",
    ),
    "DIR_HOMONYM": (
        (
            "une structure du même nom existe déjà dans cette commune avec un autre SIRET "
            "({other}) : une nouvelle structure sera créée."
        ),
        "Vérifiez qu'il s'agit bien d'un autre établissement.",
        (
            "an organisation with the same name already exists in this commune with another "
            "SIRET ({other}): a new organisation will be created."
        ),
        "Check that it really is another establishment.",
    ),
    "DIR_ARCHIVED": (
        "la structure « {name} » est archivée ; elle le reste.",
        "Rétablissez-la dans l'onglet Annuaire si elle reprend son activité.",
        "organisation '{name}' is archived; it stays archived.",
        "Restore it in the Directory tab if it is active again.",
    ),
}


def _entries() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for code, (what_fr, fix_fr, what_en, fix_en) in _TWO_PART.items():
        out[code] = {
            "fr": f"{what_fr} {fix_fr}",
            "en": f"{what_en} {fix_en}",
            "what.fr": what_fr,
            "what.en": what_en,
            "fix.fr": fix_fr,
            "fix.en": fix_en,
        }
    return out


ADMIN_ERRORS: dict[str, dict[str, str]] = _entries() | {
    # --- instance ------------------------------------------------------------------------
    "INSTANCE_DEMO": {
        "fr": (
            "« {value} » contient la région de démonstration : une instance vide se crée "
            "dans un fichier neuf. Indiquez un autre fichier (--path ou OPP_DB)."
        ),
        "en": (
            "'{value}' holds the demo region: an empty instance is created in a new file. "
            "Give another file (--path or OPP_DB)."
        ),
    },
    "INSTANCE_HOLDS_DATA": {
        "fr": (
            "« {value} » contient déjà des données ({counts}) : rien n'a été créé. Pour une "
            "instance vide, indiquez un fichier neuf (--path ou OPP_DB)."
        ),
        "en": (
            "'{value}' already holds data ({counts}): nothing was created. For an empty "
            "instance, give a new file (--path or OPP_DB)."
        ),
    },
    "INSTANCE_REAL_DATA": {
        "fr": (
            "« {value} » est une instance réelle ({counts}) : la remplacer par la "
            "démonstration effacerait ces données. Indiquez un autre fichier (--path) ; si "
            "c'est vraiment voulu, faites une sauvegarde puis ajoutez --replace-real-data."
        ),
        "en": (
            "'{value}' is a real instance ({counts}): replacing it with the demo would erase "
            "that data. Give another file (--path); if that is really intended, make a "
            "backup and add --replace-real-data."
        ),
    },
    "INSTANCE_CHOOSE": {
        "fr": (
            "précisez le type d'instance : --empty (vos propres données, sans démonstration) "
            "ou --demo (la région de démonstration, ce que fait `make run`)."
        ),
        "en": (
            "say which instance: --empty (your own data, no demo) or --demo (the demo "
            "region, what `make run` does)."
        ),
    },
    "ADMIN_EXISTS": {
        "fr": (
            "un compte administrateur existe déjà ({emails}). Pour en créer un autre, "
            "ajoutez --another ; pour retrouver un accès perdu, demandez un lien de "
            "réinitialisation à un administrateur existant."
        ),
        "en": (
            "an administrator account already exists ({emails}). To create another one, add "
            "--another; to recover lost access, ask an existing administrator for a reset "
            "link."
        ),
    },
    # --- directory -----------------------------------------------------------------------
    "DIR_REFUSED": {
        "fr": (
            "{count} erreur(s) dans « {name} » : rien n'a été importé. Première erreur — "
            "{first} Corrigez le fichier et importez-le à nouveau."
        ),
        "en": (
            "{count} error(s) in '{name}': nothing was imported. First error — {first} Fix "
            "the file and import it again."
        ),
    },
    "DIR_CHANGED": {
        "fr": (
            "l'annuaire a changé depuis la vérification du fichier (quelqu'un d'autre l'a "
            "modifié) : rien n'a été importé. Vérifiez à nouveau le fichier, puis importez."
        ),
        "en": (
            "the directory changed since the file was checked (someone else edited it): "
            "nothing was imported. Check the file again, then import."
        ),
    },
    "DIR_SIRET_TAKEN": {
        "fr": (
            "le SIRET « {value} » appartient déjà à une autre structure de l'annuaire. "
            "Vérifiez le numéro, ou fusionnez les deux structures."
        ),
        "en": (
            "SIRET '{value}' already belongs to another organisation of the directory. Check "
            "the number, or merge the two organisations."
        ),
    },
    "DIR_FIELD": {
        "fr": "{field} : {message}",
        "en": "{field}: {message}",
    },
    # --- organisations -------------------------------------------------------------------
    "ORG_HAS_RESPONSES": {
        "fr": (
            "« {name} » a {count} réponse(s) : elle ne peut pas être supprimée. Archivez-la : "
            "elle quitte les listes d'invitation et ses réponses passées restent dans les "
            "chiffres."
        ),
        "en": (
            "'{name}' has {count} response(s): it cannot be deleted. Archive it: it leaves "
            "the invitation lists and its past responses stay in the figures."
        ),
    },
    "ORG_HAS_ACCOUNTS": {
        "fr": (
            "« {name} » a {count} compte(s) de personnes : elle ne peut pas être supprimée "
            "d'ici. Archivez-la, ou effacez-la à la demande de ses membres (Mes données)."
        ),
        "en": (
            "'{name}' has {count} people's account(s): it cannot be deleted here. Archive "
            "it, or erase it at its members' request (My data)."
        ),
    },
    "ORG_ARCHIVED": {
        "fr": (
            "la structure « {name} » est archivée. Rétablissez-la d'abord (Administration → "
            "Annuaire) si elle reprend son activité."
        ),
        "en": (
            "organisation '{name}' is archived. Restore it first (Administration → "
            "Directory) if it is active again."
        ),
    },
    "ORG_ARCHIVE_SHARED": {
        "fr": (
            "« {name} » appartient aussi à d'autres filières ({others}) : seule l'agence "
            "peut l'archiver ou la supprimer."
        ),
        "en": (
            "'{name}' also belongs to other branches ({others}): only the agency can archive "
            "or delete it."
        ),
    },
    "ORG_MERGE_SAME": {
        "fr": "choisissez deux structures différentes à fusionner.",
        "en": "choose two different organisations to merge.",
    },
    "ORG_MERGE_CHANGED": {
        "fr": (
            "les deux structures ont changé depuis l'aperçu de la fusion : rien n'a été "
            "fusionné. Relisez le nouvel aperçu, puis confirmez."
        ),
        "en": (
            "the two organisations changed since the merge preview: nothing was merged. "
            "Read the new preview, then confirm."
        ),
    },
    "ORG_FILIERE_REQUIRED": {
        "fr": "choisissez au moins une filière pour la structure.",
        "en": "choose at least one branch for the organisation.",
    },
    "ORG_KEEP_FILIERE": {
        "fr": (
            "votre filière ({own}) doit rester parmi celles de la structure ; pour qu'elle "
            "en sorte, archivez-la ou demandez à l'agence."
        ),
        "en": (
            "your branch ({own}) must stay among the organisation's; to take it out, archive "
            "it or ask the agency."
        ),
    },
    # --- campaigns -----------------------------------------------------------------------
    "CAMPAIGN_QUESTIONNAIRE_FILIERE": {
        "fr": (
            "le questionnaire « {questionnaire} » est celui de la filière "
            "« {questionnaire_filiere} », pas de « {filiere} ». Choisissez un questionnaire "
            "de la filière de la campagne."
        ),
        "en": (
            "questionnaire '{questionnaire}' belongs to branch '{questionnaire_filiere}', not "
            "'{filiere}'. Choose a questionnaire of the campaign's branch."
        ),
    },
    "CAMPAIGN_DATES": {
        "fr": (
            "la clôture ({closes}) précède l'ouverture ({opens}). Choisissez une date de "
            "clôture postérieure à l'ouverture."
        ),
        "en": "closing ({closes}) is before opening ({opens}). Choose a later closing date.",
    },
    "CAMPAIGN_CLOSE_PAST": {
        "fr": (
            "la date de clôture programmée ({date}) est passée. Choisissez aujourd'hui ou une "
            "date à venir, ou clôturez maintenant."
        ),
        "en": (
            "the scheduled closing date ({date}) is in the past. Choose today or a later "
            "date, or close now."
        ),
    },
    "CAMPAIGN_ALREADY_CLOSED": {
        "fr": "la campagne « {value} » est déjà close (depuis le {closed}).",
        "en": "campaign '{value}' is already closed (since {closed}).",
    },
    "CAMPAIGN_NOT_CLOSED": {
        "fr": (
            "la campagne « {value} » n'est pas close : il n'y a rien à rouvrir. Changez "
            "plutôt sa date de clôture."
        ),
        "en": (
            "campaign '{value}' is not closed: there is nothing to reopen. Change its "
            "closing date instead."
        ),
    },
    "CAMPAIGN_DRAFTS_CHANGED": {
        "fr": (
            "le nombre de brouillons a changé depuis la demande de confirmation ({expected} "
            "annoncé(s), {found} maintenant) : rien n'a été clos. Relisez et confirmez à "
            "nouveau."
        ),
        "en": (
            "the number of drafts changed since confirmation was asked ({expected} announced, "
            "{found} now): nothing was closed. Read again and confirm."
        ),
    },
}
