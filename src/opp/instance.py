"""An OPP instance: the demo region, or an agency's own data from an empty start.

`init_empty` creates the schema and publishes the questionnaires of `surveys/`, no demo
data; `create_admin` creates the first administrator with a single-use set-up link (the
same invitation rules as every account, `opp.services.membership.invite`). What is demo-specific
(demo accounts, sign-in buttons, texts) is shown only while the database says it holds
the demo region (`meta.demo`), so an agency's instance never shows it.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from opp import clock, settings
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.i18n import LANGUAGES, gettext, ngettext
from opp.questionnaire.model import Questionnaire
from opp.referentiel import FILIERES
from opp.services import auth, membership
from opp.store import accounts, bulk, questionnaires
from opp.store import instance as instance_store
from opp.store.db import Store

INSTANCE_KEY = "instance"  # meta key: "real" for an instance created empty


def operator() -> Viewer:
    """Who acts from the command line: the server's operator, named in the audit log."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a container user without a name
        user = "inconnu"
    return Viewer(role=Role.ADMIN, account_id=f"operateur:{user}", name="Opérateur (CLI)")


def is_demo(store: Store) -> bool:
    """The database holds the demo region (demo accounts and texts may be shown)."""
    return bulk.get_meta(store, "demo") == "true"


def is_real(store: Store) -> bool:
    """The database was created empty for an agency's own data."""
    return bulk.get_meta(store, INSTANCE_KEY) == "real"


def data_counts(store: Store) -> dict[str, int]:
    return instance_store.data_counts(store)


def describe_counts(counts: dict[str, int]) -> dict[str, str]:
    """ "3 structures, 1 compte" in every language, for messages (catalogue plurals
    `instance.count.<table>`)."""
    out = {}
    for lang in LANGUAGES:
        parts = [ngettext(f"instance.count.{t}", n, lang) for t, n in counts.items() if n]
        out[lang] = ", ".join(parts) or gettext("instance.empty", lang)
    return out


def holds_data(store: Store) -> bool:
    return any(data_counts(store).values())


def wants_demo(store: Store) -> bool:
    """`init-db` (what `make run` does) builds the demo only in a file nobody uses yet:
    never in an instance created empty, even before its first structure is imported."""
    return not is_real(store) and not holds_data(store)


@dataclass
class InitSummary:
    already: bool  # the file was an empty instance already: nothing created
    published: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def init_empty(store: Store, catalogue: list[Questionnaire]) -> InitSummary:
    """Schema (opening the store migrated it), filières and questionnaire versions; no
    demo data. Refuses a file that holds the demo or someone's data; an instance created
    empty before only gets the questionnaire versions it lacks."""
    counts = data_counts(store)
    if is_demo(store):
        raise OppError("INSTANCE_DEMO", value=store.path)
    already = is_real(store)
    if any(counts.values()) and not already:
        raise OppError("INSTANCE_HOLDS_DATA", value=store.path, counts=describe_counts(counts))
    if not already:
        bulk.publish_catalogue(store, [], FILIERES)
    published, edited = questionnaires.sync(store, catalogue)
    if not already:
        bulk.set_meta(store, {INSTANCE_KEY: "real", "created_at": clock.now().isoformat()})
        bulk.audit(store, operator(), "instance.init", {"questionnaires": published})
    store.bump()
    return InitSummary(already=already, published=published, edited=edited, counts=counts)


@dataclass(frozen=True)
class AdminLink:
    email: str
    url: str
    expires_at: str  # dd/mm/yyyy
    renewed: bool  # a new link for an administrator who never used theirs


def create_admin(
    store: Store, email: str, *, name: str | None = None, another: bool = False
) -> AdminLink:
    """An administrator account awaiting its password, and its single-use set-up link.

    Refused when an administrator exists, unless `another`. The same address of an
    administrator who never activated their account gets a new link (the old account,
    which holds nothing, is replaced): a lost or expired first link is not a dead end."""
    email = auth.check_email(email)
    admins = [a for a in accounts.all_accounts(store) if a.role == Role.ADMIN.value]
    pending = next(
        (a for a in admins if a.email == email and a.status == "invited" and not a.password_hash),
        None,
    )
    if admins and not another and pending is None:
        raise OppError("ADMIN_EXISTS", emails=[a.email for a in admins][:5])
    actor = operator()
    if pending is not None:
        instance_store.remove_pending_account(store, actor, pending.id)
    # The account (its invitation mail waits in the outbox until mail is set up), and a
    # link for the operator to open at once: both follow the invitation rules.
    invited = membership.invite(
        store, actor, email=email, display_name=(name or "").strip() or email, role=Role.ADMIN
    )
    token, expires = auth.mint_token(
        store, invited.account.id, "invitation", created_by=actor.actor
    )
    return AdminLink(
        email=email,
        url=f"{settings.base_url()}/connexion?invitation={token}",
        expires_at=expires.strftime("%d/%m/%Y"),
        renewed=pending is not None,
    )
