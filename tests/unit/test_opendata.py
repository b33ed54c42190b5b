"""Open data: aggregates through the disclosure layer; records only with the "ouvert"
choice, never a name, a place, a personal or pay answer, never a record unique on its
quasi-identifiers."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import ADMIN, publish_release
from hypothesis import given, settings
from hypothesis import strategies as st

from opp import opendata
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters
from opp.indicators.service import build_frames, result
from opp.questionnaire.catalogue import load_catalogue
from opp.services import responses as response_store

pytestmark = pytest.mark.both_backends

QUASI = ["annee", "filiere", "departement", "structure_type", "size_class", "annee_creation"]


@pytest.fixture
def open_demo(demo_store):
    """The demo with every other submitted response of each campaign made "ouvert"."""
    cur = demo_store.cursor()
    cur.execute(
        "UPDATE responses SET consent = 'ouvert' WHERE status = 'submitted' AND id IN "
        "(SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM responses) "
        "WHERE n % 2 = 0)"
    )
    return demo_store


def test_open_records__only_open_responses_nothing_identifying(open_demo):
    records = opendata.open_records(open_demo, ADMIN)
    table = records.table
    open_ids = {
        r[0]
        for r in open_demo.cursor()
        .execute("SELECT id FROM responses WHERE consent = 'ouvert' AND status = 'submitted'")
        .fetchall()
    }
    assert records.candidates == len(open_ids)
    assert records.published + records.withheld == records.candidates
    assert records.published == table["enregistrement"].n_unique() > 0
    # No name, id, commune or account anywhere; never a personal, pay or place answer.
    assert not {"structure", "nom", "organisation_id", "response_id", "commune"} & set(
        table.columns
    )
    text = table.write_csv()
    for (name,) in open_demo.cursor().execute("SELECT name FROM organisations").fetchall():
        assert name not in text
    assert not set(table["question"]) & set(records.dropped_questions)
    assert {"masse_salariale_totale", "salaire_moyen_femmes", "annee_creation"} <= set(
        records.dropped_questions
    )
    # k-anonymity: at least 5 published records share each record's quasi-identifiers.
    people = table.select("enregistrement", *QUASI, "generalisation").unique()
    sizes = people.group_by(QUASI, "generalisation").len()
    assert sizes["len"].min() >= opendata.K_ANONYMITY


def test_open_records__a_withdrawn_consent_takes_effect_at_once(open_demo):
    before = opendata.open_records(open_demo, ADMIN).candidates
    rid, org = (
        open_demo.cursor()
        .execute(
            "SELECT r.id, r.organisation_id FROM responses r JOIN release_members m "
            "ON m.snapshot = r.id || ':' || r.row_version WHERE r.consent = 'ouvert' LIMIT 1"
        )
        .fetchone()
    )
    owner = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org)
    response_store.set_consent(open_demo, owner, rid, "agrege")
    assert opendata.open_records(open_demo, ADMIN).candidates == before - 1


def test_open_records__scope_of_each_role(open_demo):
    coordinator = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="c")
    assert set(opendata.open_records(open_demo, coordinator).table["filiere"]) <= {"cirque"}
    for viewer in (Viewer(role=Role.COREPS), Viewer(role=Role.CONTRIBUTEUR, organisation_id="x")):
        with pytest.raises(OppError):
            opendata.open_records(open_demo, viewer)


def test_open_records__empty_before_any_release(make_questionnaire, make_response, tmp_store):
    make_response(make_questionnaire(), {"effectif": 3}, submit=True)
    assert opendata.open_records(tmp_store, ADMIN).table.is_empty()
    publish_release(tmp_store)
    assert opendata.open_records(tmp_store, ADMIN).candidates == 0  # consent is "agrégé"


def test_aggregates__exactly_the_cells_the_dashboards_publish(demo_store):
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    frames = build_frames(demo_store, surveys, indicators)
    year = frames.years()[0]
    table = opendata.aggregate_table(frames, indicators, ADMIN, year)
    budget = table.filter((pl.col("indicateur") == "budget_total") & (pl.col("ventilation") == ""))
    shown = result(frames, indicators.get("budget_total"), Filters(year), None, ADMIN).total()
    assert budget["valeur"].to_list() == [shown["value"]]
    assert budget["contributeurs"].to_list() == [shown["contributors"]]
    hidden = table.filter(pl.col("secret") != "")
    assert hidden["valeur"].null_count() == hidden.height  # never a hidden value


people_rows = st.lists(
    st.fixed_dictionaries(
        {
            "reference_year": st.sampled_from([2024, 2025]),
            "filiere": st.sampled_from(["cirque", "marionnette"]),
            "departement": st.sampled_from(["31", "34", "48", "09", "66"]),
            "structure_type": st.sampled_from(["compagnie", "lieu"]),
            "size_class": st.sampled_from(["0", "1-2", "3-9", "10+", None]),
            "founded": st.one_of(st.none(), st.integers(1960, 2024)),
        }
    ),
    max_size=80,
)


@settings(max_examples=120, deadline=None)
@given(rows=people_rows)
def test_anonymise__every_published_record_has_four_others_alike(rows):
    people = pl.DataFrame(
        [{"response_id": f"r{i}", **row} for i, row in enumerate(rows)],
        schema={
            "response_id": pl.String,
            "reference_year": pl.Int64,
            "filiere": pl.String,
            "departement": pl.String,
            "structure_type": pl.String,
            "size_class": pl.String,
            "founded": pl.Int64,
        },
    )
    published, by_step = opendata._anonymise(people)
    assert published["response_id"].n_unique() == published.height  # once each
    assert sum(by_step.values()) == published.height
    keys = ["reference_year", *opendata.QUASI_IDENTIFIERS, "generalisation"]
    for name, rules in opendata.STEPS:
        view = opendata._generalised(people, rules)
        sizes = view.group_by([k for k in keys if k != "generalisation"]).len()
        mine = published.filter(pl.col("generalisation") == name).drop("generalisation")
        joined = mine.join(sizes, on=[k for k in keys if k != "generalisation"], nulls_equal=True)
        assert joined.height == mine.height
        assert (joined["len"] >= opendata.K_ANONYMITY).all()
