"""Demo region: deterministic, plausible, valid against the questionnaires."""

from __future__ import annotations

import datetime as dt

import pytest

from opp.demo.generator import build_demo, campaign_window, reference_years
from opp.errors import OppError
from opp.store import open_store

pytestmark = pytest.mark.both_backends

AS_OF = dt.date(2026, 11, 22)


def _fingerprint(store) -> list[tuple]:
    cur = store.cursor()
    return [
        cur.execute("SELECT count(*), sum(hash(id, name, commune)) FROM organisations").fetchone(),
        cur.execute(
            "SELECT count(*), sum(hash(response_id, question_id, item, value_num, value_text)) "
            "FROM answers"
        ).fetchone(),
        cur.execute("SELECT count(*), sum(hash(id, status, consent)) FROM responses").fetchone(),
    ]


def test_demo__same_seed_gives_same_data(tmp_path):
    prints = []
    for name in ("a", "b"):
        store = open_store(tmp_path / f"{name}.duckdb")
        build_demo(store, scale=0.1, seed=7, as_of=AS_OF)
        prints.append(_fingerprint(store))
        store.close()
    assert prints[0] == prints[1]
    other = open_store(tmp_path / "c.duckdb")
    build_demo(other, scale=0.1, seed=8, as_of=AS_OF)
    assert _fingerprint(other) != prints[0]
    other.close()


def test_demo__plausible_region(demo_file):
    store = open_store(demo_file)
    cur = store.cursor()
    try:
        structures = cur.execute(
            "SELECT count(*) FROM organisations WHERE structure_type <> 'artiste'"
        ).fetchone()[0]
        assert 750 <= structures <= 850
        by_dep = dict(
            cur.execute("SELECT departement, count(*) FROM organisations GROUP BY ALL").fetchall()
        )
        assert len(by_dep) == 13
        top_two = sorted(by_dep, key=by_dep.get, reverse=True)[:2]
        assert set(top_two) == {"31", "34"}
        filieres = cur.execute(
            "SELECT DISTINCT unnest(filieres) FROM organisations ORDER BY 1"
        ).fetchall()
        assert [f[0] for f in filieres] == [
            "arts_de_la_rue",
            "cirque",
            "marionnette",
            "musiques_actuelles",
        ]
        responses, drafts = cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'draft') FROM responses"
        ).fetchone()
        assert 650 <= responses <= 1100
        assert drafts > 20
        years = cur.execute("SELECT DISTINCT reference_year FROM campaigns ORDER BY 1").fetchall()
        assert len(years) == 3
        # Most performances in the home département, a minority abroad.
        places = dict(
            cur.execute(
                "SELECT question_id, sum(value_num) FROM answers WHERE question_id IN "
                "('representations_departement', 'representations_etranger', "
                "'representations_total') GROUP BY ALL"
            ).fetchall()
        )
        assert places["representations_departement"] > 0.3 * places["representations_total"]
        assert places["representations_etranger"] < 0.12 * places["representations_total"]
        # Women under-represented in technical posts, not in administration.
        women = dict(
            cur.execute(
                "SELECT question_id, sum(value_num) FROM answers WHERE question_id IN "
                "('technique_femmes', 'technique_hommes', 'administration_femmes', "
                "'administration_hommes') GROUP BY ALL"
            ).fetchall()
        )
        tech_share = women["technique_femmes"] / (
            women["technique_femmes"] + women["technique_hommes"]
        )
        admin_share = women["administration_femmes"] / (
            women["administration_femmes"] + women["administration_hommes"]
        )
        assert tech_share < 0.33 < admin_share
    finally:
        store.close()


def test_demo__latest_campaign_is_open_today():
    today = dt.date(2026, 11, 22)
    latest = reference_years(today)[-1]
    opens, closes = campaign_window(today, latest)
    assert opens <= today <= closes
    opens, closes = campaign_window(today, latest - 1)
    assert closes < today


def test_demo__bad_scale_is_refused(tmp_store):
    with pytest.raises(OppError) as info:
        build_demo(tmp_store, scale=0)
    assert "entre 0,01 et 200" in info.value.message("fr")
