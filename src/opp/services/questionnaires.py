"""Reading published questionnaire versions (`READ_QUESTIONNAIRE`: every role, so that
contributors see what they are asked); the definitions are read by
`opp.store.questionnaires`, which takes no viewer."""

from __future__ import annotations

from typing import Any

from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.questionnaire.model import Questionnaire
from opp.store import questionnaires as repo
from opp.store.db import Store

__all__ = ["get", "history", "latest", "latest_first", "list_versions"]


def get(store: Store, viewer: Viewer, questionnaire_id: str, version: str) -> Questionnaire:
    """One published version of a questionnaire."""
    require(viewer, Action.READ_QUESTIONNAIRE)
    return repo.get(store, questionnaire_id, version)


def list_versions(
    store: Store, viewer: Viewer, questionnaire_id: str | None = None
) -> list[dict[str, Any]]:
    """Every stored version (of one questionnaire), by publication date."""
    require(viewer, Action.READ_QUESTIONNAIRE)
    return repo.list_versions(store, questionnaire_id)


def latest(store: Store, viewer: Viewer, questionnaire_id: str) -> Questionnaire:
    """The highest published version (campaigns may still use older ones)."""
    require(viewer, Action.READ_QUESTIONNAIRE)
    return repo.latest(store, questionnaire_id)


def history(store: Store, questionnaire_id: str) -> list[Questionnaire]:
    """Every version of a questionnaire, oldest first (versions are public)."""
    return repo.history(store, questionnaire_id)


def latest_first(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Versions grouped by questionnaire, each one's newest first, `latest` marking it."""
    return repo.latest_first(versions)
