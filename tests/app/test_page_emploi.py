"""Emploi dashboard; and the helpers every dashboard page test uses.

Helpers: `record_downloads` keeps the bytes the app hands to download buttons (AppTest
only exposes their URL), `computed` gives the result the service computes on frames
built from the same database, `refused_filters` finds a filter combination refused for
given indicators, `csv_matches_table` checks a panel's CSV against the table shown.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from opp import exports, geo
from opp.access.viewer import Role, Viewer
from opp.i18n import format_number
from opp.indicators import service
from opp.indicators.catalogue import load_indicators
from opp.indicators.disclosure import filter_refused_text
from opp.indicators.engine import Filters, Result, exact_cells
from opp.questionnaire.catalogue import load_catalogue
from opp.referentiel import STRUCTURE_TYPES
from opp.store import open_store
from opp.ui.dashboard import display_table, format_value, labelled, t

PAGE = "pages/emploi.py"
ADMIN = Viewer(role=Role.ADMIN, account_id="test-admin")
_FRAMES: dict[Path, service.Frames] = {}
_SURVEYS = load_catalogue()
INDICATORS = load_indicators(surveys=_SURVEYS)


# --- helpers shared by the dashboard page tests -------------------------------------------


def record_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Record every file the app serves (download buttons), by file id. Call it before
    `run_app`: AppTest builds a fresh media storage for each run."""
    files: dict[str, bytes] = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            files[file_id] = path_or_data
            return file_id

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    # Downloads built on click: the app hands a callable, run when the button is pressed.
    add_deferred = MediaFileManager.add_deferred

    def recording_deferred(self, data_callable, *args, **kwargs):
        file_id = add_deferred(self, data_callable, *args, **kwargs)
        files[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_deferred)
    return files


def downloaded(files: dict[str, bytes], at: Any, key: str) -> bytes:
    """The bytes behind the download button with widget key `key` (e.g. "csv:parite")."""
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    assert len(buttons) == 1, [b.proto.id for b in at.get("download_button")]
    proto = buttons[0].proto
    if proto.deferred_file_id:  # built on click: press it
        data = files[proto.deferred_file_id]()
        return data.encode("utf-8") if isinstance(data, str) else data
    file_id = proto.url.rsplit("/", 1)[1].split(".")[0]
    return files[file_id]


def frames_of(db: Path) -> service.Frames:
    """All analytical frames of a database, built once per test session (read only)."""
    if db not in _FRAMES:
        store = open_store(db)
        try:
            _FRAMES[db] = service.build_frames(store, _SURVEYS, INDICATORS)
        finally:
            store.close()
    return _FRAMES[db]


def latest_year(db: Path) -> int:
    return frames_of(db).years()[0]


def computed(
    db: Path,
    indicator_id: str,
    filters: Filters | None = None,
    breakdown: str | None = None,
    viewer: Viewer | None = ADMIN,
) -> Result:
    """What the service computes for this indicator, outside the app."""
    filters = filters or Filters(reference_year=latest_year(db))
    return service.result(frames_of(db), INDICATORS.get(indicator_id), filters, breakdown, viewer)


def exact_total(
    db: Path,
    indicator_id: str,
    filters: Filters | None = None,
    series: str | None = None,
    viewer: Viewer | None = ADMIN,
) -> dict[str, Any]:
    """The exact figure entering the disclosure layer for the whole population (what a
    hand count gives); the page shows it perturbed."""
    indicator = INDICATORS.get(indicator_id)
    filters = service.scoped_filters(viewer, filters or Filters(reference_year=latest_year(db)))
    cells = exact_cells(frames_of(db).for_indicator(indicator), indicator, filters)
    cells = cells.filter(pl.col("is_total"))
    if series is not None:
        cells = cells.filter(pl.col("series") == series)
    return cells.row(0, named=True)


def shown_kpi(result: Result, series: str | None = None) -> str:
    """The text of a KPI card for this result (French)."""
    row = result.total(series)
    assert row is not None
    assert row["secret"] is None, row
    return format_value(row["value"], result.indicator.unit, "fr")


def based_on(result: Result, series: str | None = None) -> str:
    """The caption under a KPI card: how many contributors the figure rests on."""
    row = result.total(series)
    assert row is not None
    return t("on", "fr", n=format_number(row["contributors"], "fr"))


def metrics(at: Any) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_keys(at: Any) -> list[str]:
    return [c.proto.id.rsplit("-chart:", 1)[-1] for c in at.get("plotly_chart")]


def refused_filters(
    db: Path, indicator_ids: list[str], viewer: Viewer | None = ADMIN, filiere: str | None = None
) -> Filters:
    """A département × organisation type (within `filiere`) refused for every one of
    these indicators (small départements and rare types first)."""
    year = latest_year(db)
    sizes = frames_of(db).responses.group_by("departement").len()
    departements = sorted(
        geo.DEPARTEMENTS,
        key=lambda d: sizes.filter(pl.col("departement") == d)["len"].sum(),
    )
    types = [t for t in reversed(list(STRUCTURE_TYPES)) if t != "artiste"]
    for departement, structure_type in itertools.product(departements, types):
        filters = Filters(year, filiere, departement, structure_type)
        if all(computed(db, i, filters, viewer=viewer).refused for i in indicator_ids):
            return filters
    raise AssertionError(f"no filter combination refused for {indicator_ids}")


def apply_filters(at: Any, filters: Filters) -> Any:
    """Choose the filter bar's values (keys of opp.ui.filters) and rerun."""
    for dimension in ("departement", "structure_type", "size_class"):
        value = getattr(filters, dimension)
        if value is not None:
            at.selectbox(key=f"filter_{dimension}").set_value(value)
    return at.run()


def refusal_count(at: Any) -> int:
    start = filter_refused_text("fr", 999).split("999")[0]
    return sum(1 for w in at.warning if w.value.startswith(start))


def refused_again_count(at: Any) -> int:
    """Panels referring to the page's one explanation of a refused filter."""
    return sum(1 for c in at.caption if t("refused_again", "fr") in c.value)


def trend_refused(db: Path, indicator_id: str, filters: Filters) -> bool:
    """Whether a trend panel is refused too: the filter is refused every year (other
    years may have enough contributors, and the trend then shows them)."""
    return computed(db, indicator_id, filters, "reference_year").refused


def expected_refused_again(db: Path, panels: list[str], trend: str, filters: Filters) -> int:
    """Panels referring to the one explanation: all but the first refused one, the trend
    among them when it is refused every year."""
    return len(panels) - 2 + trend_refused(db, trend, filters)


def csv_matches_table(files: dict[str, bytes], at: Any, key: str, index: int) -> bytes:
    """The CSV of panel `key` is exactly the table shown (the `index`-th dataframe)."""
    data = downloaded(files, at, f"csv:{key}")
    shown = pl.from_pandas(at.dataframe[index].value)
    assert data == exports.to_csv_bytes(shown, lang="fr")
    return data


def same_csv(data: bytes, result: Result) -> bool:
    """`data` is the CSV a panel of this result offers: same header, same rows.

    Rows are compared as a multiset: the engine keeps the order in which groups appear
    in the database's rows, which a query without ORDER BY does not fix."""
    expected = exports.to_csv_bytes(display_table(labelled(result, "fr"), result, "fr"), lang="fr")
    got, want = data.decode("utf-8-sig").splitlines(), expected.decode("utf-8-sig").splitlines()
    return got[0] == want[0] and sorted(got[1:]) == sorted(want[1:])


# --- the Emploi page ----------------------------------------------------------------------

PANELS = [
    "contrats",
    "tendance_permanents",
    "intermittents",
    "effectif_taille",
    "masse_salariale",
]
NOT_TRENDS = [
    "effectif_permanent_total",
    "etp_permanents_total",
    "intermittents_employes",
    "part_masse_salariale_budget",
    "permanents_par_contrat",
    "effectif_permanent_median",
    "masse_salariale",
]


@pytest.mark.parametrize("viewer_key", ["admin", "coreps"])
def test_page_emploi__loads_with_every_panel(run_app, demo_file, viewer_key):
    at = run_app(demo_file, PAGE, viewer_key=viewer_key)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Emploi"
    assert chart_keys(at) == PANELS
    assert len(at.dataframe) == len(PANELS)
    assert len(at.get("download_button")) == 2 * len(PANELS)


def test_page_emploi__kpis_equal_the_service_and_a_hand_count(run_app, demo_file, monkeypatch):
    files = record_downloads(monkeypatch)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    jobs = computed(demo_file, "effectif_permanent_total")
    assert metrics(at)["Emplois permanents"] == shown_kpi(jobs)
    assert based_on(jobs) in [c.value for c in at.caption]
    # By hand: the permanent staff of the year's organisations (artists are not employers).
    responses = frames_of(demo_file).responses.filter(
        (pl.col("reference_year") == latest_year(demo_file))
        & (pl.col("structure_type") != "artiste")
    )
    exact = exact_total(demo_file, "effectif_permanent_total")
    assert exact["value"] == responses["effectif_permanent"].sum()
    assert jobs.total()["value"] != exact["value"]  # published perturbed, never exact
    # The CSV of a panel is the table under its chart, row for row.
    data = csv_matches_table(files, at, "contrats", PANELS.index("contrats"))
    assert same_csv(data, computed(demo_file, "permanents_par_contrat", breakdown="filiere"))


def test_page_emploi__filters_change_the_figures(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="admin")
    before = metrics(at)["Emplois permanents"]
    filters = Filters(latest_year(demo_file), departement="31")
    apply_filters(at, filters)
    assert not at.exception
    jobs = computed(demo_file, "effectif_permanent_total", filters)
    assert metrics(at)["Emplois permanents"] == shown_kpi(jobs) != before
    assert based_on(jobs) in [c.value for c in at.caption]


def test_page_emploi__refused_filter_shows_why_and_no_figure(run_app, demo_file):
    filters = refused_filters(demo_file, NOT_TRENDS)
    at = run_app(demo_file, PAGE, viewer_key="admin")
    apply_filters(at, filters)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert set(metrics(at).values()) == {"—"}
    # One explanation for the page; the other refused panels (the trend too, when the
    # filter is refused every year) refer to it.
    assert refusal_count(at) == 1
    trend = "effectif_permanent_median"
    assert refused_again_count(at) == expected_refused_again(demo_file, PANELS, trend, filters)
    assert set(chart_keys(at)) <= {"tendance_permanents"}
