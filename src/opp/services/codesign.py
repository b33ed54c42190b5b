"""Co-design of a filière's questionnaire: proposals, comments, votes, draft, publication.

Anyone with an account in the filière proposes; members comment and vote; the filière's
coordinator (or the agency) accepts — the edit goes into the draft of the next version —
or declines, always with a reason. Publishing the draft stores a new immutable version
whose number and change log follow from its difference with the latest version.
Everything stays visible; nothing is deleted (an erased account's name is blanked).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Final

from opp import clock
from opp.access.policy import Action, Resource, may, require
from opp.access.viewer import Viewer
from opp.errors import OppError, OppErrorGroup
from opp.i18n import LANGUAGES, Vocabulary, texts
from opp.mail import queue
from opp.questionnaire import edits
from opp.questionnaire.diff import Diff, changelog, diff, meaning_conflicts, next_version
from opp.questionnaire.model import ChangelogEntry, L10n, Questionnaire
from opp.services import questionnaires as published_versions
from opp.store import accounts, audit, questionnaires
from opp.store import codesign as repo
from opp.store.codesign import ERASED_NAME as ERASED_NAME  # pages name the blanked author
from opp.store.codesign import Comment, Proposal
from opp.store.codesign import authored_by as authored_by  # the contributor's data export
from opp.store.db import Cursor, Store
from opp.store.organisations import organisation_filieres

VOTES = ("pour", "contre", "abstention")
RATIONALE_LIMIT = 2_000
COMMENT_LIMIT = 2_000


@dataclass(frozen=True)
class Discussion:
    proposal: Proposal
    tally: dict[str, int]
    my_vote: str | None
    comments: list[Comment] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    questionnaire: Questionnaire
    base_version: str
    saved: bool  # False: nothing accepted yet, the draft equals the latest version
    updated_at: dt.datetime | None = None
    changes: Diff = field(default_factory=Diff)


# --- who may do what ----------------------------------------------------------------------


def _resource(store: Store, viewer: Viewer, filiere: str, author: str | None = None) -> Resource:
    """A filière's co-design as the policy sees it (with the filières of the viewer's
    organisation: its contributors take part in those)."""
    return Resource(
        filieres=(filiere,),
        author=author,
        viewer_filieres=organisation_filieres(store, viewer.organisation_id),
    )


def is_member(store: Store, viewer: Viewer, filiere: str) -> bool:
    """Anyone with an account in the filière (its organisations, its coordinators)."""
    return may(viewer, Action.PROPOSE, _resource(store, viewer, filiere))


def can_decide(viewer: Viewer, filiere: str) -> bool:
    """Accept, decline, publish: the filière's coordinator, or the agency."""
    return may(viewer, Action.DECIDE_PROPOSAL, Resource(filieres=(filiere,)))


def can_read(store: Store, viewer: Viewer, filiere: str) -> bool:
    """The Coreps follows every filière's discussion (it holds no individual data)."""
    return may(viewer, Action.READ_CODESIGN, _resource(store, viewer, filiere))


def may_withdraw(store: Store, viewer: Viewer, proposal: Proposal) -> bool:
    """Its author, while still taking part in the filière's co-design."""
    return may(viewer, Action.WITHDRAW, _resource(store, viewer, proposal.filiere, proposal.author))


def _questionnaire(store: Store, viewer: Viewer, questionnaire_id: str) -> Questionnaire:
    latest = published_versions.latest(store, viewer, questionnaire_id)
    if latest.kind == "module":
        raise OppError("CODESIGN_MODULE", value=questionnaire_id)
    require(viewer, Action.READ_CODESIGN, _resource(store, viewer, latest.filiere))
    return latest


def codesign_questionnaires(store: Store, viewer: Viewer) -> list[Questionnaire]:
    """Latest version of every questionnaire the viewer may follow, by filière and id."""
    ids = {v["questionnaire_id"] for v in published_versions.list_versions(store, viewer)}
    out = []
    for questionnaire_id in sorted(ids):
        latest = published_versions.latest(store, viewer, questionnaire_id)
        if latest.kind != "module" and can_read(store, viewer, latest.filiere):
            out.append(latest)
    return sorted(out, key=lambda q: (q.filiere, q.id))


# --- draft --------------------------------------------------------------------------------


def draft(store: Store, viewer: Viewer, questionnaire_id: str) -> Draft:
    latest = _questionnaire(store, viewer, questionnaire_id)
    row = repo.draft_row(store, questionnaire_id)
    if row is None:
        return Draft(latest, latest.version, saved=False)
    current = Questionnaire.model_validate_json(row[1])
    return Draft(current, row[0], saved=True, updated_at=row[2], changes=diff(latest, current))


def discard_draft(store: Store, viewer: Viewer, questionnaire_id: str) -> None:
    """Start the draft again from the latest version (accepted proposals stay recorded)."""
    latest = _questionnaire(store, viewer, questionnaire_id)
    require(viewer, Action.PUBLISH_QUESTIONNAIRE, Resource(filieres=(latest.filiere,)))
    with store.transaction() as cur:
        repo.delete_draft(cur, latest.id)
        repo.reopen_accepted(cur, latest.id)
        audit.record(cur, viewer, "codesign.discard_draft", "questionnaire", latest.id)


def _check_meaning(store: Store, candidate: Questionnaire) -> None:
    errors = meaning_conflicts(questionnaires.history(store, candidate.id), candidate)
    if errors:
        raise OppErrorGroup(errors)


# --- proposals ----------------------------------------------------------------------------


def _text(value: str, limit: int, empty_code: str) -> str:
    text = (value or "").strip()
    if not text:
        raise OppError(empty_code)
    if len(text) > limit:
        raise OppError("CODESIGN_TEXT_TOO_LONG", length=len(text), limit=limit)
    return text


def propose(
    store: Store, viewer: Viewer, questionnaire_id: str, edit: edits.Edit, rationale: str
) -> Proposal:
    """File a proposal; refused when it does not apply to the current draft."""
    latest = _questionnaire(store, viewer, questionnaire_id)
    require(viewer, Action.PROPOSE, _resource(store, viewer, latest.filiere))
    text = _text(rationale, RATIONALE_LIMIT, "CODESIGN_RATIONALE_MISSING")
    current = draft(store, viewer, questionnaire_id).questionnaire
    _check_meaning(store, edits.apply(current, edit))
    proposal = Proposal(
        id=uuid.uuid4().hex,
        questionnaire_id=latest.id,
        filiere=latest.filiere,
        base_version=latest.version,
        kind=edit.kind,
        target=edits.target_id(edit),
        edit=edits.edit_json(edit),
        rationale=text,
        author=viewer.actor,
        author_name=viewer.name or viewer.actor,
        created_at=clock.now(),
        status="open",
    )
    with store.transaction() as cur:
        repo.insert_proposal(cur, proposal)
        audit.record(cur, viewer, "codesign.propose", "proposal", proposal.id)
    return proposal


def get(store: Store, viewer: Viewer, proposal_id: str) -> Proposal:
    found = repo.proposal(store, proposal_id)
    if found is None or not can_read(store, viewer, found.filiere):
        # Same answer for "absent" and "not yours": ids reveal nothing.
        raise OppError(
            "NOT_FOUND",
            what=texts("what.proposal"),
            value=str(proposal_id)[:40],
        )
    return found


def _open_for(store: Store, viewer: Viewer, proposal_id: str, action: Action) -> Proposal:
    """An open proposal the viewer may `action` (comment, vote, withdraw, decide)."""
    proposal = get(store, viewer, proposal_id)
    require(viewer, action, _resource(store, viewer, proposal.filiere, proposal.author))
    if proposal.status != "open":
        raise OppError(
            "CODESIGN_PROPOSAL_CLOSED",
            status=STATUS_LABELS[proposal.status],
            decided=(proposal.decided_at or proposal.created_at).strftime("%d/%m/%Y"),
        )
    return proposal


def comment(store: Store, viewer: Viewer, proposal_id: str, body: str) -> Comment:
    proposal = _open_for(store, viewer, proposal_id, Action.COMMENT)
    text = _text(body, COMMENT_LIMIT, "CODESIGN_COMMENT_EMPTY")
    entry = Comment(
        id=uuid.uuid4().hex,
        proposal_id=proposal.id,
        author=viewer.actor,
        author_name=viewer.name or viewer.actor,
        body=text,
        created_at=clock.now(),
    )
    with store.transaction() as cur:
        repo.insert_comment(cur, entry)
        audit.record(cur, viewer, "codesign.comment", "proposal", proposal.id)
    return entry


def vote(store: Store, viewer: Viewer, proposal_id: str, value: str) -> None:
    """One vote per person and proposal; voting again replaces the previous vote."""
    if value not in VOTES:
        raise OppError("CODESIGN_VOTE_INVALID", value=str(value)[:40])
    proposal = _open_for(store, viewer, proposal_id, Action.VOTE)
    with store.transaction() as cur:
        repo.put_vote(cur, proposal.id, viewer.actor, value, clock.now())
        audit.record(cur, viewer, "codesign.vote", "proposal", proposal.id)


def withdraw(store: Store, viewer: Viewer, proposal_id: str) -> None:
    """The author withdraws an open proposal (it stays visible as withdrawn)."""
    proposal = _open_for(store, viewer, proposal_id, Action.WITHDRAW)
    _close(store, viewer, proposal, "withdrawn", None)


def decide(store: Store, viewer: Viewer, proposal_id: str, *, accept: bool, reason: str) -> Draft:
    """Accept (the edit goes into the draft) or decline, with a reason shown to all."""
    proposal = _open_for(store, viewer, proposal_id, Action.DECIDE_PROPOSAL)
    text = _text(reason, RATIONALE_LIMIT, "CODESIGN_REASON_MISSING")
    if not accept:
        _close(store, viewer, proposal, "declined", text)
        return draft(store, viewer, proposal.questionnaire_id)
    current = draft(store, viewer, proposal.questionnaire_id)
    updated = edits.apply(current.questionnaire, proposal.parsed)
    _check_meaning(store, updated)
    with store.transaction() as cur:
        repo.save_draft(
            cur,
            proposal.questionnaire_id,
            current.base_version,
            updated.model_dump_json(),
            clock.now(),
            viewer.actor,
        )
        _set_status(cur, viewer, proposal, "accepted", text)
    return draft(store, viewer, proposal.questionnaire_id)


def _close(
    store: Store, viewer: Viewer, proposal: Proposal, status: str, reason: str | None
) -> None:
    with store.transaction() as cur:
        _set_status(cur, viewer, proposal, status, reason)


def _set_status(
    cur: Cursor, viewer: Viewer, proposal: Proposal, status: str, reason: str | None
) -> None:
    repo.set_status(
        cur,
        proposal.id,
        status,
        actor=viewer.actor,
        actor_name=viewer.name or viewer.actor,
        at=clock.now(),
        reason=reason,
    )
    audit.record(cur, viewer, f"codesign.{status}", "proposal", proposal.id)
    if status in ("accepted", "declined") and proposal.author:
        _mail_decision(cur, viewer, proposal, status, reason)


def _mail_decision(
    cur: Cursor, viewer: Viewer, proposal: Proposal, status: str, reason: str | None
) -> None:
    """The author hears of the decision by mail (in the same transaction)."""
    author = accounts.by_id_in(cur, proposal.author or "")
    if author is None:
        return
    titles = repo.latest_titles(cur, proposal.questionnaire_id)
    title: dict[str, str] | str = proposal.questionnaire_id
    if titles:
        # (French, English) as stored; a missing translation reads in French
        title = {lang: text or titles[0] for lang, text in zip(LANGUAGES, titles, strict=False)}
    queue.to_account(
        cur,
        author,
        "codesign_decision",
        {
            "questionnaire": title,
            "target": proposal.target,
            "accepted": status == "accepted",
            "reason": reason or "",
        },
        created_by=viewer.actor,
        path="codesign",
    )


# How each state of a proposal is named (catalogue messages `proposal.status.<code>`).
STATUS_LABELS: Final = Vocabulary("proposal.status", ("open", "accepted", "declined", "withdrawn"))


def discussions(
    store: Store, viewer: Viewer, questionnaire_id: str, status: str | None = None
) -> list[Discussion]:
    """Proposals of a questionnaire (newest first) with vote tallies and comments."""
    _questionnaire(store, viewer, questionnaire_id)
    proposals = repo.proposals_of(store, questionnaire_id, status)
    if not proposals:
        return []
    ids = [p.id for p in proposals]
    votes = repo.votes_on(store, ids)
    comments = repo.comments_on(store, ids)
    out = []
    for p in proposals:
        tally = dict.fromkeys(VOTES, 0)
        mine = None
        for pid, voter, value in votes:
            if pid == p.id:
                tally[value] += 1
                if voter == viewer.actor:
                    mine = value
        out.append(Discussion(p, tally, mine, [c for c in comments if c.proposal_id == p.id]))
    return out


# --- publication --------------------------------------------------------------------------


def publish(store: Store, viewer: Viewer, questionnaire_id: str) -> Questionnaire:
    """The draft becomes the next version: number and change log follow from the diff."""
    latest = _questionnaire(store, viewer, questionnaire_id)
    require(viewer, Action.PUBLISH_QUESTIONNAIRE, Resource(filieres=(latest.filiere,)))
    current = draft(store, viewer, questionnaire_id)
    if current.base_version != latest.version and current.saved:
        raise OppError("CODESIGN_VERSION_EXISTS", value=latest.id, version=latest.version)
    changes = diff(latest, current.questionnaire)
    if changes.empty:
        raise OppError("CODESIGN_DRAFT_EMPTY", value=latest.id, version=latest.version)
    version = next_version(latest.version, changes)
    entry = ChangelogEntry(
        version=version,
        date=clock.today(),
        changes=changelog(changes),
        added=[c.question_id for c in changes.of("added")],
    )
    data = current.questionnaire.model_dump()
    data.update(
        version=version,
        status="published",
        changelog=[*(e.model_dump() for e in latest.changelog), entry.model_dump()],
    )
    published = Questionnaire.model_validate(data)
    _check_meaning(store, published)
    with store.transaction() as cur:
        if not questionnaires.publish(store, published):
            raise OppError("CODESIGN_VERSION_EXISTS", value=latest.id, version=version)
        repo.delete_draft(cur, latest.id)
        repo.mark_published(cur, latest.id, version)
        audit.record(
            cur,
            viewer,
            "codesign.publish",
            "questionnaire",
            published.key,
            {"changes": len(changes.changes)},
        )
    store.bump()
    return published


# --- import -------------------------------------------------------------------------------


def import_questionnaire(
    store: Store, viewer: Viewer, questionnaire: Questionnaire
) -> Questionnaire:
    """Publish an imported (XLSForm) questionnaire as a new questionnaire of a filière:
    all or nothing, never over an existing one."""
    require(viewer, Action.IMPORT_QUESTIONNAIRE, Resource(filieres=(questionnaire.filiere,)))
    if questionnaires.history(store, questionnaire.id):
        raise OppError("CODESIGN_IMPORT_EXISTS", value=questionnaire.id)
    data = questionnaire.model_dump() | {"status": "published", "kind": "questionnaire"}
    if not questionnaire.changelog:
        entry = ChangelogEntry(
            version=questionnaire.version,
            date=clock.today(),
            changes=[L10n(**texts("codesign.imported"))],
        )
        data["changelog"] = [entry.model_dump()]
    published = Questionnaire.model_validate(data)
    with store.transaction() as cur:
        questionnaires.publish(store, published)
        audit.record(cur, viewer, "codesign.import", "questionnaire", published.key)
    store.bump()
    return published
