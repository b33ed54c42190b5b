"""Property: whatever invalid answer set arrives, the store refuses it and writes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from conftest import ADMIN, SMALL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.questionnaire.loader import load_text
from opp.services import campaigns, organisations
from opp.services import responses as response_store
from opp.store import questionnaires

QUESTIONNAIRE = load_text(SMALL, "small.yaml").questionnaire

invalid_sets = st.one_of(
    # a rule broken: more women than staff
    st.integers(min_value=1, max_value=500).flatmap(  # at 0, "femmes" is hidden
        lambda n: st.fixed_dictionaries(
            {"effectif": st.just(n), "femmes": st.integers(min_value=n + 1, max_value=n + 50)}
        )
    ),
    # the required headcount with a value of the wrong kind
    st.fixed_dictionaries(
        {
            "effectif": st.one_of(
                st.text(alphabet="abcxyz-_!é", min_size=1),
                st.floats(min_value=0.01, max_value=999.99).filter(lambda f: not f.is_integer()),
                st.booleans(),
                st.lists(st.integers(), min_size=1, max_size=3),
                st.dates(),
                st.integers(min_value=1001),
                st.integers(max_value=-1),
            )
        }
    ),
    # an unknown question id
    st.fixed_dictionaries(
        {
            "effectif": st.just(1),
            "inconnue": st.one_of(st.text(min_size=1).filter(str.strip), st.integers()),
        }
    ),
    # a repeat that is not a list of items, or an item with a bad value
    st.fixed_dictionaries(
        {
            "effectif": st.just(1),
            "dates": st.one_of(
                st.text(min_size=1).filter(str.strip),
                st.just([{"jour": "pas une date"}]),
                st.just([{"commune": "00000"}]),
            ),
        }
    ),
)


@pytest.fixture(scope="module")
def prepared(module_store):
    store = module_store
    questionnaires.publish(store, QUESTIONNAIRE)
    today = clock.today()
    campaign = campaigns.create(
        store,
        ADMIN,
        filiere="cirque",
        questionnaire_id=QUESTIONNAIRE.id,
        questionnaire_version=QUESTIONNAIRE.version,
        reference_year=2025,
        title_fr="T",
        title_en=None,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
        campaign_id=uuid.uuid4().hex,
    )
    org = organisations.create(
        store, ADMIN, name="Cie", structure_type="compagnie", filieres=["cirque"]
    )
    viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org.id, filiere="cirque")
    meta = response_store.start(store, viewer, campaign.id)
    meta = response_store.save(
        store, viewer, meta.id, {"effectif": 3, "nom": "Avant"}, expected_version=1, submit=True
    )
    return store, viewer, meta


def _snapshot(store, response_id):
    cur = store.cursor()
    return (
        cur.execute(
            "SELECT * FROM answers WHERE response_id = ? ORDER BY question_id, item", [response_id]
        ).fetchall(),
        cur.execute(
            "SELECT row_version, status FROM responses WHERE id = ?", [response_id]
        ).fetchall(),
        cur.execute("SELECT count(*) FROM audit_log").fetchall(),
    )


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=invalid_sets, submit=st.booleans())
def test_store__random_invalid_answer_sets_are_refused_with_nothing_written(
    prepared, answers, submit
):
    store, viewer, meta = prepared
    before = _snapshot(store, meta.id)
    with pytest.raises(OppError) as info:
        response_store.save(
            store, viewer, meta.id, answers, expected_version=meta.row_version, submit=submit
        )
    assert info.value.message("fr")
    assert info.value.message("en")
    assert _snapshot(store, meta.id) == before
