"""Messages of co-design (proposals, votes, drafts, versions); merged into `CATALOGUE`."""

from __future__ import annotations

CODESIGN_ERRORS: dict[str, dict[str, str]] = {
    "CODESIGN_QUESTION_UNKNOWN": {
        "fr": (
            "la question « {value} » n'existe pas dans le brouillon. Choisissez une question "
            "de la liste (elle a peut-être déjà été retirée par une autre proposition)."
        ),
        "en": (
            "question '{value}' does not exist in the draft. Pick a question from the list "
            "(another proposal may already have retired it)."
        ),
    },
    "CODESIGN_CORE_READONLY": {
        "fr": (
            "« {value} » appartient au module partagé « {module} » (socle commun posé à "
            "toutes les filières) : une filière ne peut pas le modifier seule. Proposez le "
            "changement à l'agence, qui fait évoluer le socle pour toutes les filières."
        ),
        "en": (
            "'{value}' belongs to the shared module '{module}' (the common core every "
            "branch answers): one branch cannot change it alone. Propose the change to the "
            "agency, which evolves the core for every branch."
        ),
    },
    "CODESIGN_SECTION_UNKNOWN": {
        "fr": (
            "la rubrique « {value} » n'existe pas. Choisissez une rubrique existante, ou "
            "donnez un titre pour créer une nouvelle rubrique."
        ),
        "en": (
            "section '{value}' does not exist. Pick an existing section, or give a title to "
            "create a new one."
        ),
    },
    "CODESIGN_POSITION_UNKNOWN": {
        "fr": (
            "la question « {value} », après laquelle placer la question, n'est pas dans "
            "cette rubrique. Choisissez une question de la rubrique, ou « à la fin »."
        ),
        "en": (
            "question '{value}', after which to place the question, is not in this section. "
            "Pick a question of the section, or 'at the end'."
        ),
    },
    "CODESIGN_MOVE_CHILD": {
        "fr": (
            "« {value} » fait partie d'un groupe répété : on ne peut pas la sortir du groupe. "
            "Proposez plutôt de la retirer et d'ajouter une nouvelle question."
        ),
        "en": (
            "'{value}' belongs to a repeated group and cannot be moved out of it. Propose to "
            "retire it and add a new question instead."
        ),
    },
    "CODESIGN_LAST_CHILD": {
        "fr": (
            "« {value} » est la dernière question du groupe « {group} » : retirez le groupe "
            "entier plutôt que sa dernière question."
        ),
        "en": (
            "'{value}' is the last question of group '{group}': retire the whole group instead."
        ),
    },
    "CODESIGN_NOT_CHOICE": {
        "fr": (
            "la question « {value} » est de type {type} et n'a pas de liste de choix. "
            "Proposez une reformulation, ou une nouvelle question à choix."
        ),
        "en": (
            "question '{value}' is of type {type} and has no list of choices. Propose a "
            "rewording, or a new choice question."
        ),
    },
    "CODESIGN_REWORD_EMPTY": {
        "fr": (
            "la reformulation de « {value} » est vide : donnez un nouveau libellé, une "
            "nouvelle aide ou une nouvelle unité."
        ),
        "en": "the rewording of '{value}' is empty: give a new label, help or unit.",
    },
    "CODESIGN_CHOICE_LINE": {
        "fr": (
            "choix, ligne {line} (« {value} ») : écrivez « valeur | libellé | label anglais », "
            "ou seulement le libellé."
        ),
        "en": (
            "choices, line {line} ('{value}'): write 'value | French label | English label', "
            "or only the label."
        ),
    },
    "CODESIGN_CHOICE_DUPLICATE": {
        "fr": (
            "choix, ligne {line} : la valeur « {value} » est déjà utilisée ligne {first}. "
            "Chaque choix a sa propre valeur."
        ),
        "en": (
            "choices, line {line}: value '{value}' is already used on line {first}. Each "
            "choice needs its own value."
        ),
    },
    "CODESIGN_CHOICES_EMPTY": {
        "fr": "donnez au moins un choix (un par ligne).",
        "en": "give at least one choice (one per line).",
    },
    "CODESIGN_NUMBER": {
        "fr": "« {field} » : « {value} » n'est pas un nombre. Écrivez par exemple 0 ou 12,5.",
        "en": "'{field}': '{value}' is not a number. Write for example 0 or 12.5.",
    },
    "CODESIGN_IMPORT_EXISTS": {
        "fr": (
            "un questionnaire « {value} » existe déjà : un import crée un nouveau "
            "questionnaire. Donnez un autre identifiant, ou faites évoluer « {value} » par "
            "des propositions."
        ),
        "en": (
            "a questionnaire '{value}' already exists: an import creates a new "
            "questionnaire. Give another identifier, or evolve '{value}' through proposals."
        ),
    },
    "CODESIGN_RATIONALE_MISSING": {
        "fr": (
            "expliquez pourquoi vous proposez ce changement (champ « Motif ») : les autres "
            "membres de la filière votent en le lisant."
        ),
        "en": (
            "explain why you propose this change ('Rationale' field): the other members of "
            "the branch read it before they vote."
        ),
    },
    "CODESIGN_TEXT_TOO_LONG": {
        "fr": "le texte fait {length} caractères ; {limit} au plus. Raccourcissez-le.",
        "en": "the text is {length} characters long; at most {limit}. Shorten it.",
    },
    "CODESIGN_COMMENT_EMPTY": {
        "fr": "le commentaire est vide. Écrivez votre remarque avant d'envoyer.",
        "en": "the comment is empty. Write your remark before sending.",
    },
    "CODESIGN_VOTE_INVALID": {
        "fr": "vote « {value} » inconnu : choisissez pour, contre ou abstention.",
        "en": "unknown vote '{value}': choose for, against or abstain.",
    },
    "CODESIGN_PROPOSAL_CLOSED": {
        "fr": (
            "la proposition a déjà été {status} le {decided}. Elle reste consultable ; "
            "déposez une nouvelle proposition pour rouvrir la question."
        ),
        "en": (
            "the proposal was already {status} on {decided}. It stays visible; file a new "
            "proposal to reopen the matter."
        ),
    },
    "CODESIGN_REASON_MISSING": {
        "fr": (
            "donnez la raison de votre décision : elle est montrée à l'auteur·rice et à "
            "toute la filière."
        ),
        "en": "give the reason for your decision: it is shown to the author and the branch.",
    },
    "CODESIGN_DRAFT_EMPTY": {
        "fr": (
            "le brouillon de « {value} » ne diffère pas de la version publiée {version} : "
            "acceptez d'abord des propositions, puis publiez."
        ),
        "en": (
            "the draft of '{value}' does not differ from published version {version}: "
            "accept proposals first, then publish."
        ),
    },
    "CODESIGN_VERSION_EXISTS": {
        "fr": (
            "la version {version} de « {value} » existe déjà : une version publiée ne change "
            "plus. Rechargez la page : le brouillon repart de la dernière version."
        ),
        "en": (
            "version {version} of '{value}' already exists: a published version never "
            "changes. Reload the page: the draft starts again from the latest version."
        ),
    },
    "CODESIGN_MODULE": {
        "fr": (
            "« {value} » est un module partagé, pas un questionnaire de filière : il évolue "
            "par son fichier dans surveys/ (voir le README)."
        ),
        "en": (
            "'{value}' is a shared module, not a branch questionnaire: it evolves through "
            "its file in surveys/ (see the README)."
        ),
    },
}
