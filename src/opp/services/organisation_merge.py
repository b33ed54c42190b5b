"""Merging two records of the same structure (a duplicate from an import, or a structure
that signed up twice): responses, accounts, invitations and correction requests move to
the kept record, which takes the union of the filières and the fields it lacked; the
other record is deleted. The agency only, after a preview; audited on both records.

When both records answered the same campaign, one response must go (a structure answers
a campaign once): the submitted one is kept over a draft, otherwise the latest edited;
the preview lists each case, and the merge is refused if the records changed since.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from opp import clock
from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.directory.entry import OrganisationFields, fields_of
from opp.errors import OppError
from opp.services import organisations
from opp.store import audit, erasure, releases
from opp.store import organisation_merge as repo
from opp.store import organisations as org_store
from opp.store.db import Cursor, Store
from opp.store.records import Organisation

_FILLABLE = ("siret", "commune", "email", "legal_form")


@dataclass(frozen=True)
class Conflict:
    """Both records answered this campaign: `kept` stays, `erased` goes."""

    campaign_id: str
    campaign_title: str
    kept: str  # response id
    kept_status: str
    kept_owner: str  # "keep" or "drop": whose response is kept
    erased: str
    erased_status: str


@dataclass(frozen=True)
class MergePreview:
    keep: Organisation
    drop: Organisation
    responses: int  # responses of the duplicate that move
    accounts: int
    invitations: int  # invitations of the duplicate the kept record did not have
    corrections: int
    conflicts: list[Conflict] = field(default_factory=list)
    filled: dict[str, Any] = field(default_factory=dict)  # fields the kept record lacked
    filieres: list[str] = field(default_factory=list)  # of the kept record afterwards
    token: str = ""  # what the preview showed; the merge is refused if it changed


def _check(viewer: Viewer, keep_id: str, drop_id: str) -> None:
    require(viewer, Action.MERGE_ORGANISATIONS)
    if keep_id == drop_id:
        raise OppError("ORG_MERGE_SAME")


def preview(store: Store, viewer: Viewer, keep_id: str, drop_id: str) -> MergePreview:
    """What merging `drop_id` into `keep_id` would move, fill and erase."""
    _check(viewer, keep_id, drop_id)
    keep = organisations.get(store, viewer, keep_id)
    drop = organisations.get(store, viewer, drop_id)
    return _preview(store.cursor(), keep, drop)


def _preview(cur: Cursor, keep: Organisation, drop: Organisation) -> MergePreview:
    rows = repo.responses_of(cur, keep.id, drop.id)
    by_campaign: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_campaign.setdefault(row[0], []).append(row)
    conflicts = []
    for campaign_id, answers in by_campaign.items():
        if len(answers) < 2:
            continue
        # Submitted over draft, then the latest edited (then the kept record's).
        ranked = sorted(answers, key=lambda r: (r[3] == "submitted", r[4], r[5]), reverse=True)
        winner, loser = ranked[0], ranked[1]
        conflicts.append(
            Conflict(
                campaign_id=campaign_id,
                campaign_title=winner[1],
                kept=winner[2],
                kept_status=winner[3],
                kept_owner="keep" if winner[5] else "drop",
                erased=loser[2],
                erased_status=loser[3],
            )
        )
    counts = repo.moving_counts(cur, keep.id, drop.id)
    before = fields_of(keep)
    filled = {
        name: getattr(drop, name)
        for name in _FILLABLE
        if getattr(keep, name) in (None, "") and getattr(drop, name) not in (None, "")
    }
    if not keep.labels and drop.labels:
        filled["labels"] = list(drop.labels)
    filieres = [*before.filieres, *(f for f in drop.filieres if f not in before.filieres)]
    erased_moving = sum(1 for c in conflicts if c.kept_owner == "keep")
    result = MergePreview(
        keep=keep,
        drop=drop,
        responses=int(counts[0]) - erased_moving,
        accounts=int(counts[1]),
        invitations=int(counts[2]),
        corrections=int(counts[3]),
        conflicts=conflicts,
        filled=filled,
        filieres=filieres,
    )
    return MergePreview(**{**result.__dict__, "token": _token(result)})


def _token(found: MergePreview) -> str:
    state = [
        found.keep.model_dump(),
        found.drop.model_dump(),
        found.responses,
        found.accounts,
        found.invitations,
        found.corrections,
        [c.__dict__ for c in found.conflicts],
    ]
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()


def merge(
    store: Store, viewer: Viewer, keep_id: str, drop_id: str, *, expected: str
) -> MergePreview:
    """Merge `drop_id` into `keep_id` as previewed (`expected`: the preview's token)."""
    _check(viewer, keep_id, drop_id)
    with store.transaction() as cur:
        keep = organisations.get(store, viewer, keep_id)
        drop = organisations.get(store, viewer, drop_id)
        found = _preview(cur, keep, drop)
        if found.token != expected:
            raise OppError("ORG_MERGE_CHANGED")
        erased = [c.erased for c in found.conflicts]
        erasure.delete_responses(cur, erased)
        releases.record_erasure(cur, response_ids=erased)  # frozen copies: next release
        repo.move_records(cur, keep.id, drop.id)  # deletes the dropped record: frees its SIRET
        after = OrganisationFields(
            **(fields_of(keep).model_dump() | found.filled | {"filieres": found.filieres})
        )
        org_store.write_fields(
            cur,
            org_store.record_of(
                keep.id,
                after,
                created_at=keep.created_at,
                updated_at=clock.now(),
                archived_at=keep.archived_at,
            ),
        )
        detail = {
            "merged": drop.id,
            "responses": found.responses,
            "accounts": found.accounts,
            "invitations": found.invitations,
            "corrections": found.corrections,
            "erased_responses": [c.erased for c in found.conflicts],
            "filled": sorted(found.filled),
        }
        audit.record(cur, viewer, "organisation.merge", "organisation", keep.id, detail)
        audit.record(
            cur, viewer, "organisation.merged_into", "organisation", drop.id, {"into": keep.id}
        )
    store.bump()
    return found
