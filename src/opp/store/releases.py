"""Releases: numbered, frozen copies of the submitted responses every figure is read from.

Published figures never come from live rows: a submission, a correction or an erasure
would otherwise change a dashboard at once, and the difference of two views taken
before and after is that structure's answers. A release freezes, in one transaction,
the submitted responses of the campaigns it covers (each as it was at one row version,
shared by later releases while it does not change) and the invitations (participation).

Every frozen response carries its *record key*, a random 32-bit number drawn the first
time the response is frozen and kept in every later release: the cell key method
(`opp.indicators.perturbation`) derives each published cell's noise from the keys of
its contributors, so an unchanged cell keeps the same noise from release to release.

An erasure removes the live rows at once and queues the frozen copies here; the next
release removes them (so every figure changes only from one release to the next).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any, Protocol

import duckdb
import polars as pl
from pydantic import BaseModel, ConfigDict

from opp import clock
from opp.errors import OppError
from opp.i18n import texts
from opp.store import audit
from opp.store.db import Store
from opp.store.records import SYSTEM_ACTOR, Actor

KEY_BITS = 32


class ReleaseCampaign(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    filiere: str
    questionnaire_id: str
    reference_year: int
    provisional: bool  # still open when released: its figures may change at the next one


class Release(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int  # the release number, 1, 2, 3…
    published_at: dt.datetime
    published_by: str
    reason: str  # "campaign_closed" | "agency" | "demo"
    campaigns: tuple[ReleaseCampaign, ...]
    responses: int
    note: str | None = None

    def years(self) -> list[int]:
        return sorted({c.reference_year for c in self.campaigns}, reverse=True)

    def provisional_years(self) -> list[int]:
        return sorted({c.reference_year for c in self.campaigns if c.provisional})


class Pending(BaseModel):
    """What the next release would change: why one is due."""

    model_config = ConfigDict(frozen=True)

    closed_campaigns: tuple[str, ...] = ()  # closed since the latest release
    changed_responses: int = 0  # of closed campaigns, corrected or withdrawn since
    provisional_changes: int = 0  # of open campaigns released provisionally (not due)
    erasures: int = 0  # erased since, still in frozen copies

    @property
    def due(self) -> bool:
        return bool(self.closed_campaigns or self.changed_responses or self.erasures)


_COLUMNS = "id, published_at, published_by, reason, campaigns, responses, note"


def _release(row: tuple[Any, ...]) -> Release:
    values = dict(zip([c.strip() for c in _COLUMNS.split(",")], row, strict=True))
    values["campaigns"] = tuple(json.loads(values["campaigns"]))
    return Release.model_validate(values)


def latest(store: Store) -> Release | None:
    """The release every page shows (None before the first one)."""
    row = (
        store.cursor()
        .execute(f"SELECT {_COLUMNS} FROM releases ORDER BY id DESC LIMIT 1")
        .fetchone()
    )
    return _release(row) if row else None


def latest_id(store: Store) -> int | None:
    row = store.cursor().execute("SELECT max(id) FROM releases").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def get(store: Store, release_id: int) -> Release:
    row = (
        store.cursor()
        .execute(f"SELECT {_COLUMNS} FROM releases WHERE id = ?", [release_id])
        .fetchone()
    )
    if row is None:
        raise OppError("NOT_FOUND", what=texts("what.release"), value=release_id)
    return _release(row)


def list_all(store: Store) -> list[Release]:
    rows = store.cursor().execute(f"SELECT {_COLUMNS} FROM releases ORDER BY id DESC").fetchall()
    return [_release(row) for row in rows]


def _campaign_rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = ["id", "filiere", "questionnaire_id", "reference_year", "opens_on", "closes_on"]
    rows = cur.execute(f"SELECT {', '.join(names)} FROM campaigns ORDER BY id").fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]


def _changed(cur: duckdb.DuckDBPyConnection, release_id: int, campaign_ids: set[str]) -> int:
    """Responses of `campaign_ids` whose released copy is out of date: submitted,
    corrected or withdrawn since the release."""
    if not campaign_ids:
        return 0
    marks = ", ".join("?" for _ in campaign_ids)
    found = cur.execute(
        f"""
        WITH live AS (
            SELECT id || ':' || row_version AS snapshot FROM responses
            WHERE status = 'submitted' AND campaign_id IN ({marks})
        ), frozen AS (
            SELECT m.snapshot FROM release_members m
            JOIN frozen_responses f ON f.snapshot = m.snapshot
            WHERE m.release_id = ? AND f.campaign_id IN ({marks})
        )
        SELECT (SELECT count(*) FROM live WHERE snapshot NOT IN (SELECT * FROM frozen))
             + (SELECT count(*) FROM frozen WHERE snapshot NOT IN (SELECT * FROM live))
        """,
        [*sorted(campaign_ids), release_id, *sorted(campaign_ids)],
    ).fetchone()
    return int(found[0]) if found else 0


def pending(store: Store, today: dt.date | None = None) -> Pending:
    """What the next release would change. It is *due* for campaigns closed since the
    latest release, for corrections of closed campaigns and for erasures; new answers to
    an open campaign released provisionally are counted but make nothing due (each
    provisional release is one more look at the same structures: the agency decides)."""
    today = today or clock.today()
    cur = store.cursor()
    current = latest(store)
    final = {c.id for c in current.campaigns if not c.provisional} if current else set()
    provisional = {c.id for c in current.campaigns if c.provisional} if current else set()
    closed = tuple(
        row["id"]
        for row in _campaign_rows(cur)
        if row["closes_on"] < today and row["id"] not in final
    )
    erased = cur.execute("SELECT count(*) FROM release_erasures").fetchone()
    return Pending(
        closed_campaigns=closed,
        changed_responses=_changed(cur, current.id, final) if current else 0,
        provisional_changes=_changed(cur, current.id, provisional) if current else 0,
        erasures=int(erased[0]) if erased else 0,
    )


def record_erasure(
    cur: duckdb.DuckDBPyConnection,
    *,
    response_ids: list[str] | None = None,
    organisation_id: str | None = None,
) -> None:
    """Queue the frozen copies of erased responses (or of a whole organisation) for
    removal by the next release; called inside the erasure's own transaction."""
    now = clock.now()
    for response_id in response_ids or []:
        cur.execute("INSERT INTO release_erasures VALUES (?, NULL, ?)", [response_id, now])
    if organisation_id is not None:
        cur.execute("INSERT INTO release_erasures VALUES (NULL, ?, ?)", [organisation_id, now])


def _purge_erasures(cur: duckdb.DuckDBPyConnection) -> int:
    """Remove the frozen copies of erased responses and organisations (every release)."""
    doomed = """
        SELECT snapshot FROM frozen_responses
        WHERE response_id IN (SELECT response_id FROM release_erasures)
           OR organisation_id IN (SELECT organisation_id FROM release_erasures)
    """
    count = cur.execute(f"SELECT count(*) FROM ({doomed})").fetchone()
    cur.execute(f"DELETE FROM frozen_answers WHERE snapshot IN ({doomed})")
    cur.execute(f"DELETE FROM release_members WHERE snapshot IN ({doomed})")
    cur.execute(f"DELETE FROM frozen_responses WHERE snapshot IN ({doomed})")
    cur.execute(
        "DELETE FROM frozen_invitations WHERE organisation_id IN "
        "(SELECT organisation_id FROM release_erasures)"
    )
    cur.execute("DELETE FROM release_erasures")
    if count and count[0]:
        # Admissions are keyed by their inputs, so none would be used wrongly; they are
        # dropped with the answers they came from, and computed again from what remains.
        cur.execute("DELETE FROM release_admissions")
    return int(count[0]) if count else 0


class KeySource(Protocol):
    def getrandbits(self, k: int, /) -> int: ...


def _random_keys(count: int, source: KeySource | None = None) -> list[int]:
    """Record keys: from the operating system's generator (`secrets`), or from a seeded
    generator for the demo, so that the demo region is the same for everyone."""
    draw = source.getrandbits if source is not None else secrets.randbits
    return [draw(KEY_BITS) for _ in range(count)]


def _freeze_responses(
    cur: duckdb.DuckDBPyConnection,
    campaign_ids: list[str],
    now: dt.datetime,
    keys: KeySource | None = None,
) -> list[str]:
    """Freeze the submitted responses of `campaign_ids` not frozen at their current row
    version; returns every snapshot id the release includes."""
    marks = ", ".join("?" for _ in campaign_ids)
    live = cur.execute(
        f"""SELECT r.id, r.id || ':' || r.row_version AS snapshot,
                   (SELECT min(f.record_key) FROM frozen_responses f
                    WHERE f.response_id = r.id) AS record_key,
                   r.id || ':' || r.row_version IN (SELECT snapshot FROM frozen_responses)
            FROM responses r
            WHERE r.status = 'submitted' AND r.campaign_id IN ({marks})
            ORDER BY r.id""",
        campaign_ids,
    ).fetchall()
    new = [(rid, snap, key) for rid, snap, key, frozen in live if not frozen]
    fresh = iter(_random_keys(sum(1 for _, _, key in new if key is None), keys))
    table = pl.DataFrame(
        {
            "response_id": [rid for rid, _, _ in new],
            "snapshot": [snap for _, snap, _ in new],
            "record_key": [key if key is not None else next(fresh) for _, _, key in new],
        },
        schema={"response_id": pl.String, "snapshot": pl.String, "record_key": pl.UInt64},
    ).to_arrow()
    cur.register("_opp_new_snapshots", table)
    try:
        cur.execute(
            """INSERT INTO frozen_responses
               SELECT n.snapshot, r.id, r.organisation_id, r.campaign_id, r.questionnaire_id,
                      r.questionnaire_version, r.consent, c.reference_year, c.filiere,
                      o.departement, o.structure_type, n.record_key, ?
               FROM _opp_new_snapshots n
               JOIN responses r ON r.id = n.response_id
               JOIN campaigns c ON c.id = r.campaign_id
               JOIN organisations o ON o.id = r.organisation_id""",
            [now],
        )
        # Stored by question: a dashboard reads a few questions of a release, and on the
        # DuckDB file rows of one question side by side let its scan skip the row groups
        # holding none of them (a third less time reading a page's answers at ×100).
        cur.execute(
            """INSERT INTO frozen_answers
               SELECT n.snapshot, a.question_id, a.item, a.group_id, a.value_num,
                      a.value_text, a.value_bool, a.value_date, a.value_list
               FROM answers a JOIN _opp_new_snapshots n ON n.response_id = a.response_id
               ORDER BY a.question_id, n.snapshot"""
        )
    finally:
        cur.unregister("_opp_new_snapshots")
    return [snap for _, snap, _, _ in live]  # every snapshot the release includes


def _freeze_invitations(
    cur: duckdb.DuckDBPyConnection,
    release_id: int,
    previous: int | None,
    campaign_ids: list[str],
    keys: KeySource | None = None,
) -> None:
    """Invitations of `campaign_ids` as they stand, each with its record key (kept from
    the previous release, drawn for a new invitation). New keys are drawn in a fixed
    order (campaign, organisation), as responses' are (by id): with the demo's seeded
    generator, each invitation gets the same key on every engine and every build."""
    marks = ", ".join("?" for _ in campaign_ids)
    found = cur.execute(
        f"""SELECT i.campaign_id, i.organisation_id, f.record_key
            FROM invitations i
            LEFT JOIN frozen_invitations f
              ON f.release_id = ? AND f.campaign_id = i.campaign_id
             AND f.organisation_id = i.organisation_id
            WHERE i.campaign_id IN ({marks})
            ORDER BY i.campaign_id, i.organisation_id""",
        [previous if previous is not None else -1, *campaign_ids],
    ).fetchall()
    rows = pl.DataFrame(
        found,
        schema={"campaign_id": pl.String, "organisation_id": pl.String, "record_key": pl.UInt64},
        orient="row",
    )
    if rows.is_empty():
        return
    missing = rows["record_key"].is_null()
    fresh = pl.Series(_random_keys(int(missing.sum()), keys), dtype=pl.UInt64)
    record_keys = rows["record_key"].cast(pl.UInt64).scatter(missing.arg_true(), fresh)
    cur.register(
        "_opp_invitation_keys", rows.with_columns(record_keys.alias("record_key")).to_arrow()
    )
    try:
        cur.execute(
            """INSERT INTO frozen_invitations
               SELECT ?, i.campaign_id, i.organisation_id, c.reference_year, c.filiere,
                      o.departement, o.structure_type,
                      coalesce(r.status = 'submitted', false), r.id IS NOT NULL, k.record_key
               FROM invitations i
               JOIN _opp_invitation_keys k
                 ON k.campaign_id = i.campaign_id AND k.organisation_id = i.organisation_id
               JOIN campaigns c ON c.id = i.campaign_id
               JOIN organisations o ON o.id = i.organisation_id
               LEFT JOIN responses r
                 ON r.campaign_id = i.campaign_id AND r.organisation_id = i.organisation_id""",
            [release_id],
        )
    finally:
        cur.unregister("_opp_invitation_keys")


def publish(
    store: Store,
    actor: Actor,
    *,
    include_open: list[str] | tuple[str, ...] = (),
    reason: str = "agency",
    note: str | None = None,
    today: dt.date | None = None,
    published_at: dt.datetime | None = None,
    keys: KeySource | None = None,
) -> Release:
    """Publish the next release: every closed campaign (final) and the open campaigns of
    `include_open` (provisional), as their submitted responses stand now. `keys`: a
    seeded generator for new record keys (the demo only; default: `secrets`). Who may
    publish: `opp.services.releases.publish`."""
    with store.transaction() as cur:
        release_id = publish_in(
            cur,
            actor,
            include_open=include_open,
            reason=reason,
            note=note,
            today=today,
            published_at=published_at,
            keys=keys,
        )
    return get(store, release_id)


def publish_in(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    include_open: list[str] | tuple[str, ...] = (),
    reason: str = "agency",
    note: str | None = None,
    today: dt.date | None = None,
    published_at: dt.datetime | None = None,
    keys: KeySource | None = None,
) -> int:
    """`publish` inside the caller's transaction (also used by the schema migration that
    introduced releases); returns the new release's number."""
    today = today or clock.today()
    now = published_at or clock.now()
    campaigns: list[ReleaseCampaign] = []
    for row in _campaign_rows(cur):
        state_closed = row["closes_on"] < today
        is_open = row["opens_on"] <= today <= row["closes_on"]
        if state_closed or (is_open and row["id"] in include_open):
            campaigns.append(
                ReleaseCampaign(
                    id=row["id"],
                    filiere=row["filiere"],
                    questionnaire_id=row["questionnaire_id"],
                    reference_year=row["reference_year"],
                    provisional=not state_closed,
                )
            )
    unknown = set(include_open) - {c.id for c in campaigns}
    if unknown:
        raise OppError("RELEASE_NOT_OPEN", value=", ".join(sorted(unknown))[:200], date=str(today))
    if not campaigns:
        raise OppError("RELEASE_EMPTY")
    previous = cur.execute("SELECT max(id) FROM releases").fetchone()
    previous_id = int(previous[0]) if previous and previous[0] is not None else None
    release_id = (previous_id or 0) + 1
    purged = _purge_erasures(cur)
    ids = [c.id for c in campaigns]
    snapshots = _freeze_responses(cur, ids, now, keys)
    marks = ", ".join("?" for _ in ids)
    cur.execute(
        f"""INSERT INTO release_members
            SELECT ?, id || ':' || row_version FROM responses
            WHERE status = 'submitted' AND campaign_id IN ({marks})""",
        [release_id, *ids],
    )
    _freeze_invitations(cur, release_id, previous_id, ids, keys)
    payload = json.dumps([c.model_dump() for c in campaigns])
    cur.execute(
        f"INSERT INTO releases ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [release_id, now, actor.actor, reason, payload, len(snapshots), note],
    )
    audit.record(
        cur,
        actor,
        "release.publish",
        "release",
        str(release_id),
        {"campaigns": len(campaigns), "responses": len(snapshots), "erased": purged},
    )
    return release_id


def first_release(cur: duckdb.DuckDBPyConnection) -> None:
    """When a database from before releases is upgraded: one release of what its
    dashboards showed (closed campaigns, and open ones provisionally), if anything was
    submitted, so that its figures stay on the pages."""
    submitted = cur.execute("SELECT count(*) FROM responses WHERE status = 'submitted'").fetchone()
    if not submitted or not submitted[0]:
        return
    today = clock.today()
    open_ids = [
        row["id"] for row in _campaign_rows(cur) if row["opens_on"] <= today <= row["closes_on"]
    ]
    publish_in(cur, SYSTEM_ACTOR, include_open=open_ids, reason="migration", today=today)


def provisional_still_open(store: Store, today: dt.date | None = None) -> list[str]:
    """Open campaigns the latest release holds (provisionally, or as final before the
    agency reopened them): a new release keeps them unless told otherwise, so their
    figures do not vanish from the pages."""
    today = today or clock.today()
    current = latest(store)
    open_now = _open_ids(store, today)
    held = current.campaigns if current else ()
    return [c.id for c in held if c.id in open_now]


def publish_after_close(store: Store, today: dt.date | None = None) -> Release:
    """The release published when a campaign closes: every closed campaign, and the open
    campaigns the latest release held provisionally."""
    still_open = provisional_still_open(store, today)
    return publish(
        store, SYSTEM_ACTOR, include_open=still_open, reason="campaign_closed", today=today
    )


def _open_ids(store: Store, today: dt.date) -> set[str]:
    return {
        row["id"]
        for row in _campaign_rows(store.cursor())
        if row["opens_on"] <= today <= row["closes_on"]
    }


def open_answers(store: Store, release_id: int, filieres: list[str]) -> pl.DataFrame:
    """Frozen answers, in a release, of the responses whose organisation chooses the
    "ouvert" level *now* (a withdrawn consent takes effect at once), for `filieres`.
    Long format with the response's dimensions; `opendata` decides what is published."""
    if not filieres:
        return pl.DataFrame()
    marks = ", ".join("?" for _ in filieres)
    sql = f"""
        SELECT f.response_id, f.questionnaire_id, f.questionnaire_version, f.reference_year,
               f.filiere, f.departement, f.structure_type, a.question_id, a.item, a.group_id,
               a.value_num, a.value_text, a.value_bool, a.value_date, a.value_list
        FROM release_members m
        JOIN frozen_responses f ON f.snapshot = m.snapshot
        JOIN responses r ON r.id = f.response_id AND r.consent = 'ouvert'
        JOIN frozen_answers a ON a.snapshot = f.snapshot
        WHERE m.release_id = ? AND f.filiere IN ({marks})
        ORDER BY f.response_id, a.group_id NULLS FIRST, a.item, a.question_id
    """
    with store.relation_cursor() as cur:
        return cur.sql(sql, params=[release_id, *filieres]).pl()
