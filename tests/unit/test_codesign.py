"""Co-design: proposals, votes, decisions, drafts and new versions (service level)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.questionnaire import edits
from opp.services import campaigns, codesign, organisations, questionnaires, reads
from opp.store.db import Store

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin", name="Agence")
COORD = Viewer(role=Role.COORDINATEUR, account_id="coord-cirque", filiere="cirque", name="Coord")
OTHER_COORD = Viewer(role=Role.COORDINATEUR, account_id="coord-mar", filiere="marionnette")
COREPS = Viewer(role=Role.COREPS, account_id="coreps", name="Coreps")

ADD = {
    "kind": "add",
    "section": "s1",
    "after": "effectif",
    "question": {
        "id": "chapiteaux",
        "type": "integer",
        "label": {"fr": "Nombre de chapiteaux", "en": "Number of big tops"},
        "min": 0,
    },
}


@pytest.fixture
def setup(tmp_store: Store, make_questionnaire, make_response) -> dict[str, Any]:
    q = make_questionnaire(status="published")
    made = make_response(q)
    member = Viewer(
        role=Role.CONTRIBUTEUR,
        account_id="compte-a",
        organisation_id=made["organisation"].id,
        filiere="cirque",
        name="Compagnie A",
    )
    org_b = organisations.create(
        tmp_store, ADMIN, name="B", structure_type="compagnie", filieres=["cirque"], commune="31555"
    )
    member_b = Viewer(
        role=Role.CONTRIBUTEUR, account_id="compte-b", organisation_id=org_b.id, name="B"
    )
    org_c = organisations.create(
        tmp_store,
        ADMIN,
        name="C",
        structure_type="compagnie",
        filieres=["marionnette"],
        commune="31555",
    )
    outsider = Viewer(role=Role.CONTRIBUTEUR, account_id="compte-c", organisation_id=org_c.id)
    return {"q": q, "store": tmp_store, "a": member, "b": member_b, "outsider": outsider}


def _propose(s: dict[str, Any], data: dict[str, Any] = ADD, who: Viewer | None = None):
    return codesign.propose(
        s["store"], who or s["a"], "petit", edits.parse_edit(data), "Les chapiteaux comptent."
    )


def test_codesign__proposal_vote_accept_publish_gives_new_version_with_changelog(setup):
    s = setup
    store = s["store"]
    proposal = _propose(s)
    codesign.vote(store, s["a"], proposal.id, "pour")
    codesign.vote(store, s["b"], proposal.id, "contre")
    codesign.vote(store, s["b"], proposal.id, "pour")  # changes their mind: one vote each
    codesign.comment(store, s["b"], proposal.id, "D'accord, utile pour l'itinérance.")
    [discussion] = codesign.discussions(store, COREPS, "petit")
    assert discussion.tally == {"pour": 2, "contre": 0, "abstention": 0}
    assert [c.body for c in discussion.comments] == ["D'accord, utile pour l'itinérance."]

    draft = codesign.decide(store, COORD, proposal.id, accept=True, reason="Consensus.")
    assert "chapiteaux" in draft.questionnaire.questions
    assert [c.kind for c in draft.changes.changes] == ["added"]
    # The published version is untouched until publication.
    assert "chapiteaux" not in questionnaires.latest(store, ADMIN, "petit").questions

    clock.freeze(dt.datetime(2026, 3, 1, 9, 0))
    try:
        published = codesign.publish(store, COORD, "petit")
    finally:
        clock.freeze(None)
    assert published.version == "1.1.0"
    assert published.status == "published"
    entry = published.changelog[-1]
    assert entry.version == "1.1.0"
    assert entry.date == dt.date(2026, 3, 1)
    assert entry.added == ["chapiteaux"]
    assert [c.fr for c in entry.changes] == [
        "Question ajoutée : « Nombre de chapiteaux » (chapiteaux)"
    ]
    assert [c.en for c in entry.changes] == ["Question added: « Number of big tops » (chapiteaux)"]
    stored = questionnaires.get(store, ADMIN, "petit", "1.1.0")
    assert stored.questions["chapiteaux"].label.fr == "Nombre de chapiteaux"
    assert questionnaires.get(store, ADMIN, "petit", "1.0.0").questions.keys() == (
        s["q"].questions.keys()
    )
    [after] = codesign.discussions(store, ADMIN, "petit")
    assert (after.proposal.status, after.proposal.published_in) == ("accepted", "1.1.0")
    assert not codesign.draft(store, ADMIN, "petit").saved
    actions = [e["action"] for e in reads.audit_entries(store, ADMIN)]
    assert {"codesign.propose", "codesign.vote", "codesign.accepted", "codesign.publish"} <= set(
        actions
    )


def test_codesign__campaigns_stay_bound_to_their_version(setup):
    s = setup
    store = s["store"]
    old_campaign = campaigns.list_all(store, ADMIN)[0]
    proposal = _propose(s)
    codesign.decide(store, COORD, proposal.id, accept=True, reason="ok")
    codesign.publish(store, COORD, "petit")
    assert campaigns.get(store, ADMIN, old_campaign.id).questionnaire_version == "1.0.0"
    today = clock.today()
    new = campaigns.create(
        store,
        COORD,
        filiere="cirque",
        questionnaire_id="petit",
        questionnaire_version="1.1.0",
        reference_year=2026,
        title_fr="Campagne 2026",
        title_en=None,
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    assert new.questionnaire_version == "1.1.0"
    bound = questionnaires.get(store, ADMIN, "petit", new.questionnaire_version)
    assert "chapiteaux" in bound.questions


@pytest.mark.parametrize(
    ("edit", "expected_version"),
    [
        (
            {"kind": "reword", "question_id": "effectif", "label": {"fr": "Salariés permanents"}},
            "1.0.1",
        ),
        (
            {
                "kind": "choices",
                "question_id": "lieu_type",
                "choices": [
                    {"value": "salle", "label": "Salle"},
                    {"value": "rue", "label": "Rue"},
                    {"value": "chapiteau", "label": "Chapiteau"},
                ],
            },
            "1.1.0",
        ),
        (
            {
                "kind": "choices",
                "question_id": "lieu_type",
                "choices": [{"value": "salle", "label": "Salle"}],
            },
            "2.0.0",
        ),
        ({"kind": "move", "question_id": "nom", "section": "s2"}, "1.1.0"),
        ({"kind": "retire", "question_id": "nom"}, "2.0.0"),
    ],
)
def test_codesign__version_number_follows_the_kind_of_change(setup, edit, expected_version):
    s = setup
    proposal = _propose(s, edit)
    codesign.decide(s["store"], ADMIN, proposal.id, accept=True, reason="ok")
    assert codesign.publish(s["store"], ADMIN, "petit").version == expected_version


def test_codesign__reworded_question_keeps_its_id(setup):
    s = setup
    edit = {"kind": "reword", "question_id": "effectif", "label": {"fr": "Salariés permanents"}}
    codesign.decide(s["store"], COORD, _propose(s, edit).id, accept=True, reason="ok")
    new = codesign.publish(s["store"], COORD, "petit")
    assert new.questions["effectif"].label.fr == "Salariés permanents"
    assert new.questions["effectif"].type == "integer"


def test_codesign__id_reuse_with_another_meaning_is_refused(setup):
    s = setup
    store = s["store"]
    codesign.decide(
        store,
        COORD,
        _propose(s, {"kind": "retire", "question_id": "nom"}).id,
        accept=True,
        reason="x",
    )
    codesign.publish(store, COORD, "petit")
    # "nom" was a text question in 1.0.0: it may not come back as a number.
    reuse = {**ADD, "question": {"id": "nom", "type": "integer", "label": "Nombre"}}
    with pytest.raises(OppError) as caught:
        _propose(s, reuse)
    assert caught.value.code == "Q_ID_REUSED"
    assert "text" in caught.value.message("fr")
    assert "1.0.0" in caught.value.message("fr")
    assert codesign.discussions(store, ADMIN, "petit", status="open") == []
    # Same meaning (same type) is fine: the question comes back.
    back = {**ADD, "question": {"id": "nom", "type": "text", "label": "Nom"}}
    assert _propose(s, back).target == "nom"


def test_codesign__a_proposal_that_does_not_apply_is_refused_with_a_clear_message(setup):
    s = setup
    with pytest.raises(OppError) as caught:
        _propose(s, {"kind": "retire", "question_id": "effectif"})
    # `femmes` depends on `effectif`: retiring it would break the form.
    assert caught.value.code == "Q_REF_UNKNOWN"
    with pytest.raises(OppError) as caught:
        _propose(s, {"kind": "reword", "question_id": "efectif", "label": "x"})
    assert caught.value.code == "CODESIGN_QUESTION_UNKNOWN"
    assert "effectif" in caught.value.message("fr")
    with pytest.raises(OppError) as caught:
        _propose(s, {**ADD, "question": {**ADD["question"], "id": "effectif"}})
    assert caught.value.code == "Q_ID_DUPLICATE"
    assert codesign.discussions(s["store"], ADMIN, "petit") == []


def test_codesign__rationale_reason_vote_and_comment_are_checked(setup):
    s = setup
    store = s["store"]
    with pytest.raises(OppError) as caught:
        codesign.propose(store, s["a"], "petit", edits.parse_edit(ADD), "   ")
    assert caught.value.code == "CODESIGN_RATIONALE_MISSING"
    proposal = _propose(s)
    with pytest.raises(OppError) as caught:
        codesign.vote(store, s["a"], proposal.id, "peut-être")
    assert caught.value.code == "CODESIGN_VOTE_INVALID"
    with pytest.raises(OppError) as caught:
        codesign.comment(store, s["a"], proposal.id, "")
    assert caught.value.code == "CODESIGN_COMMENT_EMPTY"
    with pytest.raises(OppError) as caught:
        codesign.comment(store, s["a"], proposal.id, "x" * 5000)
    assert caught.value.code == "CODESIGN_TEXT_TOO_LONG"
    with pytest.raises(OppError) as caught:
        codesign.decide(store, COORD, proposal.id, accept=False, reason="")
    assert caught.value.code == "CODESIGN_REASON_MISSING"
    [d] = codesign.discussions(store, ADMIN, "petit")
    assert d.proposal.status == "open"
    assert d.comments == []
    assert sum(d.tally.values()) == 0


def test_codesign__declined_proposal_is_kept_with_its_reason_and_closed(setup):
    s = setup
    store = s["store"]
    proposal = _propose(s)
    codesign.decide(store, COORD, proposal.id, accept=False, reason="Déjà demandé ailleurs.")
    [d] = codesign.discussions(store, s["b"], "petit")
    assert d.proposal.status == "declined"
    assert d.proposal.decision_reason == "Déjà demandé ailleurs."
    assert d.proposal.decided_by_name == "Coord"
    assert not codesign.draft(store, ADMIN, "petit").saved
    for act in (
        lambda: codesign.vote(store, s["b"], proposal.id, "pour"),
        lambda: codesign.comment(store, s["b"], proposal.id, "trop tard"),
        lambda: codesign.decide(store, COORD, proposal.id, accept=True, reason="finalement"),
    ):
        with pytest.raises(OppError) as caught:
            act()
        assert caught.value.code == "CODESIGN_PROPOSAL_CLOSED"
        assert "refusée" in caught.value.message("fr")


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("outsider", "propose"),
        ("coreps", "propose"),
        ("other_coord", "propose"),
        ("outsider", "vote"),
        ("coreps", "vote"),
        ("outsider", "comment"),
        ("a", "decide"),
        ("other_coord", "decide"),
        ("coreps", "decide"),
        ("a", "publish"),
        ("coreps", "publish"),
        ("b", "withdraw"),
    ],
)
def test_codesign__permissions_are_enforced_in_the_service(setup, who, action):
    s = setup
    store = s["store"]
    viewers = {"coreps": COREPS, "other_coord": OTHER_COORD, **s}
    viewer = viewers[who]
    proposal = _propose(s)
    calls = {
        "propose": lambda: _propose(s, who=viewer),
        "vote": lambda: codesign.vote(store, viewer, proposal.id, "pour"),
        "comment": lambda: codesign.comment(store, viewer, proposal.id, "hello"),
        "decide": lambda: codesign.decide(store, viewer, proposal.id, accept=True, reason="x"),
        "publish": lambda: codesign.publish(store, viewer, "petit"),
        "withdraw": lambda: codesign.withdraw(store, viewer, proposal.id),
    }
    with pytest.raises(OppError) as caught:
        calls[action]()
    assert caught.value.code in {"FORBIDDEN", "NOT_FOUND"}
    [d] = codesign.discussions(store, ADMIN, "petit")
    assert d.proposal.status == "open"
    assert sum(d.tally.values()) == 0
    assert not d.comments


def test_codesign__other_filiere_cannot_read_the_discussion(setup):
    s = setup
    proposal = _propose(s)
    for viewer in (s["outsider"], OTHER_COORD):
        with pytest.raises(OppError):
            codesign.discussions(s["store"], viewer, "petit")
        with pytest.raises(OppError) as caught:
            codesign.get(s["store"], viewer, proposal.id)
        assert caught.value.code == "NOT_FOUND"
    assert [q.id for q in codesign.codesign_questionnaires(s["store"], s["outsider"])] == []
    assert [q.id for q in codesign.codesign_questionnaires(s["store"], COREPS)] == ["petit"]


def test_codesign__author_withdraws_own_proposal(setup):
    s = setup
    proposal = _propose(s)
    codesign.withdraw(s["store"], s["a"], proposal.id)
    [d] = codesign.discussions(s["store"], ADMIN, "petit")
    assert d.proposal.status == "withdrawn"


def test_codesign__publishing_an_unchanged_draft_is_refused(setup):
    with pytest.raises(OppError) as caught:
        codesign.publish(setup["store"], COORD, "petit")
    assert caught.value.code == "CODESIGN_DRAFT_EMPTY"
    assert [v["version"] for v in questionnaires.list_versions(setup["store"], ADMIN)] == ["1.0.0"]


def test_codesign__accepting_a_proposal_made_stale_by_another_is_refused(setup):
    s = setup
    store = s["store"]
    retire = _propose(s, {"kind": "retire", "question_id": "nom"})
    reword = _propose(s, {"kind": "reword", "question_id": "nom", "label": "Nom complet"})
    codesign.decide(store, COORD, retire.id, accept=True, reason="ok")
    with pytest.raises(OppError) as caught:
        codesign.decide(store, COORD, reword.id, accept=True, reason="ok")
    assert caught.value.code == "CODESIGN_QUESTION_UNKNOWN"
    statuses = {
        d.proposal.id: d.proposal.status for d in codesign.discussions(store, ADMIN, "petit")
    }
    assert statuses == {retire.id: "accepted", reword.id: "open"}
    assert "nom" not in codesign.draft(store, ADMIN, "petit").questionnaire.questions


def test_codesign__discarding_the_draft_reopens_accepted_proposals(setup):
    s = setup
    proposal = _propose(s)
    codesign.decide(s["store"], COORD, proposal.id, accept=True, reason="ok")
    codesign.discard_draft(s["store"], COORD, "petit")
    assert not codesign.draft(s["store"], ADMIN, "petit").saved
    [d] = codesign.discussions(s["store"], ADMIN, "petit")
    assert d.proposal.status == "open"


def test_codesign__core_module_sections_are_read_only(catalogue):
    cirque = catalogue.questionnaires["cirque"].questionnaire
    with pytest.raises(OppError) as caught:
        edits.apply(
            cirque, edits.parse_edit({"kind": "retire", "question_id": "effectif_permanent"})
        )
    assert caught.value.code == "CODESIGN_CORE_READONLY"
    assert "socle_commun" in caught.value.message("fr")
    add_to_core = {**ADD, "section": "emploi", "after": None}
    with pytest.raises(OppError) as caught:
        edits.apply(cirque, edits.parse_edit(add_to_core))
    assert caught.value.code == "CODESIGN_CORE_READONLY"


def test_codesign__add_to_a_new_section_and_into_position(make_questionnaire):
    q = make_questionnaire()
    new_section = {
        **ADD,
        "section": "s3",
        "after": None,
        "section_title": {"fr": "Itinérance", "en": "Touring life"},
    }
    result = edits.apply(q, edits.parse_edit(new_section))
    assert [s.id for s in result.sections] == ["s1", "s2", "s3"]
    assert result.sections_by_id["s3"].title.en == "Touring life"
    placed = edits.apply(q, edits.parse_edit(ADD))
    assert [x.id for x in placed.sections_by_id["s1"].questions] == [
        "effectif",
        "chapiteaux",
        "femmes",
        "nom",
    ]
    with pytest.raises(OppError) as caught:
        edits.apply(q, edits.parse_edit({**ADD, "section": "s9", "after": None}))
    assert caught.value.code == "CODESIGN_SECTION_UNKNOWN"


def test_codesign__bad_edit_payload_names_the_field(make_questionnaire):
    with pytest.raises(OppError) as caught:
        edits.parse_edit({**ADD, "question": {"id": "x", "type": "entier", "label": "X"}})
    message = caught.value.message("fr")
    assert "question.type" in message
    assert "integer" in message
    with pytest.raises(OppError) as caught:
        edits.parse_edit({"kind": "reword", "question_id": "effectif"})
    assert caught.value.code == "CODESIGN_REWORD_EMPTY"


def test_codesign__erasure_blanks_author_names_but_keeps_the_discussion(setup, tmp_store: Store):
    from opp.services import erasure

    s = setup
    store = s["store"]
    proposal = _propose(s)
    codesign.vote(store, s["a"], proposal.id, "pour")
    codesign.comment(store, s["a"], proposal.id, "Mon avis")
    exported = codesign.authored_by(store, ["compte-a"])
    assert [p["id"] for p in exported["proposals"]] == [proposal.id]
    assert [v["vote"] for v in exported["votes"]] == ["pour"]
    store.cursor().execute(
        "INSERT INTO accounts (id, email, display_name, role, organisation_id, status, demo, "
        "created_at) VALUES ('compte-a', 'a@x.fr', 'A', 'contributeur', ?, 'active', false, now())",
        [s["a"].organisation_id],
    )
    erasure.erase_organisation(store, s["a"], "EFFACER")
    [d] = codesign.discussions(store, ADMIN, "petit")
    assert d.proposal.author_name == codesign.ERASED_NAME
    assert d.proposal.author is None
    assert [c.author_name for c in d.comments] == [codesign.ERASED_NAME]
    assert d.tally["pour"] == 1
    assert codesign.authored_by(store, ["compte-a"]) == {
        "proposals": [],
        "comments": [],
        "votes": [],
    }
