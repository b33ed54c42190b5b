"""Which kind of storage failure a DuckDB error is, from the words DuckDB and the system
use (as met on a real full disk in tests/reliability/test_full_disk.py), and what the
user and the operator are told for each."""

from __future__ import annotations

import logging

import duckdb
import pytest

from opp.store import failures

WAL = "/srv/opp/data/opp.duckdb.wal"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        # A commit on a full disk (the write-ahead log is written at commit).
        (
            duckdb.TransactionException(
                f'TransactionContext Error: Failed to commit: Could not write file "{WAL}": '
                "No space left on device"
            ),
            "full",
        ),
        # The same under a file-size limit (EFBIG) or a quota (EDQUOT).
        (duckdb.IOException(f'IO Error: Could not write file "{WAL}": File too large'), "full"),
        (
            duckdb.IOException(f'IO Error: Could not write file "{WAL}": Disk quota exceeded'),
            "full",
        ),
        # A failing disk.
        (
            duckdb.IOException(f'IO Error: Could not read from file "{WAL}": Input/output error'),
            "io",
        ),
        # A failed checkpoint, and every query after it.
        (
            duckdb.FatalException(
                "FATAL Error: Failed to create checkpoint because of error: Could not write "
                'file "/srv/opp/data/opp.duckdb": No space left on device'
            ),
            "fatal",
        ),
        (
            duckdb.FatalException(
                "FATAL Error: Failed: database has been invalidated because of a previous "
                "fatal error. The database must be restarted prior to being used again."
            ),
            "fatal",
        ),
        # Two sessions writing the same rows: ordinary, "try again".
        (
            duckdb.TransactionException("TransactionContext Error: Conflict on tuple deletion!"),
            "conflict",
        ),
        (
            duckdb.TransactionException(
                "TransactionContext Error: Catalog write-write conflict on alter with x"
            ),
            "conflict",
        ),
        # Not the storage: a constraint or a query the code got wrong.
        (duckdb.ConstraintException("Constraint Error: Duplicate key"), "other"),
        (duckdb.BinderException('Binder Error: Referenced column "x" not found'), "other"),
    ],
)
def test_failures__kind_of_a_duckdb_error(error, kind):
    assert failures.kind_of(error) == kind
    assert failures.is_storage_failure(error) == (kind != "other")


def test_failures__the_user_gets_no_path_the_operator_gets_the_file_and_what_to_do(caplog):
    error = duckdb.TransactionException(
        f'TransactionContext Error: Failed to commit: Could not write file "{WAL}": '
        "No space left on device"
    )
    with caplog.at_level(logging.ERROR, logger="opp"):
        user = failures.user_error(error, path="/srv/opp/data/opp.duckdb", action="commit")
    assert user.code == "STORE_FULL"
    for lang in ("fr", "en"):
        assert "/srv/opp" not in user.message(lang)
        assert user.params["ref"] in user.message(lang)
    [record] = caplog.records
    assert record.levelname == "ERROR"
    line = record.getMessage()
    assert "disk full during commit on /srv/opp/data/opp.duckdb" in line
    assert f"ref {user.params['ref']}" in line
    assert "free space on the disk" in line


def test_failures__a_conflict_is_not_an_operator_matter(caplog):
    error = duckdb.TransactionException("TransactionContext Error: Conflict on update!")
    with caplog.at_level(logging.INFO, logger="opp"):
        user = failures.user_error(error, path="/srv/opp/data/opp.duckdb", action="commit")
    assert user.code == "WRITE_CONFLICT"
    assert caplog.records == []
