"""Landing page: explanation and live figures from the store."""

from __future__ import annotations

from opp.services import releases
from opp.store import open_store


def test_page_accueil__shows_the_directory_and_the_published_participation(run_app, demo_file):
    at = run_app(demo_file)  # a visitor who is not signed in
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    store = open_store(demo_file)
    structures = (
        store.cursor()
        .execute("SELECT count(*) FROM organisations WHERE structure_type <> 'artiste'")
        .fetchone()[0]
    )
    latest = releases.latest(store)
    store.close()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Structures inscrites"].replace(" ", "") == str(structures)
    assert metrics["Réponses publiées"].replace(" ", "") == str(latest.responses)
    assert metrics["Départements couverts"] == "13 / 13"
    assert "observation participative et partagée" in at.markdown[0].value
    # Participation by filière, as published (release, disclosure layer), with its table.
    assert len(at.dataframe) == 1
    assert any(f"publication n° {latest.id}" in c.value for c in at.caption)


def test_page_accueil__switches_to_english(run_app, demo_file):
    at = run_app(demo_file, lang="en")
    assert not at.exception
    assert at.title[0].value == "OPP — Live performance observation"
    assert "Published responses" in [m.label for m in at.metric]


def test_page_accueil__empty_store_says_figures_come_with_the_first_answers(run_app, tmp_path):
    at = run_app(tmp_path / "empty.duckdb")
    assert not at.exception
    assert any("dès les premières réponses" in i.value for i in at.info)
    assert not any("démonstration" in i.value or "make run" in i.value for i in at.info)


def test_page_accueil__locked_database_shows_a_message_not_a_traceback(run_app, tmp_path, caplog):
    import subprocess
    import sys

    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                f"import duckdb,time; c = duckdb.connect({str(path)!r}); "
                "print('ready', flush=True); time.sleep(30)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = run_app(path)
        assert not at.exception
        [error] = at.error
        # The visitor learns that OPP is unavailable for now, with a reference; the
        # server's path and the other process's id are for the operator's log only.
        assert "OPP est momentanément indisponible" in error.value
        assert str(tmp_path) not in error.value
        assert str(holder.pid) not in error.value
        assert "supprimez" not in error.value
        logged = caplog.text
        assert f"already open in another program (process {holder.pid})" in logged
        assert str(path) in logged
        ref = error.value.rsplit("référence ", 1)[1].rstrip(".")
        assert f"ref {ref}" in logged
    finally:
        holder.kill()
        holder.wait()


def test_page_accueil__no_code_shown_where_a_name_is_expected(run_app, demo_file):
    import re

    for viewer_key in (None, "coreps", "contrib:cirque"):
        at = run_app(demo_file, "pages/accueil.py", viewer_key=viewer_key)
        assert not at.exception
        shown = " ".join(
            [m.value for m in at.markdown]
            + [c.value for c in at.caption]
            + [str(m.label) + str(m.value) for m in at.metric]
            + [str(v) for d in at.dataframe for c in d.value.columns for v in d.value[c]]
        )
        # Before: "arts_de_la_rue" on the page.
        assert not re.search(r"\b(arts_de_la_rue|musiques_actuelles|bureau_production)\b", shown)
