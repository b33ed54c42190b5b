"""Message templates of every error and validation code, French first then English.

Templates say what is wrong and how to fix it; the location (file, line, path) is
prefixed by `OppError.message`. Parameters are filled with `str.format_map`.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    # --- questionnaire files -------------------------------------------------------------
    "FILE_NOT_FOUND": {
        "fr": "fichier introuvable. Vérifiez le chemin « {path_given} ».",
        "en": "file not found. Check the path '{path_given}'.",
    },
    "FILE_UNREADABLE": {
        "fr": "le fichier ne peut pas être lu ({reason}). Enregistrez-le en UTF-8.",
        "en": "the file cannot be read ({reason}). Save it as UTF-8.",
    },
    "YAML_SYNTAX": {
        "fr": "syntaxe YAML invalide : {reason}. Vérifiez l'indentation et les deux-points.",
        "en": "invalid YAML syntax: {reason}. Check the indentation and colons.",
    },
    "YAML_DUPLICATE_KEY": {
        "fr": "la clé « {key} » apparaît deux fois dans le même bloc. Gardez-en une seule.",
        "en": "the key '{key}' appears twice in the same block. Keep only one.",
    },
    "YAML_NOT_MAPPING": {
        "fr": "le document doit être un dictionnaire (clés « id », « title », « sections »…).",
        "en": "the document must be a mapping (keys 'id', 'title', 'sections'…).",
    },
    "Q_FIELD_MISSING": {
        "fr": "le champ obligatoire « {field} » manque. Ajoutez-le.",
        "en": "the required field '{field}' is missing. Add it.",
    },
    "Q_FIELD_UNKNOWN": {
        "fr": "champ « {field} » inconnu ici. Champs possibles : {expected}.",
        "en": "unknown field '{field}' here. Possible fields: {expected}.",
    },
    "Q_FIELD_INVALID": {
        "fr": "valeur « {value} » invalide : {reason}.",
        "en": "invalid value '{value}': {reason}.",
    },
    "Q_TYPE_UNKNOWN": {
        "fr": "type de question « {value} » inconnu. Types possibles : {expected}.",
        "en": "unknown question type '{value}'. Possible types: {expected}.",
    },
    "Q_ID_INVALID": {
        "fr": (
            "identifiant « {value} » invalide : utilisez des minuscules sans accent, des "
            "chiffres et « _ », en commençant par une lettre (ex. « effectif_permanent »)."
        ),
        "en": (
            "invalid identifier '{value}': use lowercase letters without accents, digits "
            "and '_', starting with a letter (e.g. 'effectif_permanent')."
        ),
    },
    "Q_ID_DUPLICATE": {
        "fr": "l'identifiant « {value} » est déjà utilisé ({first}). Chaque id doit être unique.",
        "en": "the identifier '{value}' is already used ({first}). Each id must be unique.",
    },
    "Q_CHOICE_DUPLICATE": {
        "fr": "le choix « {value} » apparaît deux fois dans la liste. Retirez le doublon.",
        "en": "the choice '{value}' appears twice in the list. Remove the duplicate.",
    },
    "Q_CHOICES_MISSING": {
        "fr": "une question à choix doit avoir une liste « choices » (ou le nom d'une liste).",
        "en": "a choice question needs a 'choices' list (or the name of a list).",
    },
    "Q_CHOICE_LIST_UNKNOWN": {
        "fr": "liste de choix « {value} » inconnue. Listes définies : {expected}.",
        "en": "unknown choice list '{value}'. Defined lists: {expected}.",
    },
    "Q_LABEL_FR_MISSING": {
        "fr": "le libellé français (« fr ») manque. Chaque texte doit exister en français.",
        "en": "the French label ('fr') is missing. Every text must exist in French.",
    },
    "Q_MIN_MAX": {
        "fr": "le minimum ({min}) dépasse le maximum ({max}). Inversez-les.",
        "en": "the minimum ({min}) is above the maximum ({max}). Swap them.",
    },
    "Q_PATTERN_INVALID": {
        "fr": "expression régulière « {value} » invalide ({reason}).",
        "en": "invalid regular expression '{value}' ({reason}).",
    },
    "Q_REF_UNKNOWN": {
        "fr": (
            "l'expression « {expression} » fait référence à la question « {value} » qui "
            "n'existe pas dans ce questionnaire."
        ),
        "en": (
            "the expression '{expression}' refers to question '{value}', which does not "
            "exist in this questionnaire."
        ),
    },
    "Q_REF_SELF_OUTSIDE": {
        "fr": "« . » (la réponse elle-même) n'a de sens que dans une contrainte de question.",
        "en": "'.' (the answer itself) only makes sense in a question constraint.",
    },
    "Q_INCLUDE_UNKNOWN": {
        "fr": "module inclus « {value} » introuvable. Modules disponibles : {expected}.",
        "en": "included module '{value}' not found. Available modules: {expected}.",
    },
    "Q_VERSION_INVALID": {
        "fr": (
            "version « {value} » invalide : utilisez la forme MAJEUR.MINEUR.CORRECTIF (ex. 1.2.0)."
        ),
        "en": "invalid version '{value}': use MAJOR.MINOR.PATCH (e.g. 1.2.0).",
    },
    "Q_NOT_FOUND": {
        "fr": "questionnaire « {value} » introuvable. Questionnaires disponibles : {expected}.",
        "en": "questionnaire '{value}' not found. Available questionnaires: {expected}.",
    },
    "Q_ID_REUSED": {
        "fr": (
            "l'identifiant « {value} » a désigné une question de type {old_type} (version "
            "{version}) : un identifiant ne change jamais de sens. Gardez le type, ou créez "
            "une nouvelle question avec un autre identifiant."
        ),
        "en": (
            "identifier '{value}' meant a question of type {old_type} (version {version}): "
            "an identifier never changes meaning. Keep the type, or create a new question "
            "with another identifier."
        ),
    },
    "Q_REPEAT_NESTED": {
        "fr": "un groupe répété ne peut pas contenir un autre groupe répété.",
        "en": "a repeat group cannot contain another repeat group.",
    },
    "I_QUESTION_UNKNOWN": {
        "fr": (
            "l'indicateur « {indicator} » utilise la question « {value} », absente de tous "
            "les questionnaires."
        ),
        "en": "indicator '{indicator}' uses question '{value}', which no questionnaire has.",
    },
    "I_QUESTION_TYPE": {
        "fr": (
            "l'indicateur « {indicator} » ({kind}) attend une question numérique, mais "
            "« {value} » est de type {found}."
        ),
        "en": (
            "indicator '{indicator}' ({kind}) needs a numeric question, but '{value}' is {found}."
        ),
    },
    "I_NOT_FOUND": {
        "fr": "indicateur « {value} » inconnu. Indicateurs disponibles : {expected}.",
        "en": "unknown indicator '{value}'. Available indicators: {expected}.",
    },
    "I_BREAKDOWN": {
        "fr": "ventilation « {value} » impossible pour cet indicateur. Possibles : {expected}.",
        "en": "breakdown '{value}' is not available for this indicator. Possible: {expected}.",
    },
    "I_FILTER_VALUE": {
        "fr": (
            "valeur de filtre « {value} » inconnue pour « {field} ». Valeurs possibles : "
            "{expected}."
        ),
        "en": "unknown filter value '{value}' for '{field}'. Possible values: {expected}.",
    },
    # --- expressions ---------------------------------------------------------------------
    "EXPR_SYNTAX": {
        "fr": "expression « {expression} » invalide à la position {position} : {reason}.",
        "en": "invalid expression '{expression}' at position {position}: {reason}.",
    },
    "EXPR_TOO_COMPLEX": {
        "fr": "expression trop longue ou trop imbriquée (limite : {limit}). Simplifiez-la.",
        "en": "expression too long or too deeply nested (limit: {limit}). Simplify it.",
    },
    "EXPR_FUNCTION_UNKNOWN": {
        "fr": "fonction « {value} » inconnue. Fonctions possibles : {expected}.",
        "en": "unknown function '{value}'. Possible functions: {expected}.",
    },
    "EXPR_ARITY": {
        "fr": "la fonction « {value} » attend {expected} argument(s), {given} donné(s).",
        "en": "function '{value}' expects {expected} argument(s), {given} given.",
    },
    "EXPR_TYPE": {
        "fr": "opération « {value} » impossible sur ces valeurs ({reason}).",
        "en": "operation '{value}' is not possible on these values ({reason}).",
    },
    # --- answers (returned as field errors, not raised) --------------------------------------
    "A_REQUIRED": {
        "fr": "Réponse obligatoire.",
        "en": "An answer is required.",
    },
    "A_CHOICE_FILTERED": {
        "fr": (
            "Ce choix ne correspond plus à vos réponses précédentes (liste en cascade) : "
            "choisissez de nouveau."
        ),
        "en": (
            "This choice no longer matches your previous answers (cascading list): choose again."
        ),
    },
    "Q_CHOICE_FILTER_COLUMN": {
        "fr": (
            "le filtre de choix « {expression} » lit la colonne « {value} », absente des "
            "choix de cette question (colonnes : {expected}). Ajoutez-la à chaque choix."
        ),
        "en": (
            "choice filter '{expression}' reads column '{value}', which the choices of this "
            "question lack (columns: {expected}). Add it to every choice."
        ),
    },
    "A_NOT_INTEGER": {
        "fr": "Saisissez un nombre entier (sans virgule).",
        "en": "Enter a whole number (no decimals).",
    },
    "A_NOT_NUMBER": {
        "fr": "Saisissez un nombre (ex. 12,5).",
        "en": "Enter a number (e.g. 12.5).",
    },
    "A_BELOW_MIN": {
        "fr": "La valeur doit être au moins {min}.",
        "en": "The value must be at least {min}.",
    },
    "A_ABOVE_MAX": {
        "fr": "La valeur doit être au plus {max}.",
        "en": "The value must be at most {max}.",
    },
    "A_TOO_SHORT": {
        "fr": "Le texte doit compter au moins {min} caractères.",
        "en": "The text must be at least {min} characters long.",
    },
    "A_TOO_LONG": {
        "fr": "Le texte ne doit pas dépasser {max} caractères (actuellement {length}).",
        "en": "The text must not exceed {max} characters (currently {length}).",
    },
    "A_PATTERN": {
        "fr": "Le format attendu n'est pas respecté ({hint}).",
        "en": "The expected format is not respected ({hint}).",
    },
    "A_NOT_TEXT": {
        "fr": "Saisissez un texte.",
        "en": "Enter some text.",
    },
    "A_NOT_BOOL": {
        "fr": "Répondez par oui ou non.",
        "en": "Answer yes or no.",
    },
    "A_CHOICE_UNKNOWN": {
        "fr": "« {value} » ne fait pas partie des choix proposés.",
        "en": "'{value}' is not one of the proposed choices.",
    },
    "A_TOO_FEW_CHOICES": {
        "fr": "Cochez au moins {min} réponse(s).",
        "en": "Tick at least {min} answer(s).",
    },
    "A_TOO_MANY_CHOICES": {
        "fr": "Cochez au plus {max} réponse(s).",
        "en": "Tick at most {max} answer(s).",
    },
    "A_CHOICE_EXCLUSIVE": {
        "fr": "« {value} » ne peut pas être coché avec d'autres réponses.",
        "en": "'{value}' cannot be ticked together with other answers.",
    },
    "A_NOT_DATE": {
        "fr": "Saisissez une date valide (JJ/MM/AAAA).",
        "en": "Enter a valid date (DD/MM/YYYY).",
    },
    "A_DATE_BEFORE": {
        "fr": "La date doit être le {min} ou après.",
        "en": "The date must be on or after {min}.",
    },
    "A_DATE_AFTER": {
        "fr": "La date doit être le {max} ou avant.",
        "en": "The date must be on or before {max}.",
    },
    "A_COMMUNE_UNKNOWN": {
        "fr": "Commune inconnue : choisissez une commune d'Occitanie dans la liste.",
        "en": "Unknown municipality: choose a municipality of Occitanie from the list.",
    },
    "A_DEPARTEMENT_UNKNOWN": {
        "fr": "Département inconnu : choisissez l'un des 13 départements d'Occitanie.",
        "en": "Unknown département: choose one of the 13 départements of Occitanie.",
    },
    "A_PLACE_UNKNOWN": {
        "fr": "Lieu inconnu : choisissez une autre région française ou un pays dans la liste.",
        "en": "Unknown place: choose another French region or a country from the list.",
    },
    "A_CONSTRAINT": {
        "fr": "Cette réponse n'est pas cohérente ({expression}).",
        "en": "This answer is not consistent ({expression}).",
    },
    "A_RULE": {
        "fr": "Incohérence entre plusieurs réponses ({expression}).",
        "en": "Inconsistency between several answers ({expression}).",
    },
    "A_REPEAT_NOT_LIST": {
        "fr": "Ce groupe attend une liste d'éléments.",
        "en": "This group expects a list of items.",
    },
    "A_REPEAT_TOO_FEW": {
        "fr": "Ajoutez au moins {min} élément(s).",
        "en": "Add at least {min} item(s).",
    },
    "A_REPEAT_TOO_MANY": {
        "fr": "Pas plus de {max} élément(s) : regroupez ou retirez-en.",
        "en": "No more than {max} item(s): merge or remove some.",
    },
    "A_QUESTION_UNKNOWN": {
        "fr": "La question « {value} » n'existe pas dans ce questionnaire.",
        "en": "Question '{value}' does not exist in this questionnaire.",
    },
    "A_INVALID_SET": {
        "fr": (
            "{count} réponse(s) à corriger avant d'enregistrer ; rien n'a été enregistré. "
            "Première : {first}"
        ),
        "en": "{count} answer(s) to fix before saving; nothing was saved. First: {first}",
    },
    "A_STEPS_LEFT": {
        "fr": (
            "Envoi impossible : {n} étape(s) à terminer ({sections}). Répondez-y, ou cochez "
            "« Rien à déclarer pour cette section » si elle ne vous concerne pas, et "
            "confirmez les réponses reprises de l'an dernier ; rien n'a été envoyé."
        ),
        "en": (
            "Cannot submit: {n} step(s) to finish ({sections}). Answer them, or tick "
            "'Nothing to declare for this section' if it does not apply to you, and confirm "
            "the answers carried from last year; nothing was submitted."
        ),
    },
    # --- store ---------------------------------------------------------------------------
    "NOT_FOUND": {
        "fr": "{what} « {value} » introuvable.",
        "en": "{what} '{value}' not found.",
    },
    "CAMPAIGN_CLOSED": {
        "fr": (
            "la campagne « {value} » est fermée depuis le {closed}. Les réponses ne peuvent "
            "plus être modifiées ; demandez une correction à votre coordination."
        ),
        "en": (
            "campaign '{value}' closed on {closed}. Answers can no longer be changed; ask "
            "your coordinator for a correction."
        ),
    },
    "CAMPAIGN_NOT_OPEN": {
        "fr": "la campagne « {value} » ouvre le {opens}. Revenez à cette date.",
        "en": "campaign '{value}' opens on {opens}. Come back then.",
    },
    "CONFLICT": {
        "fr": (
            "cette réponse a été modifiée ailleurs depuis que vous l'avez ouverte "
            "(version {expected} attendue, version {found} enregistrée). Rien n'a été "
            "écrasé : rechargez la page pour voir la dernière version, puis refaites vos "
            "modifications."
        ),
        "en": (
            "this response was changed elsewhere since you opened it (version {expected} "
            "expected, version {found} stored). Nothing was overwritten: reload the page to "
            "see the latest version, then redo your changes."
        ),
    },
    "ADMIN_NO_ORGANISATION": {
        "fr": (
            "aucune structure choisie : recherchez-la par son nom au-dessus du formulaire, "
            "puis choisissez-la dans la liste."
        ),
        "en": (
            "no organisation chosen: search it by name above the form, then pick it in the list."
        ),
    },
    "WRITE_CONFLICT": {
        "fr": (
            "quelqu'un modifiait les mêmes données au même moment : rien n'a été enregistré "
            "de votre côté. Réessayez dans un instant."
        ),
        "en": (
            "someone was changing the same data at the same moment: nothing of yours was "
            "saved. Try again in a moment."
        ),
    },
    "FORBIDDEN": {
        "fr": "accès refusé : votre rôle ({role}) ne permet pas de {action}.",
        "en": "access denied: your role ({role}) does not allow you to {action}.",
    },
    "ALREADY_SUBMITTED": {
        "fr": "votre structure a déjà une réponse à cette campagne : ouvrez-la pour la modifier.",
        "en": "your organisation already has a response to this campaign: open it to edit.",
    },
    # --- accounts ------------------------------------------------------------------------
    "AUTH_FAILED": {
        "fr": "adresse électronique ou mot de passe incorrect. Vérifiez-les, ou recevez un "
        "lien par courriel avec « Mot de passe oublié ? ».",
        "en": "wrong e-mail address or password. Check them, or get a link by e-mail with "
        "'Forgot your password?'.",
    },
    "AUTH_LOCKED": {
        "fr": "trop de tentatives de connexion ont échoué. Réessayez dans {minutes} minutes "
        "ou demandez un lien de réinitialisation à votre coordination.",
        "en": "too many failed sign-in attempts. Try again in {minutes} minutes or ask your "
        "coordinator for a reset link.",
    },
    "AUTH_DISABLED": {
        "fr": "ce compte est désactivé. Contactez l'équipe d'Occitanie en scène.",
        "en": "this account is disabled. Contact the Occitanie en scène team.",
    },
    "AUTH_NOT_ACTIVATED": {
        "fr": "ce compte n'est pas encore activé : ouvrez le lien d'invitation reçu pour "
        "choisir votre mot de passe.",
        "en": "this account is not activated yet: open the invitation link you received to "
        "choose your password.",
    },
    "AUTH_DEMO_OFF": {
        "fr": "les comptes de démonstration ne fonctionnent qu'avec les données de démonstration.",
        "en": "demo accounts only work with the demo data.",
    },
    "AUTH_SSO_UNKNOWN": {
        "fr": "aucun compte OPP n'est associé à l'adresse « {value} ». Demandez une invitation "
        "à votre coordination.",
        "en": "no OPP account is linked to '{value}'. Ask your coordinator for an invitation.",
    },
    "AUTH_REQUIRED": {
        "fr": "connectez-vous pour voir ces chiffres (page « Connexion »).",
        "en": "sign in to see these figures ('Sign in' page).",
    },
    "SESSION_EXPIRED": {
        "fr": "votre session a expiré après {minutes} minutes d'inactivité : reconnectez-vous.",
        "en": "your session expired after {minutes} minutes of inactivity: sign in again.",
    },
    "ACCOUNT_EXISTS": {
        "fr": "un compte existe déjà pour « {value} ». Envoyez-lui plutôt un lien de "
        "réinitialisation.",
        "en": "an account already exists for '{value}'. Send it a reset link instead.",
    },
    "EMAIL_INVALID": {
        "fr": "adresse électronique « {value} » invalide (forme attendue : nom@domaine.fr).",
        "en": "invalid e-mail address '{value}' (expected form: name@domain.org).",
    },
    "TOKEN_INVALID": {
        "fr": "ce lien n'est pas valable ou a déjà servi. Demandez-en un nouveau avec « Mot de "
        "passe oublié ? » sur la page Connexion, ou à votre coordination.",
        "en": "this link is not valid or was already used. Ask for a new one with 'Forgot "
        "your password?' on the Sign-in page, or ask your coordinator.",
    },
    "TOKEN_EXPIRED": {
        "fr": "ce lien a expiré le {date}. Demandez-en un nouveau avec « Mot de passe oublié ? "
        "» sur la page Connexion, ou à votre coordination.",
        "en": "this link expired on {date}. Ask for a new one with 'Forgot your password?' on "
        "the Sign-in page, or ask your coordinator.",
    },
    "PASSWORD_WEAK": {
        "fr": "mot de passe trop court : au moins {min} caractères (une phrase de passe est "
        "idéale).",
        "en": "password too short: at least {min} characters (a passphrase is ideal).",
    },
    "PASSWORD_MISMATCH": {
        "fr": "les deux mots de passe ne sont pas identiques. Saisissez-les à nouveau.",
        "en": "the two passwords differ. Type them again.",
    },
    # --- contributor space ---------------------------------------------------------------
    "CORRECTION_NOT_NEEDED": {
        "fr": "la campagne est encore ouverte : modifiez directement votre réponse.",
        "en": "the campaign is still open: edit your response directly.",
    },
    "CORRECTION_MESSAGE": {
        "fr": "décrivez la correction en quelques mots (au moins 10 caractères) pour votre "
        "coordination.",
        "en": "describe the correction in a few words (at least 10 characters) for your "
        "coordinator.",
    },
    "CORRECTION_DECIDED": {
        "fr": "cette demande a déjà reçu une réponse.",
        "en": "this request has already been answered.",
    },
    "ERASE_CONFIRM": {
        "fr": "pour effacer, recopiez exactement « {expected} » dans la case de confirmation.",
        "en": "to erase, type exactly '{expected}' in the confirmation box.",
    },
    "DEMO_SCALE": {
        "fr": "facteur d'échelle « {value} » invalide : donnez un nombre entre 0,01 et 200.",
        "en": "invalid scale factor '{value}': give a number between 0.01 and 200.",
    },
    # --- XLSForm import (location: file, row, sheet!cell (column)) -------------------------
    "XLS_NOT_XLSX": {
        "fr": (
            "« {value} » n'est pas un classeur Excel lisible (.xlsx ou .xls ; {reason}). "
            "Enregistrez le formulaire au format .xlsx (Excel ou LibreOffice : « Enregistrer "
            "sous »), ou téléchargez-le depuis KoboToolbox/ODK au format XLSForm."
        ),
        "en": (
            "'{value}' is not a readable Excel workbook (.xlsx or .xls; {reason}). Save the "
            "form as .xlsx (Excel or LibreOffice: 'Save as'), or download it from "
            "KoboToolbox/ODK as an XLSForm."
        ),
    },
    "XLS_TOO_BIG": {
        "fr": (
            "classeur trop volumineux une fois décompressé ({size} Mo, dont « {path} » ; "
            "{limit} Mo au plus) : retirez les feuilles, images et mises en forme inutiles, "
            "ou découpez le formulaire."
        ),
        "en": (
            "workbook too big once uncompressed ({size} MB, including '{path}'; at most "
            "{limit} MB): remove unneeded sheets, pictures and formatting, or split the form."
        ),
    },
    "XLS_CELL_TOO_LONG": {
        "fr": (
            "cellule trop longue ({length} caractères, {limit} au plus) : raccourcissez ce "
            "texte ou placez-le dans une note séparée."
        ),
        "en": (
            "cell too long ({length} characters, at most {limit}): shorten this text or move "
            "it to a separate note."
        ),
    },
    "XLS_TOO_DEEP": {
        "fr": (
            "groupes imbriqués trop profondément ({depth} niveaux, {limit} au plus) : fermez "
            "des groupes (« end_group ») plus tôt ou mettez-les à la suite."
        ),
        "en": (
            "groups nested too deeply ({depth} levels, at most {limit}): close groups "
            "('end_group') sooner or put them one after the other."
        ),
    },
    "XLS_HEADER_DUPLICATE": {
        "fr": (
            "l'en-tête « {value} » apparaît deux fois sur la première ligne : chaque colonne "
            "doit avoir un en-tête unique. Supprimez ou renommez la colonne en double."
        ),
        "en": (
            "header '{value}' appears twice on the first row: each column needs a unique "
            "header. Delete or rename the duplicate column."
        ),
    },
    "XLS_REFUSED": {
        "fr": (
            "le convertisseur XLSForm de référence (pyxform, utilisé par KoboToolbox et ODK) "
            "refuse ce formulaire : « {reason} ». Corrigez cette ligne : ODK ne l'accepterait "
            "pas non plus."
        ),
        "en": (
            "the reference XLSForm converter (pyxform, used by KoboToolbox and ODK) refuses "
            "this form: '{reason}'. Fix this row: ODK would not accept it either."
        ),
    },
    "XLS_LIMIT": {
        "fr": "feuille trop longue : {limit} lignes au plus. Découpez le formulaire.",
        "en": "sheet too long: at most {limit} rows. Split the form.",
    },
    "XLS_SHEET_MISSING": {
        "fr": (
            "le classeur n'a pas de feuille « survey » (feuilles trouvées : {found}). Un "
            "XLSForm décrit ses questions dans une feuille nommée « survey » (et ses listes "
            "de choix dans « choices ») : renommez la feuille des questions."
        ),
        "en": (
            "the workbook has no 'survey' sheet (sheets found: {found}). An XLSForm lists "
            "its questions in a sheet named 'survey' (and its choice lists in 'choices'): "
            "rename the questions sheet."
        ),
    },
    "XLS_COLUMN_MISSING": {
        "fr": (
            "la colonne « {column} » manque : la première ligne de la feuille doit porter les "
            "en-têtes « type », « name », « label »… Ajoutez la colonne « {column} »."
        ),
        "en": (
            "column '{column}' is missing: the sheet's first row must hold the headers "
            "'type', 'name', 'label'… Add the '{column}' column."
        ),
    },
    "XLS_TYPE_UNKNOWN": {
        "fr": "type « {value} » inconnu dans la colonne « type ». Types XLSForm : {expected}.",
        "en": "unknown type '{value}' in the 'type' column. XLSForm types: {expected}.",
    },
    "XLS_TYPE_LIST_MISSING": {
        "fr": (
            "« {value} » : écrivez le type suivi du nom d'une liste de la feuille « choices », "
            "par exemple « select_one couleurs ». Listes définies : {expected}."
        ),
        "en": (
            "'{value}': write the type followed by the name of a list of the 'choices' sheet, "
            "e.g. 'select_one colours'. Defined lists: {expected}."
        ),
    },
    "XLS_NAME_MISSING": {
        "fr": (
            "la ligne « {value} » n'a pas de nom : remplissez la colonne « name » (lettres, "
            "chiffres et « _ », unique dans le formulaire)."
        ),
        "en": (
            "row '{value}' has no name: fill in the 'name' column (letters, digits and '_', "
            "unique in the form)."
        ),
    },
    "XLS_NAME_DUPLICATE": {
        "fr": (
            "le nom « {value} » (« {normalized} » une fois en minuscules sans caractère "
            "spécial) est déjà utilisé ligne {first}. Donnez un nom unique à chaque ligne."
        ),
        "en": (
            "the name '{value}' ('{normalized}' once lowercased without special characters) "
            "is already used on row {first}. Give each row a unique name."
        ),
    },
    "XLS_UNBALANCED": {
        "fr": "« {value} » : {reason}. Chaque « begin_… » doit avoir son « end_… ».",
        "en": "'{value}': {reason}. Each 'begin_…' needs its 'end_…'.",
    },
    "XLS_REPEAT_NESTED": {
        "fr": (
            "groupe répété dans un autre groupe répété (ouvert ligne {first}) : OPP ne le "
            "prend pas en charge. Sortez-le du premier ou remplacez-le par « begin_group »."
        ),
        "en": (
            "repeat inside another repeat (opened on row {first}): OPP does not support it. "
            "Move it out of the first one or make it a 'begin_group'."
        ),
    },
    "XLS_CHOICE_LIST_MISSING": {
        "fr": (
            "la liste de choix « {value} » n'existe pas dans la feuille « choices » (colonne "
            "« list_name »). Listes définies : {expected}."
        ),
        "en": (
            "choice list '{value}' does not exist in the 'choices' sheet ('list_name' "
            "column). Defined lists: {expected}."
        ),
    },
    "XLS_CHOICE_INVALID": {
        "fr": (
            "valeur de choix « {value} » invalide dans la colonne « name » : lettres sans "
            "accent, chiffres, « _ », « . » ou « - », sans espace, 63 caractères au plus."
        ),
        "en": (
            "invalid choice value '{value}' in the 'name' column: letters without accents, "
            "digits, '_', '.' or '-', no spaces, at most 63 characters."
        ),
    },
    "XLS_CHOICE_DUPLICATE": {
        "fr": (
            "le choix « {value} » apparaît deux fois dans la liste « {list} » (déjà ligne "
            "{first}). Retirez le doublon."
        ),
        "en": (
            "choice '{value}' appears twice in list '{list}' (already on row {first}). "
            "Remove the duplicate."
        ),
    },
    "XLS_EMPTY_FORM": {
        "fr": (
            "aucune question prise en charge dans la feuille « survey » (texte, nombre, date, "
            "choix, note, groupe répété) : rien ne resterait à demander. Lignes ignorées : "
            "{skipped}. Ajoutez au moins une question."
        ),
        "en": (
            "no supported question in the 'survey' sheet (text, number, date, choice, note, "
            "repeat): nothing would be left to ask. Rows skipped: {skipped}. Add at least one "
            "question."
        ),
    },
}

# Co-design, release, storage, directory and account messages live in their own modules.
from opp.error_catalogue_accounts import ACCOUNT_ERRORS  # noqa: E402
from opp.error_catalogue_codesign import CODESIGN_ERRORS  # noqa: E402
from opp.error_catalogue_releases import RELEASE_ERRORS  # noqa: E402
from opp.error_catalogue_store import STORE_ERRORS  # noqa: E402

CATALOGUE |= CODESIGN_ERRORS | RELEASE_ERRORS | STORE_ERRORS | ACCOUNT_ERRORS

from opp.error_catalogue_admin import ADMIN_ERRORS  # noqa: E402

CATALOGUE |= ADMIN_ERRORS

from opp.error_catalogue_explore import EXPLORE_ERRORS  # noqa: E402

CATALOGUE |= EXPLORE_ERRORS
