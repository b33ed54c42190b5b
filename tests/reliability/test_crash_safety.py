"""Crash safety: a writer process killed (SIGKILL) at random moments loses no acknowledged
submission and never leaves a response with a partial set of answers.

The writer (`submission_stream.py`) submits a stream of complete responses, one organisation
each, and prints a response's id only once `save(..., submit=True)` has returned. After
every kill the store is reopened, exactly as the app would on restart. Both tests run on a
DuckDB file and on a PostgreSQL database of the test cluster (the writer then opens a
`PgStore` on its URL, as an app server with `OPP_DATABASE_URL` does): a client killed
mid-transaction must leave PostgreSQL's copy just as whole — its open transaction is rolled
back when the server sees the connection drop.
"""

from __future__ import annotations

import queue
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ADMIN, pg_copy
from submission_stream import answers_for, expected_rows, index_of, open_campaign, open_target

from opp.access.viewer import Role, Viewer
from opp.services import questionnaires as questionnaire_reads
from opp.services import responses as response_store
from opp.store import migrations, questionnaires

WRITER = Path(__file__).with_name("submission_stream.py")
SEED = 20250611
ROUNDS = 8
WAIT = 120  # seconds a silent writer may take before the test gives up (never a pass)


class Writer:
    """A writer subprocess whose output lines are collected by a reader thread."""

    def __init__(self, args: list[str], log: Path) -> None:
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), *args],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, line: str, times: int = 1) -> None:
        """Block until the process has printed `line` (or lines starting with it) `times`."""
        while sum(s == line or s.startswith(line + " ") for s in self.seen) < times:
            try:
                self.seen.append(self.lines.get(timeout=WAIT))
            except queue.Empty:
                pytest.fail(f"writer silent for {WAIT}s; its log: {self._log.name}")

    def kill(self) -> list[str]:
        """SIGKILL, then every line the process printed before dying."""
        self.proc.kill()
        self.proc.wait()
        self._reader.join()
        self._log.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.seen

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.proc.poll() is None:  # a failed wait: do not leave the writer running
            self.kill()


@pytest.fixture(params=["duckdb", "postgres"])
def store_at(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Where a test's store lives, by name: a DuckDB file, or a PostgreSQL database that is
    migrated (name "crash") or left empty (any other name: the writer creates the schema)."""
    if request.param == "duckdb":
        yield lambda name: str(tmp_path / f"{name}.duckdb")
        return
    cluster = request.getfixturevalue("pg_cluster")
    template = request.getfixturevalue("pg_template")
    copies: list[Iterator[str]] = []

    def database(name: str) -> str:
        copies.append(pg_copy(cluster, template if name == "crash" else "template0"))
        return next(copies[-1])

    yield database
    for copy in copies:
        next(copy, None)  # drops the database


def _check_store(path: str, acknowledged: dict[str, int]) -> dict[str, int]:
    """Reopen the store and check every response; returns the number of responses by status."""
    store = open_target(path)  # must open: a killed writer never leaves an unusable store
    try:
        cur = store.cursor()
        responses = cur.execute(
            "SELECT r.id, r.status, r.row_version, o.name, r.organisation_id "
            "FROM responses r JOIN organisations o ON o.id = r.organisation_id"
        ).fetchall()
        rows: dict[str, set[tuple[str, int]]] = {}
        for response_id, question_id, item in cur.execute(
            "SELECT response_id, question_id, item FROM answers"
        ).fetchall():
            rows.setdefault(response_id, set()).add((question_id, item))
        counts = dict(
            cur.execute("SELECT response_id, count(*) FROM answers GROUP BY response_id").fetchall()
        )
        statuses: dict[str, int] = {"submitted": 0, "draft": 0}
        by_id = {r[0]: r for r in responses}
        for response_id, status, row_version, name, organisation_id in responses:
            statuses[status] += 1
            if status == "draft":  # started, never saved: no answer at all
                assert row_version == 1, response_id
                assert response_id not in rows, f"draft {response_id} holds answer rows"
                continue
            assert status == "submitted", status
            assert row_version == 2, response_id
            sent = answers_for(index_of(name))
            assert rows.get(response_id) == expected_rows(sent), f"partial set: {response_id}"
            assert counts[response_id] == len(expected_rows(sent)), response_id
            viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=organisation_id)
            assert response_store.load_answers(store, viewer, response_id) == sent
        assert set(rows) <= set(by_id), "answer rows without their response"
        for response_id, index in acknowledged.items():
            assert response_id in by_id, f"acknowledged submission {index} lost"
            _, status, _, name, _ = by_id[response_id]
            assert status == "submitted", f"acknowledged submission {index} is {status}"
            assert index_of(name) == index
        audit = cur.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'response.submit' AND object_id IN "
            "(SELECT id FROM responses WHERE status = 'submitted')"
        ).fetchone()[0]
        assert audit == statuses["submitted"]  # each submission committed with its audit line
    finally:
        store.close()
    return statuses


@pytest.mark.slow
def test_crash_safety__killed_writer_loses_no_acknowledged_submission(
    tmp_path, store_at, make_questionnaire
):
    path = store_at("crash")
    store = open_target(path)
    try:
        campaign_id = open_campaign(store, make_questionnaire(), "flux-2025")
    finally:
        store.close()
    rng = random.Random(SEED)
    acknowledged: dict[str, int] = {}
    next_index = promised = 0
    for _ in range(ROUNDS):
        args = ["stream", str(path), campaign_id, str(next_index)]
        with Writer(args, tmp_path / "writer.log") as writer:
            writer.wait_for("ready")
            # Let it acknowledge a random number of submissions, then kill it a random
            # fraction of a submission later (mid-validation, mid-transaction, mid-print…).
            wanted = rng.randint(0, 6)
            writer.wait_for("ack", times=wanted)
            promised += wanted
            time.sleep(rng.uniform(0, 0.05))
            printed = writer.kill()
        for line in printed:
            if line.startswith("ack "):
                _, index, response_id = line.split()
                acknowledged[response_id] = int(index)
                next_index = max(next_index, int(index) + 1)
        # A submission that was running when the writer died may or may not have been
        # committed; the next writer starts after it so that indexes stay distinct.
        next_index += 1
        statuses = _check_store(path, acknowledged)
        assert statuses["submitted"] >= len(acknowledged)
    assert len(acknowledged) >= promised > 0  # the stream moved on across restarts


@pytest.mark.slow
def test_crash_safety__killed_while_creating_the_database_file(
    tmp_path, store_at, make_questionnaire
):
    """A writer killed while it creates the schema (a new DuckDB file, or the migrations of an
    empty PostgreSQL database, each one transaction under the migration lock)."""
    rng = random.Random(SEED)
    for round_number in range(5):
        path = store_at(f"new-{round_number}")
        with Writer(["create", path], tmp_path / "writer.log") as writer:
            writer.wait_for("opening")
            time.sleep(rng.uniform(0, 0.3))  # during creation, a migration, or just after
            writer.kill()
        store = open_target(path)  # the app's next start: opens, finishes the migrations
        try:
            versions = store.cursor().execute("SELECT version FROM schema_version").fetchall()
            assert sorted(v[0] for v in versions) == [m.version for m in migrations.MIGRATIONS]
            questionnaires.publish(store, make_questionnaire())  # and is usable
            assert questionnaire_reads.latest(store, ADMIN, "petit").version == "1.0.0"
        finally:
            store.close()
