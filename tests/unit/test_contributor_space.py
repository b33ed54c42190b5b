"""Contributor space: export, erasure, consent, corrections, open data, restitution, reports."""

from __future__ import annotations

import datetime as dt
import html.parser
import json

import duckdb
import polars as pl
import pytest
from conftest import ADMIN, publish_release

from opp import clock, mydata, reports, restitution
from opp.access.viewer import Role, Viewer
from opp.errors import OppError
from opp.indicators import peers
from opp.indicators.catalogue import load_indicators
from opp.indicators.frames import LazyFrames
from opp.services import corrections, erasure, reads, releases
from opp.services import responses as response_store
from opp.store import accounts, admissions, analytics, open_store
from opp.store.backup import backup, restore, table_counts

pytestmark = pytest.mark.both_backends

ANSWERS = {"effectif": 4, "femmes": 2, "nom": "Cie A", "dates": [{"jour": "2025-02-01"}]}


@pytest.fixture
def two(make_questionnaire, make_response, tmp_store):
    q = make_questionnaire()
    a = make_response(q, ANSWERS, submit=True, organisation_name="Cie A")
    b = make_response(q, {"effectif": 9, "nom": "Secret B"}, submit=True, organisation_name="Cie B")
    return tmp_store, q, a, b


def test_export__contains_every_stored_answer_and_nothing_of_another(two):
    store, _, a, b = two
    data = mydata.collect(store, a["viewer"])
    stored = (
        store.cursor()
        .execute("SELECT count(*) FROM answers WHERE response_id = ?", [a["response"].id])
        .fetchall()[0][0]
    )
    exported = sum(len(r["answers"]) for r in data["responses"])
    assert exported == stored
    labels = {row["question_id"]: row for row in data["responses"][0]["answers"]}
    assert labels["effectif"]["label_fr"] == "Effectif permanent"
    assert labels["effectif"]["value"] == 4
    text = mydata.to_json(data).decode()
    assert b["response"].id not in text
    assert "Secret B" not in text
    assert b["organisation"].id not in text
    assert "password_hash" not in text
    tables = mydata.to_tables(data)
    assert tables["reponses"].height == stored
    assert set(tables) >= {"reponses", "consentement", "journal", "structure"}


def test_export__only_contributors_export_their_own_file(two):
    store, *_ = two
    for viewer in (
        ADMIN,
        Viewer(role=Role.COREPS),
        Viewer(role=Role.COORDINATEUR, filiere="cirque"),
    ):
        with pytest.raises(OppError):
            mydata.collect(store, viewer)


def test_erasure__a_response_leaves_the_store_at_once_and_the_figures_at_the_next_release(two):
    store, _, a, b = two
    published = publish_release(store)
    # An admission of the differencing stored with the release (`LazyFrames.freeze`).
    assert admissions.save(store, published.id, [("d" * 64, "2,2", b"\xa0")]) == 1
    with pytest.raises(OppError) as info:
        erasure.erase_response(store, a["viewer"], a["response"].id, "oui")
    assert "EFFACER" in info.value.message("fr")
    assert response_store.get(store, a["viewer"], a["response"].id)  # nothing erased
    erasure.erase_response(store, a["viewer"], a["response"].id, "effacer")
    cur = store.cursor()
    for table, column in (
        ("answers", "response_id"),
        ("responses", "id"),
        ("consent_history", "response_id"),
    ):
        count = cur.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ?", [a["response"].id]
        ).fetchall()[0][0]
        assert count == 0, table
    # The published release does not change with one erasure (no live differencing)…
    frame = analytics.response_frame(store, published.id, {"effectif": "num"})
    assert sorted(frame["response_id"].to_list()) == sorted([a["response"].id, b["response"].id])
    assert releases.pending(store).erasures == 1  # …a new release is due
    # …and the next release removes every frozen copy of the erased response.
    later = publish_release(store)
    frame = analytics.response_frame(store, later.id, {"effectif": "num"})
    assert frame["response_id"].to_list() == [b["response"].id]
    assert frame["effectif"].sum() == 9
    # The admissions computed from the erased answers went with them.
    assert admissions.load(store, published.id) == []
    for table in ("frozen_responses", "release_erasures"):
        assert (
            cur.execute(
                f"SELECT count(*) FROM {table} WHERE response_id = ?", [a["response"].id]
            ).fetchall()[0][0]
            == 0
        )
    assert (
        cur.execute(
            "SELECT count(*) FROM frozen_answers WHERE snapshot LIKE ?", [f"{a['response'].id}:%"]
        ).fetchall()[0][0]
        == 0
    )
    assert releases.get(store, published.id).responses == 2  # history of what was published
    entry = reads.audit_entries(store, ADMIN, object_id=a["response"].id)[0]
    assert entry["action"] == "response.erase"
    assert "Cie A" not in json.dumps(entry["detail"])


def test_erasure__organisation_and_accounts_are_gone_even_from_later_backups(two, tmp_path):
    store, _, a, b = two
    org_id = a["organisation"].id
    from opp.services import membership

    publish_release(store)
    membership.invite(
        store, ADMIN, email="a@example.org", display_name="A", organisation_id=org_id
    )  # its invitation mail waits in the outbox: it must leave with the organisation
    counts = erasure.erase_organisation(store, a["viewer"], "EFFACER")
    publish_release(store)  # removes the frozen copies (a release is due after an erasure)
    assert counts == {"responses": 1, "accounts": 1}
    cur = store.cursor()
    assert (
        cur.execute("SELECT count(*) FROM organisations WHERE id = ?", [org_id]).fetchall()[0][0]
        == 0
    )
    assert accounts.by_email(store, "a@example.org") is None
    folder = backup(store, tmp_path / "backups")
    parquets = sorted(folder.glob("*.parquet"))
    assert len(parquets) > 30
    reader = duckdb.connect()  # the backup's files, read whatever engine wrote them
    for parquet in parquets:
        rows = reader.execute(
            "SELECT count(*) FROM read_parquet(?) t WHERE contains(CAST(t AS VARCHAR), ?) "
            "OR contains(CAST(t AS VARCHAR), ?)",
            [str(parquet), "Cie A", "a@example.org"],
        ).fetchall()[0][0]
        assert rows == 0, parquet.name
    kept = reader.execute(  # the search finds what the backup does hold
        "SELECT count(*) FROM read_parquet(?) t WHERE contains(CAST(t AS VARCHAR), 'Cie B')",
        [str(folder / "organisations.parquet")],
    ).fetchall()[0][0]
    assert kept == 1
    reader.close()
    assert b["response"].id  # the other organisation is untouched
    assert response_store.get(store, b["viewer"], b["response"].id)


def test_consent__changes_what_a_coordinator_sees_and_is_historised(two):
    store, _, a, _ = two
    coordinator = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="coord")
    visible = {r.id for r in response_store.list_visible(store, coordinator)}
    assert a["response"].id not in visible  # "agrégé" by default
    response_store.set_consent(store, a["viewer"], a["response"].id, "reseau")
    assert a["response"].id in {r.id for r in response_store.list_visible(store, coordinator)}
    assert response_store.load_answers(store, coordinator, a["response"].id)["effectif"] == 4
    response_store.set_consent(store, a["viewer"], a["response"].id, "agrege")
    with pytest.raises(OppError):
        response_store.get(store, coordinator, a["response"].id)
    history = response_store.consent_history(store, a["viewer"], a["response"].id)
    assert [(h["from_level"], h["to_level"]) for h in history] == [
        (None, "agrege"),
        ("agrege", "reseau"),
        ("reseau", "agrege"),
    ]
    with pytest.raises(OppError):
        response_store.set_consent(store, coordinator, a["response"].id, "ouvert")
    with pytest.raises(OppError):
        response_store.set_consent(store, a["viewer"], a["response"].id, "public")


def test_corrections__request_accept_then_edit_within_the_window(two):
    store, _, a, _ = two
    with pytest.raises(OppError) as early:
        corrections.request(store, a["viewer"], a["response"].id, "Effectif faux en 2025")
    assert early.value.code == "CORRECTION_NOT_NEEDED"
    clock.freeze(dt.datetime.now(dt.UTC) + dt.timedelta(days=30))  # the campaign has closed
    try:
        with pytest.raises(OppError) as closed:
            response_store.save(
                store,
                a["viewer"],
                a["response"].id,
                ANSWERS,
                expected_version=a["response"].row_version,
            )
        assert closed.value.code == "CAMPAIGN_CLOSED"
        item = corrections.request(store, a["viewer"], a["response"].id, "Effectif faux : 5")
        coordinator = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="coord")
        other = Viewer(role=Role.COORDINATEUR, filiere="marionnette", account_id="m")
        with pytest.raises(OppError):
            corrections.decide(store, other, item.id, accept=True)
        decided = corrections.decide(store, coordinator, item.id, accept=True, reason="OK")
        assert decided.status == "accepted"
        meta = response_store.get(store, a["viewer"], a["response"].id)
        assert meta.edit_until == clock.today() + corrections.CORRECTION_WINDOW
        response_store.save(
            store,
            a["viewer"],
            a["response"].id,
            {**ANSWERS, "effectif": 5},
            expected_version=meta.row_version,
        )
        assert response_store.load_answers(store, a["viewer"], a["response"].id)["effectif"] == 5
        with pytest.raises(OppError):
            corrections.decide(store, coordinator, item.id, accept=False)
    finally:
        clock.freeze(None)
    actions = [e["action"] for e in reads.audit_entries(store, ADMIN, object_id=a["response"].id)]
    assert {"correction.request", "correction.accepted", "response.edit"} <= set(actions)


def test_backup__restore_gives_back_exactly_the_same_store(demo_copy, tmp_path):
    store = open_store(demo_copy)
    try:
        folder = backup(store, tmp_path)
        before = table_counts(store.cursor())
    finally:
        store.close()
    restore(folder, tmp_path / "restored.duckdb")
    copy = open_store(tmp_path / "restored.duckdb")
    try:
        assert table_counts(copy.cursor()) == before
        copy.cursor().execute(f"ATTACH '{demo_copy}' AS original (READ_ONLY)")
        for table in ("answers", "responses", "organisations", "accounts", "audit_log"):
            diff = (
                copy.cursor()
                .execute(
                    f"SELECT count(*) FROM (SELECT * FROM original.{table} "
                    f"EXCEPT ALL SELECT * FROM main.{table})"
                )
                .fetchall()[0][0]
            )
            assert diff == 0, table
    finally:
        copy.close()
    with pytest.raises(OppError) as info:
        restore(folder, tmp_path / "restored.duckdb")
    assert info.value.code == "BACKUP_TARGET_EXISTS"


# --- restitution --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fiche_world(demo_file):
    store = open_store(demo_file)
    from opp.questionnaire.catalogue import load_catalogue
    from opp.services import auth

    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    viewer = auth.viewer_of(accounts.by_email(store, "cirque-carry-forward@demo.opp"))
    response = response_store.list_visible(store, viewer, status="submitted")[0]
    fiche = restitution.build(
        store, viewer, LazyFrames(store, surveys, indicators), indicators, response.id
    )
    yield store, viewer, response, fiche
    store.close()


def test_restitution__own_value_and_perturbed_peer_quartiles_match_a_direct_computation(
    fiche_world,
):
    store, _, response, fiche = fiche_world
    line = next(x for x in fiche.lines if x.indicator.id == "effectif_permanent_total")
    own = (
        store.cursor()
        .execute(
            "SELECT value_num FROM answers WHERE response_id = ? "
            "AND question_id = 'effectif_permanent'",
            [response.id],
        )
        .fetchall()[0][0]
    )
    peers = (
        store.cursor()
        .execute(
            """SELECT a.value_num FROM releases r
               JOIN release_members m ON m.release_id = r.id
               JOIN frozen_responses f ON f.snapshot = m.snapshot
               JOIN frozen_answers a ON a.snapshot = f.snapshot
               WHERE r.id = (SELECT max(id) FROM releases)
                 AND a.question_id = 'effectif_permanent'
                 AND f.filiere = ? AND f.reference_year = ?""",
            [fiche.campaign.filiere, fiche.campaign.reference_year],
        )
        .fetchall()
    )
    values = pl.Series([v for (v,) in peers], dtype=pl.Float64)
    exact = [values.quantile(q, "linear") for q in (0.25, 0.5, 0.75)]
    assert line.own == own  # their own answer, as it stands
    filiere = next(c for c in line.comparisons if c.group == "filiere")
    shown = [filiere.q1, filiere.median, filiere.q3]
    assert shown == sorted(shown)
    spread = exact[2] - exact[0]
    for published, truth in zip(shown, exact, strict=True):
        assert abs(published - truth) <= 0.15 * 1.5 * spread + 1e-9  # the policy's noise
    assert not set(shown) & set(values.to_list())  # never a peer's exact value


def test_restitution__too_few_peers_is_withheld_with_the_reason(fiche_world):
    _, _, _, fiche = fiche_world
    indicator = load_indicators().get("effectif_permanent_total")
    four = pl.DataFrame({"value": [1.0, 2.0, 3.0, 4.0], "_key": [1, 2, 3, 4]})
    assert peers.distribution(four, indicator, None) is None
    assert "moins de 5" in restitution.withheld_text("fr")
    for line in fiche.lines:
        for comparison in line.comparisons:
            assert comparison.withheld == (comparison.contributors < restitution.PEER_MINIMUM)


def test_restitution__history_covers_the_organisations_campaigns(fiche_world):
    store, viewer, _, fiche = fiche_world
    years = set(fiche.history["reference_year"].to_list())
    mine = response_store.list_visible(store, viewer, status="submitted")
    assert len(years) == len(mine)


def test_restitution__only_for_ones_own_response(fiche_world, demo_file):
    store, _, response, _ = fiche_world
    from opp.questionnaire.catalogue import load_catalogue

    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    other = Viewer(role=Role.CONTRIBUTEUR, organisation_id="autre", filiere="cirque")
    with pytest.raises(OppError):
        restitution.build(
            store, other, LazyFrames(store, surveys, indicators), indicators, response.id
        )


class _Resources(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href", "data", "srcset"):
            if attributes.get(name):
                self.external.append(f"{tag} {name}={attributes[name]}")


def test_reports__html_is_self_contained_and_escaped(fiche_world):
    _, _, _, fiche = fiche_world
    original = fiche.organisation
    fiche.organisation = original.model_copy(update={"name": "<script>alert(1)</script>"})
    try:
        page = reports.to_html(fiche, "fr")
    finally:
        fiche.organisation = original
    parser = _Resources()
    parser.feed(page)
    assert parser.external == []  # nothing to fetch: no src, no href, no link
    assert "@import" not in page
    assert "Plotly.newPlot" in page or "newPlot" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_reports__pdf_is_a_pdf(fiche_world):
    _, _, _, fiche = fiche_world
    document = reports.to_pdf(fiche, "fr")
    assert document.startswith(b"%PDF-")
    assert len(document) > 2_000


def _pdf_streams(document: bytes) -> str:
    """The PDF's text with its compressed streams decompressed (fonts' ToUnicode maps)."""
    import re
    import zlib

    texts = [document.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.DOTALL):
        try:
            texts.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(texts)


@pytest.mark.skipif(
    not (reports.FONT_DIR / "DejaVuSans.ttf").exists(), reason="fonts-dejavu-core (make test)"
)
def test_reports__pdf_writes_every_character_with_an_embedded_unicode_font(fiche_world):
    _, _, _, fiche = fiche_world
    original = fiche.organisation
    fiche.organisation = original.model_copy(update={"name": "Œuvre — Cie ≥ 2"})
    try:
        document = reports.to_pdf(fiche, "fr")
    finally:
        fiche.organisation = original
    assert b"DejaVuSans" in document
    cmaps = _pdf_streams(document).upper()
    # Before: "—" became "-" and "Œ" "OE" (Latin-1 core font); now the glyphs are there.
    for code in ("2014", "0152", "2265"):
        assert f"<{code}>" in cmaps, code


def test_reports__html_charts_keep_their_labels_and_start_at_zero(fiche_world):
    _, _, _, fiche = fiche_world
    for line in fiche.lines:
        figure = reports.position_figure(line, "fr")
        assert figure.layout.yaxis.automargin is True
        history = reports.history_figure(fiche, line, "fr")
        if history is not None:
            assert history.layout.yaxis.rangemode == "tozero"
