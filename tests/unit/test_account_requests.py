"""Account requests from a network's public link: nothing exists before the coordinator
accepts; accepting creates the artist and mails the link; declining mails the reason."""

from __future__ import annotations

import pytest

from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.services import organisations, reads, requests
from opp.store import accounts, outbox

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin")
COORD_MA = Viewer(role=Role.COORDINATEUR, filiere="musiques_actuelles", account_id="c-ma", name="C")
COORD_CIRQUE = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="c-ci")


@pytest.fixture
def store(tmp_store, catalogue):
    from opp.store import questionnaires

    for q in catalogue.all():
        questionnaires.publish(tmp_store, q)
    return tmp_store


def _ask(store, email="lou@example.org", client="1.2.3.4", **extra):
    values = {
        "filiere": "musiques_actuelles",
        "email": email,
        "display_name": "Lou Bass",
        "commune": "31555",
        "message": "Bassiste à Toulouse",
        "language": "fr",
        "client": client,
    } | extra
    requests.submit(store, **values)


def test_account_requests__only_networks_with_an_artists_questionnaire(store):
    assert requests.open_filieres(store) == ["musiques_actuelles"]
    with pytest.raises(OppError) as info:
        _ask(store, filiere="cirque")
    assert info.value.code == "REQUEST_CLOSED"


def test_account_requests__nothing_exists_before_acceptance(store):
    _ask(store)
    _ask(store)  # twice: one request, and the same answer to the visitor
    assert accounts.by_email(store, "lou@example.org") is None
    assert organisations.search(store, ADMIN, "Lou")[1] == 0
    assert outbox.recent(store) == []
    assert len(requests.pending(store, COORD_MA)) == 1
    assert requests.pending(store, COORD_CIRQUE) == []


def test_account_requests__accepting_creates_the_artist_and_mails_the_link(store):
    _ask(store)
    (request,) = requests.pending(store, COORD_MA)
    with pytest.raises(OppError) as denied:
        requests.accept(store, COORD_CIRQUE, request.id)
    assert denied.value.code == "FORBIDDEN"
    account_id = requests.accept(store, COORD_MA, request.id)
    account = accounts.by_id(store, account_id)
    assert (account.status, account.role, account.filiere) == (
        "invited",
        "contributeur",
        "musiques_actuelles",
    )
    org = organisations.get(store, ADMIN, account.organisation_id)
    assert (org.name, org.structure_type, org.commune) == ("Lou Bass", "artiste", "31555")
    (mail,) = outbox.recent(store, kind="account_invitation")
    assert mail.recipient == "lou@example.org"
    assert mail.link_kind == "invitation"
    with pytest.raises(OppError) as again:
        requests.accept(store, COORD_MA, request.id)
    assert again.value.code == "REQUEST_DECIDED"
    actions = {e["action"] for e in reads.audit_entries(store, ADMIN)}
    assert {"account_request.create", "account_request.accepted"} <= actions


def test_account_requests__declining_mails_the_reason(store):
    _ask(store, language="en")
    (request,) = requests.pending(store, ADMIN)
    requests.decline(store, ADMIN, request.id, "Réservé aux artistes d'Occitanie.")
    (mail,) = outbox.recent(store, kind="request_declined")
    assert mail.recipient == "lou@example.org"
    assert mail.language == "en"
    assert mail.params["reason"] == "Réservé aux artistes d'Occitanie."
    assert accounts.by_email(store, "lou@example.org") is None


def test_account_requests__bad_input_and_floods_are_refused(store):
    with pytest.raises(OppError) as name:
        _ask(store, display_name=" ")
    assert name.value.code == "REQUEST_NAME"
    with pytest.raises(OppError) as commune:
        _ask(store, commune="75056")
    assert commune.value.code == "COMMUNE_UNKNOWN"
    with pytest.raises(OppError) as email:
        _ask(store, email="pas une adresse")
    assert email.value.code == "EMAIL_INVALID"
    for i in range(requests.MAX_PER_CLIENT_HOUR):
        _ask(store, email=f"a{i}@example.org", client="6.6.6.6")
    with pytest.raises(OppError) as flood:
        _ask(store, email="z@example.org", client="6.6.6.6")
    assert flood.value.code == "REQUEST_TOO_MANY"
