"""Interface texts of the Co-construction page."""

from __future__ import annotations

CODESIGN_STRINGS: dict[str, dict[str, str]] = {
    "nav.codesign": {"fr": "Co-construction", "en": "Co-design"},
    "cd.title": {"fr": "Co-construction des questionnaires", "en": "Co-designing questionnaires"},
    "cd.intro": {
        "fr": "Ce qui est observé se décide avec les personnes observées. Proposez une "
        "question, une reformulation, un changement de choix ; discutez et votez ; la "
        "coordination de la filière accepte ou refuse avec un motif. La version suivante "
        "est publiée avec son journal des changements.",
        "en": "What is observed is decided with the people observed. Propose a question, a "
        "rewording, a change of choices; discuss and vote; the branch's coordinator accepts "
        "or declines with a reason. The next version is published with its change log.",
    },
    "cd.none": {
        "fr": "Aucun questionnaire à co-construire pour votre compte.",
        "en": "No questionnaire to co-design for your account.",
    },
    "cd.questionnaire": {"fr": "Questionnaire", "en": "Questionnaire"},
    "cd.tab.proposals": {"fr": "Propositions", "en": "Proposals"},
    "cd.tab.propose": {"fr": "Proposer un changement", "en": "Propose a change"},
    "cd.tab.draft": {"fr": "Publié et brouillon", "en": "Published and draft"},
    "cd.tab.versions": {"fr": "Versions", "en": "Versions"},
    "cd.tab.xlsform": {"fr": "XLSForm", "en": "XLSForm"},
    "cd.status_filter": {"fr": "Afficher", "en": "Show"},
    "cd.all": {"fr": "toutes", "en": "all"},
    "cd.no_proposal": {"fr": "Aucune proposition ici.", "en": "No proposal here."},
    "cd.by": {"fr": "Par {name}, le {date}", "en": "By {name}, on {date}"},
    "cd.rationale": {"fr": "Motif", "en": "Rationale"},
    "cd.tally": {
        "fr": "Pour {pour} · Contre {contre} · Abstention {abstention}",
        "en": "For {pour} · Against {contre} · Abstain {abstention}",
    },
    "cd.my_vote": {"fr": "Votre vote : {vote}", "en": "Your vote: {vote}"},
    "cd.vote": {"fr": "Voter", "en": "Vote"},
    "cd.vote.pour": {"fr": "Pour", "en": "For"},
    "cd.vote.contre": {"fr": "Contre", "en": "Against"},
    "cd.vote.abstention": {"fr": "Abstention", "en": "Abstain"},
    "cd.voted": {"fr": "Vote enregistré.", "en": "Vote recorded."},
    "cd.comments": {"fr": "Discussion", "en": "Discussion"},
    "cd.comment": {"fr": "Votre commentaire", "en": "Your comment"},
    "cd.comment_send": {"fr": "Commenter", "en": "Comment"},
    "cd.commented": {"fr": "Commentaire publié.", "en": "Comment posted."},
    "cd.decision": {"fr": "Décision de la coordination", "en": "Coordinator's decision"},
    "cd.reason": {
        "fr": "Motif de la décision (montré à toute la filière)",
        "en": "Reason for the decision (shown to the whole branch)",
    },
    "cd.accept": {"fr": "Accepter (ajouter au brouillon)", "en": "Accept (add to the draft)"},
    "cd.decline": {"fr": "Refuser", "en": "Decline"},
    "cd.accepted": {
        "fr": "Proposition acceptée : le brouillon est à jour.",
        "en": "Proposal accepted: the draft is up to date.",
    },
    "cd.declined": {"fr": "Proposition refusée.", "en": "Proposal declined."},
    "cd.withdraw": {"fr": "Retirer ma proposition", "en": "Withdraw my proposal"},
    "cd.withdrawn": {"fr": "Proposition retirée.", "en": "Proposal withdrawn."},
    "cd.decided": {
        "fr": "{status} par {name} le {date} : {reason}",
        "en": "{status} by {name} on {date}: {reason}",
    },
    "cd.published_in": {
        "fr": "Publiée dans la version {version}.",
        "en": "Published in {version}.",
    },
    "cd.kind": {"fr": "Type de changement", "en": "Kind of change"},
    "cd.members_only": {
        "fr": "Seules les personnes ayant un compte dans la filière peuvent proposer, "
        "commenter et voter. Vous pouvez suivre les discussions.",
        "en": "Only people with an account in the branch can propose, comment and vote. "
        "You can follow the discussions.",
    },
    "cd.section": {"fr": "Rubrique", "en": "Section"},
    "cd.new_section": {"fr": "Nouvelle rubrique…", "en": "New section…"},
    "cd.section_id": {"fr": "Identifiant de la nouvelle rubrique", "en": "New section identifier"},
    "cd.section_title_fr": {"fr": "Titre de la rubrique", "en": "Section title (French)"},
    "cd.section_title_en": {"fr": "Titre en anglais", "en": "Section title"},
    "cd.after": {"fr": "Position", "en": "Position"},
    "cd.at_end": {"fr": "À la fin de la rubrique", "en": "At the end of the section"},
    "cd.after_q": {"fr": "Après « {label} »", "en": "After '{label}'"},
    "cd.qid": {
        "fr": "Identifiant (minuscules, chiffres, _ ; stable pour toujours)",
        "en": "Identifier (lower case, digits, _; stable forever)",
    },
    "cd.qtype": {"fr": "Type de question", "en": "Question type"},
    "cd.label_fr": {"fr": "Libellé (français)", "en": "Label (French)"},
    "cd.label_en": {"fr": "Libellé (anglais)", "en": "Label (English)"},
    "cd.help_fr": {"fr": "Aide (français)", "en": "Help (French)"},
    "cd.help_en": {"fr": "Aide (anglais)", "en": "Help (English)"},
    "cd.unit_fr": {"fr": "Unité (français)", "en": "Unit (French)"},
    "cd.unit_en": {"fr": "Unité (anglais)", "en": "Unit (English)"},
    "cd.min": {"fr": "Minimum", "en": "Minimum"},
    "cd.max": {"fr": "Maximum", "en": "Maximum"},
    "cd.required": {"fr": "Réponse obligatoire", "en": "Answer required"},
    "cd.choices": {
        "fr": "Choix, un par ligne : valeur | libellé | label anglais",
        "en": "Choices, one per line: value | French label | English label",
    },
    "cd.question": {"fr": "Question", "en": "Question"},
    "cd.target_section": {"fr": "Vers la rubrique", "en": "To section"},
    "cd.rationale_input": {
        "fr": "Motif : pourquoi ce changement ? (obligatoire)",
        "en": "Rationale: why this change? (required)",
    },
    "cd.submit": {"fr": "Déposer la proposition", "en": "File the proposal"},
    "cd.submitted": {
        "fr": "Proposition déposée : elle est ouverte aux commentaires et aux votes.",
        "en": "Proposal filed: it is open to comments and votes.",
    },
    "cd.no_own_question": {
        "fr": "Cette filière n'a pas encore de question propre : commencez par en ajouter une.",
        "en": "This branch has no question of its own yet: start by adding one.",
    },
    "cd.core_note": {
        "fr": "Socle commun (module partagé par toutes les filières) : non modifiable ici.",
        "en": "Common core (shared by every branch): not editable here.",
    },
    "cd.published": {"fr": "Version publiée {version}", "en": "Published version {version}"},
    "cd.draft": {"fr": "Brouillon de la version suivante", "en": "Draft of the next version"},
    "cd.draft_same": {
        "fr": "Aucune proposition acceptée depuis la version {version}.",
        "en": "No proposal accepted since version {version}.",
    },
    "cd.changes": {"fr": "Changements", "en": "Changes"},
    "cd.mark.added": {"fr": "nouvelle", "en": "new"},
    "cd.mark.changed": {"fr": "modifiée", "en": "changed"},
    "cd.mark.moved": {"fr": "déplacée", "en": "moved"},
    "cd.mark.removed": {"fr": "retirée", "en": "retired"},
    "cd.publish": {"fr": "Publier la version {version}", "en": "Publish version {version}"},
    "cd.published_ok": {
        "fr": "Version {version} publiée. Elle peut servir aux prochaines campagnes "
        "(Administration) ; exportez-la vers surveys/ avec « opp export-surveys ».",
        "en": "Version {version} published. Next campaigns can use it (Administration); "
        "export it to surveys/ with 'opp export-surveys'.",
    },
    "cd.discard": {"fr": "Abandonner le brouillon", "en": "Discard the draft"},
    "cd.discarded": {
        "fr": "Brouillon abandonné ; les propositions acceptées sont rouvertes.",
        "en": "Draft discarded; accepted proposals are open again.",
    },
    "cd.from": {"fr": "Version de départ", "en": "From version"},
    "cd.to": {"fr": "Version d'arrivée", "en": "To version"},
    "cd.no_diff": {"fr": "Aucune différence.", "en": "No difference."},
    "cd.field": {"fr": "Élément", "en": "Field"},
    "cd.before": {"fr": "Avant", "en": "Before"},
    "cd.after_value": {"fr": "Après", "en": "After"},
    "cd.changelog": {"fr": "Journal des changements", "en": "Change log"},
    "cd.single_version": {
        "fr": "Une seule version publiée pour l'instant.",
        "en": "Only one published version so far.",
    },
    "cd.export": {"fr": "Exporter vers XLSForm", "en": "Export to XLSForm"},
    "cd.export_help": {
        "fr": "Le fichier s'ouvre dans KoboToolbox et ODK ; une feuille « opp » permet de "
        "le réimporter sans perte.",
        "en": "The file opens in KoboToolbox and ODK; an 'opp' sheet lets it be imported "
        "back without loss.",
    },
    "cd.download_xlsx": {"fr": "Télécharger le XLSForm", "en": "Download the XLSForm"},
    "cd.download_yaml": {
        "fr": "Télécharger le fichier YAML (pour surveys/)",
        "en": "Download the YAML file (for surveys/)",
    },
    "cd.import": {"fr": "Importer un XLSForm", "en": "Import an XLSForm"},
    "cd.import_help": {
        "fr": "Classeur .xlsx (feuilles survey, choices, settings). L'import crée un nouveau "
        "questionnaire de la filière ; rien n'est enregistré avant votre confirmation.",
        "en": ".xlsx workbook (survey, choices, settings sheets). The import creates a new "
        "questionnaire of the branch; nothing is saved before you confirm.",
    },
    "cd.import_filiere": {"fr": "Filière", "en": "Branch"},
    "cd.import_id": {
        "fr": "Identifiant du questionnaire (vide : celui du classeur)",
        "en": "Questionnaire identifier (empty: the workbook's)",
    },
    "cd.analyse": {"fr": "Analyser le classeur", "en": "Analyse the workbook"},
    "cd.report": {"fr": "Rapport d'import", "en": "Import report"},
    "cd.report_clean": {
        "fr": "Tout le classeur a été repris, sans réserve.",
        "en": "The whole workbook was taken in, without reservation.",
    },
    "cd.report_sheet": {"fr": "Feuille", "en": "Sheet"},
    "cd.report_row": {"fr": "Ligne", "en": "Row"},
    "cd.report_field": {"fr": "Colonne", "en": "Column"},
    "cd.report_level": {"fr": "Niveau", "en": "Level"},
    "cd.report_message": {"fr": "Message", "en": "Message"},
    "cd.import_summary": {
        "fr": "« {title} » ({id}, version {version}) : {sections} rubriques, {questions} "
        "questions.",
        "en": "'{title}' ({id}, version {version}): {sections} sections, {questions} questions.",
    },
    "cd.import_publish": {
        "fr": "Publier ce questionnaire dans la filière",
        "en": "Publish this questionnaire in the branch",
    },
    "cd.imported": {
        "fr": "Questionnaire {name} publié : il peut servir à une campagne.",
        "en": "Questionnaire {name} published: a campaign can use it.",
    },
    "cd.import_denied": {
        "fr": "L'import est réservé à la coordination des filières et à l'agence.",
        "en": "Import is for branch coordinators and the agency.",
    },
    "wizard.changelog": {
        "fr": "Nouveautés de cette version du questionnaire ({version})",
        "en": "What is new in this version of the questionnaire ({version})",
    },
}
