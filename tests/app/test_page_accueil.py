"""Landing page: explanation and live figures from the store."""

from __future__ import annotations

from opp.store import open_store


def test_page_accueil__shows_live_figures(run_app, demo_file):
    at = run_app(demo_file)
    assert not at.exception
    store = open_store(demo_file)
    structures = (
        store.cursor()
        .execute("SELECT count(*) FROM organisations WHERE structure_type <> 'artiste'")
        .fetchone()[0]
    )
    submitted = (
        store.cursor()
        .execute("SELECT count(*) FROM responses WHERE status = 'submitted'")
        .fetchone()[0]
    )
    store.close()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Structures inscrites"].replace(" ", "") == str(structures)
    assert metrics["Réponses envoyées"].replace(" ", "") == str(submitted)
    assert metrics["Départements couverts"] == "13 / 13"
    assert "observation participative et partagée" in at.markdown[0].value
    assert len(at.dataframe) == 1


def test_page_accueil__switches_to_english(run_app, demo_file):
    at = run_app(demo_file, lang="en")
    assert not at.exception
    assert at.title[0].value == "OPP — Live performance observation"
    assert "Submitted responses" in [m.label for m in at.metric]


def test_page_accueil__empty_store_says_figures_come_with_the_first_answers(run_app, tmp_path):
    at = run_app(tmp_path / "empty.duckdb")
    assert not at.exception
    assert any("dès les premières réponses" in i.value for i in at.info)
    assert not any("démonstration" in i.value or "make run" in i.value for i in at.info)


def test_page_accueil__locked_database_shows_a_message_not_a_traceback(run_app, tmp_path):
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
        assert "déjà ouverte par un autre programme" in at.error[0].value
    finally:
        holder.kill()
        holder.wait()
