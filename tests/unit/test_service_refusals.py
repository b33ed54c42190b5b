"""The campaign, invitation, organisation, questionnaire and release use cases refuse
what the repositories refused before the permission checks moved into `opp.services`:
the same `OppError`, and nothing written. The repositories themselves take no viewer."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from conftest import ADMIN, SMALL

import opp.store
from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.questionnaire.loader import load_text
from opp.services import campaigns, invitations, organisations, questionnaires, releases
from opp.services import responses as response_service
from opp.store import audit, open_store
from opp.store import questionnaires as questionnaire_repo

TODAY = clock.today()
COORD_MARIONNETTE = Viewer(role=Role.COORDINATEUR, filiere="marionnette", account_id="cm")
COORD_CIRQUE = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="cc")
COREPS = Viewer(role=Role.COREPS, account_id="coreps")


def _questionnaire(filiere: str) -> Any:
    text = SMALL.replace("id: petit", f"id: q_{filiere}", 1)
    text = text.replace("filiere: cirque", f"filiere: {filiere}", 1)
    return load_text(text, f"q_{filiere}.yaml").questionnaire


def _new_campaign(store: Any, filiere: str, *, year: int = 2026) -> str:
    return campaigns.create(
        store,
        ADMIN,
        filiere=filiere,
        questionnaire_id=f"q_{filiere}",
        questionnaire_version="1.0.0",
        reference_year=year,
        title_fr=f"Campagne {filiere} {year}",
        title_en=None,
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=20),
    ).id


@pytest.fixture
def world(tmp_path) -> Any:
    store = open_store(tmp_path / "refusals.duckdb")
    for filiere in ("cirque", "marionnette"):
        questionnaire_repo.publish(store, _questionnaire(filiere))
    ids = {
        "cirque": _new_campaign(store, "cirque"),
        "closed": _new_campaign(store, "cirque", year=2024),
    }
    campaigns.close(store, ADMIN, ids["closed"])
    orgs = {
        key: organisations.create(
            store, ADMIN, name=f"Cie {key}", structure_type="compagnie", filieres=filieres
        ).id
        for key, filieres in (("a", ["cirque"]), ("b", ["cirque"]), ("m", ["marionnette"]))
    }
    owner = Viewer(role=Role.CONTRIBUTEUR, organisation_id=orgs["a"], account_id="owner-a")
    response_service.start(store, owner, ids["cirque"])  # one draft
    yield store, ids, orgs, owner
    store.close()


def _refused(code: str, call: Any) -> OppError:
    with pytest.raises(OppError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def _audit_size(store: Any) -> int:
    return len(audit.list_entries(store, limit=10_000))


# --- campaigns -----------------------------------------------------------------------------


def test_campaign_create__coordinator_of_another_filiere_is_refused(world) -> None:
    store, _, _, _ = world
    before = campaigns.list_all(store, ADMIN)
    error = _refused(
        "FORBIDDEN",
        lambda: campaigns.create(
            store,
            COORD_MARIONNETTE,
            filiere="cirque",
            questionnaire_id="q_cirque",
            questionnaire_version="1.0.0",
            reference_year=2027,
            title_fr="Pas la mienne",
            title_en=None,
            opens_on=TODAY,
            closes_on=TODAY + dt.timedelta(days=3),
        ),
    )
    assert "Coordination" in error.message("fr")
    assert campaigns.list_all(store, ADMIN) == before


@pytest.mark.parametrize("viewer", [COORD_MARIONNETTE, COREPS], ids=["other_filiere", "coreps"])
def test_campaign_management__out_of_scope_viewer_is_refused_and_nothing_changes(
    world, viewer
) -> None:
    store, ids, _, _ = world
    before = campaigns.get(store, ADMIN, ids["cirque"])
    logged = _audit_size(store)
    _refused("FORBIDDEN", lambda: campaigns.drafts_count(store, viewer, ids["cirque"]))
    _refused("FORBIDDEN", lambda: campaigns.close(store, viewer, ids["cirque"]))
    _refused(
        "FORBIDDEN",
        lambda: campaigns.schedule_close(
            store, viewer, ids["cirque"], TODAY + dt.timedelta(days=2)
        ),
    )
    assert campaigns.get(store, ADMIN, ids["cirque"]) == before
    assert _audit_size(store) == logged
    # the coordinator of the filière may: the same calls are not refused for them
    assert campaigns.drafts_count(store, COORD_CIRQUE, ids["cirque"]) == 1


def test_campaign_reopen__only_the_agency(world) -> None:
    store, ids, _, _ = world
    until = TODAY + dt.timedelta(days=4)
    _refused("FORBIDDEN", lambda: campaigns.reopen(store, COORD_CIRQUE, ids["closed"], until))
    assert campaigns.get(store, ADMIN, ids["closed"]).state(TODAY) == "closed"
    assert campaigns.reopen(store, ADMIN, ids["closed"], until).state(TODAY) == "open"


def test_campaign_dates__refused_by_the_service_before_anything_is_written(world) -> None:
    store, ids, _, _ = world
    logged = _audit_size(store)
    _refused(
        "CAMPAIGN_CLOSE_PAST",
        lambda: campaigns.schedule_close(
            store, COORD_CIRQUE, ids["cirque"], TODAY - dt.timedelta(days=1)
        ),
    )
    _refused(
        "CAMPAIGN_NOT_CLOSED",
        lambda: campaigns.reopen(store, ADMIN, ids["cirque"], TODAY + dt.timedelta(days=2)),
    )
    _refused(
        "CAMPAIGN_ALREADY_CLOSED",
        lambda: campaigns.schedule_close(store, ADMIN, ids["closed"], TODAY),
    )
    assert _audit_size(store) == logged


def test_campaign_reads__every_role_reads_campaigns_and_an_unknown_one_is_not_found(
    world,
) -> None:
    store, ids, _, owner = world
    for viewer in (owner, COORD_MARIONNETTE, COREPS, ADMIN):
        assert campaigns.get(store, viewer, ids["cirque"]).filiere == "cirque"
        assert {c.id for c in campaigns.open_for(store, viewer, ["cirque"])} == {ids["cirque"]}
    current = campaigns.get(store, owner, ids["cirque"])
    assert campaigns.previous(store, owner, current).id == ids["closed"]
    _refused("NOT_FOUND", lambda: campaigns.get(store, owner, "nope"))


# --- invitations ---------------------------------------------------------------------------


def test_invitations__coordinator_of_another_filiere_is_refused_everything(world) -> None:
    store, ids, _, _ = world
    campaign = ids["cirque"]
    _refused("FORBIDDEN", lambda: invitations.invite(store, COORD_MARIONNETTE, campaign, []))
    _refused("FORBIDDEN", lambda: invitations.invite_all(store, COORD_MARIONNETTE, campaign))
    _refused("FORBIDDEN", lambda: invitations.status_counts(store, COORD_MARIONNETTE, campaign))
    _refused("FORBIDDEN", lambda: invitations.for_campaign(store, COORD_MARIONNETTE, campaign))
    assert invitations.for_campaign(store, ADMIN, campaign) == []


def test_invite__an_organisation_out_of_reach_refuses_the_whole_batch(world) -> None:
    store, ids, orgs, _ = world
    campaign = ids["cirque"]
    # the coordinator may not read a marionnette structure: refused before anything
    _refused(
        "FORBIDDEN",
        lambda: invitations.invite(store, COORD_CIRQUE, campaign, [orgs["a"], orgs["m"]]),
    )
    # the agency reads it, but it is not of the campaign's filière
    _refused(
        "FORBIDDEN", lambda: invitations.invite(store, ADMIN, campaign, [orgs["a"], orgs["m"]])
    )
    _refused("NOT_FOUND", lambda: invitations.invite(store, ADMIN, campaign, [orgs["a"], "x"]))
    assert invitations.for_campaign(store, ADMIN, campaign) == []
    assert invitations.invite(store, COORD_CIRQUE, campaign, [orgs["a"], orgs["b"]]) == 2


def test_invite__an_archived_structure_is_refused(world) -> None:
    from opp.services import organisation_archive

    store, ids, orgs, _ = world
    organisation_archive.archive(store, ADMIN, orgs["b"])
    _refused("ORG_ARCHIVED", lambda: invitations.invite(store, ADMIN, ids["cirque"], [orgs["b"]]))
    assert invitations.invite_all(store, COORD_CIRQUE, ids["cirque"]) == 1  # only A


# --- organisations -------------------------------------------------------------------------


def test_organisation_get__outside_the_viewer_scope_is_refused(world) -> None:
    store, _, orgs, owner = world
    assert organisations.get(store, owner, orgs["a"]).name == "Cie a"
    _refused("FORBIDDEN", lambda: organisations.get(store, owner, orgs["b"]))
    _refused("FORBIDDEN", lambda: organisations.get(store, COORD_CIRQUE, orgs["m"]))
    _refused("NOT_FOUND", lambda: organisations.get(store, ADMIN, "nope"))


def test_organisation_lists__limited_to_the_viewer_scope(world) -> None:
    store, _, orgs, owner = world
    assert [o.id for o in organisations.list_visible(store, owner)] == [orgs["a"]]
    assert {o.id for o in organisations.list_visible(store, COORD_CIRQUE)} == {
        orgs["a"],
        orgs["b"],
    }
    found, total = organisations.search(store, COORD_MARIONNETTE, "Cie")
    assert ([o.id for o in found], total) == ([orgs["m"]], 1)
    assert organisations.search(store, COREPS, "Cie") == ([], 0)  # no READ_ORGANISATION
    assert organisations.list_visible(store, COREPS) == []


def test_organisation_create__contributor_and_other_filiere_are_refused(world) -> None:
    store, _, _, owner = world
    before = len(organisations.list_visible(store, ADMIN))
    _refused(
        "FORBIDDEN",
        lambda: organisations.create(
            store, owner, name="Nouvelle", structure_type="compagnie", filieres=["cirque"]
        ),
    )
    _refused(
        "FORBIDDEN",
        lambda: organisations.create(
            store,
            COORD_MARIONNETTE,
            name="Nouvelle",
            structure_type="compagnie",
            filieres=["cirque"],
        ),
    )
    assert len(organisations.list_visible(store, ADMIN)) == before


def test_organisation_update__refusals_change_nothing(world) -> None:
    store, _, orgs, owner = world
    before = organisations.get(store, ADMIN, orgs["a"])
    _refused("FORBIDDEN", lambda: organisations.update(store, owner, orgs["a"], name="X"))
    _refused(
        "FORBIDDEN", lambda: organisations.update(store, COORD_MARIONNETTE, orgs["a"], name="X")
    )
    _refused(  # another filière is not theirs to give
        "FORBIDDEN",
        lambda: organisations.update(
            store, COORD_CIRQUE, orgs["a"], filieres=["cirque", "marionnette"]
        ),
    )
    assert organisations.get(store, ADMIN, orgs["a"]) == before
    renamed = organisations.update(store, COORD_CIRQUE, orgs["a"], name="Cie A bis")
    assert organisations.get(store, ADMIN, orgs["a"]).name == renamed.name == "Cie A bis"


def test_organisation_update__coordinator_keeps_their_filiere(world) -> None:
    store, _, _, _ = world
    both = organisations.create(
        store,
        ADMIN,
        name="Cie deux",
        structure_type="compagnie",
        filieres=["cirque", "marionnette"],
    )
    error = _refused(
        "ORG_KEEP_FILIERE",
        lambda: organisations.update(store, COORD_CIRQUE, both.id, filieres=["marionnette"]),
    )
    assert "Arts du cirque" in error.message("fr")
    assert organisations.get(store, ADMIN, both.id).filieres == ["cirque", "marionnette"]


# --- questionnaires and releases -----------------------------------------------------------


def test_questionnaire_reads__public_and_an_unknown_version_is_not_found(world) -> None:
    store, _, _, owner = world
    assert questionnaires.get(store, owner, "q_marionnette", "1.0.0").filiere == "marionnette"
    assert questionnaires.latest(store, COREPS, "q_cirque").version == "1.0.0"
    listed = questionnaires.list_versions(store, owner)
    assert {v["questionnaire_id"] for v in listed} == {"q_cirque", "q_marionnette"}
    _refused("NOT_FOUND", lambda: questionnaires.get(store, owner, "q_cirque", "9.9.9"))
    _refused("NOT_FOUND", lambda: questionnaires.latest(store, owner, "inconnu"))


@pytest.mark.parametrize("viewer", [COORD_CIRQUE, COREPS], ids=["coordinator", "coreps"])
def test_release_publish__only_the_agency(world, viewer) -> None:
    store, _, _, _ = world
    before = releases.latest_id(store)  # the release published when a campaign closed
    _refused("FORBIDDEN", lambda: releases.publish(store, viewer))
    assert releases.latest_id(store) == before
    assert releases.publish(store, ADMIN).id == (before or 0) + 1


# --- the repositories take no viewer -------------------------------------------------------


def _store_functions() -> list[tuple[str, Any]]:
    found = []
    for info in pkgutil.iter_modules(opp.store.__path__):
        module = importlib.import_module(f"opp.store.{info.name}")
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", value))
    return found


def test_repositories__no_function_of_the_store_takes_a_viewer() -> None:
    functions = _store_functions()
    assert len(functions) > 100  # every repository was looked at
    taking = [
        name
        for name, function in functions
        if "viewer" in inspect.signature(function).parameters
        or "Viewer" in str(inspect.get_annotations(function))
    ]
    assert taking == []
