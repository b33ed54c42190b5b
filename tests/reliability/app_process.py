"""A second (third, …) app server in the multi-process reliability tests on PostgreSQL: a
process of its own opening its own `PgStore` on the test's database URL, as an app server
started with `OPP_DATABASE_URL` does (run as a script).

    python app_process.py submit URL FIRST_SESSION SESSIONS
        says "ready", waits for "go" on its standard input, then runs SESSIONS threads
        (sessions FIRST_SESSION, FIRST_SESSION + 1, …), each submitting its organisations'
        responses to both campaigns (`contribute`); says "problems <JSON list>" at the end.
    python app_process.py save URL RESPONSE_ID ORGANISATION_ID INDEX
        says "ready", waits for "go", then submits `answers_for(INDEX)` to the response with
        expected version 1; says "saved INDEX", or "refused <CODE> <French message>".

The test releases every process with "go" once they are all ready, so that they race.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

from submission_stream import answers_for, say

from opp.access.viewer import Role, Viewer
from opp.services import responses as response_store
from opp.store import Store

ORGANISATIONS_PER_SESSION = 25
CAMPAIGNS = ("concurrence-2024", "concurrence-2025")  # 25 organisations x 2 = 50 each


def organisation_id(index: int) -> str:
    return f"org-{index:04d}"


def contribute(
    store: Store, session: int, barrier: threading.Barrier, problems: list[dict[str, Any]]
) -> None:
    """One session's work: its 25 organisations each answer both campaigns (50 submissions)."""
    barrier.wait()  # every session starts writing at the same moment
    for number in range(ORGANISATIONS_PER_SESSION):
        index = session * ORGANISATIONS_PER_SESSION + number
        viewer = Viewer(
            role=Role.CONTRIBUTEUR, organisation_id=organisation_id(index), filiere="cirque"
        )
        try:
            for campaign_id in CAMPAIGNS:
                meta = response_store.start(store, viewer, campaign_id)
                response_store.save(
                    store,
                    viewer,
                    meta.id,
                    answers_for(index),
                    expected_version=meta.row_version,
                    submit=True,
                )
        except Exception as exc:  # noqa: BLE001 — every failure is reported by the test
            problems.append(
                {
                    "session": session,
                    "index": index,
                    "type": f"{type(exc).__module__}.{type(exc).__name__}",
                    "code": getattr(exc, "code", None),
                    "message": str(exc)[:300],
                }
            )


def _open(url: str) -> Store:
    from opp.store.engine_pg import PgStore

    store = PgStore(url)
    say("ready")
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    return store


def submit(url: str, first: int, sessions: int) -> None:
    store = _open(url)
    barrier = threading.Barrier(sessions)
    problems: list[dict[str, Any]] = []
    threads = [
        threading.Thread(target=contribute, args=(store, first + n, barrier, problems))
        for n in range(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    say("problems " + json.dumps(problems))
    store.close()


def save(url: str, response_id: str, organisation: str, index: int) -> None:
    store = _open(url)
    viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=organisation, filiere="cirque")
    try:
        response_store.save(
            store, viewer, response_id, answers_for(index), expected_version=1, submit=True
        )
    except Exception as exc:  # noqa: BLE001 — the test reads what this writer was told
        message = exc.message("fr") if hasattr(exc, "message") else repr(exc)
        say(f"refused {getattr(exc, 'code', type(exc).__name__)} {message}".replace("\n", " "))
    else:
        say(f"saved {index}")
    store.close()


if __name__ == "__main__":
    if sys.argv[1] == "submit":
        submit(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        save(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
