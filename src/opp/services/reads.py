"""The reads pages make themselves: published questionnaires, campaigns, the latest
release and open-data package, the home page's counts, the audit log, one's own account.

Pages import services, never the store: these are the store's reads behind the names
pages use. Each one that takes a viewer checks it (`READ_QUESTIONNAIRE`, `READ_CAMPAIGN`,
`READ_AUDIT`); the others return what every visitor may see.
"""

from __future__ import annotations

from typing import Any

from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.questionnaire.model import Questionnaire
from opp.services import campaigns, questionnaires, releases
from opp.services.releases import Release
from opp.store import accounts, audit, bulk, open_packages, stats
from opp.store.db import Store
from opp.store.open_packages import OpenPackage
from opp.store.records import Account, Campaign


def questionnaire(
    store: Store, viewer: Viewer, questionnaire_id: str, version: str
) -> Questionnaire:
    """One published version of a questionnaire."""
    return questionnaires.get(store, viewer, questionnaire_id, version)


def questionnaire_history(store: Store, questionnaire_id: str) -> list[Questionnaire]:
    """Every version of a questionnaire, oldest first (versions are public)."""
    return questionnaires.history(store, questionnaire_id)


def published_versions(store: Store, viewer: Viewer) -> list[dict[str, Any]]:
    """Every published version, each questionnaire's newest first (`latest` marks it)."""
    versions = questionnaires.latest_first(questionnaires.list_versions(store, viewer))
    return [v for v in versions if v["status"] != "draft"]


def campaign(store: Store, viewer: Viewer, campaign_id: str) -> Campaign:
    return campaigns.get(store, viewer, campaign_id)


def campaigns_in_scope(store: Store, viewer: Viewer) -> list[Campaign]:
    """Every campaign the viewer may see (e.g. to name them in the audit log)."""
    return campaigns.list_all(store, viewer)


def latest_release(store: Store) -> Release | None:
    """The latest published release (figures come only from releases)."""
    return releases.latest(store)


def overview(store: Store) -> dict[str, Any]:
    """Counts shown on the home page to every visitor."""
    return stats.overview(store)


def audit_entries(
    store: Store,
    viewer: Viewer,
    *,
    object_id: str | None = None,
    action: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """The audit log, newest first, optionally about one object or of one action (the
    agency only)."""
    require(viewer, Action.READ_AUDIT)
    return audit.list_entries(store, object_id=object_id, action=action, limit=limit)


def open_package(store: Store, package_id: str) -> OpenPackage | None:
    """One published open-data package (public: it went through the disclosure layer)."""
    return open_packages.get(store, package_id)


def latest_open_package_id(store: Store) -> str | None:
    """The latest published open-data package (None before the first)."""
    return open_packages.latest_id(store)


def demo_accounts(store: Store) -> list[Account]:
    """The demonstration accounts the sign-in page offers, on a demo instance only (none
    on a real one)."""
    if bulk.get_meta(store, "demo") != "true":
        return []
    return [a for a in accounts.all_accounts(store) if a.demo]


def own_account(store: Store, viewer: Viewer) -> Account | None:
    """The signed-in person's own account (None for a viewer without one)."""
    if not viewer.account_id:
        return None
    return accounts.by_id(store, viewer.account_id)
