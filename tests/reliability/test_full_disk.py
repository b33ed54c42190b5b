"""A server whose disk fills up: saves say so (not "changed elsewhere"), the operator's
log says which file and what to do, a failed checkpoint no longer breaks every later
request, and nothing a contributor typed is lost.

The disk is real: a small tmpfs mounted by the test (`small_disk`, root only) and filled
to the last byte, or a file-size limit (RLIMIT_FSIZE) in a subprocess, which DuckDB meets
as "File too large".

DuckDB-file specific (DuckDB only): these tests fill the disk under the store's own file
and WAL. With `OPP_DATABASE_URL` the disk that can fill is the PostgreSQL server's, which
rolls the transaction back (SQLSTATE 53100, disk_full) and keeps running: an operator's
matter, not tested here.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import click, demo_viewer, widget

from opp import answering
from opp.errors import OppError
from opp.services import erasure, releases
from opp.services import responses as response_store
from opp.store import open_store
from opp.store.backup import compact
from opp.ui.state import get_store

KEY = "contrib:cirque"


def _session(store, viewer):
    [campaign] = [
        c for c in answering.campaigns_for(store, viewer) if c.questionnaire_id == "cirque"
    ]
    return answering.open_session(store, viewer, campaign.id)


@pytest.mark.slow
def test_full_disk__a_save_says_the_disk_is_full_and_writes_nothing(small_disk, demo_file, caplog):
    db = small_disk.root / "opp.duckdb"
    shutil.copy(demo_file, db)
    viewer = demo_viewer(db, KEY)
    store = open_store(db)
    try:
        session = _session(store, viewer)
        store.checkpoint()
        typed = {**session.answers, "nom_structure": "Compagnie du Disque Plein"}
        small_disk.fill()
        with caplog.at_level(logging.ERROR, logger="opp"), pytest.raises(OppError) as info:
            answering.save(store, viewer, session, typed)
        # Before: "cette réponse a été modifiée ailleurs… rechargez la page" (CONFLICT),
        # and nothing in the log.
        assert info.value.code == "STORE_FULL"
        message = info.value.message("fr")
        assert "n'a plus de place sur son disque : rien n'a été enregistré" in message
        assert "reste sur cette page" in message
        assert str(small_disk.root) not in message
        [line] = [r.getMessage() for r in caplog.records if "disk full" in r.getMessage()]
        assert str(db) in line
        assert "free space" in line
        ref = info.value.params["ref"]
        assert ref in line
        assert ref in message

        small_disk.free()
        if session.meta.row_version == 0:  # a first save: not even the response exists
            with pytest.raises(OppError) as missing:
                response_store.load_answers(store, viewer, session.meta.id)
            assert missing.value.code == "NOT_FOUND"
        else:
            stored = response_store.load_answers(store, viewer, session.meta.id)
            assert stored.get("nom_structure") != "Compagnie du Disque Plein"  # nothing
        saved = answering.save(store, viewer, session, typed)  # the same try, space freed
        assert saved.answers["nom_structure"] == "Compagnie du Disque Plein"
    finally:
        store.close()


@pytest.mark.slow
def test_full_disk__a_failed_checkpoint_after_an_erasure_does_not_break_later_requests(
    small_disk, demo_file, caplog
):
    db = _compact_copy(demo_file, small_disk)
    viewer = demo_viewer(db, KEY)
    store = open_store(db)
    try:
        [gone, kept] = response_store.list_visible(store, viewer)[:2]
        # Room for the erasure's log record, not for rewriting blocks of the file.
        small_disk.fill(leave=64 * 1024)
        with caplog.at_level(logging.ERROR, logger="opp"):
            erasure.erase_response(store, viewer, gone.id, "EFFACER")  # committed: no error
        assert "erasure committed, but not yet written" in caplog.text
        # DuckDB has invalidated the database: before, every later query of the process
        # failed ("database has been invalidated… must be restarted") until a restart.
        assert not store.usable()
        small_disk.free()
        store.revive()  # what every request does first (opp.ui.state.open_store_for_run)
        assert store.usable()
        with pytest.raises(OppError) as info:
            response_store.get(store, viewer, gone.id)
        assert info.value.code == "NOT_FOUND"  # the erasure survived the reopening
        assert response_store.get(store, viewer, kept.id).id == kept.id
    finally:
        store.close()


def _compact_copy(demo_file: Path, disk) -> Path:
    """The demo on the small disk, rewritten without free blocks: a checkpoint then has
    to grow the file (a file with free blocks could rewrite in place, disk full or not)."""
    db = disk.root / "opp.duckdb"
    shutil.copy(demo_file, db)
    compact(db, disk.root.parent / "compact-work")
    return db


FILE_SIZE_LIMIT = """
import resource, signal, sys
from conftest import demo_viewer
from opp import answering
from opp.errors import OppError
from opp.store import open_store

db = sys.argv[1]
viewer = demo_viewer(db, "contrib:cirque")
store = open_store(db)
[campaign] = [c for c in answering.campaigns_for(store, viewer) if c.questionnaire_id == "cirque"]
session = answering.open_session(store, viewer, campaign.id)
store.checkpoint()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = 1  # no file may grow any more: the write-ahead log cannot be written
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    answering.save(store, viewer, session, {**session.answers, "nom_structure": "Trop grand"})
except OppError as err:
    print(err.code)
    print(err.message("fr"))
"""


@pytest.mark.slow
def test_full_disk__a_file_size_limit_is_reported_as_a_full_disk(demo_copy):
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FILE_SIZE_LIMIT), str(demo_copy)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[1],
    )
    assert done.returncode == 0, done.stderr
    code, message = done.stdout.splitlines()[:2]
    assert code == "STORE_FULL", done.stdout + done.stderr
    assert "rien n'a été enregistré" in message
    assert "File too large" in done.stderr  # the operator's line, on standard error


@pytest.mark.slow
def test_full_disk__the_answering_page_keeps_what_was_typed(small_disk, demo_file, run_app):
    db = small_disk.root / "opp.duckdb"
    shutil.copy(demo_file, db)
    at = run_app(db, "pages/repondre.py", viewer_key=KEY)
    assert not at.exception
    opened = next(m.value for m in at.markdown if m.value.startswith("### "))
    widget(at.text_input, "nom_structure").set_value("Compagnie du Disque Plein").run()

    # The app's store (one per process) writes its log into the file first: an empty
    # write-ahead log, as after DuckDB's automatic checkpoints (a small save could
    # otherwise fit in the unused end of the log's last page).
    get_store().checkpoint()
    small_disk.fill()
    click(at, "next:")
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any("n'a plus de place sur son disque" in m for m in messages), messages
    assert not any("modifiée ailleurs" in m for m in messages)
    # Same step, and the typed answer is still in its field.
    assert next(m.value for m in at.markdown if m.value.startswith("### ")) == opened
    assert widget(at.text_input, "nom_structure").value == "Compagnie du Disque Plein"

    small_disk.free()
    click(at, "next:")  # the same click once the disk has room: saved, next step
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert next(m.value for m in at.markdown if m.value.startswith("### ")) != opened
    viewer = demo_viewer(db, KEY)
    store = open_store(db)
    try:
        session = _session(store, viewer)
        assert session.answers["nom_structure"] == "Compagnie du Disque Plein"
    finally:
        store.close()


@pytest.mark.slow
def test_full_disk__the_app_reopens_its_store_after_a_fatal_error(small_disk, demo_file, run_app):
    db = _compact_copy(demo_file, small_disk)
    at = run_app(db, viewer_key=KEY)  # the home page, through app.py as every request
    assert not at.exception
    assert not at.error
    published = [m.value for m in at.metric if m.label == "Réponses publiées"]
    # An erasure in another session of the same server, on a nearly full disk: committed,
    # then the checkpoint fails and DuckDB invalidates the database for the process.
    viewer = demo_viewer(db, KEY)
    store = get_store()
    gone = response_store.list_visible(store, viewer)[0]
    small_disk.fill(leave=64 * 1024)
    erasure.erase_response(store, viewer, gone.id, "EFFACER")
    small_disk.free()

    at.run()  # the next request: the store is reopened, the page works
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    # Before: "database has been invalidated… must be restarted" on every page until a
    # restart of the server. Now the figures are there (the release's: the erasure
    # reaches them at the next release), and the erased response is gone.
    assert [m.value for m in at.metric if m.label == "Réponses publiées"] == published
    store = get_store()
    with pytest.raises(OppError):
        response_store.get(store, viewer, gone.id)
    assert releases.pending(store).erasures == 1
