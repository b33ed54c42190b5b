"""Open data: the answers of responses whose organisation chose the "ouvert" consent level,
without any question marked `personal` (names, individual pay, age…). Every other
response stays out, whatever the viewer."""

from __future__ import annotations

import polars as pl

from opp.access.policy import can_manage_campaigns, forbidden
from opp.access.viewer import Role, Viewer
from opp.mydata import labelled_answers
from opp.store import campaigns, organisations, questionnaires
from opp.store import responses as response_store
from opp.store.db import Store

OPEN = "ouvert"


def open_answers(store: Store, viewer: Viewer, filiere: str | None = None) -> pl.DataFrame:
    """Long table: campaign, organisation, question, value — "ouvert" responses only."""
    if viewer.role not in (Role.ADMIN, Role.COORDINATEUR):
        raise forbidden(viewer, "manage_campaigns")
    filiere = viewer.filiere if viewer.role is Role.COORDINATEUR else filiere
    rows = []
    for meta in response_store.list_visible(store, viewer, status="submitted"):
        if meta.consent != OPEN:
            continue
        campaign = campaigns.get(store, viewer, meta.campaign_id)
        if filiere and campaign.filiere != filiere:
            continue
        if not can_manage_campaigns(viewer, campaign.filiere):
            continue
        questionnaire = questionnaires.get(
            store, viewer, meta.questionnaire_id, meta.questionnaire_version
        )
        personal = {q.id for q in questionnaire.questions.values() if q.personal}
        org = organisations.get(store, viewer, meta.organisation_id)
        answers = response_store.load_answers(store, viewer, meta.id)
        for row in labelled_answers(questionnaire, answers):
            if row["question_id"] in personal:
                continue
            rows.append(
                {
                    "campagne": campaign.id,
                    "annee": campaign.reference_year,
                    "filiere": campaign.filiere,
                    "structure": org.name,
                    "departement": org.departement,
                    "question": row["question_id"],
                    "libelle": row["label_fr"],
                    "element": row["item"],
                    "valeur": row["display_fr"],
                }
            )
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()
