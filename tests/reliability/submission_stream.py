"""A stream of complete submissions to the SMALL questionnaire, and the writer process of
the crash-safety tests (run as a script; the tests SIGKILL it).

    python submission_stream.py create DB
        says "opening", creates and migrates the store at DB, says "opened", then idles.
    python submission_stream.py stream DB CAMPAIGN_ID FIRST_INDEX
        opens the store, says "ready", then for index FIRST_INDEX, FIRST_INDEX + 1, …:
        creates the organisation "Structure <index>", starts its response to the campaign
        and submits `answers_for(index)`; right after `save(..., submit=True)` returns it
        says "ack <index> <response id>" (an acknowledged submission).

DB is a DuckDB file's path or a PostgreSQL URL (`postgresql://…`, opened with `PgStore`,
as an app server with `OPP_DATABASE_URL` would). Every line is flushed at once, so what the
test reads is exactly what was acknowledged.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import TYPE_CHECKING, Any

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.questionnaire.model import Questionnaire
from opp.services import campaigns as campaign_store
from opp.services import organisations as org_store
from opp.services import responses as response_store
from opp.store import Store, open_store, questionnaires

if TYPE_CHECKING:
    from pathlib import Path

WRITER = Viewer(role=Role.ADMIN, account_id="crash-writer")
LIMIT = 2_000  # never runs forever, even if a test forgets to kill it
COMMUNES = ("31555", "34172", "09122", "66136")


def open_target(db: str | Path) -> Store:
    """Open (and migrate) the store a test points at: a PostgreSQL URL or a DuckDB file."""
    if str(db).startswith("postgresql://"):
        from opp.store.engine_pg import PgStore

        return PgStore(str(db))
    return open_store(db)


def open_campaign(
    store: Store, questionnaire: Questionnaire, campaign_id: str, reference_year: int = 2025
) -> str:
    """Publish the questionnaire (if needed) and open a campaign on it; returns its id."""
    questionnaires.publish(store, questionnaire)
    today = clock.today()
    return campaign_store.create(
        store,
        WRITER,
        filiere=questionnaire.filiere,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        reference_year=reference_year,
        title_fr=f"Campagne {campaign_id}",
        title_en=None,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=10),
        campaign_id=campaign_id,
    ).id


def organisation_name(index: int) -> str:
    return f"Structure {index}"


def index_of(name: str) -> int:
    return int(name.removeprefix("Structure "))


def answers_for(index: int) -> dict[str, Any]:
    """The complete answer set submitted for stream index `index` (SMALL questionnaire)."""
    staff = index % 40 + 1
    items = []
    for number in range(index % 4):
        item: dict[str, Any] = {"jour": dt.date(2025, number + 1, index % 28 + 1)}
        if (index + number) % 2:
            item["commune"] = COMMUNES[(index + number) % len(COMMUNES)]
        if (index + number) % 3:
            item["cachet"] = float(100 * index + number)
        items.append(item)
    answers: dict[str, Any] = {
        "effectif": staff,
        "femmes": index % (staff + 1),
        "nom": f"Compagnie n° {index} — l'été",
        "lieu_type": ("salle", "rue")[index % 2],
    }
    if items:
        answers["dates"] = items
    return answers


def expected_values(answers: dict[str, Any]) -> dict[tuple[str, int], Any]:
    """The value of every answer row (question, item) a submission of `answers` stores."""
    rows: dict[tuple[str, int], Any] = {}
    for question_id, value in answers.items():
        if isinstance(value, list):
            for number, item in enumerate(value, start=1):
                rows |= {(sub_id, number): sub_value for sub_id, sub_value in item.items()}
        else:
            rows[question_id, 0] = value
    return rows


def expected_rows(answers: dict[str, Any]) -> set[tuple[str, int]]:
    """(question, item) of every answer row a complete submission of `answers` must store."""
    return set(expected_values(answers))


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def stream(db: str, campaign_id: str, first: int) -> None:
    store = open_target(db)
    say("ready")
    for index in range(first, first + LIMIT):
        org = org_store.create(
            store,
            WRITER,
            name=organisation_name(index),
            structure_type="compagnie",
            filieres=["cirque"],
            commune="31555",
        )
        viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org.id, filiere="cirque")
        meta = response_store.start(store, viewer, campaign_id)
        response_store.save(
            store, viewer, meta.id, answers_for(index), expected_version=1, submit=True
        )
        say(f"ack {index} {meta.id}")
    store.close()


def create(db: str) -> None:
    say("opening")
    store = open_target(db)
    say("opened")
    time.sleep(60)
    store.close()


if __name__ == "__main__":
    if sys.argv[1] == "create":
        create(sys.argv[2])
    else:
        stream(sys.argv[2], sys.argv[3], int(sys.argv[4]))
