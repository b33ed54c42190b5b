"""Demo accounts for every role (they only work while the database holds demo data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opp import clock
from opp.access.viewer import Role
from opp.referentiel import FILIERES
from opp.services.auth import hash_password
from opp.store import bulk, stats

DEMO_PASSWORD = "demo-opp-occitanie"  # noqa: S105 - public on purpose, demo data only
DEMO_DOMAIN = "demo.opp"


def demo_account_rows(store: Any, as_of: dt.date) -> list[dict[str, Any]]:
    """Agency, Coreps, one coordinator per filière, contributors chosen to show the flows."""
    digest = hash_password(DEMO_PASSWORD)
    now = clock.now()
    rows = [
        _row("admin", f"agence@{DEMO_DOMAIN}", "Occitanie en scène", Role.ADMIN),
        _row("coreps", f"coreps@{DEMO_DOMAIN}", "Membre du Coreps", Role.COREPS),
    ]
    for code, label in FILIERES.items():
        rows.append(
            _row(
                f"coord-{code}",
                f"coordination.{code.replace('_', '-')}@{DEMO_DOMAIN}",
                f"Coordination — {label['fr']}",
                Role.COORDINATEUR,
                filiere=code,
            )
        )
    for profile in stats.demo_profiles(store, as_of):
        slug = (
            f"{profile['questionnaire_id'].replace('_', '-')}-{profile['kind'].replace('_', '-')}"
        )
        rows.append(
            _row(
                f"org-{profile['id'][:12]}",
                f"{slug}@{DEMO_DOMAIN}",
                profile["name"],
                Role.CONTRIBUTEUR,
                organisation_id=profile["id"],
                filiere=profile["filiere"],
            )
        )
    for row in rows:
        row |= {"password_hash": digest, "created_at": now}
    return rows


def _row(
    key: str,
    email: str,
    name: str,
    role: Role,
    *,
    organisation_id: str | None = None,
    filiere: str | None = None,
) -> dict[str, Any]:
    return {
        "id": f"demo-{key}",
        "email": email,
        "display_name": name,
        "role": role.value,
        "organisation_id": organisation_id,
        "filiere": filiere,
        "status": "active",
        "demo": True,
    }


def create_demo_accounts(store: Any, as_of: dt.date) -> int:
    rows = demo_account_rows(store, as_of)
    bulk.insert_accounts(store, rows)
    return len(rows)
