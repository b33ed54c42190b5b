"""Messages of accounts, sign-in, sessions, account requests and e-mail; merged into
`CATALOGUE`."""

from __future__ import annotations

ACCOUNT_ERRORS: dict[str, dict[str, str]] = {
    "AUTH_DELAYED": {
        "fr": "trop de tentatives de connexion ont échoué : attendez {seconds} secondes avant "
        "de réessayer, ou choisissez un nouveau mot de passe (« Mot de passe oublié ? »).",
        "en": "too many sign-in attempts failed: wait {seconds} seconds before trying again, "
        "or choose a new password ('Forgot your password?').",
    },
    "AUTH_SSO_UNVERIFIED": {
        "fr": "le fournisseur d'identité n'a pas vérifié cette adresse électronique : "
        "vérifiez-la chez lui, ou connectez-vous avec votre mot de passe OPP.",
        "en": "the identity provider has not verified this e-mail address: verify it there, "
        "or sign in with your OPP password.",
    },
    "SESSION_ENDED_SIGNED_OUT": {
        "fr": "votre session est fermée : vous vous êtes déconnecté·e (dans cet onglet ou un "
        "autre). Reconnectez-vous pour continuer.",
        "en": "your session has ended: you signed out (in this tab or another one). Sign in "
        "again to continue.",
    },
    "API_TOKEN_INVALID": {
        "fr": "jeton d'API inconnu : vérifiez l'en-tête « Authorization: Bearer <jeton> » ou "
        "créez un jeton dans « Mon compte ».",
        "en": "unknown API token: check the 'Authorization: Bearer <token>' header or create "
        "a token in 'My account'.",
    },
    "API_TOKEN_EXPIRED": {
        "fr": "ce jeton d'API a expiré le {date} : créez-en un nouveau dans « Mon compte ».",
        "en": "this API token expired on {date}: create a new one in 'My account'.",
    },
    "API_TOKEN_REVOKED": {
        "fr": "ce jeton d'API a été révoqué le {date} : créez-en un nouveau dans « Mon compte ».",
        "en": "this API token was revoked on {date}: create a new one in 'My account'.",
    },
    "API_TOKEN_ACCOUNT": {
        "fr": "le compte de ce jeton d'API est désactivé ou supprimé : le jeton ne donne plus "
        "accès à rien.",
        "en": "the account of this API token is disabled or deleted: the token opens nothing "
        "any more.",
    },
    "API_TOKEN_NAME": {
        "fr": "donnez un nom au jeton (1 à 60 caractères), par exemple « tableur de la "
        "coordination ».",
        "en": "give the token a name (1 to 60 characters), for example 'coordination spreadsheet'.",
    },
    "API_TOKEN_DAYS": {
        "fr": "durée de validité refusée : choisissez entre 1 et {max} jours.",
        "en": "validity refused: choose between 1 and {max} days.",
    },
    "API_RATE_LIMITED": {
        "fr": "trop de requêtes : au plus {limit} par minute. Réessayez dans {seconds} secondes.",
        "en": "too many requests: at most {limit} per minute. Try again in {seconds} seconds.",
    },
    "API_YEAR": {
        "fr": "année « {value} » refusée : années publiées : {expected}.",
        "en": "year '{value}' refused: published years: {expected}.",
    },
    "SESSION_TOO_OLD": {
        "fr": "votre session a atteint sa durée maximale de {hours} heures : reconnectez-vous.",
        "en": "your session reached its maximum length of {hours} hours: sign in again.",
    },
    "SESSION_ENDED_GONE": {
        "fr": "votre session est fermée : ce compte n'existe plus (structure effacée ?).",
        "en": "your session has ended: this account no longer exists (organisation erased?).",
    },
    "SESSION_ENDED_DISABLED": {
        "fr": "votre session est fermée : ce compte a été désactivé. Contactez votre "
        "coordination ou l'équipe d'Occitanie en scène.",
        "en": "your session has ended: this account was disabled. Contact your coordinator "
        "or the Occitanie en scène team.",
    },
    "SESSION_ENDED_CHANGED": {
        "fr": "votre session est fermée : le mot de passe de ce compte a changé. "
        "Reconnectez-vous avec le nouveau.",
        "en": "your session has ended: this account's password changed. Sign in with the new one.",
    },
    "RESET_TOO_SOON": {
        "fr": "un lien a déjà été envoyé à ce compte il y a moins de {minutes} minutes : "
        "attendez-le (vérifiez les indésirables) avant d'en demander un autre.",
        "en": "a link was sent to this account less than {minutes} minutes ago: wait for it "
        "(check the spam folder) before asking for another one.",
    },
    "ACCOUNT_NOT_RESETTABLE": {
        "fr": "impossible pour un compte « {status} » : réactivez-le, ou attendez l'accord "
        "d'un membre de sa structure.",
        "en": "not possible for a '{status}' account: enable it again, or wait for a member "
        "of its organisation to approve it.",
    },
    "MEMBERSHIP_DECIDED": {
        "fr": "cette demande d'ajout a déjà reçu une réponse (ou n'existe plus).",
        "en": "this request to join has already been answered (or no longer exists).",
    },
    "ADMIN_NO_FILIERE": {
        "fr": "choisissez la filière de ce compte de coordination.",
        "en": "choose the branch of this coordinator account.",
    },
    "TRUSTED_PROXIES_INVALID": {
        "fr": "réglage OPP_TRUSTED_PROXIES : « {value} » n'est ni une adresse IP ni un réseau "
        "(exemples : 127.0.0.1, 10.0.0.0/8). Corrigez-le puis redémarrez.",
        "en": "setting OPP_TRUSTED_PROXIES: '{value}' is neither an IP address nor a network "
        "(e.g. 127.0.0.1, 10.0.0.0/8). Fix it and restart.",
    },
    # --- account requests (public form) -----------------------------------------------
    "REQUEST_CLOSED": {
        "fr": "ce réseau ne reçoit pas de demandes de compte par ce lien. Demandez le bon "
        "lien à votre réseau.",
        "en": "this network does not take account requests through this link. Ask your "
        "network for the right link.",
    },
    "REQUEST_NAME": {
        "fr": "indiquez votre nom (ou votre nom d'artiste), 2 caractères au moins.",
        "en": "give your name (or stage name), at least 2 characters.",
    },
    "REQUEST_TOO_MANY": {
        "fr": "trop de demandes envoyées depuis cette connexion : réessayez dans une heure.",
        "en": "too many requests sent from this connection: try again in an hour.",
    },
    "REQUEST_DECIDED": {
        "fr": "cette demande de compte a déjà reçu une réponse.",
        "en": "this account request has already been answered.",
    },
    "COMMUNE_UNKNOWN": {
        "fr": "commune « {value} » inconnue en Occitanie : choisissez-la dans la liste.",
        "en": "unknown municipality '{value}' in Occitanie: pick it from the list.",
    },
    # --- e-mail --------------------------------------------------------------------------
    "MAIL_URL_INVALID": {
        "fr": "réglage OPP_SMTP_URL « {value} » invalide ({reason}). Forme attendue : "
        "smtp://hote:25, smtp+starttls://utilisateur:motdepasse@hote:587 ou "
        "smtps://utilisateur:motdepasse@hote:465.",
        "en": "invalid OPP_SMTP_URL setting '{value}' ({reason}). Expected: smtp://host:25, "
        "smtp+starttls://user:password@host:587 or smtps://user:password@host:465.",
    },
    "MAIL_FROM_INVALID": {
        "fr": "réglage OPP_MAIL_FROM « {value} » invalide : écrivez une adresse, par exemple "
        "« OPP <opp@exemple.fr> ».",
        "en": "invalid OPP_MAIL_FROM setting '{value}': write an address, for example "
        "'OPP <opp@example.org>'.",
    },
    "MAIL_SETTING_MISSING": {
        "fr": "le réglage {setting} manque : OPP_SMTP_URL et OPP_MAIL_FROM vont ensemble.",
        "en": "the {setting} setting is missing: OPP_SMTP_URL and OPP_MAIL_FROM go together.",
    },
    "CAMPAIGN_NOT_RUNNING": {
        "fr": "la campagne « {value} » n'est pas ouverte : les rappels ne partent que pendant "
        "qu'elle l'est.",
        "en": "the campaign '{value}' is not open: reminders only go while it is.",
    },
    "REMINDER_DAYS": {
        "fr": "jours avant la clôture « {value} » invalides : des nombres entiers de 1 à 60, "
        "séparés par des virgules (ex. 14, 3).",
        "en": "invalid days before closing '{value}': whole numbers from 1 to 60, separated "
        "by commas (e.g. 14, 3).",
    },
}
