"""Interface texts of accounts management, mail, "Ma structure" and account requests
(merged into STRINGS)."""

from __future__ import annotations

MAIL_STRINGS: dict[str, dict[str, str]] = {
    "nav.organisation": {"fr": "Ma structure", "en": "My organisation"},
    "nav.request": {"fr": "Demander un compte", "en": "Request an account"},
    # --- sign-in page ------------------------------------------------------------------
    "login.forgot": {"fr": "Mot de passe oublié ?", "en": "Forgot your password?"},
    "login.forgot_help": {
        "fr": "Indiquez l'adresse de votre compte : un lien pour choisir un nouveau mot de "
        "passe y sera envoyé (valable 48 heures, une seule fois).",
        "en": "Give your account's address: a link to choose a new password will be sent "
        "there (valid 48 hours, once).",
    },
    "login.forgot_email": {"fr": "Adresse de votre compte", "en": "Your account's address"},
    "login.forgot_send": {"fr": "Recevoir un lien", "en": "Get a link"},
    "login.forgot_done": {
        "fr": "Si un compte existe pour cette adresse, un lien vient d'y être envoyé. "
        "Pensez à regarder dans les indésirables.",
        "en": "If an account exists for this address, a link has just been sent to it. "
        "Check the spam folder too.",
    },
    # --- accounts --------------------------------------------------------------------------
    "account.role": {"fr": "Rôle", "en": "Role"},
    "account.filiere": {"fr": "Filière", "en": "Branch"},
    "account.last_login": {"fr": "Dernière connexion", "en": "Last sign-in"},
    "account.status.pending": {"fr": "en attente d'accord", "en": "awaiting approval"},
    "account.status.invited": {"fr": "invité·e", "en": "invited"},
    "account.status.active": {"fr": "actif", "en": "active"},
    "account.status.disabled": {"fr": "désactivé", "en": "disabled"},
    "account.invite_title": {"fr": "Inviter une personne", "en": "Invite a person"},
    "account.mail_language": {
        "fr": "Langue des courriels",
        "en": "Language of the e-mails",
    },
    "account.invite_send": {
        "fr": "Envoyer l'invitation par courriel",
        "en": "Send the invitation by e-mail",
    },
    "account.invite_sent": {
        "fr": "Invitation créée pour {email} : le lien part par courriel à cette adresse "
        "(valable 14 jours).",
        "en": "Invitation created for {email}: the link goes by e-mail to that address "
        "(valid 14 days).",
    },
    "account.invite_pending": {
        "fr": "Cette structure a déjà des membres : la personne la rejoindra quand l'un "
        "d'eux aura accepté ({n} membre(s) prévenu(s) par courriel ; à défaut, l'agence "
        "peut accepter).",
        "en": "This organisation already has members: the person joins once one of them "
        "approves ({n} member(s) told by e-mail; otherwise the agency may approve).",
    },
    "account.manage_title": {"fr": "Gérer un compte", "en": "Manage an account"},
    "account.send_reset": {
        "fr": "Envoyer un lien de réinitialisation par courriel",
        "en": "Send a reset link by e-mail",
    },
    "account.resend_invitation": {
        "fr": "Renvoyer l'invitation par courriel",
        "en": "Send the invitation again by e-mail",
    },
    "account.reset_sent": {
        "fr": "Un lien part par courriel à l'adresse du compte ({email}) ; il n'est affiché "
        "nulle part ailleurs.",
        "en": "A link goes by e-mail to the account's address ({email}); it is shown nowhere else.",
    },
    "account.disable": {"fr": "Désactiver ce compte", "en": "Disable this account"},
    "account.enable": {"fr": "Réactiver ce compte", "en": "Enable this account"},
    "account.disabled": {
        "fr": "Compte {email} désactivé : ses sessions sont fermées et ses liens annulés.",
        "en": "Account {email} disabled: its sessions are closed and its links revoked.",
    },
    "account.enabled": {"fr": "Compte {email} réactivé.", "en": "Account {email} enabled."},
    "account.approvals_title": {
        "fr": "Ajouts de membres en attente",
        "en": "Members waiting for approval",
    },
    "account.approvals_help": {
        "fr": "Une coordination a demandé à ajouter ces personnes à une structure qui a déjà "
        "des membres. L'agence peut accepter à leur place : c'est inscrit au journal et "
        "chaque membre en est prévenu par courriel.",
        "en": "A coordinator asked to add these people to an organisation that already has "
        "members. The agency may approve instead of them: it is logged and every member is "
        "told by e-mail.",
    },
    "account.approval_line": {
        "fr": "{person} ({email}) pour {org}, demandé par {by} le {date}",
        "en": "{person} ({email}) for {org}, asked by {by} on {date}",
    },
    "account.approve": {"fr": "Accepter", "en": "Approve"},
    "account.decline": {"fr": "Refuser", "en": "Decline"},
    "account.approved": {
        "fr": "{email} accepté·e : l'invitation part par courriel.",
        "en": "{email} approved: the invitation goes by e-mail.",
    },
    "account.declined_member": {
        "fr": "Ajout de {email} refusé : le compte est supprimé.",
        "en": "{email} declined: the account is removed.",
    },
    "account.mail_title": {"fr": "Courriels", "en": "E-mails"},
    "account.mail_save": {"fr": "Enregistrer", "en": "Save"},
    "account.mail_saved": {
        "fr": "Langue des courriels enregistrée.",
        "en": "E-mail language saved.",
    },
    # --- mail status and outbox ---------------------------------------------------------
    "mail.tab": {"fr": "Courriels", "en": "E-mails"},
    "mail.not_configured": {
        "fr": "Courriel non envoyé : l'envoi n'est pas configuré ({n} message(s) en attente "
        "dans la boîte d'envoi ; ils partiront dès que l'agence l'aura configuré).",
        "en": "E-mail not sent: sending is not configured ({n} message(s) waiting in the "
        "outbox; they will leave once the agency configures it).",
    },
    "mail.invalid": {
        "fr": "Courriel non envoyé ({n} en attente) : {reason}",
        "en": "E-mail not sent ({n} waiting): {reason}",
    },
    "mail.sent": {"fr": "Courriel envoyé ({n}).", "en": "E-mail sent ({n})."},
    "mail.failed": {
        "fr": "{n} courriel(s) en échec : voir l'onglet « Courriels » de l'agence.",
        "en": "{n} e-mail(s) failed: see the agency's 'E-mails' tab.",
    },
    "mail.queued": {
        "fr": "{n} courriel(s) en file d'envoi : ils partent dans la minute.",
        "en": "{n} e-mail(s) queued: they leave within a minute.",
    },
    "mail.banner_missing": {
        "fr": "L'envoi des courriels n'est pas configuré : les messages attendent dans la "
        "boîte d'envoi.",
        "en": "Sending e-mail is not configured: messages wait in the outbox.",
    },
    "mail.configured": {"fr": "Envoi configuré : {how}.", "en": "Sending configured: {how}."},
    "mail.settings_help": {
        "fr": "Envoi non configuré : définissez OPP_SMTP_URL et OPP_MAIL_FROM (variables "
        "d'environnement ou .streamlit/secrets.toml), voir le README, « Deploy for real / "
        "Mail ». Les messages attendent dans la boîte d'envoi.",
        "en": "Sending not configured: set OPP_SMTP_URL and OPP_MAIL_FROM (environment or "
        ".streamlit/secrets.toml), see the README, 'Deploy for real / Mail'. Messages wait "
        "in the outbox.",
    },
    "mail.state.queued": {"fr": "En attente", "en": "Queued"},
    "mail.state.sending": {"fr": "En cours d'envoi", "en": "Sending"},
    "mail.state.sent": {"fr": "Envoyés", "en": "Sent"},
    "mail.state.failed": {"fr": "En échec", "en": "Failed"},
    "mail.state.cancelled": {"fr": "Devenus inutiles", "en": "No longer needed"},
    "mail.all": {"fr": "Tous", "en": "All"},
    "mail.send_now": {"fr": "Envoyer maintenant", "en": "Send now"},
    "mail.sent_now": {
        "fr": "{sent} envoyé(s), {retried} à réessayer, {failed} en échec.",
        "en": "{sent} sent, {retried} to retry, {failed} failed.",
    },
    "mail.col_kind": {"fr": "Message", "en": "Message"},
    "mail.col_to": {"fr": "Destinataire", "en": "To"},
    "mail.col_attempts": {"fr": "Essais", "en": "Attempts"},
    "mail.col_created": {"fr": "Créé", "en": "Created"},
    "mail.col_sent": {"fr": "Envoyé", "en": "Sent"},
    "mail.col_next": {"fr": "Prochain essai", "en": "Next attempt"},
    "mail.col_error": {"fr": "Dernière erreur", "en": "Last error"},
    "mail.requeue_help": {
        "fr": "Un message « interrupted » a peut-être été reçu (l'envoi a été coupé pendant "
        "la transmission) : le renvoyer peut le faire arriver deux fois.",
        "en": "An 'interrupted' message may have been received (sending was cut during the "
        "transfer): sending it again may deliver it twice.",
    },
    "mail.requeue": {"fr": "Messages en échec à renvoyer", "en": "Failed messages to send again"},
    "mail.requeue_button": {"fr": "Remettre en file", "en": "Queue again"},
    "mail.requeued": {"fr": "{n} message(s) remis en file.", "en": "{n} message(s) queued again."},
    # --- campaign mail ------------------------------------------------------------------
    "campaign_mail.no_campaign": {
        "fr": "Aucune campagne : ouvrez-en une dans l'onglet « Campagnes ».",
        "en": "No campaign: open one in the 'Campaigns' tab.",
    },
    "campaign_mail.invite_title": {
        "fr": "Inviter des structures par courriel",
        "en": "Invite organisations by e-mail",
    },
    "campaign_mail.invite_chosen": {
        "fr": "Inviter et écrire aux structures choisies",
        "en": "Invite and e-mail the chosen organisations",
    },
    "campaign_mail.invite_all": {
        "fr": "Inviter et écrire à toutes les structures de la filière pas encore invitées ({n})",
        "en": "Invite and e-mail every organisation of the branch not yet invited ({n})",
    },
    "campaign_mail.mail_invited": {
        "fr": "Écrire aux structures invitées qui n'ont pas encore reçu de courriel ({n})",
        "en": "E-mail the invited organisations that have not received one yet ({n})",
    },
    "campaign_mail.summary": {
        "fr": "{orgs} structure(s) contactée(s) par courriel, {messages} courriel(s) en file.",
        "en": "{orgs} organisation(s) contacted by e-mail, {messages} e-mail(s) queued.",
    },
    "campaign_mail.new_accounts": {
        "fr": "{n} compte(s) créé(s) pour les adresses de l'annuaire (le courriel contient le "
        "lien d'activation).",
        "en": "{n} account(s) created for directory addresses (the e-mail carries the "
        "activation link).",
    },
    "campaign_mail.unreachable": {
        "fr": "{n} structure(s) sans adresse utilisable : {names}. Invitez une personne pour "
        "elles (onglet « Comptes »).",
        "en": "{n} organisation(s) without a usable address: {names}. Invite a person for "
        "them ('Accounts' tab).",
    },
    "campaign_mail.remind_title": {"fr": "Rappels", "en": "Reminders"},
    "campaign_mail.remind_help": {
        "fr": "Un rappel va aux structures invitées qui n'ont pas envoyé leur réponse, au plus "
        "un par jour et par structure, jamais à celles qui ont refusé les rappels.",
        "en": "A reminder goes to the invited organisations that have not submitted, at "
        "most one a day each, never to those that turned reminders off.",
    },
    "campaign_mail.remind_now": {"fr": "Envoyer un rappel maintenant", "en": "Send a reminder now"},
    "campaign_mail.schedule_days": {
        "fr": "Rappels automatiques (jours avant la clôture)",
        "en": "Automatic reminders (days before closing)",
    },
    "campaign_mail.schedule_help": {
        "fr": "Par exemple « 14, 3 » : un rappel 14 jours puis 3 jours avant la clôture. "
        "Laissez vide pour n'en programmer aucun.",
        "en": "For example '14, 3': a reminder 14 days, then 3 days before closing. Leave "
        "empty for none.",
    },
    "campaign_mail.schedule_save": {"fr": "Programmer", "en": "Schedule"},
    "campaign_mail.schedule_saved": {
        "fr": "Rappels programmés : {days} jour(s) avant la clôture.",
        "en": "Reminders scheduled: {days} day(s) before closing.",
    },
    "campaign_mail.schedule_done": {
        "fr": "Rappel J-{days} envoyé le {date} à {n} structure(s).",
        "en": "Reminder D-{days} sent on {date} to {n} organisation(s).",
    },
    "campaign_mail.table_title": {
        "fr": "Où en est chaque structure",
        "en": "Where each organisation stands",
    },
    "campaign_mail.col_invited": {"fr": "Invitée le", "en": "Invited on"},
    "campaign_mail.col_mailed": {"fr": "Courriel d'invitation", "en": "Invitation e-mail"},
    "campaign_mail.col_reminded": {"fr": "Rappels", "en": "Reminders"},
    "campaign_mail.col_submitted": {"fr": "Réponse envoyée le", "en": "Submitted on"},
    "campaign_mail.col_reminders": {"fr": "Accepte les rappels", "en": "Takes reminders"},
    "campaign_mail.col_reachable": {"fr": "Adresse connue", "en": "Address known"},
    "campaign_mail.rate_title": {
        "fr": "Taux de réponse jour après jour",
        "en": "Reply rate day by day",
    },
    "campaign_mail.rate_axis": {"fr": "Taux de réponse (%)", "en": "Reply rate (%)"},
    "campaign_mail.rate_caption": {
        "fr": "Aujourd'hui : {submitted} réponse(s) envoyée(s) pour {invited} structure(s) "
        "invitée(s).",
        "en": "Today: {submitted} response(s) submitted for {invited} organisation(s) invited.",
    },
    # --- Ma structure ---------------------------------------------------------------------
    "org.title": {"fr": "Ma structure", "en": "My organisation"},
    "org.intro": {
        "fr": "Les personnes qui peuvent agir pour votre structure, chacune avec son propre "
        "compte ; personne ne la rejoint sans l'accord de l'un de ses membres.",
        "en": "The people who may act for your organisation, each with their own account; "
        "nobody joins it without a member's approval.",
    },
    "org.members": {"fr": "Membres", "en": "Members"},
    "org.invite_title": {"fr": "Inviter un·e collègue", "en": "Invite a colleague"},
    "org.invite_help": {
        "fr": "Chaque personne a son propre compte : l'invitation part par courriel à son adresse.",
        "en": "Each person has their own account: the invitation goes by e-mail to their address.",
    },
    "org.invite_send": {"fr": "Inviter", "en": "Invite"},
    "org.approvals_title": {"fr": "Demandes d'ajout", "en": "Requests to join"},
    "org.approvals_help": {
        "fr": "Ces personnes auront accès aux données de votre structure si vous acceptez.",
        "en": "These people will have access to your organisation's data if you approve.",
    },
    "org.approval_line": {
        "fr": "{person} ({email}), demandé par {by} le {date}",
        "en": "{person} ({email}), asked by {by} on {date}",
    },
    "org.reminders_title": {"fr": "Rappels de campagne", "en": "Campaign reminders"},
    "org.reminders_label": {
        "fr": "Recevoir les rappels avant la clôture des campagnes",
        "en": "Receive reminders before campaigns close",
    },
    "org.reminders_save": {"fr": "Enregistrer", "en": "Save"},
    "org.reminders_on": {"fr": "Rappels activés.", "en": "Reminders on."},
    "org.reminders_off": {
        "fr": "Rappels désactivés pour votre structure.",
        "en": "Reminders off for your organisation.",
    },
    # --- account requests -------------------------------------------------------------
    "request.title": {"fr": "Demander un compte", "en": "Request an account"},
    "request.intro": {
        "fr": "Pour les artistes qui répondent à titre individuel. La coordination du réseau "
        "étudie votre demande ; vous recevrez un courriel (avec le lien pour choisir votre "
        "mot de passe si elle l'accepte). Rien n'est créé avant.",
        "en": "For artists answering in their own name. The network's coordinator reviews "
        "your request; you will get an e-mail (with the link to choose your password if it "
        "is accepted). Nothing is created before.",
    },
    "request.signed_in": {
        "fr": "Vous êtes connecté·e : vous avez déjà un compte. Pour inviter un·e collègue, "
        "ouvrez « Ma structure ».",
        "en": "You are signed in: you already have an account. To invite a colleague, open "
        "'My organisation'.",
    },
    "request.network": {"fr": "Réseau", "en": "Network"},
    "request.name": {"fr": "Nom (ou nom d'artiste)", "en": "Name (or stage name)"},
    "request.commune": {"fr": "Commune (facultatif)", "en": "Municipality (optional)"},
    "request.message": {
        "fr": "Message pour la coordination (facultatif)",
        "en": "Message for the coordinator (optional)",
    },
    "request.send": {"fr": "Envoyer la demande", "en": "Send the request"},
    "request.sent": {
        "fr": "Demande transmise à la coordination du réseau. Vous recevrez sa réponse par "
        "courriel.",
        "en": "Request sent to the network's coordinator. You will get the answer by e-mail.",
    },
    "request.none_open": {
        "fr": "Aucun réseau ne reçoit de demandes de compte pour le moment.",
        "en": "No network takes account requests at the moment.",
    },
    "request.admin_title": {"fr": "Demandes de compte", "en": "Account requests"},
    "request.link": {
        "fr": "Lien public à diffuser par le réseau « {network} » :",
        "en": "Public link for the network '{network}' to share:",
    },
    "request.none": {"fr": "Aucune demande en attente.", "en": "No request waiting."},
    "request.line": {
        "fr": "{name} ({email}) — {network}, le {date}",
        "en": "{name} ({email}) — {network}, on {date}",
    },
    "request.accept": {"fr": "Accepter et inviter", "en": "Accept and invite"},
    "request.decline": {"fr": "Refuser", "en": "Decline"},
    "request.accepted": {
        "fr": "Demande acceptée : l'invitation part par courriel à {email}.",
        "en": "Request accepted: the invitation goes by e-mail to {email}.",
    },
    "request.declined": {
        "fr": "Demande refusée : {email} en est informé·e par courriel.",
        "en": "Request declined: {email} is told by e-mail.",
    },
}
