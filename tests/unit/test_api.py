"""The read API `/api/v1/` (issue 16): tokens (missing, wrong, expired, revoked, disabled
account, other filière), the very cells of the service with the same suppressions, JSON
and CSV, campaigns and participation, rate limit, OpenAPI."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from conftest import demo_viewer
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.api import routes as api
from opp.api.ratelimit import RateLimiter
from opp.indicators.catalogue import load_indicators
from opp.indicators.engine import Filters
from opp.indicators.service import build_frames, result
from opp.questionnaire.catalogue import load_catalogue
from opp.services import api_tokens, membership
from opp.store import Store


@pytest.fixture(scope="module")
def world(module_demo_store: Store) -> dict:
    """The demo region, on DuckDB then on PostgreSQL (`module_demo_store`)."""
    store = module_demo_store
    surveys = load_catalogue()
    indicators = load_indicators(surveys=surveys)
    frames = build_frames(store, surveys, indicators)
    viewers = {key: demo_viewer(store, key) for key in ("admin", "coord:cirque", "coreps")}
    tokens = {key: api_tokens.create(store, v, "tests")[0] for key, v in viewers.items()}
    return {
        "store": store,
        "indicators": indicators,
        "frames": frames,
        "viewers": viewers,
        "tokens": tokens,
    }


def client_for(world: dict, **limits: RateLimiter) -> TestClient:
    backend = api.Backend(
        store=lambda: world["store"],
        catalogue=lambda: world["indicators"],
        frames=lambda: world["frames"],
        **limits,
    )
    return TestClient(Starlette(routes=[Mount("/api/v1", routes=api.routes(backend))]))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api__the_catalogue_lists_every_indicator_and_what_is_open(world):
    reply = client_for(world).get("/api/v1/indicators")
    assert reply.status_code == 200
    listed = {i["id"]: i for i in reply.json()["indicators"]}
    assert set(listed) == set(world["indicators"].indicators)
    assert listed["taux_participation"]["public"] is True
    some = next(i for i in listed.values() if not i["public"])
    assert some["label"]["fr"]
    assert some["definition"]["fr"]
    assert some["unit"]
    assert some["breakdowns"]


def test_api__without_a_token_only_the_open_figures(world):
    client = client_for(world)
    closed = next(i for i in world["indicators"].indicators.values() if i.domain == "emploi")
    refused = client.get(f"/api/v1/indicators/{closed.id}")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "AUTH_REQUIRED"
    assert "connect" in refused.json()["error"]["message"].lower()
    opened = client.get("/api/v1/indicators/taux_participation")
    assert opened.status_code == 200
    assert opened.json()["cells"]


def test_api__a_wrong_token_is_refused_with_a_clear_message(world):
    client = client_for(world)
    for header in (bearer("opp_pas-un-jeton"), {"Authorization": "Basic abc"}):
        reply = client.get("/api/v1/indicators/taux_participation", headers=header)
        assert reply.status_code == 401
        assert reply.json()["error"]["code"] == "API_TOKEN_INVALID"
        assert "Mon compte" in reply.json()["error"]["message"]
    english = client.get("/api/v1/indicators?lang=en", headers=bearer("nope"))
    assert "My account" in english.json()["error"]["message"]


def test_api__an_expired_or_revoked_token_opens_nothing(world):
    store = world["store"]
    admin = world["viewers"]["admin"]
    client = client_for(world)
    token, row = api_tokens.create(store, admin, "court", days=1)
    assert client.get("/api/v1/indicators", headers=bearer(token)).status_code == 200
    clock.freeze(dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    try:
        late = client.get("/api/v1/indicators", headers=bearer(token))
    finally:
        clock.freeze(None)
    assert late.status_code == 401
    assert late.json()["error"]["code"] == "API_TOKEN_EXPIRED"

    token, row = api_tokens.create(store, admin, "révoqué")
    api_tokens.revoke(store, Viewer(role=Role.ADMIN, account_id="someone-else"), row.id)
    assert client.get("/api/v1/indicators", headers=bearer(token)).status_code == 200  # not theirs
    api_tokens.revoke(store, admin, row.id)
    revoked = client.get("/api/v1/indicators", headers=bearer(token))
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "API_TOKEN_REVOKED"


def test_api__a_disabled_account_s_token_opens_nothing(world):
    store = world["store"]
    coreps = world["viewers"]["coreps"]
    client = client_for(world)
    token, _ = api_tokens.create(store, coreps, "coreps")
    membership.set_enabled(store, world["viewers"]["admin"], coreps.account_id, enabled=False)
    try:
        reply = client.get("/api/v1/indicators", headers=bearer(token))
    finally:
        membership.set_enabled(store, world["viewers"]["admin"], coreps.account_id, enabled=True)
    assert reply.status_code == 401
    assert reply.json()["error"]["code"] == "API_TOKEN_ACCOUNT"


def test_api__a_token_is_scoped_to_its_filiere(world):
    client = client_for(world)
    token = world["tokens"]["coord:cirque"]
    indicator = next(i for i in world["indicators"].indicators.values() if i.domain == "emploi")
    other = client.get(
        f"/api/v1/indicators/{indicator.id}?filiere=marionnette", headers=bearer(token)
    )
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "FORBIDDEN"
    own = client.get(f"/api/v1/indicators/{indicator.id}", headers=bearer(token))
    assert own.status_code == 200
    assert own.json()["filters"]["filiere"] == "cirque"  # scoped like the dashboards


def _published(world: dict, viewer_key: str) -> tuple:
    """An indicator and breakdown whose published table has suppressed cells."""
    frames = world["frames"]
    year = frames.years()[0]
    viewer = world["viewers"][viewer_key]
    for indicator in world["indicators"].indicators.values():
        for breakdown in ("departement", "structure_type", "filiere"):
            if breakdown not in indicator.breakdowns:
                continue
            shown = result(frames, indicator, Filters(reference_year=year), breakdown, viewer)
            secrets = shown.table["secret"].drop_nulls()
            if not shown.refused and secrets.len() and shown.table["value"].drop_nulls().len():
                return indicator, breakdown, year, shown
    raise AssertionError("no indicator with suppressed cells in the demo region")


def test_api__the_cells_are_the_services_with_the_same_suppressions(world):
    indicator, breakdown, year, shown = _published(world, "admin")
    client = client_for(world)
    token = world["tokens"]["admin"]
    url = f"/api/v1/indicators/{indicator.id}?year={year}&breakdown={breakdown}"
    reply = client.get(url, headers=bearer(token))
    assert reply.status_code == 200
    body = reply.json()
    assert body["release"]["id"] == world["frames"].release.id
    got = [
        (c["group"], c["series"], c["value"], c["contributors"], c["secret"]) for c in body["cells"]
    ]
    expected = [
        (
            None if r["is_total"] else r["group"],
            r["series"],
            r["value"],
            r["contributors"],
            r["secret"],
        )
        for r in shown.table.iter_rows(named=True)
    ]
    assert got == expected
    hidden = [c for c in body["cells"] if c["secret"]]
    assert hidden
    assert all(c["value"] is None for c in hidden)
    assert all(c["secret_reason_fr"].startswith("secret statistique") for c in hidden)

    csv = client.get(url.replace(indicator.id, f"{indicator.id}.csv"), headers=bearer(token))
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    table = pl.read_csv(io.StringIO(csv.text), infer_schema_length=None)
    assert table.height == shown.table.height
    assert table["value"].to_list() == shown.table["value"].to_list()
    assert table["secret"].to_list() == shown.table["secret"].to_list()
    assert table.filter(pl.col("secret").is_not_null())["value"].null_count() == len(hidden)


def test_api__bad_filters_say_what_is_allowed_and_change_nothing(world):
    client = client_for(world)
    token = world["tokens"]["admin"]
    reply = client.get("/api/v1/indicators/taux_participation?year=1850", headers=bearer(token))
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == "API_YEAR"
    dept = client.get("/api/v1/indicators/taux_participation?departement=99", headers=bearer(token))
    assert dept.status_code == 400
    assert "99" in dept.json()["error"]["message"]
    unknown = client.get("/api/v1/indicators/nope", headers=bearer(token))
    assert unknown.status_code == 404


def test_api__campaigns_and_their_participation(world):
    client = client_for(world)
    listed = client.get("/api/v1/campaigns").json()["campaigns"]
    years = world["frames"].years()
    campaign = next(c for c in listed if c["year"] in years)
    assert campaign["title"]["fr"]
    assert campaign["state"] in ("upcoming", "open", "closed")
    reply = client.get(f"/api/v1/campaigns/{campaign['id']}/participation")
    assert reply.status_code == 200
    body = reply.json()
    assert body["filters"] == {"year": campaign["year"], "filiere": campaign["filiere"]}
    expected = result(
        world["frames"],
        world["indicators"].get("taux_participation"),
        Filters(reference_year=campaign["year"], filiere=campaign["filiere"]),
        None,
        None,
    )
    assert [c["value"] for c in body["cells"]] == expected.table["value"].to_list()


def test_api__requests_are_rate_limited_per_token(world):
    client = client_for(world, token_limiter=RateLimiter(3), anonymous_limiter=RateLimiter(2))
    admin, coreps = world["tokens"]["admin"], world["tokens"]["coreps"]
    for _ in range(3):
        assert client.get("/api/v1/indicators", headers=bearer(admin)).status_code == 200
    limited = client.get("/api/v1/indicators", headers=bearer(admin))
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert "par minute" in limited.json()["error"]["message"]
    assert client.get("/api/v1/indicators", headers=bearer(coreps)).status_code == 200
    assert client.get("/api/v1/indicators").status_code == 200
    assert client.get("/api/v1/indicators").status_code == 200
    assert client.get("/api/v1/indicators").status_code == 429  # without a token: by address


def test_api__tokens_are_stored_hashed_and_shown_once(world):
    store = world["store"]
    token, row = api_tokens.create(store, world["viewers"]["admin"], "hash")
    dump = str(store.cursor().execute("SELECT * FROM api_tokens").fetchall())
    assert token not in dump
    assert api_tokens.digest(token) in dump
    assert row.prefix == token[:10]
    assert token.startswith("opp_")


def test_api__openapi_describes_every_route(world):
    spec = client_for(world).get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/indicators",
        "/indicators/{indicator_id}",
        "/campaigns",
        "/campaigns/{campaign_id}/participation",
    }


def test_api__a_csv_is_served_by_byte_ranges_too(world):
    """polars.read_csv(url) reads a remote file by ranges."""
    client = client_for(world)
    url = "/api/v1/indicators/taux_participation.csv"
    whole = client.get(url)
    assert whole.headers["accept-ranges"] == "bytes"
    part = client.get(url, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206
    assert part.content == whole.content[:10]
    assert part.headers["content-range"] == f"bytes 0-9/{len(whole.content)}"
    assert part.headers["etag"] == whole.headers["etag"]
    tail = client.get(url, headers={"Range": "bytes=-5"})
    assert tail.content == whole.content[-5:]
    beyond = client.get(url, headers={"Range": f"bytes={len(whole.content)}-"})
    assert beyond.status_code == 416


def test_api__groupings_of_departements_as_filter_and_breakdown(world):
    client = client_for(world)
    token = world["tokens"]["admin"]
    year = world["frames"].years()[0]
    url = f"/api/v1/indicators/budget_total?year={year}&breakdown=territoire_ancienne_region"
    body = client.get(url, headers=bearer(token)).json()
    labels = {c["group_label_fr"] for c in body["cells"] if not c["is_total"]}
    assert labels == {"Languedoc-Roussillon", "Midi-Pyrénées"}
    within = client.get(
        f"/api/v1/indicators/budget_total?year={year}&territoire=midi_pyrenees",
        headers=bearer(token),
    ).json()
    assert within["filters"]["territoire"] == "midi_pyrenees"
    expected = result(
        world["frames"],
        world["indicators"].get("budget_total"),
        Filters(year, territoire="midi_pyrenees"),
        None,
        world["viewers"]["admin"],
    )
    assert within["cells"][0]["value"] == expected.table["value"][0]
    both = client.get(
        "/api/v1/indicators/budget_total?departement=31&territoire=midi_pyrenees",
        headers=bearer(token),
    )
    assert both.status_code == 400
    assert "pas les deux" in both.json()["error"]["message"]
