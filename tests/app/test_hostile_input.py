"""Hostile input is harmless: XSS shown as text, SQL injection inert, config safe."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import polars as pl
import pytest
from conftest import ROOT, SMALL, demo_viewer, walk_to_review, widget

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.indicators.engine import Filters
from opp.indicators.service import check_filters
from opp.questionnaire.loader import load_text
from opp.services import auth, campaigns, invitations, membership, organisations, reads
from opp.services import questionnaires as questionnaire_reads
from opp.services import responses as response_store
from opp.store import accounts, analytics, open_store, questionnaires, stats
from opp.ui import charts
from opp.ui.session import SESSION_KEY

ADMIN = Viewer(role=Role.ADMIN, account_id="test-admin")
PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "[cliquez ici](javascript:alert(1))",
]
PAYLOAD = " ".join(PAYLOADS)
# What would make a payload live once rendered as Markdown by Streamlit.
LIVE = re.compile(r"(?<!\\)<(script|img)|(?<!\\)\]\(javascript:|(?<!\\)\[cliquez")


def _rendered_texts(at) -> list[str]:
    """Every text Streamlit renders as Markdown: elements, widget labels and help."""
    texts: list[str] = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "subheader",
        "header",
    ):
        texts += [str(e.value) for e in at.get(kind)]
    for kind in (
        "text_input",
        "text_area",
        "number_input",
        "selectbox",
        "radio",
        "multiselect",
        "date_input",
        "checkbox",
        "button",
    ):
        for element in at.get(kind):
            texts += [str(getattr(element, "label", "") or ""), str(element.help or "")]
    return texts


def assert_inert(at) -> None:
    assert not at.get("html"), "no raw HTML element"
    for text in _rendered_texts(at):
        assert not LIVE.search(text), text


def test_hostile__answers_and_names_show_as_typed_in_form_and_review(run_app, demo_copy):
    store = open_store(demo_copy)
    try:
        profile = next(
            p
            for p in stats.demo_profiles(store, clock.today())
            if p["kind"] == "carry_forward" and p["questionnaire_id"] == "cirque"
        )
        store.cursor().execute(
            "UPDATE organisations SET name = ? WHERE id = ?", [PAYLOAD, profile["id"]]
        )
        store.cursor().execute(
            "UPDATE accounts SET display_name = ? WHERE organisation_id = ?",
            [PAYLOAD, profile["id"]],
        )
    finally:
        store.close()
    at = run_app(demo_copy, "pages/repondre.py", viewer_key=f"org:{profile['id']}")
    widget(at.text_input, "nom_structure").set_value(PAYLOAD[:200]).run()
    assert_inert(at)
    walk_to_review(at)
    assert not at.exception
    assert any("alert" in text for text in _rendered_texts(at)), "the payload is shown…"
    assert_inert(at)  # …as text
    next(b for b in at.button if b.key.startswith("submit:")).click().run()
    assert not at.exception
    assert_inert(at)


def test_hostile__questionnaire_labels_are_inert(tmp_path, monkeypatch):
    quoted = [json.dumps(p) for p in PAYLOADS]
    text = (
        SMALL.replace("Effectif permanent", quoted[0])
        .replace("Dont femmes", quoted[2])
        .replace("{fr: Salle, en: Hall}", f"{{fr: {quoted[1]}, en: Hall}}")
    )
    questionnaire = load_text(text, "hostile.yaml").questionnaire
    db = tmp_path / "hostile.duckdb"
    store = open_store(db)
    try:
        questionnaires.publish(store, questionnaire)
        campaign = campaigns.create(
            store,
            ADMIN,
            filiere="cirque",
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            reference_year=2025,
            title_fr=PAYLOADS[2],
            title_en=None,
            opens_on=clock.today() - dt.timedelta(days=1),
            closes_on=clock.today() + dt.timedelta(days=5),
        )
        org = organisations.create(
            store, ADMIN, name=PAYLOADS[1], structure_type="compagnie", filieres=["cirque"]
        )
        # Sessions are checked against their account: a real one, with a hostile name.
        person = membership.invite(
            store, ADMIN, email="x@example.org", display_name=PAYLOADS[0], organisation_id=org.id
        ).account
    finally:
        store.close()
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OPP_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[SESSION_KEY] = auth.Session(
        viewer=auth.viewer_of(person), last_seen=clock.now()
    )
    at.run().switch_page("pages/repondre.py").run()
    assert not at.exception
    assert campaign.id
    widget(at.number_input, "effectif").set_value(2).run()  # shows the hostile "femmes" label
    assert_inert(at)
    labels = [w.label for w in at.number_input]
    assert any("script" in label for label in labels)


def test_hostile__chart_labels_are_entities_not_tags():
    from opp.indicators.engine import Result
    from opp.indicators.model import Indicator

    indicator = Indicator.model_validate(
        {
            "id": "x",
            "domain": "emploi",
            "label": PAYLOADS[0],
            "definition": "x",
            "kind": "sum",
            "question": "q",
        }
    )
    frame = pl.DataFrame(
        {
            "group": ["a"],
            "series": ["valeur"],
            "value": [3.0],
            "contributors": [5],
            "is_total": [False],
            "secret": [None],
            "group_label": [PAYLOADS[1]],
            "series_label": [PAYLOADS[2]],
        },
        schema_overrides={"secret": pl.String},
    )
    result = Result(indicator, Filters(2025), "filiere", frame)
    figure = charts.bars(frame, result, "fr", x="group_label", color="series_label")
    serialised = figure.to_json()
    assert "<script" not in serialised
    assert "<img" not in serialised
    assert "&lt;img" in serialised


@pytest.mark.parametrize(
    "hostile",
    [
        "' OR '1'='1",
        "x'); DROP TABLE answers; --",
        "1; DELETE FROM responses",
        '" OR ""="',
        "%' --",
    ],
)
def test_hostile__sql_injection_in_identifiers_and_filters_is_inert(demo_copy, hostile):
    store = open_store(demo_copy)
    admin = demo_viewer(demo_copy, "admin")
    try:
        before = (
            store.cursor()
            .execute(
                "SELECT (SELECT count(*) FROM answers), (SELECT count(*) FROM responses), "
                "(SELECT count(*) FROM accounts)"
            )
            .fetchall()
        )
        for call in (
            lambda: response_store.get(store, admin, hostile),
            lambda: response_store.load_answers(store, admin, hostile),
            lambda: campaigns.get(store, admin, hostile),
            lambda: organisations.get(store, admin, hostile),
            lambda: questionnaire_reads.get(store, admin, hostile, hostile),
            lambda: invitations.for_campaign(store, admin, hostile),
            lambda: auth.sign_in(store, hostile, hostile),
            lambda: check_filters(Filters(2025, departement=hostile)),
            lambda: check_filters(Filters(2025, filiere=hostile)),
            lambda: analytics.response_frame(store, 1, {hostile: "num"}),
        ):
            with pytest.raises(OppError):
                call()
        assert reads.audit_entries(store, admin, object_id=hostile) is not None
        assert accounts.by_email(store, hostile) is None
        after = (
            store.cursor()
            .execute(
                "SELECT (SELECT count(*) FROM answers), (SELECT count(*) FROM responses), "
                "(SELECT count(*) FROM accounts)"
            )
            .fetchall()
        )
        assert after == before
    finally:
        store.close()


def test_hostile__streamlit_keeps_xsrf_protection_and_hides_tracebacks():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"].get("enableCORS", True) is True
    assert config["client"]["showErrorDetails"] == "none"


def test_hostile__codesign_proposals_and_comments_are_inert(run_app, demo_copy):
    from opp.questionnaire import edits
    from opp.services import codesign

    coordinator = demo_viewer(demo_copy, "coord:cirque")
    coordinator = Viewer(
        role=coordinator.role,
        account_id=coordinator.account_id,
        filiere=coordinator.filiere,
        name=PAYLOAD,
    )
    store = open_store(demo_copy)
    try:
        edit = edits.parse_edit(
            {
                "kind": "add",
                "section": "cir_chapiteau_itinerance",
                "question": {
                    "id": "cir_piege",
                    "type": "single_choice",
                    "label": {"fr": PAYLOAD, "en": PAYLOAD},
                    "help": {"fr": PAYLOADS[2]},
                    "choices": [{"value": "a", "label": PAYLOADS[1]}],
                },
            }
        )
        proposal = codesign.propose(store, coordinator, "cirque", edit, PAYLOAD)
        codesign.comment(store, coordinator, proposal.id, PAYLOAD)
        codesign.decide(store, coordinator, proposal.id, accept=True, reason=PAYLOAD)
    finally:
        store.close()
    at = run_app(demo_copy, "pages/coconstruction.py", viewer_key="coord:cirque")
    at.segmented_control(key="cd_status").set_value("all").run()
    assert not at.exception, at.exception
    assert any("alert" in text for text in _rendered_texts(at))
    assert_inert(at)
