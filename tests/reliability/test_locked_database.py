"""The database file held by another OPP process (a second app, a long CLI task).

tests/app/test_page_accueil.py checks one run of the app against a bare DuckDB holder and
tests/unit/test_store.py the store's error; here a real OPP process holds the file while
the app is run again and again, the CLI is used, and then the holder goes away.

DuckDB-file specific (DuckDB only): a DuckDB file has a single writer process, so a second
process finds it locked. PostgreSQL has no such lock — any number of processes share the
database (tests/reliability/test_concurrency.py runs two app processes on one).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

MESSAGE = "est déjà ouverte par un autre programme"
HOLDER = """
import sys, time
from opp.store import open_store
store = open_store(sys.argv[1])
print("ready", flush=True)
time.sleep(120)
"""


@pytest.fixture
def holder(demo_copy: Path) -> Iterator[subprocess.Popen[str]]:
    """Another OPP process that has opened the demo copy and keeps it open."""
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLDER), str(demo_copy)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _opp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opp", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_locked_database__app_explains_on_every_run_and_recovers_when_freed(
    run_app, demo_copy, holder, caplog
):
    at = run_app(demo_copy)
    for _ in range(3):  # each rerun (a click, a reload) shows the message again, no crash
        assert not at.exception
        [error] = at.error
        # For the visitor: unavailable for now, a reference; no path, no process id.
        assert "OPP est momentanément indisponible" in error.value
        assert str(holder.pid) not in error.value
        assert str(demo_copy) not in error.value
        assert not at.metric  # nothing half-drawn under the message
        at.run()
    # For the operator, in the server's log: which file, which process, what to do.
    assert f"already open in another program (process {holder.pid})" in caplog.text
    assert "Close the other OPP instance" in caplog.text

    holder.kill()
    holder.wait()
    at.run()  # the same session, once the other program is closed: the page works
    assert not at.exception
    assert not at.error
    assert "Réponses publiées" in [m.label for m in at.metric]


@pytest.mark.slow
def test_locked_database__cli_prints_the_message_and_fails(demo_copy, holder, tmp_path):
    before = demo_copy.stat().st_mtime_ns
    for args in (
        ("init-db", "--path", str(demo_copy)),
        ("backup", "--path", str(demo_copy), "--to", str(tmp_path / "backups")),
    ):
        done = _opp(*args)
        assert done.returncode != 0, args
        assert MESSAGE in done.stderr
        assert f"processus {holder.pid}" in done.stderr
        assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "backups").exists()
    assert demo_copy.stat().st_mtime_ns == before  # the held file was not touched
