"""The words of the permission policy: how a refusal names each action (catalogue
messages, "your role does not allow you to …"), and how the README's matrix titles it
(English, like the README)."""

from __future__ import annotations

from typing import Final

from opp.i18n import Vocabulary

# How a refusal names each action ("your role does not allow you to …"): one catalogue
# message per action, `policy.action.<code>`; the four directory actions share one.
_DIRECTORY_ACTIONS = (
    "import_directory",
    "manage_organisation",
    "assign_filiere",
    "retire_organisation",
)
ACTION_LABELS: Final = Vocabulary(
    "policy.action",
    (
        "read_campaign",
        "read_questionnaire",
        "read_response",
        "answer",
        "edit_response",
        "set_consent",
        "request_correction",
        "read_corrections",
        "decide_correction",
        "erase_response",
        "erase_organisation",
        "export_own_data",
        "read_fiche",
        "read_organisation",
        "list_members",
        "mail_preferences",
        "manage_campaigns",
        "invite_organisations",
        "mail_campaign",
        "reopen_campaign",
        "import_directory",
        "manage_organisation",
        "assign_filiere",
        "retire_organisation",
        "merge_organisations",
        "invite",
        "add_member_directly",
        "approve_member",
        "sign_as_agency",
        "manage_accounts",
        "reset",
        "disable",
        "decide_request",
        "read_outbox",
        "read_audit",
        "read_aggregates",
        "export_open_data",
        "publish_release",
        "publish_open_data",
        "read_codesign",
        "propose",
        "comment",
        "vote",
        "withdraw",
        "decide_proposal",
        "publish_questionnaire",
        "import_questionnaire",
    ),
    aliases=dict.fromkeys(_DIRECTORY_ACTIONS, "manage_directory"),
)

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
