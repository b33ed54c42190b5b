"""Interface texts of sign-in, account and administration pages (merged into STRINGS)."""

from __future__ import annotations

ACCESS_STRINGS: dict[str, dict[str, str]] = {
    "nav.login": {"fr": "Connexion", "en": "Sign in"},
    "nav.account": {"fr": "Mon compte", "en": "My account"},
    "nav.admin": {"fr": "Administration", "en": "Administration"},
    "nav.section.account": {"fr": "Compte", "en": "Account"},
    "login.title": {"fr": "Connexion", "en": "Sign in"},
    "login.email": {"fr": "Adresse électronique", "en": "E-mail address"},
    "login.password": {"fr": "Mot de passe", "en": "Password"},
    "login.submit": {"fr": "Se connecter", "en": "Sign in"},
    "login.sso": {
        "fr": "Se connecter avec l'identifiant de l'agence",
        "en": "Sign in with the agency's identity provider",
    },
    "login.done": {"fr": "Connecté·e : {name}.", "en": "Signed in: {name}."},
    "login.signed_in_as": {
        "fr": "Vous êtes connecté·e en tant que {name} ({role}).",
        "en": "You are signed in as {name} ({role}).",
    },
    "login.sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "login.demo_title": {"fr": "Comptes de démonstration", "en": "Demo accounts"},
    "login.demo_help": {
        "fr": "Ces comptes n'existent qu'avec les données de démonstration. Mot de passe "
        "commun : « {password} ».",
        "en": "These accounts only exist with the demo data. Shared password: '{password}'.",
    },
    "login.demo_as": {"fr": "Entrer", "en": "Enter"},
    "login.choose_password": {"fr": "Choisissez votre mot de passe", "en": "Choose your password"},
    "login.welcome": {"fr": "Bienvenue, {name} ({email}).", "en": "Welcome, {name} ({email})."},
    "login.password_again": {"fr": "Mot de passe (à nouveau)", "en": "Password (again)"},
    "login.password_help": {
        "fr": "Au moins 12 caractères ; une phrase de passe est idéale.",
        "en": "At least 12 characters; a passphrase is ideal.",
    },
    "login.activate": {"fr": "Enregistrer et me connecter", "en": "Save and sign in"},
    "login.required": {
        "fr": "Connectez-vous pour accéder à cette page (menu « Connexion »).",
        "en": "Sign in to open this page ('Sign in' in the menu).",
    },
    "login.required_for": {
        "fr": "Connectez-vous pour ouvrir la page « {page} » : vous y reviendrez aussitôt.",
        "en": "Sign in to open the page '{page}': you will come straight back to it.",
    },
    "nav.not_for_you": {
        "fr": "La page « {page} » n'est pas ouverte à votre compte ({role}). Choisissez une "
        "page dans le menu.",
        "en": "The page '{page}' is not open to your account ({role}). Choose a page in the menu.",
    },
    "api.title": {"fr": "Jetons d'accès à l'API", "en": "API access tokens"},
    "api.help": {
        "fr": "Un jeton permet à un tableur ou à un script de lire les chiffres publiés "
        "(/api/v1/) avec les mêmes droits que vous et le même secret statistique. Il n'est "
        "affiché qu'une fois : copiez-le tout de suite. Révoquez-le s'il a pu être divulgué.",
        "en": "A token lets a spreadsheet or a script read the published figures (/api/v1/) "
        "with your rights and the same statistical confidentiality. It is shown only once: "
        "copy it now. Revoke it if it may have leaked.",
    },
    "api.created": {
        "fr": "Jeton créé. Copiez-le maintenant : il ne sera plus jamais affiché.",
        "en": "Token created. Copy it now: it will never be shown again.",
    },
    "api.name": {"fr": "Nom du jeton", "en": "Token name"},
    "api.name_hint": {"fr": "ex. tableur de la coordination", "en": "e.g. coordination sheet"},
    "api.days": {"fr": "Validité", "en": "Valid for"},
    "api.days_n": {"fr": "{n} jours", "en": "{n} days"},
    "api.create": {"fr": "Créer un jeton", "en": "Create a token"},
    "api.none": {"fr": "Aucun jeton pour l'instant.", "en": "No token yet."},
    "api.revoked": {"fr": "révoqué le {date}", "en": "revoked on {date}"},
    "api.expires": {"fr": "expire le {date}", "en": "expires on {date}"},
    "api.used": {"fr": "dernière utilisation : {date}", "en": "last used: {date}"},
    "api.never": {"fr": "jamais", "en": "never"},
    "api.revoke": {"fr": "Révoquer", "en": "Revoke"},
    "account.title": {"fr": "Mon compte", "en": "My account"},
    "account.change": {"fr": "Changer de mot de passe", "en": "Change password"},
    "account.current": {"fr": "Mot de passe actuel", "en": "Current password"},
    "account.new": {"fr": "Nouveau mot de passe", "en": "New password"},
    "account.changed": {"fr": "Mot de passe changé.", "en": "Password changed."},
    "admin.title": {"fr": "Administration", "en": "Administration"},
    "admin.denied": {
        "fr": "Cette page est réservée aux coordinations de filière et à l'agence.",
        "en": "This page is for branch coordinators and the agency.",
    },
    "admin.campaigns": {"fr": "Campagnes", "en": "Campaigns"},
    "admin.organisations": {
        "fr": "Structures et invitations",
        "en": "Organisations and invitations",
    },
    "admin.accounts": {"fr": "Comptes", "en": "Accounts"},
    "admin.audit": {"fr": "Journal d'audit", "en": "Audit log"},
    "admin.new_campaign": {"fr": "Ouvrir une campagne", "en": "Open a campaign"},
    "admin.questionnaire": {
        "fr": "Questionnaire (version publiée)",
        "en": "Questionnaire (published version)",
    },
    "admin.year": {"fr": "Année de référence", "en": "Reference year"},
    "admin.opens": {"fr": "Ouverture", "en": "Opens"},
    "admin.closes": {"fr": "Clôture", "en": "Closes"},
    "admin.title_fr": {"fr": "Titre (français)", "en": "Title (French)"},
    "admin.title_en": {"fr": "Titre (anglais)", "en": "Title (English)"},
    "admin.create": {"fr": "Créer la campagne", "en": "Create the campaign"},
    "admin.created": {"fr": "Campagne créée.", "en": "Campaign created."},
    "admin.close": {"fr": "Clore maintenant", "en": "Close now"},
    "admin.closed": {"fr": "Campagne close.", "en": "Campaign closed."},
    "admin.campaign": {"fr": "Campagne", "en": "Campaign"},
    "admin.invite_orgs": {
        "fr": "Inviter des structures à répondre",
        "en": "Invite organisations to answer",
    },
    "admin.invite_orgs_button": {"fr": "Inviter", "en": "Invite"},
    "admin.invite_none_left": {
        "fr": "Toutes les structures de la filière sont déjà invitées à cette campagne.",
        "en": "Every organisation of the branch is already invited to this campaign.",
    },
    "admin.invite_none_found": {
        "fr": "Aucune structure pas encore invitée ne correspond à cette recherche.",
        "en": "No organisation not yet invited matches this search.",
    },
    "admin.invite_all": {
        "fr": "Inviter toutes les structures de la filière pas encore invitées ({n})",
        "en": "Invite every organisation of the branch not yet invited ({n})",
    },
    "admin.search_orgs": {
        "fr": "Rechercher une structure (nom ou code commune)",
        "en": "Search an organisation (name or commune code)",
    },
    "admin.search_count": {
        "fr": "{shown} structure(s) affichée(s) sur {total} ; précisez la recherche pour "
        "trouver les autres.",
        "en": "{shown} organisation(s) shown of {total}; refine the search to find the others.",
    },
    "admin.status_non_commence": {"fr": "Invitées, pas commencé", "en": "Invited, not started"},
    "admin.status_draft": {"fr": "Brouillon en cours", "en": "Draft in progress"},
    "admin.status_submitted": {"fr": "Réponse envoyée", "en": "Answer submitted"},
    "admin.invited": {"fr": "{n} structure(s) invitée(s).", "en": "{n} organisation(s) invited."},
    "admin.new_account": {
        "fr": "Inviter une personne (compte contributeur)",
        "en": "Invite a person (contributor account)",
    },
    "admin.organisation": {"fr": "Structure", "en": "Organisation"},
    "admin.name": {"fr": "Nom de la personne", "en": "Person's name"},
    "admin.send": {"fr": "Créer le lien d'invitation", "en": "Create the invitation link"},
    "admin.link": {
        "fr": "Lien à transmettre (valable jusqu'au {date}, utilisable une seule fois ; il ne "
        "sera plus affiché) :",
        "en": "Link to send (valid until {date}, single use; it will not be shown again):",
    },
    "admin.reset": {"fr": "Lien de réinitialisation", "en": "Reset link"},
    "admin.reset_for": {"fr": "Compte", "en": "Account"},
    "admin.status": {"fr": "Statut", "en": "Status"},
}
