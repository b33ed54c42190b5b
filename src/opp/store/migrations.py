"""Versioned schema migrations.

Each migration runs in its own transaction and is recorded in `schema_version`; opening
an older file applies the missing ones and keeps its data. Never edit a released
migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from opp import clock
from opp.errors import OppError

if TYPE_CHECKING:
    from opp.store.db import Store


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...] = ()
    run: Callable[[duckdb.DuckDBPyConnection], None] | None = None
    # The engines whose schema it changes (`Store.engine`); on the others it is recorded
    # and does nothing: an index only PostgreSQL's planner uses costs DuckDB memory and
    # insert time for nothing (DuckDB joins by hashing, its indexes serve point lookups).
    engines: frozenset[str] = frozenset({"duckdb", "postgres"})


V1 = Migration(
    1,
    "initial schema: filières, questionnaires, campaigns, organisations, responses, answers",
    (
        """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
        """CREATE TABLE filieres (
            code VARCHAR PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR)""",
        """CREATE TABLE questionnaire_versions (
            questionnaire_id VARCHAR NOT NULL,
            version VARCHAR NOT NULL,
            filiere VARCHAR NOT NULL,
            audience VARCHAR NOT NULL,
            title_fr VARCHAR NOT NULL,
            title_en VARCHAR,
            status VARCHAR NOT NULL,
            definition JSON NOT NULL,
            published_at TIMESTAMP NOT NULL,
            PRIMARY KEY (questionnaire_id, version))""",
        """CREATE TABLE campaigns (
            id VARCHAR PRIMARY KEY,
            filiere VARCHAR NOT NULL,
            questionnaire_id VARCHAR NOT NULL,
            questionnaire_version VARCHAR NOT NULL,
            reference_year INTEGER NOT NULL,
            title_fr VARCHAR NOT NULL,
            title_en VARCHAR,
            opens_on DATE NOT NULL,
            closes_on DATE NOT NULL,
            created_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE organisations (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            structure_type VARCHAR NOT NULL,
            legal_form VARCHAR,
            commune VARCHAR,
            departement VARCHAR,
            filieres VARCHAR[] NOT NULL,
            created_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE responses (
            id VARCHAR PRIMARY KEY,
            campaign_id VARCHAR NOT NULL,
            organisation_id VARCHAR NOT NULL,
            questionnaire_id VARCHAR NOT NULL,
            questionnaire_version VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            consent VARCHAR NOT NULL DEFAULT 'agrege',
            current_section VARCHAR,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            submitted_at TIMESTAMP,
            row_version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (campaign_id, organisation_id))""",
        # Long format: no primary key (DuckDB ART keys slow bulk loads); the write path
        # replaces a response's rows as a whole, and this index makes that a point delete.
        """CREATE TABLE answers (
            response_id VARCHAR NOT NULL,
            question_id VARCHAR NOT NULL,
            item INTEGER NOT NULL,
            group_id VARCHAR,
            value_num DOUBLE,
            value_text VARCHAR,
            value_bool BOOLEAN,
            value_date DATE,
            value_list VARCHAR[])""",
        "CREATE INDEX answers_response ON answers (response_id)",
        "CREATE SEQUENCE audit_seq START 1",
        """CREATE TABLE audit_log (
            id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
            occurred_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            role VARCHAR,
            action VARCHAR NOT NULL,
            object_type VARCHAR,
            object_id VARCHAR,
            detail JSON)""",
    ),
)

V2 = Migration(
    2,
    "campaign invitations (participation = responses / invited)",
    (
        """CREATE TABLE invitations (
            campaign_id VARCHAR NOT NULL,
            organisation_id VARCHAR NOT NULL,
            invited_at TIMESTAMP NOT NULL,
            invited_by VARCHAR,
            PRIMARY KEY (campaign_id, organisation_id))""",
        # Whoever answered a campaign before invitations existed was, in effect, invited.
        """INSERT INTO invitations
            SELECT DISTINCT campaign_id, organisation_id, min(created_at), NULL
            FROM responses GROUP BY campaign_id, organisation_id""",
    ),
)

V3 = Migration(
    3,
    "accounts, single-use tokens (invitation, reset) and login attempts",
    (
        """CREATE TABLE accounts (
            id VARCHAR PRIMARY KEY,
            email VARCHAR NOT NULL UNIQUE,
            display_name VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            organisation_id VARCHAR,
            filiere VARCHAR,
            password_hash VARCHAR,
            status VARCHAR NOT NULL,
            demo BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL,
            last_login_at TIMESTAMP)""",
        # Tokens are stored hashed: the database never holds a usable link.
        """CREATE TABLE account_tokens (
            token_hash VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            account_id VARCHAR NOT NULL,
            created_by VARCHAR,
            created_at TIMESTAMP NOT NULL,
            expires_at TIMESTAMP NOT NULL,
            used_at TIMESTAMP)""",
        """CREATE TABLE login_attempts (
            occurred_at TIMESTAMP NOT NULL,
            account_key VARCHAR NOT NULL,
            client_key VARCHAR NOT NULL,
            success BOOLEAN NOT NULL)""",
    ),
)

V4 = Migration(
    4,
    "consent history, correction requests and the edit window they open",
    (
        "ALTER TABLE responses ADD COLUMN edit_until DATE",
        """CREATE TABLE consent_history (
            response_id VARCHAR NOT NULL,
            changed_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            from_level VARCHAR,
            to_level VARCHAR NOT NULL)""",
        # The level chosen so far counts as the first entry of every response's history.
        """INSERT INTO consent_history
            SELECT id, coalesce(submitted_at, created_at), 'migration', NULL, consent
            FROM responses""",
        """CREATE TABLE correction_requests (
            id VARCHAR PRIMARY KEY,
            response_id VARCHAR NOT NULL,
            organisation_id VARCHAR NOT NULL,
            requested_by VARCHAR NOT NULL,
            message VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            decided_by VARCHAR,
            decided_at TIMESTAMP,
            decision_reason VARCHAR)""",
    ),
)

V5 = Migration(
    5,
    "co-design: proposals, comments, votes and the draft of each questionnaire's next version",
    (
        """CREATE TABLE proposals (
            id VARCHAR PRIMARY KEY,
            questionnaire_id VARCHAR NOT NULL,
            filiere VARCHAR NOT NULL,
            base_version VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            target VARCHAR NOT NULL,
            edit VARCHAR NOT NULL,
            rationale VARCHAR NOT NULL,
            author VARCHAR,
            author_name VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL,
            decided_by VARCHAR,
            decided_by_name VARCHAR,
            decided_at TIMESTAMP,
            decision_reason VARCHAR,
            published_in VARCHAR)""",
        """CREATE TABLE proposal_comments (
            id VARCHAR PRIMARY KEY,
            proposal_id VARCHAR NOT NULL,
            author VARCHAR,
            author_name VARCHAR NOT NULL,
            body VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE proposal_votes (
            proposal_id VARCHAR NOT NULL,
            voter VARCHAR NOT NULL,
            vote VARCHAR NOT NULL,
            voted_at TIMESTAMP NOT NULL,
            PRIMARY KEY (proposal_id, voter))""",
        """CREATE TABLE questionnaire_drafts (
            questionnaire_id VARCHAR PRIMARY KEY,
            base_version VARCHAR NOT NULL,
            definition VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR NOT NULL)""",
    ),
)


def _first_release(cur: duckdb.DuckDBPyConnection) -> None:
    from opp.store.releases import first_release  # the repository imports this module

    first_release(cur)


V6 = Migration(
    6,
    "releases: numbered, frozen copies of the submitted responses every published figure reads",
    (
        """CREATE TABLE releases (
            id INTEGER PRIMARY KEY,
            published_at TIMESTAMP NOT NULL,
            published_by VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            campaigns JSON NOT NULL,
            responses INTEGER NOT NULL,
            note VARCHAR)""",
        # A response frozen as it was at one row version; releases share unchanged ones.
        # `record_key` is the response's random key of the cell key method: drawn once,
        # the same in every release (so a cell that did not change keeps its noise).
        """CREATE TABLE frozen_responses (
            snapshot VARCHAR PRIMARY KEY,
            response_id VARCHAR NOT NULL,
            organisation_id VARCHAR NOT NULL,
            campaign_id VARCHAR NOT NULL,
            questionnaire_id VARCHAR NOT NULL,
            questionnaire_version VARCHAR NOT NULL,
            consent VARCHAR NOT NULL,
            reference_year INTEGER NOT NULL,
            filiere VARCHAR NOT NULL,
            departement VARCHAR,
            structure_type VARCHAR NOT NULL,
            record_key UBIGINT NOT NULL,
            frozen_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE frozen_answers (
            snapshot VARCHAR NOT NULL,
            question_id VARCHAR NOT NULL,
            item INTEGER NOT NULL,
            group_id VARCHAR,
            value_num DOUBLE,
            value_text VARCHAR,
            value_bool BOOLEAN,
            value_date DATE,
            value_list VARCHAR[])""",
        "CREATE INDEX frozen_answers_snapshot ON frozen_answers (snapshot)",
        """CREATE TABLE release_members (
            release_id INTEGER NOT NULL,
            snapshot VARCHAR NOT NULL,
            PRIMARY KEY (release_id, snapshot))""",
        # Invitations as they stood at a release (the participation figures).
        """CREATE TABLE frozen_invitations (
            release_id INTEGER NOT NULL,
            campaign_id VARCHAR NOT NULL,
            organisation_id VARCHAR NOT NULL,
            reference_year INTEGER NOT NULL,
            filiere VARCHAR NOT NULL,
            departement VARCHAR,
            structure_type VARCHAR NOT NULL,
            submitted BOOLEAN NOT NULL,
            started BOOLEAN NOT NULL,
            record_key UBIGINT NOT NULL,
            PRIMARY KEY (release_id, campaign_id, organisation_id))""",
        # Erased responses and organisations whose frozen copies the next release removes.
        """CREATE TABLE release_erasures (
            response_id VARCHAR,
            organisation_id VARCHAR,
            erased_at TIMESTAMP NOT NULL)""",
    ),
    run=_first_release,
)


V7 = Migration(
    7,
    "directory of structures: SIRET, e-mail, labels; archived structures",
    (
        "ALTER TABLE organisations ADD COLUMN siret VARCHAR",
        "ALTER TABLE organisations ADD COLUMN email VARCHAR",
        "ALTER TABLE organisations ADD COLUMN labels VARCHAR[]",
        "ALTER TABLE organisations ADD COLUMN updated_at TIMESTAMP",
        # Archived structures leave invitation choosers; their past responses stay.
        "ALTER TABLE organisations ADD COLUMN archived_at TIMESTAMP",
        # A SIRET identifies one establishment: two imports at once cannot both create it.
        "CREATE UNIQUE INDEX organisations_siret ON organisations (siret)",
    ),
)

V8 = Migration(
    8,
    "e-mail outbox, campaign contacts and reminder schedule, mail preferences, account "
    "language and session epoch, member approvals, account requests; sign-in keys scrubbed",
    (
        "CREATE SEQUENCE outbox_seq START 1",
        # One row per message. Parameters never hold a secret or answer content: links
        # with a token are minted at send time (`link_kind`), so the database never
        # holds a usable link (see opp.mail.sender).
        """CREATE TABLE outbox (
            id BIGINT PRIMARY KEY DEFAULT nextval('outbox_seq'),
            kind VARCHAR NOT NULL,
            recipient VARCHAR NOT NULL,
            account_id VARCHAR,
            organisation_id VARCHAR,
            campaign_id VARCHAR,
            language VARCHAR NOT NULL,
            params JSON NOT NULL,
            link_kind VARCHAR,
            state VARCHAR NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TIMESTAMP NOT NULL,
            created_by VARCHAR,
            next_attempt_at TIMESTAMP NOT NULL,
            claimed_at TIMESTAMP,
            claimed_by VARCHAR,
            sent_at TIMESTAMP,
            last_error VARCHAR,
            message_id VARCHAR)""",
        # Who was invited to / reminded of a campaign, when: at most one reminder per
        # organisation per day is the primary key's job.
        """CREATE TABLE campaign_contacts (
            campaign_id VARCHAR NOT NULL,
            organisation_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            contacted_on DATE NOT NULL,
            contacted_at TIMESTAMP NOT NULL,
            contacted_by VARCHAR,
            messages INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, organisation_id, kind, contacted_on))""",
        """CREATE TABLE campaign_reminders (
            campaign_id VARCHAR NOT NULL,
            days_before INTEGER NOT NULL,
            created_by VARCHAR,
            done_at TIMESTAMP,
            reminded INTEGER,
            PRIMARY KEY (campaign_id, days_before))""",
        """CREATE TABLE organisation_mail_prefs (
            organisation_id VARCHAR PRIMARY KEY,
            reminders BOOLEAN NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            updated_by VARCHAR)""",
        """CREATE TABLE membership_requests (
            account_id VARCHAR PRIMARY KEY,
            organisation_id VARCHAR NOT NULL,
            requested_by VARCHAR NOT NULL,
            requested_by_name VARCHAR NOT NULL,
            requested_at TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL,
            decided_by VARCHAR,
            decided_at TIMESTAMP)""",
        """CREATE TABLE account_requests (
            id VARCHAR PRIMARY KEY,
            filiere VARCHAR NOT NULL,
            email VARCHAR NOT NULL,
            display_name VARCHAR NOT NULL,
            commune VARCHAR,
            message VARCHAR,
            language VARCHAR NOT NULL,
            client_key VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL,
            decided_by VARCHAR,
            decided_at TIMESTAMP,
            reason VARCHAR,
            account_id VARCHAR)""",
        "ALTER TABLE accounts ADD COLUMN language VARCHAR DEFAULT 'fr'",
        # Sessions remember the epoch they started in; changing the password or disabling
        # the account increments it, which ends every other session (ui/session.py).
        "ALTER TABLE accounts ADD COLUMN session_epoch INTEGER DEFAULT 0",
        # A structure's directory address: added by migration 7 (directory import).
        "ALTER TABLE organisations ADD COLUMN IF NOT EXISTS email VARCHAR",
        # What was typed in the e-mail field (sometimes a password) was kept in clear:
        # attempts only matter for 15 minutes, and failures in the audit log keep the
        # account id when the address was an account's, nothing otherwise.
        "DELETE FROM login_attempts",
        """UPDATE audit_log SET object_id = coalesce(
               (SELECT a.id FROM accounts a WHERE lower(a.email) = lower(audit_log.object_id)),
               'inconnu')
           WHERE action = 'auth.failure'""",
    ),
)

V9 = Migration(
    9,
    "browser sessions kept in a cookie (opaque id stored hashed, expiry, idle time, end), "
    "personal API tokens (stored hashed, expiring, revocable), published open-data packages",
    (
        # One row per signed-in browser. The cookie carries a random token whose SHA-256
        # is `token_hash` (set when the browser claims the session with its one-time
        # `handoff_hash`, see opp.services.web_session); neither is ever stored in clear.
        """CREATE TABLE web_sessions (
            id VARCHAR PRIMARY KEY,
            account_id VARCHAR NOT NULL,
            epoch INTEGER NOT NULL,
            token_hash VARCHAR,
            handoff_hash VARCHAR,
            handoff_expires_at TIMESTAMP,
            created_at TIMESTAMP NOT NULL,
            last_seen TIMESTAMP NOT NULL,
            expires_at TIMESTAMP NOT NULL,
            language VARCHAR,
            ended_at TIMESTAMP,
            ended_reason VARCHAR)""",
        # The token is shown once to its owner; only its SHA-256 is kept, with its first
        # characters (`prefix`) so that the owner can tell their tokens apart.
        """CREATE TABLE api_tokens (
            id VARCHAR PRIMARY KEY,
            account_id VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            prefix VARCHAR NOT NULL,
            token_hash VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            expires_at TIMESTAMP NOT NULL,
            revoked_at TIMESTAMP,
            last_used_at TIMESTAMP)""",
        # Each open-data package the agency published (exactly the files it published,
        # zipped): the public "Chiffres clés" page shows the latest one.
        """CREATE TABLE open_packages (
            id VARCHAR PRIMARY KEY,
            campaign_id VARCHAR NOT NULL,
            release_id INTEGER NOT NULL,
            published_at TIMESTAMP NOT NULL,
            published_by VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            content BLOB NOT NULL)""",
    ),
)

V10 = Migration(
    10,
    "what a contributor said about a step of their response: sections confirmed empty "
    "('Rien à déclarer'), answers carried forward still to confirm",
    (
        # One row per mark; `kind` is 'empty' (target: a section id, confirmed with nothing
        # to declare) or 'to_confirm' (target: a question id carried forward from the
        # previous campaign and not yet confirmed). Replaced with the answers at each save.
        """CREATE TABLE response_marks (
            response_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            target VARCHAR NOT NULL,
            PRIMARY KEY (response_id, kind, target))""",
    ),
)

V11 = Migration(
    11,
    "index of the frozen responses by response: a release looks up each response's earlier "
    "snapshots (its record key), which without it PostgreSQL scans once per response",
    ("CREATE INDEX frozen_responses_response ON frozen_responses (response_id)",),
)

V12 = Migration(
    12,
    "index of the frozen answers by question (PostgreSQL only): a dashboard reads a few "
    "questions of a release, which without it PostgreSQL finds by scanning every answer",
    ("CREATE INDEX frozen_answers_question ON frozen_answers (question_id, snapshot)",),
    engines=frozenset({"postgres"}),
)

V13 = Migration(
    13,
    "the differencing's admitted populations of each release, computed once at publication "
    "(or by a server's warm-up) and read by every server instead of computed again",
    (
        # `digest`: sha256 of the admission's inputs (the atoms' counts, their shape, the
        # threshold, whether the last axis is a breakdown by answers), so a row can only
        # be used for exactly the inputs it was computed from. `allowed`: the admitted
        # populations as packed bits over `shape` (comma-separated axis lengths).
        """CREATE TABLE release_admissions (
            release_id INTEGER NOT NULL,
            digest VARCHAR NOT NULL,
            shape VARCHAR NOT NULL,
            allowed BLOB NOT NULL,
            PRIMARY KEY (release_id, digest))""",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13)
LATEST = MIGRATIONS[-1].version


def current_version(cur: duckdb.DuckDBPyConnection) -> int:
    exists = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(store: Store, target: int | None = None) -> list[int]:
    """Apply missing migrations up to `target` (default: all); returns the versions applied."""
    target = LATEST if target is None else target
    cur = store.cursor()
    cur.execute(
        """CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"""
    )
    found = current_version(cur)
    if found > LATEST:
        raise OppError("STORE_TOO_NEW", found=found, supported=LATEST)
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version <= found or migration.version > target:
            continue
        with store.transaction() as tx:
            for statement in migration.statements if store.engine in migration.engines else ():
                tx.execute(statement)
            if migration.run is not None and store.engine in migration.engines:
                migration.run(tx)
            tx.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [migration.version, migration.description, clock.now()],
            )
        applied.append(migration.version)
    return applied
