"""The words of the permission policy: how a refusal names each action (French and
English, "your role does not allow you to …"), and how the README's matrix titles it."""

from __future__ import annotations

_DIRECTORY = {
    "fr": "gérer les structures de cette filière",
    "en": "manage this branch's organisations",
}

ACTION_LABELS: dict[str, dict[str, str]] = {
    "read_campaign": {"fr": "voir cette campagne", "en": "see this campaign"},
    "read_questionnaire": {"fr": "voir ce questionnaire", "en": "see this questionnaire"},
    "read_response": {"fr": "lire cette réponse", "en": "read this response"},
    "answer": {
        "fr": "répondre au nom d'une structure",
        "en": "answer on behalf of an organisation",
    },
    "edit_response": {"fr": "modifier cette réponse", "en": "edit this response"},
    "set_consent": {
        "fr": "changer le consentement de cette réponse",
        "en": "change this response's consent",
    },
    "request_correction": {
        "fr": "demander une correction de cette réponse",
        "en": "ask for a correction of this response",
    },
    "read_corrections": {
        "fr": "voir les demandes de correction",
        "en": "see the correction requests",
    },
    "decide_correction": {
        "fr": "répondre aux demandes de correction de cette filière",
        "en": "answer this branch's correction requests",
    },
    "erase_response": {"fr": "effacer cette réponse", "en": "erase this response"},
    "erase_organisation": {
        "fr": "effacer cette structure et ses comptes",
        "en": "erase this organisation and its accounts",
    },
    "export_own_data": {
        "fr": "exporter les données d'une structure",
        "en": "export an organisation's data",
    },
    "read_fiche": {"fr": "voir la fiche de cette réponse", "en": "see this response's summary"},
    "read_organisation": {"fr": "voir cette structure", "en": "see this organisation"},
    "list_members": {
        "fr": "voir les membres d'une structure",
        "en": "see an organisation's members",
    },
    "mail_preferences": {
        "fr": "régler les courriels de cette structure",
        "en": "set this organisation's mail preferences",
    },
    "manage_campaigns": {"fr": "gérer les campagnes", "en": "manage campaigns"},
    "invite_organisations": {
        "fr": "inviter des structures à cette campagne",
        "en": "invite organisations to this campaign",
    },
    "mail_campaign": {
        "fr": "écrire aux structures de cette campagne",
        "en": "mail this campaign's organisations",
    },
    "reopen_campaign": {"fr": "rouvrir une campagne close", "en": "reopen a closed campaign"},
    "import_directory": _DIRECTORY,
    "manage_organisation": _DIRECTORY,
    "assign_filiere": _DIRECTORY,
    "retire_organisation": _DIRECTORY,
    "merge_organisations": {"fr": "fusionner des structures", "en": "merge organisations"},
    "invite": {"fr": "inviter ce compte", "en": "invite this account"},
    "add_member_directly": {
        "fr": "ajouter un membre sans l'accord de la structure",
        "en": "add a member without the organisation's approval",
    },
    "approve_member": {
        "fr": "accepter un nouveau membre dans cette structure",
        "en": "approve a new member of this organisation",
    },
    "sign_as_agency": {"fr": "signer au nom de l'agence", "en": "sign as the agency"},
    "manage_accounts": {"fr": "gérer les comptes", "en": "manage accounts"},
    "reset": {
        "fr": "réinitialiser le mot de passe de ce compte",
        "en": "reset this account's password",
    },
    "disable": {"fr": "désactiver ou réactiver ce compte", "en": "disable or enable this account"},
    "decide_request": {
        "fr": "répondre aux demandes de compte de ce réseau",
        "en": "answer this network's account requests",
    },
    "read_outbox": {"fr": "consulter les courriels envoyés", "en": "read the outbox"},
    "read_audit": {"fr": "consulter le journal d'audit", "en": "read the audit log"},
    "read_aggregates": {
        "fr": "voir les chiffres d'une autre filière",
        "en": "see another branch's figures",
    },
    "export_open_data": {
        "fr": "exporter les données ouvertes",
        "en": "export the open data",
    },
    "publish_release": {
        "fr": "publier une nouvelle publication des chiffres",
        "en": "publish a new release of the figures",
    },
    "publish_open_data": {
        "fr": "publier le paquet de données ouvertes d'une campagne",
        "en": "publish a campaign's open-data package",
    },
    "read_codesign": {
        "fr": "suivre la co-construction de cette filière",
        "en": "follow this branch's co-design",
    },
    "propose": {
        "fr": "proposer un changement au questionnaire d'une autre filière",
        "en": "propose a change to another branch's questionnaire",
    },
    "comment": {"fr": "commenter cette proposition", "en": "comment on this proposal"},
    "vote": {"fr": "voter sur cette proposition", "en": "vote on this proposal"},
    "withdraw": {
        "fr": "retirer la proposition de quelqu'un d'autre",
        "en": "withdraw someone else's proposal",
    },
    "decide_proposal": {
        "fr": "accepter ou refuser les propositions de cette filière",
        "en": "accept or decline this branch's proposals",
    },
    "publish_questionnaire": {
        "fr": "publier une nouvelle version de ce questionnaire",
        "en": "publish a new version of this questionnaire",
    },
    "import_questionnaire": {
        "fr": "importer un questionnaire dans cette filière",
        "en": "import a questionnaire into this branch",
    },
}

# One line of the README's matrix per action (English, like the README).
ACTION_DOCS: dict[str, str] = {
    "read_campaign": "see a campaign (title, dates, questionnaire)",
    "read_questionnaire": "see a published questionnaire, export it (XLSForm, YAML)",
    "read_response": "read a response's individual answers (tampered ids refused)",
    "answer": "start a response",
    "edit_response": "edit / submit a response",
    "set_consent": "change a response's consent level",
    "request_correction": "ask for a correction after closing",
    "read_corrections": "see correction requests",
    "decide_correction": "accept / decline a correction",
    "erase_response": "erase a response",
    "erase_organisation": "erase an organisation and its accounts",
    "export_own_data": "export everything about oneself (Mes données)",
    "read_fiche": "restitution of a response (Ma fiche)",
    "read_organisation": "see an organisation's record",
    "list_members": "list an organisation's members (Ma structure)",
    "mail_preferences": "turn campaign reminders off for an organisation",
    "manage_campaigns": "create / close a campaign, schedule its closing",
    "invite_organisations": "invite organisations to a campaign",
    "mail_campaign": "mail a campaign's invitations and reminders, see each organisation's "
    "state and the reply rate",
    "reopen_campaign": "reopen a closed campaign",
    "import_directory": "import a directory of structures",
    "manage_organisation": "create / edit a structure's record",
    "assign_filiere": "add or remove a filière of a structure",
    "retire_organisation": "archive / restore / delete a structure (delete: no responses, "
    "no accounts)",
    "merge_organisations": "merge duplicate structures",
    "invite": "invite a person by e-mail (account)",
    "add_member_directly": "add a person to an organisation that has members without their "
    "approval",
    "approve_member": "approve / decline a person joining an organisation",
    "sign_as_agency": "mails signed as the agency (not by name)",
    "manage_accounts": "list accounts",
    "reset": "send a password-reset link (to the account's own address)",
    "disable": "disable / enable an account",
    "decide_request": "accept / decline an account request",
    "read_outbox": "read the outbox, queue failed mail again",
    "read_audit": "read the audit log",
    "read_aggregates": "aggregates of a filière (cross-filière: Coreps and agency only)",
    "export_open_data": 'open data: aggregates of the latest release; records of "ouvert" '
    "responses",
    "publish_release": "publish a release of the figures (Publications)",
    "publish_open_data": "publish a campaign's open-data package (Chiffres clés)",
    "read_codesign": "follow a filière's co-design (proposals, votes, draft, versions)",
    "propose": "propose a change",
    "comment": "comment on a proposal",
    "vote": "vote on a proposal",
    "withdraw": "withdraw a proposal",
    "decide_proposal": "accept / decline a proposal",
    "publish_questionnaire": "publish or discard the draft of a questionnaire",
    "import_questionnaire": "import an XLSForm as a new questionnaire",
}
