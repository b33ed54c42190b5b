"""Who is looking: the role and scope every read function receives."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from opp.i18n import Vocabulary


class Role(StrEnum):
    CONTRIBUTEUR = "contributeur"
    COORDINATEUR = "coordinateur"
    COREPS = "coreps"
    ADMIN = "admin"


# How each role is named (catalogue messages `role.<code>`).
ROLE_LABELS: Final = Vocabulary("role", tuple(Role))


@dataclass(frozen=True)
class Viewer:
    """Role and scope; `organisation_id` for contributors, `filiere` for coordinators."""

    role: Role
    account_id: str | None = None
    organisation_id: str | None = None
    filiere: str | None = None
    name: str = ""

    @property
    def scope_key(self) -> tuple[str, str, str]:
        """What decides what this viewer may see; part of every cache key."""
        return (str(self.role), self.organisation_id or "", self.filiere or "")

    @property
    def actor(self) -> str:
        """How the audit log names this viewer."""
        return self.account_id or f"{self.role}:{self.organisation_id or self.filiere or '-'}"


SYSTEM = Viewer(role=Role.ADMIN, account_id="system", name="OPP")
