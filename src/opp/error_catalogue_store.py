"""Messages of the store (opening the file, failures while writing) and of backups;
merged into `CATALOGUE`.

Two audiences. Messages in `OPERATOR_CODES` name server internals (a file path, a
process id, what to do with the file): the command line prints them, the web pages
never show them to a visitor — they log them and show `STORE_UNAVAILABLE` with a
reference instead (`opp.ui.state.show_error`). The other messages are written for the
person using the site: what happened to what they did, what to do, a reference the
operator finds in the log.
"""

from __future__ import annotations

STORE_ERRORS: dict[str, dict[str, str]] = {
    # --- for the operator (command line, server log) -------------------------------------
    "STORE_LOCKED": {
        "fr": (
            "la base de données « {value} » est déjà ouverte par un autre programme "
            "(processus {holder}). Fermez l'autre instance d'OPP (ou attendez la fin de sa "
            "tâche), puis relancez."
        ),
        "en": (
            "the database '{value}' is already open in another program (process {holder}). "
            "Close the other OPP instance (or wait for its task to finish), then restart."
        ),
    },
    "STORE_UNREADABLE": {
        "fr": (
            "la base de données « {value} » ne peut pas être ouverte ({reason}). Restaurez "
            "la dernière sauvegarde (python -m opp restore SAUVEGARDE --to FICHIER) ; une "
            "base qui ne contient que les données de démonstration peut être recréée avec "
            "python -m opp demo."
        ),
        "en": (
            "the database '{value}' cannot be opened ({reason}). Restore the latest backup "
            "(python -m opp restore BACKUP --to FILE); a database holding only the demo data "
            "can be rebuilt with python -m opp demo."
        ),
    },
    "STORE_CONNECT": {
        "fr": (
            "la base PostgreSQL « {value} » est injoignable ({reason}). Vérifiez "
            "OPP_DATABASE_URL (hôte, port, base, utilisateur, mot de passe) et que le "
            "serveur PostgreSQL est démarré, puis relancez."
        ),
        "en": (
            "the PostgreSQL database '{value}' cannot be reached ({reason}). Check "
            "OPP_DATABASE_URL (host, port, database, user, password) and that the "
            "PostgreSQL server is running, then restart."
        ),
    },
    "STORE_URL": {
        "fr": (
            "OPP_DATABASE_URL commence par « {scheme} » : seul PostgreSQL est pris en charge "
            "(postgresql://utilisateur:motdepasse@hôte:5432/base). Retirez la variable pour "
            "utiliser le fichier DuckDB."
        ),
        "en": (
            "OPP_DATABASE_URL starts with '{scheme}': only PostgreSQL is supported "
            "(postgresql://user:password@host:5432/database). Unset it to use the DuckDB "
            "file."
        ),
    },
    "BACKUP_POSTGRES": {
        "fr": (
            "opp backup copie le fichier DuckDB ; le magasin est dans PostgreSQL "
            "(OPP_DATABASE_URL). Sauvegardez la base avec pg_dump (par exemple "
            "pg_dump -Fc -f opp.dump NOM_DE_LA_BASE) et restaurez-la avec pg_restore."
        ),
        "en": (
            "opp backup copies the DuckDB file; the store is in PostgreSQL "
            "(OPP_DATABASE_URL). Back the database up with pg_dump (for example "
            "pg_dump -Fc -f opp.dump DATABASE_NAME) and restore it with pg_restore."
        ),
    },
    "STORE_TOO_NEW": {
        "fr": (
            "la base est au schéma {found}, plus récent que cette version d'OPP ({supported})."
            " Mettez OPP à jour."
        ),
        "en": (
            "the database has schema {found}, newer than this OPP version ({supported}). "
            "Update OPP."
        ),
    },
    "STORE_MEMORY_LIMIT": {
        "fr": (
            "OPP_DUCKDB_MEMORY_LIMIT vaut « {value} », qui n'est pas une taille mémoire. "
            "Donnez un nombre suivi d'une unité (par exemple 512MB ou 2GB), ou retirez la "
            "variable pour garder la valeur par défaut."
        ),
        "en": (
            "OPP_DUCKDB_MEMORY_LIMIT is '{value}', which is not a memory size. Give a number "
            "followed by a unit (for example 512MB or 2GB), or unset it to keep the default."
        ),
    },
    # --- for the person using the site ---------------------------------------------------
    "STORE_UNAVAILABLE": {
        "fr": (
            "OPP est momentanément indisponible (maintenance du serveur). Rien de ce que vous "
            "aviez enregistré n'est perdu : réessayez dans quelques minutes. Si cela dure, "
            "prévenez l'équipe d'Occitanie en scène en donnant la référence {ref}."
        ),
        "en": (
            "OPP is temporarily unavailable (server maintenance). Nothing you had saved is "
            "lost: try again in a few minutes. If it lasts, tell the Occitanie en scène team, "
            "quoting reference {ref}."
        ),
    },
    "STORE_FULL": {
        "fr": (
            "le serveur n'a plus de place sur son disque : rien n'a été enregistré. Ce que "
            "vous avez saisi reste sur cette page ; réessayez un peu plus tard (l'équipe "
            "technique est prévenue, référence {ref})."
        ),
        "en": (
            "the server's disk is full: nothing was saved. What you typed stays on this "
            "page; try again a little later (the technical team has been told, reference "
            "{ref})."
        ),
    },
    "STORE_IO": {
        "fr": (
            "le serveur n'a pas pu écrire sur son disque : rien n'a été enregistré. Ce que "
            "vous avez saisi reste sur cette page ; réessayez dans quelques minutes "
            "(référence {ref})."
        ),
        "en": (
            "the server could not write to its disk: nothing was saved. What you typed stays "
            "on this page; try again in a few minutes (reference {ref})."
        ),
    },
    "STORE_FATAL": {
        "fr": (
            "le serveur a dû rouvrir sa base de données après une erreur grave de stockage : "
            "votre dernière action n'a peut-être pas été enregistrée. Ce que vous avez saisi "
            "reste sur cette page ; vérifiez et réessayez (référence {ref})."
        ),
        "en": (
            "the server had to reopen its database after a serious storage error: your last "
            "action may not have been saved. What you typed stays on this page; check and "
            "try again (reference {ref})."
        ),
    },
    "STORE_FAILED": {
        "fr": (
            "l'enregistrement a échoué sur le serveur : rien n'a été enregistré. Ce que vous "
            "avez saisi reste sur cette page ; réessayez, et si cela se reproduit, prévenez "
            "l'équipe d'Occitanie en scène (référence {ref})."
        ),
        "en": (
            "saving failed on the server: nothing was saved. What you typed stays on this "
            "page; try again, and if it happens again tell the Occitanie en scène team "
            "(reference {ref})."
        ),
    },
    # --- backups (command line) ------------------------------------------------------------
    "BACKUP_INVALID": {
        "fr": "« {value} » n'est pas une sauvegarde OPP (fichier manifest.json absent ou "
        "illisible).",
        "en": "'{value}' is not an OPP backup (manifest.json missing or unreadable).",
    },
    "BACKUP_TARGET_EXISTS": {
        "fr": "« {value} » existe déjà : choisissez un autre fichier ou supprimez-le d'abord.",
        "en": "'{value}' already exists: choose another file or delete it first.",
    },
    "BACKUP_OLD_FORMAT": {
        "fr": (
            "« {value} » est une sauvegarde d'un ancien format, sans sommes de contrôle : "
            "elle ne peut pas être vérifiée, elle n'est donc pas restaurée. Utilisez une "
            "sauvegarde faite par cette version d'OPP (python -m opp backup)."
        ),
        "en": (
            "'{value}' is a backup in an older format, without checksums: it cannot be "
            "verified, so it is not restored. Use a backup made by this OPP version "
            "(python -m opp backup)."
        ),
    },
    "BACKUP_SCHEMA": {
        "fr": (
            "la sauvegarde « {value} » est au schéma {found}, que cette version d'OPP ne "
            "connaît pas (schémas 1 à {supported}). Restaurez-la avec une version d'OPP à jour."
        ),
        "en": (
            "backup '{value}' has schema {found}, unknown to this OPP version (schemas 1 to "
            "{supported}). Restore it with an up-to-date OPP."
        ),
    },
    "BACKUP_TABLE_UNKNOWN": {
        "fr": (
            "la sauvegarde « {value} » annonce une table « {table} » que le schéma {version} "
            "ne contient pas : sauvegarde modifiée ou d'une autre application, rien n'a été "
            "restauré."
        ),
        "en": (
            "backup '{value}' lists a table '{table}' that schema {version} does not have: "
            "the backup was modified or comes from another application; nothing was restored."
        ),
    },
    "BACKUP_TABLE_MISSING": {
        "fr": (
            "la sauvegarde « {value} » ne contient pas la table « {table} » du schéma "
            "{version} : sauvegarde incomplète, rien n'a été restauré."
        ),
        "en": (
            "backup '{value}' lacks table '{table}' of schema {version}: incomplete backup, "
            "nothing was restored."
        ),
    },
    "BACKUP_FILE_MISSING": {
        "fr": (
            "le fichier « {file} » de la sauvegarde « {value} » est absent : sauvegarde "
            "incomplète, rien n'a été restauré."
        ),
        "en": (
            "file '{file}' of backup '{value}' is missing: incomplete backup, nothing was restored."
        ),
    },
    "BACKUP_CHECKSUM": {
        "fr": (
            "le fichier « {file} » de la sauvegarde « {value} » a été modifié depuis la "
            "sauvegarde (sa somme de contrôle SHA-256 ne correspond plus au manifeste) : "
            "rien n'a été restauré. Prenez une autre sauvegarde."
        ),
        "en": (
            "file '{file}' of backup '{value}' changed since the backup was made (its SHA-256 "
            "checksum no longer matches the manifest): nothing was restored. Use another "
            "backup."
        ),
    },
    "BACKUP_CONTENT": {
        "fr": (
            "le fichier « {file} » de la sauvegarde « {value} » ne correspond pas à la table "
            "« {table} » ({problem}) : rien n'a été restauré."
        ),
        "en": (
            "file '{file}' of backup '{value}' does not match table '{table}' ({problem}): "
            "nothing was restored."
        ),
    },
}

# Messages that name server internals: never shown to a visitor of the web pages.
OPERATOR_CODES = frozenset(
    {
        "STORE_LOCKED",
        "STORE_UNREADABLE",
        "STORE_TOO_NEW",
        "STORE_MEMORY_LIMIT",
        "STORE_CONNECT",
        "STORE_URL",
        "BACKUP_POSTGRES",
    }
)
