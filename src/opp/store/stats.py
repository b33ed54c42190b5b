"""Directory figures for the landing page: how many structures and artists are listed.

These counts describe the directory (who may take part), not what anyone answered, so
they are shown to all. Participation figures (who answered) are published figures and
come from a release through the disclosure layer (indicator `taux_participation`).
"""

from __future__ import annotations

from typing import Any

from opp.store.db import Store
from opp.store.records import single


def overview(store: Store) -> dict[str, Any]:
    """Counts shown to everyone, including visitors who are not signed in."""
    cur = store.cursor()
    structures = dict(
        cur.execute(
            "SELECT f.code, count(o.id) FROM filieres f "
            "LEFT JOIN organisations o ON list_contains(o.filieres, f.code) "
            "AND o.structure_type <> 'artiste' AND o.archived_at IS NULL GROUP BY f.code"
        ).fetchall()
    )
    artists = single(
        cur.execute(
            "SELECT count(*) FROM organisations WHERE structure_type = 'artiste' "
            "AND archived_at IS NULL"
        ).fetchone()
    )[0]
    departements = single(
        cur.execute(
            "SELECT count(DISTINCT departement) FROM organisations "
            "WHERE departement IS NOT NULL AND archived_at IS NULL"
        ).fetchone()
    )[0]
    return {"structures": structures, "artists": artists, "departements": departements}


def demo_profiles(store: Store, today: Any) -> list[dict[str, Any]]:
    """Organisations that show the answering flows well, one or two per filière.

    For each filière questionnaire: one organisation that answered the previous campaign
    and has not started the open one (carry forward), and one with a draft.
    """
    cur = store.cursor()
    rows = cur.execute(
        """
        WITH open_c AS (
            SELECT * FROM campaigns WHERE opens_on <= ? AND closes_on >= ?
        ), prev_c AS (
            SELECT c.* FROM campaigns c JOIN open_c o
              ON c.questionnaire_id = o.questionnaire_id
             AND c.reference_year = o.reference_year - 1
        ), fresh AS (
            SELECT o.id, o.name, o.structure_type, oc.filiere, oc.questionnaire_id,
                   'carry_forward' AS kind
            FROM organisations o
            JOIN prev_c pc ON list_contains(o.filieres, pc.filiere)
            JOIN responses pr ON pr.campaign_id = pc.id AND pr.organisation_id = o.id
                             AND pr.status = 'submitted'
            JOIN open_c oc ON oc.questionnaire_id = pc.questionnaire_id
            WHERE NOT EXISTS (SELECT 1 FROM responses r
                              WHERE r.campaign_id = oc.id AND r.organisation_id = o.id)
        ), drafting AS (
            SELECT o.id, o.name, o.structure_type, oc.filiere, oc.questionnaire_id,
                   'draft' AS kind
            FROM organisations o
            JOIN open_c oc ON list_contains(o.filieres, oc.filiere)
            JOIN responses r ON r.campaign_id = oc.id AND r.organisation_id = o.id
                            AND r.status = 'draft'
        ), ranked AS (
            SELECT *, row_number() OVER (
                PARTITION BY questionnaire_id, kind ORDER BY name, id) AS rank
            FROM (SELECT * FROM fresh UNION ALL SELECT * FROM drafting)
        )
        SELECT id, name, structure_type, filiere, questionnaire_id, kind
        FROM ranked WHERE rank = 1 ORDER BY questionnaire_id, kind
        """,
        [today, today],
    ).fetchall()
    names = ["id", "name", "structure_type", "filiere", "questionnaire_id", "kind"]
    return [dict(zip(names, row, strict=True)) for row in rows]
