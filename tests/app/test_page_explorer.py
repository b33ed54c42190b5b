"""Explorer page: any question's distribution, with the dashboards' disclosure layer."""

from __future__ import annotations

import polars as pl
from test_page_emploi import downloaded, latest_year, record_downloads

from opp import exports
from opp.access.viewer import Role, Viewer
from opp.indicators import explore
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters
from opp.indicators.frames import LazyFrames
from opp.questionnaire.catalogue import load_catalogue
from opp.store import open_store

PAGE = "pages/explorer.py"
COREPS = Viewer(role=Role.COREPS, account_id="coreps")


def _published(db, questionnaire_id, question_id, breakdown=None, measure=None, viewer=COREPS):
    store = open_store(db)
    try:
        surveys = load_catalogue()
        frames = LazyFrames(store, surveys, load_indicators(surveys=surveys))
        return explore.distribution(
            store,
            viewer,
            questionnaire_id,
            question_id,
            Filters(reference_year=latest_year(db)),
            breakdown,
            measure=measure,
            frames=frames,
        )
    finally:
        store.close()


def _choose(at, questionnaire_id, question_id, breakdown=None):
    at.selectbox(key="explorer_questionnaire").set_value(questionnaire_id).run()
    at.selectbox(key=f"explorer_question:{questionnaire_id}").set_value(question_id).run()
    if breakdown:
        at.selectbox(key="explorer_breakdown").set_value(breakdown).run()
    return at


def test_page_explorer__a_choice_question_by_departement_shows_published_shares(
    run_app, demo_file, monkeypatch
):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    assert not at.exception
    _choose(at, "cirque", "forme_juridique", "departement")
    assert not at.exception
    expected = _published(demo_file, "cirque", "forme_juridique", "departement")
    assert not expected.refused
    key = "explorer:cirque:forme_juridique:shares"
    assert len(at.get("plotly_chart")) == 1
    table = pl.from_pandas(at.dataframe[0].value)
    share = "Formes juridiques (%)" if "Formes juridiques (%)" in table.columns else None
    value_column = share or next(c for c in table.columns if c.endswith(" %"))
    published = expected.table.filter(pl.col("secret").is_null())
    # Every published share of the service is on the page, rounded, and nothing else.
    shown = table[value_column].drop_nulls().to_list()
    assert sorted(shown) == sorted(published["value"].round(1).to_list())
    # Hidden cells say why, never "None".
    reasons = table["Secret statistique"].to_list()
    hidden = expected.table.filter(pl.col("secret").is_not_null()).height
    assert sum(1 for r in reasons if r) == hidden
    data = downloaded(files, at, f"csv:{key}")
    assert data == exports.to_csv_bytes(table, lang="fr")


def test_page_explorer__repeat_items_by_type_of_venue(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    _choose(at, "cirque", "rep_type_lieu")
    assert not at.exception
    table = pl.from_pandas(at.dataframe[0].value)
    assert "Réponse" in table.columns
    assert "Salle de spectacle" in table["Réponse"].to_list()


def test_page_explorer__text_and_personal_questions_are_never_offered(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    at.selectbox(key="explorer_questionnaire").set_value("artistes_musiques_actuelles").run()
    offered = at.selectbox(key="explorer_question:artistes_musiques_actuelles").options
    surveys = load_catalogue()
    artists = surveys.get("artistes_musiques_actuelles")
    labels = " ".join(offered)
    for question in artists.questions.values():
        if question.personal or question.type in ("text", "long_text"):
            assert question.label.fr not in labels, question.id


def test_page_explorer__a_coordinator_explores_only_their_filiere(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coord:marionnette")
    assert not at.exception
    mine = [q.title.fr for q in load_catalogue().for_filiere("marionnette")]
    assert at.selectbox(key="explorer_questionnaire").options == mine


def test_page_emploi__a_panel_crossed_with_an_answer_of_the_common_core(run_app, demo_file):
    """Any single-choice or yes/no question of the common core breaks a dashboard panel
    down, with the figures the service publishes for that breakdown."""
    from test_page_emploi import computed

    at = run_app(demo_file, "pages/emploi.py", viewer_key="coreps")
    before = len(at.dataframe)
    at.selectbox(key="cross:masse_salariale").set_value("forme_juridique").run()
    assert not at.exception
    assert len(at.dataframe) == before
    expected = computed(demo_file, "masse_salariale", breakdown="forme_juridique")
    tables = [pl.from_pandas(d.value) for d in at.dataframe]
    table = next(t for t in tables if "Forme juridique" in t.columns)
    assert "Association loi 1901" in table["Forme juridique"].to_list()
    published = expected.table.filter(pl.col("secret").is_null() & ~pl.col("is_total"))
    value_column = next(c for c in table.columns if c.startswith("Masse salariale"))
    shown = table.filter(pl.col("Forme juridique") != "Ensemble")[value_column].drop_nulls()
    assert sorted(shown.to_list()) == sorted(published["value"].round(0).to_list())


def _on_screen(element) -> pl.DataFrame:
    """What a table shows (Streamlit draws a styled table's display values)."""
    import pyarrow as pa

    reader = pa.ipc.open_stream(element.proto.arrow_data.styler.display_values)
    return pl.from_arrow(reader.read_all())


def test_tables__a_hidden_cell_shows_the_mark_and_its_reason_never_none(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coreps")
    _choose(at, "cirque", "cir_chapiteau", "departement")
    shown = _on_screen(at.dataframe[0])
    data = pl.from_pandas(at.dataframe[0].value)
    reasons = data["Secret statistique"].to_list()
    hidden = [i for i, reason in enumerate(reasons) if reason]
    assert hidden, "the selection has hidden cells"
    text = [str(v) for row in shown.iter_rows() for v in row]
    assert "None" not in text
    assert "nan" not in text
    value_column = next(c for c in data.columns if c.endswith(" %"))
    position = data.columns.index(value_column)
    for i in hidden:
        assert shown.row(i)[position] == "✕"
        assert reasons[i].startswith("secret statistique : ")


def test_dashboards__downloads_are_built_on_click_only(run_app, demo_file, monkeypatch):
    """A render builds no CSV or Excel file; pressing a button builds its own."""
    from test_page_emploi import downloaded, record_downloads

    from opp import exports as exporting

    files = record_downloads(monkeypatch)
    built: list[str] = []
    to_csv, to_xlsx = exporting.to_csv_bytes, exporting.to_xlsx_bytes
    monkeypatch.setattr(
        exporting, "to_csv_bytes", lambda *a, **k: built.append("csv") or to_csv(*a, **k)
    )
    monkeypatch.setattr(
        exporting, "to_xlsx_bytes", lambda *a, **k: built.append("xlsx") or to_xlsx(*a, **k)
    )
    at = run_app(demo_file, "pages/emploi.py", viewer_key="coreps")
    assert not at.exception
    assert len(at.get("download_button")) > 2
    assert built == []
    assert downloaded(files, at, "xlsx:masse_salariale").startswith(b"PK")
    assert built == ["xlsx"]
