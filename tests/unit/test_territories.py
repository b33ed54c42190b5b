"""Groupings of départements (`data/geo/territoires.yaml`, `opp.indicators.territories`):
a coarser geography, as a filter and a breakdown, inside the differencing rule."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from opp import geo
from opp.errors import OppError
from opp.indicators import disclosure, service, territories
from opp.indicators.engine import Filters, compute, exact_cells
from opp.indicators.model import Indicator

STAFF = Indicator.model_validate(
    {
        "id": "t",
        "domain": "emploi",
        "label": "T",
        "definition": "T",
        "kind": "sum",
        "question": "effectif_permanent",
    }
)


def _frame(by_departement: dict[str, int]) -> pl.DataFrame:
    rows = []
    for departement, n in by_departement.items():
        for i in range(n):
            rows.append(
                {
                    "response_id": f"r{departement}-{i}",
                    "_key": hash((departement, i)) % 2**32,
                    "reference_year": 2025,
                    "filiere": "cirque",
                    "departement": departement,
                    "structure_type": "compagnie",
                    "size_class": "3-9",
                    "effectif_permanent": float(3 + i),
                }
            )
    return pl.DataFrame(rows)


def _rows(result) -> dict:
    return {row["group"]: row for row in result.table.iter_rows(named=True)}


def test_groupings__families_are_partitions_of_the_thirteen_departements():
    families = {f.id: f for f in geo.grouping_families()}
    former = families["territoire_ancienne_region"]
    assert former.of("34") == "languedoc_roussillon"
    assert former.of("31") == "midi_pyrenees"
    assert set(geo.groupings()["languedoc_roussillon"].departements) == {
        "11",
        "30",
        "34",
        "48",
        "66",
    }
    assert set(geo.groupings()["departements_metropolitains"].departements) == {"31", "34"}
    for family in families.values():
        covered = [d for g in family.groupings for d in g.departements]
        assert sorted(covered) == sorted(geo.DEPARTEMENTS)
    assert geo.place_label("departements_ruraux", "en") == "Mostly rural départements"


def test_groupings__a_departement_in_two_groupings_is_refused_at_load():
    with pytest.raises(ValidationError, match="exactly one grouping"):
        geo.GroupingFamily.model_validate(
            {
                "id": "bad",
                "label": {"fr": "x"},
                "source": {"fr": "x"},
                "groupings": [
                    {"id": "a", "label": {"fr": "a"}, "departements": list(geo.DEPARTEMENTS)},
                    {"id": "b", "label": {"fr": "b"}, "departements": ["31"]},
                ],
            }
        )


def test_populations__every_departement_with_its_source_and_vintage():
    populations = geo.populations()
    assert set(populations.departements) == set(geo.DEPARTEMENTS)
    assert "INSEE" in populations.source["fr"]
    assert "insee.fr" in populations.source["fr"]
    assert populations.of("48") < populations.of("31")  # Lozère, Haute-Garonne
    assert populations.of("departements_metropolitains") == populations.of("31") + populations.of(
        "34"
    )
    assert populations.of("__total__") == sum(populations.departements.values())


def test_populations__add_up_to_the_region_insee_published():
    """INSEE's populations légales 2021 give Occitanie 6 022 176 inhabitants; the shipped
    figures are exact but for three rounded to the thousand (Ariège, Lot, Lozère), so
    their sum can only differ by that rounding — a mistyped figure would show."""
    populations = geo.populations()
    assert populations.vintage == 2021
    rounded = ("09", "46", "48")
    assert all(populations.of(code) % 1000 == 0 for code in rounded)
    assert abs(populations.of("__total__") - 6_022_176) <= 500 * len(rounded)


def test_territory__a_rural_figure_is_published_when_its_departements_alone_cannot_be():
    frame = _frame({"31": 6, "34": 6, "09": 2, "12": 2, "32": 2})
    by_departement = _rows(compute(frame, STAFF, Filters(2025), "departement"))
    for small in ("09", "12", "32"):
        assert by_departement[small]["secret"] == "min_contributors"
        assert by_departement[small]["value"] is None
    rural = compute(frame, STAFF, Filters(2025, territoire="departements_ruraux"))
    assert not rural.refused
    total = rural.total()
    assert total is not None
    assert total["secret"] is None
    exact = exact_cells(frame, STAFF, Filters(2025, territoire="departements_ruraux"))
    assert exact["n"][0] == 6
    assert exact["s"][0] == 3 * (3 + 4)  # three départements of two structures: 3 + 4 each
    assert total["value"] != exact["s"][0]  # published perturbed, never exact
    # And as a breakdown: the family's two cells, margin last.
    family = _rows(compute(frame, STAFF, Filters(2025), "territoire_metropoles"))
    assert list(family) == ["departements_metropolitains", "departements_ruraux", "__total__"]
    assert family["departements_ruraux"]["secret"] is None
    assert family["departements_ruraux"]["value"] == pytest.approx(total["value"])


def test_territory__a_grouping_minus_its_published_departements_never_isolates_one():
    # Rural = 09 (one structure, hidden) + 12 and 32 (three each, published): rural minus
    # 12 and 32 would be the structure of Ariège.
    frame = _frame({"31": 6, "34": 6, "09": 1, "12": 3, "32": 3})
    by_departement = _rows(compute(frame, STAFF, Filters(2025), "departement"))
    assert by_departement["09"]["secret"] == "min_contributors"
    assert by_departement["12"]["secret"] is None
    assert by_departement["32"]["secret"] is None
    assert compute(frame, STAFF, Filters(2025, territoire="departements_ruraux")).refused
    family = _rows(compute(frame, STAFF, Filters(2025), "territoire_metropoles"))
    assert family["departements_ruraux"]["secret"] == "differencing"
    assert family["departements_metropolitains"]["secret"] is None
    # Midi-Pyrénées = 31 + 09 + 12 + 32: minus its published départements, Ariège again.
    former = _rows(compute(frame, STAFF, Filters(2025), "territoire_ancienne_region"))
    assert former["midi_pyrenees"]["secret"] == "differencing"


def test_territory__a_grouping_one_structure_from_another_population_is_hidden():
    # Languedoc-Roussillon = Hérault + one structure of Lozère; Lozère's lone structure
    # is hidden, so LR (= 34 + 1) would single it out against Hérault.
    frame = _frame({"31": 8, "34": 6, "48": 1})
    assert compute(frame, STAFF, Filters(2025, territoire="languedoc_roussillon")).refused


def test_territory__filters_are_checked_with_clear_messages():
    with pytest.raises(OppError) as error:
        service.check_filters(Filters(2025, territoire="atlantide"))
    assert "languedoc_roussillon" in error.value.message("fr")
    with pytest.raises(OppError) as error:
        service.check_filters(Filters(2025, departement="31", territoire="midi_pyrenees"))
    assert "pas les deux" in error.value.message("fr")
    assert "not both" in error.value.message("en")


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_territory__no_admitted_grouping_is_one_or_two_contributors_from_another(data):
    """Property: on random atoms, an admitted grouping differs from every admitted
    population by 0 or ≥ 3 contributors (counted per atom), and its hidden
    départements make 0 or ≥ 3 contributors."""
    shape = (2, len(geo.DEPARTEMENTS), 2, 1)
    flat = data.draw(st.lists(st.integers(0, 3), min_size=int(np.prod(shape)), max_size=52))
    atoms = np.array(flat[: int(np.prod(shape))], dtype=np.int64).reshape(shape)
    grouped = territories.permitted(atoms, 3)
    counts = disclosure.combo_counts(atoms)
    base = disclosure.permitted_combinations(atoms, 3)
    masks = territories._masks()
    admitted = []  # (filière, type, size, set of départements) → multiset size by atoms
    for index in zip(*np.nonzero(base), strict=True):
        d = index[1]
        deps = set(range(shape[1])) if d == 0 else {d - 1}
        admitted.append((index[0], index[2], index[3], frozenset(deps)))
    for index in zip(*np.nonzero(grouped), strict=True):
        g, f, t, s = (int(i) for i in index)
        admitted.append((f, t, s, frozenset(np.flatnonzero(masks[g]).tolist())))
        hidden = sum(
            int(counts[f, d + 1, t, s])
            for d in np.flatnonzero(masks[g])
            if not base[f, d + 1, t, s]
        )
        assert hidden == 0 or hidden >= 3

    def size(f, t, s, deps):
        return sum(
            int(atoms[a, d, b, c])
            for a in range(shape[0])
            for d in deps
            for b in range(shape[2])
            for c in range(shape[3])
            if (f == 0 or a == f - 1) and (t == 0 or b == t - 1) and (s == 0 or c == s - 1)
        )

    for i, (f, t, s, deps) in enumerate(admitted):
        for f2, t2, s2, deps2 in admitted[i + 1 :]:
            if len(deps) in (1, shape[1]) and len(deps2) in (1, shape[1]):
                continue  # two filter combinations: the ordinary lattice's property
            both = 0
            meets = [a == 0 or b == 0 or a == b for a, b in ((f, f2), (t, t2), (s, s2))]
            if all(meets):
                both = size(max(f, f2), max(t, t2), max(s, s2), deps & deps2)
            distance = size(f, t, s, deps) + size(f2, t2, s2, deps2) - 2 * both
            assert distance == 0 or distance >= 3


def test_per_inhabitant__ratio_of_the_published_figure_to_the_public_population():
    from opp.indicators import per_inhabitant

    frame = _frame({"31": 6, "34": 6, "09": 2, "12": 2, "32": 2})
    published = compute(frame, STAFF, Filters(2025), "departement")
    ratios = per_inhabitant.per_10000(published)
    population = geo.populations()
    shown = {row["group"]: row for row in published.table.iter_rows(named=True)}
    for row in ratios.table.iter_rows(named=True):
        value = shown[row["group"]]["value"]
        place = "__total__" if row["group"] == "__total__" else row["group"]
        if value is None:  # a hidden numerator leaves its ratio hidden, same reason
            assert row["value"] is None
            assert row["secret"] == shown[row["group"]]["secret"]
        else:
            assert row["value"] == pytest.approx(value / population.of(place) * 10_000)
    assert ratios.indicator.label.fr == "T pour 10 000 habitants"
    assert any("INSEE" in note["fr"] for note in ratios.notes)
    # The ratio of a grouping uses the grouping's population (the sum of its départements).
    rural = per_inhabitant.per_10000(
        compute(frame, STAFF, Filters(2025, territoire="departements_ruraux"))
    )
    numerator = compute(frame, STAFF, Filters(2025, territoire="departements_ruraux")).total()
    assert rural.total()["value"] == pytest.approx(
        numerator["value"] / population.of("departements_ruraux") * 10_000
    )


def test_territory__an_answer_cell_one_structure_from_a_grouping_is_hidden(monkeypatch):
    """Associations = 3 in Haute-Garonne + 3 in Hérault; the départements with a
    métropole (31, 34) = those six and one SCOP of Hérault: the two published cells
    would differ by that one structure."""
    from opp.indicators import engine
    from opp.indicators.engine import AnswerAxis

    rows = [("31", "association")] * 3 + [("34", "association")] * 3 + [("34", "scop")]
    rows += [("11", "scop")] * 6 + [("09", "scop")] * 3
    frame = pl.DataFrame(
        [
            {
                "response_id": f"r{i}",
                "_key": (7919 * (i + 1)) % 2**32,
                "reference_year": 2025,
                "filiere": "cirque",
                "departement": departement,
                "structure_type": "compagnie",
                "size_class": "3-9",
                "effectif_permanent": float(i + 1),
                "forme_juridique": form,
            }
            for i, (departement, form) in enumerate(rows)
        ]
    )
    forms = AnswerAxis("forme_juridique", ("association", "scop"))
    metro = compute(frame, STAFF, Filters(2025, territoire="departements_metropolitains"))
    assert not metro.refused  # the grouping's figure is published
    by_form = _rows(compute(frame, STAFF, Filters(2025), "forme_juridique", axis=forms))
    assert by_form["association"]["secret"] == "differencing"
    # Control: without the groupings among the earlier axes, the cell is published.
    monkeypatch.setattr(engine, "family_axes", lambda: ())
    by_form = _rows(compute(frame, STAFF, Filters(2025), "forme_juridique", axis=forms))
    assert by_form["association"]["secret"] is None


@pytest.mark.both_backends
def test_territory__on_a_small_store_the_rural_figure_is_published_its_departements_not(
    tmp_store,
):
    """A real store and release: six structures in Toulouse and six in Montpellier, two
    in each of Foix, Rodez and Auch. Each rural département alone is refused (two
    structures); the rural départements together (six) are published, perturbed."""
    import datetime as dt

    from conftest import ADMIN, publish_release

    from opp import clock
    from opp.access.viewer import Role, Viewer
    from opp.indicators.catalogue import load_indicators
    from opp.indicators.frames import LazyFrames
    from opp.questionnaire.catalogue import load_catalogue
    from opp.services import campaigns as campaign_store
    from opp.services import organisations as org_store
    from opp.services import responses as response_store
    from opp.store import questionnaires

    surveys = load_catalogue()
    questionnaire = surveys.get("cirque")
    store = tmp_store
    questionnaires.publish(store, questionnaire)
    today = clock.today()
    campaign = campaign_store.create(
        store,
        ADMIN,
        filiere="cirque",
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        reference_year=2025,
        title_fr="cirque 2025",
        title_en=None,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=10),
        campaign_id="cirque-2025",
    )
    places = {"31555": 6, "34172": 6, "09122": 2, "12202": 2, "32013": 2}
    staff = {}
    for commune, count in places.items():
        for i in range(count):
            org = org_store.create(
                store,
                ADMIN,
                name=f"Compagnie {commune}-{i}",
                structure_type="compagnie",
                filieres=["cirque"],
                commune=commune,
            )
            viewer = Viewer(role=Role.CONTRIBUTEUR, organisation_id=org.id, filiere="cirque")
            meta = response_store.start(store, viewer, campaign.id)
            staff[org.id] = (commune[:2], 2 + i)
            response_store.save(
                store,
                viewer,
                meta.id,
                {"effectif_permanent": 2 + i},
                expected_version=meta.row_version,
            )
    with store.transaction() as cur:
        cur.execute("UPDATE responses SET status = 'submitted', submitted_at = now()")
    publish_release(store, seed=5)
    frames = LazyFrames(store, surveys, load_indicators(surveys=surveys))
    indicator = frames.indicators.get("effectif_permanent_total")
    coreps = Viewer(role=Role.COREPS, account_id="coreps")
    by_departement = service.result(frames, indicator, Filters(2025), "departement", coreps)
    rows = _rows(by_departement)
    for small in ("09", "12", "32"):
        assert rows[small]["secret"] == "min_contributors"
    alone = service.result(frames, indicator, Filters(2025, departement="09"), None, coreps)
    assert alone.refused  # Ariège's filter isolates two structures
    rural = service.result(
        frames, indicator, Filters(2025, territoire="departements_ruraux"), None, coreps
    )
    total = rural.total()
    assert not rural.refused
    assert total["secret"] is None
    exact = sum(v for d, v in staff.values() if d in ("09", "12", "32"))
    assert exact == 3 * (2 + 3)
    assert total["value"] == pytest.approx(exact, rel=0.7)
    assert total["value"] != exact
    assert abs(total["contributors"] - 6) <= 2
