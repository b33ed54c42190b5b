"""Nobody takes over an organisation (issue 15, item 1): reset links go by mail to the
account's own address; joining an organisation that has members needs a member's (or the
agency's, audited and told) approval; each person's reads and writes are theirs in the
audit log. And invitations of every role."""

from __future__ import annotations

import pytest
from conftest import SMALL, link_token

from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.questionnaire.loader import load_text
from opp.services import auth, campaigns, membership, organisations, reads
from opp.services import responses as response_store
from opp.store import accounts, outbox, questionnaires

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin", name="Agence")
COORD = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="coord", name="Coord cirque")
PASSWORD = "une phrase de passe solide"


def _activate(store, account_id: str) -> Viewer:
    token = link_token(store, account_id)
    return auth.set_password_with_token(store, token, "invitation", PASSWORD, PASSWORD).viewer


@pytest.fixture
def org_with_member(tmp_store):
    org = organisations.create(
        tmp_store, ADMIN, name="Cie Membre", structure_type="compagnie", filieres=["cirque"]
    )
    invited = membership.invite(
        tmp_store, ADMIN, email="alix@example.org", display_name="Alix", organisation_id=org.id
    )
    alix = _activate(tmp_store, invited.account.id)
    return tmp_store, org, alix


def test_membership__a_reset_goes_to_the_accounts_own_address_never_to_the_asker(
    org_with_member,
):
    store, _, alix = org_with_member
    message_id = membership.send_reset(store, COORD, alix.account_id)
    message = outbox.get(store, message_id)
    assert message.recipient == "alix@example.org"
    assert message.kind == "password_reset"
    assert message.link_kind == "reset"
    assert "link" not in message.params  # minted only when the mail leaves
    with pytest.raises(OppError) as info:
        membership.send_reset(store, COORD, alix.account_id)
    assert info.value.code == "RESET_TOO_SOON"


def test_membership__a_coordinator_cannot_attach_themselves_to_an_organisation(
    org_with_member,
):
    """Before: `invite` made an account for any address (the coordinator's own) in any
    organisation of the filière, and handed its link to the coordinator."""
    store, org, _ = org_with_member
    made = membership.invite(
        store, COORD, email="coord-perso@example.org", display_name="Moi", organisation_id=org.id
    )
    assert made.pending
    assert made.message_id is None
    assert accounts.by_id(store, made.account.id).status == "pending"
    # Whatever link could be minted for it, it opens nothing while pending.
    token = link_token(store, made.account.id)
    with pytest.raises(OppError) as info:
        auth.peek(store, token, "invitation")
    assert info.value.code == "TOKEN_INVALID"
    asked = outbox.recent(store, kind="member_approval")
    assert [m.recipient for m in asked] == ["alix@example.org"]
    assert outbox.recent(store, kind="account_invitation", limit=10)[0].recipient != (
        "coord-perso@example.org"
    )


def test_membership__a_member_approves_and_the_invitation_leaves(org_with_member):
    store, org, alix = org_with_member
    made = membership.invite(
        store, COORD, email="noa@example.org", display_name="Noa", organisation_id=org.id
    )
    waiting = membership.pending_approvals(store, alix)
    assert [w.account.email for w in waiting] == ["noa@example.org"]
    assert waiting[0].asked_by == "Coord cirque"
    membership.decide_membership(store, alix, made.account.id, approve=True)
    assert accounts.by_id(store, made.account.id).status == "invited"
    invitation = outbox.recent(store, kind="account_invitation", limit=1)[0]
    assert invitation.recipient == "noa@example.org"
    assert invitation.link_kind == "invitation"
    with pytest.raises(OppError) as again:
        membership.decide_membership(store, alix, made.account.id, approve=False)
    assert again.value.code == "MEMBERSHIP_DECIDED"
    entry = reads.audit_entries(store, ADMIN, object_id=made.account.id)[0]
    assert entry["action"] == "account.member_approved"
    assert entry["actor"] == alix.account_id


def test_membership__a_member_declines_and_the_account_is_gone(org_with_member):
    store, org, alix = org_with_member
    made = membership.invite(
        store, COORD, email="noa@example.org", display_name="Noa", organisation_id=org.id
    )
    membership.decide_membership(store, alix, made.account.id, approve=False)
    assert accounts.by_id(store, made.account.id) is None
    # the address can be invited again later
    assert membership.invite(
        store, COORD, email="noa@example.org", display_name="Noa", organisation_id=org.id
    ).pending


def test_membership__only_a_member_or_the_agency_decides(org_with_member):
    store, org, _ = org_with_member
    made = membership.invite(
        store, COORD, email="noa@example.org", display_name="Noa", organisation_id=org.id
    )
    other_org = organisations.create(
        store, ADMIN, name="Autre", structure_type="compagnie", filieres=["cirque"]
    )
    outsider = Viewer(
        role=Role.CONTRIBUTEUR, organisation_id=other_org.id, filiere="cirque", account_id="o"
    )
    for viewer in (COORD, outsider):
        with pytest.raises(OppError) as info:
            membership.decide_membership(store, viewer, made.account.id, approve=True)
        assert info.value.code == "FORBIDDEN"


def test_membership__the_agency_may_add_directly_audited_and_members_are_told(
    org_with_member,
):
    store, org, _ = org_with_member
    made = membership.invite(
        store, ADMIN, email="sacha@example.org", display_name="Sacha", organisation_id=org.id
    )
    assert not made.pending
    assert made.notified == 1
    told = outbox.recent(store, kind="member_added")
    assert [m.recipient for m in told] == ["alix@example.org"]
    assert told[0].params["email"] == "sacha@example.org"
    entry = reads.audit_entries(store, ADMIN, object_id=made.account.id)[0]
    assert entry["detail"]["members_told"] == 1


def test_membership__the_agency_approves_a_pending_member_and_members_are_told(
    org_with_member,
):
    store, org, _ = org_with_member
    made = membership.invite(
        store, COORD, email="noa@example.org", display_name="Noa", organisation_id=org.id
    )
    membership.decide_membership(store, ADMIN, made.account.id, approve=True)
    assert [m.recipient for m in outbox.recent(store, kind="member_added")] == ["alix@example.org"]


def test_membership__a_contributor_invites_a_colleague_of_their_own_organisation_only(
    org_with_member,
):
    store, org, alix = org_with_member
    made = membership.invite(
        store, alix, email="colleague@example.org", display_name="Cam", organisation_id=org.id
    )
    assert not made.pending
    assert accounts.by_id(store, made.account.id).organisation_id == org.id
    other = organisations.create(
        store, ADMIN, name="Ailleurs", structure_type="lieu", filieres=["cirque"]
    )
    with pytest.raises(OppError) as info:
        membership.invite(
            store, alix, email="x@example.org", display_name="X", organisation_id=other.id
        )
    assert info.value.code == "FORBIDDEN"
    with pytest.raises(OppError):
        membership.invite(store, alix, email="y@example.org", display_name="Y", role=Role.COREPS)


def test_membership__the_agency_invites_every_role(tmp_store):
    coordinator = membership.invite(
        tmp_store,
        ADMIN,
        email="coord@example.org",
        display_name="C",
        role=Role.COORDINATEUR,
        filiere="marionnette",
    )
    assert coordinator.account.filiere == "marionnette"
    coreps = membership.invite(
        tmp_store, ADMIN, email="coreps@example.org", display_name="R", role=Role.COREPS
    )
    assert coreps.account.role == "coreps"
    with pytest.raises(OppError) as info:
        membership.invite(
            tmp_store, ADMIN, email="c2@example.org", display_name="C", role=Role.COORDINATEUR
        )
    assert info.value.code == "ADMIN_NO_FILIERE"
    with pytest.raises(OppError) as denied:
        membership.invite(
            tmp_store, COORD, email="c3@example.org", display_name="C", role=Role.COORDINATEUR
        )
    assert denied.value.code == "FORBIDDEN"


def test_membership__each_members_reads_and_writes_are_attributed_to_them(org_with_member):
    store, org, alix = org_with_member
    questionnaire = load_text(SMALL, "small.yaml").questionnaire
    questionnaires.publish(store, questionnaire)
    import datetime as dt

    from opp import clock

    campaign = campaigns.create(
        store,
        ADMIN,
        filiere="cirque",
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        reference_year=2025,
        title_fr="C",
        title_en=None,
        opens_on=clock.today() - dt.timedelta(days=1),
        closes_on=clock.today() + dt.timedelta(days=5),
    )
    colleague = membership.invite(
        store, alix, email="cam@example.org", display_name="Cam", organisation_id=org.id
    )
    cam = _activate(store, colleague.account.id)
    meta = response_store.start(store, alix, campaign.id)
    meta = response_store.save(store, alix, meta.id, {"effectif": 2}, expected_version=1)
    response_store.load_answers(store, cam, meta.id)
    response_store.load_answers(store, cam, meta.id)  # once an hour is enough
    entries = reads.audit_entries(store, ADMIN, object_id=meta.id)
    read_entries = [e for e in entries if e["action"] == "response.read"]
    assert [e["actor"] for e in read_entries] == [cam.account_id]
    assert read_entries[0]["actor_name"] == "Cam <cam@example.org>"
    writes = [e for e in entries if e["action"] != "response.read"]
    assert {e["actor"] for e in writes} == {alix.account_id}
